"""Time of the whole coalition analysis over every list the toolkit reads (target: < 60 s).

Loads every list of ../shared/data/lists the toolkit reads into a fresh store, each dataset's
dated history versions first (oldest first: they give the first-seen dates and delistings),
then its newest file: OFAC SDN (five history CSVs, then sdn.csv) and the non-SDN consolidated
XML (three versions), the UK ConList (2023, then 2025), the UN list (five history versions,
then the newest), Canada (2020, then the newest), Australia, Japan MOF and METI, the US CSL
fixture and the EU legacy 2016 subset (the only EU file of any size; no complete EU file
exists offline). The store is cached in bench/.cache/analytics-<hash of the file table>.db
(``--reload`` rebuilds it); the load time is reported apart from the analysis.

Then it times, in one process: the screener's index build over the loaded lists (the
**baseline**: every figure is also given as a ratio to it), `build_coalition`, each analysis
(overlap, lag, trends, hubs, divergence) for the scope, and the HTML report from those
results (the report's own time is rendering only): the cold path of a first command. Apart,
it times writing and reading the cluster cache (`analytics.cache`: what a second command
pays), and prints the load average, since a busy machine slows every step.

    python bench/analytics.py [--lists ../shared/data/lists] [--scope russia] [--reload]
                              [--report FILE] [--json FILE]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this folder would shadow the project root on sys.path (see accuracy.py).
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any, TypeVar  # noqa: E402

from bench.matching import csl_complete  # noqa: E402
from lists import open_list  # noqa: E402
from screening import Screener  # noqa: E402
from screening.coalition.analytics.cache import (  # noqa: E402
    cache_material,
    cache_path,
    coalition_data,
    write_cache,
)
from screening.coalition.analytics.clusters import build_coalition  # noqa: E402
from screening.coalition.analytics.divergence import divergence  # noqa: E402
from screening.coalition.analytics.hubs import hubs  # noqa: E402
from screening.coalition.analytics.lag import lag  # noqa: E402
from screening.coalition.analytics.overlap import overlap  # noqa: E402
from screening.coalition.analytics.report import Figures, write_report  # noqa: E402
from screening.coalition.analytics.scopes import scope as scope_named  # noqa: E402
from screening.coalition.analytics.trends import trends  # noqa: E402
from screening.store import ListStore  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
DEFAULT_LISTS = ROOT.parent / "shared" / "data" / "lists"
TARGET_SECONDS = 60.0

# (path relative to the lists folder, publication date when the file carries none). Oldest
# first per dataset: a newer publication becomes the active version, an older one would not.
OFAC_HISTORY = ("2024-02-20", "2024-02-23", "2024-04-26", "2024-05-01", "2024-05-02")
UN_HISTORY = ("2018-08-24", "2018-10-29", "2025-12-09", "2026-01-28", "2026-02-27")
FILES: tuple[tuple[str, str | None], ...] = (
    *((f"ofac/history/sdn_csv/{day}/sdn.csv", day) for day in OFAC_HISTORY),
    ("ofac/sdn.csv", "2024-05-03"),  # PROVENANCE.md: downloaded 2024-05-03
    *(
        (f"ofac/consolidated_xml/{day}/consolidated.xml", None)
        for day in ("2025-10-22", "2025-12-18", "2026-01-08")
    ),
    ("uk/history/2023-06-05/ConList.xlsx", None),
    ("uk/ConList.xlsx", None),
    *((f"un/history/{day}/consolidated.xml", None) for day in UN_HISTORY),
    ("un/consolidated.xml", None),
    # Canada's files state no date: PROVENANCE.md's commit days (the 2020 file numbers its
    # entries in an older layout: 1,154 renumbered entries, 104 real delistings).
    ("ca/history/2020-04/sema-lmes.xml", "2020-04-15"),
    ("ca/sema-lmes.xml", "2025-09-22"),
    ("au/regulation8_consolidated.xlsx", None),
    ("jp/mof/shisantouketsu20260305.xlsx", None),
    ("jp/meti/end_user_list_20250929.xlsx", None),
    ("eu/fixtures/legacy_2016_FSD_WHOLE/data.xml", None),
)

# The cached store is named after the file table: changing a file or a date reloads it.
STORE_FILE = CACHE / (
    "analytics-" + hashlib.sha256(json.dumps(FILES).encode()).hexdigest()[:12] + ".db"
)

T = TypeVar("T")


def load_store(url: str, lists: Path) -> list[dict[str, Any]]:
    """Load every file (history first); the real delistings between versions are allowed."""
    store = ListStore(url)
    loaded = []
    paths = [(lists / relative, day) for relative, day in FILES]
    paths.append((csl_complete(lists, CACHE), None))
    for path, day in paths:
        published = dt.date.fromisoformat(day) if day else None
        # A history version can drop more than the shrink guard allows (the UN list lost a
        # hundred entries between 2018 and 2025): those are real delistings, kept.
        result = store.load(open_list(path), published_on=published, allow_shrink=True)
        for part in result.datasets:
            loaded.append(
                {
                    "file": str(path.relative_to(lists) if path.is_relative_to(lists) else path),
                    "dataset": part.version.dataset,
                    "published_on": part.version.published_on.isoformat(),
                    "entities": part.version.entity_count,
                    "active": part.active,
                }
            )
    store.engine.dispose()
    return loaded


def _no_build() -> Screener:
    raise AssertionError("the cluster cache was not read")


def _load(averages: tuple[float, float, float]) -> str:
    return "/".join(f"{value:.2f}" for value in averages)


def timed(steps: dict[str, float], name: str, work: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = work()
    steps[name] = time.perf_counter() - start
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=DEFAULT_LISTS)
    parser.add_argument("--scope", default="russia")
    parser.add_argument("--reload", action="store_true", help="rebuild the cached store")
    parser.add_argument("--report", type=Path, default=CACHE / "analytics-report.html")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    CACHE.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{STORE_FILE}"
    load_seconds = None
    if args.reload or not STORE_FILE.exists():
        STORE_FILE.unlink(missing_ok=True)
        start = time.perf_counter()
        loaded = load_store(url, args.lists)
        load_seconds = time.perf_counter() - start
        print(f"loaded {len(loaded)} dataset versions into {STORE_FILE} in {load_seconds:.1f} s")
    store = ListStore(url)
    versions = store.active_versions()
    print(
        f"store: {len(versions)} active datasets, {sum(v.entity_count for v in versions)} entries"
    )

    steps: dict[str, float] = {}
    cached: dict[str, float] = {}
    load_before = os.getloadavg()
    scope = scope_named(args.scope)
    index_dir = Path(tempfile.mkdtemp(prefix="analytics-index-"))
    try:
        # The baseline: one index build of the screener over the same lists, in this process.
        screener = timed(
            steps, "index build (baseline)", lambda: Screener(store, index_dir=index_dir)
        )
        data = timed(steps, "build_coalition", lambda: build_coalition(store, screener))
        figures = Figures(
            overlap=timed(steps, "overlap", lambda: overlap(data, scope)),
            lag=timed(steps, "lag", lambda: lag(data, scope)),
            trends=timed(steps, "trends", lambda: trends(data, scope)),
            hubs=timed(steps, "hubs", lambda: hubs(data, scope)),
        )
        timed(steps, "divergence", lambda: divergence(data, scope))
        timed(
            steps,
            "report",
            lambda: write_report(data, scope, args.report, versions=versions, figures=figures),
        )
        # What a second `coalition analyze` command pays: the cluster cache that the first
        # command wrote, read back. Not part of the cold analysis total.
        material = cache_material(store)
        path = cache_path(index_dir, material)
        timed(cached, "cache write", lambda: write_cache(path, material, data))
        again = timed(
            cached, "cache read", lambda: coalition_data(store, _no_build, index_dir=index_dir)
        )
        assert again.model_dump_json() == data.model_dump_json(), "the cache changed the clusters"
    finally:
        shutil.rmtree(index_dir, ignore_errors=True)
    baseline = steps["index build (baseline)"]
    analysis = sum(seconds for name, seconds in steps.items() if name != "index build (baseline)")
    print(f"\n{'step':26} {'seconds':>8} {'x index build':>14}")
    for name, seconds in steps.items():
        print(f"{name:26} {seconds:8.2f} {seconds / baseline:14.2f}")
    print(f"{'analysis total':26} {analysis:8.2f} {analysis / baseline:14.2f}")
    total = analysis + baseline
    verdict = "within" if total < TARGET_SECONDS else "OVER"
    print(
        f"{'with the index build':26} {total:8.2f}  ({verdict} the {TARGET_SECONDS:.0f} s target)"
    )
    for name, seconds in cached.items():
        print(f"{name:26} {seconds:8.2f} {seconds / baseline:14.2f}  (cluster cache, apart)")
    load_after = os.getloadavg()
    print(f"load average (1/5/15 min): before {_load(load_before)}, after {_load(load_after)}")
    delistings = trends(data).totals
    print(
        f"\n{len(data.clusters)} clusters, {len(data.uncertain)} uncertain pairs, "
        f"{len(data.renumbered)} renumbered entries, delistings "
        + ", ".join(f"{total.member} {total.delistings}" for total in delistings)
        + f"; members {', '.join(data.members)}; report: {args.report}"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "load_seconds": load_seconds,
                    "steps": {name: round(seconds, 3) for name, seconds in steps.items()},
                    "analysis_seconds": round(analysis, 3),
                    "ratio_to_index_build": round(analysis / baseline, 3),
                    "cache_seconds": {name: round(seconds, 3) for name, seconds in cached.items()},
                    "load_average": {"before": load_before, "after": load_after},
                    "renumbered": len(data.renumbered),
                    "clusters": len(data.clusters),
                    "uncertain": len(data.uncertain),
                    "entries": sum(v.entity_count for v in versions),
                },
                indent=2,
            )
            + "\n"
        )
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
