"""Downloading list files: the feed table, and real HTTP servers on 127.0.0.1 serving the real
shared list files. (Index pages for dated file names: test_links.py.)

Each download test starts its own server (ephemeral port, torn down at the end) whose
misbehaviour is scripted per path: truncation, stalls, 5xx, 404, oversized and HTML answers.
No test touches the network beyond 127.0.0.1.
"""

from __future__ import annotations

import email.utils
import json
import re
import shutil
import socket
from datetime import datetime
from pathlib import Path

import pytest

import lists
from lists.datasets import DATASETS, datasets_of
from lists.fetch import (
    META_SUFFIX,
    FetchError,
    FetchResult,
    default_cache_dir,
    fetch_feed,
    resolve_mirror,
)
from lists.model import Source
from lists.sources import (
    FEEDS,
    NOT_DOWNLOADED,
    FeedSpec,
    SourceFile,
    UnknownFeedError,
    mirror_url,
    select_feeds,
    source_spec,
)
from tests.http_mirror import (
    FAST,
    OFAC_BASE_MTIME,
    OFAC_MIRROR_FILES,
    UN_MTIME,
    ServerFactory,
    body,
    in_turn,
    leftover_staging,
    serve_from_root,
    sha256_of,
    snapshot,
    stall_before_headers,
    stall_mid_body,
    status,
)

UN_SPEC = FEEDS["un"]
OFAC_SPEC = FEEDS["ofac"]

UN_SHA256 = "1f1b3bfe29a53e7ac7c42ee4e58d6a7d1ebdf7c5e91fd990d3e63aefe0313dea"  # PROVENANCE.md
UN_BYTES = 2190459


# --- the feed table ---------------------------------------------------------------------------


def test_source_table_holds_the_official_urls() -> None:
    assert list(FEEDS) == ["ofac", "uk", "eu", "un", "ca", "au", "jp_mof", "jp_meti", "us_csl"]
    assert all(name == spec.name for name, spec in FEEDS.items())
    assert [file.name for file in OFAC_SPEC.files] == list(OFAC_MIRROR_FILES)
    assert OFAC_SPEC.directory is True
    exports = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
    assert OFAC_SPEC.files[0] == SourceFile("sdn.csv", exports + "SDN.CSV")
    assert OFAC_SPEC.files[4] == SourceFile("cons_prim.csv", exports + "CONS_PRIM.CSV")
    assert all(file.url == exports + file.name.upper() for file in OFAC_SPEC.files)
    assert FEEDS["uk"].files == (
        SourceFile(
            "UK-Sanctions-List.xml", "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"
        ),
    )
    assert FEEDS["eu"].files == (
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
    for name in ("uk", "eu", "un", "ca", "au", "jp_mof", "jp_meti", "us_csl"):
        assert FEEDS[name].directory is False
        assert len(FEEDS[name].files) == 1
    assert {spec.source for spec in FEEDS.values()} == set(Source)
    # Japan's two lists have dated file names: each is found on its authority's index page.
    mof, meti = FEEDS["jp_mof"], FEEDS["jp_meti"]
    assert mof.index_page == (
        "https://www.mof.go.jp/policy/international_policy/gaitame_kawase/gaitame/"
        "economic_sanctions/list.html"
    )
    assert meti.index_page == "https://www.meti.go.jp/policy/anpo/law05.html"
    assert mof.files == (SourceFile("shisantouketsu.xlsx"),)
    assert meti.files == (SourceFile("end_user_list.xlsx"),)
    fixed = [spec for spec in FEEDS.values() if spec not in (mof, meti)]
    assert all(not spec.index_page and all(f.url for f in spec.files) for spec in fixed)
    assert source_spec("un") is UN_SPEC
    assert source_spec(Source.AU) is FEEDS["au"]
    with pytest.raises(ValueError, match="unknown source 'xx'"):
        source_spec("xx")
    with pytest.raises(ValueError, match=r"jp has several feeds \(jp_mof, jp_meti\)"):
        source_spec("jp")


def test_every_dataset_is_yielded_by_exactly_one_feed() -> None:
    for dataset in DATASETS:
        feeds = [spec.name for spec in FEEDS.values() if dataset.id in spec.datasets]
        expected = 0 if dataset.id in NOT_DOWNLOADED else 1
        assert len(feeds) == expected, (dataset.id, feeds)
    assert set(NOT_DOWNLOADED) == {"uk_ofsi"}  # the OFSI list closed in January 2026
    for spec in FEEDS.values():
        assert {d.source for d in DATASETS if d.id in spec.datasets} == {spec.source}, spec.name
    assert FEEDS["ofac"].datasets == ("ofac_sdn", "ofac_consolidated")
    assert FEEDS["uk"].datasets == ("uk_sanctions_list",)
    assert FEEDS["jp_mof"].datasets == ("jp_mof",)
    assert FEEDS["jp_meti"].datasets == ("jp_meti_eul",)
    # The CSL file holds every CSL sub-list (its `source` column names each one).
    assert set(FEEDS["us_csl"].datasets) == {d.id for d in datasets_of(Source.US_CSL)}
    assert len(FEEDS["us_csl"].datasets) == 13


def test_cache_names_are_unique_so_one_mirror_serves_every_feed() -> None:
    names = [file.name for spec in FEEDS.values() for file in spec.files]
    assert len(names) == len(set(names)) == 16
    assert "/" not in "".join(names)


def test_link_patterns_take_the_published_workbooks_only() -> None:
    mof = re.compile(FEEDS["jp_mof"].link_pattern)
    meti = re.compile(FEEDS["jp_meti"].link_pattern)
    mof_dir = "/policy/international_policy/gaitame_kawase/gaitame/economic_sanctions/"
    found = mof.search(mof_dir + "shisantouketsu20260305.xlsx")
    assert found is not None and found.group("date") == "20260305"
    assert mof.search(mof_dir + "shisantouketsu20260305.csv") is None  # MOF's CSV twin
    assert mof.search(mof_dir + "list.html") is None
    found = meti.search("/policy/anpo/20250929_4.xlsx")
    assert found is not None and found.group("date") == "20250929"
    assert meti.search("/policy/anpo/20250929_4.pdf") is None
    assert meti.search("/policy/anpo/law05.html") is None
    assert meti.search("/policy/anpo/x20250929_4.xlsx") is None


def test_a_malformed_feed_is_refused_when_the_table_is_built() -> None:
    one = (SourceFile("a.xlsx"),)
    with pytest.raises(ValueError, match="group named 'date'"):
        FeedSpec("x", Source.JP, "x", (), one, index_page="https://x/", link_pattern=r"\d+")
    with pytest.raises(ValueError, match="go together"):
        FeedSpec("x", Source.JP, "x", (), one, index_page="https://x/")
    with pytest.raises(ValueError, match="needs a URL or an index page"):
        FeedSpec("x", Source.JP, "x", (), one)
    with pytest.raises(ValueError, match="names exactly one file"):
        FeedSpec(
            "x",
            Source.JP,
            "x",
            (),
            (SourceFile("a.xlsx", "https://x/a.xlsx"),),
            index_page="https://x/",
            link_pattern=r"(?P<date>\d{8})",
        )


def test_names_select_feeds_sources_and_datasets() -> None:
    def names(*given: str) -> list[str]:
        return [spec.name for spec in select_feeds(given)]

    assert names() == list(FEEDS)
    assert names("jp") == ["jp_mof", "jp_meti"]
    assert names("jp_meti") == ["jp_meti"]
    assert names("jp_meti_eul") == ["jp_meti"]
    assert names("us_csl_el", "us_csl_dtc") == ["us_csl"]
    assert names("ofac_consolidated") == ["ofac"]
    assert names("uk_sanctions_list") == ["uk"]
    # Table order, each feed once, whatever order and repetition the names come in.
    assert names("us_csl", "un", "ofac_sdn", "ofac") == ["ofac", "un", "us_csl"]
    with pytest.raises(UnknownFeedError) as caught:
        select_feeds(["un", "xx"])
    message = str(caught.value)
    assert message.startswith("unknown list 'xx': give a feed (ofac, uk, eu, un, ca, au, jp_mof")
    assert "a source (ofac, uk, eu, un, ca, au, jp, us_csl)" in message
    assert "us_csl_el" in message and "uk_ofsi" not in message
    with pytest.raises(UnknownFeedError, match="dataset uk_ofsi is not downloaded: the OFSI"):
        select_feeds(["uk_ofsi"])


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
        fetch_feed(UN_SPEC, cache_dir=tmp_path, mirror="http://127.0.0.1:9", retries=0)


# --- complete downloads -----------------------------------------------------------------------


def test_un_fetch_through_mirror_is_byte_identical_and_readable(
    serve: ServerFactory, un_mirror: Path, tmp_path: Path
) -> None:
    server = serve(un_mirror)
    cache = tmp_path / "cache"
    progress: list[tuple[str, int, int | None]] = []
    result = fetch_feed(
        UN_SPEC,
        cache_dir=cache,
        mirror=server.url + "/",
        on_progress=lambda name, got, total: progress.append((name, got, total)),
        **FAST,
    )
    assert isinstance(result, FetchResult)
    assert result.source is Source.UN
    assert result.path == cache / "un" / "consolidated.xml"
    assert sha256_of(result.path) == UN_SHA256
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
    assert leftover_staging(cache) == []
    assert lists.open_list(result.path).format.source is Source.UN


def test_second_fetch_is_conditional_and_reuses_the_cache(
    serve: ServerFactory, un_mirror: Path, tmp_path: Path
) -> None:
    server = serve(un_mirror)
    cache = tmp_path / "cache"
    first = fetch_feed(UN_SPEC, cache_dir=cache, mirror=server.url, **FAST)
    meta_path = cache / "un" / ("consolidated.xml" + META_SUFFIX)
    stored = json.loads(meta_path.read_text())

    second = fetch_feed(UN_SPEC, cache_dir=cache, mirror=server.url, **FAST)

    assert second.changed is False
    assert second.bytes == 0
    assert second.path == first.path
    assert second.last_modified == UN_MTIME
    assert [file.status for file in second.files] == ["not_modified"]
    assert sha256_of(second.path) == UN_SHA256
    conditional = server.headers_of("/consolidated.xml")[1]
    assert conditional["If-None-Match"] == stored["etag"]
    assert conditional["If-Modified-Since"] == stored["last_modified"]
    assert json.loads(meta_path.read_text())["fetched_at"] == stored["fetched_at"]

    # A new version on the server replaces the cached copy.
    next_version = b"\n<!-- next version -->\n"
    with (un_mirror / "consolidated.xml").open("ab") as handle:
        handle.write(next_version)
    third = fetch_feed(UN_SPEC, cache_dir=cache, mirror=server.url, **FAST)
    assert third.changed is True
    assert third.bytes == UN_BYTES + len(next_version)
    assert third.path.read_bytes() == (un_mirror / "consolidated.xml").read_bytes()


def test_damaged_cache_is_downloaded_unconditionally(
    serve: ServerFactory, un_mirror: Path, tmp_path: Path
) -> None:
    server = serve(un_mirror)
    cache = tmp_path / "cache"
    result = fetch_feed(UN_SPEC, cache_dir=cache, mirror=server.url, **FAST)
    result.path.write_bytes(b"<CONSOLIDATED_LIST/>")  # no longer the recorded sha256

    repaired = fetch_feed(UN_SPEC, cache_dir=cache, mirror=server.url, **FAST)

    assert "If-None-Match" not in server.headers_of("/consolidated.xml")[1]
    assert repaired.changed is True
    assert sha256_of(repaired.path) == UN_SHA256


def test_directory_mirror_without_validators_reports_unchanged_bytes(
    un_mirror: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = fetch_feed(UN_SPEC, cache_dir=cache, mirror=str(un_mirror), **FAST)
    assert first.urls == [un_mirror.resolve().as_uri() + "/consolidated.xml"]
    assert sha256_of(first.path) == UN_SHA256
    assert first.last_modified == UN_MTIME

    again = fetch_feed(UN_SPEC, cache_dir=cache, mirror=str(un_mirror), **FAST)
    assert [file.status for file in again.files] == ["downloaded"]  # file:// has no 304
    assert again.changed is False


def test_ofac_set_fetch_fills_a_readable_directory(
    serve: ServerFactory, ofac_mirror: Path, tmp_path: Path, shared_lists: Path
) -> None:
    server = serve(ofac_mirror)
    cache = tmp_path / "cache"
    result = fetch_feed(OFAC_SPEC, cache_dir=cache, mirror=server.url, **FAST)
    assert result.path == cache / "ofac"
    assert result.path.is_dir()
    for name, relative in OFAC_MIRROR_FILES.items():
        assert sha256_of(result.path / name) == sha256_of(shared_lists / relative), name
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
    fetch_feed(OFAC_SPEC, cache_dir=cache, mirror=good.url, **FAST)
    before = snapshot(cache / "ofac")

    # The next version has a newer sdn.csv, but cons_alt.csv keeps failing.
    shutil.copyfile(shared_lists / "ofac" / "sdn.csv", ofac_mirror / "sdn.csv")
    broken = serve(ofac_mirror, {"/cons_alt.csv": status(503)})
    with pytest.raises(FetchError) as caught:
        fetch_feed(OFAC_SPEC, cache_dir=cache, mirror=broken.url, retries=2, **FAST)

    assert caught.value.url == broken.url + "/cons_alt.csv"
    assert "HTTP 503" in str(caught.value)
    assert broken.hits("/sdn.csv") == 1  # the new sdn.csv did arrive, and was not kept
    assert broken.hits("/cons_alt.csv") == 2
    assert snapshot(cache / "ofac") == before
    assert leftover_staging(cache) == []


# --- failures: each one a FetchError, each leaving the cache as it was ------------------------


def _cached_un(serve: ServerFactory, un_mirror: Path, cache: Path) -> dict[str, bytes]:
    """Fill the cache with a good UN copy and return a snapshot of it."""
    fetch_feed(UN_SPEC, cache_dir=cache, mirror=serve(un_mirror).url, **FAST)
    return snapshot(cache / "un")


def test_truncated_body_is_an_error_and_keeps_the_cache(
    serve: ServerFactory, un_mirror: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    before = _cached_un(serve, un_mirror, cache)
    data = (un_mirror / "consolidated.xml").read_bytes()[:50_000]
    server = serve(routes={"/consolidated.xml": body(data, length=UN_BYTES)})

    with pytest.raises(FetchError, match=rf"truncated \(got 50000 of {UN_BYTES} bytes\)") as caught:
        fetch_feed(UN_SPEC, cache_dir=cache, mirror=server.url, retries=2, **FAST)

    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith(f"un: cannot download {server.url}/consolidated.xml: ")
    assert str(caught.value).endswith("(after 2 attempts)")
    assert server.hits("/consolidated.xml") == 2
    assert snapshot(cache / "un") == before
    assert leftover_staging(cache) == []


def test_server_stalling_before_answering_times_out(
    serve: ServerFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The back-off is counted, not timed: each sleep is recorded (and skipped). "timed out"
    # comes only from the socket timeout; had the client waited for the stall to end (10 s),
    # the error would be a closed connection instead.
    sleeps: list[float] = []
    monkeypatch.setattr("lists.fetch.time.sleep", sleeps.append)
    server = serve(routes={"/consolidated.xml": stall_before_headers})
    with pytest.raises(FetchError, match=r"timed out: no answer within 1 s \(after 2 attempts\)"):
        fetch_feed(
            UN_SPEC, cache_dir=tmp_path, mirror=server.url, timeout=1, retries=2, backoff=0.01
        )
    assert sleeps == [0.01]  # one back-off, between the two attempts
    assert server.hits("/consolidated.xml") == 2
    assert not (tmp_path / "un" / "consolidated.xml").exists()


def test_server_stalling_mid_body_times_out(
    serve: ServerFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr("lists.fetch.time.sleep", sleeps.append)
    server = serve(routes={"/consolidated.xml": stall_mid_body(b"<x/>" * 10_000)})
    # "timed out" comes only from the socket timeout: had the client waited for the stall to
    # end (10 s), the body would be reported truncated instead.
    with pytest.raises(FetchError, match=r"timed out: no data for 1 s after 20000 bytes$"):
        fetch_feed(UN_SPEC, cache_dir=tmp_path, mirror=server.url, timeout=1, retries=1)
    assert sleeps == []  # one attempt, no back-off
    assert server.hits("/consolidated.xml") == 1


def test_two_server_errors_then_success(
    serve: ServerFactory, un_mirror: Path, tmp_path: Path
) -> None:
    server = serve(
        un_mirror, {"/consolidated.xml": in_turn(status(500), status(502), serve_from_root)}
    )
    result = fetch_feed(UN_SPEC, cache_dir=tmp_path, mirror=server.url, retries=3, **FAST)
    assert server.hits("/consolidated.xml") == 3
    assert sha256_of(result.path) == UN_SHA256


def test_persistent_server_error_gives_up_after_the_attempts(
    serve: ServerFactory, tmp_path: Path
) -> None:
    server = serve(routes={"/consolidated.xml": status(500)})
    with pytest.raises(FetchError, match=r"HTTP 500 Internal Server Error \(after 4 attempts\)"):
        fetch_feed(UN_SPEC, cache_dir=tmp_path, mirror=server.url, retries=4, **FAST)
    assert server.hits("/consolidated.xml") == 4


def test_not_found_is_not_retried(serve: ServerFactory, tmp_path: Path) -> None:
    server = serve(tmp_path / "empty-root")
    with pytest.raises(FetchError, match=r"HTTP 404 Not Found$") as caught:
        fetch_feed(UN_SPEC, cache_dir=tmp_path, mirror=server.url, retries=3, **FAST)
    assert caught.value.source is Source.UN
    assert server.hits("/consolidated.xml") == 1


def test_announced_size_above_the_cap_is_refused_before_reading(
    serve: ServerFactory, un_mirror: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    before = _cached_un(serve, un_mirror, cache)
    server = serve(routes={"/consolidated.xml": body(b"x" * 5000)})
    with pytest.raises(FetchError, match="too large: the server announces 5000 bytes, the limit"):
        fetch_feed(UN_SPEC, cache_dir=cache, mirror=server.url, max_bytes=4096, **FAST)
    assert server.hits("/consolidated.xml") == 1
    assert snapshot(cache / "un") == before


def test_unannounced_body_above_the_cap_is_aborted(serve: ServerFactory, tmp_path: Path) -> None:
    server = serve(routes={"/consolidated.xml": body(b"x" * 300_000, announce=False)})
    received: list[int] = []
    with pytest.raises(FetchError, match="too large: more than 100000 bytes arrived"):
        fetch_feed(
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
        fetch_feed(UN_SPEC, cache_dir=cache, mirror=server.url, **FAST)
    assert snapshot(cache / "un") == before


def test_connection_refused_is_retried_then_reported(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match=r"connection refused \(after 2 attempts\)"):
        fetch_feed(
            UN_SPEC, cache_dir=tmp_path, mirror=f"http://127.0.0.1:{port}", retries=2, **FAST
        )
