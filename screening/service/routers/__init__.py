"""One `APIRouter` per area of the HTTP service; `screening.service.app` includes them all."""
