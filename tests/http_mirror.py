"""A scriptable HTTP server on 127.0.0.1 and mirrors of the real shared list files.

Used as a pytest plugin (see conftest.py) by the download and update tests. Each server binds an
ephemeral port on the loopback address and is shut down at the end of its test.
"""

from __future__ import annotations

import email.utils
import hashlib
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypedDict

import pytest

# Where the real OFAC files for a complete 8-file mirror come from (relative to shared_lists).
OFAC_MIRROR_FILES = {
    "sdn.csv": "ofac/legacy_csv_2021/sdn.csv",
    "add.csv": "ofac/legacy_csv_2021/add.csv",
    "alt.csv": "ofac/legacy_csv_2021/alt.csv",
    "sdn_comments.csv": "ofac/legacy_csv_2025-12/sdn_comments.csv",
    "cons_prim.csv": "ofac/consolidated_csv_2025-12/cons_prim.csv",
    "cons_add.csv": "ofac/consolidated_csv_2025-12/cons_add.csv",
    "cons_alt.csv": "ofac/consolidated_csv_2025-12/cons_alt.csv",
    "cons_comments.csv": "ofac/consolidated_csv_2025-12/cons_comments.csv",
}

# Fixed modification times so that Last-Modified, and the newest of them, are known exactly.
UN_MTIME = datetime(2026, 5, 9, 6, 30, tzinfo=UTC)
OFAC_BASE_MTIME = datetime(2025, 12, 19, 8, 0, tzinfo=UTC)
# Canada's SEMA file states no date: the mirror's Last-Modified is what dates the download.
CA_MTIME = datetime(2025, 11, 20, 14, 0, tzinfo=UTC)


class Quick(TypedDict):
    backoff: float
    timeout: float


# Small backoff so retries cost milliseconds; a timeout that no healthy local answer reaches.
FAST: Quick = {"backoff": 0.01, "timeout": 5.0}


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under `directory` (data and metadata), to prove nothing changed."""
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def leftover_staging(cache: Path) -> list[Path]:
    """Staging directories a download left behind in the cache (there should be none)."""
    return [path for path in cache.iterdir() if path.name.startswith(".partial-")]


# --- a scriptable local HTTP server -----------------------------------------------------------

Behaviour = Callable[["_Handler"], None]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, root: Path | None, routes: dict[str, Behaviour]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root
        self.routes = routes
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        self.release = threading.Event()  # set at teardown so that stalled handlers finish

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for requested, _ in self.requests if requested == path)

    def headers_of(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            return [headers for requested, headers in self.requests if requested == path]

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients that give up (timeouts, aborted oversized downloads) leave broken pipes here.
        pass


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.requests.append((self.path, dict(self.headers.items())))
        self.server.routes.get(self.path, serve_from_root)(self)

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_from_root(handler: _Handler) -> None:
    """Serve a file of the server's root with ETag and Last-Modified, honouring both."""
    root = handler.server.root
    path = root / handler.path.lstrip("/") if root is not None else None
    if path is None or not path.is_file():
        handler.send_error(404)
        return
    data = path.read_bytes()
    etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
    mtime = int(path.stat().st_mtime)
    since = handler.headers.get("If-Modified-Since")
    since_time = email.utils.parsedate_to_datetime(since).timestamp() if since else None
    if handler.headers.get("If-None-Match") == etag or (
        "If-None-Match" not in handler.headers and since_time is not None and mtime <= since_time
    ):
        handler.send_response(304)
        handler.send_header("ETag", etag)
        handler.end_headers()
        return
    handler.send_response(200)
    handler.send_header("Content-Length", str(len(data)))
    handler.send_header("ETag", etag)
    handler.send_header("Last-Modified", email.utils.formatdate(mtime, usegmt=True))
    handler.end_headers()
    handler.wfile.write(data)


def status(code: int) -> Behaviour:
    def answer(handler: _Handler) -> None:
        handler.send_response(code)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


def body(data: bytes, *, length: int | None = None, announce: bool = True) -> Behaviour:
    """200 with `data`; `length` overrides Content-Length; `announce=False` sends none."""

    def answer(handler: _Handler) -> None:
        handler.send_response(200)
        if announce:
            handler.send_header("Content-Length", str(len(data) if length is None else length))
        handler.end_headers()
        handler.wfile.write(data)
        # HTTP/1.0: the connection closes here, which ends a short body early.

    return answer


def page(data: bytes, content_type: str = "text/html; charset=utf-8") -> Behaviour:
    """200 with `data` and a Content-Type: an index page (or whatever `content_type` claims)."""

    def answer(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    return answer


def redirect(location: str) -> Behaviour:
    """302 to `location` (a path on the same server, or a URL)."""

    def answer(handler: _Handler) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


def in_turn(*behaviours: Behaviour) -> Behaviour:
    """The n-th request gets the n-th behaviour; the last one repeats."""
    calls: list[int] = []

    def answer(handler: _Handler) -> None:
        calls.append(1)
        behaviours[min(len(calls), len(behaviours)) - 1](handler)

    return answer


def stall_before_headers(handler: _Handler) -> None:
    handler.server.release.wait(10)


def stall_mid_body(data: bytes) -> Behaviour:
    def answer(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data[: len(data) // 2])
        handler.wfile.flush()
        handler.server.release.wait(10)

    return answer


ServerFactory = Callable[..., _Server]


@pytest.fixture
def serve() -> Iterator[ServerFactory]:
    started: list[tuple[_Server, threading.Thread]] = []

    def start(root: Path | None = None, routes: dict[str, Behaviour] | None = None) -> _Server:
        server = _Server(root, routes or {})
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        started.append((server, thread))
        return server

    yield start
    for server, thread in started:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _no_proxy_no_mirror(monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy from the environment must not intercept 127.0.0.1, nor a mirror leak in.
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.delenv("COALITION_MIRROR", raising=False)


# --- mirrors in tmp_path built from the real shared files -------------------------------------

# Mirror (cache) name -> the real file served under it, relative to shared_lists.
JP_MIRROR_FILES = {
    "shisantouketsu.xlsx": "jp/mof/shisantouketsu20260305.xlsx",
    "end_user_list.xlsx": "jp/meti/end_user_list_20250929.xlsx",
}
CA_AU_MIRROR_FILES = {
    "sema-lmes.xml": "ca/sema-lmes.xml",
    "regulation8_consolidated.xlsx": "au/regulation8_consolidated.xlsx",
}


def _mirror_of(directory: Path, shared_lists: Path, files: dict[str, str]) -> Path:
    directory.mkdir()
    for name, relative in files.items():
        shutil.copyfile(shared_lists / relative, directory / name)
    return directory


def _set_mtime(path: Path, when: datetime) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()))


@pytest.fixture
def un_mirror(tmp_path: Path, shared_lists: Path) -> Path:
    mirror = tmp_path / "mirror-un"
    mirror.mkdir()
    shutil.copyfile(shared_lists / "un" / "consolidated.xml", mirror / "consolidated.xml")
    _set_mtime(mirror / "consolidated.xml", UN_MTIME)
    return mirror


@pytest.fixture
def ofac_mirror(tmp_path: Path, shared_lists: Path) -> Path:
    mirror = tmp_path / "mirror-ofac"
    mirror.mkdir()
    for index, (name, relative) in enumerate(OFAC_MIRROR_FILES.items()):
        shutil.copyfile(shared_lists / relative, mirror / name)
        _set_mtime(mirror / name, OFAC_BASE_MTIME.replace(hour=8 + index))
    return mirror


@pytest.fixture
def jp_mirror(tmp_path: Path, shared_lists: Path) -> Path:
    """Japan's two lists (MOF, METI) under their cache names, as a mirror serves them."""
    return _mirror_of(tmp_path / "mirror-jp", shared_lists, JP_MIRROR_FILES)


@pytest.fixture
def ca_au_mirror(tmp_path: Path, shared_lists: Path) -> Path:
    mirror = _mirror_of(tmp_path / "mirror-ca-au", shared_lists, CA_AU_MIRROR_FILES)
    _set_mtime(mirror / "sema-lmes.xml", CA_MTIME)
    return mirror
