"""Download official list files into a local cache: the fetch step of fetch -> read -> map.

`fetch_feed` downloads every file of one `FeedSpec` (from the official URL or a mirror) and
leaves a copy ready for `lists.open_list`. What it guarantees:

- A cached copy is only ever replaced by a complete, verified download. Files arrive in a
  staging directory; only when every file of the source arrived complete (status 200, byte count
  equal to Content-Length, under the size cap, not an HTML error page) are the cached copies
  replaced with `os.replace`. Any failure leaves the previous files and metadata as they were.
- Conditional requests: each cached file has a ``<name>.meta.json`` beside it (ETag,
  Last-Modified, sha256, URL, time). The next fetch sends If-None-Match / If-Modified-Since, and
  a 304 Not Modified reuses the cached copy. Validators are sent only when the cached bytes still
  match the recorded sha256 and were fetched from the same URL, so a damaged cache or a switch
  between mirror and official host always downloads afresh.
- Bounded waiting: every connect and every read gives up after `timeout` seconds without
  progress. Connection errors, timeouts, truncated bodies and 5xx answers are retried with
  exponential backoff; 4xx answers, oversized bodies and HTML pages are not, since repeating the
  request cannot fix them.
- Dated file names: a feed with an index page (MOF, METI) is fetched in two steps. The page is
  downloaded afresh each time (same timeouts and retries, capped at `INDEX_MAX_BYTES`, refused
  unless it is HTML), the newest matching link is chosen (`lists.links`), and that file is
  downloaded to the feed's fixed cache name. Conditional requests are keyed on the resolved
  URL, so a new revision (a new name) is always downloaded in full. A mirror serves the file
  under its cache name: no index page is read then.

Errors are `FetchError`, whose str() is one line naming the feed, the URL and the problem.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import http.client
import io
import json
import os
import socket
import ssl
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO, Literal, TypeVar

import platformdirs

from lists.links import IndexPage, LinkError, newest_link
from lists.model import Source
from lists.sources import FeedSpec, SourceFile, mirror_url

MIRROR_ENV = "COALITION_MIRROR"
DEFAULT_MAX_BYTES = 300 * 1024 * 1024
# An index page is a few hundred kB of HTML; anything near this cap is not the page we expect.
INDEX_MAX_BYTES = 2 * 1024 * 1024
META_SUFFIX = ".meta.json"

_CHUNK_BYTES = 64 * 1024
_SNIFF_BYTES = 512

# on_progress(name, received, total): called as a file's body arrives; total is None when the
# server does not announce a length.
ProgressCallback = Callable[[str, int, int | None], None]

FileStatus = Literal["downloaded", "not_modified"]

_T = TypeVar("_T")


class FetchError(Exception):
    """A feed could not be downloaded; the cached copy, if any, is unchanged."""

    def __init__(self, feed: FeedSpec, url: str, message: str) -> None:
        self.feed = feed.name
        self.source = feed.source
        self.url = url
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.feed}: cannot download {self.url}: {self.message}"


@dataclass(frozen=True)
class FetchedFile:
    """One file of a fetched feed, as it now stands in the cache."""

    name: str
    path: Path
    url: str
    status: FileStatus
    changed: bool
    sha256: str
    size: int
    etag: str | None
    last_modified: dt.datetime | None


@dataclass(frozen=True)
class FetchResult:
    """The outcome of `fetch_feed`.

    `path` is the file (or, for OFAC, the directory) to hand to `lists.open_list`. `changed` is
    False when no file's content differs from the previous cached copy (every file answered 304,
    or came back byte-identical). `last_modified` is the newest Last-Modified among the files,
    the only publication date OFAC's CSV files have. `urls` are the files' URLs as downloaded
    (for an index feed, the link chosen on the page). `bytes` counts the bytes of the files
    downloaded now (0 when everything was answered 304).
    """

    feed: str
    source: Source
    path: Path
    changed: bool
    last_modified: dt.datetime | None
    urls: list[str]
    bytes: int
    files: tuple[FetchedFile, ...] = field(default=())


def default_cache_dir() -> Path:
    """The per-user cache directory for downloaded lists (one subdirectory per feed)."""
    return Path(platformdirs.user_cache_dir("coalition-screening")) / "lists"


def resolve_mirror(explicit: str | None) -> str | None:
    """The mirror base to use: the explicit value, else $COALITION_MIRROR, else None (official).

    A mirror is a base URL (http, https or file) or a local directory path.
    """
    for candidate in (explicit, os.environ.get(MIRROR_ENV)):
        if candidate is not None and candidate.strip():
            return candidate.strip()
    return None


def fetch_feed(
    spec: FeedSpec,
    *,
    cache_dir: Path,
    mirror: str | None = None,
    timeout: float = 60,
    retries: int = 3,
    backoff: float = 1.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    opener: urllib.request.OpenerDirector | None = None,
    on_progress: ProgressCallback | None = None,
) -> FetchResult:
    """Download every file of `spec` into ``cache_dir/<feed>/`` and return where it is.

    `mirror` replaces the official hosts: each file is fetched from ``<mirror>/<file name>``
    (a directory path is accepted and read through file:// URLs), and no index page is read.
    `retries` is the number of attempts per request (at least 1); attempt n+1 waits
    ``backoff * 2**(n-1)`` seconds. `max_bytes` caps each file. `opener` lets a caller supply
    its own urllib opener (proxies, certificates); the default honours the usual proxy
    environment variables.
    """
    if retries < 1:
        raise ValueError("retries must be at least 1 (it counts attempts per file)")
    cache_dir = Path(cache_dir)
    feed_dir = cache_dir / spec.name
    feed_dir.mkdir(parents=True, exist_ok=True)
    downloader = _Downloader(
        feed=spec,
        opener=opener or urllib.request.build_opener(),
        timeout=timeout,
        attempts=retries,
        backoff=backoff,
        max_bytes=max_bytes,
        on_progress=on_progress,
    )
    urls = _file_urls(spec, downloader, mirror)
    # Staging sits inside cache_dir so that os.replace stays on one file system (atomic), and
    # outside the feed directory so that a reader of the OFAC directory never sees it.
    with tempfile.TemporaryDirectory(prefix=f".partial-{spec.name}-", dir=cache_dir) as tmp:
        staging = Path(tmp)
        outcomes = [
            downloader.fetch(file, url=url, cache_path=feed_dir / file.name, staging=staging)
            for file, url in zip(spec.files, urls, strict=True)
        ]
        _commit(outcomes, staging)
    files = tuple(outcome.fetched for outcome in outcomes)
    dates = [file.last_modified for file in files if file.last_modified is not None]
    return FetchResult(
        feed=spec.name,
        source=spec.source,
        path=feed_dir if spec.directory else files[0].path,
        changed=any(file.changed for file in files),
        last_modified=max(dates, default=None),
        urls=[outcome.url for outcome in outcomes],
        bytes=sum(outcome.received for outcome in outcomes),
        files=files,
    )


def _file_urls(spec: FeedSpec, downloader: _Downloader, mirror: str | None) -> list[str]:
    """Where each file of `spec` is downloaded from: the mirror, the table, or the index page."""
    if mirror is not None:
        base = _mirror_base(mirror)
        return [mirror_url(file, base) for file in spec.files]
    if not spec.index_page:
        return [file.url for file in spec.files]
    try:
        link = newest_link(downloader.get_page(spec.index_page), spec.link_pattern)
    except LinkError as exc:
        raise FetchError(spec, spec.index_page, f"index page: {exc}") from None
    return [link.url]


# --- metadata stored beside each cached file -------------------------------------------------


@dataclass(frozen=True)
class _Meta:
    url: str
    sha256: str
    size: int
    etag: str | None
    last_modified: str | None  # the header exactly as sent, echoed back in If-Modified-Since
    fetched_at: str
    checked_at: str


def _meta_path(cache_path: Path) -> Path:
    return cache_path.with_name(cache_path.name + META_SUFFIX)


def _read_meta(path: Path) -> _Meta | None:
    """The stored metadata, or None when absent or unreadable (then the file is re-downloaded)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return _Meta(
            url=str(raw["url"]),
            sha256=str(raw["sha256"]),
            size=int(raw.get("size", -1)),
            etag=_optional_str(raw.get("etag")),
            last_modified=_optional_str(raw.get("last_modified")),
            fetched_at=str(raw["fetched_at"]),
            checked_at=str(raw.get("checked_at", raw["fetched_at"])),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _cached_state(cache_path: Path, url: str) -> tuple[_Meta | None, str | None]:
    """The validators usable for a conditional request, and the sha256 of the cached copy.

    Validators are only usable when the cached bytes are intact and came from the same URL.
    """
    if not cache_path.is_file():
        return None, None
    sha256 = _sha256_of(cache_path)
    meta = _read_meta(_meta_path(cache_path))
    if meta is None or meta.url != url or meta.sha256 != sha256:
        return None, sha256
    return meta, sha256


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _parse_http_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# --- downloading ------------------------------------------------------------------------------


class _Transient(Exception):
    """A failure worth another attempt (connection, timeout, truncation, 5xx)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class _NotModified(Exception):
    """The server answered 304: the cached copy described by `cached` is still current."""

    def __init__(self, cached: _Meta, headers: Any) -> None:
        self.cached = cached
        self.headers = headers
        super().__init__("304 Not Modified")


@dataclass(frozen=True)
class _Outcome:
    url: str
    cache_path: Path
    staged: Path | None  # None when the server answered 304 and the cached copy stays
    meta: _Meta
    received: int
    fetched: FetchedFile


@dataclass(frozen=True)
class _Downloader:
    feed: FeedSpec
    opener: urllib.request.OpenerDirector
    timeout: float
    attempts: int
    backoff: float
    max_bytes: int
    on_progress: ProgressCallback | None

    def fetch(self, file: SourceFile, *, url: str, cache_path: Path, staging: Path) -> _Outcome:
        cached, previous_sha = _cached_state(cache_path, url)
        staged = staging / file.name
        return self._retrying(
            url, lambda: self._attempt(file, url, cache_path, staged, cached, previous_sha)
        )

    def get_page(self, url: str) -> IndexPage:
        """An index page, fetched afresh (no validators), capped at `INDEX_MAX_BYTES`."""
        capped = replace(self, max_bytes=min(self.max_bytes, INDEX_MAX_BYTES), on_progress=None)
        return self._retrying(url, lambda: capped._page_attempt(url))

    def _retrying(self, url: str, attempt_once: Callable[[], _T]) -> _T:
        problem = ""
        for attempt in range(1, self.attempts + 1):
            try:
                return attempt_once()
            except _Transient as exc:
                problem = exc.message
            if attempt < self.attempts:
                time.sleep(self.backoff * 2 ** (attempt - 1))
        if self.attempts > 1:
            problem += f" (after {self.attempts} attempts)"
        raise FetchError(self.feed, url, problem)

    def _open(self, url: str, cached: _Meta | None) -> Any:
        """The 200 response to a GET of `url`; `_NotModified` when `cached` is still current."""
        request = urllib.request.Request(url, headers=_request_headers(cached))
        try:
            response = self.opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            with exc:
                if exc.code == 304 and cached is not None:
                    raise _NotModified(cached, exc.headers) from None
                raise self._status_error(url, exc.code, str(exc.reason)) from None
        except urllib.error.URLError as exc:
            raise self._connection_error(url, exc.reason) from None
        except (http.client.HTTPException, OSError) as exc:
            raise self._connection_error(url, exc) from None
        status = getattr(response, "status", None)  # None for file:// URLs
        encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
        if status not in (None, 200, 203):
            with response:
                raise self._status_error(url, status, str(getattr(response, "reason", "")))
        if encoding != "identity":
            with response:
                raise FetchError(self.feed, url, f"unrequested Content-Encoding {encoding!r}")
        return response

    def _page_attempt(self, url: str) -> IndexPage:
        with self._open(url, None) as response:
            buffer = io.BytesIO()
            self._receive(response, "index page", url, buffer)
            headers = response.headers
            # The final URL (after redirects) is the base that relative links resolve against.
            return IndexPage(
                url=response.geturl() or url,
                data=buffer.getvalue(),
                content_type=headers.get("Content-Type"),
                charset=headers.get_content_charset(),
            )

    def _attempt(
        self,
        file: SourceFile,
        url: str,
        cache_path: Path,
        staged: Path,
        cached: _Meta | None,
        previous_sha: str | None,
    ) -> _Outcome:
        try:
            response = self._open(url, cached)
        except _NotModified as answer:
            return self._not_modified(file, url, cache_path, answer.cached, answer.headers)
        with response, staged.open("wb") as out:
            headers = response.headers
            sha256, size = self._receive(response, file.name, url, out)
        self._refuse_html_page(url, staged)
        meta = _Meta(
            url=url,
            sha256=sha256,
            size=size,
            etag=headers.get("ETag"),
            last_modified=headers.get("Last-Modified"),
            fetched_at=_now(),
            checked_at=_now(),
        )
        return _Outcome(
            url=url,
            cache_path=cache_path,
            staged=staged,
            meta=meta,
            received=size,
            fetched=_fetched(file, url, cache_path, meta, "downloaded", sha256 != previous_sha),
        )

    def _not_modified(
        self, file: SourceFile, url: str, cache_path: Path, cached: _Meta, headers: Any
    ) -> _Outcome:
        # A 304 may carry fresher validators; keep the old ones where it carries none.
        meta = _Meta(
            url=url,
            sha256=cached.sha256,
            size=cache_path.stat().st_size,
            etag=headers.get("ETag") or cached.etag,
            last_modified=headers.get("Last-Modified") or cached.last_modified,
            fetched_at=cached.fetched_at,
            checked_at=_now(),
        )
        return _Outcome(
            url=url,
            cache_path=cache_path,
            staged=None,
            meta=meta,
            received=0,
            fetched=_fetched(file, url, cache_path, meta, "not_modified", False),
        )

    def _receive(self, response: Any, name: str, url: str, out: BinaryIO) -> tuple[str, int]:
        """Stream the body into `out`; return its sha256 and size, or raise."""
        expected = _content_length(response.headers)
        if expected is not None and expected > self.max_bytes:
            raise FetchError(
                self.feed,
                url,
                f"too large: the server announces {expected} bytes, the limit is "
                f"{self.max_bytes} bytes",
            )
        digest = hashlib.sha256()
        received = 0
        self._progress(name, received, expected)
        while True:
            chunk = self._read_chunk(response, url, received, expected)
            if not chunk:
                break
            received += len(chunk)
            if received > self.max_bytes:
                raise FetchError(
                    self.feed,
                    url,
                    f"too large: more than {self.max_bytes} bytes arrived, download aborted",
                )
            out.write(chunk)
            digest.update(chunk)
            self._progress(name, received, expected)
        if expected is not None and received != expected:
            raise _Transient(f"truncated (got {received} of {expected} bytes)")
        return digest.hexdigest(), received

    def _read_chunk(self, response: Any, url: str, received: int, expected: int | None) -> bytes:
        # read1 returns what has arrived (one socket read) instead of waiting to fill the chunk,
        # so progress is reported as bytes come and a stall reports how far the body got.
        read = getattr(response, "read1", response.read)
        try:
            chunk: bytes = read(_CHUNK_BYTES)
        except TimeoutError:
            raise _Transient(
                f"timed out: no data for {self.timeout:g} s after {received} bytes"
            ) from None
        except http.client.IncompleteRead:
            of_total = f" of {expected}" if expected is not None else ""
            raise _Transient(f"truncated (got {received}{of_total} bytes)") from None
        except (http.client.HTTPException, OSError) as exc:
            raise _Transient(f"connection lost after {received} bytes: {_describe(exc)}") from None
        return chunk

    def _refuse_html_page(self, url: str, staged: Path) -> None:
        # Portals answer outages and expired links with a 200 HTML page; caching that as the
        # list would only fail later, far from the cause.
        with staged.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith((b"<!doctype html", b"<html")):
            raise FetchError(self.feed, url, "the server sent an HTML page instead of the list")

    def _status_error(self, url: str, code: int | None, reason: str) -> Exception:
        message = f"HTTP {code} {reason}".rstrip()
        if code is not None and code >= 500:
            return _Transient(message)
        return FetchError(self.feed, url, message)

    def _connection_error(self, url: str, reason: object) -> Exception:
        if isinstance(reason, TimeoutError):
            return _Transient(f"timed out: no answer within {self.timeout:g} s")
        if isinstance(reason, ConnectionRefusedError):
            return _Transient("connection refused")
        if isinstance(reason, socket.gaierror):
            return _Transient(f"cannot resolve the host name ({_describe(reason)})")
        if isinstance(reason, ssl.SSLCertVerificationError):
            return FetchError(self.feed, url, f"TLS certificate not trusted: {reason.reason}")
        if isinstance(reason, FileNotFoundError):  # a file:// mirror lacking the file
            return FetchError(self.feed, url, "no such file on the mirror")
        if isinstance(reason, BaseException):
            return _Transient(f"connection failed: {_describe(reason)}")
        return _Transient(f"connection failed: {reason}")

    def _progress(self, name: str, received: int, total: int | None) -> None:
        if self.on_progress is not None:
            self.on_progress(name, received, total)


def _request_headers(cached: _Meta | None) -> dict[str, str]:
    headers = {"User-Agent": _user_agent()}
    if cached is not None:
        if cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
    return headers


def _user_agent() -> str:
    try:
        version = metadata.version("coalition-screening")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"coalition-screening/{version} (sanctions list download; Python urllib)"


def _content_length(headers: Any) -> int | None:
    value = headers.get("Content-Length")
    try:
        length = int(value) if value is not None else None
    except ValueError:
        return None
    return length if length is not None and length >= 0 else None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _fetched(
    file: SourceFile, url: str, cache_path: Path, meta: _Meta, status: FileStatus, changed: bool
) -> FetchedFile:
    return FetchedFile(
        name=file.name,
        path=cache_path,
        url=url,
        status=status,
        changed=changed,
        sha256=meta.sha256,
        size=meta.size,
        etag=meta.etag,
        last_modified=_parse_http_date(meta.last_modified),
    )


def _mirror_base(mirror: str) -> str:
    """A mirror as a URL base: a plain directory path becomes a file:// URL."""
    if "://" in mirror:
        return mirror
    return Path(mirror).expanduser().resolve().as_uri()


def _commit(outcomes: list[_Outcome], staging: Path) -> None:
    """Move every downloaded file into the cache, then record its metadata.

    Data files go first and metadata last: if the process dies in between, a cached file no
    longer matches its recorded sha256, so the next fetch downloads it unconditionally.
    """
    for outcome in outcomes:
        if outcome.staged is not None:
            os.replace(outcome.staged, outcome.cache_path)
    for outcome in outcomes:
        meta_path = _meta_path(outcome.cache_path)
        staged_meta = staging / meta_path.name
        staged_meta.write_text(json.dumps(asdict(outcome.meta), indent=2) + "\n", encoding="utf-8")
        os.replace(staged_meta, meta_path)
