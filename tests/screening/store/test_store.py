"""The versioned store on SQLite and PostgreSQL, with a small self-written list format.

Real-file loads and diffs (OFAC, UN) are in test_store_real.py; these tests pin down the store's
own guarantees: one transaction per load, idempotent reloads, newest publication active, older
versions kept, set-wise diffs, and nothing stored from a file that fails half-way.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lists.base import ListFile, ListFormat, ReadReport
from lists.errors import ListReadError
from lists.model import Entity, Source
from screening.store import ListStore, diff_versions
from screening.store.database import current_revision, head_revision
from screening.store.schema import EntityIdentifier, EntityName, ListVersion, StoredEntity


def _read_json_lines(path: Path, report: ReadReport) -> Iterator[Entity]:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        record = json.loads(line)
        if record.get("broken"):
            raise ListReadError(path, "broken record", line=number)
        yield Entity.model_validate(
            {**record, "ref": {"format": "t", "file": path.name, "record": str(number)}}
        )


def _published(path: Path) -> dt.date | None:
    stamp = path.with_suffix(".date")
    return dt.date.fromisoformat(stamp.read_text()) if stamp.exists() else None


TEST_FORMAT = ListFormat(
    name="test-jsonl",
    source=Source.UN,
    description="JSON lines, one canonical entity per line (tests only)",
    sniff=lambda head: False,
    published=_published,
    entities=_read_json_lines,
)


def _entity(entry_id: str, name: str, **extra: object) -> dict[str, object]:
    return {
        "source": "un",
        "entry_id": entry_id,
        "schema": "person",
        "names": [{"full": name}],
        **extra,
    }


def _write(
    tmp_path: Path, name: str, records: list[dict[str, object]], day: str | None
) -> ListFile:
    path = tmp_path / f"{name}.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    if day:
        path.with_suffix(".date").write_text(day)
    return ListFile(path=path, format=TEST_FORMAT, published=_published(path))


def test_empty_database_is_migrated_on_first_use(db_url: str) -> None:
    store = ListStore(db_url)
    assert current_revision(store.engine) == head_revision(store.engine) == "0005"
    assert store.versions() == []


def test_load_creates_a_version_with_counts_and_child_rows(db_url: str, tmp_path: Path) -> None:
    store = ListStore(db_url)
    listed = _write(
        tmp_path,
        "v1",
        [
            _entity(
                "1",
                "Ivan PETROV",
                names=[{"full": "Ivan PETROV"}, {"full": "Ivan Petrov", "kind": "weak_alias"}],
                identifiers=[{"type": "passport", "value": "123", "country": "RU"}],
                programs=["RUSSIA"],
                birth_dates=[{"precision": "year", "year": 1960}],
            ),
            _entity("2", "ACME LLC", schema="organization"),
        ],
        "2026-01-10",
    )
    result = store.load(listed)
    assert result.status == "loaded" and result.active
    version = result.version
    assert (version.source, version.entity_count, version.published_on) == (
        Source.UN,
        2,
        dt.date(2026, 1, 10),
    )
    assert version.published_from == "file"
    assert version.counts["by_schema"] == {
        "person": 1,
        "organization": 1,
        "vessel": 0,
        "aircraft": 0,
    }
    assert version.counts["names_by_kind"] == {"primary": 2, "weak_alias": 1}
    with Session(store.engine) as session:
        assert session.scalar(select(func.count()).select_from(EntityName)) == 3
        identifier = session.scalars(select(EntityIdentifier)).one()
        assert (identifier.type, identifier.value, identifier.country) == ("passport", "123", "RU")
    stored = list(store.entities(version.id))
    assert [e.entry_id for e in stored] == ["1", "2"]
    assert stored[0].names[1].kind.value == "weak_alias"


def test_loading_identical_content_again_changes_nothing(db_url: str, tmp_path: Path) -> None:
    store = ListStore(db_url)
    listed = _write(tmp_path, "v1", [_entity("1", "A B")], "2026-01-10")
    first = store.load(listed)
    again = store.load(_write(tmp_path, "v1", [_entity("1", "A B")], "2026-01-10"))
    assert again.status == "unchanged"
    assert again.version.id == first.version.id
    assert len(store.versions()) == 1


def test_newest_publication_is_active_and_older_versions_stay(db_url: str, tmp_path: Path) -> None:
    store = ListStore(db_url)
    newer = store.load(_write(tmp_path, "new", [_entity("1", "A B")], "2026-02-01"))
    older = store.load(_write(tmp_path, "old", [_entity("1", "A C")], "2025-12-01"))
    assert newer.active and not older.active
    assert store.active_version("un").id == newer.version.id  # type: ignore[union-attr]
    assert [v.id for v in store.versions("un")] == [newer.version.id, older.version.id]
    assert [e.names[0].full for e in store.entities(older.version.id)] == ["A C"]


def test_a_file_failing_half_way_stores_nothing(db_url: str, tmp_path: Path) -> None:
    store = ListStore(db_url)
    records = [_entity(str(i), f"Name {i}") for i in range(1, 2500)]
    records.append({"broken": True})
    with pytest.raises(ListReadError, match="broken record"):
        store.load(_write(tmp_path, "bad", records, "2026-01-01"))
    with Session(store.engine) as session:
        assert session.scalar(select(func.count()).select_from(ListVersion)) == 0
        assert session.scalar(select(func.count()).select_from(StoredEntity)) == 0


def test_duplicate_entry_ids_are_refused(db_url: str, tmp_path: Path) -> None:
    store = ListStore(db_url)
    with pytest.raises(ListReadError, match=r"record 7\).*twice"):
        store.load(_write(tmp_path, "dup", [_entity("7", "A"), _entity("7", "B")], "2026-01-01"))
    assert store.versions() == []


def test_file_without_a_date_uses_the_given_or_load_date(db_url: str, tmp_path: Path) -> None:
    store = ListStore(db_url)
    given = store.load(
        _write(tmp_path, "a", [_entity("1", "A")], None),
        published_on=dt.date(2024, 5, 3),
        published_from="http",
    )
    assert (given.version.published_on, given.version.published_from) == (
        dt.date(2024, 5, 3),
        "http",
    )
    fallback = store.load(_write(tmp_path, "b", [_entity("1", "B")], None))
    assert fallback.version.published_from == "load"
    assert fallback.version.published_on == dt.datetime.now(dt.UTC).date()


def test_diff_reports_added_removed_and_field_changes_ignoring_order(
    db_url: str, tmp_path: Path
) -> None:
    store = ListStore(db_url)
    ids = [{"type": "passport", "value": "P1"}, {"type": "national_id", "value": "N1"}]
    old = store.load(
        _write(
            tmp_path,
            "old",
            [
                _entity("1", "Kept Same", identifiers=ids),
                _entity("2", "Gone Away"),
                _entity("3", "Will Change", programs=["A"]),
            ],
            "2026-01-01",
        )
    )
    new = store.load(
        _write(
            tmp_path,
            "new",
            [
                _entity("1", "Kept Same", identifiers=list(reversed(ids))),  # re-ordered only
                _entity("3", "Will Change", programs=["A", "B"], gender="male"),
                _entity("4", "Newly Listed"),
            ],
            "2026-02-01",
        )
    )
    result = diff_versions(store, "un")
    assert (result.from_version.id, result.to_version.id) == (old.version.id, new.version.id)
    assert (result.added, result.removed, result.changed) == (["4"], ["2"], ["3"])
    changes = {c.field: c for c in result.details[0].changes}
    assert set(changes) == {"programs", "gender"}
    assert changes["programs"].added == ["B"] and changes["programs"].removed == []
    assert (changes["gender"].old, changes["gender"].new) == (None, "male")
    assert result.added_names == {"4": "Newly Listed"}


def _load_in_process(db_url: str, path: str) -> str:
    listed = ListFile(path=Path(path), format=TEST_FORMAT, published=_published(Path(path)))
    return ListStore(db_url).load(listed).status


def test_two_processes_loading_at_once_do_not_corrupt_the_store(
    db_url: str, tmp_path: Path
) -> None:
    import multiprocessing

    ListStore(db_url)  # migrate once, as `coalition db upgrade` would
    records = [_entity(str(i), f"Person {i}") for i in range(1, 3001)]
    same = _write(tmp_path, "same", records, "2026-03-01").path
    other = _write(tmp_path, "other", records[:-1], "2026-03-02").path
    context = multiprocessing.get_context("spawn")
    with context.Pool(3) as pool:
        statuses = pool.starmap(
            _load_in_process, [(db_url, str(same)), (db_url, str(same)), (db_url, str(other))]
        )
    assert sorted(statuses) == ["loaded", "loaded", "unchanged"]
    store = ListStore(db_url)
    versions = store.versions("un")
    assert sorted(v.entity_count for v in versions) == [2999, 3000]
    for version in versions:
        assert sum(1 for _ in store.entities(version.id)) == version.entity_count


def test_migrations_head_constant_matches_the_revision_scripts(tmp_path: Path) -> None:
    import migrations
    from screening.store.database import make_engine

    assert head_revision(make_engine(f"sqlite:///{tmp_path / 'h.db'}")) == migrations.HEAD


def test_alert_decisions_are_append_only_in_the_database(db_url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    store = ListStore(db_url)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with store.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO screenings (kind, query, list_versions, decision, result, "
                "created_at, requested_by) VALUES ('name', '{}', '[]', 'review', '{}', :t, 'test')"
            ),
            {"t": now},
        )
        connection.execute(
            text(
                "INSERT INTO alerts (screening_id, source, entry_id, entity_fingerprint, "
                "version_id, score, decision, hit, created_at) "
                "VALUES (1, 'un', '1', 'f', 1, 0.8, 'review', '{}', :t)"
            ),
            {"t": now},
        )
        connection.execute(
            text(
                "INSERT INTO alert_decisions (alert_id, disposition, reason, analyst, decided_at) "
                "VALUES (1, 'false_positive', 'other person', 'ana', :t)"
            ),
            {"t": now},
        )
    for statement in ("UPDATE alert_decisions SET reason = 'x'", "DELETE FROM alert_decisions"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
            connection.execute(text(statement))
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT reason FROM alert_decisions")).scalar() == (
            "other person"
        )


def test_migrations_downgrade_and_upgrade_again(db_url: str) -> None:
    from alembic import command

    from screening.store.database import alembic_config

    store = ListStore(db_url)
    config = alembic_config(store.engine)
    command.downgrade(config, "base")
    assert current_revision(store.engine) is None
    command.upgrade(config, "head")
    assert current_revision(store.engine) == "0005"
