"""Official files into the store: a local file (`load_path`) or a fresh download (`update_feeds`).

Both open the file with `lists.open_list` (format detected from content) and store it with
`ListStore.load`, so a file that cannot be read in full is never stored. `update_feeds` first
downloads each feed (`lists.sources.FEEDS`) with `lists.fetch.fetch_feed`; a failed download or
an unreadable file leaves the active versions of that feed's datasets as they were, and the
next feed is still tried. The caller passes the mirror (the command line reads it from
`screening.settings`): nothing here reads the environment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lists.detect import open_list
from lists.errors import ListReadError
from lists.fetch import (
    DEFAULT_MAX_BYTES,
    FetchError,
    FetchResult,
    ProgressCallback,
    fetch_feed,
)
from lists.sources import FeedSpec
from screening.store.store import ListStore, LoadResult


def load_path(
    store: ListStore,
    path: Path,
    *,
    published: dt.date | None = None,
    on_start: Callable[[str], None] | None = None,
    on_entity: Callable[[int], None] | None = None,
    allow_shrink: bool = False,
) -> LoadResult:
    """Store the list file (or OFAC CSV directory) at `path` as a new version.

    `published` stands in for files that state no publication date (OFAC legacy CSV).
    `on_start` receives the detected format's name before reading starts. Raises
    `ListReadError` when the file cannot be read; then nothing is stored.
    """
    listed = open_list(path)
    if on_start is not None:
        on_start(listed.format.name)
    return store.load(
        listed,
        published_on=published,
        published_from="given" if published else None,
        on_entity=on_entity,
        allow_shrink=allow_shrink,
    )


@dataclass(frozen=True)
class UpdateOptions:
    """How to download: where the cache is, which mirror (None: official URLs), patience."""

    cache_dir: Path
    mirror: str | None = None
    timeout: float = 60.0
    retries: int = 3
    max_bytes: int = DEFAULT_MAX_BYTES
    allow_shrink: bool = False  # see `ListStore.load`


@dataclass(frozen=True)
class FeedUpdate:
    """What `update_feeds` did for one feed.

    Exactly one of `result` and `error` is set. `downloaded` is False when the server said (or
    the bytes showed) that nothing changed since the previous download.
    """

    feed: FeedSpec
    path: Path | None = None
    downloaded: bool = False
    result: LoadResult | None = None
    error: str | None = None

    @property
    def not_modified(self) -> bool:
        """Neither the download nor the store changed: nothing new was published."""
        if self.result is None or self.downloaded:
            return False
        return all(each.status == "unchanged" for each in self.result.datasets)


def update_feeds(
    store: ListStore,
    feeds: Iterable[FeedSpec],
    options: UpdateOptions,
    on_progress: ProgressCallback | None = None,
) -> Iterator[FeedUpdate]:
    """Download each feed and load its new publication, yielding one outcome per feed.

    A generator, so that a caller can report each feed as soon as it is done. A download that
    turns out to be another source's list (a mirror serving the wrong file under a name) is
    refused before anything is stored.
    """
    for feed in feeds:
        try:
            fetched = fetch_feed(
                feed,
                cache_dir=options.cache_dir,
                mirror=options.mirror,
                timeout=options.timeout,
                retries=options.retries,
                max_bytes=options.max_bytes,
                on_progress=on_progress,
            )
        except FetchError as exc:
            yield FeedUpdate(feed, error=str(exc))  # the message names the feed
            continue
        try:
            result = _load_download(store, feed, fetched, options.allow_shrink)
        except ListReadError as exc:
            yield FeedUpdate(feed, fetched.path, fetched.changed, error=f"{feed.name}: {exc}")
            continue
        yield FeedUpdate(feed, fetched.path, fetched.changed, result=result)


def _load_download(
    store: ListStore, feed: FeedSpec, fetched: FetchResult, allow_shrink: bool = False
) -> LoadResult:
    """Store a fetched feed; `ListReadError` when it is unreadable or another source's list."""
    listed = open_list(fetched.path)
    if listed.source is not feed.source:
        message = f"the download is a {listed.format.name} list, not {feed.title}"
        raise ListReadError(fetched.path, message)
    # OFAC's CSV files state no date: the download's newest Last-Modified stands in.
    published = fetched.last_modified.date() if fetched.last_modified else None
    return store.load(
        listed,
        published_on=published,
        published_from="http" if published else None,
        origin=", ".join(fetched.urls),
        allow_shrink=allow_shrink,
    )
