"""``coalition analyze``: who lists whom, who follows whom and how fast, where lists diverge.

Each subcommand reads the cross-list clusters of the active lists from the cluster cache, or
builds them once (under a progress bar) and caches them (`analytics.cache`); it then calls one
analysis of `screening.coalition.analytics` and prints its result as tables, or as one JSON
object with ``--json``. The analyses, their date basis and their caveats are described in
docs/analytics.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table
from rich.text import Text

from screening.commands.common import (
    NO_LISTS,
    db_option,
    fail,
    json_option,
    loaded_screener,
    note,
    open_store,
    output_option,
    stderr,
)

if TYPE_CHECKING:
    from pydantic import BaseModel

    from screening.coalition.analytics.divergence import Divergence
    from screening.coalition.analytics.hubs import Hubs
    from screening.coalition.analytics.lag import Lags
    from screening.coalition.analytics.model import Cluster, CoalitionData
    from screening.coalition.analytics.overlap import CellClusters, Overlap, ScopeFilter
    from screening.coalition.analytics.trends import Trends
    from screening.matching.screener import Screener
    from screening.store import VersionInfo

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_SCOPE = "russia"


# Tables of listings are wide: piped into a file they keep their columns instead of being
# squeezed into 80 (rich's width when standard output is not a terminal).
PIPED_WIDTH = 200


def wide_console() -> Console:
    """A console as wide as the terminal, or `PIPED_WIDTH` when the output is not one."""
    console = Console()
    return console if console.is_terminal else Console(width=PIPED_WIDTH)


def _scope_option(func: F) -> F:
    return click.option(
        "--scope",
        "scope_name",
        default=DEFAULT_SCOPE,
        show_default=True,
        metavar="NAME",
        help="Program group to analyse (russia, belarus, iran; see docs/analytics.md).",
    )(func)


def _options(func: F) -> F:
    """``--json``, ``--scope`` and ``--db``: what every analysis takes."""
    return json_option("Print the result as one JSON object.")(_scope_option(db_option(func)))


def _resolve_scope(name: str) -> ScopeFilter:
    """The scope called `name`; an unknown name is a usage error listing the known ones."""
    from screening.coalition.analytics.scopes import UnknownScopeError, scope

    try:
        return scope(name)
    except UnknownScopeError as exc:
        raise click.BadParameter(str(exc), param_hint="--scope") from None


@contextmanager
def _cluster_progress() -> Iterator[Callable[[str, int, int], None]]:
    """A bar on stderr while the clusters are built: the step, its items done of the total.

    Transient, and off when stderr is not a terminal (as every bar of the commands).
    """
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
    ) as progress:
        task = progress.add_task("building clusters", total=None)

        def on_progress(step: str, done: int, total: int) -> None:
            progress.update(task, description=step, completed=done, total=total or None)

        yield on_progress


@dataclass
class Loaded:
    data: CoalitionData
    scope: ScopeFilter
    versions: list[VersionInfo]
    screener: Screener | None = None


def _load(db_url: str | None, scope_name: str, *, with_screener: bool = False) -> Loaded:
    """The scope, then the clusters of the store's active lists: read from the cluster cache
    (`analytics.cache`), or built once under a progress bar and cached for the next command.

    The screener (its name index) is opened only to build the clusters or when asked for.
    """
    from screening.coalition.analytics.cache import coalition_data

    scope = _resolve_scope(scope_name)
    with open_store(db_url) as store:
        versions = store.active_versions()
        if not versions:
            fail(NO_LISTS)
        opened: list[Screener] = [loaded_screener(store)] if with_screener else []

        def screener() -> Screener:
            if not opened:
                opened.append(loaded_screener(store))
            return opened[0]

        with _cluster_progress() as on_progress:
            data = coalition_data(store, screener, progress=on_progress)
    return Loaded(data=data, scope=scope, versions=versions, screener=opened[0] if opened else None)


def _echo_json(result: BaseModel) -> None:
    click.echo(result.model_dump_json())


def _print_notes(console: Console, notes: list[str]) -> None:
    for line in notes:
        console.print(Text.assemble(("note: ", "bold yellow"), line))


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


@click.group("analyze")
def analyze() -> None:
    """Coalition analytics: overlap, follow lags, divergence, hubs and trends of the lists."""


# -- party ------------------------------------------------------------------------------------


@analyze.command("party")
@click.argument("name")
@_options
def analyze_party(name: str, as_json: bool, scope_name: str, db_url: str | None) -> None:
    """The cluster(s) of the listed party best matching NAME, with every listing's date."""
    from screening.coalition.analytics.clusters import party

    loaded = _load(db_url, scope_name, with_screener=True)
    assert loaded.screener is not None
    clusters = party(loaded.data, loaded.screener, name)
    if as_json:
        dumped = [_party_json(cluster, loaded.scope) for cluster in clusters]
        click.echo(json.dumps({"scope": loaded.scope.name, "query": name, "clusters": dumped}))
        return
    if not clusters:
        fail(f"no listed party matches {name!r}")
    console = wide_console()
    for cluster in clusters:
        _print_cluster(console, cluster, loaded.scope)


def _party_json(cluster: Cluster, scope: ScopeFilter) -> dict[str, Any]:
    dumped = cluster.model_dump(mode="json")
    for listing, shown in zip(cluster.listings, dumped["listings"], strict=True):
        shown["in_scope"] = scope.contains(listing)
    return dumped


def _print_cluster(console: Console, cluster: Cluster, scope: ScopeFilter) -> None:
    table = Table(
        "member",
        "dataset",
        "entry",
        "name",
        "schema",
        "listed on",
        "date basis",
        "delisted",
        f"in {scope.name}",
        title=f"cluster {cluster.id}",
    )
    for listing in sorted(cluster.listings, key=lambda item: (item.member, item.key)):
        table.add_row(
            listing.member,
            listing.dataset,
            listing.entry_id,
            listing.name,
            listing.schema_.value,
            str(listing.listed_on or "—"),
            listing.date_basis.value,
            str(listing.delisted_on or ""),
            "yes" if scope.contains(listing) else "no",
        )
    console.print(table)
    for link in cluster.links:
        console.print(
            Text(f"  {link.a} = {link.b}: {link.method.value} {link.score:.2f} ({link.evidence})")
        )


# -- overlap ----------------------------------------------------------------------------------


@analyze.command("overlap")
@click.option(
    "--cell",
    "cell_members",
    metavar="MEMBERS",
    help="List the parties listed by exactly these members, e.g. us,uk.",
)
@_options
def analyze_overlap(
    cell_members: str | None, as_json: bool, scope_name: str, db_url: str | None
) -> None:
    """The scope's parties by the set of members listing them, and pairwise overlap."""
    from screening.coalition.analytics.overlap import caveats, cell, overlap

    loaded = _load(db_url, scope_name)
    if cell_members is not None:
        found = cell(loaded.data, cell_members, loaded.scope)
        if as_json:
            _echo_json(found)
        else:
            _print_cell(found, caveats(loaded.data))
        return
    result = overlap(loaded.data, loaded.scope)
    if as_json:
        _echo_json(result)
    else:
        _print_overlap(result)


def _print_overlap(result: Overlap) -> None:
    console = wide_console()
    partition = Table(
        "listed by exactly",
        "parties",
        "by schema",
        title=f"{result.scope}: {result.clusters} parties",
    )
    for cell in result.partition:
        by_schema = ", ".join(f"{schema} {count}" for schema, count in cell.by_schema.items())
        partition.add_row(" + ".join(cell.members), str(cell.count), by_schema)
    console.print(partition)
    pairs = Table("A", "B", "|A|", "|B|", "both", "Jaccard", "A in B", "B in A", title="pairwise")
    for pair in result.pairwise:
        pairs.add_row(
            pair.a,
            pair.b,
            str(pair.a_count),
            str(pair.b_count),
            str(pair.both),
            f"{pair.jaccard:.2f}",
            _share(pair.coverage_a),
            _share(pair.coverage_b),
        )
    console.print(pairs)
    _print_notes(console, result.notes)


def _print_cell(found: CellClusters, notes: list[str]) -> None:
    console = wide_console()
    table = Table(
        "party",
        "listings",
        title=f"{found.scope}: {found.count} parties listed by exactly {' + '.join(found.members)}",
    )
    for cluster in found.clusters:
        listings = "; ".join(
            f"{item.dataset}:{item.entry_id} {item.listed_on or '—'} ({item.date_basis.value})"
            for item in cluster.listings
        )
        table.add_row(cluster.listings[0].name, listings)
    console.print(table)
    _print_notes(console, notes)


# -- lag --------------------------------------------------------------------------------------


@analyze.command("lag")
@_options
def analyze_lag(as_json: bool, scope_name: str, db_url: str | None) -> None:
    """How often, and how fast, each member followed another's designations."""
    from screening.coalition.analytics.lag import lag

    loaded = _load(db_url, scope_name)
    result = lag(loaded.data, loaded.scope)
    if as_json:
        _echo_json(result)
    else:
        _print_lag(result)


def _print_lag(result: Lags) -> None:
    console = wide_console()
    table = Table(
        "leader",
        "follower",
        "both",
        "followed",
        "≤30d",
        "≤90d",
        "≤180d",
        "median",
        "p75",
        "p90",
        "≤1d",
        "undated",
        "date basis",
        title=f"{result.scope}: designation lags in days",
    )
    for pair in result.pairs:
        table.add_row(
            pair.leader,
            pair.follower,
            str(pair.both),
            str(pair.followed),
            _share(pair.within_30),
            _share(pair.within_90),
            _share(pair.within_180),
            _days(pair.median_days),
            _days(pair.p75_days),
            _days(pair.p90_days),
            str(pair.coordinated),
            str(pair.undated),
            pair.date_basis,
        )
    console.print(table)
    console.print(
        Text(f"{result.excluded_for_dates} (party, pair) combinations left out for lack of dates")
    )
    _print_notes(console, result.notes)


# -- divergence -------------------------------------------------------------------------------


@analyze.command("divergence")
@click.option(
    "--listed-by", metavar="MEMBERS", help="Listed by any of these (default: all but --not-by)."
)
@click.option("--not-by", metavar="MEMBERS", help="And by none of these (default: us).")
@_options
def analyze_divergence(
    listed_by: str | None, not_by: str | None, as_json: bool, scope_name: str, db_url: str | None
) -> None:
    """Parties listed by some members and not by others, in both directions."""
    from screening.coalition.analytics.divergence import divergence

    loaded = _load(db_url, scope_name)
    try:
        result = divergence(loaded.data, loaded.scope, listed_by=listed_by, not_by=not_by)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if as_json:
        _echo_json(result)
    else:
        _print_divergence(result)


def _print_divergence(result: Divergence) -> None:
    console = wide_console()
    for direction in result.directions:
        table = Table(
            "party",
            "schema",
            "listed by",
            "listings",
            "weakest link",
            "uncertain pairs",
            title=f"{result.scope}: {direction.count} listed by "
            f"{' or '.join(direction.listed_by) or '—'}, not by "
            f"{' or '.join(direction.not_by) or '—'}",
        )
        for party in direction.parties:
            weakest = party.confidence
            table.add_row(
                party.name,
                party.schema_,
                ", ".join(party.members),
                "; ".join(
                    f"{item.dataset}:{item.entry_id} {' '.join(item.identifiers[:3])}".strip()
                    for item in party.listings
                ),
                "—"
                if weakest.lowest_score is None or weakest.lowest_method is None
                else f"{weakest.lowest_method.value} {weakest.lowest_score:.2f}",
                "; ".join(f"{link.a}~{link.b} {link.score:.2f}" for link in party.uncertain),
            )
        console.print(table)
    _print_notes(console, result.notes)


# -- hubs -------------------------------------------------------------------------------------


@analyze.command("hubs")
@_options
def analyze_hubs(as_json: bool, scope_name: str, db_url: str | None) -> None:
    """Listed parties located in the transshipment hubs, per member and month."""
    from screening.coalition.analytics.hubs import hubs

    loaded = _load(db_url, scope_name)
    result = hubs(loaded.data, loaded.scope)
    if as_json:
        _echo_json(result)
    else:
        _print_hubs(result)


def _print_hubs(result: Hubs) -> None:
    console = wide_console()
    members = Table(
        "member",
        "in hubs",
        "listed",
        "undated",
        "by country",
        title=f"{result.scope}: {result.clusters} parties located in "
        f"{len(result.hubs)} hub jurisdictions",
    )
    for row in result.by_member:
        countries = ", ".join(f"{code} {count}" for code, count in row.by_country.items())
        members.add_row(row.member, str(row.count), str(row.listed), str(row.undated), countries)
    console.print(members)
    names = [row.member for row in result.by_member]
    months = Table("month", *names, title="by month of designation")
    for month in result.by_month:
        months.add_row(month.month, *(str(month.by_member.get(name, "")) for name in names))
    console.print(months)
    _print_notes(console, result.notes)


# -- trends -----------------------------------------------------------------------------------


@analyze.command("trends")
@_options
def analyze_trends(as_json: bool, scope_name: str, db_url: str | None) -> None:
    """Designations and delistings per member and month."""
    from screening.coalition.analytics.trends import trends

    loaded = _load(db_url, scope_name)
    result = trends(loaded.data, loaded.scope)
    if as_json:
        _echo_json(result)
    else:
        _print_trends(result)


def _print_trends(result: Trends) -> None:
    console = wide_console()
    months = Table(
        "month",
        "member",
        "designations",
        "official",
        "first seen",
        "delistings",
        title=f"{result.scope}: designations and delistings per month",
    )
    for row in result.months:
        months.add_row(
            row.month,
            row.member,
            str(row.designations),
            str(row.official),
            str(row.first_seen),
            str(row.delistings),
        )
    console.print(months)
    totals = Table("member", "listings", "dated", "undated", "delistings", title="totals")
    for total in result.totals:
        totals.add_row(
            total.member,
            str(total.listings),
            str(total.designations),
            str(total.undated),
            str(total.delistings),
        )
    console.print(totals)
    _print_notes(console, result.notes)


# -- report -----------------------------------------------------------------------------------


@analyze.command("report")
@output_option("The HTML file to write (one self-contained page, no network needed).")
@_scope_option
@db_option
def analyze_report(output_path: Path, scope_name: str, db_url: str | None) -> None:
    """One HTML page with the overlap, lag, trend and hub figures, the method and date basis."""
    from screening.coalition.analytics.report import compute_figures, write_report

    loaded = _load(db_url, scope_name)
    # The figures once, handed to the page (which would otherwise compute them itself).
    figures = compute_figures(loaded.data, loaded.scope)
    try:
        write_report(
            loaded.data, loaded.scope, output_path, versions=loaded.versions, figures=figures
        )
    except OSError as exc:
        fail(f"{output_path}: {exc.strerror or exc}")
    note(f"wrote {output_path}")
