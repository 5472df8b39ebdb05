"""What changed between two versions of one list (dataset), field by field.

Entities are matched by the list's own entry id. An entity is "changed" only when its canonical
content differs: child collections (names, identifiers, addresses, dates...) are compared as
sets, so an authority re-ordering the children of a record is not a change.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from lists.datasets import dataset_ids
from screening.store.fingerprint import item_key
from screening.store.store import ListStore, VersionInfo

_IGNORED_FIELDS = {"ref", "entry_id", "source", "dataset"}


class FieldChange(BaseModel):
    field: str
    old: Any = None
    new: Any = None
    added: list[Any] = []
    removed: list[Any] = []


class EntityChange(BaseModel):
    entry_id: str
    name: str
    changes: list[FieldChange]


class ListDiff(BaseModel):
    source: str
    dataset: str
    from_version: VersionInfo
    to_version: VersionInfo
    added: list[str]
    removed: list[str]
    changed: list[str]
    details: list[EntityChange]
    added_names: dict[str, str]
    removed_names: dict[str, str]


class DiffError(Exception):
    """The versions asked for do not exist or do not belong together."""


def diff_versions(
    store: ListStore, selector: str, from_id: int | None = None, to_id: int | None = None
) -> ListDiff:
    """Diff two versions of one dataset; by default its active one against the one before it.

    `selector` is a dataset id, or a source that publishes one list (or whose versions the ids
    name). Versions of different datasets are never compared.
    """
    try:
        candidates = dataset_ids(selector)
    except ValueError as exc:
        raise DiffError(str(exc)) from None
    to_version = _version(store, candidates, to_id) if to_id is not None else None
    if to_version is None:
        if len(candidates) != 1:
            raise DiffError(
                f"{selector} publishes several lists: name one of {', '.join(candidates)}"
            )
        versions = store.versions(candidates[0])
        if not versions:
            raise DiffError(f"no versions of {selector} are stored")
        to_version = versions[0]
    if from_id is None:
        scheme = _id_scheme(to_version.format)
        older = [
            v
            for v in store.versions(to_version.dataset)
            if _order(v) < _order(to_version) and _id_scheme(v.format) == scheme
        ]
        if not older:
            raise DiffError(
                f"{to_version.dataset} version {to_version.id} has no earlier version to "
                "compare with"
            )
        from_version = older[0]
    else:
        from_version = _version(store, candidates, from_id)
    if from_version.dataset != to_version.dataset:
        raise DiffError(
            f"version {from_version.id} ({from_version.dataset}) and version {to_version.id} "
            f"({to_version.dataset}) are versions of different lists; compare versions of the "
            "same list"
        )
    _check_comparable(from_version, to_version)
    old = store.fingerprints(from_version.id)
    new = store.fingerprints(to_version.id)
    added = sorted(set(new) - set(old), key=_entry_order)
    removed = sorted(set(old) - set(new), key=_entry_order)
    changed = sorted((k for k in set(old) & set(new) if old[k][0] != new[k][0]), key=_entry_order)
    details = [
        EntityChange(
            entry_id=key,
            name=_name(new[key][1]),
            changes=field_changes(old[key][1], new[key][1]),
        )
        for key in changed
    ]
    return ListDiff(
        source=to_version.source.value,
        dataset=to_version.dataset,
        from_version=from_version,
        to_version=to_version,
        added=added,
        removed=removed,
        changed=changed,
        details=details,
        added_names={k: _name(new[k][1]) for k in added},
        removed_names={k: _name(old[k][1]) for k in removed},
    )


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """Field-by-field differences of two entity documents; lists compared as sets."""
    changes = []
    for field in sorted((set(old) | set(new)) - _IGNORED_FIELDS):
        before, after = old.get(field), new.get(field)
        if isinstance(before, list) or isinstance(after, list):
            before_items = {item_key(i): i for i in before or []}
            after_items = {item_key(i): i for i in after or []}
            added = [after_items[k] for k in sorted(set(after_items) - set(before_items))]
            removed = [before_items[k] for k in sorted(set(before_items) - set(after_items))]
            if added or removed:
                changes.append(FieldChange(field=field, added=added, removed=removed))
        elif before != after:
            changes.append(FieldChange(field=field, old=before, new=after))
    return changes


def _version(store: ListStore, datasets: list[str], version_id: int) -> VersionInfo:
    version = store.version(version_id)
    if version is None:
        raise DiffError(f"no version {version_id} is stored")
    if version.dataset not in datasets:
        raise DiffError(
            f"version {version_id} belongs to {version.dataset}, not {' or '.join(datasets)}"
        )
    return version


def _check_comparable(old: VersionInfo, new: VersionInfo) -> None:
    schemes = {v.format: _id_scheme(v.format) for v in (old, new)}
    if len(set(schemes.values())) > 1:
        raise DiffError(
            f"version {old.id} ({old.format}) and version {new.id} ({new.format}) number their "
            "entries differently (e.g. OFSI Group IDs vs UK Sanctions List ids), so a diff would "
            "report every entry as removed and added; compare versions of the same list"
        )


def _id_scheme(format_name: str) -> str:
    from lists.detect import FORMATS

    for list_format in FORMATS:
        if list_format.name == format_name:
            return list_format.entry_ids
    return format_name


def _order(version: VersionInfo) -> tuple[Any, ...]:
    return (version.published_on, version.loaded_at)


def _entry_order(entry_id: str) -> tuple[int, str]:
    # Numeric ids (OFAC, EU, UN) sort as numbers; others (UK) as text.
    return (int(entry_id), "") if entry_id.isdigit() else (1 << 62, entry_id)


def _name(document: dict[str, Any]) -> str:
    names = document.get("names") or []
    for name in names:
        if name.get("kind") == "primary":
            return str(name["full"])
    return str(names[0]["full"]) if names else ""
