"""``coalition db``: the database schema (Alembic migrations shipped with the package), and a
read-only integrity check of the store."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError

from screening.commands.common import (
    ExitCode,
    database_failure,
    db_option,
    exit_with,
    json_option,
    note,
    shown_url,
)
from screening.store import VersionInfo
from screening.store.check import CheckReport, IndexFile, check_database
from screening.store.database import make_engine, resolve_url, upgrade


@click.group("db")
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@db_option
def db_upgrade(db_url: str | None) -> None:
    """Create or migrate the database to the newest schema."""
    try:
        before, after = upgrade(make_engine(resolve_url(db_url)))
    except SQLAlchemyError as exc:
        database_failure(db_url, exc)
    url = shown_url(db_url)
    if before == after:
        click.echo(f"{url}: already at revision {after}")
    else:
        click.echo(f"{url}: upgraded from {before or 'an empty database'} to revision {after}")


@db.command("check")
@json_option("Print the report as one JSON object.")
@db_option
def db_check(as_json: bool, db_url: str | None) -> None:
    """Check the store without changing it: the database file (SQLite integrity and foreign
    keys), the schema revision, every list version (all its entities stored, nothing twice,
    nothing dangling) and the persisted name index of the active versions ($COALITION_INDEX_DIR).

    Exits 0 when nothing is wrong (warnings allowed), 1 when anything is.
    """
    from screening.matching.index import default_index_dir

    report = check_database(db_url, default_index_dir(), index_probe=persisted_index)
    if as_json:
        click.echo(json.dumps(report.model_dump(mode="json") | {"ok": report.ok}))
    else:
        _render(report)
    exit_with(ExitCode.OK if report.ok else ExitCode.INPUT_ERROR)


def persisted_index(index_dir: Path, versions: Sequence[VersionInfo]) -> IndexFile | None:
    """The screener's cached index of these versions, if there is one."""
    # The matcher's module: loaded only here, so that `db upgrade` does not pay for it.
    from screening.matching.index import NameIndex, identities, index_path

    path = index_path(index_dir, versions)
    if not path.exists():
        return None
    index = NameIndex.load(path)
    if index is None:
        return IndexFile(path, None)
    return IndexFile(path, len(index.entities), index.built_from == identities(versions))


def _render(report: CheckReport) -> None:
    click.echo(f"database {report.database}")
    for finding in report.findings:
        click.echo(f"{finding.severity.value:<8}{finding.check:<10}{finding.message}")
    errors, warnings = len(report.errors), len(report.warnings)
    note(f"{errors} error(s), {warnings} warning(s)" + ("" if errors else ": the store is whole"))
