"""`check_store` / `check_database`: a whole store reports no error; a version missing rows, rows
pointing nowhere, a damaged SQLite file, an old or missing schema and a stale name index do,
each in one line and never with an exception. On SQLite and PostgreSQL where both apply."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from migrations import HEAD
from screening.commands.db import persisted_index
from screening.matching.index import build_index, identities, index_path
from screening.matching.screener import Screener
from screening.store import ListStore, VersionInfo
from screening.store.check import CheckReport, IndexFile, Severity, check_database, check_store
from screening.store.database import alembic_config, current_revision, upgrade
from tests.screening.store.test_store import _entity, _write


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> ListStore:
    """A store with one version: 3 entities, 4 names, 1 identifier."""
    store = ListStore(db_url)
    records = [
        _entity(
            "1",
            "Ivan PETROV",
            names=[{"full": "Ivan PETROV"}, {"full": "Ivan Petrov", "kind": "weak_alias"}],
            identifiers=[{"type": "passport", "value": "123", "country": "RU"}],
        ),
        _entity("2", "ACME LLC", schema="organization"),
        _entity("3", "Olga SMIRNOVA"),
    ]
    store.load(_write(tmp_path, "v1", records, "2026-01-10"))
    return store


def only(version: list[VersionInfo]) -> VersionInfo:
    assert len(version) == 1
    return version[0]


def errors(report: CheckReport) -> list[str]:
    return [f"{f.check}: {f.message}" for f in report.errors]


def test_a_whole_store_has_no_error(store: ListStore, tmp_path: Path) -> None:
    report = check_store(store, tmp_path / "index", index_probe=persisted_index)
    assert report.ok and errors(report) == [] and report.warnings == []
    messages = {f.check: f.message for f in report.findings}
    assert messages["schema"] == "at revision 0005 (the newest)"
    assert messages["versions"] == "1 version(s) complete, 3 entities"
    assert messages["index"].startswith("no persisted index for the active versions")
    # The same from the URL alone, as `coalition db check` does it.
    assert check_database(store.url, tmp_path / "index", index_probe=persisted_index) == report


def test_entity_rows_deleted_behind_the_store_are_an_error(store: ListStore) -> None:
    version = only(store.versions())
    with store.engine.begin() as connection:
        # Through the store's engine: SQLite's foreign keys are on, so child rows go too.
        connection.execute(text("DELETE FROM entities WHERE entry_id IN ('2', '3')"))
    report = check_store(store)
    assert errors(report) == [
        f"versions: version {version.id} (un_sc) records 3 entities, 1 are stored"
    ]


def test_child_rows_missing_or_dangling_are_errors(store: ListStore, db_url: str) -> None:
    version = only(store.versions())
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM entity_names WHERE kind = 'weak_alias'"))
        connection.execute(text("DELETE FROM entity_identifiers"))
    report = check_store(store)
    assert errors(report) == [
        f"versions: version {version.id} (un_sc) records 4 names, 3 are stored",
        f"versions: version {version.id} (un_sc) records 1 identifiers, 0 are stored",
    ]
    if not db_url.startswith("sqlite"):
        return  # PostgreSQL refuses a dangling row outright; SQLite only when told to
    database = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    database.execute("INSERT INTO entity_programs (entity_id, program) VALUES (999, 'X')")
    database.commit()
    database.close()
    assert errors(check_store(store)) == [
        "integrity: rows referring to missing rows: entity_programs -> entities: 1",
        f"versions: version {version.id} (un_sc) records 4 names, 3 are stored",
        f"versions: version {version.id} (un_sc) records 1 identifiers, 0 are stored",
        "entities: rows whose version or entity is missing: entity_programs 1",
    ]


def test_a_damaged_sqlite_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = ListStore(f"sqlite:///{path}")
    records = [_entity(str(n), f"Person Number{n}") for n in range(2000)]
    store.load(_write(tmp_path, "big", records, "2026-01-10"))
    store.engine.dispose()
    size = path.stat().st_size
    with path.open("r+b") as handle:
        # Half a page into the middle of the file (pages of 4096 bytes): two pages are damaged,
        # neither whole. A whole page overwritten makes SQLite's integrity_check itself fail
        # rather than list what it found, and where the middle falls depends on the schema.
        handle.seek(size // 2 // 4096 * 4096 + 2048)
        handle.write(b"\xde\xad\xbe\xef" * 1024)
    report = check_database(f"sqlite:///{path}")
    # Which pages were hit decides SQLite's words; these three findings are always there.
    found = errors(report)
    assert found[0].startswith("integrity: PRAGMA integrity_check found "), found
    assert found[1:] == [
        "integrity: foreign key check failed: database disk image is malformed",
        "database: cannot be read: database disk image is malformed",
    ]


def test_a_missing_sqlite_file_is_reported_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "nothing-here.db"
    report = check_database(f"sqlite:///{path}")
    assert errors(report) == [f"database: no database file at {str(path)!r}"]
    assert not path.exists()


def test_an_empty_or_older_schema_is_an_error_and_stays_as_it_was(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        sqlite3.connect(db_url.removeprefix("sqlite:///")).close()  # an empty database file
    report = check_database(db_url)
    assert errors(report) == [
        f"schema: no schema (the newest revision is {HEAD}): run `coalition db upgrade`"
    ]
    store = ListStore(db_url)
    command.downgrade(alembic_config(store.engine), "0002")
    report = check_database(db_url)
    assert errors(report) == [
        f"schema: at revision 0002, the newest is {HEAD}: run `coalition db upgrade`"
    ]
    assert current_revision(store.engine) == "0002"  # checking migrated nothing
    assert upgrade(store.engine) == ("0002", HEAD)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    assert errors(check_database(db_url)) == [
        f"schema: at revision 0099, which this program does not know (its newest is {HEAD}): "
        "the database was written by a newer coalition-screening"
    ]


def test_an_unreachable_postgresql_is_an_error() -> None:
    # Port 1 on the loopback refuses at once.
    report = check_database("postgresql+psycopg://coalition:secret@127.0.0.1:1/none")
    assert report.database == "postgresql+psycopg://coalition:***@127.0.0.1:1/none"
    assert len(report.findings) == 1
    assert errors(report)[0].startswith("database: cannot be reached: ")


def test_a_persisted_index_must_hold_the_active_versions(store: ListStore, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    Screener(store, index_dir=index_dir)  # builds and saves the index
    version = only(store.active_versions())
    path = index_path(index_dir, [version])
    report = check_store(store, index_dir, index_probe=persisted_index)
    assert report.ok
    assert report.findings[-1].message == f"{path} matches the store (3 entities)"
    # An index saved under the active versions' key but holding one entity only.
    one = [(version.id, next(store.entities(version.id)))]
    build_index(one, path.stem, built_from=identities([version])).save(path)
    assert errors(check_store(store, index_dir, index_probe=persisted_index)) == [
        f"index: {path} holds 1 entities, the active versions 3: "
        "delete the file (the next screening rebuilds it)"
    ]
    # The same, but saying it was built from other versions: the screener will not use it.
    build_index(one, path.stem).save(path)
    assert [
        f.message for f in check_store(store, index_dir, index_probe=persisted_index).warnings
    ] == [f"{path} was built from other versions: the next screening rebuilds it"]
    path.write_bytes(b"not a pickle")
    report = check_store(store, index_dir, index_probe=persisted_index)
    assert report.ok
    assert [(f.severity, f.message) for f in report.warnings] == [
        (Severity.WARNING, f"{path} cannot be read: the next screening rebuilds it")
    ]


def test_the_probe_is_asked_for_the_active_versions(store: ListStore, tmp_path: Path) -> None:
    asked: list[tuple[Path, list[VersionInfo]]] = []

    def probe(index_dir: Path, versions: Sequence[VersionInfo]) -> IndexFile | None:
        asked.append((index_dir, list(versions)))
        return None

    check_store(store, tmp_path, index_probe=probe)
    assert asked == [(tmp_path, store.active_versions())]
