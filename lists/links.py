"""The newest dated file linked from an authority's index page (used by `lists.fetch`).

Some authorities give every revision of a list a new file name carrying its date (MOF's
``shisantouketsu20260305.xlsx``, METI's ``20250929_4.xlsx``) and link it from a fixed page. The
page's links are read with the standard library's `html.parser` (lenient: it never fails on
broken markup), resolved against the page's URL with `urllib.parse.urljoin`, and matched against
the feed's pattern; the newest date wins. Anything that would force a guess is an error: no
matching link (the page was redesigned?), a matching name whose digits are not a date, two
different files with the newest date.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

_SNIFF_BYTES = 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_LINK_TAGS = ("a", "area")


class LinkError(Exception):
    """The index page does not name one newest file; the message says why."""


@dataclass(frozen=True)
class DatedLink:
    url: str
    date: dt.date


@dataclass(frozen=True)
class IndexPage:
    """A downloaded index page: its final URL (after redirects), body and declared type."""

    url: str
    data: bytes
    content_type: str | None
    charset: str | None


def is_html(data: bytes, content_type: str | None) -> bool:
    """Whether a downloaded page is HTML: declared so, or starting like it, and not binary."""
    head = data[:_SNIFF_BYTES]
    if b"\0" in head:  # a PDF, a workbook, an image: whatever the server claims
        return False
    media = (content_type or "").split(";")[0].strip().lower()
    if media in _HTML_TYPES:
        return True
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html"))


def decode_page(data: bytes, charset: str | None) -> str:
    """The page as text, in its declared charset, else UTF-8; undecodable bytes are replaced.

    Only link targets are read from the page, and those are ASCII (or percent-encoded) in every
    charset the authorities use, so a lenient decode loses nothing that matters.
    """
    encoding = "utf-8"
    # An unknown charset label keeps UTF-8, which still reads the ASCII link targets.
    with contextlib.suppress(LookupError):
        encoding = codecs.lookup(charset or encoding).name
    return data.decode(encoding, errors="replace")


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _LINK_TAGS:
            self.hrefs.extend(value.strip() for name, value in attrs if name == "href" and value)


def page_links(html: str) -> list[str]:
    """Every ``href`` of the page's ``<a>`` and ``<area>`` elements, in page order."""
    collector = _LinkCollector()
    collector.feed(html)
    collector.close()
    return collector.hrefs


def newest_link(page: IndexPage, pattern: str) -> DatedLink:
    """The newest link of the page whose path matches `pattern` (date in group ``date``).

    Links are resolved against the page's final URL (after redirects); only http and https
    links count. Raises `LinkError` when the page is not HTML (a PDF, a workbook: following it
    would be nonsense), when no link matches, when a matching name's date is not a calendar
    date, or when several different files share the newest date.
    """
    if not is_html(page.data, page.content_type):
        declared = page.content_type or "no Content-Type"
        raise LinkError(f"the page is not HTML ({declared}): not following it")
    compiled = re.compile(pattern)
    found: dict[str, dt.date] = {}
    for href in page_links(decode_page(page.data, page.charset)):
        url = urljoin(page.url, href)
        parts = urlsplit(url)
        match = compiled.search(parts.path) if parts.scheme in ("http", "https") else None
        if match is None:
            continue
        url = parts._replace(fragment="").geturl()
        found[url] = _date_of(url, match.group("date") or "")
    if not found:
        raise LinkError(f"no link on the page matches {pattern!r} (has the page changed?)")
    newest = max(found.values())
    tied = sorted(url for url, date in found.items() if date == newest)
    if len(tied) > 1:
        raise LinkError(
            f"{len(tied)} links carry the newest date {newest.isoformat()} "
            f"({', '.join(tied)}): cannot tell which one is the list"
        )
    return DatedLink(tied[0], newest)


def _date_of(url: str, digits: str) -> dt.date:
    try:
        if not re.fullmatch(r"\d{8}", digits):
            raise ValueError(digits)
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise LinkError(
            f"the link {url} matches, but {digits!r} is not a date (YYYYMMDD): "
            "cannot tell how new it is"
        ) from None
