"""Where the store lives and how it is brought to the current schema.

The database is any SQLAlchemy URL, from ``--db`` or ``COALITION_DB``; without either it is an
SQLite file in the user's data directory. Alembic migrations ship inside the installed package
(the top-level ``migrations`` package), so ``coalition db upgrade`` works after a plain
``pip install``, and opening a store upgrades an empty or older database by itself.

A database that cannot even be set up (an SQLite directory that cannot be created, a driver
that is not installed) raises `DatabaseSetupError`, one line for a person; it is an
`SQLAlchemyError`, so whoever handles an unreachable database (the CLI: exit 3) handles it too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

import migrations
from screening import settings

if TYPE_CHECKING:
    from alembic.config import Config

APP_NAME = "coalition-screening"
POSTGRES_HINT = "pip install 'coalition-screening[postgres]' and use a postgresql+psycopg:// URL"


class DatabaseSetupError(SQLAlchemyError):
    """The database cannot be set up: its directory cannot be made, or its driver is missing."""


def default_url() -> str:
    data_dir = Path(platformdirs.user_data_dir(APP_NAME))
    return f"sqlite:///{data_dir / 'coalition.db'}"


def resolve_url(url: str | None = None) -> str:
    """The database URL: the explicit one, else ``$COALITION_DB``, else the default file."""
    return url or settings.get("COALITION_DB") or default_url()


def make_engine(url: str) -> Engine:
    """An engine for `url`; `DatabaseSetupError` when its directory or driver is unusable."""
    parsed = make_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database
            if database and database != ":memory:":
                _make_directory(Path(database).expanduser().parent)
            # A writer waits for another writer's lock instead of failing at once.
            engine = create_engine(url, connect_args={"timeout": 60})
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        # create_engine imports the URL's driver (DBAPI module) at once: its absence is a
        # missing install, not a bug, and says which package to add.
        raise DatabaseSetupError(_missing_driver(parsed.drivername, exc)) from None


def _make_directory(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        # mkdir names a file in the way only sometimes (FileExistsError); find it for the message.
        blocker = next((p for p in (directory, *directory.parents) if p.is_file()), directory)
        raise DatabaseSetupError(
            f"cannot create the database directory {str(directory)!r}: "
            f"{str(blocker)!r} is a file, not a directory"
        ) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise DatabaseSetupError(
            f"cannot create the database directory {str(directory)!r}: {reason}"
        ) from None


def _missing_driver(drivername: str, exc: ModuleNotFoundError) -> str:
    module = exc.name or str(exc)
    if drivername.split("+")[0] == "postgresql":
        return f"the PostgreSQL driver {module!r} is not installed: {POSTGRES_HINT}"
    return f"the database driver {module!r} for {drivername}:// URLs is not installed"


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    # Alembic is imported only when migrations are looked at: opening an up-to-date store for
    # a spot check should not pay for it.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> tuple[str | None, str | None]:
    """Bring the schema to the newest migration; returns (revision before, revision after)."""
    from alembic import command
    from alembic.util import CommandError

    before = current_revision(engine)
    try:
        command.upgrade(alembic_config(engine), "head")
    except CommandError as exc:
        # A revision this program does not know: a newer version of it wrote the database.
        raise DatabaseSetupError(
            f"the database schema is at revision {before}, which this version does not know "
            f"(its newest is {migrations.HEAD}): use the newer program that wrote it"
            f" ({' '.join(str(exc).split())})"
        ) from None
    return before, current_revision(engine)


def ensure_schema(engine: Engine) -> None:
    """Upgrade the database unless it is already at `migrations.HEAD` (a test pins that)."""
    if current_revision(engine) != migrations.HEAD:
        upgrade(engine)
