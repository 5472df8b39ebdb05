"""``GET /health`` and ``GET /algorithm``: the service itself, answered without an API key.

``/health`` is liveness and the list versions in use; ``/algorithm`` is the scoring algorithm's
documentation in Markdown, generated from the matcher's declared features (the same text as
``docs/matching.md``), public like the OpenAPI document: it describes the method, not any data.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from screening.matching.algorithm import describe
from screening.service.deps import ServiceDep
from screening.service.models import Health

router = APIRouter(tags=["service"])

MARKDOWN = "text/markdown; charset=utf-8"


@router.get("/health")
def health(service: ServiceDep) -> Health:
    """Liveness and the list versions in use (no key needed)."""
    screener = service.screener
    return Health(
        refresh_error=service.refresher.last_error,
        status="ok",
        index_loaded=bool(screener.versions),
        lists=[
            {"source": v.source, "version_id": v.id, "published_on": v.published_on}
            for v in screener.versions
        ],
    )


@router.get(
    "/algorithm",
    response_class=Response,
    responses={200: {"content": {"text/markdown": {}}, "description": "Markdown"}},
)
def algorithm() -> Response:
    """How a hit is scored: each declared feature, its weight and what it explains (Markdown)."""
    return Response(describe(), media_type=MARKDOWN)
