"""A canonical form of an entity, so that two publications can be compared fairly.

Authorities re-order child records between publications without changing them (OFAC re-orders
``<id>`` children almost daily). Collections are therefore compared as sets: the canonical
document sorts every list, and the record locator (line number) is left out.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from lists.model import Entity

# Where the entity sits in the file is not part of what the authority says about it.
_NOT_CONTENT = {"ref"}


def canonical_document(entity: Entity) -> dict[str, Any]:
    document = entity.model_dump(mode="json", by_alias=True, exclude=_NOT_CONTENT)
    for key, value in document.items():
        if isinstance(value, list):
            document[key] = sorted(value, key=_sort_key)
    return document


def fingerprint(document: dict[str, Any]) -> str:
    canonical = {k: v for k, v in document.items() if k not in _NOT_CONTENT}
    for key, value in canonical.items():
        if isinstance(value, list):
            canonical[key] = sorted(value, key=_sort_key)
    payload = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def item_key(item: Any) -> str:
    """A stable text form of one collection item, for set comparison."""
    return _sort_key(item)


def _sort_key(item: Any) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
