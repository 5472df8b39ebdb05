"""``GET /lists/status`` and ``GET /lists/versions``: what the store holds, read-only."""

from __future__ import annotations

from fastapi import APIRouter

from lists.model import Source
from screening.service.deps import Caller, StoreDep
from screening.service.errors import problems
from screening.store import SourceStatus, VersionInfo

router = APIRouter(prefix="/lists", tags=["lists"])


@router.get("/status", responses=problems(401))
def lists_status(_: Caller, store: StoreDep) -> list[SourceStatus]:
    """Per source: the active version, how many versions are stored, and staleness."""
    return store.status()


@router.get("/versions", responses=problems(401, 422))
def lists_versions(_: Caller, store: StoreDep, source: Source | None = None) -> list[VersionInfo]:
    """Stored versions, newest publication first."""
    return store.versions(source)
