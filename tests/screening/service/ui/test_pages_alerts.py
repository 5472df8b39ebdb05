"""One alert's page, deciding it, and four-eyes reviews, over real HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.screening.service.ui.pages_support import (
    ANALYST,
    OTHER_ANALYST,
    SCRIPT_NAME,
    SUPERVISOR,
    Page,
    Site,
    WebClient,
    signed_in,
    ui_site,
)


def _section(page: Page, section_id: str) -> str:
    found = re.search(rf'<section id="{section_id}".*?</section>', page.text, re.DOTALL)
    assert found is not None, section_id
    return found.group(0)


def _decide(client: WebClient, alert_id: int, **fields: str) -> Page:
    page = client.get(f"/ui/alerts/{alert_id}")
    return client.post(f"/ui/alerts/{alert_id}/decide", {"csrf_token": page.csrf(), **fields})


def _review(client: WebClient, alert_id: int, verdict: str, note: str) -> Page:
    page = client.get(f"/ui/alerts/{alert_id}")
    found = re.search(r'action="/ui/decisions/(\d+)/review"', page.text)
    assert found is not None, "no review form"
    fields = {"csrf_token": page.csrf(), "alert_id": str(alert_id), "verdict": verdict}
    return client.post(f"/ui/decisions/{found.group(1)}/review", {**fields, "reason": note})


def test_the_alert_page_shows_input_hit_explanation_entity_and_history(pages_site: Site) -> None:
    [alert_id] = pages_site.record("Ivan Petrov", "A-1")
    page = signed_in(pages_site.base, ANALYST).get(f"/ui/alerts/{alert_id}")
    assert page.status == 200
    assert "<dd>Ivan Petrov</dd>" in _section(page, "screened-input")
    hit = _section(page, "hit")
    assert "ofac_sdn:90002 <strong>Ivan PETROV</strong>" in hit
    assert "score <strong>1.000</strong>, decision <strong>match</strong>" in hit
    # The token alignment, word by word, in words rather than the matcher's codes.
    assert re.search(r"<td>petrov</td>\s*<td>petrov</td>\s*<td>the same word</td>", hit)
    entity = _section(page, "listed-entity")
    assert "Ivan PETROV" in entity and "RUSSIA-EO14024" in entity
    also = _section(page, "also-listed")
    assert "No other coalition list names this party." in also
    assert "Coalition: listed by US (date not given)." in also
    assert "No decision yet." in _section(page, "decision-history")
    assert 'id="decide-form"' in page.text and 'id="review-form"' not in page.text


def test_feature_adjustments_are_worded(pages_site: Site) -> None:
    # The birth year is screened here, through the recorder, as a client would send it.
    result = pages_site.screener.screen("Ivan Petrov", birth_date="1960")
    recorded = pages_site.recorder.record_screening(result, customer_ref="A-2", requested_by="t")
    page = signed_in(pages_site.base, ANALYST).get(f"/ui/alerts/{recorded.alerts[0].id}")
    assert "<li>Birth date added 0.02: birth year 1960 as listed.</li>" in _section(page, "hit")


def test_a_decision_is_recorded_under_the_session_user_not_a_posted_name(pages_site: Site) -> None:
    [alert_id] = pages_site.record("Ivan Petrov", "A-3")
    client = signed_in(pages_site.base, ANALYST)
    answer = _decide(
        client, alert_id, disposition="false_positive", reason="born 1990", analyst="mallory"
    )
    assert (answer.status, answer.location) == (303, f"/ui/alerts/{alert_id}")
    page = client.get(f"/ui/alerts/{alert_id}")
    assert "Decision recorded." in page.text
    history = _section(page, "decision-history")
    assert "<td>alice</td>" in history and "mallory" not in page.text
    assert "<td>false_positive</td>" in history and "<td>born 1990</td>" in history
    detail = pages_site.recorder.alert(alert_id)
    assert detail is not None
    assert [(d.analyst, d.reason) for d in detail.decisions] == [("alice", "born 1990")]
    assert detail.status.value == "decided"
    # Decided, it has left the open queue.
    assert f'data-alert-id="{alert_id}"' not in client.get("/ui/alerts?customer=A-3").text
    # The flash is shown once.
    assert "Decision recorded." not in client.get(f"/ui/alerts/{alert_id}").text


def test_a_refused_decision_comes_back_with_the_library_message(pages_site: Site) -> None:
    [alert_id] = pages_site.record("Ivan Petrov", "A-4")
    client = signed_in(pages_site.base, ANALYST)
    blank = _decide(client, alert_id, disposition="true_match", reason="  ")
    assert blank.status == 422 and "a decision needs a reason" in blank.text
    unknown = _decide(client, alert_id, disposition="maybe", reason="r")
    assert unknown.status == 422 and "unknown disposition &#39;maybe&#39;" in unknown.text
    detail = pages_site.recorder.alert(alert_id)
    assert detail is not None and detail.decisions == []


@pytest.mark.parametrize("path", ["/ui/alerts/999999", "/ui/alerts/abc", "/ui/alerts/0"])
def test_an_unknown_alert_is_a_404_page(pages_site: Site, path: str) -> None:
    client = signed_in(pages_site.base, ANALYST)
    answer = client.get(path)
    assert answer.status == 404
    assert answer.headers["Content-Type"].startswith("text/html")
    assert f"No alert {path.rsplit('/', 1)[1]}." in answer.text
    csrf = client.get("/ui/alerts").csrf()
    decided = client.post(f"{path}/decide", {"csrf_token": csrf, "reason": "r"})
    assert decided.status == 404


def test_listed_and_screened_script_names_render_as_text(pages_site: Site) -> None:
    [alert_id] = pages_site.record(SCRIPT_NAME, "X-1")
    client = signed_in(pages_site.base, ANALYST)
    for page in (client.get(f"/ui/alerts/{alert_id}"), client.get("/ui/alerts?customer=X-1")):
        assert page.status == 200
        assert "<script>alert" not in page.text
        assert "&lt;script&gt;alert(2)&lt;/script&gt; TRADING LLC" in page.text
    # The listed entity's own record, and the screened input, are both on the alert page.
    page = client.get(f"/ui/alerts/{alert_id}")
    assert "&lt;script&gt;" in _section(page, "listed-entity")
    assert "&lt;script&gt;" in _section(page, "screened-input")


@pytest.fixture
def four_eyes_site(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """A site with COALITION_FOUR_EYES=1 (read per decision), on SQLite and PostgreSQL."""
    monkeypatch.setenv("COALITION_FOUR_EYES", "1")
    with ui_site(tmp_path, db_url) as served:
        yield served


def test_four_eyes_approval_by_a_supervisor(four_eyes_site: Site) -> None:
    [alert_id] = four_eyes_site.record("Ivan Petrov", "F-1")
    alice = signed_in(four_eyes_site.base, ANALYST)
    decided = _decide(alice, alert_id, disposition="true_match", reason="same DOB")
    assert decided.status == 303
    page = alice.get(f"/ui/alerts/{alert_id}")
    assert "it awaits a supervisor&#39;s approval" in page.text
    assert "Awaiting a supervisor's approval." in page.text
    assert 'id="review-form"' not in page.text and 'id="decide-form"' not in page.text
    assert "<td>pending</td>" in _section(page, "decision-history")
    assert f'data-alert-id="{alert_id}"' in alice.get("/ui/alerts?status=pending").text

    # Another analyst sees no review form, and a review posted anyway is refused (403).
    bob = signed_in(four_eyes_site.base, OTHER_ANALYST)
    assert 'id="review-form"' not in bob.get(f"/ui/alerts/{alert_id}").text
    decision_id = four_eyes_site.recorder.alert(alert_id).decisions[0].id  # type: ignore[union-attr]
    refused = bob.post(
        f"/ui/decisions/{decision_id}/review",
        {
            "csrf_token": bob.get("/ui/alerts").csrf(),
            "alert_id": str(alert_id),
            "verdict": "approve",
            "reason": "ok",
        },
    )
    assert refused.status == 403 and "may not review" in refused.text

    sam = signed_in(four_eyes_site.base, SUPERVISOR)
    approved = _review(sam, alert_id, "approve", "checked the passport")
    assert (approved.status, approved.location) == (303, f"/ui/alerts/{alert_id}")
    page = sam.get(f"/ui/alerts/{alert_id}")
    assert "Decision approved." in page.text
    history = _section(page, "decision-history")
    assert "<td>approved</td>" in history
    assert "approved by sam" in history and "checked the passport" in history
    detail = four_eyes_site.recorder.alert(alert_id)
    assert detail is not None and detail.status.value == "decided"
    assert [d.analyst for d in detail.decisions] == ["alice"]
    assert [r.reviewer for r in detail.decisions[0].reviews] == ["sam"]


def test_four_eyes_nobody_approves_their_own_and_a_rejection_reopens(
    four_eyes_site: Site,
) -> None:
    [own, rejected] = [four_eyes_site.record("Ivan Petrov", f"F-{n}")[0] for n in (2, 3)]
    sam = signed_in(four_eyes_site.base, SUPERVISOR)
    assert _decide(sam, own, disposition="escalated", reason="unsure").status == 303
    page = sam.get(f"/ui/alerts/{own}")
    assert 'id="review-form"' not in page.text
    assert "Awaiting a supervisor's approval." in page.text
    decision_id = four_eyes_site.recorder.alert(own).decisions[0].id  # type: ignore[union-attr]
    refused = sam.post(
        f"/ui/decisions/{decision_id}/review",
        {"csrf_token": page.csrf(), "alert_id": str(own), "verdict": "approve", "reason": "me"},
    )
    assert refused.status == 403
    assert 'id="decision-history"' in refused.text  # the alert's page, with the message

    alice = signed_in(four_eyes_site.base, ANALYST)
    assert _decide(alice, rejected, disposition="false_positive", reason="guess").status == 303
    answer = _review(sam, rejected, "reject", "no evidence given")
    assert answer.status == 303
    page = alice.get(f"/ui/alerts/{rejected}")
    assert '<strong id="alert-status">open</strong>' in page.text
    assert "rejected by sam" in page.text and 'id="decide-form"' in page.text
