"""Is the store whole? The checks behind ``coalition db check``.

    >>> report = check_database("sqlite:///coalition.db", index_dir, index_probe=probe)
    >>> report.ok, [f.message for f in report.errors]

A check only reads: it never creates, migrates or repairs anything, so it can be run on a
database that something else is writing, or on a copy of a damaged one. It looks at

- the database itself: it can be reached; on SQLite, ``PRAGMA integrity_check`` and
  ``PRAGMA foreign_key_check`` (PostgreSQL enforces its constraints and checksums itself);
- the schema: the Alembic revision is the newest one this program ships;
- every list version: its recorded ``entity_count`` equals its stored entity rows, and (when
  the version's counts describe exactly this version) its name and identifier rows; no entity
  appears twice in a version, no file is stored twice for a dataset, and no row points to a
  missing version or entity;
- the persisted name index of the active versions: absent (the next screening builds it) or
  holding exactly the active versions' entities. The index is the matcher's (a later layer),
  so the caller passes an `IndexProbe` that knows how to find and read it.

Each finding has a severity: ``ok``, ``warning`` (worth knowing, nothing is lost) or ``error``
(the store cannot be trusted as it is). A database error while checking is itself an error
finding, never an exception: a damaged file is exactly what this is for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import Engine, Select, exists, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session

from screening.store.database import (
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    resolve_url,
)
from screening.store.schema import (
    EntityBirthDate,
    EntityCountry,
    EntityIdentifier,
    EntityName,
    EntityProgram,
    ListVersion,
    StoredEntity,
)
from screening.store.store import ListStore, VersionInfo

# Rows named in a finding at most; the finding still gives the full count.
SHOWN = 5
CHILD_TABLES = (EntityName, EntityIdentifier, EntityBirthDate, EntityCountry, EntityProgram)


class Severity(StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


class Finding(BaseModel):
    check: str  # what was looked at: database, integrity, schema, versions, entities, index
    severity: Severity
    message: str


class CheckReport(BaseModel):
    database: str  # the URL, password masked
    findings: list[Finding] = []

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        """Nothing is wrong (warnings allowed)."""
        return not self.errors

    def add(self, check: str, severity: Severity, message: str) -> None:
        self.findings.append(Finding(check=check, severity=severity, message=message))


@dataclass(frozen=True)
class IndexFile:
    """A persisted name index: where it is, how many entities it holds (None: the file cannot
    be read), and whether it says it was built from exactly the versions asked about."""

    path: Path
    entities: int | None
    built_from_these: bool = True


# (index directory, active versions) -> their persisted index file, None when there is none.
IndexProbe = Callable[[Path, Sequence[VersionInfo]], IndexFile | None]


def check_database(
    url: str | None = None,
    index_dir: Path | None = None,
    *,
    index_probe: IndexProbe | None = None,
) -> CheckReport:
    """Check the database at `url` (--db / $COALITION_DB / default) without changing it.

    Unlike opening a `ListStore`, this neither creates a missing SQLite file nor migrates an
    older schema: both are reported.
    """
    resolved = resolve_url(url)
    report = CheckReport(database=_masked(resolved))
    try:
        parsed = make_url(resolved)
    except ArgumentError as exc:
        report.add("database", Severity.ERROR, f"not a database URL: {_first_line(exc)}")
        return report
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database or "").expanduser()
        if not path.is_file():
            report.add("database", Severity.ERROR, f"no database file at {str(path)!r}")
            return report
    try:
        engine = make_engine(resolved)
    except SQLAlchemyError as exc:
        report.add("database", Severity.ERROR, _first_line(exc))
        return report
    try:
        if _check_schema(engine, report):
            # At the head revision opening the store migrates nothing: it only reads.
            store = ListStore(resolved, engine=engine)
            _check_contents(store, report, index_dir, index_probe)
    except SQLAlchemyError as exc:
        report.add("database", Severity.ERROR, f"cannot be read: {_first_line(exc)}")
    finally:
        engine.dispose()
    return report


def check_store(
    store: ListStore,
    index_dir: Path | None = None,
    *,
    index_probe: IndexProbe | None = None,
) -> CheckReport:
    """Check an open store: database, schema revision, every version, the persisted index."""
    report = CheckReport(database=_masked(store.url))
    try:
        if _check_schema(store.engine, report):
            _check_contents(store, report, index_dir, index_probe)
    except SQLAlchemyError as exc:
        report.add("database", Severity.ERROR, f"cannot be read: {_first_line(exc)}")
    return report


# -- the database and its schema ------------------------------------------------------------


def _check_schema(engine: Engine, report: CheckReport) -> bool:
    """Reachable, intact (SQLite) and at the head revision; False when contents can't be read."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        report.add("database", Severity.ERROR, f"cannot be reached: {_first_line(exc)}")
        return False
    report.add("database", Severity.OK, f"reachable ({engine.dialect.name})")
    if engine.dialect.name == "sqlite":
        _check_sqlite(engine, report)
    try:
        current = current_revision(engine)
    except SQLAlchemyError as exc:
        report.add("schema", Severity.ERROR, f"revision cannot be read: {_first_line(exc)}")
        return False
    head = head_revision(engine)
    if current == head:
        report.add("schema", Severity.OK, f"at revision {head} (the newest)")
        return True
    if current is None:
        message = f"no schema (the newest revision is {head}): run `coalition db upgrade`"
    elif _known_revision(engine, current):
        message = f"at revision {current}, the newest is {head}: run `coalition db upgrade`"
    else:
        message = (
            f"at revision {current}, which this program does not know (its newest is {head}): "
            "the database was written by a newer coalition-screening"
        )
    report.add("schema", Severity.ERROR, message)
    return False


def _known_revision(engine: Engine, revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return (
            ScriptDirectory.from_config(alembic_config(engine)).get_revision(revision) is not None
        )
    except CommandError:
        return False


def _check_sqlite(engine: Engine, report: CheckReport) -> None:
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("PRAGMA integrity_check").all()
    except SQLAlchemyError as exc:
        report.add("integrity", Severity.ERROR, f"integrity check failed: {_first_line(exc)}")
        return
    # One problem per row, or (some SQLite versions) many in one row, under a header line.
    problems = [
        line.strip()
        for row in rows
        for line in str(row[0]).splitlines()
        if line.strip() and not line.startswith("***")
    ]
    if problems == ["ok"]:
        report.add("integrity", Severity.OK, "PRAGMA integrity_check: ok")
    else:
        report.add(
            "integrity",
            Severity.ERROR,
            f"PRAGMA integrity_check found {len(problems)} problem(s): "
            + "; ".join(problems[:SHOWN]),
        )
    try:
        with engine.connect() as connection:
            dangling = list(connection.exec_driver_sql("PRAGMA foreign_key_check"))
    except SQLAlchemyError as exc:
        report.add("integrity", Severity.ERROR, f"foreign key check failed: {_first_line(exc)}")
        return
    if not dangling:
        report.add("integrity", Severity.OK, "PRAGMA foreign_key_check: no dangling reference")
        return
    by_table: dict[str, int] = {}
    for row in dangling:
        by_table[f"{row[0]} -> {row[2]}"] = by_table.get(f"{row[0]} -> {row[2]}", 0) + 1
    report.add(
        "integrity",
        Severity.ERROR,
        "rows referring to missing rows: "
        + ", ".join(f"{where}: {count}" for where, count in sorted(by_table.items())),
    )


# -- versions, entities and their rows -------------------------------------------------------


def _check_contents(
    store: ListStore, report: CheckReport, index_dir: Path | None, probe: IndexProbe | None
) -> None:
    with Session(store.engine) as session:
        _check_versions(session, report)
        _check_entity_rows(session, report)
    if index_dir is not None and probe is not None:
        _check_index(store, report, index_dir, probe)


def _check_versions(session: Session, report: CheckReport) -> None:
    """Every version holds as many entities (and names, identifiers) as it recorded."""
    stored = _per_version(session, select(StoredEntity.version_id, func.count()))
    names = _per_version(session, _child_rows(EntityName))
    identifiers = _per_version(session, _child_rows(EntityIdentifier))
    versions = session.execute(
        select(
            ListVersion.id, ListVersion.dataset, ListVersion.entity_count, ListVersion.counts
        ).order_by(ListVersion.id)
    ).all()
    incomplete = []
    for version_id, dataset, recorded, counts in versions:
        label = f"version {version_id} ({dataset})"
        if stored.get(version_id, 0) != recorded:
            incomplete.append(
                f"{label} records {recorded} entities, {stored.get(version_id, 0)} are stored"
            )
            continue
        # Versions split by migration 0003 kept their file's counts; only counts that describe
        # exactly this version can be compared row by row.
        if not isinstance(counts, dict) or counts.get("entities") != recorded:
            continue
        for what, rows in (("names", names), ("identifiers", identifiers)):
            expected = counts.get(what)
            if isinstance(expected, int) and rows.get(version_id, 0) != expected:
                incomplete.append(
                    f"{label} records {expected} {what}, {rows.get(version_id, 0)} are stored"
                )
    for problem in incomplete:
        report.add("versions", Severity.ERROR, problem)
    if not incomplete:
        total = sum(row[2] for row in versions)
        report.add(
            "versions", Severity.OK, f"{len(versions)} version(s) complete, {total} entities"
        )
    twice = session.execute(
        select(ListVersion.dataset, ListVersion.sha256, func.count())
        .group_by(ListVersion.dataset, ListVersion.sha256)
        .having(func.count() > 1)
    ).all()
    for dataset, sha256, count in twice:
        report.add(
            "versions", Severity.ERROR, f"{dataset}: file {sha256[:12]} is stored {count} times"
        )


def _check_entity_rows(session: Session, report: CheckReport) -> None:
    """No entity twice in a version; no row pointing to a missing version or entity."""
    duplicated = session.execute(
        select(StoredEntity.version_id, StoredEntity.entry_id)
        .group_by(StoredEntity.version_id, StoredEntity.entry_id)
        .having(func.count() > 1)
        .order_by(StoredEntity.version_id, StoredEntity.entry_id)
    ).all()
    if duplicated:
        shown = ", ".join(f"version {v} entry {e!r}" for v, e in duplicated[:SHOWN])
        report.add(
            "entities",
            Severity.ERROR,
            f"{len(duplicated)} entr(y/ies) stored twice in one version: {shown}",
        )
    orphans = {
        "entities": session.scalar(
            select(func.count())
            .select_from(StoredEntity)
            .where(~exists().where(ListVersion.id == StoredEntity.version_id))
        )
        or 0
    }
    for child in CHILD_TABLES:
        orphans[child.__tablename__] = (
            session.scalar(
                select(func.count())
                .select_from(child)
                .where(~exists().where(StoredEntity.id == child.entity_id))
            )
            or 0
        )
    dangling = {table: count for table, count in orphans.items() if count}
    if dangling:
        report.add(
            "entities",
            Severity.ERROR,
            "rows whose version or entity is missing: "
            + ", ".join(f"{table} {count}" for table, count in dangling.items()),
        )
    elif not duplicated:
        report.add(
            "entities", Severity.OK, "no duplicate entry, every row's version and entity exist"
        )


def _per_version(session: Session, query: Select[int, int]) -> dict[int, int]:
    """version id -> count, for a select of (version_id, count) not yet grouped."""
    grouped = query.group_by(StoredEntity.version_id)
    return {int(version_id): int(count) for version_id, count in session.execute(grouped)}


def _child_rows(child: type[EntityName] | type[EntityIdentifier]) -> Select[int, int]:
    """(version id, count) of a child table's rows, to be grouped by version."""
    return select(StoredEntity.version_id, func.count()).join(
        child, child.entity_id == StoredEntity.id
    )


# -- the persisted name index ----------------------------------------------------------------


def _check_index(store: ListStore, report: CheckReport, index_dir: Path, probe: IndexProbe) -> None:
    active = store.active_versions()
    if not active:
        report.add("index", Severity.OK, "no list is loaded: no name index is needed")
        return
    expected = sum(v.entity_count for v in active)
    try:
        found = probe(index_dir, active)
    except OSError as exc:
        report.add("index", Severity.WARNING, f"{index_dir}: cannot be read ({exc.strerror})")
        return
    if found is None:
        report.add(
            "index",
            Severity.OK,
            f"no persisted index for the active versions in {index_dir}: "
            "the next screening builds it",
        )
    elif found.entities is None:
        report.add(
            "index",
            Severity.WARNING,
            f"{found.path} cannot be read: the next screening rebuilds it",
        )
    elif not found.built_from_these:
        report.add(
            "index",
            Severity.WARNING,
            f"{found.path} was built from other versions: the next screening rebuilds it",
        )
    elif found.entities != expected:
        # The screener would use this file: screenings would miss entries, or see stale ones.
        report.add(
            "index",
            Severity.ERROR,
            f"{found.path} holds {found.entities} entities, the active versions {expected}: "
            "delete the file (the next screening rebuilds it)",
        )
    else:
        report.add("index", Severity.OK, f"{found.path} matches the store ({expected} entities)")


def _masked(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _first_line(exc: BaseException) -> str:
    message = str(getattr(exc, "orig", None) or exc).strip()
    return message.splitlines()[0] if message else type(exc).__name__
