"""``coalition db``: the database schema (Alembic migrations shipped with the package)."""

from __future__ import annotations

import click
from sqlalchemy.exc import SQLAlchemyError

from screening.commands.common import database_failure, db_option, shown_url
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
