"""``/ui/login`` and ``/ui/logout``: a user name and password in, a session cookie out.

The session cookie is HttpOnly (no script can read it), SameSite=Strict (no other site's page
can send it) and, with COALITION_SECURE_COOKIES=1, Secure. Wrong credentials get one message
whichever part was wrong; repeated failures are refused for a while (`LoginLimiter`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from screening import settings
from screening.service.ui.pages import (
    HOME_PATH,
    LOGIN_PATH,
    CheckedForm,
    Fields,
    PageError,
    PageRoute,
    SignedInDep,
    UsersDep,
    form_fields,
    redirect,
    render,
    safe_next,
)
from screening.service.ui.security import (
    LOGIN_CSRF_COOKIE,
    LOGIN_WINDOW_SECONDS,
    SESSION_COOKIE,
    Guards,
    delete_cookie,
    set_cookie,
)

router = APIRouter(prefix="/ui", route_class=PageRoute, include_in_schema=False)

WRONG_CREDENTIALS = "Wrong user name or password."


def get_guards(request: Request) -> Guards:
    guards: Guards = request.app.state.ui_guards
    return guards


GuardsDep = Annotated[Guards, Depends(get_guards)]
FormFields = Annotated[Fields, Depends(form_fields)]


@router.get("")
def home() -> RedirectResponse:
    return RedirectResponse(HOME_PATH, status_code=303)


@router.get("/login")
def login_page(request: Request, guards: GuardsDep, users: UsersDep, next: str = "") -> Response:
    token = request.cookies.get(SESSION_COOKIE, "")
    if token and users.session(token) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_form(request, guards, next, None, 200)


@router.post("/login")
def log_in(request: Request, fields: FormFields, guards: GuardsDep, users: UsersDep) -> Response:
    if not guards.login_csrf.valid(
        request.cookies.get(LOGIN_CSRF_COOKIE), fields.get("csrf_token")
    ):
        raise PageError(403, "The login form is out of date or was not sent by this site.")
    name = fields.get("username", "")
    next_path = fields.get("next", "")
    address = request.client.host if request.client else "unknown"
    try:
        blocked = guards.limiter.blocked(name, address)
    except ValueError as exc:  # a bad COALITION_LOGIN_ATTEMPTS: say so, never let anyone in
        raise PageError(500, str(exc)) from None
    if blocked:
        minutes = LOGIN_WINDOW_SECONDS // 60
        message = f"Too many failed logins: try again in {minutes} minutes."
        page = _login_form(request, guards, next_path, message, 429)
        page.headers["retry-after"] = str(LOGIN_WINDOW_SECONDS)
        return page
    user = users.authenticate(name, fields.get("password", ""))
    if user is None:
        guards.limiter.failed(name, address)
        return _login_form(request, guards, next_path, WRONG_CREDENTIALS, 401)
    lifetime = _session_lifetime()
    token, _session = users.start_session(user, lifetime)
    response = redirect(safe_next(next_path))
    set_cookie(response, SESSION_COOKIE, token, max_age=int(lifetime.total_seconds()))
    delete_cookie(response, LOGIN_CSRF_COOKIE, path=LOGIN_PATH)
    return response


@router.post("/logout")
def log_out(_: CheckedForm, who: SignedInDep, users: UsersDep) -> Response:
    users.end_session(who.token)
    response = redirect(LOGIN_PATH, "logged_out")
    delete_cookie(response, SESSION_COOKIE)
    return response


def _login_form(
    request: Request, guards: Guards, next_path: str, message: str | None, status: int
) -> HTMLResponse:
    token = guards.login_csrf.issue()
    context = {"login_token": token, "next": safe_next(next_path), "message": message}
    page = render(request, "login.html", context, status)
    set_cookie(page, LOGIN_CSRF_COOKIE, token, path=LOGIN_PATH)
    return page


def _session_lifetime() -> dt.timedelta:
    raw = settings.get("COALITION_SESSION_HOURS") or "8"
    try:
        hours = float(raw)
    except ValueError:
        hours = 0.0
    if not 0 < hours <= 24 * 366:
        raise PageError(500, f"COALITION_SESSION_HOURS={raw!r} is not a number of hours above 0")
    return dt.timedelta(hours=hours)
