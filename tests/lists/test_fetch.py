"""Downloading list files: real HTTP servers on 127.0.0.1 serving the real shared list files.

Each test starts its own server (ephemeral port, torn down at the end) whose misbehaviour is
scripted per path: truncation, stalls, 5xx, 404, oversized and HTML answers. No test touches
the network beyond 127.0.0.1.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import shutil
import socket
import time
from datetime import datetime
from pathlib import Path
from typing import TypedDict

import pytest

import lists
from lists.fetch import (
    META_SUFFIX,
    FetchError,
    FetchResult,
    default_cache_dir,
    fetch_source,
    resolve_mirror,
)
from lists.model import Source
from lists.sources import SOURCES, SourceFile, mirror_url, source_spec
from tests.http_mirror import (
    OFAC_BASE_MTIME,
    OFAC_MIRROR_FILES,
    UN_MTIME,
    ServerFactory,
    body,
    in_turn,
    serve_from_root,
    stall_before_headers,
    stall_mid_body,
    status,
)

UN_SPEC = SOURCES[Source.UN]
OFAC_SPEC = SOURCES[Source.OFAC]

UN_SHA256 = "1f1b3bfe29a53e7ac7c42ee4e58d6a7d1ebdf7c5e91fd990d3e63aefe0313dea"  # PROVENANCE.md
UN_BYTES = 2190459


class _Quick(TypedDict):
    backoff: float
    timeout: float


# Small backoff so retries cost milliseconds; a timeout that no healthy local answer reaches.
FAST: _Quick = {"backoff": 0.01, "timeout": 5.0}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under `directory` (data and metadata), to prove nothing changed."""
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def _leftover_staging(cache: Path) -> list[Path]:
    return [path for path in cache.iterdir() if path.name.startswith(".partial-")]


# --- the source table -------------------------------------------------------------------------


def test_source_table_holds_the_official_urls() -> None:
    assert set(SOURCES) == set(Source)
    assert [file.name for file in OFAC_SPEC.files] == list(OFAC_MIRROR_FILES)
    assert OFAC_SPEC.directory is True
    exports = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
    assert OFAC_SPEC.files[0] == SourceFile("sdn.csv", exports + "SDN.CSV")
    assert OFAC_SPEC.files[4] == SourceFile("cons_prim.csv", exports + "CONS_PRIM.CSV")
    assert all(file.url == exports + file.name.upper() for file in OFAC_SPEC.files)
    assert SOURCES[Source.UK].files == (
        SourceFile(
            "UK-Sanctions-List.xml", "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"
        ),
    )
    assert SOURCES[Source.EU].files == (
        SourceFile(
            "xmlFullSanctionsList_1_1.xml",
            "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content"
            "?token=dG9rZW4tMjAxNw",
        ),
    )
    assert UN_SPEC.files == (
        SourceFile(
            "consolidated.xml", "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
        ),
    )
    for source in (Source.UK, Source.EU, Source.UN):
        assert SOURCES[source].directory is False
        assert SOURCES[source].source is source
    assert source_spec("un") is UN_SPEC
    with pytest.raises(ValueError, match="unknown source 'xx'"):
        source_spec("xx")


def test_mirror_url_joins_base_and_cache_name() -> None:
    file = UN_SPEC.files[0]
    assert mirror_url(file, "https://mirror.example/lists/") == (
        "https://mirror.example/lists/consolidated.xml"
    )
    assert mirror_url(file, "https://mirror.example/lists") == (
        "https://mirror.example/lists/consolidated.xml"
    )


def test_resolve_mirror_prefers_explicit_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_mirror(None) is None
    monkeypatch.setenv("COALITION_MIRROR", " https://env.example/m ")
    assert resolve_mirror(None) == "https://env.example/m"
    assert resolve_mirror("https://cli.example/m") == "https://cli.example/m"
    assert resolve_mirror("  ") == "https://env.example/m"
    monkeypatch.setenv("COALITION_MIRROR", "")
    assert resolve_mirror(None) is None


def test_default_cache_dir_is_per_user() -> None:
    cache = default_cache_dir()
    assert cache.is_absolute()
    assert "coalition-screening" in cache.parts


def test_retries_must_allow_one_attempt(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        fetch_source(UN_SPEC, cache_dir=tmp_path, mirror="http://127.0.0.1:9", retries=0)


# --- complete downloads -----------------------------------------------------------------------


def test_un_fetch_through_mirror_is_byte_identical_and_readable(
    serve: ServerFactory, un_mirror: Path, tmp_path: Path
) -> None:
    server = serve(un_mirror)
    cache = tmp_path / "cache"
    progress: list[tuple[str, int, int | None]] = []
    result = fetch_source(
        UN_SPEC,
        cache_dir=cache,
        mirror=server.url + "/",
        on_progress=lambda name, got, total: progress.append((name, got, total)),
        **FAST,
    )
    assert isinstance(result, FetchResult)
    assert result.source is Source.UN
    assert result.path == cache / "un" / "consolidated.xml"
    assert _sha256(result.path) == UN_SHA256
    assert result.changed is True
    assert result.bytes == UN_BYTES
    assert result.urls == [server.url + "/consolidated.xml"]
    assert result.last_modified == UN_MTIME
    assert [(file.name, file.status, file.sha256) for file in result.files] == [
        ("consolidated.xml", "downloaded", UN_SHA256)
    ]
    assert progress[0] == ("consolidated.xml", 0, UN_BYTES)
    assert progress[-1] == ("consolidated.xml", UN_BYTES, UN_BYTES)
    (headers,) = server.headers_of("/consolidated.xml")
    assert headers["User-Agent"].startswith("coalition-screening/")
    assert "If-None-Match" not in headers
    meta = json.loads((cache / "un" / ("consolidated.xml" + META_SUFFIX)).read_text())
    assert meta["url"] == server.url + "/consolidated.xml"
    assert meta["sha256"] == UN_SHA256
    assert meta["etag"] == '"' + UN_SHA256[:20] + '"'
    assert meta["last_modified"] == email.utils.formatdate(UN_MTIME.timestamp(), usegmt=True)
    assert datetime.fromisoformat(meta["fetched_at"]).tzinfo is not None
    assert _leftover_staging(cache) == []
    assert lists.open_list(result.path).format.source is Source.UN


def test_second_fetch_is_conditional_and_reuses_the_cache(
    serve: ServerFactory, un_mirror: Path, tmp_path: Path
) -> None:
    server = serve(un_mirror)
    cache = tmp_path / "cache"
    first = fetch_source(UN_SPEC, cache_dir=cache, mirror=server.url, **FAST)
    meta_path = cache / "un" / ("consolidated.xml" + META_SUFFIX)
    stored = json.loads(meta_path.read_text())

    second = fetch_source(UN_SPEC, cache_dir=cache, mirror=server.url, **FAST)

    assert second.changed is False
    assert second.bytes == 0
    assert second.path == first.path
    assert second.last_modified == UN_MTIME
    assert [file.status for file in second.files] == ["not_modified"]
    assert _sha256(second.path) == UN_SHA256
    conditional = server.headers_of("/consolidated.xml")[1]
    assert conditional["If-None-Match"] == stored["etag"]
    assert conditional["If-Modified-Since"] == stored["last_modified"]
    assert json.loads(meta_path.read_text())["fetched_at"] == stored["fetched_at"]

    # A new version on the server replaces the cached copy.
    next_version = b"\n<!-- next version -->\n"
    with (un_mirror / "consolidated.xml").open("ab") as handle:
        handle.write(next_version)
    third = fetch_source(UN_SPEC, cache_dir=cache, mirror=server.url, **FAST)
    assert third.changed is True
    assert third.bytes == UN_BYTES + len(next_version)
    assert third.path.read_bytes() == (un_mirror / "consolidated.xml").read_bytes()


def test_damaged_cache_is_downloaded_unconditionally(
    serve: ServerFactory, un_mirror: Path, tmp_path: Path
) -> None:
    server = serve(un_mirror)
    cache = tmp_path / "cache"
    result = fetch_source(UN_SPEC, cache_dir=cache, mirror=server.url, **FAST)
    result.path.write_bytes(b"<CONSOLIDATED_LIST/>")  # no longer the recorded sha256

    repaired = fetch_source(UN_SPEC, cache_dir=cache, mirror=server.url, **FAST)

    assert "If-None-Match" not in server.headers_of("/consolidated.xml")[1]
    assert repaired.changed is True
    assert _sha256(repaired.path) == UN_SHA256


def test_directory_mirror_without_validators_reports_unchanged_bytes(
    un_mirror: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = fetch_source(UN_SPEC, cache_dir=cache, mirror=str(un_mirror), **FAST)
    assert first.urls == [un_mirror.resolve().as_uri() + "/consolidated.xml"]
    assert _sha256(first.path) == UN_SHA256
    assert first.last_modified == UN_MTIME

    again = fetch_source(UN_SPEC, cache_dir=cache, mirror=str(un_mirror), **FAST)
    assert [file.status for file in again.files] == ["downloaded"]  # file:// has no 304
    assert again.changed is False


def test_ofac_set_fetch_fills_a_readable_directory(
    serve: ServerFactory, ofac_mirror: Path, tmp_path: Path, shared_lists: Path
) -> None:
    server = serve(ofac_mirror)
    cache = tmp_path / "cache"
    result = fetch_source(OFAC_SPEC, cache_dir=cache, mirror=server.url, **FAST)
    assert result.path == cache / "ofac"
    assert result.path.is_dir()
    for name, relative in OFAC_MIRROR_FILES.items():
        assert _sha256(result.path / name) == _sha256(shared_lists / relative), name
        assert (result.path / (name + META_SUFFIX)).is_file()
    expected_bytes = sum((shared_lists / rel).stat().st_size for rel in OFAC_MIRROR_FILES.values())
    assert result.bytes == expected_bytes
    assert result.urls == [f"{server.url}/{name}" for name in OFAC_MIRROR_FILES]
    # The newest Last-Modified of the eight: cons_comments.csv, set to 15:00.
    assert result.last_modified == OFAC_BASE_MTIME.replace(hour=15)
    # The metadata files beside the CSV set do not disturb detection of the directory.
    assert lists.open_list(result.path).format.source is Source.OFAC


def test_ofac_set_with_one_failing_file_replaces_nothing(
    serve: ServerFactory, ofac_mirror: Path, tmp_path: Path, shared_lists: Path
) -> None:
    cache = tmp_path / "cache"
    good = serve(ofac_mirror)
    fetch_source(OFAC_SPEC, cache_dir=cache, mirror=good.url, **FAST)
    before = _snapshot(cache / "ofac")

    # The next version has a newer sdn.csv, but cons_alt.csv keeps failing.
    shutil.copyfile(shared_lists / "ofac" / "sdn.csv", ofac_mirror / "sdn.csv")
    broken = serve(ofac_mirror, {"/cons_alt.csv": status(503)})
    with pytest.raises(FetchError) as caught:
        fetch_source(OFAC_SPEC, cache_dir=cache, mirror=broken.url, retries=2, **FAST)

    assert caught.value.url == broken.url + "/cons_alt.csv"
    assert "HTTP 503" in str(caught.value)
    assert broken.hits("/sdn.csv") == 1  # the new sdn.csv did arrive, and was not kept
    assert broken.hits("/cons_alt.csv") == 2
    assert _snapshot(cache / "ofac") == before
    assert _leftover_staging(cache) == []


# --- failures: each one a FetchError, each leaving the cache as it was ------------------------


def _cached_un(serve: ServerFactory, un_mirror: Path, cache: Path) -> dict[str, bytes]:
    """Fill the cache with a good UN copy and return a snapshot of it."""
    fetch_source(UN_SPEC, cache_dir=cache, mirror=serve(un_mirror).url, **FAST)
    return _snapshot(cache / "un")


def test_truncated_body_is_an_error_and_keeps_the_cache(
    serve: ServerFactory, un_mirror: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    before = _cached_un(serve, un_mirror, cache)
    data = (un_mirror / "consolidated.xml").read_bytes()[:50_000]
    server = serve(routes={"/consolidated.xml": body(data, length=UN_BYTES)})

    with pytest.raises(FetchError, match=rf"truncated \(got 50000 of {UN_BYTES} bytes\)") as caught:
        fetch_source(UN_SPEC, cache_dir=cache, mirror=server.url, retries=2, **FAST)

    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith(f"un: cannot download {server.url}/consolidated.xml: ")
    assert str(caught.value).endswith("(after 2 attempts)")
    assert server.hits("/consolidated.xml") == 2
    assert _snapshot(cache / "un") == before
    assert _leftover_staging(cache) == []


def test_server_stalling_before_answering_times_out(serve: ServerFactory, tmp_path: Path) -> None:
    server = serve(routes={"/consolidated.xml": stall_before_headers})
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out: no answer within 1 s \(after 2 attempts\)"):
        fetch_source(
            UN_SPEC, cache_dir=tmp_path, mirror=server.url, timeout=1, retries=2, backoff=0.01
        )
    elapsed = time.monotonic() - started
    assert 1.9 < elapsed < 5.0
    assert server.hits("/consolidated.xml") == 2
    assert not (tmp_path / "un" / "consolidated.xml").exists()


def test_server_stalling_mid_body_times_out(serve: ServerFactory, tmp_path: Path) -> None:
    server = serve(routes={"/consolidated.xml": stall_mid_body(b"<x/>" * 10_000)})
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out: no data for 1 s after 20000 bytes"):
        fetch_source(UN_SPEC, cache_dir=tmp_path, mirror=server.url, timeout=1, retries=1)
    assert time.monotonic() - started < 3.0


def test_two_server_errors_then_success(
    serve: ServerFactory, un_mirror: Path, tmp_path: Path
) -> None:
    server = serve(
        un_mirror, {"/consolidated.xml": in_turn(status(500), status(502), serve_from_root)}
    )
    result = fetch_source(UN_SPEC, cache_dir=tmp_path, mirror=server.url, retries=3, **FAST)
    assert server.hits("/consolidated.xml") == 3
    assert _sha256(result.path) == UN_SHA256


def test_persistent_server_error_gives_up_after_the_attempts(
    serve: ServerFactory, tmp_path: Path
) -> None:
    server = serve(routes={"/consolidated.xml": status(500)})
    with pytest.raises(FetchError, match=r"HTTP 500 Internal Server Error \(after 4 attempts\)"):
        fetch_source(UN_SPEC, cache_dir=tmp_path, mirror=server.url, retries=4, **FAST)
    assert server.hits("/consolidated.xml") == 4


def test_not_found_is_not_retried(serve: ServerFactory, tmp_path: Path) -> None:
    server = serve(tmp_path / "empty-root")
    with pytest.raises(FetchError, match=r"HTTP 404 Not Found$") as caught:
        fetch_source(UN_SPEC, cache_dir=tmp_path, mirror=server.url, retries=3, **FAST)
    assert caught.value.source is Source.UN
    assert server.hits("/consolidated.xml") == 1


def test_announced_size_above_the_cap_is_refused_before_reading(
    serve: ServerFactory, un_mirror: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    before = _cached_un(serve, un_mirror, cache)
    server = serve(routes={"/consolidated.xml": body(b"x" * 5000)})
    with pytest.raises(FetchError, match="too large: the server announces 5000 bytes, the limit"):
        fetch_source(UN_SPEC, cache_dir=cache, mirror=server.url, max_bytes=4096, **FAST)
    assert server.hits("/consolidated.xml") == 1
    assert _snapshot(cache / "un") == before


def test_unannounced_body_above_the_cap_is_aborted(serve: ServerFactory, tmp_path: Path) -> None:
    server = serve(routes={"/consolidated.xml": body(b"x" * 300_000, announce=False)})
    received: list[int] = []
    with pytest.raises(FetchError, match="too large: more than 100000 bytes arrived"):
        fetch_source(
            UN_SPEC,
            cache_dir=tmp_path,
            mirror=server.url,
            max_bytes=100_000,
            on_progress=lambda _name, got, _total: received.append(got),
            **FAST,
        )
    assert max(received) <= 100_000  # nothing past the cap was accepted
    assert server.hits("/consolidated.xml") == 1


def test_html_error_page_is_not_cached(
    serve: ServerFactory, un_mirror: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    before = _cached_un(serve, un_mirror, cache)
    page = b"\n<!DOCTYPE html>\n<html><body>Service temporarily unavailable</body></html>"
    server = serve(routes={"/consolidated.xml": body(page)})
    with pytest.raises(FetchError, match="the server sent an HTML page instead of the list"):
        fetch_source(UN_SPEC, cache_dir=cache, mirror=server.url, **FAST)
    assert _snapshot(cache / "un") == before


def test_connection_refused_is_retried_then_reported(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match=r"connection refused \(after 2 attempts\)"):
        fetch_source(
            UN_SPEC, cache_dir=tmp_path, mirror=f"http://127.0.0.1:{port}", retries=2, **FAST
        )
