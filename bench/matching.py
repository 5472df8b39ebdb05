"""Every figure of issue 11 in one run: two labelled sets, alert rates, ROC, speed, memory.

    python bench/matching.py [--quick] [--no-baseline] [--json PATH] [--markdown PATH]

- Set A: bench/variants.py's queries, screened with OFAC SDN + non-SDN + UK + UN loaded
  (the store of bench/accuracy.py, cached in bench/.cache/screening.db).
- Set B: bench/independent_set.py's queries, screened with every list loaded (those four plus
  Canada, Australia, Japan MOF and METI, the US CSL; bench/.cache/matching-all.db), and its
  OFAC/UK/UN-target subset (with every clean name and near miss) screened with set A's lists,
  so that the two sets are compared on the same lists ("B: OFAC+UK+UN").
- Per set: recall per kind and overall, clean alert rate overall and per schema, near-miss
  alert rate, the ROC view (recall at clean-alert rates of 0.1 %, 0.3 %, 1 %, sweeping a
  threshold over the top hit's score: a labelled query counts at threshold t when an
  expected entry scores >= t, a clean one alerts when its top hit does), names/s (one
  process, full explanations), index build and load time, RSS.
- The engine as imported: pure Python, or compiled with mypyc (`COALITION_COMPILE=1`; run
  the script from a tree holding the compiled modules, as scripts/compiled_tests.sh builds).
- Memory per process: a fresh Python process opens each screener from the saved index,
  screens one name and reports its peak RSS.
- Baseline in the same process: bench/accuracy.py's rapidfuzz token_sort_ratio over every
  listed name, at the cutoff whose clean-alert rate is no higher than the engine's.
- Headline figures (overall recall, clean and near-miss alert rates, recall at 0.1 %) that
  differ by more than one point between A and B are printed as disagreements.

Hits below the report threshold (0.60) are not returned, so ROC thresholds below it are
reported as the recall at 0.60 (marked "floor"). The US CSL file is a cut excerpt: its last,
unfinished record is left out (lines 1-4232, as tests/lists/us_csl do). The EU has no complete
file in the data and is not loaded. ``--quick`` (smaller sets, no baseline) runs in about a
minute once the stores are cached.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this folder would shadow the project root on sys.path (see accuracy.py).
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterable, Sequence  # noqa: E402
from typing import Any  # noqa: E402

from bench import independent_set  # noqa: E402
from bench.accuracy import (  # noqa: E402
    CACHE,
    DEFAULT_LISTS,
    Baseline,
    Outcome,
    QueryScreener,
    active_entries,
    baseline_outcomes,
    calibrate_cutoff,
    peak_rss_mb,
    prepare_store,
    rss_mb,
    run_baseline,
    run_engine,
)
from bench.variants import Case  # noqa: E402
from lists import open_list  # noqa: E402
from screening.matching import compiled_modules  # noqa: E402

CLEAN, NEAR_MISS = "clean", "near_miss"
EXTRA_LISTS = (
    "ca/sema-lmes.xml",
    "au/regulation8_consolidated.xlsx",
    "jp/mof/shisantouketsu20260305.xlsx",
    "jp/meti/end_user_list_20250929.xlsx",
)
CSL_EXCERPT = "us_csl/fixtures/watchman_2023-11/csl.csv"
CSL_COMPLETE_LINES = 4232  # line 4233 starts a record the excerpt cuts off
SUBSET_DATASETS = frozenset({"ofac_sdn", "ofac_consolidated", "uk_ofsi", "un_sc"})
ROC_RATES = (0.001, 0.003, 0.01)
REPORT_FLOOR = 0.60
HEADLINES = ("recall", "clean", "near_miss", "recall@0.1%")

# --------------------------------------------------------------------------------------------
# Stores and screeners
# --------------------------------------------------------------------------------------------


def csl_complete(lists: Path, cache: Path) -> Path:
    """The CSL excerpt without its cut-off last record (the adapter refuses a cut file)."""
    target = cache / "us_csl" / "csl.csv"
    lines = (lists / CSL_EXCERPT).read_bytes().split(b"\n")
    content = b"\n".join(lines[:CSL_COMPLETE_LINES]) + b"\n"
    if not target.exists() or target.read_bytes() != content:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return target


def prepare_all_lists(url: str, lists: Path, cache: Path) -> float:
    """Set A's lists and every other complete list in one store; returns the seconds taken."""
    from screening.store import ListStore

    start = time.perf_counter()
    prepare_store(url, lists, cache)
    store = ListStore(url)
    for path in [*(lists / p for p in EXTRA_LISTS), csl_complete(lists, cache)]:
        store.load(open_list(path))
    store.engine.dispose()
    return time.perf_counter() - start


def index_figures(
    url: str, label: str, reuse: bool = False
) -> tuple[QueryScreener, dict[str, Any]]:
    """Build the index (timed), load it again (timed) and measure a fresh process's memory.

    With ``reuse`` the index saved in bench/.cache by an earlier run is loaded instead of
    built (build time then not measured: None).
    """
    from screening import Screener
    from screening.matching.index import NameIndex

    saved = CACHE / f"matching-index-{label}"
    index_dir = saved if reuse else Path(tempfile.mkdtemp(prefix=f"index-{label}-"))
    index_dir.mkdir(parents=True, exist_ok=True)
    files = set(index_dir.iterdir())
    before = rss_mb()
    start = time.perf_counter()
    Screener.open(url, index_dir=index_dir)
    build: float | None = time.perf_counter() - start
    if files and set(index_dir.iterdir()) == files:
        build = None  # an index saved earlier was loaded: nothing was built
    grown = rss_mb() - before
    start = time.perf_counter()
    screener = Screener.open(url, index_dir=index_dir)
    open_seconds = time.perf_counter() - start
    path = max(index_dir.iterdir(), key=lambda p: p.stat().st_mtime)
    start = time.perf_counter()
    NameIndex.load(path)
    load = time.perf_counter() - start
    figures = {
        "build_seconds": build,
        "load_seconds": load,
        "open_from_saved_seconds": open_seconds,
        "index_file_mb": path.stat().st_size / 2**20,
        "rss_growth_build_mb": grown,
        "fresh_process": fresh_process_memory(url, index_dir),
        "names": len(screener.index.names),
        "entries": len(screener.index.entities),
    }
    if not reuse:
        shutil.rmtree(index_dir, ignore_errors=True)
    return screener, figures


_FRESH = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from screening import Screener
s = Screener.open(sys.argv[1], index_dir=Path(sys.argv[2]))
s.screen("Vladimir PUTIN", type="person")
rss = int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"rss_mb": rss, "peak_rss_mb": peak, "seconds": time.perf_counter() - start}))
"""


def fresh_process_memory(url: str, index_dir: Path) -> dict[str, float]:
    """What one worker process costs: start, open the saved index, screen one name."""
    done = subprocess.run(
        [sys.executable, "-c", _FRESH, url, str(index_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    try:
        figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"error": float("nan")}
    return figures


# --------------------------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------------------------


def summarize(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Recall per kind and group, alert rates per schema, the ROC view."""
    kinds: dict[str, list[int]] = {}
    groups: dict[str, list[int]] = {}
    alerts: dict[str, list[int]] = {}
    for case, outcome in zip(cases, outcomes, strict=True):
        if case.labelled:
            for table, key in ((kinds, case.kind), (groups, f"{case.kind}: {case.group}")):
                tally = table.setdefault(key, [0, 0])
                tally[0] += 1
                tally[1] += bool(outcome.found)
        else:
            for key in (case.kind, f"{case.kind} {case.schema}"):
                tally = alerts.setdefault(key, [0, 0])
                tally[0] += 1
                tally[1] += outcome.alert
    labelled = [o for c, o in zip(cases, outcomes, strict=True) if c.labelled]

    def rates(table: dict[str, list[int]]) -> dict[str, dict[str, float]]:
        return {k: {"queries": n, "count": x, "rate": x / n} for k, (n, x) in sorted(table.items())}

    return {
        "recall": sum(bool(o.found) for o in labelled) / len(labelled) if labelled else 0.0,
        "labelled": len(labelled),
        "kinds": rates(kinds),
        "groups": rates(groups),
        "alerts": rates(alerts),
        "roc": roc(cases, outcomes),
        "errors": sum(1 for o in outcomes if o.error),
        "examples": examples(cases, outcomes),
    }


def examples(
    cases: Sequence[Case], outcomes: Sequence[Outcome], per_kind: int = 5
) -> dict[str, list[str]]:
    """The first few misses per labelled kind and false alerts per unlabelled kind and schema."""
    shown: dict[str, list[str]] = {}
    for case, outcome in zip(cases, outcomes, strict=True):
        wrong = not outcome.found if case.labelled else outcome.alert
        key = case.kind if case.labelled else f"{case.kind} {case.schema}"
        if wrong and len(shown.setdefault(key, [])) < per_kind:
            top = str(outcome.top) if outcome.top else "no hit"
            shown[key].append(f"{case.query!r} <- {case.base!r} ({case.how}); top: {top}")
    return {key: items for key, items in shown.items() if items}


def roc(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> dict[str, dict[str, float]]:
    """Recall at the lowest top-hit threshold whose clean-alert rate is within each rate."""
    clean = sorted(
        (o.top.score if o.top else 0.0)
        for c, o in zip(cases, outcomes, strict=True)
        if c.kind == CLEAN
    )
    found = [
        (o.expected_best.score if o.expected_best else 0.0)
        for c, o in zip(cases, outcomes, strict=True)
        if c.labelled
    ]
    if not clean or not found:
        return {}
    view = {}
    for rate in ROC_RATES:
        allowed = int(rate * len(clean))  # clean names that may score at or above the threshold
        # Just above the score of the clean name ranked `allowed` from the top.
        threshold = clean[-allowed - 1] + 1e-9 if allowed < len(clean) else 0.0
        threshold = max(threshold, REPORT_FLOOR)
        view[f"{rate * 100:g}%"] = {
            "threshold": threshold,
            "recall": sum(1 for s in found if s >= threshold) / len(found),
            "clean_rate": sum(1 for s in clean if s >= threshold) / len(clean),
            "floor": threshold == REPORT_FLOOR,
        }
    return view


def headline(summary: dict[str, Any]) -> dict[str, float]:
    alerts = summary["alerts"]
    return {
        "recall": summary["recall"],
        "clean": alerts.get(CLEAN, {}).get("rate", 0.0),
        "near_miss": alerts.get(NEAR_MISS, {}).get("rate", 0.0),
        "recall@0.1%": summary["roc"].get("0.1%", {}).get("recall", 0.0),
    }


def disagreements(columns: dict[str, dict[str, Any]]) -> list[str]:
    """Headline figures and shared kinds where set A and a set B column differ by > 1 point."""
    notes = []
    a = columns.get("A")
    for name in ("B: OFAC+UK+UN", "B: all lists"):
        b = columns.get(name)
        if a is None or b is None:
            continue
        pairs = [(k, headline(a)[k], headline(b)[k]) for k in HEADLINES]
        pairs += [
            (f"recall {kind}", a["kinds"][kind]["rate"], b["kinds"][kind]["rate"])
            for kind in sorted(set(a["kinds"]) & set(b["kinds"]))
        ]
        notes += [
            f"A vs {name}: {what} {x * 100:.1f}% vs {y * 100:.1f}% ({(y - x) * 100:+.1f} points)"
            for what, x, y in pairs
            if abs(x - y) > 0.01
        ]
    return notes


# --------------------------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------------------------


def screen(screener: QueryScreener, cases: Sequence[Case], label: str) -> dict[str, Any]:
    run = run_engine(
        screener,
        cases,
        progress=lambda n: print(f"\r  {label} {n}/{len(cases)}", end="", file=sys.stderr),
    )
    print(file=sys.stderr)
    summary = summarize(cases, run.outcomes)
    summary["names_per_second"] = run.names_per_second
    summary["rss_max_mb"] = max((mb for _, mb in run.rss_samples), default=rss_mb())
    return summary


def baseline_column(
    names: Iterable[tuple[str, tuple[str, str]]], cases: Sequence[Case], engine_clean: float
) -> dict[str, Any]:
    """The rapidfuzz baseline at the cutoff that alerts on no more clean names than the engine."""
    baseline = Baseline(names)
    run = run_baseline(baseline, cases)
    cutoff = calibrate_cutoff(run, cases, engine_clean)
    summary = summarize(cases, baseline_outcomes(run, cases, cutoff))
    summary["roc"] = {}  # the baseline's outcomes carry no hit scores
    summary["names_per_second"] = run.names_per_second
    summary["cutoff"] = cutoff
    return summary


def set_a_cases(url: str, quick: bool) -> list[Case]:
    from bench.variants import build

    listed = active_entries(url)
    clean = 900 if quick else 3000
    return build(
        listed,
        seed=7,
        sample=60 if quick else 300,
        clean_persons=clean * 2 // 3,
        clean_companies=clean - clean * 2 // 3,
        near_misses=300 if quick else 1000,
    ).cases


def set_b(url: str, quick: bool) -> tuple[list[independent_set.Entry], list[Case], dict[str, Any]]:
    from screening.store import ListStore

    store = ListStore(url)
    entries = [
        independent_set.Entry.of(entity)
        for version in store.active_versions()
        for entity in store.entities(version.id)
    ]
    store.engine.dispose()
    sizes = {"sample": 60, "clean_persons": 400, "clean_organizations": 250}
    sizes |= {"clean_vessels": 250, "near_misses": 300}
    made = independent_set.build(entries, **({} if not quick else sizes))
    return entries, made.cases, made.stats


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sets, no baseline, indexes saved by an earlier run reused",
    )
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--lists", type=Path, default=DEFAULT_LISTS)
    parser.add_argument("--json", type=Path, help="write the whole report here")
    parser.add_argument("--markdown", type=Path, help="write the README table here ('-': print)")
    args = parser.parse_args(argv)
    CACHE.mkdir(parents=True, exist_ok=True)
    url_a = f"sqlite:///{CACHE / 'screening.db'}"
    url_b = f"sqlite:///{CACHE / 'matching-all.db'}"
    started = time.perf_counter()
    prepare_store(url_a, args.lists, CACHE)
    prepare_all_lists(url_b, args.lists, CACHE)
    screener_a, index_a = index_figures(url_a, "a", reuse=args.quick)
    screener_b, index_b = index_figures(url_b, "b", reuse=args.quick)
    cases_a = set_a_cases(url_a, args.quick)
    entries_b, cases_b, stats_b = set_b(url_b, args.quick)
    subset = [c for c in cases_b if not c.labelled or c.locale in SUBSET_DATASETS]
    columns = {
        "A": screen(screener_a, cases_a, "A"),
        "B: all lists": screen(screener_b, cases_b, "B all"),
        "B: OFAC+UK+UN": screen(screener_a, subset, "B subset"),
    }
    if not (args.quick or args.no_baseline):
        columns["baseline A"] = baseline_column(
            ((n.full, e.key) for e in active_entries(url_a) for n in e.names),
            cases_a,
            headline(columns["A"])["clean"],
        )
        columns["baseline B"] = baseline_column(
            ((n.text, e.key) for e in entries_b for n in e.names),
            cases_b,
            headline(columns["B: all lists"])["clean"],
        )
    compiled = compiled_modules()
    report = {
        # Pure Python, or compiled with mypyc (`COALITION_COMPILE=1`, docs/speed.md).
        "engine": f"compiled with mypyc ({len(compiled)} modules)" if compiled else "pure Python",
        "index": {"A (OFAC+UK+UN)": index_a, "B (all lists)": index_b},
        "set_b": stats_b,
        "columns": columns,
        "disagreements": disagreements(columns),
        "peak_rss_mb": peak_rss_mb(),
        "seconds": time.perf_counter() - started,
    }
    from bench.matching_report import markdown

    table = markdown(report)
    print(table)
    if args.markdown and str(args.markdown) != "-":
        args.markdown.write_text(table)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
