"""The analysts' web pages in a real Chromium, against `coalition serve` over real HTTP.

One browser and two servers serve the module (browser_support.py): the plain one, and one
with four-eyes (``COALITION_FOUR_EYES=1``) on the same store, which holds the real UN list and
a one-entry list whose party is named ``<script>alert("x")</script> TRADING LLC``. Each test
opens its own browser context (its own cookies) and records its own alerts under its own
customer reference, so the tests do not depend on each other's order.

Without Chromium the tests skip, unless COALITION_REQUIRE_BROWSER=1 (set by .ci/run), where a
missing browser fails the run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Dialog,
    Error,
    Page,
    expect,
    sync_playwright,
)

from tests.screening.service.server import UN_ADDED_NAME, UN_LISTED
from tests.screening.service.ui.browser_support import (
    ANALYST,
    PASSWORD,
    SCRIPT_ENTITY,
    SECOND_ANALYST,
    SUPERVISOR,
    VIEWPORT,
    UiServer,
    attacker_page,
    chromium_path,
    launch,
    log_in,
    prepared_store,
    record,
    record_many,
    ui_servers,
    write_script_list,
)

REQUIRED = os.environ.get("COALITION_REQUIRE_BROWSER") == "1"
# Each form control's label: an aria-label, or a <label for> naming its id.
UNLABELLED_CONTROLS = """() => Array.from(
    document.querySelectorAll('input:not([type=hidden]), select, textarea')
).filter(control => !control.getAttribute('aria-label') && !(control.id &&
    document.querySelector(`label[for="${CSS.escape(control.id)}"]`))
).map(control => control.outerHTML)"""
FORMS_WITHOUT_TOKEN = """() => Array.from(document.querySelectorAll('form'))
.filter(form => form.method === 'post' && !form.querySelector('input[name=csrf_token]'))
.map(form => form.id || form.action)"""
# Per page: (form id, [(field name, label, option values that must be there)], buttons).
Field = tuple[str, str, tuple[str, ...]]
PAGE_FORMS: dict[str, list[tuple[str, list[Field], tuple[str, ...]]]] = {
    "/ui/login": [
        ("login-form", [("username", "User name", ()), ("password", "Password", ())], ("Log in",))
    ],
    "/ui/alerts": [
        (
            "queue-filter",
            [
                ("status", "Status", ("open", "pending", "decided", "suppressed", "all")),
                ("customer", "Customer", ()),
                ("dataset", "Dataset", ("any", "un_sc", "ofac_sdn")),
                ("min_score", "Minimum score", ()),
                ("max_score", "Maximum score", ()),
                ("min_age_days", "Older than (days)", ()),
            ],
            ("Filter",),
        )
    ],
    "/ui/alerts/{id}": [
        (
            "decide-form",
            [
                ("disposition", "Disposition", ("true_match", "false_positive", "escalated")),
                ("reason", "Reason", ()),
            ],
            ("Record decision",),
        )
    ],
    "/ui/screen": [
        (
            "screen-form",
            [
                ("name", "Name", ()),
                ("country", "Country", ()),
                ("birth_date", "Birth date", ()),
                ("schema", "Type", ("any", "person", "organization", "vessel")),
            ],
            ("Screen",),
        ),
        (
            "payment-form",
            [("message", "Payment message (ISO 20022 XML or SWIFT MT)", ())],
            ("Screen message",),
        ),
    ],
    "/ui/lists": [
        (
            "diff-form",
            [
                ("dataset", "Dataset", ("un_sc", "ofac_sdn")),
                ("from_version", "From version", ()),
                ("to_version", "To version", ()),
            ],
            ("Show changes",),
        )
    ],
}
CONTROL_COUNT = "document.querySelectorAll('input:not([type=hidden]), select, textarea').length"
# A <script> element without src can only come from markup that was not escaped.
INLINE_SCRIPTS = "document.querySelectorAll('script:not([src])').length"


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"COALITION_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@dataclass(frozen=True)
class Servers:
    plain: UiServer
    four_eyes: UiServer


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        _unavailable("no Chromium: install Debian's chromium or set COALITION_CHROMIUM")
    assert executable is not None
    with sync_playwright() as playwright:
        try:
            started = launch(playwright, executable)
        except Error as exc:  # a broken install: the message is the point
            _unavailable(f"Chromium at {executable} does not start ({exc.message})")
        yield started
        started.close()


@pytest.fixture(scope="module")
def servers(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory, shared_lists: Path
) -> Iterator[Servers]:
    # Depends on `browser` so that a skipped browser skips before two servers start.
    folder = tmp_path_factory.mktemp("ui")
    script_list = write_script_list(folder / "script-list")
    prepared = prepared_store(folder, [shared_lists / "un" / "consolidated.xml", script_list])
    with ui_servers(prepared, (False, True)) as (plain, four_eyes):
        yield Servers(plain, four_eyes)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    fresh = browser.new_context(viewport=VIEWPORT)
    yield fresh
    fresh.close()


def _queue_ids(page: Page) -> list[int]:
    rows = page.locator("#alert-queue tr[data-alert-id]")
    return [int(row.get_attribute("data-alert-id") or 0) for row in rows.all()]


def _decisions(server: UiServer, alert_id: int) -> list[dict[str, object]]:
    answer = server.client.get(f"/alerts/{alert_id}")
    assert answer.status == 200, answer.body
    decisions: list[dict[str, object]] = answer.json()["decisions"]
    return decisions


def test_analyst_filters_the_queue_decides_and_the_alert_moves(
    context: BrowserContext, servers: Servers
) -> None:
    base = servers.plain.base
    alert_ids = record(servers.plain, UN_LISTED, "CUST-UI-DECIDE")
    alert_id = alert_ids[0]
    page = context.new_page()
    log_in(page, base, ANALYST)
    session = next(c for c in context.cookies() if c["name"] == "coalition_session")
    assert (session["httpOnly"], session["sameSite"], session["path"]) == (True, "Strict", "/ui")

    page.get_by_label("Status", exact=True).select_option("open")
    page.get_by_label("Customer", exact=True).fill("CUST-UI-DECIDE")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r".*customer=CUST-UI-DECIDE.*"))
    assert _queue_ids(page) == alert_ids
    expect(page.locator("#status-counts")).to_contain_text("open")
    page.get_by_label("Dataset", exact=True).select_option("ofac_sdn")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r".*dataset=ofac_sdn.*"))
    assert _queue_ids(page) == []  # the UN party is on un_sc only
    page.get_by_label("Dataset", exact=True).select_option("un_sc")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r".*dataset=un_sc.*"))
    assert _queue_ids(page) == alert_ids

    page.locator(f'#alert-queue tr[data-alert-id="{alert_id}"] a').first.click()
    page.wait_for_url(f"{base}/ui/alerts/{alert_id}")
    expect(page.locator("#screened-input")).to_contain_text(UN_LISTED)
    expect(page.locator("#listed-entity")).to_contain_text("MALONG")
    expect(page.locator("#hit")).to_be_visible()
    expect(page.locator("#decision-history")).to_be_visible()

    page.get_by_label("Disposition", exact=True).select_option("false_positive")
    page.get_by_label("Reason", exact=True).fill("born 1990, another person")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url(f"{base}/ui/alerts/{alert_id}")
    expect(page.locator("main")).to_contain_text(re.compile("decision recorded", re.IGNORECASE))
    history = page.locator("#decision-history")
    expect(history).to_contain_text("born 1990, another person")
    expect(history).to_contain_text(ANALYST)
    expect(history).to_contain_text(re.compile("false.positive", re.IGNORECASE))
    # The analyst comes from the session: the API shows the login name, not a form field.
    assert [(d["analyst"], d["disposition"]) for d in _decisions(servers.plain, alert_id)] == [
        (ANALYST, "false_positive")
    ]

    page.goto(f"{base}/ui/alerts?status=open&customer=CUST-UI-DECIDE")
    assert alert_id not in _queue_ids(page)
    page.goto(f"{base}/ui/alerts?status=decided&customer=CUST-UI-DECIDE")
    assert alert_id in _queue_ids(page)


def test_four_eyes_needs_a_supervisor_other_than_the_analyst(
    browser: Browser, context: BrowserContext, servers: Servers
) -> None:
    base = servers.four_eyes.base
    alert_id = record(servers.four_eyes, UN_LISTED, "CUST-UI-4EYES")[0]
    analyst = context.new_page()
    log_in(analyst, base, ANALYST)
    analyst.goto(f"{base}/ui/alerts/{alert_id}")
    analyst.get_by_label("Disposition", exact=True).select_option("true_match")
    analyst.get_by_label("Reason", exact=True).fill("same birth date and passport")
    analyst.get_by_role("button", name="Record decision").click()
    analyst.wait_for_url(f"{base}/ui/alerts/{alert_id}")
    expect(analyst.get_by_text("Awaiting a supervisor's approval")).to_be_visible()
    expect(analyst.get_by_role("button", name="Approve")).to_have_count(0)
    expect(analyst.locator("#review-form")).to_have_count(0)
    assert servers.four_eyes.client.get(f"/alerts/{alert_id}").json()["status"] == "pending"

    for reviewer, may_review in ((SECOND_ANALYST, False), (SUPERVISOR, True)):
        other = browser.new_context(viewport=VIEWPORT)
        try:
            page = other.new_page()
            log_in(page, base, reviewer)
            page.goto(f"{base}/ui/alerts?status=pending&customer=CUST-UI-4EYES")
            assert _queue_ids(page) == [alert_id]
            page.goto(f"{base}/ui/alerts/{alert_id}")
            expect(page.locator("#review-form")).to_have_count(1 if may_review else 0)
            if may_review:
                expect(page.locator("body")).to_contain_text(f"{SUPERVISOR} (supervisor)")
                for verdict, label in (("approve", "Approve"), ("reject", "Reject")):
                    button = page.locator(f"#review-form button[name=verdict][value={verdict}]")
                    expect(button).to_have_text(label)
                page.get_by_label("Review note", exact=True).fill("passport number checked")
                page.get_by_role("button", name="Approve").click()
                page.wait_for_url(f"{base}/ui/alerts/{alert_id}")
                expect(page.locator("#decision-history")).to_contain_text(SUPERVISOR)
                expect(page.locator("#review-form")).to_have_count(0)
        finally:
            other.close()
    assert servers.four_eyes.client.get(f"/alerts/{alert_id}").json()["status"] == "decided"
    analyst.goto(f"{base}/ui/alerts?status=decided&customer=CUST-UI-4EYES")
    assert _queue_ids(analyst) == [alert_id]


def test_script_in_names_renders_as_text(context: BrowserContext, servers: Servers) -> None:
    base = servers.plain.base
    alert_id = record(servers.plain, SCRIPT_ENTITY, "CUST-UI-XSS")[0]
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    log_in(page, base, ANALYST)

    answer = page.goto(f"{base}/ui/alerts/{alert_id}")
    assert answer is not None
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    expect(page.locator("#listed-entity")).to_contain_text(SCRIPT_ENTITY)
    expect(page.locator("#screened-input")).to_contain_text(SCRIPT_ENTITY)
    assert page.evaluate(INLINE_SCRIPTS) == 0
    page.goto(f"{base}/ui/alerts?customer=CUST-UI-XSS")
    expect(page.locator("#alert-queue")).to_contain_text(SCRIPT_ENTITY)
    assert page.evaluate(INLINE_SCRIPTS) == 0

    for screened in ("<script>alert(1)</script>", SCRIPT_ENTITY):
        page.goto(f"{base}/ui/screen")
        page.get_by_label("Name", exact=True).fill(screened)
        page.get_by_role("button", name="Screen", exact=True).click()
        page.wait_for_load_state()
        assert page.evaluate(INLINE_SCRIPTS) == 0
    expect(page.locator("#hits")).to_contain_text(SCRIPT_ENTITY)
    assert dialogs == []


def test_decide_without_the_csrf_token_is_refused(
    context: BrowserContext, servers: Servers
) -> None:
    base = servers.plain.base
    alert_id = record(servers.plain, UN_ADDED_NAME, "CUST-UI-CSRF")[0]
    page = context.new_page()
    log_in(page, base, ANALYST)
    url = f"{base}/ui/alerts/{alert_id}/decide"
    form: dict[str, str | float | bool] = {"disposition": "false_positive", "reason": "forged"}
    # The session cookie goes along (same context); only the token is missing or wrong.
    assert context.request.post(url, form=form, max_redirects=0).status == 403
    forged: dict[str, str | float | bool] = {**form, "csrf_token": "not-the-token"}
    assert context.request.post(url, form=forged, max_redirects=0).status == 403
    assert _decisions(servers.plain, alert_id) == []


def test_a_cross_origin_form_records_no_decision(context: BrowserContext, servers: Servers) -> None:
    base = servers.plain.base
    alert_id = record(servers.plain, UN_ADDED_NAME, "CUST-UI-CROSS")[0]
    page = context.new_page()
    log_in(page, base, ANALYST)
    action = f"{base}/ui/alerts/{alert_id}/decide"
    with attacker_page(action) as attacker_port:
        # 127.0.0.1 on another port is the same site: the Strict cookie goes along, the token
        # does not (403). localhost is another site: the cookie stays home, so the request
        # has no session and is sent to the login page.
        for host, statuses in (("127.0.0.1", {403}), ("localhost", {303})):
            page.goto(f"http://{host}:{attacker_port}/")
            with page.expect_response(lambda r: r.url == action) as answer:
                page.get_by_role("button", name="Win a prize").click()
            assert answer.value.status in statuses, (host, answer.value.status)
            if answer.value.status == 303:
                assert answer.value.headers["location"].startswith("/ui/login")
    assert _decisions(servers.plain, alert_id) == []


def test_keyboard_alone_logs_in_and_opens_the_first_alert(
    context: BrowserContext, servers: Servers
) -> None:
    base = servers.plain.base
    record(servers.plain, UN_LISTED, "CUST-UI-KEYS")
    page = context.new_page()
    page.goto(f"{base}/ui/login")
    # The skip link comes first in the tab order (the user name field may hold autofocus).
    first = "document.querySelector('a[href], button, input:not([type=hidden]), select, textarea')"
    assert page.evaluate(f"{first}.textContent.trim()") == "Skip to content"
    _tab_to(page, "input[name=username]")
    page.keyboard.type(ANALYST)
    page.keyboard.press("Tab")
    assert _focused(page, "el.name") == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    assert _focused(page, "el.textContent.trim()") == "Log in"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/ui/alerts**")

    first_id = _queue_ids(page)[0]
    _tab_to(page, "#alert-queue tr[data-alert-id] a")
    assert _focused(page, "el.closest('tr').dataset.alertId") == str(first_id)
    # A visible focus style: an outline or a box shadow on the focused link.
    style = "getComputedStyle(el).outlineStyle + '|' + getComputedStyle(el).boxShadow"
    assert _focused(page, style) != "none|none"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/ui/alerts/{first_id}")


def test_every_page_has_the_contract_forms_labels_and_frame(
    context: BrowserContext, servers: Servers
) -> None:
    base = servers.plain.base
    alert_id = record(servers.plain, UN_LISTED, "CUST-UI-LABELS")[0]
    page = context.new_page()
    page.goto(f"{base}/ui/login")
    _assert_page_contract(page, "/ui/login")
    log_in(page, base, ANALYST)
    for path in ("/ui/alerts", f"/ui/alerts/{alert_id}", "/ui/screen", "/ui/lists"):
        answer = page.goto(base + path)
        assert answer is not None and answer.status == 200, path
        _assert_page_contract(page, re.sub(r"/\d+$", "/{id}", path))
        nav = page.get_by_role("navigation")
        for link in ("Alerts", "Screen", "Lists"):
            expect(nav.get_by_role("link", name=link, exact=True)).to_have_count(1)
        expect(page.get_by_role("button", name="Log out")).to_have_count(1)
        expect(page.locator("body")).to_contain_text(f"{ANALYST} (analyst)")
        headers = answer.headers
        assert (headers["x-frame-options"], headers["x-content-type-options"]) == (
            "DENY",
            "nosniff",
        )
        assert headers["referrer-policy"] == "same-origin"
    datasets = page.locator("#datasets")
    expect(datasets).to_contain_text("un_sc")
    expect(datasets).to_contain_text("ofac_sdn")


def test_the_queue_pages_by_fifty(context: BrowserContext, servers: Servers) -> None:
    base = servers.plain.base
    alert_ids = record_many(servers.plain, UN_ADDED_NAME, "CUST-UI-PAGES", 51)
    assert len(alert_ids) == 51
    page = context.new_page()
    log_in(page, base, ANALYST)
    page.goto(f"{base}/ui/alerts?customer=CUST-UI-PAGES")
    first_page = _queue_ids(page)
    expect(page.locator("body")).to_contain_text("Page 1 of 2")
    expect(page.get_by_role("link", name="Previous", exact=True)).to_have_count(0)
    page.get_by_role("link", name="Next", exact=True).click()
    page.wait_for_url(re.compile(r".*page=2.*"))
    expect(page.locator("body")).to_contain_text("Page 2 of 2")
    second_page = _queue_ids(page)
    # The filter travels with the page link: the 51 alerts are all there, once each.
    assert (len(first_page), len(second_page)) == (50, 1)
    assert sorted(first_page + second_page) == sorted(alert_ids)
    expect(page.get_by_role("link", name="Next", exact=True)).to_have_count(0)
    page.get_by_role("link", name="Previous", exact=True).click()
    page.wait_for_url(re.compile(r".*page=1.*"))
    assert _queue_ids(page) == first_page


def test_logout_ends_the_session(
    browser: Browser, context: BrowserContext, servers: Servers
) -> None:
    base = servers.plain.base
    page = context.new_page()
    page.goto(f"{base}/ui/login")
    login_url = f"{base}/ui/login"
    with page.expect_response(
        lambda r: r.url == login_url and r.request.method == "POST"
    ) as answer:
        page.get_by_label("User name", exact=True).fill(ANALYST)
        page.get_by_label("Password", exact=True).fill("not the password at all")
        page.get_by_role("button", name="Log in").click()
    assert answer.value.status == 401
    expect(page.get_by_text("Wrong user name or password")).to_be_visible()

    log_in(page, base, ANALYST)
    cookies = context.cookies()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{base}/ui/login")
    page.goto(f"{base}/ui/alerts")
    assert page.url.startswith(f"{base}/ui/login?next=")
    # The old cookie, replayed in another context, is dead on the server too.
    replay = browser.new_context(viewport=VIEWPORT)
    try:
        session = next(c for c in cookies if c["name"] == "coalition_session")
        replay.add_cookies([{"name": session["name"], "value": session["value"], "url": base}])
        again = replay.new_page()
        again.goto(f"{base}/ui/alerts")
        assert again.url.startswith(f"{base}/ui/login?next=")
    finally:
        replay.close()


def _focused(page: Page, expression: str) -> str:
    return str(
        page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")
    )


def _tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector` (at most `limit` presses)."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reached in {limit} Tab presses")


def _assert_page_contract(page: Page, path: str) -> None:
    """The page's contract forms and controls, labels on every control, lang, th scope, main."""
    for form, fields, buttons in PAGE_FORMS[path]:
        scope = page.locator(f"#{form}")
        expect(scope).to_have_count(1)
        for name, label, options in fields:
            expect(scope.get_by_label(label, exact=True)).to_have_attribute("name", name)
            if options:
                values = scope.locator(f"[name={name}] option").evaluate_all(
                    "options => options.map(option => option.value)"
                )
                assert set(options) <= set(values), (path, name, values)
        for button in buttons:
            expect(scope.get_by_role("button", name=button, exact=True)).to_have_count(1)
    # Every POST form, the logout form included, carries the CSRF token.
    assert page.evaluate(FORMS_WITHOUT_TOKEN) == [], path
    assert page.evaluate(CONTROL_COUNT) > 0, path
    assert page.evaluate(UNLABELLED_CONTROLS) == [], path
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate("document.querySelectorAll('th:not([scope])').length") == 0, path
    expect(page.locator("main")).to_have_count(1)
    expect(page.get_by_role("link", name="Skip to content")).to_have_count(1)
