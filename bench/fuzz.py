"""A long, seeded fuzz run over every reader, counting how each damaged file was answered.

The same seeds, mutations and property as the CI fuzz tests (``tests/fuzz``): small excerpts of
the real shared files (`tests.fuzz.seeds`), damaged by truncation, byte flips, NUL insertion,
re-encoding, duplicated or removed lines and, for XLSX, damaged archives and members
(`tests.fuzz.mutations`), then judged by `tests.fuzz.checks`. Where the tests stop at the first
failure, this run goes on and counts, per reader:

  examples   mutants read
  accepted   read, every entity valid and no more than the bytes can hold
  refused    refused with the module's own error, one line, naming the file
  violations the module's own error type, but the property broken (a multi-line message, a
             message without the file, too many entities, a half-stored load)
  crashes    any other exception, or an example over --timeout seconds (a hang)

The first few distinct violations and crashes are printed with the mutation that made them, so
that each can be rebuilt by hand. Hypothesis draws the examples from --seed (no shrinking, no
example database): the same seed and count give the same run.

    python bench/fuzz.py --examples 2000 --seed 1 [--readers un-xml,tx-json] [--store-every 50]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder comes first on sys.path: put the project root there.
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from dataclasses import asdict, dataclass, field  # noqa: E402
from types import FrameType  # noqa: E402

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from tests.fuzz.checks import PropertyViolation, check_for, store_and_check  # noqa: E402
from tests.fuzz.mutations import Mutant, mutants  # noqa: E402
from tests.fuzz.seeds import READERS, Seed, build_seed  # noqa: E402

SHOWN_PROBLEMS = 5


class ExampleTimeout(Exception):
    """One example ran past --timeout seconds."""


@dataclass
class Tally:
    reader: str
    examples: int = 0
    accepted: int = 0
    refused: int = 0
    violations: int = 0
    crashes: int = 0
    seconds: float = 0.0
    # signature -> first mutation that produced it
    problems: dict[str, str] = field(default_factory=dict)

    def problem(self, signature: str, mutation: str) -> None:
        self.problems.setdefault(signature[:300], mutation)


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise ExampleTimeout


def fuzz_reader(
    reader: str, examples: int, run_seed: int, timeout: int, store_every: int, work: Path
) -> Tally:
    """Run `examples` mutants of one reader's seed and count the answers."""
    seed_file: Seed = build_seed(reader)
    check = check_for(reader)
    tally = Tally(reader)
    started = time.perf_counter()

    @seed(run_seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(mutant=mutants(seed_file.data, seed_file.is_xlsx))
    def run(mutant: Mutant) -> None:
        folder = work / f"{reader}-{tally.examples}"
        tally.examples += 1
        judge = check
        if store_every and seed_file.name in _LIST_READERS and tally.examples % store_every == 0:
            judge = store_and_check
        signal.alarm(timeout)
        try:
            verdict = judge(folder, seed_file, mutant.data)
        except PropertyViolation as violation:
            tally.violations += 1
            detail = str(violation).replace(str(folder.resolve()), "<dir>")
            tally.problem(f"violation: {violation.kind}", f"{mutant.description} ({detail})")
            return
        except ExampleTimeout:
            tally.crashes += 1
            tally.problem(f"hang: over {timeout} s", mutant.description)
            return
        except Exception as error:
            tally.crashes += 1
            where = _origin(error)
            tally.problem(f"crash: {type(error).__name__} at {where}", mutant.description)
            return
        finally:
            signal.alarm(0)
            shutil.rmtree(folder, ignore_errors=True)
        if verdict.accepted:
            tally.accepted += 1
        else:
            tally.refused += 1

    run()
    tally.seconds = time.perf_counter() - started
    return tally


_LIST_READERS = frozenset(r for r in READERS if r != "batch-csv" and not r.startswith("tx-"))


def _origin(error: BaseException) -> str:
    """The innermost project frame of a traceback: where the crash escaped the reader."""
    frame = error.__traceback__
    where = "?"
    while frame is not None:
        filename = frame.tb_frame.f_code.co_filename
        if filename.startswith(str(ROOT)) and "/tests/" not in filename:
            where = f"{Path(filename).relative_to(ROOT)}:{frame.tb_lineno}"
        frame = frame.tb_next
    return where


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="mutants per reader")
    parser.add_argument("--seed", type=int, default=1, help="Hypothesis seed")
    parser.add_argument("--readers", default=",".join(READERS), help="comma-separated names")
    parser.add_argument("--timeout", type=int, default=30, help="seconds before an example hangs")
    parser.add_argument(
        "--store-every", type=int, default=0, help="load every n-th list mutant into SQLite"
    )
    parser.add_argument("--json", type=Path, help="also write the counts here")
    args = parser.parse_args(argv)
    readers = [name for name in args.readers.split(",") if name]
    unknown = sorted(set(readers) - set(READERS))
    if unknown:
        parser.error(f"unknown readers {unknown}; known: {', '.join(READERS)}")
    warnings.simplefilter("ignore")  # openpyxl's complaints about damaged workbooks
    signal.signal(signal.SIGALRM, _on_alarm)
    tallies = []
    header = f"{'reader':20} {'examples':>8} {'accepted':>8} {'refused':>8} {'violations':>10}"
    print(f"{header} {'crashes':>7} {'seconds':>7}", flush=True)
    with tempfile.TemporaryDirectory(prefix="fuzz-") as work:
        for reader in readers:
            tally = fuzz_reader(
                reader, args.examples, args.seed, args.timeout, args.store_every, Path(work)
            )
            tallies.append(tally)
            print(
                f"{tally.reader:20} {tally.examples:8} {tally.accepted:8} {tally.refused:8} "
                f"{tally.violations:10} {tally.crashes:7} {tally.seconds:7.1f}",
                flush=True,
            )
            for signature, mutation in list(tally.problems.items())[:SHOWN_PROBLEMS]:
                print(f"    {signature}\n      first from: {mutation}", flush=True)
    total = sum(t.examples for t in tallies)
    bad = sum(t.violations + t.crashes for t in tallies)
    print(f"{total} examples, {bad} violations or crashes (seed {args.seed})")
    if args.json:
        args.json.write_text(json.dumps([asdict(t) for t in tallies], indent=1) + "\n")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
