"""The ``coalition`` command: a thin shell over the Python API in `lists` and `screening`.

Exit codes (every command):
  0  success
  1  a list file or download could not be read or loaded (bad format, malformed, unsafe,
     network failure); nothing was stored
  2  usage error (unknown option, missing argument)
  3  the database could not be reached or migrated
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table
from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError

from lists.errors import ListReadError
from lists.model import IdentifierType, Source
from screening.matching.results import ScreeningResult, Thresholds
from screening.matching.screener import QueryError, Screener
from screening.store import ListStore, LoadResult, SourceStatus
from screening.store.database import DB_ENV, make_engine, resolve_url, upgrade
from screening.store.diff import DiffError, ListDiff, diff_versions

if TYPE_CHECKING:
    from lists.inspect import Inspection

EXIT_READ_ERROR = 1
EXIT_DB_ERROR = 3

F = TypeVar("F", bound=Callable[..., Any])
# soft_wrap: messages stay on one line, so logs and grep see them whole.
stderr = Console(stderr=True, soft_wrap=True)


def error(message: str) -> None:
    """One line on stderr; the message is shown as text, never read as markup."""
    stderr.print(Text.assemble(("error: ", "bold red"), message))


def warning(message: str) -> None:
    stderr.print(Text.assemble(("warning: ", "bold yellow"), message))


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db_url",
        envvar=DB_ENV,
        metavar="URL",
        help=f"SQLAlchemy database URL (default: ${DB_ENV}, else an SQLite file in the "
        "user data directory).",
    )(func)


@contextmanager
def open_store(db_url: str | None) -> Iterator[ListStore]:
    try:
        yield ListStore(db_url)
    except SQLAlchemyError as exc:
        error(f"database {resolve_url(db_url)!r}: {_first_line(exc)}")
        sys.exit(EXIT_DB_ERROR)


def _first_line(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" if e["loc"] else e["msg"]
            for e in exc.errors()
        )
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coalition-screening")
def main() -> None:
    """Sanctions screening against the OFAC, UK, EU and UN lists."""


# -- db ----------------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@db_option
def db_upgrade(db_url: str | None) -> None:
    """Create or migrate the database to the newest schema."""
    url = resolve_url(db_url)
    try:
        before, after = upgrade(make_engine(url))
    except SQLAlchemyError as exc:
        error(f"database {url!r}: {_first_line(exc)}")
        sys.exit(EXIT_DB_ERROR)
    if before == after:
        click.echo(f"{url}: already at revision {after}")
    else:
        click.echo(f"{url}: upgraded from {before or 'an empty database'} to revision {after}")


# -- screen ------------------------------------------------------------------------------------


def thresholds_options(func: F) -> F:
    for option in (
        click.option(
            "--match",
            "match_at",
            type=click.FloatRange(0, 1),
            help="Score from which a hit is a match (default 0.90, or COALITION_MATCH_THRESHOLD).",
        ),
        click.option(
            "--review",
            "review_at",
            type=click.FloatRange(0, 1),
            help="Score from which a hit needs review (default 0.75, "
            "or COALITION_REVIEW_THRESHOLD).",
        ),
        click.option(
            "--threshold",
            "report_at",
            type=click.FloatRange(0, 1),
            help="Lowest score reported as a hit (default 0.60, or COALITION_REPORT_THRESHOLD).",
        ),
    ):
        func = option(func)
    return func


def make_thresholds(
    match_at: float | None, review_at: float | None, report_at: float | None
) -> Thresholds:
    try:
        base = Thresholds.from_environment()
        chosen = {
            "match": base.match if match_at is None else match_at,
            "review": base.review if review_at is None else review_at,
            "report": base.report if report_at is None else report_at,
        }
        return Thresholds(**chosen)
    except ValidationError as exc:
        raise click.BadParameter("; ".join(e["msg"] for e in exc.errors())) from None
    except ValueError as exc:
        raise click.BadParameter(_first_line(exc)) from None


@main.command("screen")
@click.argument("name")
@click.option(
    "--type",
    "schema",
    type=click.Choice(
        ["person", "organization", "vessel", "aircraft", "individual", "entity", "company", "ship"],
        case_sensitive=False,
    ),
    help="What NAME is; people never match companies or ships.",
)
@click.option("--country", help="Country of the party (ISO code or name).")
@click.option("--dob", help="Birth date: YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option(
    "--id",
    "identifiers",
    multiple=True,
    metavar="TYPE:VALUE",
    help="An identifier, e.g. imo:9562233 or passport:A1234567 (repeatable); "
    "a listed one is decisive.",
)
@click.option(
    "--source",
    "sources",
    multiple=True,
    type=click.Choice([s.value for s in Source]),
    help="Screen only against these lists (repeatable; default all loaded).",
)
@thresholds_options
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@db_option
def screen(
    name: str,
    schema: str | None,
    country: str | None,
    dob: str | None,
    identifiers: tuple[str, ...],
    sources: tuple[str, ...],
    match_at: float | None,
    review_at: float | None,
    report_at: float | None,
    as_json: bool,
    db_url: str | None,
) -> None:
    """Screen one NAME against the active lists and explain every hit.

    The decision is `match`, `review` or `clear` (see README, "Scores and decisions"). Exit
    code 0 whatever the decision; 1 when the query is unreadable, 3 for a database problem.
    """
    thresholds = make_thresholds(match_at, review_at, report_at)
    pairs = [_identifier_option(value) for value in identifiers]
    with open_store(db_url) as store:
        screener = Screener(store, thresholds=thresholds)
        if not screener.versions:
            error(
                "no lists are loaded: run `coalition lists load PATH` or `coalition lists update`"
            )
            sys.exit(EXIT_READ_ERROR)
        try:
            result = screener.screen(
                name,
                type=schema,
                country=country,
                birth_date=dob,
                identifiers=pairs,
                sources=sources or None,
            )
        except (QueryError, ValidationError) as exc:
            error(_first_line(exc))
            sys.exit(EXIT_READ_ERROR)
    if as_json:
        click.echo(result.model_dump_json())
    else:
        _print_result(result)


def _identifier_option(value: str) -> tuple[str, str]:
    kind, _, number = value.partition(":")
    known = {t.value for t in IdentifierType}
    if not number or kind.strip().lower() not in known:
        raise click.BadParameter(
            f"{value!r}: use TYPE:VALUE with TYPE one of {', '.join(sorted(known))}",
            param_hint="--id",
        )
    return kind.strip().lower(), number.strip()


def _print_result(result: ScreeningResult) -> None:
    console = Console()
    versions = ", ".join(f"{v.source.value} {v.published_on}" for v in result.list_versions)
    style = {"match": "bold red", "review": "bold yellow", "clear": "bold green"}
    console.print(
        Text.assemble(
            (result.decision.value.upper(), style[result.decision.value]),
            f"  {result.query.name!r}: {len(result.hits)} hits (lists: {versions})",
        )
    )
    for hit in result.hits:
        console.print(
            Text.assemble(
                (f"{hit.score:.3f} {hit.decision.value:6}", style[hit.decision.value]),
                f" {hit.source.value}:{hit.entry_id} {hit.name} [{hit.schema_.value}]",
                f" programs {', '.join(hit.programs) or '-'}",
            )
        )
        tokens = "; ".join(
            f"{t.query}->{t.listed or '∅'} {t.how} {t.similarity:.2f}"
            for t in hit.explanation.tokens
        )
        console.print(
            Text(
                f"      matched {hit.matched_name!r}: "
                f"name {hit.explanation.name_score:.2f} ({tokens})"
            )
        )
        for feature in hit.explanation.features:
            console.print(Text(f"      {feature.feature} {feature.delta:+.2f}: {feature.detail}"))
        for other in hit.also_listed:
            console.print(
                Text(
                    f"      also listed: {other.source.value}:{other.entry_id} {other.name} "
                    f"({other.linked_by})"
                )
            )


# -- hs ------------------------------------------------------------------------------------------


@main.command("hs")
@click.argument("codes", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per CODE.")
def hs(codes: tuple[str, ...], as_json: bool) -> None:
    """Check HS, CN or HTS CODEs against the Common High Priority List (CHPL).

    A CODE may be written with dots, spaces or hyphens and have 4 to 10 digits; a 2-digit chapter
    never matches. The verdict is `listed` (with its tier), `possible` (a heading, or an HS 2017
    code that HS 2022 split: the CHPL subheadings it may hold) or `not_listed`. Exit code 0 when
    every CODE was readable; 1 when one was not (the others are still printed; with --json an
    unreadable CODE gives {"code", "normalized": null, "error"}).
    """
    from screening.coalition.goods import CHPL_VERSION, HsCodeError, check_hs

    objects: list[dict[str, Any]] = []
    failed = False
    for code in codes:
        try:
            verdict = check_hs(code)
        except HsCodeError as exc:
            failed = True
            error(str(exc))
            objects.append({"code": code, "normalized": None, "error": str(exc)})
            continue
        objects.append(verdict.model_dump(mode="json"))
        if as_json:
            continue
        tiers = ", ".join(verdict.tiers) or "-"
        click.echo(f"{code}: {verdict.normalized} {verdict.verdict.value} (tiers: {tiers})")
        click.echo(f"    {verdict.reason}")
        for entry in verdict.matches:
            click.echo(f"    {entry.hs_code_dotted}  Tier {entry.tier:<4} {entry.description}")
        for doubt in verdict.warnings:
            click.echo(f"    warning: {doubt}")
    if as_json:
        click.echo(json.dumps(objects, ensure_ascii=False, indent=2))
    else:
        click.echo(
            f"(CHPL version {CHPL_VERSION}; a hit is a diligence signal, not a licence ruling)"
        )
    if failed:
        sys.exit(EXIT_READ_ERROR)


# -- alerts, customers and re-screening (issue 6) -----------------------------------------------
# Exit codes here: 0 done; 1 unknown alert, bad value or unreadable file; 2 usage error;
# 3 database problem; 4 (customers register) some rows were skipped.

REQUESTED_BY_ENV = "COALITION_USER"


@main.group()
def alerts() -> None:
    """Alerts opened by recorded screenings, and analysts' decisions (append-only)."""


@alerts.command("list")
@click.option(
    "--status",
    type=click.Choice(["open", "suppressed", "decided"]),
    help="Only alerts with this status (default: all).",
)
@click.option("--customer", "customer_ref", metavar="REF", help="Only this customer's alerts.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--offset", default=0, show_default=True, type=click.IntRange(0))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per alert, one per line.")
@db_option
def alerts_list(
    status: str | None,
    customer_ref: str | None,
    limit: int,
    offset: int,
    as_json: bool,
    db_url: str | None,
) -> None:
    """Alerts, oldest first: id, status, customer, listed entry, score, last disposition."""
    from screening.workflow.recorder import AlertStatus, Recorder

    with open_store(db_url) as store:
        found = Recorder(store).alerts(
            status=AlertStatus(status) if status else None,
            customer_ref=customer_ref,
            limit=limit,
            offset=offset,
        )
    for alert in found:
        if as_json:
            click.echo(alert.model_dump_json())
        else:
            click.echo(
                f"{alert.id}\t{alert.status.value}\t{alert.customer_ref or '-'}\t"
                f"{alert.source}:{alert.entry_id}\t{alert.name}\t{alert.score:.3f} "
                f"{alert.decision}\t{alert.last_disposition or '-'}"
                + (f"\tsuppressed by decision {alert.suppressed_by}" if alert.suppressed_by else "")
            )


@alerts.command("show")
@click.argument("alert_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="The alert, its hit and decisions as JSON.")
@db_option
def alerts_show(alert_id: int, as_json: bool, db_url: str | None) -> None:
    """One alert: the hit with its explanation, the query, list versions and every decision."""
    from screening.workflow.recorder import Recorder

    with open_store(db_url) as store:
        detail = Recorder(store).alert(alert_id)
    if detail is None:
        error(f"no alert {alert_id}")
        sys.exit(EXIT_READ_ERROR)
    if as_json:
        click.echo(detail.model_dump_json())
        return
    hit = detail.hit
    lines = [
        f"alert {detail.id} ({detail.status.value}) from screening {detail.screening_id}, "
        f"created {detail.created_at:%Y-%m-%d %H:%M:%S} UTC",
        f"  customer  {detail.customer_ref or '-'}",
        f"  query     {_short(detail.query)}",
        f"  listed    {detail.source}:{detail.entry_id} {detail.name} "
        f"(programs {', '.join(hit.get('programs') or []) or '-'})",
        f"  score     {detail.score:.3f} {detail.decision}; list versions "
        f"{', '.join(map(str, detail.list_versions))}",
    ]
    explanation = hit.get("explanation") or {}
    if explanation:
        tokens = "; ".join(
            f"{t['query']}->{t['listed'] or '∅'} {t['how']} {t['similarity']:.2f}"
            for t in explanation.get("tokens", [])
        )
        lines.append(
            f"  matched   {explanation.get('matched_name')!r}: "
            f"name {explanation.get('name_score', 0):.2f} ({tokens})"
        )
        lines += [
            f"  {f['feature']} {f['delta']:+.2f}: {f['detail']}"
            for f in explanation.get("features", [])
        ]
    elif hit.get("message"):
        lines.append(f"  rule      {hit['message']}")
    if detail.suppressed_by:
        lines.append(f"  suppressed by false-positive decision {detail.suppressed_by}")
    lines.append(f"  decisions {len(detail.decisions)}")
    lines += [
        f"    {d.id} {d.decided_at:%Y-%m-%d %H:%M:%S} {d.disposition.value} by {d.analyst}: "
        f"{d.reason}"
        for d in detail.decisions
    ]
    click.echo("\n".join(lines))


@alerts.command("decide")
@click.argument("alert_id", type=int)
@click.option(
    "--disposition",
    required=True,
    type=click.Choice(["true_match", "false_positive", "escalated"]),
)
@click.option("--reason", required=True, help="Why; kept in the audit trail.")
@click.option("--analyst", required=True, help="Who decides; kept in the audit trail.")
@db_option
def alerts_decide(
    alert_id: int, disposition: str, reason: str, analyst: str, db_url: str | None
) -> None:
    """Record a disposition of an alert. Decisions are never changed: a new one is added."""
    from screening.workflow.recorder import Disposition, Recorder

    with open_store(db_url) as store:
        try:
            decision = Recorder(store).decide(
                alert_id, Disposition(disposition), reason=reason, analyst=analyst
            )
        except ValueError as exc:
            error(str(exc))
            sys.exit(EXIT_READ_ERROR)
    click.echo(
        f"decision {decision.id}: alert {alert_id} {decision.disposition.value} "
        f"by {decision.analyst}"
    )


@alerts.command("export")
@click.option(
    "--out",
    "output_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Output file: .jsonl (one decision per line) or .csv (formula-escaped cells).",
)
@db_option
def alerts_export(output_path: Path, db_url: str | None) -> None:
    """Export the full, append-only decision history, oldest first."""
    import csv

    from screening.batch.names import BatchError, atomic_output, escape_cell
    from screening.workflow.recorder import EXPORT_COLUMNS, Recorder

    suffix = output_path.suffix.lower()
    if suffix not in (".csv", ".jsonl", ".ndjson"):
        raise click.BadParameter(
            f"{output_path}: the output must end in .csv or .jsonl", param_hint="--out"
        )
    count = 0
    with open_store(db_url) as store:
        try:
            with atomic_output(output_path, "utf-8-sig" if suffix == ".csv" else "utf-8") as out:
                writer = csv.writer(out, quoting=csv.QUOTE_ALL) if suffix == ".csv" else None
                if writer is not None:
                    writer.writerow(EXPORT_COLUMNS)
                for row in Recorder(store).export_decisions():
                    count += 1
                    if writer is None:
                        out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    else:
                        writer.writerow(
                            escape_cell("" if row[c] is None else str(row[c]))
                            for c in EXPORT_COLUMNS
                        )
        except (BatchError, OSError) as exc:
            error(f"{output_path}: {exc}")
            sys.exit(EXIT_READ_ERROR)
    stderr.print(Text(f"{count} decisions written to {output_path}"))


@main.group()
def customers() -> None:
    """The customer book that `coalition rescreen` screens."""


@customers.command("register")
@click.argument("input_path", metavar="FILE.csv", type=click.Path(path_type=Path, dir_okay=False))
@db_option
def customers_register(input_path: Path, db_url: str | None) -> None:
    """Add or update customers from a CSV file (columns customer_ref, name, type, country, dob).

    Rows are matched by customer_ref; encoding and delimiter are detected as for `batch`. A
    row with an empty reference or name, an unknown type or country, or an unreadable birth
    date is skipped and reported (exit 4); an unreadable file changes nothing (exit 1).
    """
    from screening.workflow.recorder import Recorder
    from screening.workflow.rescreen import CustomerFileError, register_customers_csv

    with open_store(db_url) as store:
        try:
            report = register_customers_csv(Recorder(store), input_path)
        except CustomerFileError as exc:
            error(str(exc))
            sys.exit(EXIT_READ_ERROR)
    click.echo(
        f"{input_path}: {report.added} added, {report.updated} updated, "
        f"{len(report.errors)} skipped"
    )
    for problem in report.errors[:20]:
        warning(problem)
    if report.errors:
        sys.exit(EXIT_BATCH_ROW_ERRORS)


@main.command("rescreen")
@click.option("--full", is_flag=True, help="Screen against every entry, not only changed ones.")
@click.option(
    "--requested-by",
    default="rescreen",
    show_default=True,
    envvar=REQUESTED_BY_ENV,
    help=f"Who asks for the run (kept with it; default ${REQUESTED_BY_ENV}).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the run's counts as JSON.")
@db_option
def rescreen_command(full: bool, requested_by: str, as_json: bool, db_url: str | None) -> None:
    """Screen the customer book against the entries added or changed since the last run.

    The first run, and a run with --full, screens against everything. New review/match hits
    open alerts; a pair an analyst called a false positive stays suppressed until the listed
    entry changes. Details: `pydoc screening.workflow.rescreen`.
    """
    from screening.workflow.recorder import Recorder
    from screening.workflow.rescreen import rescreen

    with open_store(db_url) as store:
        screener = Screener(store)
        if not screener.versions:
            error(
                "no lists are loaded: run `coalition lists load PATH` or `coalition lists update`"
            )
            sys.exit(EXIT_READ_ERROR)
        report = rescreen(screener, Recorder(store), full=full, requested_by=requested_by)
    if as_json:
        click.echo(json.dumps({"run_id": report.run_id, **report.counts()}))
    else:
        click.echo("\n".join(report.report_lines()))


@main.command("batch-record")
@click.argument("input_path", metavar="INPUT.csv", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--requested-by",
    default="cli",
    show_default=True,
    envvar=REQUESTED_BY_ENV,
    help="Who screens (kept with the run and its records).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the run's counts as JSON.")
@db_option
def batch_record(input_path: Path, requested_by: str, as_json: bool, db_url: str | None) -> None:
    """Screen every row of a CSV file and store each screening, as one recorded run.

    Columns as for `batch` (name; type, country, dob optional); a customer_ref column ties rows
    to customers, who join the book. Review/match hits open alerts. Exit codes: 0 every row
    screened; 1 unreadable file, no name column or no lists loaded; 3 database problem; 4 some
    rows could not be screened (reported; the others are recorded).
    """
    from screening.workflow.recorder import Recorder
    from screening.workflow.rescreen import CustomerFileError, record_batch

    with open_store(db_url) as store:
        screener = Screener(store)
        if not screener.versions:
            error(
                "no lists are loaded: run `coalition lists load PATH` or `coalition lists update`"
            )
            sys.exit(EXIT_READ_ERROR)
        try:
            report = record_batch(Recorder(store), screener, input_path, requested_by=requested_by)
        except CustomerFileError as exc:
            error(str(exc))
            sys.exit(EXIT_READ_ERROR)
    if as_json:
        click.echo(json.dumps({"run_id": report.run_id, **report.counts()}))
    else:
        decisions = ", ".join(f"{k} {v}" for k, v in sorted(report.decisions.items()))
        click.echo(
            f"run {report.run_id}: {report.screened} of {report.rows} rows screened "
            f"({decisions or 'none'}); {report.alerts} alerts ({report.suppressed} suppressed)"
        )
    for problem in report.errors[:20]:
        warning(problem)
    if report.errors:
        sys.exit(EXIT_BATCH_ROW_ERRORS)


@main.command("screen-record")
@click.argument("name")
@click.option("--customer", "customer_ref", required=True, metavar="REF", help="Customer ref.")
@click.option(
    "--type",
    "schema",
    type=click.Choice(["person", "organization", "vessel", "aircraft"], case_sensitive=False),
)
@click.option("--country", help="Country of the party (ISO code or name).")
@click.option("--dob", help="Birth date: YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option(
    "--requested-by",
    default="cli",
    show_default=True,
    envvar=REQUESTED_BY_ENV,
    help="Who screens (kept with the record).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the screening id and alerts as JSON.")
@db_option
def screen_record(
    name: str,
    customer_ref: str,
    schema: str | None,
    country: str | None,
    dob: str | None,
    requested_by: str,
    as_json: bool,
    db_url: str | None,
) -> None:
    """Screen NAME for customer REF, store the screening and open alerts for its hits.

    The customer joins the book (or is updated). A hit on an entry the customer was cleared of
    (false positive, entry unchanged since) is stored as a suppressed alert.
    """
    from screening.workflow.recorder import Recorder

    with open_store(db_url) as store:
        screener = Screener(store)
        if not screener.versions:
            error(
                "no lists are loaded: run `coalition lists load PATH` or `coalition lists update`"
            )
            sys.exit(EXIT_READ_ERROR)
        try:
            result = screener.screen(name, type=schema, country=country, birth_date=dob)
        except (QueryError, ValidationError) as exc:
            error(_first_line(exc))
            sys.exit(EXIT_READ_ERROR)
        recorded = Recorder(store).record_screening(
            result, customer_ref=customer_ref, requested_by=requested_by
        )
    if as_json:
        click.echo(recorded.model_dump_json())
        return
    click.echo(
        f"screening {recorded.screening_id}: {result.decision.value.upper()}, "
        f"{len(result.hits)} hits, {len(recorded.alerts)} alerts"
    )
    for alert in recorded.alerts:
        click.echo(
            f"  alert {alert.id} {alert.status.value}: {alert.source}:{alert.entry_id} "
            f"{alert.name} {alert.score:.3f} {alert.decision}"
        )


# -- lists -------------------------------------------------------------------------------------


@main.group()
def lists() -> None:
    """Read, inspect, load, update and compare official sanctions lists."""


@lists.command("inspect")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one per line.")
def lists_inspect(paths: tuple[Path, ...], as_json: bool) -> None:
    """Parse list files without storing them and count what they hold.

    PATH is a list file in any supported format (detected from its content) or a directory
    holding an OFAC legacy CSV set. Every file is read to the end; a file that cannot be read
    is reported with its line or record and the command exits 1 after the others are done.
    """
    from lists.inspect import inspect_list  # the adapters load only for commands that read files

    failed = False
    for path in paths:
        try:
            result = inspect_list(path)
        except ListReadError as exc:
            failed = True
            if as_json:
                click.echo(json.dumps({"file": str(path), "error": str(exc)}))
            else:
                error(f"{exc}")
            continue
        if as_json:
            click.echo(result.model_dump_json())
        else:
            click.echo(_format_inspection(result))
    if failed:
        sys.exit(EXIT_READ_ERROR)


@lists.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--published",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Publication date for files that state none (OFAC legacy CSV); ignored otherwise.",
)
@db_option
def lists_load(paths: tuple[Path, ...], published: dt.datetime | None, db_url: str | None) -> None:
    """Load list files into the store, each as a new dated version in one transaction.

    Loading content that is already stored changes nothing and says so. The newest
    publication of each source becomes its active version; older versions stay queryable.
    A file that cannot be read in full is not stored at all (exit 1).
    """
    failed = False
    with open_store(db_url) as store:
        for path in paths:
            try:
                result = _load_one(store, path, published.date() if published else None)
            except ListReadError as exc:
                failed = True
                error(f"{exc} (nothing stored)")
                continue
            click.echo(_format_load(path, result))
            _warn_if_shrank(result)
    if failed:
        sys.exit(EXIT_READ_ERROR)


def _warn_if_shrank(result: LoadResult) -> None:
    if result.shrank and result.replaced is not None:
        version = result.version
        warning(
            f"{version.source.value}: the active version now has {version.entity_count} "
            f"entities; the one it replaced (version {result.replaced.id}) had "
            f"{result.replaced.entity_count}. If only part of the list was loaded (OFAC's "
            "non-SDN files without sdn.csv, say), load all its files together as one directory."
        )


def _load_one(store: ListStore, path: Path, published: dt.date | None) -> LoadResult:
    from lists.detect import open_list

    listed = open_list(path)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed} entities"),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
    ) as progress:
        task = progress.add_task(f"loading {path.name} ({listed.format.name})", total=None)
        return store.load(
            listed,
            published_on=published,
            published_from="given" if published else None,
            on_entity=lambda n: progress.update(task, completed=n),
        )


def _format_load(path: Path, result: LoadResult) -> str:
    version = result.version
    what = (
        f"{version.source.value} version {version.id}: {version.entity_count} entities, "
        f"published {version.published_on} ({version.published_from})"
    )
    if result.status == "unchanged":
        return f"{path}: unchanged — identical content is already stored as {what}"
    active = "now active" if result.active else "stored; a newer publication stays active"
    lines = [f"{path}: loaded {what}; {active}"]
    if version.warnings:
        lines.append(f"  {len(version.warnings)} warnings (see `coalition lists status --json`)")
    return "\n".join(lines)


@lists.command("update")
@click.argument("sources", nargs=-1, type=click.Choice([s.value for s in Source]))
@click.option(
    "--mirror",
    envvar="COALITION_MIRROR",
    metavar="BASE_URL",
    help="Fetch the same file names from this internal mirror instead of the official URLs.",
)
@click.option("--timeout", default=60.0, show_default=True, help="Seconds per network read.")
@click.option("--retries", default=3, show_default=True, help="Attempts per file.")
@click.option(
    "--max-size", "max_mb", default=300, show_default=True, help="Size cap per file, in MB."
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where downloaded files are kept (default: the user cache directory).",
)
@db_option
def lists_update(
    sources: tuple[str, ...],
    mirror: str | None,
    timeout: float,
    retries: int,
    max_mb: int,
    cache_dir: Path | None,
    db_url: str | None,
) -> None:
    """Download lists from their official URLs (or a mirror) and load new publications.

    SOURCE is any of ofac, uk, eu, un (default: all). Each download is checked to be complete
    and to parse before it replaces anything; a failed, truncated or unparsable download
    leaves the active version untouched and the command exits 1.
    """
    from lists.detect import open_list
    from lists.fetch import FetchError, default_cache_dir, fetch_source
    from lists.sources import SOURCES

    chosen = [Source(s) for s in sources] or list(Source)
    failed = False
    with open_store(db_url) as store:
        for source in chosen:
            spec = SOURCES[source]
            try:
                with _download_progress() as on_progress:
                    fetched = fetch_source(
                        spec,
                        cache_dir=cache_dir or default_cache_dir(),
                        mirror=mirror,
                        timeout=timeout,
                        retries=retries,
                        max_bytes=max_mb * 1024 * 1024,
                        on_progress=on_progress,
                    )
                published = fetched.last_modified.date() if fetched.last_modified else None
                listed = open_list(fetched.path)
                result = store.load(
                    listed,
                    published_on=published,
                    published_from="http" if published else None,
                    origin=", ".join(fetched.urls),
                )
            except FetchError as exc:
                failed = True
                error(f"{exc} (active version unchanged)")
                continue
            except ListReadError as exc:
                failed = True
                error(f"{source.value}: {exc} (active version unchanged)")
                continue
            if not fetched.changed and result.status == "unchanged":
                click.echo(f"{source.value}: not modified since the last download")
            else:
                click.echo(_format_load(fetched.path, result))
                _warn_if_shrank(result)
    if failed:
        sys.exit(EXIT_READ_ERROR)


@contextmanager
def _download_progress() -> Iterator[Callable[[str, int, int | None], None]]:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
    ) as progress:
        tasks: dict[str, Any] = {}

        def on_progress(name: str, received: int, total: int | None) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(f"downloading {name}", total=total)
            progress.update(tasks[name], completed=received, total=total)

        yield on_progress


@lists.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as one JSON object.")
@click.option(
    "--max-age",
    default=7,
    show_default=True,
    envvar="COALITION_MAX_AGE_DAYS",
    help="Warn when a source's active publication is older than this many days.",
)
@db_option
def lists_status(as_json: bool, max_age: int, db_url: str | None) -> None:
    """Each source's active version, publication date, counts and age."""
    with open_store(db_url) as store:
        statuses = store.status(max_age_days=max_age)
    if as_json:
        click.echo(
            json.dumps(
                {"max_age_days": max_age, "sources": [s.model_dump(mode="json") for s in statuses]}
            )
        )
    else:
        _print_status(statuses)
    for status in statuses:
        if status.active is None:
            warning(f"{status.source.value}: no version loaded")
        elif status.stale:
            warning(
                f"{status.source.value}: active publication is "
                f"{status.age_days} days old (more than {max_age})"
            )


def _print_status(statuses: list[SourceStatus]) -> None:
    table = Table("source", "version", "published", "age (days)", "entities", "by schema", "loaded")
    for status in statuses:
        active = status.active
        if active is None:
            table.add_row(status.source.value, "—", "—", "—", "—", "—", "—")
            continue
        by_schema = ", ".join(f"{k} {v}" for k, v in active.counts.get("by_schema", {}).items())
        table.add_row(
            status.source.value,
            f"{active.id} of {status.versions}",
            f"{active.published_on} ({active.published_from})",
            str(status.age_days),
            str(active.entity_count),
            by_schema,
            active.loaded_at.strftime("%Y-%m-%d %H:%M UTC"),
        )
    Console().print(table)


@lists.command("diff")
@click.argument("source", type=click.Choice([s.value for s in Source]))
@click.option(
    "--from", "from_id", type=int, help="Version id to compare from (default: the one before --to)."
)
@click.option("--to", "to_id", type=int, help="Version id to compare to (default: the active one).")
@click.option(
    "--json", "as_json", is_flag=True, help="Print added, removed, changed and details as JSON."
)
@db_option
def lists_diff(
    source: str, from_id: int | None, to_id: int | None, as_json: bool, db_url: str | None
) -> None:
    """Entities added, removed and changed between two versions of a source.

    Changes are shown field by field; child collections (names, identifiers, addresses...)
    are compared as sets, so re-ordering is not a change. Version ids come from
    `coalition lists status` or `coalition lists versions`.
    """
    with open_store(db_url) as store:
        try:
            result = diff_versions(store, source, from_id, to_id)
        except DiffError as exc:
            error(f"{exc}")
            sys.exit(EXIT_READ_ERROR)
    if as_json:
        click.echo(result.model_dump_json())
    else:
        click.echo(_format_diff(result))


@lists.command("versions")
@click.argument("source", required=False, type=click.Choice([s.value for s in Source]))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per version.")
@db_option
def lists_versions(source: str | None, as_json: bool, db_url: str | None) -> None:
    """All stored versions, newest publication first (the first per source is active)."""
    with open_store(db_url) as store:
        versions = store.versions(source)
    for version in versions:
        if as_json:
            click.echo(version.model_dump_json())
        else:
            click.echo(
                f"{version.source.value}\tversion {version.id}\tpublished {version.published_on}"
                f" ({version.published_from})\t{version.entity_count} entities\t"
                f"{version.format}\t{version.file_name}\tsha256 {version.sha256[:12]}"
            )


def _format_diff(result: ListDiff) -> str:
    lines = [
        f"{result.source}: version {result.from_version.id} ({result.from_version.published_on})"
        f" -> version {result.to_version.id} ({result.to_version.published_on})",
        f"  added {len(result.added)}, removed {len(result.removed)}, "
        f"changed {len(result.changed)}",
    ]
    for entry_id in result.added:
        lines.append(f"  + {entry_id}  {result.added_names[entry_id]}")
    for entry_id in result.removed:
        lines.append(f"  - {entry_id}  {result.removed_names[entry_id]}")
    for change in result.details:
        lines.append(f"  ~ {change.entry_id}  {change.name}")
        for field in change.changes:
            if field.added or field.removed:
                for item in field.removed:
                    lines.append(f"      {field.field}: - {_short(item)}")
                for item in field.added:
                    lines.append(f"      {field.field}: + {_short(item)}")
            else:
                lines.append(f"      {field.field}: {_short(field.old)} -> {_short(field.new)}")
    return "\n".join(lines)


def _short(value: Any, limit: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _format_inspection(result: Inspection) -> str:
    schemas = ", ".join(f"{k} {v}" for k, v in result.by_schema.items())
    kinds = ", ".join(f"{k} {v}" for k, v in result.names_by_kind.items())
    id_types = ", ".join(f"{k} {v}" for k, v in result.identifiers_by_type.items()) or "none"
    programs = ", ".join(result.programs[:12])
    if len(result.programs) > 12:
        programs += f", … ({len(result.programs)} in all)"
    lines = [
        f"{result.file}",
        f"  format      {result.format} ({result.source})",
        f"  published   {result.published or 'not stated in the file'}",
        f"  entities    {result.entities} ({schemas})",
        f"  names       {result.names} ({kinds})",
        f"  identifiers {result.identifiers} ({id_types}); IMO numbers {result.imo_numbers}",
        f"  programs    {len(result.programs)}: {programs or 'none'}",
    ]
    if result.warnings:
        lines.append(f"  warnings    {len(result.warnings)}")
        lines.extend(f"    - {w}" for w in result.warnings[:20])
        if len(result.warnings) > 20:
            lines.append(f"    … and {len(result.warnings) - 20} more")
    return "\n".join(lines)


# -- batch -------------------------------------------------------------------------------------

EXIT_BATCH_ROW_ERRORS = 4


@main.command("batch")
@click.argument("input_path", metavar="INPUT.csv", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    "output_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Output file: .csv (input columns + results) or .jsonl (one JSON object per row).",
)
@click.option("--name-column", metavar="C", help="Column with the name (default: detected).")
@click.option("--type-column", metavar="C", help="Column with person/organization/vessel/...")
@click.option("--country-column", metavar="C", help="Column with the country (code or name).")
@click.option("--dob-column", metavar="C", help="Column with the birth date.")
@click.option(
    "--threshold",
    "report_at",
    type=click.FloatRange(0, 1),
    help="Lowest score reported as a hit, 0..1 (default 0.60, or COALITION_REPORT_THRESHOLD).",
)
@db_option
def batch(
    input_path: Path,
    output_path: Path,
    name_column: str | None,
    type_column: str | None,
    country_column: str | None,
    dob_column: str | None,
    report_at: float | None,
    db_url: str | None,
) -> None:
    """Screen every row of a CSV file and write one result per row, in input order.

    The encoding (UTF-8, UTF-8 with BOM, cp1252) and delimiter (, ; tab |) are detected;
    columns are found by common header names (name, full_name, customer_name...; type,
    entity_type; country, nationality; dob, birth_date) unless given. A row that cannot be
    screened (wrong field count, empty name, unknown type...) gets decision `error` and a
    reason; the others go on. CSV output escapes cells a spreadsheet would run as formulas.
    The output appears only when the run is complete. Details: `pydoc screening.batch.names`.

    Exit codes: 0 every row screened (with or without hits); 1 the input is unreadable, has
    no name column, the output cannot be written or no lists are loaded (no output file is
    left); 2 usage error (bad option, threshold outside 0..1, output not .csv/.jsonl);
    3 database problem (no output file); 4 finished, but some rows have decision `error`.
    """
    from screening.batch.names import (
        BatchError,
        BatchOptions,
        BatchUsageError,
        ColumnChoice,
        output_format,
        run_batch,
        thresholds_with_report,
    )

    try:
        output_format(input_path, output_path)
    except BatchUsageError as exc:
        raise click.BadParameter(str(exc), param_hint="--out") from None
    try:
        thresholds = Thresholds.from_environment()
        if report_at is not None:
            thresholds = thresholds_with_report(report_at, thresholds)
    except ValueError as exc:
        raise click.BadParameter(_first_line(exc), param_hint="--threshold") from None
    options = BatchOptions(
        columns=ColumnChoice(name_column, type_column, country_column, dob_column),
        thresholds=thresholds,
    )

    def open_screener() -> Screener:
        screener = Screener.open(db_url, thresholds=thresholds)
        if not screener.versions:
            raise BatchError(
                "no lists are loaded: run `coalition lists load PATH` or `coalition lists update`"
            )
        return screener

    try:
        with _batch_progress(input_path) as on_progress:
            summary = run_batch(input_path, output_path, open_screener, options, on_progress)
    except BatchError as exc:
        error(f"{exc} (no output written)")
        sys.exit(EXIT_READ_ERROR)
    except SQLAlchemyError as exc:
        error(f"database {resolve_url(db_url)!r}: {_first_line(exc)} (no output written)")
        sys.exit(EXIT_DB_ERROR)
    for line in summary.report_lines():
        stderr.print(Text(line))
    if summary.error:
        sys.exit(EXIT_BATCH_ROW_ERRORS)


@contextmanager
def _batch_progress(input_path: Path) -> Iterator[Callable[[int, int, int], None]]:
    """A progress bar over the input's bytes, with the rows done so far."""
    from rich.progress import TimeRemainingColumn

    with Progress(
        TextColumn("screening {task.description}"),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[rows]:,} rows"),
        TimeRemainingColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,  # logs get the summary, not a blank line
    ) as progress:
        task = progress.add_task(input_path.name, total=None, rows=0)

        def on_progress(bytes_read: int, total_bytes: int, rows: int) -> None:
            progress.update(task, completed=bytes_read, total=total_bytes, rows=rows)

        yield on_progress


# -- tx ----------------------------------------------------------------------------------------


@main.group()
def tx() -> None:
    """Screen transactions: parties, jurisdictions, CHPL goods and transit routes."""


@tx.command("screen")
@click.argument("input_path", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    "output_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Output file: .jsonl (one JSON object per transaction) or .csv (input + results).",
)
@click.option(
    "--profile",
    "profile_name",
    metavar="NAME|PATH",
    help="Institution profile: uk_bank (default), us_bank, eu_bank or a JSON profile file.",
)
@db_option
def tx_screen(
    input_path: Path, output_path: Path, profile_name: str | None, db_url: str | None
) -> None:
    """Screen every transaction of FILE (.csv, .jsonl or .json); one result per row, in order.

    Each transaction gets a decision (block, review, clear) and a risk score 0..100 from the
    rules in docs/rules.md; the lists that bind the institution come from --profile. A row
    that cannot be read (bad amount, unknown country, unreadable HS code...) gets decision
    `error` and a reason; the others go on. The CSV format is in
    `pydoc screening.coalition.transactions`.

    Exit codes: 0 every transaction screened; 1 the input is unreadable, has no tx_id column,
    the output cannot be written or no lists are loaded (no output file is left); 2 usage
    error (bad option, unknown profile, output not .csv/.jsonl); 3 database problem (no output
    file); 4 finished, but some rows have decision `error`.
    """
    from screening.batch.names import BatchError, BatchUsageError, output_format
    from screening.batch.transactions import run_tx_batch
    from screening.coalition.profiles import ProfileError, resolve_profile

    try:
        output_format(input_path, output_path)
    except BatchUsageError as exc:
        raise click.BadParameter(str(exc), param_hint="--out") from None
    try:
        profile = resolve_profile(profile_name)
    except ProfileError as exc:
        raise click.BadParameter(str(exc), param_hint="--profile") from None
    try:
        thresholds = Thresholds.from_environment()
    except ValueError as exc:
        raise click.UsageError(_first_line(exc)) from None

    def open_screener() -> Screener:
        screener = Screener.open(db_url, thresholds=thresholds)
        if not screener.versions:
            raise BatchError(
                "no lists are loaded: run `coalition lists load PATH` or `coalition lists update`"
            )
        return screener

    try:
        with _batch_progress(input_path) as on_progress:
            summary = run_tx_batch(
                input_path, output_path, open_screener, profile, thresholds, on_progress
            )
    except BatchError as exc:
        error(f"{exc} (no output written)")
        sys.exit(EXIT_READ_ERROR)
    except SQLAlchemyError as exc:
        error(f"database {resolve_url(db_url)!r}: {_first_line(exc)} (no output written)")
        sys.exit(EXIT_DB_ERROR)
    for line in summary.report_lines():
        stderr.print(Text(line))
    if summary.error:
        sys.exit(EXIT_BATCH_ROW_ERRORS)


# -- HTTP service and API keys -----------------------------------------------------------------


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port.")
@click.option(
    "--max-body",
    "max_body_bytes",
    default=1 << 20,
    show_default=True,
    type=click.IntRange(min=1),
    help="Largest request body accepted, in bytes (larger: 413).",
)
@db_option
def serve(host: str, port: int, max_body_bytes: int, db_url: str | None) -> None:
    """Run the HTTP screening service (OpenAPI document at /openapi.json).

    Every endpoint but /health needs an X-API-Key header: create keys with
    `coalition keys create NAME`. Newly loaded list versions are picked up within seconds.
    """
    import uvicorn

    from screening.service.app import create_app

    with open_store(db_url):
        app = create_app(db_url, max_body_bytes=max_body_bytes)
    uvicorn.run(app, host=host, port=port, log_level="info")


@main.group()
def keys() -> None:
    """API keys of the HTTP service (only their SHA-256 is stored)."""


@keys.command("create")
@click.argument("name")
@db_option
def keys_create(name: str, db_url: str | None) -> None:
    """Create a key named NAME and print it once; it cannot be shown again."""
    from screening.workflow.keys import ApiKeys

    with open_store(db_url) as store:
        try:
            key = ApiKeys(store).create(name)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="NAME") from None
    click.echo(key)
    stderr.print(Text(f"key {name!r} created; store it now, it is not shown again"))


@keys.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per key.")
@db_option
def keys_list(as_json: bool, db_url: str | None) -> None:
    """Keys by name: display prefix, creation and revocation times (never the key)."""
    from screening.workflow.keys import ApiKeys

    with open_store(db_url) as store:
        found = ApiKeys(store).list()
    for info in found:
        if as_json:
            click.echo(info.model_dump_json())
        else:
            state = f"revoked {info.revoked_at:%Y-%m-%d %H:%M}" if info.revoked_at else "active"
            click.echo(f"{info.name}\t{info.prefix}…\t{info.created_at:%Y-%m-%d %H:%M}\t{state}")


@keys.command("revoke")
@click.argument("name")
@db_option
def keys_revoke(name: str, db_url: str | None) -> None:
    """Revoke the key NAME; requests with it get 401 from then on."""
    from screening.workflow.keys import ApiKeys

    with open_store(db_url) as store:
        revoked = ApiKeys(store).revoke(name)
    if not revoked:
        error(f"no active key named {name!r}")
        sys.exit(EXIT_READ_ERROR)
    click.echo(f"revoked {name}")


if __name__ == "__main__":
    main()
