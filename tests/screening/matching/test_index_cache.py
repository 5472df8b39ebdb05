"""The persisted name index answers only for the versions it was built from.

A database deleted and created again (or restored from a backup) numbers its versions from 1
again: an index cached under the database URL and the version ids would answer for the lists
that were loaded before. The cache key is what the versions are (id, dataset, sha256, load
time), and a loaded index must record exactly the active versions, else it is rebuilt.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from lists import open_list
from lists.model import Source
from screening import Decision, Screener
from screening.matching import index as index_module
from screening.matching.index import NameIndex, identities, index_path, version_key
from screening.store import ListStore, VersionInfo

UN = "un/consolidated.xml"
UN_SAMPLE = "un/fixtures/GSmiguel/sample_un_consolidated.xml"
# OFAC's non-SDN lists (dataset ofac_consolidated): 442 entities, another source than UN.
OTHER_LIST = "ofac/consolidated_xml/2026-01-08/consolidated.xml"
# On the UN list (entry 6908489); `grep -ic chataev` finds nothing in the OFAC file.
UN_NAME = "AKHMED RAJAPOVICH CHATAEV"
UN_ENTRY = "6908489"
# OFAC entry 17014; `grep -ic "russian agricultural"` finds nothing in the UN file.
OTHER_NAME = "JOINT STOCK COMPANY RUSSIAN AGRICULTURAL BANK"
OTHER_ENTRY = "17014"


def _recreate(url: str) -> None:
    """Delete the database and create an empty one at the same URL."""
    if url.startswith("sqlite"):
        database = make_url(url).database
        assert database is not None
        Path(database).unlink()
        return
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def _assert_answers_from(screener: Screener, store: ListStore) -> None:
    active = {v.id for v in store.active_versions()}
    assert {v.id for v in screener.versions} == active
    assert {e.version_id for e in screener.index.entities} == active
    assert len(screener.index.entities) == sum(v.entity_count for v in store.active_versions())
    for name in (UN_NAME, OTHER_NAME):
        for hit in screener.screen(name).hits:
            assert hit.source is Source.OFAC and hit.list_version in active
    top = screener.screen(OTHER_NAME, type="organization").hits[0]
    assert (top.source, top.entry_id, top.score) == (Source.OFAC, OTHER_ENTRY, 1.0)


def _loaded(url: str, shared_lists: Path, relative: str) -> ListStore:
    store = ListStore(url)
    assert store.load(open_list(shared_lists / relative)).status == "loaded"
    return store


def test_recreated_database_is_screened_against_its_own_lists(
    db_url: str, tmp_path: Path, shared_lists: Path
) -> None:
    index_dir = tmp_path / "index"
    store_a = _loaded(db_url, shared_lists, UN)
    screener_a = Screener(store_a, index_dir=index_dir)
    result = screener_a.screen(UN_NAME)
    assert (result.hits[0].entry_id, result.decision) == (UN_ENTRY, Decision.MATCH)
    ids_a = [v.id for v in screener_a.versions]
    store_a.engine.dispose()

    _recreate(db_url)
    store_b = _loaded(db_url, shared_lists, OTHER_LIST)
    # The same URL and the same version ids: all the old cache key was made of.
    assert [v.id for v in store_b.active_versions()] == ids_a
    screener_b = Screener(store_b, index_dir=index_dir)
    _assert_answers_from(screener_b, store_b)
    assert len(list(index_dir.glob("*.pickle"))) == 2

    # A long-running screener (the HTTP service) notices the change on its next refresh.
    assert screener_a.refresh() is True
    _assert_answers_from(screener_a, store_b)
    assert screener_a.refresh() is False


def test_an_index_built_from_other_versions_is_rebuilt(tmp_path: Path, shared_lists: Path) -> None:
    # Even under the right file name (a copied cache, a hash collision), an index that was not
    # built from exactly the active versions is not used.
    url = f"sqlite:///{tmp_path / 'lists.db'}"
    index_dir = tmp_path / "index"
    store_a = _loaded(url, shared_lists, UN_SAMPLE)
    versions_a = store_a.active_versions()
    Screener(store_a, index_dir=index_dir)
    (file_a,) = index_dir.glob("*.pickle")
    store_a.engine.dispose()
    _recreate(url)
    store_b = _loaded(url, shared_lists, OTHER_LIST)
    planted = index_path(index_dir, store_b.active_versions())
    shutil.copyfile(file_a, planted)
    stale = NameIndex.load(planted)
    assert stale is not None and stale.built_from == identities(versions_a)

    screener = Screener(store_b, index_dir=index_dir)
    _assert_answers_from(screener, store_b)
    rebuilt = NameIndex.load(planted)
    assert rebuilt is not None and rebuilt.built_from == identities(store_b.active_versions())


def _version(
    version_id: int = 1,
    dataset: str = "un",
    sha256: str = "a" * 64,
    loaded_at: str | dt.datetime = "2026-05-08T10:00:00+00:00",
) -> VersionInfo:
    moment = dt.datetime.fromisoformat(loaded_at) if isinstance(loaded_at, str) else loaded_at
    return VersionInfo(
        id=version_id,
        source=Source.UN,
        dataset=dataset,
        format="un_xml",
        file_name="consolidated.xml",
        sha256=sha256,
        published_at=None,
        published_on=dt.date(2026, 5, 8),
        published_from="file",
        loaded_at=moment,
        entity_count=1,
        counts={},
        warnings=[],
        origin=None,
    )


def test_key_is_what_the_versions_are(monkeypatch: pytest.MonkeyPatch) -> None:
    base = [_version(1), _version(2, dataset="ofac_sdn", sha256="b" * 64)]
    key = version_key(base)
    assert version_key(list(reversed(base))) == key  # the order of the active list does not count
    assert version_key([_version(1, sha256="c" * 64), base[1]]) != key
    assert version_key([_version(1, loaded_at="2026-05-08T10:00:01+00:00"), base[1]]) != key
    assert version_key([_version(1, dataset="uk_ofsi"), base[1]]) != key
    assert version_key([_version(3), base[1]]) != key
    # SQLite gives the load time back without its zone: the same instant, the same key.
    naive = _version(1, loaded_at=dt.datetime(2026, 5, 8, 10, 0))
    assert version_key([naive, base[1]]) == key
    monkeypatch.setattr(index_module, "INDEX_FORMAT", index_module.INDEX_FORMAT + 1)
    assert version_key(base) != key


# -- the index's own layout (format 10) -----------------------------------------------------


def _all_postings(index: NameIndex) -> dict[str, list[int]]:
    return {
        key: index.posting(key)
        for keys, _slots in index.key_buckets.values()
        for key in keys.split("\n")
    }


def _same_index(a: NameIndex, b: NameIndex) -> None:
    assert a.entities == b.entities
    assert [type(e.source) for e in a.entities] == [type(e.source) for e in b.entities]
    assert a.names == b.names
    assert _all_postings(a) == _all_postings(b)
    assert a.first_letters.tolist() == b.first_letters.tolist()
    assert a.name_weights.tolist() == b.name_weights.tolist()
    assert (a.weights, a.identifiers, a.links) == (b.weights, b.identifiers, b.links)
    assert (a.unknown_weight, a.generic_below) == (b.unknown_weight, b.generic_below)


def test_the_light_read_path_indexes_like_whole_entities(db_url: str, shared_lists: Path) -> None:
    # The store reads only what the index needs (`ListStore.index_documents`, the document
    # cast to text: JSON on SQLite, JSONB on PostgreSQL); the index is the one whole entities
    # make, key for key.
    store = _loaded(db_url, shared_lists, UN)
    assert store.load(open_list(shared_lists / OTHER_LIST)).status == "loaded"
    versions = store.active_versions()
    whole = index_module.build_index(
        ((v.id, e) for v in versions for e in store.entities(v.id)), "whole"
    )
    light = index_module.build_index(
        ((v.id, d) for v in versions for d in store.index_documents(v.id)), "light"
    )
    assert len(light.entities) == sum(v.entity_count for v in versions)
    _same_index(whole, light)
    store.engine.dispose()


def test_the_persisted_index_loads_as_built(tmp_path: Path, shared_lists: Path) -> None:
    store = _loaded(f"sqlite:///{tmp_path / 'lists.db'}", shared_lists, UN)
    screener = Screener(store, index_dir=tmp_path / "index")
    built = screener.index
    path = index_path(tmp_path / "index", store.active_versions())
    loaded = NameIndex.load(path)
    assert loaded is not None
    _same_index(built, loaded)
    # The UN list: entities with birth dates, countries and identifiers survive.
    assert any(e.birth_dates for e in loaded.entities)
    assert any(e.countries for e in loaded.entities)
    assert any(e.identifiers for e in loaded.entities)
    tokens = built.names[7].tokens
    assert loaded.candidates(tokens, 20) == built.candidates(tokens, 20)


@pytest.mark.replaces_internals
def test_a_cache_file_of_the_older_layout_is_not_used(
    tmp_path: Path, shared_lists: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Format 9 pickled the index's attributes as they were (entities as tuples, one dict of
    # keys): such a file, under the name a new index would have, must not load.
    store = _loaded(f"sqlite:///{tmp_path / 'lists.db'}", shared_lists, UN_SAMPLE)
    index = Screener(store, index_dir=tmp_path / "index").index
    path = tmp_path / "old.pickle"
    monkeypatch.setattr(NameIndex, "__getstate__", lambda self: dict(self.__dict__))
    index.save(path)
    monkeypatch.undo()
    assert NameIndex.load(path) is None
    path.write_bytes(b"not a pickle")
    assert NameIndex.load(path) is None
