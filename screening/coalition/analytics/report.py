"""``coalition analyze report``: one self-contained HTML page of the coalition figures.

The page holds the overlap partition, the lag matrix, the monthly designation trends and the
hub counts (each as an inline SVG chart and a table of the same numbers), the method (how the
clusters were built, links by method, the uncertain pairs), the date basis of every figure, the
data loaded (datasets, versions, publication dates) and the caveats of that data. It loads
nothing from the network: no script, stylesheet, font or image outside the file, so it can be
mailed, archived with a decision, or opened on an air-gapped desk.

The template is ``templates/report.html`` (Jinja2, autoescaped: party names come from list
files and are text, never markup); the charts come from `report_charts`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from jinja2 import Environment, PackageLoader
from markupsafe import Markup
from pydantic import BaseModel

from lists.model import Source
from screening.coalition.analytics.hubs import Hubs, hubs
from screening.coalition.analytics.lag import Lags, lag
from screening.coalition.analytics.model import CoalitionData, Link, LinkMethod
from screening.coalition.analytics.overlap import Overlap, ScopeFilter, overlap, scope_name
from screening.coalition.analytics.report_charts import bar_chart, heatmap, line_chart
from screening.coalition.analytics.trends import Trends, trends
from screening.store import VersionInfo

# The partition has up to 2^members cells; the chart shows the largest, the table all of them.
PARTITION_BARS = 16
UNCERTAIN_SHOWN = 50
NO_EU_NOTE = (
    "EU: no EU list is loaded. No complete EU file is available offline (the shared data "
    "holds excerpts only), so the EU is absent from every figure."
)


class Figures(NamedTuple):
    """The analyses the page shows, when the caller has computed them already."""

    overlap: Overlap
    lag: Lags
    trends: Trends
    hubs: Hubs


def compute_figures(data: CoalitionData, scope: ScopeFilter | None) -> Figures:
    return Figures(overlap(data, scope), lag(data, scope), trends(data, scope), hubs(data, scope))


class UncertainRow(BaseModel):
    """An uncertain pair as the page shows it: both listings by name."""

    a: str
    b: str
    evidence: str
    score: float


class Report(BaseModel):
    """Every figure of the page, computed once: the page and its tests read the same numbers."""

    scope: str
    generated_at: dt.datetime
    overlap: Overlap
    lag: Lags
    trends: Trends
    hubs: Hubs
    clusters: int
    multi_member_clusters: int
    links_by_method: dict[str, int]
    uncertain: int
    uncertain_shown: list[UncertainRow]
    datasets: list[str]
    versions: list[VersionInfo]
    notes: list[str]


def build_report(
    data: CoalitionData,
    scope: ScopeFilter | None,
    *,
    versions: Sequence[VersionInfo] = (),
    generated_at: dt.datetime | None = None,
    figures: Figures | None = None,
) -> Report:
    """The page's figures for `scope` (None: every cluster); the analyses run unless given."""
    figures = figures or compute_figures(data, scope)
    notes = list(dict.fromkeys(note for figure in figures for note in figure.notes))
    if Source.EU not in {listing.source for c in data.clusters for listing in c.listings}:
        notes.insert(0, NO_EU_NOTE)
    methods = Counter(link.method.value for c in data.clusters for link in c.links)
    return Report(
        scope=scope_name(scope),
        generated_at=generated_at or dt.datetime.now(dt.UTC),
        overlap=figures.overlap,
        lag=figures.lag,
        trends=figures.trends,
        hubs=figures.hubs,
        clusters=len(data.clusters),
        multi_member_clusters=sum(1 for c in data.clusters if len(c.members) > 1),
        links_by_method={method.value: methods[method.value] for method in LinkMethod},
        uncertain=len(data.uncertain),
        uncertain_shown=_uncertain_rows(data, data.uncertain[:UNCERTAIN_SHOWN]),
        datasets=list(data.datasets),
        versions=sorted(versions, key=lambda v: (v.source.value, v.dataset, v.published_on)),
        notes=notes,
    )


def _uncertain_rows(data: CoalitionData, links: list[Link]) -> list[UncertainRow]:
    names = {listing.key: listing.name for c in data.clusters for listing in c.listings}

    def label(key: str) -> str:
        return f"{names[key]} ({key})" if key in names else key

    return [
        UncertainRow(a=label(link.a), b=label(link.b), evidence=link.evidence, score=link.score)
        for link in links
    ]


def charts(report: Report) -> dict[str, Markup]:
    """The four charts as SVG markup (built by lxml, hence escaped and well-formed)."""
    partition = report.overlap.partition[:PARTITION_BARS]
    lags = {(pair.leader, pair.follower): pair.median_days for pair in report.lag.pairs}
    members = report.lag.members
    months = sorted({month.month for month in report.trends.months})
    per_month = {(m.month, m.member): m.designations for m in report.trends.months}
    return {
        "overlap": Markup(
            bar_chart(
                [("+".join(cell.members), cell.count) for cell in partition],
                title=f"Clusters by the set of members listing them ({report.scope})",
            )
        ),
        "lag": Markup(
            heatmap(
                members,
                members,
                [[lags.get((leader, follower)) for follower in members] for leader in members],
                title="Median lag in days (row: leader, column: follower)",
                corner="leader",
            )
        ),
        "trends": Markup(
            line_chart(
                _all_months(months),
                {
                    member: [per_month.get((month, member), 0) for month in _all_months(months)]
                    for member in report.trends.members
                },
                title="Designations per month, per member",
            )
        ),
        "hubs": Markup(
            bar_chart(
                [(row.member, row.count) for row in report.hubs.by_member],
                title="Listed parties located in a peripheral hub, per member",
            )
        ),
    }


def _all_months(months: list[str]) -> list[str]:
    """Every month from the first to the last given (YYYY-MM), so gaps plot as zeros."""
    if not months:
        return []
    year, month = map(int, months[0].split("-"))
    last = tuple(map(int, months[-1].split("-")))
    every = []
    while (year, month) <= last:
        every.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return every


def render_report(report: Report) -> str:
    """The page as HTML text."""
    environment = Environment(
        loader=PackageLoader("screening.coalition.analytics", "templates"), autoescape=True
    )
    template = environment.get_template("report.html")
    return template.render(report=report, charts=charts(report))


def write_report(
    data: CoalitionData,
    scope: ScopeFilter | None,
    out: Path,
    *,
    versions: Sequence[VersionInfo] = (),
    generated_at: dt.datetime | None = None,
    figures: Figures | None = None,
) -> Report:
    """Write the page to `out` (UTF-8) and return the figures it shows."""
    report = build_report(
        data, scope, versions=versions, generated_at=generated_at, figures=figures
    )
    out.write_text(render_report(report), encoding="utf-8")
    return report
