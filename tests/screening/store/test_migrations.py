"""Migrations on stores written by earlier revisions, and the migrated schema against the ORM.

Migration 0003 (one active version per dataset) on a store written before datasets existed.

A 0002 store holds OFAC's SDN and non-SDN lists as one version when they were loaded together
from one CSV directory. After the upgrade each list is a version of its own dataset, no entity
is lost, every document names its dataset, and both versions are active.
"""

from __future__ import annotations

import datetime as dt
import json

from alembic import command
from sqlalchemy import create_engine, text

from lists.model import Entity
from migrations import HEAD
from screening.store import ListStore
from screening.store.database import alembic_config, current_revision


def _document(entry_id: str, file_name: str, source: str = "ofac") -> dict[str, object]:
    entity = Entity.model_validate(
        {
            "source": "un",  # validated as a single-list source, then re-labelled as 0002 had it
            "entry_id": entry_id,
            "schema": "organization",
            "names": [{"full": f"PARTY {entry_id}"}],
            "ref": {"format": "ofac-legacy-csv", "file": file_name, "record": entry_id},
        }
    )
    document = entity.model_dump(mode="json", by_alias=True)
    document["source"] = source
    del document["dataset"]  # 0002 documents had no dataset
    return document


def test_0003_splits_a_mixed_ofac_version_and_keeps_every_entity(db_url: str) -> None:
    engine = create_engine(db_url)
    config = alembic_config(engine)
    command.upgrade(config, "0002")
    now = dt.datetime(2026, 1, 2, tzinfo=dt.UTC).isoformat()
    rows = [("1", "sdn.csv"), ("2", "sdn.csv"), ("3", "sdn.csv"), ("9", "cons_prim.csv")]
    with engine.begin() as connection:
        ids = {}
        for source, fmt in (("ofac", "ofac-legacy-csv"), ("un", "un-xml")):
            ids[source] = connection.execute(
                text(
                    "INSERT INTO list_versions (source, format, file_name, sha256, "
                    "published_on, published_from, loaded_at, entity_count, counts, warnings) "
                    "VALUES (:source, :format, 'f', :sha, '2026-01-01', 'file', :now, "
                    ":count, '{}', '[]') RETURNING id"
                ),
                {
                    "source": source,
                    "format": fmt,
                    "sha": "ab" * 32,  # the same hash for both: the old unique key is per source
                    "now": now,
                    "count": 4 if source == "ofac" else 1,
                },
            ).scalar_one()
        entities = [(ids["ofac"], entry, name, "ofac") for entry, name in rows]
        entities.append((ids["un"], "7", "un", "un"))
        for version_id, entry, file_name, source in entities:
            connection.execute(
                text(
                    "INSERT INTO entities (version_id, entry_id, schema, primary_name, "
                    "fingerprint, document) VALUES (:v, :e, 'organization', :n, 'f', :d)"
                ),
                {
                    "v": version_id,
                    "e": entry,
                    "n": f"PARTY {entry}",
                    "d": json.dumps(_document(entry, file_name, source)),
                },
            )
    command.upgrade(config, "head")
    assert current_revision(engine) == HEAD
    engine.dispose()

    store = ListStore(db_url)
    versions = {v.dataset: v for v in store.versions()}
    assert set(versions) == {"ofac_sdn", "ofac_consolidated", "un_sc"}
    # The larger part keeps the original id, so screenings that cite version 1 stay true.
    assert versions["ofac_sdn"].id == ids["ofac"] and versions["ofac_sdn"].entity_count == 3
    assert versions["ofac_consolidated"].entity_count == 1
    assert versions["ofac_consolidated"].sha256 == versions["ofac_sdn"].sha256
    assert f"split from version {ids['ofac']}" in versions["ofac_consolidated"].warnings[-1]
    sdn = [e.entry_id for e in store.entities(versions["ofac_sdn"].id)]
    non_sdn = list(store.entities(versions["ofac_consolidated"].id))
    assert sdn == ["1", "2", "3"]
    assert [(e.entry_id, e.dataset) for e in non_sdn] == [("9", "ofac_consolidated")]
    assert {v.dataset for v in store.active_versions()} == set(versions)


def test_the_migrated_schema_is_the_orm_metadata(db_url: str) -> None:
    """Upgraded to the head, the database has every table, column, index and constraint the
    ORM declares, and nothing else (Alembic's autogenerate comparison finds no difference)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from screening.store.schema import Base
    from screening.workflow import schema as _workflow_tables  # noqa: F401  (their metadata)

    engine = create_engine(db_url)
    command.upgrade(alembic_config(engine), "head")
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_0005_keeps_earlier_decisions_final(db_url: str) -> None:
    """A decision recorded before four-eyes existed took effect when it was made."""
    engine = create_engine(db_url)
    config = alembic_config(engine)
    command.upgrade(config, "0004")
    now = dt.datetime(2026, 1, 2)
    # One alert with one decision, as a 0004 store holds them (no needs_approval column).
    rows: dict[str, dict[str, object]] = {
        "screenings": {"kind": "name", "query": "{}", "list_versions": "[]", "decision": "review",
                       "result": "{}", "created_at": now, "requested_by": "t"},
        "alerts": {"screening_id": 1, "source": "un", "entry_id": "1", "entity_fingerprint": "f",
                   "version_id": 1, "score": 0.8, "decision": "review", "hit": "{}",
                   "created_at": now},
        "alert_decisions": {"alert_id": 1, "disposition": "false_positive",
                            "reason": "other person", "analyst": "ana", "decided_at": now},
    }  # fmt: skip
    with engine.begin() as connection:
        for table, values in rows.items():
            columns = ", ".join(values)
            marks = ", ".join(f":{column}" for column in values)
            connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)
    command.upgrade(config, "head")
    engine.dispose()

    from screening.workflow.recorder import AlertStatus, DecisionState, Recorder

    detail = Recorder(ListStore(db_url)).alert(1)
    assert detail is not None and detail.status is AlertStatus.DECIDED
    assert [(d.analyst, d.state) for d in detail.decisions] == [("ana", DecisionState.FINAL)]
