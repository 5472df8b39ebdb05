"""Login, logout, sessions, CSRF and the security headers of the web pages, over real HTTP."""

from __future__ import annotations

import re

import pytest

from screening.service.app import create_app
from screening.service.ui.security import (
    CONTENT_SECURITY_POLICY,
    LOGIN_WINDOW_SECONDS,
    LoginLimiter,
)
from screening.workflow.users import Users
from tests.screening.service.server import serving
from tests.screening.service.ui.pages_support import (
    ANALYST,
    PASSWORD,
    Site,
    WebClient,
    signed_in,
)


def _cookie_header(page_cookies: list[str], name: str) -> str:
    [header] = [c for c in page_cookies if c.startswith(f"{name}=")]
    return header


def test_login_sets_a_strict_http_only_session_cookie(pages_site: Site) -> None:
    client = WebClient(pages_site.base)
    answer = client.log_in(ANALYST)
    assert (answer.status, answer.location) == (303, "/ui/alerts")
    header = _cookie_header(answer.set_cookies(), "coalition_session")
    attributes = {part.strip().lower() for part in header.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/ui"} <= attributes
    assert "secure" not in attributes  # COALITION_SECURE_COOKIES is not set
    page = client.get("/ui/alerts")
    assert page.status == 200
    # Logged in, the login page sends on to the queue, as the site's root does.
    for start in ("/ui/login", "/ui", "/ui/"):
        assert client.get(start).location == "/ui/alerts", start
    assert (
        'id="current-user">alice<' in page.text and '(<span id="current-role">analyst' in page.text
    )
    for link in ("Alerts", "Screen", "Lists"):
        assert f">{link}</a>" in page.text
    assert ">Log out</button>" in page.text and "<main" in page.text and 'lang="en"' in page.text
    assert ">Skip to content</a>" in page.text


def test_secure_cookies_when_configured(pages_site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    client = WebClient(pages_site.base)
    form = client.get("/ui/login")  # its own cookie is not Secure: this client speaks HTTP
    monkeypatch.setenv("COALITION_SECURE_COOKIES", "1")
    fields = {"csrf_token": form.csrf(), "username": ANALYST, "password": PASSWORD}
    answer = client.post("/ui/login", fields)
    assert answer.status == 303
    header = _cookie_header(answer.set_cookies(), "coalition_session")
    assert "secure" in {part.strip().lower() for part in header.split(";")}
    # Over plain HTTP a browser (here: http.cookiejar) keeps a Secure cookie to itself.
    assert client.get("/ui/alerts").status == 303


def test_wrong_password_and_unknown_user_get_the_same_401(pages_site: Site) -> None:
    wrong = WebClient(pages_site.base).log_in(ANALYST, "not the password at all")
    unknown = WebClient(pages_site.base).log_in("nobody", PASSWORD)
    for answer in (wrong, unknown):
        assert answer.status == 401
        assert "Wrong user name or password" in answer.text
        assert "coalition_session" not in " ".join(answer.set_cookies())


def test_a_page_without_a_session_redirects_to_the_login(pages_site: Site) -> None:
    client = WebClient(pages_site.base)
    answer = client.get("/ui/alerts?status=decided")
    assert answer.status == 303
    assert answer.location == "/ui/login?next=%2Fui%2Falerts%3Fstatus%3Ddecided"
    # The login returns to that page, and only to pages of this site.
    form = client.get(answer.location)
    assert 'name="next" value="/ui/alerts?status=decided"' in form.text
    fields = {"csrf_token": form.csrf(), "username": ANALYST, "password": PASSWORD}
    back = client.post("/ui/login", {**fields, "next": "/ui/alerts?status=decided"})
    assert (back.status, back.location) == (303, "/ui/alerts?status=decided")
    for elsewhere in ("https://evil.example/", "//evil.example/ui", "/alerts", "/ui\\..\\x"):
        other = WebClient(pages_site.base)
        page = other.get("/ui/login")
        answer = other.post(
            "/ui/login",
            {
                "csrf_token": page.csrf(),
                "username": ANALYST,
                "password": PASSWORD,
                "next": elsewhere,
            },
        )
        assert (answer.status, answer.location) == (303, "/ui/alerts"), elsewhere
    # A POST without a session is sent to the login too (its target is no page to return to).
    assert WebClient(pages_site.base).post("/ui/screen", {"name": "x"}).location == "/ui/login"


def test_logout_ends_the_session(pages_site: Site) -> None:
    client = signed_in(pages_site.base, ANALYST)
    token = client.cookie("coalition_session")
    assert token is not None and token.value
    page = client.get("/ui/alerts")
    answer = client.post("/ui/logout", {"csrf_token": page.csrf()})
    assert (answer.status, answer.location) == (303, "/ui/login")
    assert "You are logged out" in client.get("/ui/login").text
    # The old cookie, replayed, opens nothing: the session ended on the server.
    replay = WebClient(pages_site.base)
    replay.cookies.set_cookie(token)
    assert replay.get("/ui/alerts").status == 303
    assert Users(pages_site.store.engine).session(token.value) is None


@pytest.mark.parametrize("token", [None, "", "0" * 64])
def test_a_post_without_the_right_csrf_token_is_refused(
    pages_site: Site, token: str | None
) -> None:
    client = signed_in(pages_site.base, ANALYST)
    fields = {"name": "Ivan Petrov", "schema": "any"}
    if token is not None:
        fields["csrf_token"] = token
    answer = client.post("/ui/screen", fields)
    assert answer.status == 403
    assert "not sent by this site" in answer.text
    assert 'id="hits"' not in answer.text
    # Logging out needs the token too: a cross-site form cannot end a session either.
    assert client.post("/ui/logout", {}).status == 403
    assert client.get("/ui/alerts").status == 200


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_nul_character_in_a_form_is_refused(pages_site: Site, field: str) -> None:
    # PostgreSQL refuses NUL in text: the pages refuse it first, with a page, not a 500.
    client = WebClient(pages_site.base)
    form = client.get("/ui/login")
    fields = {"csrf_token": form.csrf(), "username": ANALYST, "password": PASSWORD}
    answer = client.post("/ui/login", {**fields, field: fields[field] + "\x00"})
    assert answer.status == 400 and "NUL character" in answer.text
    signed = signed_in(pages_site.base, ANALYST)
    csrf = signed.get("/ui/screen").csrf()
    assert signed.post("/ui/screen", {"csrf_token": csrf, "name": "a\x00b"}).status == 400


def test_the_login_form_needs_its_double_submit_token(pages_site: Site) -> None:
    client = WebClient(pages_site.base)
    form = client.get("/ui/login")
    cookie = client.cookie("coalition_login_csrf")
    assert cookie is not None and cookie.value == form.csrf() and cookie.path == "/ui/login"
    no_token = client.post("/ui/login", {"username": ANALYST, "password": PASSWORD})
    forged = client.post(
        "/ui/login", {"csrf_token": "forged.token", "username": ANALYST, "password": PASSWORD}
    )
    # A token of this site's form, but without its cookie (another browser): refused too.
    stranger = WebClient(pages_site.base).post(
        "/ui/login", {"csrf_token": form.csrf(), "username": ANALYST, "password": PASSWORD}
    )
    for answer in (no_token, forged, stranger):
        assert answer.status == 403
        assert "coalition_session" not in " ".join(answer.set_cookies())


def test_every_ui_response_has_the_security_headers(pages_site: Site) -> None:
    client = signed_in(pages_site.base, ANALYST)
    answers = [
        client.get("/ui/alerts"),
        client.get("/ui/static/ui.css"),
        client.get("/ui/alerts/999999"),
        WebClient(pages_site.base).get("/ui/alerts"),  # the redirect to the login
        WebClient(pages_site.base).get("/ui/login"),
        WebClient(pages_site.base).get("/ui/no/such/page"),
    ]
    for answer in answers:
        assert answer.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Referrer-Policy"] == "same-origin"
        assert answer.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert answers[1].headers["Content-Type"].startswith("text/css")  # not hidden by a page
    assert answers[-1].status == 404 and "There is no such page." in answers[-1].text
    # The pages carry no inline script or style for the policy to have to allow.
    assert not re.search(r"<script|<style|style=", answers[0].text)
    # The JSON API is unchanged: no page headers there, and API keys still rule it.
    api = WebClient(pages_site.base).get("/health")
    assert api.status == 200 and "Content-Security-Policy" not in api.headers
    assert WebClient(pages_site.base).get("/alerts").status == 401


def test_failed_logins_are_limited_per_name_and_per_address(
    pages_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COALITION_LOGIN_ATTEMPTS", "3")
    # A server of its own: the limiter is per process, and the other tests' failures count.
    with serving(create_app(pages_site.db_url, index_dir=pages_site.index_dir)) as api:
        for attempt in range(3):
            answer = WebClient(api.base).log_in(ANALYST, f"wrong password {attempt}")
            assert answer.status == 401, attempt
        # The fourth try is refused before the password is looked at: even the right one.
        blocked = WebClient(api.base).log_in(ANALYST)
        assert blocked.status == 429
        assert "Too many failed logins" in blocked.text
        assert blocked.headers["Retry-After"] == "900"
        # The address has used up its failures too: another name from it is refused.
        assert WebClient(api.base).log_in("bob").status == 429


def test_the_limiter_counts_names_and_addresses_apart_and_forgets_after_15_minutes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COALITION_LOGIN_ATTEMPTS", "2")
    now = [1000.0]
    limiter = LoginLimiter(clock=lambda: now[0])
    limiter.failed("alice", "10.0.0.1")
    limiter.failed(" alice ", "10.0.0.2")  # the name as the login compares it
    # Two failures on the name from two addresses: the name is blocked from anywhere ...
    assert limiter.blocked("alice", "10.0.0.3")
    # ... while each address has one failure, so another name from it may still try.
    assert not limiter.blocked("bob", "10.0.0.1")
    limiter.failed("carol", "10.0.0.1")
    assert limiter.blocked("dave", "10.0.0.1")  # now the address has two
    now[0] += LOGIN_WINDOW_SECONDS + 1
    assert not limiter.blocked("alice", "10.0.0.1")
    monkeypatch.setenv("COALITION_LOGIN_ATTEMPTS", "many")
    with pytest.raises(ValueError, match="COALITION_LOGIN_ATTEMPTS='many'"):
        limiter.blocked("alice", "10.0.0.1")
