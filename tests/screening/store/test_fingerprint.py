"""The content fingerprint (`screening.store.fingerprint`): what counts as a change of an entry."""

from __future__ import annotations

from typing import Any

from screening.store.fingerprint import canonical_document, fingerprint


def _document(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "source": "un",
        "entry_id": "6908399",
        "names": [{"full": "B", "kind": "alias"}, {"full": "A", "kind": "primary"}],
        "remarks": ["Listed pursuant to resolution 2253"],
        "links": [],
        "ref": {"format": "un-xml", "file": "consolidated.xml", "record": "DATAID 1, line 10"},
    }
    document.update(changes)
    return document


def _print(document: dict[str, Any]) -> str:
    return fingerprint(canonical_document(document))


def test_links_and_record_locator_are_not_content() -> None:
    base = _print(_document())
    interpol = "https://www.interpol.int/en/How-we-work/Notices/View-UN-Notices-Individuals"
    assert _print(_document(links=[interpol])) == base
    assert _print(_document(ref={"format": "un-xml", "file": "x.xml", "record": "9"})) == base
    # Documents stored before the field existed have no "links" key: same fingerprint.
    old = _document()
    del old["links"]
    assert _print(old) == base


def test_order_of_collections_is_not_content_but_their_items_are() -> None:
    base = _print(_document())
    reordered = _document(names=[{"full": "A", "kind": "primary"}, {"full": "B", "kind": "alias"}])
    assert _print(reordered) == base
    assert _print(_document(remarks=["Listed pursuant to resolution 2254"])) != base
