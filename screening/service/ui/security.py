"""What keeps the analysts' pages safe: response headers, CSRF tokens, cookies, login limits.

- Every ``/ui`` response carries `SECURITY_HEADERS` (`SecurityHeaders`, an ASGI middleware, so
  static files, redirects and error pages get them too): a Content-Security-Policy that allows
  only this site's own scripts, styles and forms (no inline script can run, even if one were
  injected), no framing, no MIME sniffing.
- Forms of a logged-in user carry the session's CSRF token (`WebSession.csrf_token`, derived
  from the session token by `screening.workflow.users`); `same_token` compares in constant time.
- The login form has no session yet: it carries a signed double-submit token (`LoginCsrf`), the
  same random value in a cookie and in the form, signed with a key of this process, so that a
  site that can plant cookies still cannot forge one.
- `LoginLimiter` counts failed logins per user name and per client address.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable

from starlette.responses import Response

from screening import settings
from screening.service.deps import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "coalition_session"
LOGIN_CSRF_COOKIE = "coalition_login_csrf"
FLASH_COOKIE = "coalition_flash"
COOKIE_PATH = "/ui"
UI_PREFIX = "/ui"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "DENY"),
)
LOGIN_WINDOW_SECONDS = 15 * 60


def secure_cookies() -> bool:
    """Whether cookies are marked Secure (COALITION_SECURE_COOKIES=1: served behind TLS)."""
    return settings.get("COALITION_SECURE_COOKIES") == "1"


def set_cookie(
    response: Response,
    name: str,
    value: str,
    *,
    path: str = COOKIE_PATH,
    max_age: int | None = None,
) -> None:
    """Set one of the pages' cookies with the one policy they all share: HttpOnly (no script
    reads it), SameSite=Strict (no other site's page sends it), Secure behind TLS."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=path,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(),
    )


def delete_cookie(response: Response, name: str, *, path: str = COOKIE_PATH) -> None:
    """Delete a cookie set by `set_cookie` (same path and attributes, or browsers keep it)."""
    response.delete_cookie(
        name, path=path, httponly=True, samesite="strict", secure=secure_cookies()
    )


def same_token(presented: str | None, expected: str) -> bool:
    """Whether a form's token is the expected one (constant time; a missing one never is)."""
    if not presented:
        return False
    return hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8"))


class LoginCsrf:
    """The login form's signed double-submit token: ``nonce.signature`` in cookie and form.

    The signing key is random per process: a restart only means reloading the login page.
    """

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    def issue(self) -> str:
        nonce = secrets.token_urlsafe(24)
        return f"{nonce}.{self._sign(nonce)}"

    def valid(self, cookie: str | None, form: str | None) -> bool:
        """The cookie is one of ours and the form carries the same value."""
        if not cookie or not form or "." not in cookie:
            return False
        nonce, signature = cookie.rsplit(".", 1)
        return same_token(signature, self._sign(nonce)) and same_token(form, cookie)

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._key, nonce.encode("utf-8"), hashlib.sha256).hexdigest()


class LoginLimiter:
    """Failed logins per user name and per client address within `LOGIN_WINDOW_SECONDS`.

    Kept in memory, so per process: `coalition serve` runs one, and a restart forgets the
    count (an attacker gains one window per restart, which needs access to the host anyway).
    Only failures count; a login is refused (429) once either count reaches
    COALITION_LOGIN_ATTEMPTS, before the password is even checked, so that guessing stops.
    """

    # Keys kept before expired ones are swept, so that a flood of names cannot grow memory.
    SWEEP_AT = 10_000

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def allowed_attempts() -> int:
        raw = settings.get("COALITION_LOGIN_ATTEMPTS") or "5"
        try:
            attempts = int(raw)
        except ValueError:
            raise ValueError(f"COALITION_LOGIN_ATTEMPTS={raw!r} is not a whole number") from None
        if attempts < 1:
            raise ValueError(f"COALITION_LOGIN_ATTEMPTS={raw!r} must be at least 1")
        return attempts

    def blocked(self, name: str, address: str) -> bool:
        limit = self.allowed_attempts()
        with self._lock:
            return any(len(self._recent(key)) >= limit for key in self._keys(name, address))

    def failed(self, name: str, address: str) -> None:
        with self._lock:
            if len(self._failures) >= self.SWEEP_AT:
                for key in list(self._failures):
                    if not self._recent(key):
                        del self._failures[key]
            now = self._clock()
            for key in self._keys(name, address):
                self._failures.setdefault(key, deque()).append(now)

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        times = self._failures.get(key, deque())
        horizon = self._clock() - LOGIN_WINDOW_SECONDS
        while times and times[0] <= horizon:
            times.popleft()
        return times

    @staticmethod
    def _keys(name: str, address: str) -> tuple[tuple[str, str], tuple[str, str]]:
        # Names compared as the login compares them (stripped), cut so a huge one costs nothing.
        return ("name", name.strip()[:200]), ("address", address)


class SecurityHeaders:
    """Adds `SECURITY_HEADERS` to every response under ``/ui`` (pages, static files, errors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or not (path == UI_PREFIX or path.startswith(UI_PREFIX + "/")):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (key, value)
                    for key, value in message.get("headers", [])
                    if key.decode("latin-1").lower() not in dict(SECURITY_HEADERS)
                ]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class Guards:
    """The per-process security state of the pages: the login limiter and the login CSRF key."""

    def __init__(self) -> None:
        self.limiter = LoginLimiter()
        self.login_csrf = LoginCsrf()
