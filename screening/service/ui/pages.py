"""How a page is answered: templates, the signed-in user, checked forms, flashes, error pages.

Every UI route is a `PageRoute`: whatever goes wrong below it (no session, a bad CSRF token, a
404, the 501 of an installation without records, a request FastAPI could not validate) is
answered with an HTML page or a redirect to the login, never with the JSON the API answers.

Templates are Jinja2 with autoescaping on: a listed or screened name is always text, never
markup. A field missing from a stored record (an alert stored before the field existed) shows
as empty, not as an error page.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader
from starlette.exceptions import HTTPException as StarletteHTTPException

from screening.matching.explain import coalition_timeline, feature_sentence, how_words
from screening.service.deps import ServiceDep
from screening.service.errors import errors_text, one_line
from screening.service.ui.security import (
    FLASH_COOKIE,
    SESSION_COOKIE,
    delete_cookie,
    same_token,
    set_cookie,
)
from screening.workflow.users import REVIEWER_ROLES, Users, WebSession

LOGIN_PATH = "/ui/login"
HOME_PATH = "/ui/alerts"

# Flash messages are chosen by key: the cookie never carries text a page would show.
FLASH_MESSAGES = {
    "decided": "Decision recorded.",
    "pending": "Decision recorded; it awaits a supervisor's approval.",
    "approved": "Decision approved.",
    "rejected": "Decision rejected; the alert is open again.",
    "logged_out": "You are logged out.",
}

TEMPLATES = Environment(
    loader=PackageLoader("screening.service.ui", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _when(value: dt.datetime | None) -> str:
    """A stored timestamp (UTC) as analysts read it: ``2026-05-08 14:03 UTC``."""
    return "—" if value is None else value.strftime("%Y-%m-%d %H:%M UTC")


def _partial_date(value: Mapping[str, Any]) -> str:
    """A listed date (`lists.model.PartialDate` as JSON) as the authority wrote it, else built."""
    if value.get("text"):
        return str(value["text"])
    parts = [value.get("year"), value.get("month"), value.get("day")]
    shown = "-".join(f"{part:02d}" for part in parts if isinstance(part, int))
    if value.get("year_to"):
        shown += f" to {value['year_to']}"
    return ("about " if value.get("circa") else "") + shown


def _address(value: Mapping[str, Any]) -> str:
    """A listed address (`lists.model.Address` as JSON) on one line."""
    parts = [*(value.get("lines") or [])]
    parts += [value.get(key) for key in ("city", "region", "postal_code")]
    parts.append(value.get("country_text") or value.get("country"))
    return ", ".join(str(part) for part in parts if part)


TEMPLATES.filters |= {
    "when": _when,
    "score": lambda value: f"{float(value):.3f}",
    "partial_date": _partial_date,
    "address": _address,
    # A choice whose value is also what the select shows: ("open", "open").
    "pair": lambda value: (value, value),
    "json": lambda value: (
        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    ),
}
TEMPLATES.globals |= {
    "how_words": how_words,
    "feature_sentence": feature_sentence,
    "coalition_timeline": coalition_timeline,
}


class LoginRequired(Exception):
    """No live session: the page answers with a redirect to the login."""

    def __init__(self, next_path: str | None) -> None:
        super().__init__("login required")
        self.next_path = next_path


class PageError(Exception):
    """A page that cannot be shown: answered with the error page, `status` and `message`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class SignedIn:
    """The logged-in user of a request, with the session token of the cookie."""

    session: WebSession
    token: str

    @property
    def name(self) -> str:
        return self.session.user.name

    @property
    def reviewer(self) -> bool:
        """May approve or reject four-eyes decisions (supervisors and admins)."""
        return self.session.user.role in REVIEWER_ROLES


def get_users(service: ServiceDep) -> Users:
    return Users(service.store.engine)


UsersDep = Annotated[Users, Depends(get_users)]


def signed_in(request: Request, users: UsersDep) -> SignedIn:
    """The session of the cookie; `LoginRequired` when there is none (or it ended)."""
    token = request.cookies.get(SESSION_COOKIE, "")
    session = users.session(token) if token else None
    if session is None:
        # Only a page can be returned to: a form's POST target is not one.
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target if request.method == "GET" else None)
    who = SignedIn(session, token)
    request.state.signed_in = who
    return who


SignedInDep = Annotated[SignedIn, Depends(signed_in)]
Fields = dict[str, str]


async def form_fields(request: Request) -> Fields:
    """The posted form's text fields (first value of each; files are not taken).

    A NUL character is refused (400) here for every form: no field has a use for one, and
    PostgreSQL refuses it in text, which would otherwise surface as a server error.
    """
    form = await request.form()
    fields: Fields = {}
    for key, value in form.multi_items():
        if isinstance(value, str) and key not in fields:
            fields[key] = value
    if any("\x00" in key or "\x00" in value for key, value in fields.items()):
        raise PageError(400, "A form field holds a NUL character; remove it and send again.")
    return fields


async def checked_form(request: Request, who: SignedInDep) -> Fields:
    """The form of a logged-in user, once its ``csrf_token`` is the session's (else 403)."""
    fields = await form_fields(request)
    if not same_token(fields.get("csrf_token"), who.session.csrf_token):
        raise PageError(403, "This form is out of date or was not sent by this site: reload it.")
    return fields


CheckedForm = Annotated[Fields, Depends(checked_form)]


def safe_next(value: str | None) -> str:
    """Where to go after the login: a path of these pages, never another site."""
    if not value or "\\" in value or any(not c.isprintable() for c in value):
        return HOME_PATH
    parts = urlsplit(value)
    inside = parts.path == "/ui" or parts.path.startswith("/ui/")
    if parts.scheme or parts.netloc or not inside or value.startswith("//"):
        return HOME_PATH
    return value


def render(
    request: Request, template: str, context: Mapping[str, Any], status: int = 200
) -> HTMLResponse:
    """The page `template` with `context`, the signed-in user and any flash message."""
    who: SignedIn | None = getattr(request.state, "signed_in", None)
    flash = FLASH_MESSAGES.get(request.cookies.get(FLASH_COOKIE, ""))
    values = {
        "who": who,
        "csrf_token": who.session.csrf_token if who else "",
        "flash": flash,
        "message": None,
        **context,
    }
    response = HTMLResponse(TEMPLATES.get_template(template).render(values), status_code=status)
    # Pages hold personal data: no shared or back-button cache keeps them.
    response.headers["cache-control"] = "no-store"
    if FLASH_COOKIE in request.cookies:
        delete_cookie(response, FLASH_COOKIE)
    return response


def redirect(location: str, flash: str | None = None) -> RedirectResponse:
    """303 to `location` (the POST-redirect-GET of every form), with a flash message key."""
    response = RedirectResponse(location, status_code=303)
    if flash is not None:
        assert flash in FLASH_MESSAGES
        set_cookie(response, FLASH_COOKIE, flash, max_age=60)
    return response


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", {"status": status, "message": one_line(message)}, status)


class PageRoute(APIRoute):
    """A route whose failures are pages: see the module docstring."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired as exc:
                target = LOGIN_PATH
                if exc.next_path and safe_next(exc.next_path) == exc.next_path:
                    target += "?next=" + quote(exc.next_path, safe="")
                return RedirectResponse(target, status_code=303)
            except PageError as exc:
                return error_page(request, exc.status, exc.message)
            except RequestValidationError as exc:
                return error_page(request, 400, errors_text(exc.errors()))
            except StarletteHTTPException as exc:
                page = error_page(request, exc.status_code, str(exc.detail))
                page.headers.update(exc.headers or {})
                return page

        return page_handler
