"""``coalition lists``: read, inspect, load, update and compare official sanctions lists."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from lists.datasets import DATASETS
from lists.errors import ListReadError
from lists.fetch import default_cache_dir
from lists.inspect import inspect_list
from lists.model import Source
from lists.sources import FEEDS, FeedSpec, UnknownFeedError, select_feeds
from screening import settings
from screening.commands import render
from screening.commands.common import (
    ExitCode,
    db_option,
    error,
    exit_with,
    fail,
    json_option,
    open_store,
    warning,
)
from screening.commands.progress import download_progress, load_progress
from screening.store import LoadResult, diff_versions
from screening.store.diff import DiffError
from screening.store.store import MAX_SHRINK
from screening.store.update import UpdateOptions, load_path, update_feeds

_allow_shrink_option = click.option(
    "--allow-shrink",
    is_flag=True,
    help=f"Activate a file even if more than {MAX_SHRINK:.0%} of the active version's entries "
    "disappear from it (refused by default: usually a partial or damaged file).",
)

# A dataset id (ofac_sdn), or a source (un) whose one dataset, or all datasets, are meant.
SELECTOR_CHOICE = click.Choice([*(d.id for d in DATASETS), *(s.value for s in Source)])
DEFAULT_MAX_AGE_DAYS = 7


@click.group("lists")
def lists_group() -> None:
    """Read, inspect, load, update and compare official sanctions lists."""


@lists_group.command("inspect")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option("One JSON object per file, one per line.")
def lists_inspect(paths: tuple[Path, ...], as_json: bool) -> None:
    """Parse list files without storing them and count what they hold.

    PATH is a list file in any supported format (detected from its content) or a directory
    holding an OFAC legacy CSV set. Every file is read to the end; a file that cannot be read
    is reported with its line or record and the command exits 1 after the others are done.
    """
    code = ExitCode.OK
    for path in paths:
        try:
            result = inspect_list(path)
        except ListReadError as exc:
            code = ExitCode.INPUT_ERROR
            if as_json:
                click.echo(json.dumps({"file": str(path), "error": str(exc)}))
            else:
                error(f"{exc}")
            continue
        click.echo(result.model_dump_json() if as_json else render.inspection_text(result))
    exit_with(code)


def _report_load(path: Path, result: LoadResult) -> None:
    click.echo(render.load_text(path, result))
    for message in render.shrink_warnings(result):
        warning(message)


@lists_group.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--published",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Publication date for files that state none (OFAC legacy CSV); ignored otherwise.",
)
@_allow_shrink_option
@db_option
def lists_load(
    paths: tuple[Path, ...], published: dt.datetime | None, allow_shrink: bool, db_url: str | None
) -> None:
    """Load list files into the store, each as a new dated version in one transaction.

    Loading content that is already stored changes nothing and says so. The newest
    publication of each source becomes its active version; older versions stay queryable.
    A file that cannot be read in full is not stored at all (exit 1), nor is one that would
    make more than 10 % of the active version's entries disappear, unless --allow-shrink.
    """
    code = ExitCode.OK
    with open_store(db_url) as store:
        for path in paths:
            try:
                with load_progress(path) as progress:
                    result = load_path(
                        store,
                        path,
                        published=published.date() if published else None,
                        on_start=progress.start,
                        on_entity=progress.entities,
                        allow_shrink=allow_shrink,
                    )
            except ListReadError as exc:
                code = ExitCode.INPUT_ERROR
                error(f"{exc} (nothing stored)")
                continue
            _report_load(path, result)
    exit_with(code)


def _feeds_from_names(
    _context: click.Context, _parameter: click.Parameter, names: tuple[str, ...]
) -> tuple[FeedSpec, ...]:
    try:
        return select_feeds(names)
    except UnknownFeedError as exc:
        raise click.BadParameter(str(exc)) from None


_FEEDS_HELP = "Feeds (and their datasets): " + "; ".join(
    f"{feed.name} ({', '.join(feed.datasets)})" for feed in FEEDS.values()
)


@lists_group.command("update", epilog=_FEEDS_HELP)
@click.argument("feeds", nargs=-1, metavar="[FEED|SOURCE|DATASET]...", callback=_feeds_from_names)
@click.option(
    "--mirror",
    metavar="BASE_URL",
    help="Fetch the same file names from this internal mirror instead of the official URLs "
    "(default: $COALITION_MIRROR).",
)
@click.option(
    "--timeout",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds per network read.",
)
@click.option(
    "--retries",
    default=3,
    show_default=True,
    type=click.IntRange(min=1),
    help="Attempts per request.",
)
@click.option(
    "--max-size",
    "max_mb",
    default=300,
    show_default=True,
    type=click.IntRange(min=1),
    help="Size cap per file, in MB.",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where downloaded files are kept (default: the user cache directory).",
)
@_allow_shrink_option
@db_option
def lists_update(
    feeds: tuple[FeedSpec, ...],
    mirror: str | None,
    timeout: float,
    retries: int,
    max_mb: int,
    cache_dir: Path | None,
    allow_shrink: bool,
    db_url: str | None,
) -> None:
    """Download lists from their official URLs (or a mirror) and load new publications.

    Each argument is a feed (a file or a set of files downloaded together), a source (jp: all
    its feeds) or a dataset id (the feed that yields it); no argument means every feed. Files
    whose name carries a date (Japan's MOF and METI lists) are found on the authority's index
    page; a mirror serves every file under its fixed name instead. Each download is checked to
    be complete and to parse before it replaces anything; a failed, truncated or unparsable
    download leaves the active versions untouched and the command exits 1.
    """
    options = UpdateOptions(
        cache_dir=cache_dir or default_cache_dir(),
        mirror=mirror or settings.get("COALITION_MIRROR"),
        timeout=timeout,
        retries=retries,
        max_bytes=max_mb * 1024 * 1024,
        allow_shrink=allow_shrink,
    )
    code = ExitCode.OK
    with open_store(db_url) as store, download_progress() as on_progress:
        for update in update_feeds(store, feeds, options, on_progress):
            if update.error is not None:
                code = ExitCode.INPUT_ERROR
                error(f"{update.error} (active version unchanged)")
            elif update.not_modified:
                click.echo(f"{update.feed.name}: not modified since the last download")
            elif update.result is not None and update.path is not None:
                _report_load(update.path, update.result)
    exit_with(code)


@lists_group.command("status")
@json_option("Print the status as one JSON object.")
@click.option(
    "--max-age",
    default=lambda: settings.get("COALITION_MAX_AGE_DAYS") or DEFAULT_MAX_AGE_DAYS,
    show_default=f"$COALITION_MAX_AGE_DAYS, else {DEFAULT_MAX_AGE_DAYS}",
    type=int,
    help="Warn when a source's active publication is older than this many days.",
)
@db_option
def lists_status(as_json: bool, max_age: int, db_url: str | None) -> None:
    """Each source's active version, publication date, counts and age."""
    with open_store(db_url) as store:
        statuses = store.status(max_age_days=max_age)
    if as_json:
        sources = [s.model_dump(mode="json") for s in statuses]
        click.echo(json.dumps({"max_age_days": max_age, "sources": sources}))
    else:
        render.print_status(statuses)
    for message in render.status_warnings(statuses, max_age):
        warning(message)


@lists_group.command("diff")
@click.argument("selector", metavar="DATASET", type=SELECTOR_CHOICE)
@click.option(
    "--from", "from_id", type=int, help="Version id to compare from (default: the one before --to)."
)
@click.option("--to", "to_id", type=int, help="Version id to compare to (default: the active one).")
@json_option("Print added, removed, changed and details as JSON.")
@db_option
def lists_diff(
    selector: str, from_id: int | None, to_id: int | None, as_json: bool, db_url: str | None
) -> None:
    """Entities added, removed and changed between two versions of a dataset.

    Changes are shown field by field; child collections (names, identifiers, addresses...)
    are compared as sets, so re-ordering is not a change. Version ids come from
    `coalition lists status` or `coalition lists versions`.
    """
    with open_store(db_url) as store:
        try:
            result = diff_versions(store, selector, from_id, to_id)
        except DiffError as exc:
            fail(f"{exc}")
    click.echo(result.model_dump_json() if as_json else render.diff_text(result))


@lists_group.command("versions")
@click.argument("selector", metavar="[DATASET]", required=False, type=SELECTOR_CHOICE)
@json_option("One JSON object per version.")
@db_option
def lists_versions(selector: str | None, as_json: bool, db_url: str | None) -> None:
    """All stored versions, newest publication first (the first per dataset is active).

    DATASET is a dataset id (ofac_sdn) or a source (ofac: all its datasets).
    """
    with open_store(db_url) as store:
        versions = store.versions(selector)
    for version in versions:
        click.echo(version.model_dump_json() if as_json else render.version_row(version))
