"""Where the store lives and how it is brought to the current schema.

The database is any SQLAlchemy URL, from ``--db`` or ``COALITION_DB``; without either it is an
SQLite file in the user's data directory. Alembic migrations ship inside the installed package
(the top-level ``migrations`` package), so ``coalition db upgrade`` works after a plain
``pip install``, and opening a store upgrades an empty or older database by itself.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

import migrations

if TYPE_CHECKING:
    from alembic.config import Config

DB_ENV = "COALITION_DB"
APP_NAME = "coalition-screening"


def default_url() -> str:
    data_dir = Path(platformdirs.user_data_dir(APP_NAME))
    return f"sqlite:///{data_dir / 'coalition.db'}"


def resolve_url(url: str | None = None) -> str:
    """The database URL: the explicit one, else ``$COALITION_DB``, else the default file."""
    return url or os.environ.get(DB_ENV) or default_url()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        # A writer waits for another writer's lock instead of failing at once.
        engine = create_engine(url, connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


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

    before = current_revision(engine)
    command.upgrade(alembic_config(engine), "head")
    return before, current_revision(engine)


def ensure_schema(engine: Engine) -> None:
    """Upgrade the database unless it is already at `migrations.HEAD` (a test pins that)."""
    if current_revision(engine) != migrations.HEAD:
        upgrade(engine)
