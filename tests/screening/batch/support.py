"""Fakes and file helpers shared by the batch tests (not a test module)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from lists.model import Schema, Source
from screening.batch.names import (
    BatchOptions,
    BatchSummary,
    run_batch,
)
from screening.matching.results import (
    Decision,
    Explanation,
    Hit,
    ListVersionRef,
    Query,
    ScreeningResult,
    Thresholds,
)
from screening.matching.textscan import TextHit

LIST_VERSIONS = [
    ListVersionRef(
        source=Source.OFAC, dataset="ofac_sdn", version_id=7, published_on=dt.date(2024, 5, 3)
    )
]


MAIN_DATASET = {
    Source.OFAC: "ofac_sdn",
    Source.UK: "uk_ofsi",
    Source.UN: "un_sc",
    Source.EU: "eu_fsf",
}


def make_hit(source: Source, entry_id: str, name: str, score: float, thresholds: Thresholds) -> Hit:
    decision = (
        Decision.MATCH
        if score >= thresholds.match
        else Decision.REVIEW
        if score >= thresholds.review
        else Decision.CLEAR
    )
    return Hit(
        source=source,
        dataset=MAIN_DATASET[source],
        entry_id=entry_id,
        name=name,
        matched_name=name,
        schema=Schema.ORGANIZATION,
        programs=["RUSSIA-EO14024"],
        score=score,
        decision=decision,
        explanation=Explanation(matched_name=name, name_score=score, tokens=[], features=[]),
        list_version=7,
    )


class FakeScreener:
    """Names with SANCTIONED score 0.95 (ofac:36), with PETROV 0.80 (uk:RUS0001); RAISE fails."""

    def __init__(self, thresholds: Thresholds | None = None) -> None:
        self.thresholds = thresholds or Thresholds()
        self.versions = LIST_VERSIONS
        self.queries: list[Query] = []
        self.used_thresholds: list[Thresholds] = []

    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        thresholds = thresholds or self.thresholds
        self.queries.append(query)
        self.used_thresholds.append(thresholds)
        name = query.name.upper()
        if name.startswith("RAISE"):
            raise ValueError(query.name[len("RAISE ") :])
        candidates = []
        if "SANCTIONED" in name:
            candidates.append(make_hit(Source.OFAC, "36", "SANCTIONED BANK", 0.95, thresholds))
        if "PETROV" in name:
            candidates.append(make_hit(Source.UK, "RUS0001", "PETROV, Ivan", 0.80, thresholds))
        hits = [hit for hit in candidates if hit.score >= thresholds.report]
        return ScreeningResult(
            query=query,
            decision=hits[0].decision if hits else Decision.CLEAR,
            hits=hits,
            list_versions=LIST_VERSIONS,
            thresholds=thresholds,
        )

    def screen_identifier(self, kind: str, value: str, lists: list[str] | None = None) -> list[Hit]:
        """No listed identifiers: the fake knows names only."""
        return []

    def scan_text(
        self, text: str, lists: list[str] | None = None, thresholds: Thresholds | None = None
    ) -> list[TextHit]:
        """No names inside free text: the fake knows whole names only."""
        return []


class ClearScreener:
    """As fast as a screener can be: one prebuilt answer, so only batch overhead is measured."""

    def __init__(self) -> None:
        self._result = ScreeningResult(
            query=Query(name="x"),
            decision=Decision.CLEAR,
            hits=[],
            list_versions=LIST_VERSIONS,
            thresholds=Thresholds(),
        )

    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        return self._result

    def screen_identifier(self, kind: str, value: str, lists: list[str] | None = None) -> list[Hit]:
        return []

    def scan_text(
        self, text: str, lists: list[str] | None = None, thresholds: Thresholds | None = None
    ) -> list[TextHit]:
        return []


class FailingScreener(FakeScreener):
    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        if len(self.queries) == 2:
            raise RuntimeError("database went away")
        return super().screen_query(query, thresholds)


def write_rows(
    path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def csv_rows(path: Path, delimiter: str = ",") -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def batch(tmp_path: Path, content: bytes, out: str = "out.jsonl", **options: Any) -> BatchSummary:
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    return run_batch(source, tmp_path / out, FakeScreener(), BatchOptions(**options))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())
