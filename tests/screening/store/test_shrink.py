"""A file that would make many entries of an active version disappear is refused.

A list cut in half (a partial download re-saved, an export of one regime, a truncated CSV cut at
a row boundary) reads like a complete file. Activated, it would make screening miss the other
half without a word. `ListStore.load` refuses it (`ShrinkRefused`, nothing stored) when more
than 10 % of the replaced active version's entry ids (and at least 10 of them) are not in the
file, unless ``allow_shrink``; `coalition lists load` and `lists update` pass --allow-shrink.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import cli
from lists import open_list
from lists.base import ListFile
from lists.errors import ListReadError
from lists.sources import select_feeds
from screening.store import ListStore
from screening.store.schema import ListVersion, StoredEntity
from screening.store.store import ShrinkRefused
from screening.store.update import UpdateOptions, update_feeds
from tests.screening.store.test_store import _entity, _write

UK_CSV = "uk/derived/ConList.csv"
UN_XML = "un/consolidated.xml"


def _rows(store: ListStore) -> tuple[int, int]:
    """(versions, entities) stored."""
    with Session(store.engine) as session:
        versions = session.scalar(select(func.count()).select_from(ListVersion))
        entities = session.scalar(select(func.count()).select_from(StoredEntity))
    return versions or 0, entities or 0


def _first_half_of_uk_csv(shared_lists: Path, target: Path) -> tuple[int, int]:
    """Write the first half of the OFSI CSV's lines, cut after a whole record.

    Returns (Group IDs in the full file, Group IDs in the half), counted with the csv module
    (the Group ID is the last column; one entity per Group ID), independently of the reader.
    """
    lines = (shared_lists / UK_CSV).read_bytes().splitlines(keepends=True)
    reader = csv.reader(line.decode("utf-8") for line in lines)
    records = [(row, reader.line_num) for row in reader]
    cut = next(index for index, (_, end) in enumerate(records) if end >= len(lines) // 2)
    target.write_bytes(b"".join(lines[: records[cut][1]]))
    # Rows 1 and 2 are the "Last Updated" line and the header.
    full = {row[-1] for row, _ in records[2:]}
    half = {row[-1] for row, _ in records[2 : cut + 1]}
    assert half < full
    return len(full), len(half)


def test_half_of_the_uk_list_is_refused_and_nothing_stored(
    db_url: str, tmp_path: Path, shared_lists: Path
) -> None:
    half = tmp_path / "ConList.csv"
    full_count, half_count = _first_half_of_uk_csv(shared_lists, half)
    assert (full_count, half_count) == (4688, 2354)
    assert len(list(open_list(half).entities())) == half_count  # read as a complete file
    store = ListStore(db_url)
    active = store.load(open_list(shared_lists / UK_CSV)).version
    assert active.entity_count == full_count

    with pytest.raises(ShrinkRefused) as caught:
        store.load(open_list(half))
    assert isinstance(caught.value, ListReadError)
    assert str(caught.value) == (
        f"{half}: uk_ofsi: this file has 2,354 entities, the active version 4,688: 2,334 (50 %) "
        "would disappear; load with --allow-shrink if the list really shrank"
    )
    assert (caught.value.entities, caught.value.active_entities) == (half_count, full_count)
    assert caught.value.gone == full_count - half_count  # the half holds no new Group ID
    assert _rows(store) == (1, full_count)
    assert [v.id for v in store.active_versions()] == [active.id]

    result = store.load(open_list(half), allow_shrink=True)
    assert result.status == "loaded" and result.active
    assert result.version.entity_count == half_count
    assert result.replaced is not None and result.replaced.id == active.id
    assert _rows(store) == (2, full_count + half_count)


def _ids(tmp_path: Path, name: str, numbers: range, day: str = "2026-05-08") -> ListFile:
    """A test list (one person per id) published on `day`."""
    listed = _write(tmp_path, name, [_entity(str(n), f"Person {n}") for n in numbers], day)
    if not numbers:
        listed.path.write_bytes(b"")  # no record at all, not one empty line
    return listed


def _refused(store: ListStore, listed: ListFile) -> ShrinkRefused:
    with pytest.raises(ShrinkRefused) as caught:
        store.load(listed)
    return caught.value


def test_disappearing_entries_are_counted_by_entry_id(db_url: str, tmp_path: Path) -> None:
    store = ListStore(db_url)
    store.load(_ids(tmp_path, "v1", range(1, 101)))
    # As many entities as before, but 12 of the active ids are gone: refused all the same.
    refused = _refused(store, _ids(tmp_path, "v2", range(13, 113)))
    assert refused.message == (
        "un_sc: this file has 100 entities, the active version 100: 12 (12 %) would disappear; "
        "load with --allow-shrink if the list really shrank"
    )
    assert _rows(store) == (1, 100)
    # 10 of 100 is not more than 10 %: an ordinary publication.
    result = store.load(_ids(tmp_path, "v3", range(11, 111)))
    assert result.status == "loaded" and result.active
    assert _rows(store) == (2, 200)


@pytest.mark.parametrize(
    ("active", "kept", "refused"),
    [
        (range(1, 51), range(11, 51), True),  # 10 of 50 (20 %): refused
        (range(1, 51), range(10, 51), False),  # 9 of 50 (18 %): fewer than 10 entries
        (range(1, 4), range(2, 4), False),  # 1 of 3: a small list's delisting
        (range(1, 201), range(0), True),  # an empty file replacing a list
    ],
)
def test_share_and_floor(tmp_path: Path, active: range, kept: range, refused: bool) -> None:
    store = ListStore(f"sqlite:///{tmp_path / 'store.db'}")
    store.load(_ids(tmp_path, "old", active))
    new = _ids(tmp_path, "new", kept)
    if refused:
        gone = len(set(active) - set(kept))
        assert _refused(store, new).gone == gone
        assert _rows(store) == (1, len(active))
    else:
        assert store.load(new).active


def test_an_older_publication_is_not_checked(tmp_path: Path) -> None:
    # Loading an older publication (history) does not change what screening uses.
    store = ListStore(f"sqlite:///{tmp_path / 'store.db'}")
    store.load(_ids(tmp_path, "current", range(1, 101)))
    result = store.load(_ids(tmp_path, "old", range(1, 21), day="2020-01-01"))
    assert result.status == "loaded" and not result.active


# --- the command line -----------------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_lists_load_refuses_then_accepts_with_allow_shrink(
    tmp_path: Path, shared_lists: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    half = tmp_path / "ConList.csv"
    _first_half_of_uk_csv(shared_lists, half)
    assert _cli("lists", "load", str(shared_lists / UK_CSV), "--db", db)[0] == 0
    code, output = _cli("lists", "load", str(half), "--db", db)
    assert code == 1 and "Traceback" not in output
    flat = " ".join(output.split())
    assert "2,334 (50 %) would disappear; load with --allow-shrink" in flat
    assert flat.endswith("really shrank (nothing stored)")
    assert _rows(ListStore(db)) == (1, 4688)
    code, output = _cli("lists", "load", str(half), "--allow-shrink", "--db", db)
    assert code == 0, output
    assert _rows(ListStore(db)) == (2, 4688 + 2354)


def _un_without_first_individuals(shared_lists: Path, target: Path, dropped: int) -> int:
    """The UN list with its first `dropped` INDIVIDUAL records cut out; returns the entities
    left, counted as INDIVIDUAL plus ENTITY elements in the bytes."""
    data = (shared_lists / UN_XML).read_bytes()
    blocks = list(re.finditer(rb"<INDIVIDUAL>.*?</INDIVIDUAL>\s*", data, re.S))
    target.write_bytes(data[: blocks[0].start()] + data[blocks[dropped].start() :])
    return len(blocks) - dropped + data.count(b"<ENTITY>")


def test_lists_update_passes_allow_shrink(tmp_path: Path, shared_lists: Path) -> None:
    store = ListStore(f"sqlite:///{tmp_path / 'store.db'}")
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "consolidated.xml").write_bytes((shared_lists / UN_XML).read_bytes())
    options = UpdateOptions(cache_dir=tmp_path / "cache", mirror=str(mirror))
    (first,) = update_feeds(store, select_feeds(["un"]), options)
    assert first.result is not None and first.result.version.entity_count == 1009

    left = _un_without_first_individuals(shared_lists, mirror / "consolidated.xml", 120)
    assert left == 1009 - 120
    (refused,) = update_feeds(store, select_feeds(["un"]), options)
    assert refused.result is None and refused.error is not None
    assert "this file has 889 entities, the active version 1,009: 120 (12 %)" in refused.error
    assert [v.id for v in store.active_versions()] == [first.result.version.id]

    allowed = UpdateOptions(cache_dir=tmp_path / "cache", mirror=str(mirror), allow_shrink=True)
    (accepted,) = update_feeds(store, select_feeds(["un"]), allowed)
    assert accepted.result is not None and accepted.result.active
    assert accepted.result.version.entity_count == 889
