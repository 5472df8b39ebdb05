"""The analytics HTML report: self-contained, valid SVG charts, the analyses' numbers, escaped.

The data is built by hand so every figure is known: four parties across US, UK and CA
(one listed by all three, one by US and UK, one by UK only with a ``<script>`` name, one by CA
only located in the UAE), with official dates chosen so the lags are whole numbers of days.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from lxml import etree, html

from lists.model import Schema, Source
from screening.coalition.analytics.model import (
    Cluster,
    CoalitionData,
    DateBasis,
    Link,
    LinkMethod,
    Listing,
)
from screening.coalition.analytics.report import NO_EU_NOTE, Report, write_report
from screening.coalition.analytics.report_charts import bar_chart, heatmap, line_chart

SVG = "{http://www.w3.org/2000/svg}svg"
SCRIPT_NAME = "<script>alert('x')</script> Trading LLC"


def _listing(
    source: Source,
    member: str,
    entry: str,
    name: str,
    day: str | None,
    schema: Schema = Schema.ORGANIZATION,
    countries: tuple[str, ...] = (),
) -> Listing:
    return Listing(
        source=source,
        member=member,
        dataset=f"{source.value}_test",
        entry_id=entry,
        name=name,
        schema=schema,
        listed_on=dt.date.fromisoformat(day) if day else None,
        date_basis=DateBasis.OFFICIAL if day else DateBasis.UNKNOWN,
        countries=list(countries),
    )


def _cluster(*listings: Listing, links: list[Link] | None = None) -> Cluster:
    return Cluster(id=min(x.key for x in listings), listings=list(listings), links=links or [])


@pytest.fixture(scope="module")
def data() -> CoalitionData:
    bank = _cluster(
        _listing(Source.CA, "CA", "1", "Sberbank", "2022-02-24"),
        _listing(Source.UK, "UK", "15076", "PJSC Sberbank", "2022-04-06"),
        _listing(Source.OFAC, "US", "17018", "Sberbank of Russia", "2022-04-06"),
        links=[
            Link(
                a="ca_test:1",
                b="uk_test:15076",
                method=LinkMethod.NAME,
                evidence="name",
                score=0.95,
            ),
            Link(
                a="ofac_test:17018",
                b="uk_test:15076",
                method=LinkMethod.IDENTIFIER,
                evidence="bic SABRRUMM",
                score=1.0,
            ),
        ],
    )
    person = _cluster(
        _listing(Source.OFAC, "US", "34796", "Herman Gref", "2022-04-06", schema=Schema.PERSON),
        _listing(Source.UK, "UK", "15000", "Herman Gref", "2022-03-24", schema=Schema.PERSON),
        links=[
            Link(
                a="ofac_test:34796",
                b="uk_test:15000",
                method=LinkMethod.NAME,
                evidence="name 1.00 + birth 1964",
                score=0.97,
            )
        ],
    )
    hostile = _cluster(_listing(Source.UK, "UK", "99", SCRIPT_NAME, None))
    hub = _cluster(
        _listing(Source.CA, "CA", "7", "Gulf Trading FZE", "2023-01-10", countries=("AE",))
    )
    return CoalitionData(
        clusters=[bank, person, hostile, hub],
        uncertain=[
            Link(
                a="uk_test:99",
                b="ca_test:7",
                method=LinkMethod.NAME,
                evidence="name 0.80 <b>",
                score=0.8,
            )
        ],
        datasets=["ca_test", "uk_test", "ofac_test"],
        members=["US", "UK", "CA"],
    )


@pytest.fixture(scope="module")
def written(data: CoalitionData, tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, str]:
    out = tmp_path_factory.mktemp("report") / "report.html"
    report = write_report(data, None, out, generated_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
    return report, out.read_text(encoding="utf-8")


def test_the_page_loads_nothing_from_the_network(written: tuple[Report, str]) -> None:
    page = html.fromstring(written[1])
    external = [
        (element.tag, value)
        for element in page.iter()
        for attribute in ("src", "href", "xlink:href", "data")
        if isinstance(element.tag, str)
        and (value := element.get(attribute))
        and not value.startswith("#")
    ]
    assert external == []
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", written[1])
    assert "<script" not in written[1].lower()  # nor any script of our own
    assert "@import" not in written[1] and "url(" not in written[1]


def test_every_chart_is_valid_svg(written: tuple[Report, str]) -> None:
    charts = re.findall(r"<svg\b.*?</svg>", written[1], flags=re.DOTALL)
    assert len(charts) == 4  # overlap, lag, trends, hubs
    for chart in charts:
        root = etree.fromstring(chart.encode())
        assert root.tag == SVG
        assert root.find("{http://www.w3.org/2000/svg}title") is not None


def test_names_from_the_lists_are_escaped(written: tuple[Report, str]) -> None:
    page = written[1]
    assert "<script>" not in page
    assert "&lt;script&gt;alert(" in page
    assert "<b>" not in page  # an evidence string of the uncertain pair
    text = html.fromstring(page).text_content()
    assert SCRIPT_NAME in text


def _table(page: str, table_id: str) -> list[list[str]]:
    table = html.fromstring(page).get_element_by_id(table_id)
    return [[cell.text_content().strip() for cell in row] for row in table.iter("tr")][1:]


def test_the_overlap_numbers_are_the_analysis_results(written: tuple[Report, str]) -> None:
    report, page = written
    rows = _table(page, "partition")
    expected = [["+".join(c.members), str(c.count)] for c in report.overlap.partition]
    assert [row[:2] for row in rows[:-1]] == expected
    # Counted by hand from the fixture: one party per cell, four in all.
    assert sorted(expected) == [["CA", "1"], ["UK", "1"], ["US+UK", "1"], ["US+UK+CA", "1"]]
    assert rows[-1][:2] == ["total", "4"]
    us_uk = next(p for p in report.overlap.pairwise if (p.a, p.b) == ("US", "UK"))
    assert (us_uk.both, us_uk.a_count, us_uk.b_count) == (2, 2, 3)
    assert ["US", "UK", "2", "3", "2", "0.667", "1.000", "0.667"] in _table(page, "pairwise")


def test_the_lag_numbers_are_the_analysis_results(written: tuple[Report, str]) -> None:
    report, page = written
    rows = {(row[0], row[1]): row for row in _table(page, "lags")}
    assert len(rows) == len(report.lag.pairs) == 6
    # CA listed the bank 2022-02-24, the UK 2022-04-06: 41 days (one party, so median = 41).
    ca_uk = next(p for p in report.lag.pairs if (p.leader, p.follower) == ("CA", "UK"))
    assert (ca_uk.followed, ca_uk.median_days) == (1, 41.0)
    assert rows["CA", "UK"][4] == "1" and rows["CA", "UK"][8] == "41.0"
    for pair in report.lag.pairs:
        row = rows[pair.leader, pair.follower]
        assert row[2:5] == [str(pair.both), str(pair.undated), str(pair.followed)]
        assert row[12].startswith(pair.date_basis)


def test_the_trend_and_hub_numbers_are_the_analysis_results(written: tuple[Report, str]) -> None:
    report, page = written
    totals = {row[0]: row for row in _table(page, "trend-totals")}
    for total in report.trends.totals:
        assert totals[total.member][1:3] == [str(total.listings), str(total.designations)]
    assert totals["UK"][1:3] == ["3", "2"] and totals["UK"][5] == "1"  # the undated <script>
    hubs = {row[0]: row[1] for row in _table(page, "hub-members")}
    assert hubs == {row.member: str(row.count) for row in report.hubs.by_member}
    assert hubs["CA"] == "1"  # Gulf Trading FZE, AE


def test_the_method_and_caveats_are_stated(written: tuple[Report, str]) -> None:
    report, page = written
    assert report.links_by_method == {"identifier": 1, "name": 2}
    assert _table(page, "links") == [
        ["identifier", "1"],
        ["name", "2"],
        ["uncertain pairs (not merged)", "1"],
    ]
    assert NO_EU_NOTE in page  # no EU listing in the data
    assert "Date basis" in page and "first_seen" in page


def test_the_charts_reject_mismatched_series() -> None:
    with pytest.raises(ValueError):
        heatmap(["A"], ["A", "B"], [[1.0]], title="t")
    with pytest.raises(ValueError):
        line_chart(["2022-01", "2022-02"], {"US": [1.0]}, title="t")


def test_a_bar_chart_scales_bars_to_the_largest_value() -> None:
    root = etree.fromstring(bar_chart([("a", 10), ("b", 5)], title="t").encode())
    widths = [float(r.get("width", "nan")) for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert widths[0] == pytest.approx(2 * widths[1])
