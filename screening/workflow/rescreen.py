"""The customer book, recorded batch screenings, and re-screening when the lists change.

    >>> recorder = Recorder(store)
    >>> register_customers_csv(recorder, Path("book.csv"))     # customer_ref,name,type,country,dob
    >>> report = rescreen(Screener(store), recorder, requested_by="nightly")

`record_batch` screens a CSV file as `screening.batch.names` does, but stores every row's screening
(and a run with its counts) and opens alerts; a customer reference column, when present, ties
each row to a customer of the book.

The book is every active customer: those a bank registers from a CSV file and those kept from
recorded screenings that carried a customer reference.

A re-screening is a `ScreeningRun` of kind ``rescreen`` that stores the list version ids it
ran against. The next one compares, list by list (dataset by dataset: OFAC's SDN and non-SDN
lists are compared separately), the active version with the version the last finished
re-screening used; only entries added or changed in between (`diff_versions`)
can raise new alerts. The screener has no way to search a subset of entries, so each customer
is screened normally (against the lists that changed) and only hits on the changed entries
are kept, recorded and alerted; the score of a hit does not depend on the other entries, so
this finds exactly what a search restricted to those entries would. A list the last run did
not see, or whose versions cannot be compared (ids numbered differently), is screened in full.
Without an earlier run, or with ``full=True``, everything is screened. Unchanged entries are
not re-alerted by an incremental run; a listed entry that changed alerts again even after a
false-positive decision, since its fingerprint changed (see `screening.workflow.recorder`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lists.values.countries import to_iso2
from lists.values.dates import parse_partial_date
from screening.batch.errors import BatchError
from screening.batch.inputs import CsvInput, InputRow, find_column
from screening.batch.names import NAME_DECISIONS, Columns, QueryScreener, screen_query_row
from screening.batch.runner import ERROR, BatchSummary, run
from screening.matching.results import Decision, ListVersionRef, ScreeningResult, Thresholds
from screening.matching.screener import Screener, parse_schema
from screening.store import ListStore, VersionInfo
from screening.store.diff import DiffError, diff_versions
from screening.workflow.recorder import AlertStatus, CustomerInfo, Recorder

RESCREEN = "rescreen"
REF_COLUMNS = ("customer_ref", "customer_id", "customer_reference", "client_id", "ref")

# Per dataset: the entry ids that may raise new alerts, or None for every entry of the list.
Scope = dict[str, set[str] | None]


# -- the customer book -------------------------------------------------------------------


@dataclass
class RegisterReport:
    path: Path
    added: int = 0
    updated: int = 0
    blank: int = 0
    errors: list[str] = field(default_factory=list)


class CustomerFileError(Exception):
    """The customer file cannot be read at all (encoding, no header, missing column)."""


def register_customers_csv(recorder: Recorder, path: Path) -> RegisterReport:
    """Insert or update (by customer_ref) every row of a customer CSV file.

    Encoding and delimiter are sniffed as for batch screening. customer_ref and name are
    required columns; type, country and dob are optional. A row with an empty reference or
    name, an unknown type or country, or an unreadable birth date is reported and skipped; the
    others are registered.
    """
    report = RegisterReport(path)
    try:
        table = CsvInput(path)
    except BatchError as exc:  # its message names the file
        raise CustomerFileError(str(exc)) from None
    with table:
        ref = _ref_column(table.keys)
        try:
            columns = Columns.detect(table.keys)
        except BatchError as exc:
            raise CustomerFileError(f"{path}: {exc}") from None
        if ref is None:
            raise CustomerFileError(
                f"{path}: no customer reference column: looked for {', '.join(REF_COLUMNS)} "
                f"(the header has: {', '.join(table.header)})"
            )
        name, kind, country, dob = columns.name, columns.type, columns.country, columns.birth_date
        for row in table.rows():
            where = f"{path}: line {row.line}"
            if row.problem:
                report.errors.append(f"{where}: {row.problem}")
                continue

            def cell(column: str | None, values: dict[str, str] = row.values) -> str | None:
                text = (values.get(column) or "").strip() if column else ""
                return text or None

            try:
                customer = _customer(cell(ref), cell(name), cell(kind), cell(country), cell(dob))
            except ValueError as exc:
                report.errors.append(f"{where}: {exc}")
                continue
            if recorder.register_customer(customer):
                report.added += 1
            else:
                report.updated += 1
        report.blank = table.blank
    return report


def _customer(
    ref: str | None, name: str | None, kind: str | None, country: str | None, dob: str | None
) -> CustomerInfo:
    if not ref:
        raise ValueError("empty customer_ref")
    if not name:
        raise ValueError(f"{ref}: empty name")
    schema = parse_schema(kind)
    if country and to_iso2(country) is None:
        raise ValueError(f"{ref}: unknown country {country!r}")
    if dob and parse_partial_date(dob) is None:
        raise ValueError(f"{ref}: unreadable birth date {dob!r}")
    return CustomerInfo(
        customer_ref=ref,
        name=name,
        schema_=schema.value if schema else None,
        country=country,
        birth_date=dob,
        registered_from="csv",
    )


def _ref_column(keys: list[str]) -> str | None:
    return find_column(keys, "customer reference", None, REF_COLUMNS)


# -- recorded batch screening ------------------------------------------------------------


@dataclass
class RecordedBatch:
    run_id: int
    path: Path
    rows: int = 0
    screened: int = 0
    decisions: dict[str, int] = field(default_factory=dict)
    alerts: int = 0
    suppressed: int = 0
    errors: list[str] = field(default_factory=list)
    blank: int = 0  # blank lines of the file: counted, not screened, not rows

    def counts(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "blank": self.blank,
            "screened": self.screened,
            "decisions": self.decisions,
            "alerts": self.alerts,
            "suppressed": self.suppressed,
            "errors": len(self.errors),
        }


def record_batch(
    recorder: Recorder,
    screener: QueryScreener,
    path: Path,
    *,
    requested_by: str,
    thresholds: Thresholds | None = None,
) -> RecordedBatch:
    """Screen and record every row of a CSV file as one ``batch`` run.

    Columns are found as in `screening.batch.names` (name required; type, country, dob optional);
    a customer_ref column (`REF_COLUMNS`) ties rows to customers. A row that cannot be
    screened is counted and reported, and the run goes on. Raises `CustomerFileError` when
    the file cannot be read or has no name column; then no run is recorded. The rows go
    through the batch runner (`screening.batch.runner`) with the recorder as the sink.
    """
    try:
        table = CsvInput(path)
    except BatchError as exc:
        raise CustomerFileError(str(exc)) from None
    with table:
        try:
            columns = Columns.detect(table.keys)
        except BatchError as exc:
            raise CustomerFileError(f"{path}: {exc}") from None
        ref = _ref_column(table.keys)

        def screen(row: InputRow) -> _ScreenedRow:
            customer = (row.values.get(ref) or "").strip() if ref else ""
            screened = _ScreenedRow(row.number, row.line, customer or None)
            try:
                screened.result = screen_query_row(row, screener, columns, thresholds)
            except ValueError as exc:
                screened.error = str(exc)
            return screened

        summary = BatchSummary(path, path, "recorded run", NAME_DECISIONS)
        sink = _RecordingSink(recorder, path, requested_by, summary)
        run(table, lambda: screen, sink, summary)
    return sink.report


@dataclass(slots=True)
class _ScreenedRow:
    """One row of a recorded batch: its screening, or why it has none."""

    row: int
    line: int | None
    customer_ref: str | None
    result: ScreeningResult | None = None
    error: str | None = None

    @property
    def decision(self) -> str:
        return ERROR if self.result is None else self.result.decision.value

    @property
    def list_versions(self) -> list[ListVersionRef]:
        return [] if self.result is None else self.result.list_versions


class _RecordingSink(AbstractContextManager[Callable[[_ScreenedRow], None]]):
    """Stores each row's screening in one ``batch`` run, finished (with its counts) on success."""

    def __init__(
        self, recorder: Recorder, path: Path, requested_by: str, summary: BatchSummary
    ) -> None:
        self._recorder = recorder
        self._requested_by = requested_by
        self._summary = summary
        self.report = RecordedBatch(0, path)

    def __enter__(self) -> Callable[[_ScreenedRow], None]:
        self.report.run_id = self._recorder.start_run(
            "batch", input_name=str(self.report.path), requested_by=self._requested_by
        )
        return self._record

    def _record(self, screened: _ScreenedRow) -> None:
        report = self.report
        if screened.result is None:
            report.errors.append(f"{report.path}: line {screened.line}: {screened.error}")
            return
        recorded = self._recorder.record_screening(
            screened.result,
            customer_ref=screened.customer_ref,
            requested_by=self._requested_by,
            run_id=report.run_id,
        )
        report.alerts += len(recorded.alerts)
        report.suppressed += sum(1 for a in recorded.alerts if a.status is AlertStatus.SUPPRESSED)

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is not None:
            return  # the run stays unfinished, as any interrupted run
        report, summary = self.report, self._summary
        report.rows = summary.rows
        report.blank = summary.blank
        report.screened = summary.rows - summary.error
        report.decisions = {
            decision: count
            for decision, count in summary.counts.items()
            if count and decision != ERROR
        }
        self._recorder.finish_run(report.run_id, report.counts())


# -- re-screening ------------------------------------------------------------------------


@dataclass
class RescreenReport:
    run_id: int
    mode: Literal["full", "incremental"]
    list_versions: list[int]
    customers: int = 0
    # Per dataset: entries that could raise new alerts; None means the whole list.
    changed_entries: dict[str, int | None] = field(default_factory=dict)
    screenings: int = 0
    new_alerts: int = 0
    suppressed: int = 0
    errors: list[str] = field(default_factory=list)
    # Resuming a killed run: how many customers it had screened already (None: a new run).
    resumed: int | None = None

    def counts(self) -> dict[str, object]:
        return {
            "mode": self.mode,
            "customers": self.customers,
            "changed_entries": self.changed_entries,
            "screenings": self.screenings,
            "new_alerts": self.new_alerts,
            "suppressed": self.suppressed,
            "errors": len(self.errors),
            **({"resumed_after": self.resumed} if self.resumed is not None else {}),
        }

    def report_lines(self) -> list[str]:
        changed = ", ".join(
            f"{dataset} {'all' if count is None else count}"
            for dataset, count in sorted(self.changed_entries.items())
        )
        lines = [
            f"rescreen run {self.run_id} ({self.mode}) against list versions "
            f"{', '.join(map(str, self.list_versions)) or 'none'}",
            f"  customers {self.customers}; entries to screen against: {changed or 'none'}",
            f"  screenings {self.screenings}; new alerts {self.new_alerts} "
            f"(open {self.new_alerts - self.suppressed}, suppressed {self.suppressed})",
        ]
        if self.resumed is not None:
            lines.insert(
                1,
                f"  resumed an interrupted run: {self.resumed} customers were already screened",
            )
        lines += [f"  error: {e}" for e in self.errors[:20]]
        return lines


def rescreen(
    screener: Screener,
    recorder: Recorder,
    *,
    full: bool = False,
    requested_by: str = RESCREEN,
    thresholds: Thresholds | None = None,
) -> RescreenReport:
    """Screen the customer book against what changed since the last re-screening."""
    screener.refresh()
    versions = screener.versions
    version_ids = [v.id for v in versions]
    previous = None if full else recorder.last_run(RESCREEN)
    scope = changed_scope(screener.store, versions, previous[1] if previous else None)
    # A run killed part-way (never finished) against these same versions is resumed, so that
    # the customers it already screened are not screened, and alerted, a second time. Its
    # scope is this one: no run finished since it started, and the versions are the same.
    interrupted = None if full else recorder.interrupted_run(RESCREEN)
    done: set[str] = set()
    if interrupted is not None and sorted(interrupted[1]) == sorted(version_ids):
        run_id = interrupted[0]
        done = recorder.screened_customers(run_id)
    else:
        run_id = recorder.start_run(RESCREEN, input_name="customer book", requested_by=requested_by)
    report = RescreenReport(
        run_id=run_id,
        mode="incremental" if previous is not None else "full",
        list_versions=version_ids,
        changed_entries={s: None if ids is None else len(ids) for s, ids in scope.items()},
        resumed=len(done) if interrupted is not None and run_id == interrupted[0] else None,
    )
    customers = recorder.customers()
    report.customers = len(customers)
    customers = [customer for customer in customers if customer.customer_ref not in done]
    datasets = sorted(dataset for dataset, ids in scope.items() if ids is None or ids)
    if datasets:
        for customer in customers:
            _rescreen_one(
                screener,
                recorder,
                customer,
                scope,
                datasets,
                run_id,
                thresholds,
                requested_by,
                report,
            )
    recorder.finish_run(run_id, report.counts(), list_versions=report.list_versions)
    return report


def changed_scope(
    store: ListStore, versions: list[VersionInfo], previous_ids: list[int] | None
) -> Scope:
    """Per active dataset, the entry ids added or changed since the previous run's version."""
    if previous_ids is None:
        return {v.dataset: None for v in versions}
    previous: dict[str, int] = {}
    for version_id in previous_ids:
        old = store.version(version_id)
        if old is not None:
            previous[old.dataset] = old.id
    scope: Scope = {}
    for version in versions:
        dataset = version.dataset
        before = previous.get(dataset)
        if before is None:
            scope[dataset] = None
        elif before == version.id:
            scope[dataset] = set()
        else:
            try:
                diff = diff_versions(store, dataset, before, version.id)
            except DiffError:
                scope[dataset] = None  # not comparable: screen the whole list
            else:
                scope[dataset] = {*diff.added, *diff.changed}
    return scope


def _rescreen_one(
    screener: Screener,
    recorder: Recorder,
    customer: CustomerInfo,
    scope: Scope,
    datasets: list[str],
    run_id: int,
    thresholds: Thresholds | None,
    requested_by: str,
    report: RescreenReport,
) -> None:
    try:
        query = customer.query().model_copy(update={"sources": None, "lists": datasets})
        result = restrict(screener.screen_query(query, thresholds), scope)
    except ValueError as exc:  # QueryError, ValidationError: the customer's data, not the run
        report.errors.append(f"{customer.customer_ref}: {exc}")
        return
    recorded = recorder.record_screening(
        result, customer_ref=customer.customer_ref, requested_by=requested_by, run_id=run_id
    )
    report.screenings += 1
    report.new_alerts += len(recorded.alerts)
    report.suppressed += sum(1 for a in recorded.alerts if a.status is AlertStatus.SUPPRESSED)


def restrict(result: ScreeningResult, scope: Scope) -> ScreeningResult:
    """The result with only the hits on entries in scope; the decision follows the best kept."""
    hits = [
        hit
        for hit in result.hits
        if hit.dataset in scope and ((ids := scope[hit.dataset]) is None or hit.entry_id in ids)
    ]
    decision = hits[0].decision if hits else Decision.CLEAR
    return result.model_copy(update={"hits": hits, "decision": decision})
