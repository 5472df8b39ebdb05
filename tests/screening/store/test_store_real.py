"""The store on real published lists: loads, reloads and diffs of dated versions in shared/.

Expected numbers are measured from the files (see shared/data/lists/PROVENANCE.md, "Measured
deltas"), not from this code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from cli import main
from lists import open_list
from screening.store import ListStore, diff_versions


def _load(store: ListStore, path: Path, published: dt.date | None = None) -> int:
    result = store.load(open_list(path), published_on=published, published_from="given")
    assert result.status == "loaded"
    return result.version.id


def test_ofac_sdn_2024_02_20_to_02_23_adds_553_and_removes_none(
    db_url: str, shared_lists: Path
) -> None:
    store = ListStore(db_url)
    history = shared_lists / "ofac" / "history" / "sdn_csv"
    old = _load(store, history / "2024-02-20" / "sdn.csv", dt.date(2024, 2, 20))
    new = _load(store, history / "2024-02-23" / "sdn.csv", dt.date(2024, 2, 23))
    result = diff_versions(store, "ofac", old, new)
    assert len(result.added) == 553
    assert result.removed == []
    # PROVENANCE counts 8 rows whose CSV text changed; each is a real content change.
    assert len(result.changed) == 8
    assert store.active_version("ofac_sdn").id == new  # type: ignore[union-attr]


def test_ofac_consolidated_xml_reordered_ids_are_not_changes(
    db_url: str, shared_lists: Path
) -> None:
    store = ListStore(db_url)
    folder = shared_lists / "ofac" / "consolidated_xml"
    old = _load(store, folder / "2025-10-22" / "consolidated.xml")
    new = _load(store, folder / "2025-12-18" / "consolidated.xml")
    result = diff_versions(store, "ofac", old, new)
    assert result.added == []
    assert len(result.removed) == 1
    # 219 of the 442 common records differ in the raw XML, all by the order of their children:
    # measured with lxml, independently of the adapter (sdnEntry by uid, children sorted
    # recursively by their serialisation before comparing): 0 differ. So no entity changed.
    assert result.changed == []
    assert result.details == []


def test_un_versions_load_in_any_order_and_the_newest_is_active(
    db_url: str, shared_lists: Path
) -> None:
    store = ListStore(db_url)
    un = shared_lists / "un"
    latest = _load(store, un / "consolidated.xml")
    older = _load(store, un / "history" / "2026-02-27" / "consolidated.xml")
    active = store.active_version("un")
    assert active is not None and active.id == latest != older
    assert active.published_on == dt.date(2026, 5, 8)
    result = diff_versions(store, "un", older, latest)
    # PROVENANCE: 2026-02-27 -> 2026-05-08 adds 7 and removes 1 DATAID.
    assert (len(result.added), len(result.removed)) == (7, 1)
    # The 2026-05 file adds HAS_INTERPOL_LINK and INTERPOL_LINK to every record. The link is
    # read into Entity.links, which the fingerprint leaves out, so only real content changes
    # count. Measured with lxml, independently of the adapter: drop those two elements from
    # every INDIVIDUAL/ENTITY of both files, serialise each record (etree.tostring, tail
    # removed) and compare by DATAID: 138 of the common records differ. (PROVENANCE's note
    # says 141 for the same comparison; that count could not be reproduced. Before the link
    # was left out of the fingerprint this diff reported 167.)
    assert len(result.changed) == 138
    assert len(result.details) == 138
    assert all(entity.changes for entity in result.details), "a change names its fields"
    changed_fields = {change.field for entity in result.details for change in entity.changes}
    assert "remarks" in changed_fields  # mostly COMMENTS1, as PROVENANCE says


def test_cli_load_status_diff_round_trip(tmp_path: Path, shared_lists: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    history = shared_lists / "ofac" / "history" / "sdn_csv"
    first = runner.invoke(
        main,
        [
            "lists",
            "load",
            "--db",
            db,
            "--published",
            "2024-05-02",
            str(history / "2024-05-02" / "sdn.csv"),
        ],
    )
    assert first.exit_code == 0, first.output
    assert "loaded ofac_sdn version 1: 14973 entities, published 2024-05-02 (given)" in first.output
    second = runner.invoke(
        main,
        [
            "lists",
            "load",
            "--db",
            db,
            "--published",
            "2024-05-03",
            str(shared_lists / "ofac" / "sdn.csv"),
        ],
    )
    assert second.exit_code == 0, second.output
    again = runner.invoke(
        main, ["lists", "load", "--db", db, str(shared_lists / "ofac" / "sdn.csv")]
    )
    assert again.exit_code == 0 and "unchanged" in again.output
    diff = runner.invoke(main, ["lists", "diff", "ofac_sdn", "--db", db, "--json"])
    assert diff.exit_code == 0, diff.output
    import json

    payload = json.loads(diff.output)
    # PROVENANCE: 2024-05-02 -> 2024-05-03 removes 8 entries, adds and changes none.
    assert (len(payload["added"]), len(payload["removed"]), len(payload["changed"])) == (0, 8, 0)
    status = runner.invoke(main, ["lists", "status", "--db", db, "--json"])
    assert status.exit_code == 0
    rows = {(s["source"], s["dataset"]): s for s in json.loads(status.stdout)["sources"]}
    assert rows["ofac", "ofac_sdn"]["active"]["entity_count"] == 14965
    assert rows["ofac", "ofac_sdn"]["versions"] == 2
    # Nothing of the UK is loaded: one line for the source, no dataset.
    assert rows["uk", None]["active"] is None


def test_uk_ofsi_and_fcdo_versions_are_not_diffed_against_each_other(
    db_url: str, shared_lists: Path
) -> None:
    from screening.store.diff import DiffError

    store = ListStore(db_url)
    ofsi = _load(store, shared_lists / "uk" / "derived" / "ConList.csv")
    fcdo = _load(store, shared_lists / "uk" / "fixtures" / "GSmiguel" / "sample_uk_sanctions.xml")
    import pytest

    with pytest.raises(DiffError, match="versions of different lists"):
        diff_versions(store, "uk", ofsi, fcdo)


def test_sdn_and_non_sdn_files_are_both_active_in_any_order(
    tmp_path: Path, shared_lists: Path
) -> None:
    """OFAC's two lists are two datasets: loading one never deactivates the other."""
    import json

    sdn = str(shared_lists / "ofac" / "sdn.csv")
    non_sdn = str(shared_lists / "ofac" / "consolidated_csv_2025-12")
    runner = CliRunner()
    for order in ((sdn, non_sdn), (non_sdn, sdn)):
        db = f"sqlite:///{tmp_path / f'order{len(order[0])}.db'}"
        for path in order:
            loaded = runner.invoke(main, ["lists", "load", "--db", db, path])
            assert loaded.exit_code == 0, loaded.output
            assert "warning:" not in loaded.output
        store = ListStore(db)
        active = {v.dataset: v.entity_count for v in store.active_versions()}
        # 14,965 SDN entries (counted in test_legacy_csv); 442 non-SDN (PROVENANCE).
        assert active == {"ofac_sdn": 14965, "ofac_consolidated": 442}
        status = runner.invoke(main, ["lists", "status", "--db", db, "--json"])
        rows = json.loads(status.stdout)["sources"]
        assert {r["dataset"] for r in rows if r["source"] == "ofac"} == {
            "ofac_sdn",
            "ofac_consolidated",
        }
