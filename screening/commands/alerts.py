"""``coalition alerts``: alerts opened by recorded screenings, analysts' decisions and
supervisors' four-eyes reviews of them."""

from __future__ import annotations

from pathlib import Path

import click

from screening.commands import render
from screening.commands.common import db_option, fail, json_option, note, open_store
from screening.workflow.export import ExportError, ExportUsageError, export_decisions
from screening.workflow.recorder import AlertStatus, DecisionState, Disposition, Recorder
from screening.workflow.users import REVIEWER_ROLES, Users


@click.group("alerts")
def alerts() -> None:
    """Alerts opened by recorded screenings, and analysts' decisions (append-only)."""


@alerts.command("list")
@click.option(
    "--status",
    type=click.Choice([s.value for s in AlertStatus]),
    help="Only alerts with this status (default: all); pending: awaiting a four-eyes review.",
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
    pending = decision.state is DecisionState.PENDING
    click.echo(
        f"decision {decision.id}: alert {alert_id} {decision.disposition.value} "
        f"by {decision.analyst}" + (" (pending: awaits a supervisor's approval)" if pending else "")
    )


@alerts.command("review")
@click.argument("decision_id", type=click.IntRange(1))
@click.option(
    "--approve/--reject",
    "approve",
    default=None,
    help="Approve the pending decision (it takes effect) or reject it (the alert is open again).",
)
@click.option("--reason", required=True, help="Why; kept in the audit trail.")
@click.option(
    "--as",
    "reviewer",
    required=True,
    metavar="USER",
    help="The reviewing user: active, supervisor or admin, and not the decision's analyst.",
)
@db_option
def alerts_review(
    decision_id: int, approve: bool | None, reason: str, reviewer: str, db_url: str | None
) -> None:
    """Approve or reject a four-eyes decision (COALITION_FOUR_EYES=1) awaiting review."""
    if approve is None:
        raise click.UsageError("say --approve or --reject")
    with open_store(db_url) as store:
        user = Users(store.engine).get(reviewer)
        if user is None or not user.active:
            fail(f"no active user named {reviewer!r} (see `coalition users list`)")
        if user.role not in REVIEWER_ROLES:
            fail(f"{user.name} is an {user.role.value}: only a supervisor or admin may review")
        try:
            review = Recorder(store).review(
                decision_id,
                approve=approve,
                reviewer=user.name,
                reviewer_role=user.role,
                reason=reason,
            )
        except (PermissionError, ValueError) as exc:
            fail(str(exc))
    verdict = "approved" if review.approved else "rejected"
    click.echo(f"decision {decision_id} {verdict} by {review.reviewer}")


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
