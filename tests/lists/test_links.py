"""Lists whose file names carry a date: `fetch_feed` following the authority's index page.

MOF and METI give every revision a new file name (``shisantouketsu20260305.xlsx``,
``20250929_4.xlsx``) and link it from a fixed page. Each test serves such a page from a local
server on 127.0.0.1 (with the real MOF workbook behind its links where a file is downloaded)
and checks that the newest link is followed, or that anything ambiguous is refused.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import lists
from lists.fetch import INDEX_MAX_BYTES, META_SUFFIX, FetchError, fetch_feed
from lists.model import Source
from lists.sources import FEEDS, FeedSpec
from tests.http_mirror import (
    FAST,
    JP_MIRROR_FILES,
    ServerFactory,
    body,
    in_turn,
    leftover_staging,
    page,
    redirect,
    sha256_of,
    snapshot,
    status,
)

MOF_XLSX = "jp/mof/shisantouketsu20260305.xlsx"
INDEX_PATH = "/policy/economic_sanctions/list.html"


def _index_feed(server_url: str, index_path: str = INDEX_PATH) -> FeedSpec:
    """MOF's feed, with its index page on the local server instead of www.mof.go.jp."""
    return replace(FEEDS["jp_mof"], index_page=server_url + index_path)


def _links_page(*hrefs: str, encoding: str = "utf-8") -> bytes:
    # A Japanese page with some text around the links, as MOF's is.
    items = "".join(
        f'<li><a class="x" href="{href}">資産凍結等対象者リスト</a></li>' for href in hrefs
    )
    html = (
        f'<!DOCTYPE html>\n<html lang="ja"><head><meta charset="{encoding}"><title>経済制裁措置'
        f"</title></head><body><ul>{items}</ul><p>最終更新日</p></body></html>"
    )
    return html.encode(encoding)


@pytest.fixture
def mof_root(tmp_path: Path, shared_lists: Path) -> Path:
    """A server root holding the real MOF workbook under its dated official name."""
    root = tmp_path / "root"
    (root / "policy" / "economic_sanctions").mkdir(parents=True)
    (root / "files").mkdir()
    shutil.copyfile(
        shared_lists / MOF_XLSX, root / "policy/economic_sanctions/shisantouketsu20260305.xlsx"
    )
    return root


def test_index_page_leads_to_the_newest_dated_file(
    serve: ServerFactory, mof_root: Path, tmp_path: Path, shared_lists: Path
) -> None:
    server = serve(mof_root)
    newest = f"{server.url}/policy/economic_sanctions/shisantouketsu20260305.xlsx"
    index = _links_page(
        "./shisantouketsu20250110.xlsx",  # relative, older
        newest,  # absolute, the newest workbook
        "shisantouketsu20260415.csv",  # newer, but MOF's CSV twin: not the workbook
        "/files/shisantouketsu20251201.xlsx",  # root-relative, older
        "../economic_sanctions/shisantouketsu20240102.xlsx#top",
        "ftp://files.example/shisantouketsu20990101.xlsx",  # not http(s): never followed
        encoding="shift_jis",
    )
    server.routes[INDEX_PATH] = page(index, "text/html; charset=Shift_JIS")
    cache = tmp_path / "cache"

    result = fetch_feed(_index_feed(server.url), cache_dir=cache, **FAST)

    assert result.feed == "jp_mof"
    assert result.urls == [newest]
    assert result.path == cache / "jp_mof" / "shisantouketsu.xlsx"  # the fixed cache name
    assert sha256_of(result.path) == sha256_of(shared_lists / MOF_XLSX)
    assert result.bytes == (shared_lists / MOF_XLSX).stat().st_size
    assert lists.open_list(result.path).format.name == "jp-mof-xlsx"
    requested = [path for path, _ in server.requests]
    assert requested == [INDEX_PATH, "/policy/economic_sanctions/shisantouketsu20260305.xlsx"]
    meta = json.loads((cache / "jp_mof" / ("shisantouketsu.xlsx" + META_SUFFIX)).read_text())
    assert meta["url"] == newest

    # Next run: the page is read afresh, the same file is asked for conditionally.
    again = fetch_feed(_index_feed(server.url), cache_dir=cache, **FAST)
    assert again.changed is False and again.bytes == 0
    assert [file.status for file in again.files] == ["not_modified"]
    page_requests = server.headers_of(INDEX_PATH)
    assert len(page_requests) == 2 and "If-None-Match" not in page_requests[1]
    assert server.headers_of(newest[len(server.url) :])[1]["If-None-Match"] == meta["etag"]

    # A new revision: a new dated name, relative this time. It is downloaded in full (the
    # validators belong to the old URL) into the same cache name.
    revised = mof_root / "policy/economic_sanctions/shisantouketsu20260402.xlsx"
    revised.write_bytes((shared_lists / MOF_XLSX).read_bytes() + b"\0")
    server.routes[INDEX_PATH] = page(
        _links_page(newest, "shisantouketsu20260402.xlsx"), "text/html"
    )
    third = fetch_feed(_index_feed(server.url), cache_dir=cache, **FAST)
    assert third.urls == [f"{server.url}/policy/economic_sanctions/shisantouketsu20260402.xlsx"]
    assert third.changed is True
    assert "If-None-Match" not in server.headers_of(third.urls[0][len(server.url) :])[0]
    assert third.path.read_bytes() == revised.read_bytes()


def test_relative_links_resolve_against_the_page_after_a_redirect(
    serve: ServerFactory, mof_root: Path, tmp_path: Path
) -> None:
    server = serve(
        mof_root,
        {
            "/old/list.html": redirect(INDEX_PATH),
            INDEX_PATH: page(_links_page("shisantouketsu20260305.xlsx")),
        },
    )
    result = fetch_feed(_index_feed(server.url, "/old/list.html"), cache_dir=tmp_path, **FAST)
    assert result.urls == [f"{server.url}/policy/economic_sanctions/shisantouketsu20260305.xlsx"]


def _index_error(serve: ServerFactory, answer: object, cache: Path) -> FetchError:
    server = serve(routes={INDEX_PATH: answer})
    with pytest.raises(FetchError) as caught:
        fetch_feed(_index_feed(server.url), cache_dir=cache, **FAST)
    assert caught.value.url == server.url + INDEX_PATH
    assert caught.value.feed == "jp_mof" and caught.value.source is Source.JP
    assert str(caught.value).startswith(f"jp_mof: cannot download {server.url}{INDEX_PATH}: ")
    assert server.hits(INDEX_PATH) == 1  # none of these is worth a retry
    assert [path for path, _ in server.requests] == [INDEX_PATH]  # no file was asked for
    return caught.value


def test_page_without_a_matching_link_is_an_error_and_keeps_the_cache(
    serve: ServerFactory, mof_root: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    good = serve(mof_root, {INDEX_PATH: page(_links_page("shisantouketsu20260305.xlsx"))})
    fetch_feed(_index_feed(good.url), cache_dir=cache, **FAST)
    before = snapshot(cache / "jp_mof")

    redesigned = _links_page("list2026.xlsx", "shisantouketsu20260305.csv", "shisantouketsu.xlsx")
    error = _index_error(serve, page(redesigned), cache)

    assert "no link on the page matches" in error.message
    assert "(has the page changed?)" in error.message
    assert snapshot(cache / "jp_mof") == before
    assert leftover_staging(cache) == []


def test_index_that_is_not_html_is_refused(serve: ServerFactory, tmp_path: Path) -> None:
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\n"
    error = _index_error(serve, page(pdf, "application/pdf"), tmp_path)
    assert error.message == "index page: the page is not HTML (application/pdf): not following it"
    # Binary content is refused even when the server calls it HTML.
    workbook = (
        b"PK\x03\x04\x14\x00\x06\x00" + b"\0" * 64 + b'<a href="shisantouketsu20260305.xlsx">'
    )
    error = _index_error(serve, page(workbook, "text/html"), tmp_path)
    assert "the page is not HTML (text/html)" in error.message
    # Undeclared HTML is recognised by its start; undeclared anything else is not.
    error = _index_error(serve, body(b"shisantouketsu20260305.xlsx\n"), tmp_path)
    assert "the page is not HTML (no Content-Type)" in error.message


def test_undated_or_tied_links_are_refused_rather_than_guessed(
    serve: ServerFactory, tmp_path: Path
) -> None:
    tied = _links_page("shisantouketsu20260305.xlsx", "/x/shisantouketsu20260305.xlsx")
    error = _index_error(serve, page(tied), tmp_path)
    assert "2 links carry the newest date 2026-03-05" in error.message
    assert "cannot tell which one is the list" in error.message
    undated = _links_page("shisantouketsu20260305.xlsx", "shisantouketsu20261399.xlsx")
    error = _index_error(serve, page(undated), tmp_path)
    assert "but '20261399' is not a date (YYYYMMDD)" in error.message
    # The same file linked twice (a menu and the body) is one file, not a tie.
    server = serve(routes={INDEX_PATH: page(_links_page("a/shisantouketsu20260305.xlsx") * 2)})
    with pytest.raises(FetchError, match="HTTP 404"):  # chosen, then not found: no tie error
        fetch_feed(_index_feed(server.url), cache_dir=tmp_path, **FAST)


def test_index_page_is_capped_and_retried_like_a_file(serve: ServerFactory, tmp_path: Path) -> None:
    huge = b"<!DOCTYPE html><html>" + b" " * INDEX_MAX_BYTES
    error = _index_error(serve, page(huge), tmp_path)
    assert f"the limit is {INDEX_MAX_BYTES} bytes" in error.message
    assert INDEX_MAX_BYTES == 2 * 1024 * 1024
    flaky = serve(routes={INDEX_PATH: in_turn(status(503), page(_links_page()))})
    with pytest.raises(FetchError, match="no link on the page matches"):
        fetch_feed(_index_feed(flaky.url), cache_dir=tmp_path, retries=2, **FAST)
    assert flaky.hits(INDEX_PATH) == 2


def test_a_mirror_serves_dated_lists_under_their_cache_names(
    serve: ServerFactory, jp_mirror: Path, tmp_path: Path, shared_lists: Path
) -> None:
    server = serve(jp_mirror)
    for feed in ("jp_mof", "jp_meti"):
        # The real specs: their index pages are on the Internet, and must not be read.
        result = fetch_feed(FEEDS[feed], cache_dir=tmp_path, mirror=server.url, **FAST)
        (name,) = [file.name for file in FEEDS[feed].files]
        assert result.urls == [f"{server.url}/{name}"]
        assert sha256_of(result.path) == sha256_of(shared_lists / JP_MIRROR_FILES[name])
    assert [path for path, _ in server.requests] == [
        "/shisantouketsu.xlsx",
        "/end_user_list.xlsx",
    ]
