"""The alert queue page: filters, counts per status, paging, and bad filter values."""

from __future__ import annotations

import re

import pytest

from tests.screening.service.ui.pages_support import ANALYST, Site, WebClient, signed_in

# 55 alerts on "Ivan Petrov" (score 1.0) and one on "Ivan Petrova" (0.916, measured with
# Screener.screen on the same list): 56 open alerts, two pages of 50.
PETROV_ALERTS = 55
ALL_ALERTS = PETROV_ALERTS + 1


@pytest.fixture(scope="module")
def queue_site(pages_site: Site) -> tuple[Site, list[int], int]:
    """The module's site with its alerts: the Petrov ones and the low-scoring one."""
    petrov = [pages_site.record("Ivan Petrov", f"P-{n:02d}")[0] for n in range(1, 56)]
    [low] = pages_site.record("Ivan Petrova", "LOW-1")
    return pages_site, petrov, low


@pytest.fixture(scope="module")
def client(queue_site: tuple[Site, list[int], int]) -> WebClient:
    return signed_in(queue_site[0].base, ANALYST)


def _rows(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'<tr data-alert-id="(\d+)">', html)]


def _counts(html: str) -> dict[str, int]:
    found = re.findall(
        r'data-status="(\w+)"><span class="status">\w+</span> <span class="count">(\d+)<', html
    )
    return {status: int(count) for status, count in found}


def test_the_queue_pages_50_alerts_at_a_time(
    queue_site: tuple[Site, list[int], int], client: WebClient
) -> None:
    _, petrov, low = queue_site
    first = client.get("/ui/alerts")
    assert first.status == 200
    assert _rows(first.text) == [*petrov, low][:50]  # oldest first
    assert "Page 1 of 2" in first.text
    assert 'href="/ui/alerts?status=open&amp;page=2" rel="next">Next<' in first.text
    assert ">Previous<" not in first.text
    assert _counts(first.text) == {"open": ALL_ALERTS, "pending": 0, "suppressed": 0, "decided": 0}
    # Each row's id is a link to the alert, reachable by keyboard like any link.
    assert f'<a href="/ui/alerts/{petrov[0]}">{petrov[0]}</a>' in first.text
    second = client.get("/ui/alerts?status=open&page=2")
    assert _rows(second.text) == [*petrov, low][50:]
    assert "Page 2 of 2" in second.text and ">Next<" not in second.text
    assert 'href="/ui/alerts?status=open&amp;page=1" rel="prev">Previous<' in second.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("customer=P-07", "petrov[6]"),
        ("customer=LOW-1", "low"),
        ("min_score=0.95", "petrov"),
        ("max_score=0.95", "low"),
        ("min_score=0.9&max_score=0.92", "low"),
        ("dataset=ofac_sdn&status=all", "all"),
        ("dataset=any", "all"),
        ("min_age_days=0", "all"),
        ("min_age_days=1", "none"),  # every alert was opened minutes ago
        ("status=decided", "none"),
        ("status=pending", "none"),
    ],
)
def test_queue_filters(
    queue_site: tuple[Site, list[int], int], client: WebClient, query: str, expected: str
) -> None:
    _, petrov, low = queue_site
    wanted = {
        "petrov[6]": [petrov[6]],
        "low": [low],
        "petrov": petrov,
        "all": [*petrov, low],
        "none": [],
    }[expected]
    rows: list[int] = []
    for page in (1, 2):
        answer = client.get(f"/ui/alerts?{query}&page={page}")
        assert answer.status == 200
        rows += _rows(answer.text)
    assert rows == wanted
    shown = client.get(f"/ui/alerts?{query}")
    assert f">{len(wanted)} alert" in shown.text
    if not wanted:
        assert "No alerts match these filters." in shown.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("min_score=high", "Minimum score: &#39;high&#39; is not a number between 0 and 1."),
        ("max_score=2", "Maximum score: &#39;2&#39; is not a number between 0 and 1."),
        ("min_score=0.9&max_score=0.5", "Minimum score is above the maximum score."),
        ("min_age_days=-3", "Older than (days): &#39;-3&#39; is not a whole number of at least 0."),
        ("page=0", "Page: &#39;0&#39; is not a whole number of at least 1."),
        ("status=closed", "Status: &#39;closed&#39; is not one of open, pending, decided"),
        ("dataset=un_sc", "Dataset: &#39;un_sc&#39; is not a loaded list."),
        ("customer=%00", "Customer: at most 200 characters, and no NUL character."),
    ],
)
def test_bad_filter_values_come_back_as_the_page_with_a_message(
    client: WebClient, query: str, message: str
) -> None:
    answer = client.get(f"/ui/alerts?{query}")
    assert answer.status == 400
    assert answer.headers["Content-Type"].startswith("text/html")
    assert message in answer.text
    assert 'id="queue-filter"' in answer.text and 'id="alert-queue"' not in answer.text
