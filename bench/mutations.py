"""Do the matching tests notice a change of the scoring? Source mutations, one at a time.

Issue 11 (deliverable 5): every declared feature constant and every decision boundary must be
pinned by a test whose expected number changes with it. This script proves it. It copies the
project (``git ls-files``, tracked and untracked-but-not-ignored files, as they are on disk) to a
temporary folder, never touching the working tree, and applies one mutation at a time there:

- every declared `Constant` of ``screening/matching/features`` (found through
  ``screening.matching.algorithm.FEATURES`` in the copy) set to 0 and to another plausible value
  (``alternatives``); the generic-word cap 0.55 -> 0.74 named in the issue;
- the default match / review / report thresholds moved by 0.05 either way;
- every ``>=`` / ``>`` / ``<`` of the decision (the screener's bands, the settling of a shared
  identifier, the order of the thresholds) and of the floors the features compare with
  (``COMPARISONS``) flipped.

After each mutation ``docs/matching.md`` is regenerated in the copy (as a developer changing a
constant would), so the test that the document is current never catches a mutation by itself.
Then ``python -m pytest -q -x tests/screening/matching`` runs in the copy (PYTHONPATH pointing
at it), the pinned tests first so that a caught mutation stops within seconds. A mutation is
*caught* when the tests fail, *missed* when they pass. The table goes to standard output and
the script exits 1 when any mutation is missed or cannot be applied::

    python bench/mutations.py                 # every mutation, the whole matching folder
    python bench/mutations.py --only GENERIC  # mutations whose name contains GENERIC
    python bench/mutations.py --tests tests/screening/matching/features  # quicker iteration
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from queue import Queue

PROJECT = Path(__file__).resolve().parents[1]
# The real-file tests read ../shared/data next to the project: the copy gets the same neighbour.
SHARED = PROJECT.parent / "shared"
MATCHING_TESTS = "tests/screening/matching"
# Run first, so that -x stops at the first pinned test that notices the mutation.
PINNED_TESTS = ("tests/screening/matching/features", "tests/screening/matching/test_pinned.py")
FEATURES_DIR = "screening/matching"
DOCS = "docs/matching.md"
TIMEOUT_SECONDS = 1200

# Mutations of a constant that no input can notice, with the reason; listed, not run.
EQUIVALENT = {
    ("FUZZY_MIN_LENGTH", "0"): (
        "words shorter than 4 letters never reach SHORT_FUZZY_FLOOR anyway (3 letters "
        "against 4 is an edit similarity of 0.75 at best); the guard only saves time"
    ),
}

# (name, file, exact source text, replacement): each text must occur exactly once.
COMPARISONS: tuple[tuple[str, str, str, str], ...] = (
    ("report band: score < report -> <=", "screening/matching/screener.py",
     "if score < thresholds.report:", "if score <= thresholds.report:"),
    ("match band: score >= match -> >", "screening/matching/screener.py",
     "if score >= thresholds.match:", "if score > thresholds.match:"),
    ("review band: score >= review -> >", "screening/matching/screener.py",
     "elif score >= thresholds.review:", "elif score > thresholds.review:"),
    ("shared identifier settles: delta >= value -> >", "screening/matching/algorithm.py",
     "score.delta >= value", "score.delta > value"),
    ("thresholds order: report <= review -> <", "screening/matching/results.py",
     "self.report <= self.review <= self.match", "self.report < self.review <= self.match"),
    ("thresholds order: review <= match -> <", "screening/matching/results.py",
     "self.report <= self.review <= self.match", "self.report <= self.review < self.match"),
    ("fuzzy floor: similarity >= floor -> >", "screening/matching/features/tokens.py",
     "if similarity >= (SHORT_FUZZY_FLOOR if short else FUZZY_FLOOR):",
     "if similarity > (SHORT_FUZZY_FLOOR if short else FUZZY_FLOOR):"),
    ("vowels only: similarity >= VOWELS_ONLY_SIMILARITY -> >",
     "screening/matching/features/tokens.py",
     ">= VOWELS_ONLY_SIMILARITY", "> VOWELS_ONLY_SIMILARITY"),
    ("joined floor: similarity >= JOINED_FLOOR -> >", "screening/matching/features/names.py",
     "if similarity >= JOINED_FLOOR else None", "if similarity > JOINED_FLOOR else None"),
    ("generic words: weight >= generic_below -> >", "screening/matching/features/names.py",
     ">= generic_below", "> generic_below"),
    ("initials: evidence >= generic_below -> >", "screening/matching/features/initials.py",
     "evidence >= generic_below", "evidence > generic_below"),
    ("birth year near: <= BIRTH_YEAR_TOLERANCE -> <", "screening/matching/features/secondary.py",
     "<= BIRTH_YEAR_TOLERANCE", "< BIRTH_YEAR_TOLERANCE"),
)  # fmt: skip

# The default thresholds (screening/matching/results.py), each moved 0.05 either way.
THRESHOLD_DEFAULT = r"(?P<head>{field}: float = Field\(\s*default=)(?P<value>[0-9.]+)"


@dataclass(frozen=True, slots=True)
class Mutation:
    name: str
    path: str  # relative to the project
    old: str  # the exact source text replaced (found once)
    new: str


@dataclass(frozen=True, slots=True)
class Outcome:
    mutation: Mutation
    result: str  # caught, missed, not applied
    seconds: float
    detail: str  # the first failing test, or why it was not applied


def copy_project(target: Path) -> Path:
    """The project's files (tracked, and untracked but not ignored) copied under target/main."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    root = target / "main"
    for relative in filter(None, listing.split("\0")):
        source = PROJECT / relative
        if source.is_file():  # (a file deleted but not yet staged is listed too)
            destination = root / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
    (target / "shared").symlink_to(SHARED, target_is_directory=True)
    return root


def _environment(root: Path, index_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root)
    env["COALITION_INDEX_DIR"] = str(index_dir)  # a cached index never outlives a mutation
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def declared_constants(root: Path) -> list[tuple[str, str]]:
    """(feature, constant) for every declared constant, as the copy declares them."""
    program = (
        "import json; from screening.matching.algorithm import FEATURES; "
        "print(json.dumps([[f.name, c.name] for f in FEATURES for c in f.constants]))"
    )
    with tempfile.TemporaryDirectory() as index_dir:
        done = subprocess.run(
            [sys.executable, "-c", program],
            cwd=root,
            env=_environment(root, Path(index_dir)),
            capture_output=True,
            text=True,
            check=True,
        )
    return [(feature, constant) for feature, constant in json.loads(done.stdout)]


def alternatives(literal: str) -> list[str]:
    """0 and another plausible value of a constant written `literal` (int or float)."""
    value = float(literal)
    if "." not in literal and "e" not in literal.lower():
        whole = int(value)
        return ["0", str(whole + 1)] if whole != 0 else ["1", "2"]
    if value == 0:
        return ["0.05", "-0.05"]
    if abs(value) < 0.1:
        other = value * 2  # small deltas and shares: a step of 0.05 would be a leap
    elif 0 < value <= 0.95:
        other = value + 0.05
    elif value > 0:
        other = value - 0.05
    else:
        other = value + 0.05
    return ["0.0", repr(round(other, 6))]


def constant_mutations(root: Path, constants: Iterable[tuple[str, str]]) -> list[Mutation]:
    """Each declared constant, at its one literal definition, set to each alternative."""
    sources = {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in (root / FEATURES_DIR).rglob("*.py")
    }
    mutations = []
    for feature, name in constants:
        pattern = re.compile(rf"^{name} = (?P<value>-?[0-9][0-9_.eE+-]*)[ \t]*(#.*)?$", re.M)
        found = [(path, m) for path, text in sources.items() for m in pattern.finditer(text)]
        if len(found) != 1:
            mutations.append(Mutation(f"{feature}.{name}: definition not found", "", "", ""))
            continue
        path, match = found[0]
        literal = match["value"]
        values = alternatives(literal)
        if name == "GENERIC_CEILING":
            values.append("0.74")  # the change the issue says went unnoticed
        for value in values:
            if (name, value) in EQUIVALENT:
                continue
            line = match.group(0)
            new = line.replace(f"= {literal}", f"= {value}", 1)
            mutations.append(Mutation(f"{name} {literal} -> {value}", path, line, new))
    return mutations


def threshold_mutations(root: Path) -> list[Mutation]:
    path = "screening/matching/results.py"
    text = (root / path).read_text(encoding="utf-8")
    mutations = []
    for field in ("match", "review", "report"):
        match = re.search(THRESHOLD_DEFAULT.format(field=field), text)
        if match is None:
            mutations.append(Mutation(f"default {field} threshold: not found", "", "", ""))
            continue
        value = float(match["value"])
        for other in (value - 0.05, value + 0.05):
            new = f"{match['head']}{other:.2f}"
            mutations.append(
                Mutation(f"default {field} threshold {value:g} -> {other:.2f}", path, match[0], new)
            )
    return mutations


def all_mutations(root: Path) -> list[Mutation]:
    comparisons = [Mutation(*fields) for fields in COMPARISONS]
    return [
        *constant_mutations(root, declared_constants(root)),
        *threshold_mutations(root),
        *comparisons,
    ]


def _pytest_command(tests: Sequence[str], deselect_postgres: bool) -> list[str]:
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
    if deselect_postgres:
        # (workers running at once would reset one PostgreSQL test database under each other)
        command += ["-k", "not postgresql"]
    return [*command, *tests]


def _first_failure(output: str) -> str:
    for line in output.splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line.split(" - ")[0]
    return output.strip().splitlines()[-1] if output.strip() else ""


def run_one(root: Path, mutation: Mutation, command: list[str]) -> Outcome:
    """Apply one mutation in the copy, regenerate the document, run the tests, restore."""
    started = time.perf_counter()
    if not mutation.path:
        return Outcome(mutation, "not applied", 0.0, "no such definition in the copy")
    target = root / mutation.path
    original = target.read_text(encoding="utf-8")
    if original.count(mutation.old) != 1:
        found = original.count(mutation.old)
        return Outcome(mutation, "not applied", 0.0, f"source text found {found} times")
    docs = root / DOCS
    original_docs = docs.read_text(encoding="utf-8")
    target.write_text(original.replace(mutation.old, mutation.new), encoding="utf-8")
    try:
        passed, detail = run_tests(root, command, regenerate_docs=True)
    finally:
        target.write_text(original, encoding="utf-8")
        docs.write_text(original_docs, encoding="utf-8")
    result = "missed" if passed else "caught"
    return Outcome(mutation, result, time.perf_counter() - started, detail)


def run_tests(root: Path, command: list[str], regenerate_docs: bool = False) -> tuple[bool, str]:
    """Whether the tests pass in the copy, and the first failing test when they do not."""
    with tempfile.TemporaryDirectory() as index_dir:
        env = _environment(root, Path(index_dir))
        if regenerate_docs:
            regenerate = [sys.executable, "-m", "screening.matching.algorithm", "--output", DOCS]
            subprocess.run(regenerate, cwd=root, env=env, capture_output=True, check=False)
        try:
            done = subprocess.run(
                command,
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return False, "timed out"
    if done.returncode == 0:
        return True, ""
    return False, _first_failure(done.stdout + done.stderr)


def render(outcomes: Sequence[Outcome]) -> str:
    lines = ["| # | mutation | file | result | s | noticed by |", "|---|---|---|---|---|---|"]
    for number, o in enumerate(outcomes, 1):
        where = o.mutation.path.removeprefix("screening/matching/")
        lines.append(
            f"| {number} | {o.mutation.name} | {where} | {o.result} | {o.seconds:.1f} | "
            f"{o.detail.removeprefix('FAILED ')} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--only", help="run only the mutations whose name contains this text")
    parser.add_argument("--tests", nargs="+", help=f"test paths (default: {MATCHING_TESTS})")
    parser.add_argument("--workers", type=int, default=1, help="copies run at once (default 1)")
    options = parser.parse_args(argv)
    tests = options.tests or [*PINNED_TESTS, MATCHING_TESTS]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mutations-") as folder:
        roots = [copy_project(Path(folder) / f"w{i}") for i in range(options.workers)]
        mutations = all_mutations(roots[0])
        if options.only:
            mutations = [m for m in mutations if options.only.lower() in m.name.lower()]
        command = _pytest_command(tests, deselect_postgres=options.workers > 1)
        baseline_started = time.perf_counter()
        # (alone, the baseline runs every test, PostgreSQL included)
        passed, detail = run_tests(roots[0], _pytest_command(tests, deselect_postgres=False))
        baseline_seconds = time.perf_counter() - baseline_started
        if not passed:  # a mutation is only caught by tests that pass without it
            print(f"the unmutated copy fails its tests: {detail}", file=sys.stderr)
            return 2
        free: Queue[Path] = Queue()
        for root in roots:
            free.put(root)

        def work(mutation: Mutation) -> Outcome:
            root = free.get()
            try:
                outcome = run_one(root, mutation, command)
            finally:
                free.put(root)
            print(f"{outcome.result:>11}  {mutation.name}", file=sys.stderr, flush=True)
            return outcome

        with ThreadPoolExecutor(max_workers=options.workers) as pool:
            outcomes = list(pool.map(work, mutations))
    print(render(outcomes))
    for reason in sorted({(name, value, why) for (name, value), why in EQUIVALENT.items()}):
        print(f"\nnot run, equivalent: {reason[0]} -> {reason[1]}: {reason[2]}")
    caught = sum(o.result == "caught" for o in outcomes)
    print(
        f"\n{caught} of {len(outcomes)} mutations caught; baseline {baseline_seconds:.0f} s; "
        f"{time.perf_counter() - started:.0f} s in all ({options.workers} worker(s), "
        f"tests: {' '.join(tests)})"
    )
    return 0 if caught == len(outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
