"""Same results, faster? Dump every answer of the engine to the accuracy benchmark's queries,
compare two dumps, and time one engine against another on the same machine in the same run.

A speed-up of the matcher must not change a single answer. ``dump`` screens the query set of
bench/accuracy.py (same store, same seed, same sizes) and writes one JSON line per query: the
decision and, for every hit, its list entry, score (rounded to 6 places), decision, the complete
explanation (matched name, name score, every aligned token, every secondary feature) and the
cross-list links. ``compare`` reports every query whose line differs. ``speed`` runs ``dump``
for this tree and for another git revision (extracted with ``git archive``), each in its own
process, alternately, and prints names/s (CPU time, so that other load on the machine counts
less), index build and load time and memory side by side::

    python bench/compare_results.py dump /tmp/before.jsonl --quick
    python bench/compare_results.py compare /tmp/before.jsonl /tmp/after.jsonl
    python bench/compare_results.py speed --baseline-ref main --quick --rounds 2

The query set is cached in bench/.cache (building it with faker takes about 15 s); ``--engine-root
DIR`` imports the engine from another source tree (how ``speed`` runs the baseline).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _fixed_hash_seed(argv: list[str]) -> None:
    """Run again with PYTHONHASHSEED=0: some explanations depend on set order (which of two
    links between the same entries is named), and two dumps must differ only where the
    engine does."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, *argv], {**os.environ, "PYTHONHASHSEED": "0"})


def _engine_root_first(argv: list[str]) -> None:
    """Put --engine-root (else this tree) first on sys.path, before the engine is imported."""
    root = ROOT
    if "--engine-root" in argv:
        root = Path(argv[argv.index("--engine-root") + 1]).resolve()
    if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
        sys.path[0] = str(root)
    else:
        sys.path.insert(0, str(root))


_fixed_hash_seed(sys.argv)
_engine_root_first(sys.argv)

import argparse  # noqa: E402
import gc  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from typing import Any  # noqa: E402

CACHE = ROOT / "bench" / ".cache"


def _sizes(args: argparse.Namespace) -> tuple[int, int, int]:
    """(per labelled kind, clean names, near misses) as bench/accuracy.py chooses them."""
    if args.quick:
        return 100, 900, 300
    return 300, 3000, 1000


def query_set(url: str, seed: int, sizes: tuple[int, int, int]) -> list[Any]:
    """The accuracy benchmark's cases for this store, cached by the active versions' hashes."""
    from bench.accuracy import active_entries
    from bench.variants import build
    from screening.store import ListStore

    store = ListStore(url)
    hashes = sorted(v.sha256 for v in store.active_versions())
    store.engine.dispose()
    key = hashlib.sha256(json.dumps([hashes, seed, sizes]).encode()).hexdigest()[:16]
    cached = CACHE / f"cases-{key}.pickle"
    if cached.exists():
        with cached.open("rb") as handle:
            cases: list[Any] = pickle.load(handle)
        return cases
    sample, clean, near = sizes
    persons = round(clean * 2 / 3)
    benchmark = build(
        active_entries(url),
        seed=seed,
        sample=sample,
        clean_persons=persons,
        clean_companies=clean - persons,
        near_misses=near,
    )
    CACHE.mkdir(parents=True, exist_ok=True)
    with cached.open("wb") as handle:
        pickle.dump(benchmark.cases, handle)
    return benchmark.cases


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def _answer(case: Any, result: Any) -> dict[str, Any]:
    return {
        "query": case.query,
        "type": case.schema,
        "decision": result.decision.value,
        "hits": [
            {
                "entry": f"{hit.source.value}:{hit.dataset}:{hit.entry_id}",
                "score": round(hit.score, 6),
                "decision": hit.decision.value,
                "explanation": hit.explanation.model_dump(mode="json"),
                "also_listed": [
                    f"{a.source.value}:{a.entry_id} {a.linked_by}" for a in hit.also_listed
                ],
            }
            for hit in result.hits
        ],
    }


def dump(args: argparse.Namespace) -> dict[str, Any]:
    """Build and load the index, screen every case, write the answers; return the timings."""
    from bench.accuracy import prepare_store, to_query
    from screening import Screener

    url = args.db or f"sqlite:///{CACHE / 'screening.db'}"
    prepare_store(url, args.lists, CACHE)
    cases = query_set(url, args.seed, _sizes(args))
    queries = [to_query(case) for case in cases]
    index_dir = Path(tempfile.mkdtemp(prefix="compare-index-"))
    try:
        start = time.perf_counter()
        screener = Screener.open(url, index_dir=index_dir)
        build_seconds = time.perf_counter() - start
        del screener
        gc.collect()
        rss_before_load = _rss_mb()
        start = time.perf_counter()
        screener = Screener.open(url, index_dir=index_dir)
        load_seconds = time.perf_counter() - start
        index_bytes = sum(p.stat().st_size for p in index_dir.iterdir())
    finally:
        shutil.rmtree(index_dir, ignore_errors=True)
    rss_loaded = _rss_mb()
    # The query store lookup (active versions) is part of opening, not of the load of the file.
    results = []
    cpu = wall = 0.0
    for query in queries:
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        result = screener.screen_query(query)
        cpu += time.process_time() - cpu_start
        wall += time.perf_counter() - wall_start
        results.append(result)
    if args.output:
        with args.output.open("w", encoding="utf-8") as handle:
            for case, result in zip(cases, results, strict=True):
                handle.write(json.dumps(_answer(case, result), ensure_ascii=False) + "\n")
    from screening.matching import compiled_modules

    return {
        "engine_root": str(Path(sys.path[0]).resolve()),
        "compiled_modules": len(compiled_modules()),
        "queries": len(queries),
        "names_per_cpu_second": len(queries) / cpu,
        "names_per_wall_second": len(queries) / wall,
        "index_build_seconds": build_seconds,
        "index_load_seconds": load_seconds,
        "index_file_mb": index_bytes / 2**20,
        "rss_before_load_mb": rss_before_load,
        "rss_after_screening_mb": _rss_mb(),
        "rss_index_loaded_mb": rss_loaded,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def compare(before: Path, after: Path, show: int) -> int:
    """Print the queries answered differently; 0 when every answer is the same."""
    old = before.read_text(encoding="utf-8").splitlines()
    new = after.read_text(encoding="utf-8").splitlines()
    if len(old) != len(new):
        print(f"different query counts: {len(old)} and {len(new)}")
        return 1
    differing = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    for a, b in differing[:show]:
        left, right = json.loads(a), json.loads(b)
        print(f"query {left['query']!r} ({left['type']}):")
        print(f"  before: {_summary(left)}")
        print(f"  after:  {_summary(right)}")
        if _summary(left) == _summary(right):
            print(f"  explanations differ:\n    {a}\n    {b}")
    print(f"{len(differing)} of {len(old)} answers differ")
    return 1 if differing else 0


def _summary(answer: dict[str, Any]) -> str:
    hits = ", ".join(f"{h['entry']} {h['score']} {h['decision']}" for h in answer["hits"])
    return f"{answer['decision']} [{hits}]"


def speed(args: argparse.Namespace) -> int:
    """This tree against --baseline-ref, alternately in fresh processes, --rounds times each."""
    baseline_root = Path(tempfile.mkdtemp(prefix="compare-baseline-"))
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", args.baseline_ref],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(baseline_root)], input=archive, check=True)
    runs: dict[str, list[dict[str, Any]]] = {"baseline": [], "this tree": []}
    try:
        for _round in range(args.rounds):
            for label, root in (("baseline", baseline_root), ("this tree", ROOT)):
                command = [sys.executable, str(Path(__file__).resolve()), "dump", "--engine-root"]
                command += [str(root), "--seed", str(args.seed), "--lists", str(args.lists)]
                command += ["--quick"] if args.quick else []
                command += ["--db", args.db] if args.db else []
                output = subprocess.run(command, check=True, capture_output=True, text=True)
                runs[label].append(json.loads(output.stdout.splitlines()[-1]))
    finally:
        shutil.rmtree(baseline_root, ignore_errors=True)
    fields = [
        "names_per_cpu_second",
        "names_per_wall_second",
        "index_build_seconds",
        "index_load_seconds",
        "index_file_mb",
        "rss_index_loaded_mb",
        "peak_rss_mb",
    ]
    print(f"{'best of ' + str(args.rounds):24} {args.baseline_ref:>14} {'this tree':>14}")
    for name in fields:
        better = max if name.startswith("names") else min
        cells = [better(r[name] for r in runs[label]) for label in runs]
        print(f"{name:24} {cells[0]:14.2f} {cells[1]:14.2f}")
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("dump", "speed"):
        sub = commands.add_parser(name)
        sub.add_argument("--quick", action="store_true", help="accuracy.py --quick's query set")
        sub.add_argument("--seed", type=int, default=7)
        sub.add_argument("--db", help="store URL (default: bench/.cache/screening.db)")
        sub.add_argument("--lists", type=Path, default=ROOT.parent / "shared" / "data" / "lists")
    dump_parser = commands.choices["dump"]
    dump_parser.add_argument("output", type=Path, nargs="?", help="answers file (JSON lines)")
    dump_parser.add_argument("--engine-root", type=Path, help="import the engine from here")
    speed_parser = commands.choices["speed"]
    speed_parser.add_argument("--baseline-ref", default="main", help="git revision to time")
    speed_parser.add_argument("--rounds", type=int, default=2)
    speed_parser.add_argument("--json", type=Path, help="write every run's figures here")
    compare_parser = commands.add_parser("compare")
    compare_parser.add_argument("before", type=Path)
    compare_parser.add_argument("after", type=Path)
    compare_parser.add_argument("--show", type=int, default=20)
    args = parser.parse_args(argv)
    if args.command == "compare":
        return compare(args.before, args.after, args.show)
    if args.command == "speed":
        return speed(args)
    print(json.dumps(dump(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
