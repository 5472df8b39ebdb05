"""Alembic environment: runs migrations on the engine the store hands over.

Run through ``coalition db upgrade`` (or automatically when a store is opened), which passes the
engine in ``config.attributes["engine"]``; there is no alembic.ini to keep in sync.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine

from screening.store.schema import Base
from screening.workflow import schema as _workflow_tables  # noqa: F401  (their metadata)

config = context.config
target_metadata = Base.metadata


def _engine() -> Engine:
    engine = config.attributes.get("engine")
    if engine is not None:
        assert isinstance(engine, Engine)
        return engine
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no engine or sqlalchemy.url given to the migration environment")
    return create_engine(url)


def run_migrations_online() -> None:
    with _engine().connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
