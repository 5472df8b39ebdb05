"""The versioned list store (SQLAlchemy; SQLite by default, PostgreSQL supported)."""

from screening.store.diff import EntityChange, FieldChange, ListDiff, diff_versions
from screening.store.store import ListStore, LoadResult, SourceStatus, VersionInfo

__all__ = [
    "EntityChange",
    "FieldChange",
    "ListDiff",
    "ListStore",
    "LoadResult",
    "SourceStatus",
    "VersionInfo",
    "diff_versions",
]
