"""``coalition alerts``: alerts opened by recorded screenings, and analysts' decisions."""

from __future__ import annotations

from pathlib import Path

import click

from screening.commands import render
from screening.commands.common import db_option, fail, json_option, note, open_store
from screening.workflow.export import ExportError, ExportUsageError, export_decisions
from screening.workflow.recorder import AlertStatus, Disposition, Recorder


@click.group("alerts")
def alerts() -> None:
    """Alerts opened by recorded screenings, and analysts' decisions (append-only)."""


@alerts.command("list")
@click.option(
    "--status",
    type=click.Choice([s.value for s in AlertStatus]),
    help="Only alerts with this status (default: all).",
)
@click.option("--customer", "customer_ref", metavar="REF", help="Only this customer's alerts.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--offset", default=0, show_default=True, type=click.IntRange(0))
@json_option("One JSON object per alert, one per line.")
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
    with open_store(db_url) as store:
        found = Recorder(store).alerts(
            status=AlertStatus(status) if status else None,
            customer_ref=customer_ref,
            limit=limit,
            offset=offset,
        )
    for alert in found:
        click.echo(alert.model_dump_json() if as_json else render.alert_row(alert))


@alerts.command("show")
@click.argument("alert_id", type=int)
@json_option("The alert, its hit and decisions as JSON.")
@db_option
def alerts_show(alert_id: int, as_json: bool, db_url: str | None) -> None:
    """One alert: the hit with its explanation, the query, list versions and every decision."""
    with open_store(db_url) as store:
        detail = Recorder(store).alert(alert_id)
    if detail is None:
        fail(f"no alert {alert_id}")
    click.echo(detail.model_dump_json() if as_json else render.alert_detail_text(detail))


@alerts.command("decide")
@click.argument("alert_id", type=int)
@click.option("--disposition", required=True, type=click.Choice([d.value for d in Disposition]))
@click.option("--reason", required=True, help="Why; kept in the audit trail.")
@click.option("--analyst", required=True, help="Who decides; kept in the audit trail.")
@db_option
def alerts_decide(
    alert_id: int, disposition: str, reason: str, analyst: str, db_url: str | None
) -> None:
    """Record a disposition of an alert. Decisions are never changed: a new one is added."""
    with open_store(db_url) as store:
        try:
            decision = Recorder(store).decide(
                alert_id, Disposition(disposition), reason=reason, analyst=analyst
            )
        except ValueError as exc:
            fail(str(exc))
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
    with open_store(db_url) as store:
        try:
            count = export_decisions(store, output_path)
        except ExportUsageError as exc:
            raise click.BadParameter(str(exc), param_hint="--out") from None
        except ExportError as exc:
            fail(str(exc))
    note(f"{count} decisions written to {output_path}")
