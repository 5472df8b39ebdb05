"""Helpers of the web pages' HTTP tests: a tiny list store with users, and a cookie-keeping client.

`ui_site` serves `create_app` under uvicorn in a thread (real HTTP on 127.0.0.1, as the other
service tests) over a store holding a three-entry OFAC legacy CSV list written here, one of
whose names is ``<script>alert(2)</script> TRADING LLC`` (the XSS case), and the web users of
`USERS`. `WebClient` keeps cookies as a browser does (Path and Secure honoured, by
`http.cookiejar`) and never follows redirects, so a test sees each 303 and its Location.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from http.cookiejar import Cookie, CookieJar
from pathlib import Path

from lists import open_list
from screening.matching.screener import Screener
from screening.service.app import create_app
from screening.store import ListStore
from screening.workflow.recorder import Recorder
from screening.workflow.users import Users
from tests.screening.service.server import serving

PASSWORD = "correct horse battery staple"
ANALYST, OTHER_ANALYST, SUPERVISOR = "alice", "bob", "sam"
USERS = ((ANALYST, "analyst"), (OTHER_ANALYST, "analyst"), (SUPERVISOR, "supervisor"))

SCRIPT_NAME = "<script>alert(2)</script> TRADING LLC"
# sdn.csv rows in OFAC's legacy layout (12 columns, "-0- " for empty); quotes doubled.
FIRST_ROWS = (
    '90001,"<script>alert(2)</script> TRADING LLC",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,'
    '-0- ,-0- ,"Test entry."',
    '90002,"PETROV, Ivan","individual","UKRAINE-EO13660",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"DOB 01 Jan 1960."',
    '90003,"SMIRNOVA, Olga","individual","UKRAINE-EO13660",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
)
# The second version: SMIRNOVA removed, KOVALENKO added, PETROV's program changed.
SECOND_ROWS = (
    FIRST_ROWS[0],
    FIRST_ROWS[1].replace("UKRAINE-EO13660", "RUSSIA-EO14024"),
    '90004,"KOVALENKO, Taras","individual","UKRAINE-EO13660",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    "-0- ,-0- ",
)


def load_rows(store: ListStore, folder: Path, rows: tuple[str, ...], published: dt.date) -> int:
    """Load `rows` as one OFAC legacy CSV version published on `published`; its version id."""
    folder.mkdir(parents=True)
    (folder / "sdn.csv").write_bytes(("\r\n".join(rows) + "\r\n\x1a").encode("ascii"))
    # The legacy CSV states no publication date: the load takes the one given.
    return store.load(open_list(folder), published_on=published).version.id


@dataclass(frozen=True)
class Site:
    base: str
    db_url: str
    store: ListStore
    recorder: Recorder
    screener: Screener
    versions: tuple[int, int]
    index_dir: Path

    def record(self, name: str, customer: str) -> list[int]:
        """Screen `name` for `customer` and record it: the ids of the alerts it opened."""
        result = self.screener.screen(name)
        recorded = self.recorder.record_screening(result, customer_ref=customer, requested_by="t")
        return [alert.id for alert in recorded.alerts]


def prepare(folder: Path, db_url: str) -> tuple[ListStore, tuple[int, int]]:
    """The two list versions and the users of `USERS` in the store at `db_url`."""
    store = ListStore(db_url)
    first = load_rows(store, folder / "v1", FIRST_ROWS, dt.date(2026, 1, 1))
    second = load_rows(store, folder / "v2", SECOND_ROWS, dt.date(2026, 2, 1))
    users = Users(store.engine)
    for name, role in USERS:
        users.create(name, role, PASSWORD)
    return store, (first, second)


@contextmanager
def ui_site(folder: Path, db_url: str) -> Iterator[Site]:
    """The prepared store served over HTTP (a fresh login limiter per site)."""
    store, versions = prepare(folder, db_url)
    index_dir = folder / "index"
    screener = Screener(store, index_dir=index_dir)
    with serving(create_app(db_url, index_dir=index_dir)) as client:
        yield Site(client.base, db_url, store, Recorder(store), screener, versions, index_dir)


@dataclass
class Page:
    status: int
    text: str
    headers: Message

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")

    def set_cookies(self) -> list[str]:
        return self.headers.get_all("Set-Cookie") or []

    def csrf(self) -> str:
        """The first form's csrf_token."""
        found = re.search(r'name="csrf_token" value="([^"]*)"', self.text)
        assert found is not None, self.text[:500]
        return found.group(1)


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # the 303 reaches the test as it is


class WebClient:
    """A browser without a browser: cookies kept, forms posted URL-encoded, no redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _KeepRedirects()
        )

    def get(self, path: str) -> Page:
        return self._send(urllib.request.Request(self.base + path))

    def post(self, path: str, fields: dict[str, str]) -> Page:
        body = urllib.parse.urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self._send(urllib.request.Request(self.base + path, body, headers, method="POST"))

    def _send(self, request: urllib.request.Request) -> Page:
        try:
            with self._opener.open(request, timeout=60) as answer:
                return Page(answer.status, answer.read().decode(), answer.headers)
        except urllib.error.HTTPError as exc:
            return Page(exc.code, exc.read().decode(), exc.headers)

    def cookie(self, name: str) -> Cookie | None:
        return next((c for c in self.cookies if c.name == name), None)

    def log_in(self, name: str, password: str = PASSWORD) -> Page:
        """The login form, filled and posted; the answer (303 to the queue when it worked)."""
        form = self.get("/ui/login")
        fields = {"csrf_token": form.csrf(), "username": name, "password": password}
        return self.post("/ui/login", fields)


def signed_in(base: str, name: str) -> WebClient:
    client = WebClient(base)
    answer = client.log_in(name)
    assert (answer.status, answer.location) == (303, "/ui/alerts"), answer.text[:500]
    return client
