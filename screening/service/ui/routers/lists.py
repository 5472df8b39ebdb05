"""``/ui/lists``: which list versions are loaded, how old they are, and what changed.

The diff is the store's (`screening.store.diff.diff_versions`, as `coalition lists diff`): by
default a dataset's active version against the one before it. A full reload can change
thousands of entries; the page shows the first `DIFF_SHOWN` of each kind and says how many
more there are, pointing to the command line for the whole list.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from screening.service.deps import ServiceDep
from screening.service.ui.forms import optional_version
from screening.service.ui.pages import PageRoute, SignedInDep, render
from screening.store.diff import DiffError, diff_versions

router = APIRouter(prefix="/ui", route_class=PageRoute, include_in_schema=False)

DIFF_SHOWN = 500


@router.get("/lists")
def lists_page(request: Request, _: SignedInDep, service: ServiceDep) -> HTMLResponse:
    return render(request, "lists.html", _context(service, {}))


@router.get("/lists/diff")
def diff_page(request: Request, _: SignedInDep, service: ServiceDep) -> HTMLResponse:
    values = {
        field: request.query_params.get(field, "")
        for field in ("dataset", "from_version", "to_version")
    }
    context = _context(service, values)
    try:
        dataset = values["dataset"].strip()
        if not dataset:
            raise DiffError("Dataset: choose a list.")
        result = diff_versions(
            service.store,
            dataset,
            optional_version(values, "from_version", "From version"),
            optional_version(values, "to_version", "To version"),
        )
    except (DiffError, ValueError) as exc:
        return render(request, "lists.html", {**context, "message": str(exc)}, 400)
    return render(request, "lists.html", {**context, "diff": result, "shown": DIFF_SHOWN})


def _context(service: ServiceDep, values: dict[str, str]) -> dict[str, Any]:
    statuses = service.store.status()
    return {
        "statuses": statuses,
        "datasets": [s.dataset for s in statuses if s.dataset],
        "versions": service.store.versions(),
        "values": values,
        "diff": None,
        "shown": DIFF_SHOWN,
    }
