"""How results look on a terminal: hits with their explanations, alerts, tables and reports.

Each function takes a typed result and returns text (or prints a rich table); none computes
anything. Types are imported for checking only: ``coalition hs`` renders from here and must
not load the database layer.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from rich.text import Text

# The explanation's wording is shared with the web pages (screening.service.ui).
from screening.matching.explain import coalition_timeline, feature_line, token_text

if TYPE_CHECKING:
    from pathlib import Path

    from lists.inspect import Inspection
    from screening.coalition.goods import HsVerdict
    from screening.matching.results import Explanation, ScreeningResult
    from screening.store import ListDiff, LoadResult, SourceStatus, VersionInfo
    from screening.workflow.keys import ApiKeyInfo
    from screening.workflow.recorder import AlertDetail, AlertInfo, DecisionInfo
    from screening.workflow.rescreen import RecordedBatch

DECISION_STYLES = {"match": "bold red", "review": "bold yellow", "clear": "bold green"}
WARNINGS_SHOWN = 20


def short(value: Any, limit: int = 160) -> str:
    """A value on one line: strings as they are, anything else as JSON; cut at `limit`."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- screening results -------------------------------------------------------------------------


def feature_lines(explanation: Explanation, indent: str) -> list[str]:
    return [f"{indent}{feature_line(f)}" for f in explanation.features]


def print_result(result: ScreeningResult) -> None:
    """The decision, then each hit with its score, explanation and other listings."""
    console = Console()
    versions = ", ".join(f"{v.dataset} {v.published_on}" for v in result.list_versions)
    console.print(
        Text.assemble(
            (result.decision.value.upper(), DECISION_STYLES[result.decision.value]),
            f"  {result.query.name!r}: {len(result.hits)} hits (lists: {versions})",
        )
    )
    for hit in result.hits:
        console.print(
            Text.assemble(
                (f"{hit.score:.3f} {hit.decision.value:6}", DECISION_STYLES[hit.decision.value]),
                f" {hit.dataset}:{hit.entry_id} {hit.name} [{hit.schema_.value}]",
                f" programs {', '.join(hit.programs) or '-'}",
                f" listed {hit.listed_on or 'date not given'}",
            )
        )
        explanation = hit.explanation
        console.print(
            Text(
                f"      matched {hit.matched_name!r}: "
                f"name {explanation.name_score:.2f} ({token_text(explanation)})"
            )
        )
        for line in feature_lines(explanation, "      "):
            console.print(Text(line))
        for other in hit.also_listed:
            console.print(
                Text(
                    f"      also listed: {other.dataset}:{other.entry_id} {other.name} "
                    f"({other.linked_by})"
                )
            )
        console.print(Text(f"      coalition: {coalition_timeline(hit)}"))


def hs_lines(verdict: HsVerdict) -> list[str]:
    tiers = ", ".join(verdict.tiers) or "-"
    lines = [
        f"{verdict.code}: {verdict.normalized} {verdict.verdict.value} (tiers: {tiers})",
        f"    {verdict.reason}",
    ]
    lines += [
        f"    {entry.hs_code_dotted}  Tier {entry.tier:<4} {entry.description}"
        for entry in verdict.matches
    ]
    lines += [f"    warning: {doubt}" for doubt in verdict.warnings]
    return lines


# -- alerts and recorded screenings ------------------------------------------------------------


def alert_row(alert: AlertInfo) -> str:
    """One tab-separated line per alert (`alerts list`)."""
    line = (
        f"{alert.id}\t{alert.status.value}\t{alert.customer_ref or '-'}\t"
        f"{alert.dataset or alert.source}:{alert.entry_id}\t{alert.name}\t{alert.score:.3f} "
        f"{alert.decision}\t{alert.last_disposition or '-'}"
    )
    if alert.suppressed_by:
        line += f"\tsuppressed by decision {alert.suppressed_by}"
    return line


def decision_line(decision: DecisionInfo) -> str:
    # The state says whether the disposition is in effect (final, approved) or not (pending,
    # rejected under four-eyes); each review follows on the same line.
    reviews = "".join(
        f"; {'approved' if review.approved else 'rejected'} by {review.reviewer}"
        f"{': ' + review.reason if review.reason else ''}"
        for review in decision.reviews
    )
    return (
        f"{decision.id} {decision.decided_at:%Y-%m-%d %H:%M:%S} {decision.disposition.value} "
        f"by {decision.analyst}: {decision.reason} [{decision.state.value}]{reviews}"
    )


def _evidence_lines(hit: dict[str, Any]) -> list[str]:
    """Why the alert was opened: a name hit's explanation, or a transaction rule's message.

    The hit is stored as JSON; reading it back into the result model keeps the rendering the
    same as `screen`'s, and a record in an older shape is pointed to --json, not dropped.
    """
    from screening.matching.results import Explanation

    if "explanation" in hit:
        try:
            explanation = Explanation.model_validate(hit["explanation"])
        except ValidationError:
            return ["  evidence  stored in an older shape: see `coalition alerts show ID --json`"]
        return [
            f"  matched   {explanation.matched_name!r}: "
            f"name {explanation.name_score:.2f} ({token_text(explanation)})",
            *feature_lines(explanation, "  "),
        ]
    if hit.get("message"):
        return [f"  rule      {hit['message']}"]
    return []


def alert_detail_text(detail: AlertDetail) -> str:
    programs = ", ".join(str(p) for p in detail.hit.get("programs") or []) or "-"
    lines = [
        f"alert {detail.id} ({detail.status.value}) from screening {detail.screening_id}, "
        f"created {detail.created_at:%Y-%m-%d %H:%M:%S} UTC",
        f"  customer  {detail.customer_ref or '-'}",
        f"  query     {short(detail.query)}",
        f"  listed    {detail.dataset or detail.source}:{detail.entry_id} {detail.name} "
        f"(programs {programs})",
        f"  score     {detail.score:.3f} {detail.decision}; list versions "
        f"{', '.join(map(str, detail.list_versions))}",
        *_evidence_lines(detail.hit),
    ]
    if detail.suppressed_by:
        lines.append(f"  suppressed by false-positive decision {detail.suppressed_by}")
    lines.append(f"  decisions {len(detail.decisions)}")
    lines += [f"    {decision_line(d)}" for d in detail.decisions]
    return "\n".join(lines)


def recorded_screening_lines(
    screening_id: int, result: ScreeningResult, alerts: list[AlertInfo]
) -> list[str]:
    lines = [
        f"screening {screening_id}: {result.decision.value.upper()}, "
        f"{len(result.hits)} hits, {len(alerts)} alerts"
    ]
    lines += [
        f"  alert {alert.id} {alert.status.value}: "
        f"{alert.dataset or alert.source}:{alert.entry_id} {alert.name} {alert.score:.3f} "
        f"{alert.decision}"
        for alert in alerts
    ]
    return lines


def recorded_batch_line(report: RecordedBatch) -> str:
    from screening.batch.runner import blank_lines_note

    decisions = ", ".join(f"{k} {v}" for k, v in sorted(report.decisions.items()))
    return (
        f"run {report.run_id}: {report.screened} of {report.rows} rows screened "
        f"({decisions or 'none'}); {report.alerts} alerts ({report.suppressed} suppressed)"
        + blank_lines_note(report.blank)
    )


def key_row(info: ApiKeyInfo) -> str:
    state = f"revoked {info.revoked_at:%Y-%m-%d %H:%M}" if info.revoked_at else "active"
    return f"{info.name}\t{info.prefix}…\t{info.created_at:%Y-%m-%d %H:%M}\t{state}"


# -- lists ---------------------------------------------------------------------------------------


def load_text(path: Path, result: LoadResult) -> str:
    """What loading did; a file holding several datasets gets one more line per dataset."""
    version = result.version
    what = (
        f"{version.dataset} version {version.id}: {version.entity_count} entities, "
        f"published {version.published_on} ({version.published_from})"
    )
    if all(each.status == "unchanged" for each in result.datasets):
        return f"{path}: unchanged — identical content is already stored as {what}"
    lines = [f"{path}: loaded {what}; {_activity(result)}"]
    if result.also:
        lines += [f"  {_dataset_line(each)}" for each in result.datasets]
    if version.warnings:
        lines.append(f"  {len(version.warnings)} warnings (see `coalition lists status --json`)")
    return "\n".join(lines)


def _dataset_line(result: LoadResult) -> str:
    version = result.version
    state = "unchanged (already stored)" if result.status == "unchanged" else _activity(result)
    return (
        f"dataset {version.dataset}: version {version.id}, {version.entity_count} entities, {state}"
    )


def _activity(result: LoadResult) -> str:
    """Whether the new version is active, and which active version of its dataset it replaces."""
    if not result.active:
        return "stored; a newer publication stays active"
    replaced = result.replaced
    if replaced is None or replaced.id == result.version.id:
        return "now active (the first version of this dataset)"
    return (
        f"now active, replacing version {replaced.id} of {replaced.dataset} "
        f"(published {replaced.published_on}, {replaced.entity_count} entities)"
    )


def shrink_warnings(result: LoadResult) -> list[str]:
    """A warning per dataset whose new active version holds far fewer entities than before."""
    return [warning for each in result.datasets if (warning := _shrink_warning(each))]


def _shrink_warning(result: LoadResult) -> str | None:
    if not result.shrank or result.replaced is None:
        return None
    version = result.version
    return (
        f"{version.dataset}: the active version now has {version.entity_count} "
        f"entities; the one it replaced (version {result.replaced.id}) had "
        f"{result.replaced.entity_count}. If only part of the list was loaded (OFAC's "
        "non-SDN files without sdn.csv, say), load all its files together as one directory."
    )


def status_warnings(statuses: list[SourceStatus], max_age: int) -> list[str]:
    warnings = []
    for status in statuses:
        if status.active is None:
            warnings.append(f"{status.dataset or status.source.value}: no version loaded")
        elif status.stale:
            warnings.append(
                f"{status.dataset or status.source.value}: active publication is "
                f"{status.age_days} days old (more than {max_age})"
            )
    return warnings


def print_status(statuses: list[SourceStatus]) -> None:
    table = Table(
        "source",
        "dataset",
        "active version",
        "stored",
        "published",
        "age (days)",
        "entities",
        "by schema",
        "loaded",
    )
    for status in statuses:
        active = status.active
        if active is None:
            table.add_row(status.source.value, status.dataset or "—", *["—"] * 7)
            continue
        by_schema = ", ".join(f"{k} {v}" for k, v in active.counts.get("by_schema", {}).items())
        table.add_row(
            status.source.value,
            status.dataset or "—",
            str(active.id),
            str(status.versions),
            f"{active.published_on} ({active.published_from})",
            str(status.age_days),
            str(active.entity_count),
            by_schema,
            active.loaded_at.strftime("%Y-%m-%d %H:%M UTC"),
        )
    Console().print(table)


def version_row(version: VersionInfo) -> str:
    return (
        f"{version.source.value}\t{version.dataset}\tversion {version.id}\t"
        f"published {version.published_on}"
        f" ({version.published_from})\t{version.entity_count} entities\t"
        f"{version.format}\t{version.file_name}\tsha256 {version.sha256[:12]}"
    )


def diff_text(result: ListDiff) -> str:
    lines = [
        f"{result.dataset}: version {result.from_version.id} ({result.from_version.published_on})"
        f" -> version {result.to_version.id} ({result.to_version.published_on})",
        f"  added {len(result.added)}, removed {len(result.removed)}, "
        f"changed {len(result.changed)}",
    ]
    lines += [f"  + {entry_id}  {result.added_names[entry_id]}" for entry_id in result.added]
    lines += [f"  - {entry_id}  {result.removed_names[entry_id]}" for entry_id in result.removed]
    for change in result.details:
        lines.append(f"  ~ {change.entry_id}  {change.name}")
        for field in change.changes:
            if field.added or field.removed:
                lines += [f"      {field.field}: - {short(item)}" for item in field.removed]
                lines += [f"      {field.field}: + {short(item)}" for item in field.added]
            else:
                lines.append(f"      {field.field}: {short(field.old)} -> {short(field.new)}")
    return "\n".join(lines)


def inspection_text(result: Inspection) -> str:
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
        lines.extend(f"    - {w}" for w in result.warnings[:WARNINGS_SHOWN])
        if len(result.warnings) > WARNINGS_SHOWN:
            lines.append(f"    … and {len(result.warnings) - WARNINGS_SHOWN} more")
    return "\n".join(lines)
