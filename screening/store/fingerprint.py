"""A canonical form of an entity, so that two publications can be compared fairly.

Authorities re-order child records between publications without changing them (OFAC re-orders
``<id>`` children almost daily). Collections are therefore compared as sets: the canonical
document sorts every list, and what is not content (`NOT_CONTENT`: the record locator, the
authority's web links, the dataset the entry belongs to) is left out.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

# Not part of what the authority says about the party: where the entity sits in the file
# (``ref``), the web pages the authority points to (``links``) and which of the source's lists
# holds it (``dataset``: a property of the version, added to documents by migration 0003, so
# that entries stored before it keep their fingerprints). The UN added an INTERPOL link element
# to every record in May 2026; counting it would report 167 changed entries between 2026-02-27
# and 2026-05-08 instead of the 138 whose content changed (tests/screening/store).
NOT_CONTENT = frozenset({"ref", "links", "dataset"})


def canonical_document(document: dict[str, Any]) -> dict[str, Any]:
    """An entity's JSON document without its record locator and with every list sorted.

    Returns a new dict: the stored document keeps the authority's order.
    """
    return {
        key: sorted(value, key=item_key) if isinstance(value, list) else value
        for key, value in document.items()
        if key not in NOT_CONTENT
    }


def fingerprint(canonical: dict[str, Any]) -> str:
    """SHA-256 of a canonical document (see `canonical_document`)."""
    payload = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def item_key(item: Any) -> str:
    """A stable text form of one collection item, for sorting and set comparison."""
    return json.dumps(item, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
