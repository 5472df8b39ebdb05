"""The fuzz property, for every reader: read the damaged file, then judge what came back.

Reading a mutated file must end in one of two ways:

- accepted: every entity is a valid `lists.model.Entity` (it survives a round trip through
  validation) and there are no more of them than the bytes could hold (`capacity`); for the
  batch readers, every row is a record or a row ``error`` whose reason is one line;
- refused: the module's own error type (`lists.ListReadError`/`UnknownFormatError`,
  `screening.batch.errors.BatchInputError`) with a one-line message that names the file.

Anything else (another exception type, a multi-line or anonymous message, too many entities)
raises `PropertyViolation`; another exception simply propagates. `store_and_check` adds the
storage half: a refused file leaves a fresh SQLite `ListStore` with zero versions, an accepted
one stores exactly the entities that were read.

Not a test module: the tests in this folder and ``bench/fuzz.py`` share it.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lists import ListReadError, open_list
from lists.model import Entity
from screening.batch.errors import BatchInputError
from screening.batch.names import BatchOptions, run_batch
from screening.batch.transactions import read_transactions
from screening.store import ListStore
from tests.fuzz.seeds import Seed
from tests.screening.batch.support import FakeScreener

# The element that starts one record, per XML format: a file cannot hold more entities.
RECORD_TAGS: dict[str, str] = {
    "ofac-xml": "sdnEntry",
    "ofac-advanced-xml": "DistinctParty",
    "uk-fcdo-xml": "Designation",
    "eu-fsf-xml": "sanctionEntity",
    "eu-legacy-xml": "ENTITY",
    "un-xml": "INDIVIDUAL|ENTITY",
    "ca-sema-xml": "record",
}
# Every byte sequence that some reader may take for a line end (csv, str.splitlines).
_LINE_BREAKS = re.compile(rb"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85]|\xe2\x80[\xa8\xa9]")
_BATCH_DECISIONS = {"match", "review", "clear", "error"}


class PropertyViolation(AssertionError):
    """A reader's answer breaks the fuzz property: `kind` says which part, the message how."""

    def __init__(self, kind: str, detail: str) -> None:
        self.kind = kind
        super().__init__(f"{kind}: {detail}")


@dataclass(frozen=True)
class Verdict:
    """How a reader answered one mutant: accepted (with a count) or refused (with the error)."""

    accepted: bool
    count: int = 0
    error: str = ""


def write_files(folder: Path, seed: Seed, data: bytes) -> Path:
    """The seed's files in `folder`, the target replaced by `data`; the path to hand a reader."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in seed.files.items():
        (folder / name).write_bytes(data if name == seed.target else content)
    return (folder / seed.opened).resolve()


# -- what the bytes could hold ---------------------------------------------------------------


def _views(data: bytes) -> list[bytes]:
    # Record tags and line breaks are ASCII. In UTF-16 or UTF-32 (any byte order, any
    # alignment: a NUL inserted into UTF-16 shifts what follows by one byte) an ASCII character
    # is its own byte plus NULs, so the bytes without their NULs show every one of them.
    return [data, data.replace(b"\0", b"")]


def line_capacity(data: bytes) -> int:
    """One more than the line breaks in any decoding: no line-based reader yields more rows."""
    return 1 + max(len(_LINE_BREAKS.findall(view)) for view in _views(data))


def _xlsx_rows(workbook: bytes) -> int | None:
    try:
        with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
            return sum(archive.read(name).count(b"<row") for name in sheets)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, zipfile.LargeZipFile):
        return None


def capacity(seed: Seed, data: bytes) -> int:
    """The most entities (or rows) that `data` could honestly hold for this seed's reader."""
    if seed.is_xlsx:
        rows = _xlsx_rows(data)
        return rows if rows is not None else (_xlsx_rows(seed.data) or 0)
    tag = RECORD_TAGS.get(seed.name)
    if tag is not None:
        start = re.compile(rf"<(?:{tag})[\s>/]".encode())
        return max(len(start.findall(view)) for view in _views(data))
    if seed.name == "tx-json":
        return 1 + max(view.count(b",") for view in _views(data))
    # Line-based files; for the OFAC set every companion file's lines count as well.
    others = sum(line_capacity(c) for name, c in seed.files.items() if name != seed.target)
    return line_capacity(data) + others


# -- refusals --------------------------------------------------------------------------------


def check_refusal(error: Exception, path: Path) -> str:
    """The message of a refusal, after checking it is one line and names the file."""
    message = str(error)
    if "\n" in message or "\r" in message:
        raise PropertyViolation(f"{type(error).__name__} message is not one line", repr(message))
    named = [str(path)]
    if path.is_dir():  # an OFAC CSV directory: naming the member file at fault is as good
        named += [str(member) for member in path.iterdir()]
    if not any(name in message for name in named):
        kind = f"{type(error).__name__} message does not name the file"
        raise PropertyViolation(kind, f"{path} not in {message!r}")
    return message


# -- the readers -----------------------------------------------------------------------------


def read_list(folder: Path, seed: Seed, data: bytes) -> Verdict:
    """`lists.open_list` on the mutant, every entity validated and counted."""
    path = write_files(folder, seed, data)
    try:
        entities = list(open_list(path).entities())
    except ListReadError as error:
        return Verdict(False, error=check_refusal(error, path))
    for entity in entities:
        if not isinstance(entity, Entity):
            raise PropertyViolation("not an Entity", type(entity).__name__)
        # A reader that built the model without validation (model_construct) is caught here.
        Entity.model_validate(entity.model_dump(by_alias=True))
    most = capacity(seed, data)
    if len(entities) > most:
        raise PropertyViolation("more entities than records", f"{len(entities)} > {most}")
    return Verdict(True, len(entities))


def store_and_check(folder: Path, seed: Seed, data: bytes) -> Verdict:
    """Load the mutant into a fresh SQLite store: all of it, or nothing at all."""
    path = write_files(folder, seed, data)
    store = ListStore(f"sqlite:///{folder / 'store.db'}")
    try:
        try:
            listed = open_list(path)
            result = store.load(listed)
        except ListReadError as error:
            message = check_refusal(error, path)
            left = store.versions()
            if left:
                kind = "a refused file left versions"
                raise PropertyViolation(kind, f"{left}: {message}") from None
            return Verdict(False, error=message)
        stored = sum(part.version.entity_count for part in result.datasets)
        read = sum(1 for _ in open_list(path).entities())
        if stored != read:
            raise PropertyViolation("stored count differs", f"stored {stored}, read {read}")
        return Verdict(True, stored)
    finally:
        store.engine.dispose()


def run_party_batch(folder: Path, seed: Seed, data: bytes) -> Verdict:
    """`run_batch` over the mutant with a fake screener: records, or a refusal and no output."""
    path = write_files(folder, seed, data)
    output = folder / "screened.jsonl"
    try:
        summary = run_batch(path, output, FakeScreener(), BatchOptions())
    except BatchInputError as error:
        if output.exists():
            raise PropertyViolation("output left after a refusal", str(error)) from None
        return Verdict(False, error=check_refusal(error, path))
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    if len(records) != summary.rows:
        raise PropertyViolation("records differ from rows", f"{len(records)} != {summary.rows}")
    for record in records:
        _check_row(record["decision"] in _BATCH_DECISIONS, record["decision"], record["error"])
    most = line_capacity(data)
    if len(records) > most:
        raise PropertyViolation("more records than lines", f"{len(records)} > {most}")
    return Verdict(True, len(records))


def read_tx(folder: Path, seed: Seed, data: bytes) -> Verdict:
    """`read_transactions` over the mutant: every row a transaction or a one-line problem."""
    path = write_files(folder, seed, data)
    try:
        rows = list(read_transactions(path))
    except BatchInputError as error:
        return Verdict(False, error=check_refusal(error, path))
    for row in rows:
        decision = "error" if row.transaction is None else "clear"
        _check_row((row.transaction is None) != (row.problem is None), decision, row.problem)
    most = capacity(seed, data)
    if len(rows) > most:
        raise PropertyViolation("more rows than records", f"{len(rows)} > {most}")
    return Verdict(True, len(rows))


def _check_row(well_formed: bool, decision: str, problem: str | None) -> None:
    if not well_formed:
        raise PropertyViolation("row neither read nor refused", f"{decision} / {problem!r}")
    if decision == "error" and (not problem or "\n" in problem or "\r" in problem):
        raise PropertyViolation("row error reason is not one line", repr(problem))


Check = Callable[[Path, Seed, bytes], Verdict]


def check_for(reader: str) -> Check:
    """The property check of a reader named as in `tests.fuzz.seeds.READERS`."""
    if reader == "batch-csv":
        return run_party_batch
    if reader.startswith("tx-"):
        return read_tx
    return read_list
