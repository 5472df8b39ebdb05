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
ran against. The next one compares, source by source, the active version with the version the
last finished re-screening used; only entries added or changed in between (`diff_versions`)
can raise new alerts. The screener has no way to search a subset of entries, so each customer
is screened normally (against the sources that changed) and only hits on the changed entries
are kept, recorded and alerted; the score of a hit does not depend on the other entries, so
this finds exactly what a search restricted to those entries would. A source the last run did
not see, or whose versions cannot be compared (ids numbered differently), is screened in full.
Without an earlier run, or with ``full=True``, everything is screened. Unchanged entries are
not re-alerted by an incremental run; a listed entry that changed alerts again even after a
false-positive decision, since its fingerprint changed (see `screening.workflow.recorder`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lists.model import Source
from lists.values.countries import to_iso2
from lists.values.dates import parse_partial_date
from screening.batch.names import BatchError, Columns, CsvInput, QueryScreener, build_query
from screening.matching.results import Decision, ScreeningResult, Thresholds
from screening.matching.screener import Screener, parse_schema
from screening.store import ListStore, VersionInfo
from screening.store.diff import DiffError, diff_versions
from screening.workflow.recorder import AlertStatus, CustomerInfo, Recorder

RESCREEN = "rescreen"
REF_COLUMNS = ("customer_ref", "customer_id", "customer_reference", "client_id", "ref")

# Per source: the entry ids that may raise new alerts, or None for every entry of the source.
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
            if row.is_blank:
                report.blank += 1
                continue
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
    by_normal = {re.sub(r"[\s\-]+", "_", key.strip().casefold()): key for key in keys}
    return next((by_normal[c] for c in REF_COLUMNS if c in by_normal), None)


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

    def counts(self) -> dict[str, object]:
        return {
            "rows": self.rows,
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
    the file cannot be read or has no name column; then no run is recorded.
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
        run_id = recorder.start_run("batch", input_name=str(path), requested_by=requested_by)
        report = RecordedBatch(run_id, path)
        for row in table.rows():
            if row.is_blank:
                continue
            report.rows += 1
            try:
                if row.problem:
                    raise ValueError(row.problem)
                result = screener.screen_query(build_query(row.values, columns), thresholds)
            except ValueError as exc:
                report.errors.append(f"{path}: line {row.line}: {exc}")
                continue
            customer = (row.values.get(ref) or "").strip() if ref else ""
            recorded = recorder.record_screening(
                result, customer_ref=customer or None, requested_by=requested_by, run_id=run_id
            )
            report.screened += 1
            decision = result.decision.value
            report.decisions[decision] = report.decisions.get(decision, 0) + 1
            report.alerts += len(recorded.alerts)
            report.suppressed += sum(
                1 for a in recorded.alerts if a.status is AlertStatus.SUPPRESSED
            )
    recorder.finish_run(run_id, report.counts())
    return report


# -- re-screening ------------------------------------------------------------------------


@dataclass
class RescreenReport:
    run_id: int
    mode: Literal["full", "incremental"]
    list_versions: list[int]
    customers: int = 0
    # Per source: entries that could raise new alerts; None means the whole source.
    changed_entries: dict[str, int | None] = field(default_factory=dict)
    screenings: int = 0
    new_alerts: int = 0
    suppressed: int = 0
    errors: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, object]:
        return {
            "mode": self.mode,
            "customers": self.customers,
            "changed_entries": self.changed_entries,
            "screenings": self.screenings,
            "new_alerts": self.new_alerts,
            "suppressed": self.suppressed,
            "errors": len(self.errors),
        }

    def report_lines(self) -> list[str]:
        changed = ", ".join(
            f"{source} {'all' if count is None else count}"
            for source, count in sorted(self.changed_entries.items())
        )
        lines = [
            f"rescreen run {self.run_id} ({self.mode}) against list versions "
            f"{', '.join(map(str, self.list_versions)) or 'none'}",
            f"  customers {self.customers}; entries to screen against: {changed or 'none'}",
            f"  screenings {self.screenings}; new alerts {self.new_alerts} "
            f"(open {self.new_alerts - self.suppressed}, suppressed {self.suppressed})",
        ]
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
    previous = None if full else recorder.last_run(RESCREEN)
    scope = changed_scope(screener.store, versions, previous[1] if previous else None)
    run_id = recorder.start_run(RESCREEN, input_name="customer book", requested_by=requested_by)
    report = RescreenReport(
        run_id=run_id,
        mode="incremental" if previous is not None else "full",
        list_versions=[v.id for v in versions],
        changed_entries={s: None if ids is None else len(ids) for s, ids in scope.items()},
    )
    customers = recorder.customers()
    report.customers = len(customers)
    sources = sorted(source for source, ids in scope.items() if ids is None or ids)
    if sources:
        for customer in customers:
            _rescreen_one(
                screener,
                recorder,
                customer,
                scope,
                sources,
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
    """Per active source, the entry ids added or changed since the previous run's version."""
    if previous_ids is None:
        return {v.source.value: None for v in versions}
    previous: dict[str, int] = {}
    for version_id in previous_ids:
        old = store.version(version_id)
        if old is not None:
            previous[old.source.value] = old.id
    scope: Scope = {}
    for version in versions:
        source = version.source.value
        before = previous.get(source)
        if before is None:
            scope[source] = None
        elif before == version.id:
            scope[source] = set()
        else:
            try:
                diff = diff_versions(store, source, before, version.id)
            except DiffError:
                scope[source] = None  # not comparable: screen the whole source
            else:
                scope[source] = {*diff.added, *diff.changed}
    return scope


def _rescreen_one(
    screener: Screener,
    recorder: Recorder,
    customer: CustomerInfo,
    scope: Scope,
    sources: list[str],
    run_id: int,
    thresholds: Thresholds | None,
    requested_by: str,
    report: RescreenReport,
) -> None:
    try:
        query = customer.query().model_copy(update={"sources": [Source(s) for s in sources]})
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
        if hit.source.value in scope
        and ((ids := scope[hit.source.value]) is None or hit.entry_id in ids)
    ]
    decision = hits[0].decision if hits else Decision.CLEAR
    return result.model_copy(update={"hits": hits, "decision": decision})
