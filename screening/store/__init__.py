"""The versioned list store (SQLAlchemy; SQLite by default, PostgreSQL supported)."""

from screening.store.diff import EntityChange, FieldChange, ListDiff, diff_versions
from screening.store.store import (
    ListStore,
    LoadResult,
    ShrinkRefused,
    SourceStatus,
    VersionInfo,
)

__all__ = [
    "EntityChange",
    "FieldChange",
    "ListDiff",
    "ListStore",
    "LoadResult",
    "ShrinkRefused",
    "SourceStatus",
    "VersionInfo",
    "diff_versions",
]
