"""The alert queue (SQLite and PostgreSQL): filters by dataset, score and age, counts that agree
with the listing, counts per status, paging, and the listed entity's full record."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from lists.base import ListFile
from lists.model import Source
from screening import Screener
from screening.store import ListStore
from screening.workflow.recorder import AlertStatus, Recorder
from tests.screening.workflow.test_recorder import PETROV, SMIRNOVA, TEST_FORMAT, _load

EU_FORMAT = dataclasses.replace(TEST_FORMAT, name="test-eu-jsonl", source=Source.EU)

# The EU lists Petrov too, with the full record the alert page shows.
EU_PETROV: dict[str, object] = {
    "source": "eu",
    "entry_id": "EU.77.12",
    "schema": "person",
    "names": [{"full": "IVAN PETROV"}, {"full": "IVAN PETROFF", "kind": "alias"}],
    "identifiers": [{"type": "passport", "value": "AB123456", "country": "RU"}],
    "addresses": [{"city": "Moscow", "country": "RU"}],
    "programs": ["RUS"],
    "listed_on": "2022-03-15",
}


def _load_eu(store: ListStore, tmp_path: Path) -> int:
    path = tmp_path / "eu.jsonl"
    path.write_text(json.dumps(EU_PETROV) + "\n")
    path.with_suffix(".date").write_text("2026-01-01")
    listed = ListFile(path=path, format=EU_FORMAT, published=dt.date(2026, 1, 1))
    return store.load(listed).version.id


@pytest.fixture
def recorder(store: ListStore, tmp_path: Path) -> Recorder:
    _load(store, tmp_path, "2026-01-01", [PETROV, SMIRNOVA])
    _load_eu(store, tmp_path)
    return Recorder(store)


def _screen(recorder: Recorder, screener: Screener, name: str, customer: str) -> list[int]:
    result = screener.screen(name, type="person")
    recorded = recorder.record_screening(result, customer_ref=customer, requested_by="t")
    return [alert.id for alert in recorded.alerts]


def test_filters_counts_and_status_counts_agree(
    recorder: Recorder, store: ListStore, tmp_path: Path
) -> None:
    screener = Screener(store, index_dir=tmp_path / "index")
    petrov = _screen(recorder, screener, "Ivan Petrov", "C-1")  # un_sc and eu_fsf
    middle = dt.datetime.now(dt.UTC)
    olga = _screen(recorder, screener, "Olga Smirnova", "C-2")  # un_sc only
    everything = recorder.alerts()
    assert len(petrov) == 2 and len(olga) == 1 and len(everything) == 3
    by_id = {alert.id: alert for alert in everything}
    assert sorted(by_id[i].dataset or "" for i in petrov) == ["eu_fsf", "un_sc"]

    def listed(**filters: object) -> list[int]:
        found = [a.id for a in recorder.alerts(**filters)]  # type: ignore[arg-type]
        assert recorder.count_alerts(**filters) == len(found), filters  # type: ignore[arg-type]
        return found

    assert listed() == petrov + olga
    assert listed(dataset="eu_fsf") == [i for i in petrov if by_id[i].dataset == "eu_fsf"]
    assert listed(dataset="un_sc") == [i for i in petrov + olga if by_id[i].dataset == "un_sc"]
    assert listed(dataset="uk_ofsi") == []
    assert listed(created_before=middle) == petrov
    assert listed(created_after=middle) == olga
    assert listed(customer_ref="C-2", dataset="un_sc") == olga
    scores = sorted({a.score for a in everything})
    lowest = scores[0]
    assert listed(max_score=lowest) == [a.id for a in everything if a.score <= lowest]
    assert listed(min_score=lowest + 1e-9) == [a.id for a in everything if a.score > lowest]
    assert listed(min_score=1.01) == []
    # Paging: the same alerts, in order, a page at a time.
    assert [a.id for a in recorder.alerts(limit=2)] + [
        a.id for a in recorder.alerts(limit=2, offset=2)
    ] == petrov + olga

    recorder.decide(olga[0], "false_positive", reason="other DOB", analyst="ana")
    recorder.decide(petrov[0], "true_match", reason="same", analyst="ana", four_eyes=True)
    counts = recorder.status_counts()
    assert counts == {
        AlertStatus.OPEN: 1,
        AlertStatus.PENDING: 1,
        AlertStatus.SUPPRESSED: 0,
        AlertStatus.DECIDED: 1,
    }
    for status, number in counts.items():
        assert recorder.count_alerts(status=status) == number == len(listed(status=status))
    assert recorder.status_counts(customer_ref="C-2")[AlertStatus.DECIDED] == 1
    assert recorder.status_counts(customer_ref="C-2")[AlertStatus.PENDING] == 0
    assert listed(status=AlertStatus.PENDING, created_before=middle) == [petrov[0]]
    with pytest.raises(ValueError, match="timezone-aware"):
        recorder.alerts(created_before=dt.datetime(2026, 1, 1))


def test_the_alert_shows_the_listed_entity_record(
    recorder: Recorder, store: ListStore, tmp_path: Path
) -> None:
    screener = Screener(store, index_dir=tmp_path / "index")
    [eu_alert] = [
        alert_id
        for alert_id in _screen(recorder, screener, "Ivan Petrov", "C-1")
        if recorder.alert(alert_id).dataset == "eu_fsf"  # type: ignore[union-attr]
    ]
    detail = recorder.alert(eu_alert)
    assert detail is not None and detail.entity is not None
    entity = detail.entity
    assert (entity["source"], entity["dataset"], entity["entry_id"], entity["schema"]) == (
        "eu",
        "eu_fsf",
        "EU.77.12",
        "person",
    )
    assert [(n["full"], n["kind"]) for n in entity["names"]] == [
        ("IVAN PETROV", "primary"),
        ("IVAN PETROFF", "alias"),
    ]
    assert [(i["type"], i["value"], i["country"]) for i in entity["identifiers"]] == [
        ("passport", "AB123456", "RU")
    ]
    assert [(a["city"], a["country"]) for a in entity["addresses"]] == [("Moscow", "RU")]
    assert (entity["programs"], entity["listed_on"]) == (["RUS"], "2022-03-15")

    # Once the version the alert cites is deleted, the alert stays, without the record.
    store.delete_version(_version_of(store, "eu_fsf"))
    gone = recorder.alert(eu_alert)
    assert gone is not None and gone.entity is None and gone.entry_id == "EU.77.12"


def _version_of(store: ListStore, dataset: str) -> int:
    [version] = [v.id for v in store.versions() if v.dataset == dataset]
    return version
