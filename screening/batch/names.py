"""Batch screening of names: a CSV of parties in, one screening record per row out.

The core is a Python API that bank code can call without the CLI:

    from screening import Screener
    from screening.batch.names import BatchOptions, run_batch

    summary = run_batch(Path("customers.csv"), Path("screened.jsonl"), Screener.open())

or, for rows that are already in memory or come from elsewhere, `screen_rows` (one
`BatchRecord` per row, lazily, in order) and `Columns`.

Input: any CSV as `screening.batch.inputs` reads it (encoding and delimiter sniffed, blank
rows skipped and counted). Columns are found by name among common names (`NAME_COLUMNS`,
`TYPE_COLUMNS`, `COUNTRY_COLUMNS`, `BIRTH_DATE_COLUMNS`) unless given; only the name column
is required.

Output: exactly one record per non-blank data row, in input order (`screening.batch.runner`),
written as `screening.batch.writers` describes. ``row`` is the 1-based data row number (the
header is row 0, blank rows count) and ``line`` the physical line where the row starts.

- ``.jsonl``: row, line, decision (match, review, clear or error), top_score, hits (source,
  entry_id, name, matched_name, schema, score, decision, programs, also_listed), input
  (column -> value, as read), error (the reason, or null) and, for rows with too many fields,
  extra_fields.
- ``.csv``: the input columns, then decision, top_score, hit_count, top_hits
  ("ofac:12345 NAME (0.93); un:..."; the best `TOP_HITS_IN_CSV`) and error.

A row gets decision ``error`` (with a reason) and the run goes on when it cannot be read
(wrong field count, undecodable bytes, control characters such as NUL, an unbalanced quote
that swallowed the lines after it, which are then read again as rows of their own, or a
stretch past `MAX_ROW_CHARS`; `screening.batch.inputs` has the rules), has an empty name,
an unknown type (person/individual, organization/organisation/entity/company, vessel/ship
and aircraft are understood, case-insensitively) or a value the screener rejects (an
unknown country, an unreadable birth date, a name over 500 characters). Blank lines get no
record; the summary says how many were skipped.

Exit codes of ``coalition batch`` (0/1/2/3 as for every ``coalition`` command):
  0  every row screened (with or without hits)
  1  the input cannot be read as a whole (missing, empty, binary, no header) or has no name
     column (the error lists the columns), the output cannot be written, or no lists are
     loaded; no output is written
  2  usage error (unknown option, threshold outside 0..1, output not .csv/.jsonl or the
     input file itself)
  3  the database could not be reached; no output is written
  4  finished and wrote every record, but some rows have decision ``error``
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import ValidationError

from screening.batch.checkpoint import file_output
from screening.batch.errors import (
    BatchError,
    BatchInputError,
    BatchOutputError,
    BatchUsageError,
    MissingColumnError,
)
from screening.batch.inputs import (
    DELIMITERS,
    MAX_ROW_CHARS,
    ONE_COLUMN_DELIMITER,
    CsvInput,
    InputRow,
    find_column,
    read_head,
    sniff_delimiter,
    sniff_encoding,
    unique_keys,
)
from screening.batch.runner import ERROR, BatchSummary, ProgressCallback, Scale, run
from screening.batch.writers import (
    CsvWriter,
    JsonlWriter,
    OutputFormat,
    atomic_output,
    escape_cell,
    output_format,
)
from screening.matching.results import (
    Decision,
    Hit,
    ListVersionRef,
    Query,
    ScreeningResult,
    Thresholds,
)
from screening.matching.screener import parse_schema

# Re-exported: this module was the whole batch package and callers import these from here.
__all__ = [
    "ADDED_CSV_COLUMNS",
    "BIRTH_DATE_COLUMNS",
    "COUNTRY_COLUMNS",
    "DELIMITERS",
    "ERROR",
    "MAX_ROW_CHARS",
    "NAME_COLUMNS",
    "ONE_COLUMN_DELIMITER",
    "TOP_HITS_IN_CSV",
    "TYPE_COLUMNS",
    "BatchError",
    "BatchInputError",
    "BatchOptions",
    "BatchOutputError",
    "BatchRecord",
    "BatchSummary",
    "BatchUsageError",
    "ColumnChoice",
    "Columns",
    "CsvInput",
    "CsvWriter",
    "InputRow",
    "JsonlWriter",
    "MissingColumnError",
    "OutputFormat",
    "ProgressCallback",
    "QueryScreener",
    "RowDecision",
    "ScreenerOrFactory",
    "atomic_output",
    "build_query",
    "escape_cell",
    "open_screener",
    "output_format",
    "read_head",
    "run_batch",
    "screen_query_row",
    "screen_row",
    "screen_rows",
    "sniff_delimiter",
    "sniff_encoding",
    "thresholds_with_report",
    "top_hits_text",
    "unique_keys",
]

RowDecision = Literal["match", "review", "clear", "error"]

NAME_DECISIONS = ("match", "review", "clear")
_DECISIONS: Mapping[Decision, RowDecision] = {
    Decision.MATCH: "match",
    Decision.REVIEW: "review",
    Decision.CLEAR: "clear",
}

NAME_COLUMNS = (
    "name",
    "full_name",
    "fullname",
    "party_name",
    "customer_name",
    "client_name",
    "counterparty_name",
    "counterparty",
    "beneficiary_name",
    "entity_name",
    "account_name",
    "legal_name",
    "company_name",
)
TYPE_COLUMNS = ("type", "entity_type", "schema", "party_type", "customer_type", "kind")
COUNTRY_COLUMNS = (
    "country",
    "nationality",
    "country_code",
    "citizenship",
    "country_of_residence",
    "residence_country",
)
BIRTH_DATE_COLUMNS = ("dob", "birth_date", "date_of_birth", "birthdate", "born")

TOP_HITS_IN_CSV = 5
ADDED_CSV_COLUMNS = ("decision", "top_score", "hit_count", "top_hits", "error")


@runtime_checkable
class QueryScreener(Protocol):
    """What batch needs of a screener (`screening.Screener` is one)."""

    def screen_query(
        self, query: Query, thresholds: Thresholds | None = None
    ) -> ScreeningResult: ...


ScreenerOrFactory = QueryScreener | Callable[[], QueryScreener]


def open_screener(screener: ScreenerOrFactory) -> QueryScreener:
    """The screener itself, or what the factory makes (the factory is called here)."""
    return screener if isinstance(screener, QueryScreener) else screener()


# -- columns ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnChoice:
    """Columns asked for by the caller (matched case-insensitively); None: detect."""

    name: str | None = None
    type: str | None = None
    country: str | None = None
    birth_date: str | None = None


@dataclass(frozen=True, slots=True)
class Columns:
    """The input columns (row keys) each query field is read from."""

    name: str
    type: str | None = None
    country: str | None = None
    birth_date: str | None = None

    @classmethod
    def detect(cls, header: Sequence[str], chosen: ColumnChoice | None = None) -> Columns:
        """Resolve the chosen columns or find them among the common names; only name is needed."""
        chosen = chosen or ColumnChoice()
        name = find_column(header, "name", chosen.name, NAME_COLUMNS)
        if name is None:
            raise MissingColumnError(
                "name",
                f"no name column: looked for {', '.join(NAME_COLUMNS)} (any case); "
                "name the column explicitly (--name-column)",
                header,
            )
        return cls(
            name=name,
            type=find_column(header, "type", chosen.type, TYPE_COLUMNS),
            country=find_column(header, "country", chosen.country, COUNTRY_COLUMNS),
            birth_date=find_column(header, "birth date", chosen.birth_date, BIRTH_DATE_COLUMNS),
        )

    def description(self) -> str:
        """The columns for a person: ``name 'x', type none, ...``."""
        return (
            f"name {self.name!r}, type {_shown(self.type)}, country {_shown(self.country)}, "
            f"birth date {_shown(self.birth_date)}"
        )


def _shown(column: str | None) -> str:
    return repr(column) if column else "none"


# -- screening -------------------------------------------------------------------------------


@dataclass(slots=True)
class BatchRecord:
    """The outcome for one input row."""

    row: int
    input: dict[str, str]
    decision: RowDecision
    hits: list[Hit] = field(default_factory=list)
    error: str | None = None
    line: int | None = None
    extra_fields: list[str] = field(default_factory=list)
    list_versions: list[ListVersionRef] = field(default_factory=list)

    @property
    def top_score(self) -> float | None:
        return self.hits[0].score if self.hits else None

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "row": self.row,
            "line": self.line,
            "decision": self.decision,
            "top_score": _rounded(self.top_score),
            "hits": [_hit_json(hit) for hit in self.hits],
            "input": self.input,
            "error": self.error,
        }
        if self.extra_fields:
            record["extra_fields"] = self.extra_fields
        return record

    def csv_cells(self) -> list[str]:
        """The values of `ADDED_CSV_COLUMNS`."""
        top = self.top_score
        return [
            self.decision,
            "" if top is None else f"{top:.3f}",
            str(len(self.hits)),
            top_hits_text(self.hits),
            self.error or "",
        ]


def _rounded(score: float | None) -> float | None:
    return None if score is None else round(score, 4)


def _hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "source": hit.source.value,
        "entry_id": hit.entry_id,
        "name": hit.name,
        "matched_name": hit.matched_name,
        "schema": hit.schema_.value,
        "score": _rounded(hit.score),
        "decision": hit.decision.value,
        "programs": hit.programs,
        "also_listed": [
            {"source": ref.source.value, "entry_id": ref.entry_id, "name": ref.name}
            for ref in hit.also_listed
        ],
    }


def top_hits_text(hits: Sequence[Hit], limit: int = TOP_HITS_IN_CSV) -> str:
    text = "; ".join(
        f"{hit.dataset}:{hit.entry_id} {hit.name} ({hit.score:.2f})" for hit in hits[:limit]
    )
    if len(hits) > limit:
        text += f"; … {len(hits) - limit} more"
    return text


def build_query(values: Mapping[str, str], columns: Columns) -> Query:
    """The query for one row. Raises ValueError with a short reason for a row that has none."""

    def cell(column: str | None) -> str:
        return (values.get(column) or "").strip() if column else ""

    name = cell(columns.name)
    if not name:
        raise ValueError(f"empty name (column {columns.name!r})")
    schema = parse_schema(cell(columns.type))
    try:
        return Query.model_validate(
            {
                "name": name,
                "type": schema,
                "country": cell(columns.country) or None,
                "birth_date": cell(columns.birth_date) or None,
            }
        )
    except ValidationError as exc:
        raise ValueError(_short_validation(exc)) from None


def _short_validation(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
    )


def screen_query_row(
    row: InputRow,
    screener: QueryScreener,
    columns: Columns,
    thresholds: Thresholds | None = None,
) -> ScreeningResult:
    """The screening of one row; ValueError with a short reason when the row has none."""
    if row.problem:
        raise ValueError(row.problem)
    return screener.screen_query(build_query(row.values, columns), thresholds)


def screen_row(
    row: InputRow,
    screener: QueryScreener,
    columns: Columns,
    thresholds: Thresholds | None = None,
) -> BatchRecord:
    """Screen one row; a row that cannot be screened becomes an error record, not an exception.

    Database and other unexpected errors from the screener propagate: they are not the row's.
    """
    try:
        result = screen_query_row(row, screener, columns, thresholds)
    except ValueError as exc:
        return BatchRecord(
            row.number,
            row.values,
            ERROR,
            error=str(exc) or type(exc).__name__,
            line=row.line,
            extra_fields=row.extra_fields,
        )
    return BatchRecord(
        row.number,
        row.values,
        _DECISIONS[result.decision],
        hits=result.hits,
        line=row.line,
        list_versions=result.list_versions,
    )


def screen_rows(
    rows: Iterable[InputRow | Mapping[str, str]],
    screener: QueryScreener,
    columns: Columns,
    thresholds: Thresholds | None = None,
) -> Iterator[BatchRecord]:
    """One record per row, lazily and in order. Plain mappings are numbered from 1."""
    for number, row in enumerate(rows, 1):
        read = row if isinstance(row, InputRow) else InputRow(number, dict(row))
        yield screen_row(read, screener, columns, thresholds)


class ListsOnly:
    """A screener that screens every query against the chosen sources or datasets only."""

    def __init__(self, screener: QueryScreener, lists: list[str]) -> None:
        self.screener = screener
        self.lists = lists

    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        restricted = Query.model_validate({**query.model_dump(by_alias=True), "lists": self.lists})
        return self.screener.screen_query(restricted, thresholds)


def thresholds_with_report(report: float, base: Thresholds | None = None) -> Thresholds:
    """`base` with the lowest reported score set to `report` (0..1).

    Review and match are raised to `report` when they are below it: a score that is not
    reported cannot ask for review.
    """
    base = base or Thresholds()
    return Thresholds(match=max(base.match, report), review=max(base.review, report), report=report)


# -- the run ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchOptions:
    columns: ColumnChoice = field(default_factory=ColumnChoice)
    # The lowest score reported as a hit, applied to the screener's own thresholds
    # (`thresholds_with_report`); ignored when `thresholds` is given.
    report_threshold: float | None = None
    thresholds: Thresholds | None = None  # None: the screener's own
    # Sources or datasets every row is screened against (None: every loaded list).
    lists: list[str] | None = None

    def __post_init__(self) -> None:
        if self.report_threshold is not None and not 0 <= self.report_threshold <= 1:
            raise ValueError(f"threshold {self.report_threshold} is not between 0 and 1")

    def thresholds_for(self, screener: QueryScreener) -> Thresholds | None:
        if self.thresholds is not None or self.report_threshold is None:
            return self.thresholds
        own = getattr(screener, "thresholds", None)
        base = own if isinstance(own, Thresholds) else None
        return thresholds_with_report(self.report_threshold, base)


def run_batch(
    input_path: Path,
    output_path: Path,
    screener: ScreenerOrFactory,
    options: BatchOptions | None = None,
    on_progress: ProgressCallback | None = None,
    scale: Scale | None = None,
) -> BatchSummary:
    """Screen every row of a CSV file and write one record per row to a .csv or .jsonl file.

    `scale` says how many processes screen and whether the run can be resumed
    (`screening.batch.runner.Scale`); by default one process, not resumable.

    `screener` may be a factory, called only once the input is known to be readable and to
    have a name column, so that a bad file fails before a slow index load. Raises
    `BatchUsageError`, `BatchInputError` (also `MissingColumnError`) or `BatchOutputError`
    before any output exists; errors from the screener propagate, and then no output is left either.
    """
    options = options or BatchOptions()
    scale = scale or Scale()
    started = time.perf_counter()
    fmt = output_format(input_path, output_path)
    with CsvInput(input_path) as table:
        try:
            columns = Columns.detect(table.keys, options.columns)
        except MissingColumnError as exc:
            raise exc.in_file(input_path) from None
        summary = BatchSummary(
            input_path,
            output_path,
            fmt,
            NAME_DECISIONS,
            encoding=table.encoding,
            delimiter=table.delimiter,
            notes=[
                f"read {input_path} as {table.encoding}, delimiter {table.delimiter!r}; "
                f"columns: {columns.description()}"
            ],
        )

        def row_screener() -> Callable[[InputRow], BatchRecord]:
            active = open_screener(screener)
            thresholds = options.thresholds_for(active)
            if options.lists is not None:
                active = ListsOnly(active, options.lists)
            return lambda row: screen_row(row, active, columns, thresholds)

        identity = {"columns": asdict(columns), "options": _identity(options)}
        sink, checkpoint = file_output(
            output_path, fmt, table, ADDED_CSV_COLUMNS, scale, input_path, identity
        )
        return run(
            table,
            row_screener,
            sink,
            summary,
            on_progress,
            started=started,
            scale=scale,
            checkpoint=checkpoint,
        )


def _identity(options: BatchOptions) -> dict[str, Any]:
    """What of the options shapes the output, as JSON values (a resumed run must match)."""
    thresholds = options.thresholds.model_dump() if options.thresholds else None
    return {
        "report_threshold": options.report_threshold,
        "thresholds": thresholds,
        "lists": options.lists,
    }
