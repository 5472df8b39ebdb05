"""Database schema for list versions and the canonical entities they hold (SQLAlchemy 2 ORM).

Each load of an official file creates one `ListVersion`; its entities are stored in full (the
canonical JSON document, lossless) and, for querying, broken out into names, identifiers, birth
dates, countries and programs. Versions are never modified after their load commits, so any past
screening can be replayed against exactly the data it saw.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Explicit constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JsonDocument = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on every backend (SQLite would otherwise drop the zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ListVersion(Base):
    __tablename__ = "list_versions"
    # One version holds one dataset (lists.datasets); a file with several lists (an OFAC CSV
    # directory with sdn.csv and cons_prim.csv, the CSL) is stored as one version per dataset,
    # all with the file's sha256.
    __table_args__ = (
        UniqueConstraint("dataset", "sha256", name="uq_list_versions_dataset_sha256"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(8), index=True)
    dataset: Mapped[str] = mapped_column(String(40), index=True)
    format: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # The day that orders versions: the file's own date, or the download's Last-Modified when
    # the file states none (OFAC legacy CSV), or the load day as the last resort.
    published_on: Mapped[dt.date] = mapped_column(Date)
    published_from: Mapped[str] = mapped_column(String(16))  # file | http | given | load
    loaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    entity_count: Mapped[int] = mapped_column(Integer)
    counts: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    warnings: Mapped[list[str]] = mapped_column(JsonDocument)
    origin: Mapped[str | None] = mapped_column(Text)  # URL or path it came from

    entities: Mapped[list[StoredEntity]] = relationship(back_populates="version")


class StoredEntity(Base):
    __tablename__ = "entities"
    __table_args__ = (
        UniqueConstraint("version_id", "entry_id", name="uq_entities_version_id_entry_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("list_versions.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[str] = mapped_column(String(256))
    schema: Mapped[str] = mapped_column(String(16))
    primary_name: Mapped[str] = mapped_column(Text)
    listed_on: Mapped[dt.date | None] = mapped_column(Date)
    fingerprint: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]] = mapped_column(JsonDocument)

    version: Mapped[ListVersion] = relationship(back_populates="entities")


class EntityName(Base):
    __tablename__ = "entity_names"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    full: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    script: Mapped[str | None] = mapped_column(String(8))
    language: Mapped[str | None] = mapped_column(String(8))


class EntityIdentifier(Base):
    __tablename__ = "entity_identifiers"
    __table_args__ = (Index("ix_entity_identifiers_type_value", "type", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))


class EntityBirthDate(Base):
    __tablename__ = "entity_birth_dates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    precision: Mapped[str] = mapped_column(String(8))
    year: Mapped[int | None] = mapped_column(Integer)
    month: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[int | None] = mapped_column(Integer)
    year_to: Mapped[int | None] = mapped_column(Integer)
    circa: Mapped[bool] = mapped_column(Boolean)


class EntityCountry(Base):
    __tablename__ = "entity_countries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))  # nationality | citizenship | country | address
    country: Mapped[str] = mapped_column(String(2))


class EntityProgram(Base):
    __tablename__ = "entity_programs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    program: Mapped[str] = mapped_column(Text)


for _child in (EntityName, EntityIdentifier, EntityBirthDate, EntityCountry, EntityProgram):
    Index(f"ix_{_child.__tablename__}_entity_id", _child.entity_id)
