"""The analysts' web pages under ``/ui`` of `coalition serve` (docs/ui.md).

Server-rendered Jinja2 templates and plain HTML forms, no script and nothing fetched from
another site, so the pages work offline inside a bank. One router per area (routers/): login
and logout, the alert queue and alerts (deciding, four-eyes reviews), screening a name or a
payment message, and the lists' status and diffs. The pages hold no logic: each parses its
form (forms.py), calls one library function and renders a template (pages.py). security.py
holds the headers, CSRF tokens and the login limiter.

The pages know users by their session cookie only; the API's keys do not open them.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from screening.service.ui.pages import HOME_PATH, PageError, PageRoute
from screening.service.ui.routers import alerts, auth, lists, screen
from screening.service.ui.security import Guards, SecurityHeaders

STATIC_PATH = "/ui/static"

# Any other path under /ui: a page saying so, not the API's JSON 404. Included after the
# static files, which it would otherwise hide.
unknown_pages = APIRouter(route_class=PageRoute, include_in_schema=False)


@unknown_pages.get("/ui/{path:path}")
def unknown_page(path: str) -> RedirectResponse:
    if not path:  # "/ui/", as typed: the start page
        return RedirectResponse(HOME_PATH, status_code=303)
    raise PageError(404, "There is no such page.")


def mount_ui(app: FastAPI) -> None:
    """Add the pages, their static files and their security headers to `app`."""
    app.state.ui_guards = Guards()
    for module in (auth, alerts, screen, lists):
        app.include_router(module.router)
    app.mount(STATIC_PATH, StaticFiles(packages=[("screening.service.ui", "static")]), "ui-static")
    app.include_router(unknown_pages)
    app.add_middleware(SecurityHeaders)
