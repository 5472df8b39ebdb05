"""When each entry of a dataset appears in and disappears from the stored versions.

Coalition analytics dates a listing by the authority's own field when the file has one; for the
others (OFAC's legacy CSV, the CSL's SDN rows, METI ...) the best the store can say is the first
stored version that holds the entry, bounded below by the newest version before it that does
not. `entry_spans` answers that for every entry of a dataset in one grouped query;
`delisted_documents` gives the entries a later version dropped, as the last version holding
them had them.

A version's day is its `published_on` (the file's own date, or the date given at load). An entry
that is in the dataset's oldest stored version has no lower bound (`absent_on` is None): it was
listed on or before that day, and nothing more is known.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from lists.datasets import dataset_for
from screening.store.schema import ListVersion, StoredEntity
from screening.store.store import IndexDocument, ListStore


@dataclass(frozen=True)
class EntrySpan:
    """The stored versions of one dataset that hold one entry, by publication day."""

    entry_id: str
    # The first version holding the entry, and the newest version before it that does not
    # (None: the entry is in the oldest stored version, so it was listed on or before
    # `first_seen`, how long before is unknown).
    first_seen: dt.date
    absent_on: dt.date | None
    # The last version holding it, and the first version after it that does not (None: the
    # newest version still holds it). An entry dropped and listed again counts from its first
    # to its last appearance.
    last_seen: dt.date
    delisted_on: dt.date | None


def version_days(store: ListStore, dataset: str) -> list[dt.date]:
    """The publication days of a dataset's stored versions, oldest first (repeats kept)."""
    query = (
        select(ListVersion.published_on)
        .where(ListVersion.dataset == dataset)
        .order_by(ListVersion.published_on)
    )
    with Session(store.engine) as session:
        return list(session.scalars(query))


def entry_spans(store: ListStore, dataset: str) -> dict[str, EntrySpan]:
    """entry_id -> its span over the stored versions of `dataset` (one grouped query)."""
    days = sorted(set(version_days(store, dataset)))
    query = (
        select(
            StoredEntity.entry_id,
            func.min(ListVersion.published_on),
            func.max(ListVersion.published_on),
        )
        .join(ListVersion, ListVersion.id == StoredEntity.version_id)
        .where(ListVersion.dataset == dataset)
        .group_by(StoredEntity.entry_id)
    )
    spans: dict[str, EntrySpan] = {}
    with Session(store.engine) as session:
        for entry_id, first, last in session.execute(query):
            first_at = bisect.bisect_left(days, first)
            last_at = bisect.bisect_left(days, last)
            spans[entry_id] = EntrySpan(
                entry_id=entry_id,
                first_seen=first,
                absent_on=days[first_at - 1] if first_at > 0 else None,
                last_seen=last,
                delisted_on=days[last_at + 1] if last_at + 1 < len(days) else None,
            )
    return spans


def delisted_documents(store: ListStore, dataset: str) -> Iterator[IndexDocument]:
    """The entries of older versions that the newest version of `dataset` no longer holds.

    Each as the newest version holding it stored it, in entry-id order.
    """
    versions = select(ListVersion.id, ListVersion.published_on).where(
        ListVersion.dataset == dataset
    )
    with Session(store.engine) as session:
        ordered = sorted(session.execute(versions), key=lambda row: (row[1], row[0]))
        if len(ordered) < 2:
            return
        active_id = ordered[-1][0]
        active_ids = select(StoredEntity.entry_id).where(StoredEntity.version_id == active_id)
        seen: set[str] = set()
        found: list[tuple[str, str]] = []
        # Newest older version first: the first document met for an entry is its last state.
        for version_id, _ in reversed(ordered[:-1]):
            query = select(StoredEntity.entry_id, cast(StoredEntity.document, Text)).where(
                StoredEntity.version_id == version_id,
                StoredEntity.entry_id.not_in(active_ids),
            )
            for entry_id, text in session.execute(query):
                if entry_id not in seen:
                    seen.add(entry_id)
                    found.append((entry_id, text))
    for _, text in sorted(found):
        document = IndexDocument.model_validate_json(text)
        document.dataset = dataset_for(document.source, document.dataset).id
        yield document
