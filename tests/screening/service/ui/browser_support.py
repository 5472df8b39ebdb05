"""The web pages' servers and browser for the Chromium tests and the README's screenshots.

`prepared_store` fills a fresh SQLite store with the given lists (the tests: the real UN list
and `write_script_list`, one OFAC legacy CSV entry named ``<script>alert("x")</script> TRADING
LLC`` for the XSS case), an API key and three web users (analysts ``ana`` and ``ben``,
supervisor ``sue``). `ui_servers` runs `coalition serve` subprocesses on that store: the tests
one without and one with four-eyes (``COALITION_FOUR_EYES`` is read by the server process, so
two modes need two processes); they share the store and the index cache. `record` opens
alerts the way a client does: ``POST /screen`` with ``record`` and a customer reference.
scripts/ui_screenshots.py uses the same functions for the README's screenshots.

Playwright never downloads a browser here: `launch` starts Debian's Chromium
(``COALITION_CHROMIUM``, else ``chromium`` on the PATH), with the flags of a closed network.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from click.testing import CliRunner
from playwright.sync_api import Browser, Page, Playwright, ViewportSize

import cli
from screening.store import ListStore
from screening.store.update import load_path
from tests.screening.service.server import Client, create_key, free_port, stop, wait_healthy

PASSWORD = "correct horse battery staple"  # >= 12 characters, the users' minimum
ANALYST = "ana"
SECOND_ANALYST = "ben"
SUPERVISOR = "sue"
USERS = ((ANALYST, "analyst"), (SECOND_ANALYST, "analyst"), (SUPERVISOR, "supervisor"))

SCRIPT_ENTITY = '<script>alert("x")</script> TRADING LLC'
SCRIPT_ENTRY_ID = "90001"
# One sdn.csv row in OFAC's legacy layout (12 columns, "-0- " for empty), ended by OFAC's
# end-of-file byte; quotes inside a field are doubled as in any CSV.
SCRIPT_LIST_ROW = (
    '90001,"<script>alert(""x"")</script> TRADING LLC",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,'
    '-0- ,-0- ,"Test entry for the web pages."\r\n\x1a'
)

VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
CHROMIUM_FLAGS = (
    "--no-sandbox",  # root in CI containers has no user namespaces for the sandbox
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)


def chromium_path() -> str | None:
    """Debian's Chromium: $COALITION_CHROMIUM (set by .ci/run), else `chromium` on the PATH."""
    configured = os.environ.get("COALITION_CHROMIUM", "").strip()
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("chromium")


def launch(playwright: Playwright, executable: str) -> Browser:
    return playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_FLAGS))


def write_script_list(folder: Path) -> Path:
    """An OFAC legacy CSV directory holding the one `SCRIPT_ENTITY`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sdn.csv").write_bytes(SCRIPT_LIST_ROW.encode("ascii"))
    return folder


@dataclass(frozen=True)
class Prepared:
    db_url: str
    key: str
    index_dir: Path
    folder: Path


def prepared_store(folder: Path, list_paths: Sequence[Path]) -> Prepared:
    """A fresh store with the lists at `list_paths`, an API key and the three web users."""
    db_url = f"sqlite:///{folder / 'ui.db'}"
    store = ListStore(db_url)
    for path in list_paths:
        # Today's date stands in only where a file states none (OFAC legacy CSV).
        load_path(store, path, published=dt.date.today())
    key = create_key(db_url, "ui-tests")
    runner = CliRunner()
    for name, role in USERS:
        # The password goes in on stdin, never on the command line (it would show in `ps`).
        result = runner.invoke(
            cli.main,
            ["users", "create", name, "--role", role, "--db", db_url],
            input=f"{PASSWORD}\n",
        )
        assert result.exit_code == 0, result.output
    return Prepared(db_url, key, folder / "index", folder)


@dataclass(frozen=True)
class UiServer:
    """One running `coalition serve`: its base URL and an API client with the test key."""

    base: str
    client: Client
    four_eyes: bool


@contextmanager
def _serve(
    prepared: Prepared, *, four_eyes: bool
) -> Iterator[tuple[UiServer, subprocess.Popen[bytes], Path]]:
    port = free_port()
    env = {
        **os.environ,
        "COALITION_INDEX_DIR": str(prepared.index_dir),
        "COALITION_FOUR_EYES": "1" if four_eyes else "0",
    }
    name = "four-eyes" if four_eyes else "plain"
    log_path = prepared.folder / f"server-{name}.log"
    command = [sys.executable, "-m", "cli", "serve", "--port", str(port), "--db", prepared.db_url]
    with log_path.open("wb") as log:  # a file, not a pipe nobody drains
        process = subprocess.Popen(
            command, env=env, cwd=Path(cli.__file__).parent, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            base = f"http://127.0.0.1:{port}"
            yield UiServer(base, Client(base, prepared.key), four_eyes), process, log_path
        finally:
            stop(process)


@contextmanager
def ui_servers(prepared: Prepared, four_eyes: Sequence[bool]) -> Iterator[list[UiServer]]:
    """One server per `four_eyes` flag on the prepared store, started side by side."""
    with ExitStack() as stack:
        started = [stack.enter_context(_serve(prepared, four_eyes=flag)) for flag in four_eyes]
        for server, process, log_path in started:
            wait_healthy(server.client, process, log_path)
        yield [server for server, _, _ in started]


def record(server: UiServer, name: str, customer: str) -> list[int]:
    """Screen `name` for `customer` with ``record``: the ids of the alerts it opened."""
    answer = server.client.post("/screen", {"name": name, "customer_ref": customer, "record": True})
    assert answer.status == 200, answer.body
    alert_ids: list[int] = answer.json()["recorded"]["alert_ids"]
    assert alert_ids, f"screening {name!r} opened no alert"
    return alert_ids


def log_in(page: Page, base: str, name: str, password: str = PASSWORD) -> None:
    """Log in through the form, typing into the labelled fields as a person does."""
    page.goto(f"{base}/ui/login")
    page.get_by_label("User name", exact=True).fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/ui/alerts**")


@contextmanager
def attacker_page(action: str) -> Iterator[int]:
    """A page on another port with a form that posts a decision to `action`.

    It carries everything a decision needs but the CSRF token, which another origin cannot
    read. Yields the port; the page answers on 127.0.0.1 and, by name, on localhost. (Its
    button is clicked, not submitted from the load event, so that the test waits for one
    navigation at a time; the browser sends the same cookies either way.)
    """
    html = (
        '<!doctype html><html lang="en"><body>'
        f'<form method="post" action="{escape(action)}">'
        '<input name="disposition" value="false_positive">'
        '<input name="reason" value="forged by another site">'
        "<button>Win a prize</button></form></body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def record_many(server: UiServer, name: str, customer: str, count: int) -> list[int]:
    """`count` recorded screenings of `name` for `customer` in one batch: their alert ids."""
    items = [{"name": name, "customer_ref": customer}] * count
    answer = server.client.post("/screen/batch", {"items": items, "record": True})
    assert answer.status == 200, answer.body
    return [i for result in answer.json()["results"] for i in result["recorded"]["alert_ids"]]
