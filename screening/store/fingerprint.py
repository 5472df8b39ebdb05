"""A canonical form of an entity, so that two publications can be compared fairly.

Authorities re-order child records between publications without changing them (OFAC re-orders
``<id>`` children almost daily). Collections are therefore compared as sets: the canonical
document sorts every list, and the record locator (line number) is left out.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

# Where the entity sits in the file is not part of what the authority says about it.
_NOT_CONTENT = {"ref"}


def canonical_document(document: dict[str, Any]) -> dict[str, Any]:
    """An entity's JSON document without its record locator and with every list sorted.

    Returns a new dict: the stored document keeps the authority's order.
    """
    return {
        key: sorted(value, key=item_key) if isinstance(value, list) else value
        for key, value in document.items()
        if key not in _NOT_CONTENT
    }


def fingerprint(canonical: dict[str, Any]) -> str:
    """SHA-256 of a canonical document (see `canonical_document`)."""
    payload = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def item_key(item: Any) -> str:
    """A stable text form of one collection item, for sorting and set comparison."""
    return json.dumps(item, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
