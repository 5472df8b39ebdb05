"""The versioned list store: load official files as dated versions, query and compare them.

>>> from screening.store import ListStore
>>> store = ListStore()                      # --db / $COALITION_DB / default SQLite file
>>> store.load(open_list("sdn.csv"))         # one transaction, one new version
>>> store.status()                           # active version per source
>>> store.diff("ofac")                       # what the newest publication changed
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lists.base import ListFile
from lists.counts import EntityCounts
from lists.errors import ListReadError
from lists.model import Entity, Source
from screening.store.database import ensure_schema, make_engine, resolve_url
from screening.store.fingerprint import canonical_document, fingerprint
from screening.store.schema import (
    EntityBirthDate,
    EntityCountry,
    EntityIdentifier,
    EntityName,
    EntityProgram,
    ListVersion,
    StoredEntity,
)

# Entities written per round trip: large enough to be fast, small enough to keep memory flat.
BATCH_SIZE = 1000

PublishedFrom = Literal["file", "http", "given", "load"]


class VersionInfo(BaseModel):
    id: int
    source: Source
    format: str
    file_name: str
    sha256: str
    published_at: dt.datetime | None
    published_on: dt.date
    published_from: str
    loaded_at: dt.datetime
    entity_count: int
    counts: dict[str, Any]
    warnings: list[str]
    origin: str | None

    @classmethod
    def of(cls, row: ListVersion) -> VersionInfo:
        return cls(
            id=row.id,
            source=Source(row.source),
            format=row.format,
            file_name=row.file_name,
            sha256=row.sha256,
            published_at=row.published_at,
            published_on=row.published_on,
            published_from=row.published_from,
            loaded_at=row.loaded_at,
            entity_count=row.entity_count,
            counts=row.counts,
            warnings=row.warnings,
            origin=row.origin,
        )


class LoadResult(BaseModel):
    status: Literal["loaded", "unchanged"]
    version: VersionInfo
    active: bool
    replaced: VersionInfo | None = None  # the version that was active before this load

    @property
    def shrank(self) -> bool:
        """The new active version holds less than half the entities of the one it replaced.

        Usually only part of a list was loaded (OFAC's non-SDN file without sdn.csv): screening
        would then silently miss most of the list, so the CLI warns.
        """
        return (
            self.active
            and self.replaced is not None
            and self.version.entity_count < self.replaced.entity_count / 2
        )


class SourceStatus(BaseModel):
    source: Source
    active: VersionInfo | None
    versions: int
    age_days: int | None
    stale: bool


def input_sha256(path: Path) -> str:
    """Hash of a file, or of every CSV file of an OFAC CSV directory (names and contents).

    Only the CSV files count in a directory: the download cache keeps metadata files beside
    them whose timestamps must not make identical list content look new.
    """
    digest = hashlib.sha256()
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    else:
        files = [path]
    for file in files:
        if path.is_dir():
            digest.update(file.name.lower().encode() + b"\0")
        with file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


class ListStore:
    """Dated, versioned snapshots of each source's list. Safe to share between threads."""

    def __init__(self, url: str | None = None, *, engine: Engine | None = None) -> None:
        self.url = resolve_url(url)
        self.engine = engine or make_engine(self.url)
        ensure_schema(self.engine)

    # -- loading ---------------------------------------------------------------------------

    def load(
        self,
        listed: ListFile,
        *,
        published_on: dt.date | None = None,
        published_from: PublishedFrom | None = None,
        origin: str | None = None,
        on_entity: Callable[[int], None] | None = None,
    ) -> LoadResult:
        """Store a list file as a new version in one transaction.

        Loading content already stored (same source, same sha256) changes nothing and returns
        status ``unchanged``. A file that fails to parse anywhere leaves the store untouched.
        """
        sha256 = input_sha256(listed.path)
        existing = self._version_by_hash(listed.source, sha256)
        if existing is not None:
            return LoadResult(
                status="unchanged", version=existing, active=self._is_active(existing)
            )
        published_at, day, how = _publication(listed, published_on, published_from)
        previous = self.active_version(listed.source)
        with Session(self.engine) as session:
            try:
                version = ListVersion(
                    source=listed.source.value,
                    format=listed.format.name,
                    file_name=listed.path.name,
                    sha256=sha256,
                    published_at=published_at,
                    published_on=day,
                    published_from=how,
                    loaded_at=dt.datetime.now(dt.UTC),
                    entity_count=0,
                    counts={},
                    warnings=[],
                    origin=origin or str(listed.path.resolve()),
                )
                session.add(version)
                session.flush()
                counts = _write_entities(session, version.id, listed, on_entity)
                version.entity_count = counts.entities
                version.counts = counts.as_dict()
                version.warnings = list(listed.report.warnings)
                session.commit()
            except IntegrityError:
                # Another process committed the same content first: theirs stands.
                session.rollback()
                raced = self._version_by_hash(listed.source, sha256)
                if raced is None:
                    raise
                return LoadResult(status="unchanged", version=raced, active=self._is_active(raced))
            except BaseException:
                session.rollback()
                raise
            info = VersionInfo.of(version)
        return LoadResult(
            status="loaded", version=info, active=self._is_active(info), replaced=previous
        )

    # -- queries ---------------------------------------------------------------------------

    def versions(self, source: Source | str | None = None) -> list[VersionInfo]:
        """Versions, newest publication first."""
        query = select(ListVersion).order_by(
            ListVersion.source, ListVersion.published_on.desc(), ListVersion.loaded_at.desc()
        )
        if source is not None:
            query = query.where(ListVersion.source == Source(source).value)
        with Session(self.engine) as session:
            return [VersionInfo.of(row) for row in session.scalars(query)]

    def version(self, version_id: int) -> VersionInfo | None:
        with Session(self.engine) as session:
            row = session.get(ListVersion, version_id)
            return VersionInfo.of(row) if row else None

    def active_version(self, source: Source | str) -> VersionInfo | None:
        """The newest publication of a source; older versions stay queryable."""
        versions = self.versions(source)
        return versions[0] if versions else None

    def active_versions(self) -> list[VersionInfo]:
        return [v for v in (self.active_version(s) for s in Source) if v is not None]

    def status(self, max_age_days: int = 7, today: dt.date | None = None) -> list[SourceStatus]:
        today = today or dt.datetime.now(dt.UTC).date()
        result = []
        for source in Source:
            versions = self.versions(source)
            active = versions[0] if versions else None
            age = (today - active.published_on).days if active else None
            result.append(
                SourceStatus(
                    source=source,
                    active=active,
                    versions=len(versions),
                    age_days=age,
                    stale=age is None or age > max_age_days,
                )
            )
        return result

    def entities(self, version_id: int) -> Iterator[Entity]:
        """The entities of one version, in entry-id order, streamed."""
        query = (
            select(StoredEntity.document)
            .where(StoredEntity.version_id == version_id)
            .order_by(StoredEntity.entry_id)
            .execution_options(yield_per=BATCH_SIZE)
        )
        with Session(self.engine) as session:
            for document in session.scalars(query):
                yield Entity.model_validate(document)

    def fingerprints(self, version_id: int) -> dict[str, tuple[str, dict[str, Any]]]:
        """entry_id -> (fingerprint, document) for one version (used by diff)."""
        query = select(
            StoredEntity.entry_id, StoredEntity.fingerprint, StoredEntity.document
        ).where(StoredEntity.version_id == version_id)
        with Session(self.engine) as session:
            return {row[0]: (row[1], row[2]) for row in session.execute(query)}

    def delete_version(self, version_id: int) -> None:
        with Session(self.engine) as session, session.begin():
            session.execute(delete(ListVersion).where(ListVersion.id == version_id))

    # -- internals -------------------------------------------------------------------------

    def _version_by_hash(self, source: Source, sha256: str) -> VersionInfo | None:
        query = select(ListVersion).where(
            ListVersion.source == source.value, ListVersion.sha256 == sha256
        )
        with Session(self.engine) as session:
            row = session.scalars(query).first()
            return VersionInfo.of(row) if row else None

    def _is_active(self, version: VersionInfo) -> bool:
        active = self.active_version(version.source)
        return active is not None and active.id == version.id


def _publication(
    listed: ListFile, published_on: dt.date | None, published_from: PublishedFrom | None
) -> tuple[dt.datetime | None, dt.date, PublishedFrom]:
    stated = listed.published
    if isinstance(stated, dt.datetime):
        aware = stated if stated.tzinfo else stated.replace(tzinfo=dt.UTC)
        return aware, aware.astimezone(dt.UTC).date(), "file"
    if isinstance(stated, dt.date):
        return None, stated, "file"
    if published_on is not None:
        return None, published_on, published_from or "given"
    return None, dt.datetime.now(dt.UTC).date(), "load"


def _write_entities(
    session: Session,
    version_id: int,
    listed: ListFile,
    on_entity: Callable[[int], None] | None,
) -> EntityCounts:
    counts = EntityCounts()
    seen: set[str] = set()
    batch: list[Entity] = []
    for entity in listed.entities():
        if entity.entry_id in seen:
            raise ListReadError(
                listed.path, "the same entry id appears twice", record=entity.entry_id
            )
        seen.add(entity.entry_id)
        counts.add(entity)
        batch.append(entity)
        if len(batch) >= BATCH_SIZE:
            _insert_batch(session, version_id, batch)
            batch.clear()
        if on_entity is not None:
            on_entity(counts.entities)
    if batch:
        _insert_batch(session, version_id, batch)
    return counts


def _insert_batch(session: Session, version_id: int, entities: Sequence[Entity]) -> None:
    rows = []
    for entity in entities:
        document = entity.model_dump(mode="json", by_alias=True)
        rows.append(
            {
                "version_id": version_id,
                "entry_id": entity.entry_id,
                "schema": entity.schema_.value,
                "primary_name": entity.primary_name,
                "listed_on": entity.listed_on,
                "fingerprint": fingerprint(canonical_document(document)),
                "document": document,
            }
        )
    ids = session.scalars(
        insert(StoredEntity).returning(StoredEntity.id, sort_by_parameter_order=True), rows
    ).all()
    names, identifiers, dates, countries, programs = [], [], [], [], []
    for entity_id, entity in zip(ids, entities, strict=True):
        names += [
            {
                "entity_id": entity_id,
                "full": n.full,
                "kind": n.kind.value,
                "script": n.script,
                "language": n.language,
            }
            for n in entity.names
        ]
        identifiers += [
            {"entity_id": entity_id, "type": i.type.value, "value": i.value, "country": i.country}
            for i in entity.identifiers
        ]
        dates += [
            {
                "entity_id": entity_id,
                "precision": d.precision.value,
                "year": d.year,
                "month": d.month,
                "day": d.day,
                "year_to": d.year_to,
                "circa": d.circa,
            }
            for d in entity.birth_dates
        ]
        countries += [
            {"entity_id": entity_id, "role": role, "country": code}
            for role, code in _country_links(entity)
        ]
        programs += [{"entity_id": entity_id, "program": p} for p in entity.programs]
    for table, table_rows in (
        (EntityName, names),
        (EntityIdentifier, identifiers),
        (EntityBirthDate, dates),
        (EntityCountry, countries),
        (EntityProgram, programs),
    ):
        if table_rows:
            session.execute(insert(table), table_rows)


def _country_links(entity: Entity) -> list[tuple[str, str]]:
    links = [("nationality", c) for c in entity.nationalities]
    links += [("citizenship", c) for c in entity.citizenships]
    links += [("country", c) for c in entity.countries]
    links += [("address", a.country) for a in entity.addresses if a.country]
    return [(role, code) for role, code in dict.fromkeys(links) if code]
