"""The versioned list store: load official files as dated versions, query and compare them.

>>> from screening.store import ListStore
>>> store = ListStore()                      # --db / $COALITION_DB / default SQLite file
>>> store.load(open_list("sdn.csv"))         # one transaction, one new version per dataset
>>> store.status()                           # active version per dataset
>>> diff_versions(store, "ofac_sdn")         # what the newest publication changed

Each official list is a dataset (`lists.datasets`): OFAC's SDN and non-SDN lists, the UK's OFSI
and FCDO lists, the CSL's sub-lists are separate datasets of one source. A version holds one
dataset, and the store keeps one active version (the newest publication) per dataset, so that
loading one list never deactivates another. A file holding several lists (an OFAC CSV directory
with sdn.csv and cons_prim.csv, the CSL) is stored as one version per dataset in one transaction.

A file that would replace an active version and drop more than `MAX_SHRINK` of its entries
(counted by entry id, and at least `MIN_SHRINK_REFUSED` of them) is refused (`ShrinkRefused`)
unless the caller says the list really shrank (``allow_shrink``): a list cut in half is far
more often a damaged or partial file than a publication, and screening against it would
silently miss the rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Engine, Text, cast, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lists.base import ListFile
from lists.counts import EntityCounts
from lists.datasets import DATASETS, UnknownDatasetError, dataset_for, dataset_ids, datasets_of
from lists.errors import ListReadError
from lists.model import Entity, IdentifierType, NameKind, PartialDate, Schema, Source
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
# The share of the active version's entries that may disappear in one load without
# ``allow_shrink``. Measured by entry id on the shared history: publications days to weeks
# apart lose at most 0.7 % (OFAC SDN 2024-04-26, UN 2018-10-29); only versions years apart lose
# more (UN 2018 -> 2025: 18 %, OFSI 2018 -> 2023: 18 %), and loading those is a deliberate act.
MAX_SHRINK = 0.10
# ... and at least this many entries: a small list (a CSL sub-list of a dozen names) losing one
# or two is an ordinary delisting, not a damaged file.
MIN_SHRINK_REFUSED = 10

PublishedFrom = Literal["file", "http", "given", "load"]


class VersionInfo(BaseModel):
    id: int
    source: Source
    dataset: str
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
            dataset=row.dataset,
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
    """What loading a file did to one dataset; `also` holds the file's other datasets."""

    status: Literal["loaded", "unchanged"]
    version: VersionInfo
    active: bool
    replaced: VersionInfo | None = None  # the version that was active before this load
    also: list[LoadResult] = []

    @property
    def datasets(self) -> list[LoadResult]:
        """One result per dataset the file held, the largest first."""
        return [self, *self.also]

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


class ShrinkRefused(ListReadError):
    """Loading the file would make too many entries of an active version disappear."""

    def __init__(self, path: Path, dataset: str, entities: int, active: int, gone: int) -> None:
        self.dataset = dataset
        self.entities = entities  # in the file, for this dataset
        self.active_entities = active
        self.gone = gone  # entry ids of the active version that the file does not have
        share = 100 * gone / active
        super().__init__(
            path,
            f"{dataset}: this file has {entities:,} entities, the active version {active:,}: "
            f"{gone:,} ({share:.0f} %) would disappear; load with --allow-shrink if the list "
            "really shrank",
        )


class SourceStatus(BaseModel):
    """The state of one dataset (or, when nothing of a source is loaded, of the source)."""

    source: Source
    dataset: str | None
    active: VersionInfo | None
    versions: int
    age_days: int | None
    stale: bool


class DocumentName(BaseModel):
    full: str
    kind: NameKind = NameKind.PRIMARY


class DocumentAddress(BaseModel):
    country: str | None = None


class DocumentIdentifier(BaseModel):
    type: IdentifierType
    value: str


class IndexDocument(BaseModel):
    """The part of a stored entity the matching index reads (`ListStore.index_documents`).

    The same field names as `lists.model.Entity`, without the rest of the document (remarks,
    addresses' lines, references ...) and without re-checking what was checked when the entity
    was stored: reading whole entities was half of the index build.
    """

    source: Source
    dataset: str = ""
    entry_id: str
    schema_: Schema = Field(alias="schema")
    names: list[DocumentName]
    birth_dates: list[PartialDate] = Field(default_factory=list)
    nationalities: list[str] = Field(default_factory=list)
    citizenships: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    addresses: list[DocumentAddress] = Field(default_factory=list)
    identifiers: list[DocumentIdentifier] = Field(default_factory=list)
    programs: list[str] = Field(default_factory=list)
    listed_on: dt.date | None = None

    @property
    def primary_name(self) -> str:
        """As `Entity.primary_name`: the first primary name, else the first name."""
        return next((n.full for n in self.names if n.kind is NameKind.PRIMARY), self.names[0].full)


@cache
def _dataset_id(source: Source, dataset: str) -> str:
    # As `Entity` validation does: an empty dataset is the source's only one.
    return dataset_for(source, dataset).id


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
        allow_shrink: bool = False,
    ) -> LoadResult:
        """Store a list file as a new version in one transaction.

        Loading content already stored (same source, same sha256) changes nothing and returns
        status ``unchanged``. A file that fails to parse anywhere leaves the store untouched, and
        so does one that would replace an active version and drop more than `MAX_SHRINK` of its
        entries (`ShrinkRefused`), unless ``allow_shrink``.
        """
        sha256 = input_sha256(listed.path)
        existing = self._versions_by_hash(listed.source, sha256)
        if existing:
            results = [
                LoadResult(status="unchanged", version=v, active=self._is_active(v))
                for v in existing
            ]
            return results[0].model_copy(update={"also": results[1:]})
        published_at, day, how = _publication(listed, published_on, published_from)
        before = {v.dataset: v for v in self.active_versions()}
        with Session(self.engine) as session:
            try:
                template = dict(
                    source=listed.source.value,
                    format=listed.format.name,
                    file_name=listed.path.name,
                    sha256=sha256,
                    published_at=published_at,
                    published_on=day,
                    published_from=how,
                    loaded_at=dt.datetime.now(dt.UTC),
                    origin=origin or str(listed.path.resolve()),
                )
                parts = _write_entities(session, template, listed, on_entity)
                if not allow_shrink:
                    _refuse_shrink(session, listed.path, parts, before, day)
                for part in parts.values():
                    part.version.entity_count = part.counts.entities
                    part.version.counts = part.counts.as_dict()
                    part.version.warnings = list(listed.report.warnings)
                session.commit()
            except IntegrityError:
                # Another process committed the same content first: theirs stands.
                session.rollback()
                raced = self._versions_by_hash(listed.source, sha256)
                if not raced:
                    raise
                results = [
                    LoadResult(status="unchanged", version=v, active=self._is_active(v))
                    for v in raced
                ]
                return results[0].model_copy(update={"also": results[1:]})
            except BaseException:
                session.rollback()
                raise
            infos = [VersionInfo.of(part.version) for part in parts.values()]
        infos.sort(key=lambda v: -v.entity_count)
        results = [
            LoadResult(
                status="loaded",
                version=info,
                active=self._is_active(info),
                replaced=before.get(info.dataset),
            )
            for info in infos
        ]
        return results[0].model_copy(update={"also": results[1:]})

    # -- queries ---------------------------------------------------------------------------

    def versions(self, selector: Source | str | None = None) -> list[VersionInfo]:
        """Versions, newest publication first; `selector` is a dataset id or a source."""
        query = select(ListVersion).order_by(
            ListVersion.dataset, ListVersion.published_on.desc(), ListVersion.loaded_at.desc()
        )
        if selector is not None:
            query = query.where(ListVersion.dataset.in_(dataset_ids(selector)))
        with Session(self.engine) as session:
            return [VersionInfo.of(row) for row in session.scalars(query)]

    def version(self, version_id: int) -> VersionInfo | None:
        with Session(self.engine) as session:
            row = session.get(ListVersion, version_id)
            return VersionInfo.of(row) if row else None

    def active_version(self, dataset: str) -> VersionInfo | None:
        """The newest publication of a dataset (or of a source's only dataset)."""
        ids = dataset_ids(dataset)
        if len(ids) != 1:
            raise UnknownDatasetError(
                f"{dataset} publishes several lists ({', '.join(ids)}): name one of them"
            )
        versions = self.versions(ids[0])
        return versions[0] if versions else None

    def active_versions(self) -> list[VersionInfo]:
        """The active version of every dataset that has one, in `DATASETS` order."""
        newest: dict[str, VersionInfo] = {}
        for version in self.versions():
            newest.setdefault(version.dataset, version)
        return [newest[d.id] for d in DATASETS if d.id in newest]

    def status(self, max_age_days: int = 7, today: dt.date | None = None) -> list[SourceStatus]:
        """One line per loaded dataset, and one per source of which nothing is loaded."""
        today = today or dt.datetime.now(dt.UTC).date()
        by_dataset: dict[str, list[VersionInfo]] = {}
        for version in self.versions():
            by_dataset.setdefault(version.dataset, []).append(version)
        result = []
        for source in Source:
            loaded: list[str | None] = [d.id for d in datasets_of(source) if d.id in by_dataset]
            for dataset in loaded or [None]:
                versions = by_dataset.get(dataset, []) if dataset else []
                active = versions[0] if versions else None
                age = (today - active.published_on).days if active else None
                result.append(
                    SourceStatus(
                        source=source,
                        dataset=dataset,
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

    def index_documents(self, version_id: int) -> Iterator[IndexDocument]:
        """What the matching index needs of each entity of one version, in entry-id order.

        The document is read as text and parsed straight into the small model (one pass, no
        intermediate dicts): CAST works alike on SQLite's JSON and PostgreSQL's JSONB.
        """
        query = (
            select(cast(StoredEntity.document, Text))
            .where(StoredEntity.version_id == version_id)
            .order_by(StoredEntity.entry_id)
            .execution_options(yield_per=BATCH_SIZE)
        )
        with Session(self.engine) as session:
            for text in session.scalars(query):
                document = IndexDocument.model_validate_json(text)
                document.dataset = _dataset_id(document.source, document.dataset)
                yield document

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

    def _versions_by_hash(self, source: Source, sha256: str) -> list[VersionInfo]:
        """The versions one file's content became (one per dataset), the largest first."""
        query = (
            select(ListVersion)
            .where(ListVersion.source == source.value, ListVersion.sha256 == sha256)
            .order_by(ListVersion.entity_count.desc(), ListVersion.id)
        )
        with Session(self.engine) as session:
            return [VersionInfo.of(row) for row in session.scalars(query)]

    def _is_active(self, version: VersionInfo) -> bool:
        active = self.active_version(version.dataset)
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


@dataclass
class _DatasetPart:
    """The version being written for one dataset of a file, with its running counts."""

    version: ListVersion
    counts: EntityCounts = field(default_factory=EntityCounts)
    seen: set[str] = field(default_factory=set)
    batch: list[Entity] = field(default_factory=list)


def _write_entities(
    session: Session,
    template: dict[str, Any],
    listed: ListFile,
    on_entity: Callable[[int], None] | None,
) -> dict[str, _DatasetPart]:
    """Write the file's entities, one new version per dataset they belong to."""
    parts: dict[str, _DatasetPart] = {}
    for total, entity in enumerate(listed.entities(), start=1):
        part = parts.get(entity.dataset)
        if part is None:
            if not entity.dataset:
                raise ListReadError(
                    listed.path,
                    f"the reader did not say which {entity.source.value} list the entry "
                    "belongs to (no dataset)",
                    record=entity.entry_id,
                )
            version = ListVersion(
                **template, dataset=entity.dataset, entity_count=0, counts={}, warnings=[]
            )
            session.add(version)
            session.flush()
            part = parts[entity.dataset] = _DatasetPart(version)
        if entity.entry_id in part.seen:
            raise ListReadError(
                listed.path, "the same entry id appears twice", record=entity.entry_id
            )
        part.seen.add(entity.entry_id)
        part.counts.add(entity)
        part.batch.append(entity)
        if len(part.batch) >= BATCH_SIZE:
            _insert_batch(session, part.version.id, part.batch)
            part.batch.clear()
        if on_entity is not None:
            on_entity(total)
    for part in parts.values():
        if part.batch:
            _insert_batch(session, part.version.id, part.batch)
    if not parts:
        # An empty list is still a publication: record it under the source's main dataset.
        main = datasets_of(listed.source)[0].id
        version = ListVersion(**template, dataset=main, entity_count=0, counts={}, warnings=[])
        session.add(version)
        session.flush()
        parts[main] = _DatasetPart(version)
    return parts


def _refuse_shrink(
    session: Session,
    path: Path,
    parts: dict[str, _DatasetPart],
    active: dict[str, VersionInfo],
    published_on: dt.date,
) -> None:
    """`ShrinkRefused` when a new version would replace an active one and lose its entries."""
    for dataset, part in parts.items():
        replaced = active.get(dataset)
        # An older publication does not become active (newest publication first), so it
        # replaces nothing that screening uses.
        if replaced is None or published_on < replaced.published_on:
            continue
        # By entry id, not by totals: a file that drops 600 entries and adds 500 others lost
        # 600 of the list that was screened against.
        old_ids = session.scalars(
            select(StoredEntity.entry_id).where(StoredEntity.version_id == replaced.id)
        )
        gone = sum(1 for entry_id in old_ids if entry_id not in part.seen)
        if gone > replaced.entity_count * MAX_SHRINK and gone >= MIN_SHRINK_REFUSED:
            raise ShrinkRefused(path, dataset, part.counts.entities, replaced.entity_count, gone)


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
