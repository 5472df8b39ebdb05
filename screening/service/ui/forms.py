"""The pages' form and query values, read into the library's types or refused with a message.

Browsers send every field as text, blank ones included; a value the library cannot take (a
score of "high", a page of -1) comes back to the analyst as a sentence on the same page, never
as the API's 422 JSON. A blank field means "no filter".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from math import ceil
from urllib.parse import urlencode

from screening.service.models import MAX_DB_INTEGER

PAGE_SIZE = 50
# The queue's status choices, in the order the filter offers them; "all" is no filter.
STATUS_CHOICES = ("open", "pending", "decided", "suppressed", "all")
ANY = "any"
# The queue form's fields, by the names of the contract (docs/ui.md).
QUEUE_FIELDS = ("status", "customer", "dataset", "min_score", "max_score", "min_age_days")
MAX_TEXT = 200


def positive_id(text: str) -> int | None:
    """A database id written in a URL or form: 1 to the largest integer a column holds."""
    text = text.strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 1 <= number <= MAX_DB_INTEGER else None


def optional_text(values: Mapping[str, str], field: str, label: str) -> str | None:
    """A free-text field, stripped; None when blank. No NUL (PostgreSQL refuses it)."""
    value = values.get(field, "").strip()
    if "\x00" in value or len(value) > MAX_TEXT:
        raise ValueError(f"{label}: at most {MAX_TEXT} characters, and no NUL character.")
    return value or None


def _score(values: Mapping[str, str], field: str, label: str) -> float | None:
    raw = values.get(field, "").strip()
    if not raw:
        return None
    try:
        score = float(raw)
    except ValueError:
        raise ValueError(f"{label}: {raw!r} is not a number between 0 and 1.") from None
    if not 0 <= score <= 1:
        raise ValueError(f"{label}: {raw!r} is not a number between 0 and 1.")
    return score


def _whole(values: Mapping[str, str], field: str, label: str, lowest: int) -> int | None:
    raw = values.get(field, "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or int(raw) < lowest or len(raw) > 9:
        raise ValueError(f"{label}: {raw!r} is not a whole number of at least {lowest}.")
    return int(raw)


@dataclass(frozen=True)
class QueueFilter:
    """The queue's filters as the library takes them, and the page asked for."""

    status: str
    customer: str | None
    dataset: str | None
    min_score: float | None
    max_score: float | None
    min_age_days: int | None
    page: int

    @classmethod
    def parse(cls, values: Mapping[str, str], datasets: list[str]) -> QueueFilter:
        """The filters of the query string; ValueError with a sentence for a bad value."""
        status = values.get("status", "").strip() or "open"
        if status not in STATUS_CHOICES:
            raise ValueError(f"Status: {status!r} is not one of {', '.join(STATUS_CHOICES)}.")
        dataset = values.get("dataset", "").strip() or ANY
        if dataset != ANY and dataset not in datasets:
            raise ValueError(f"Dataset: {dataset!r} is not a loaded list.")
        minimum = _score(values, "min_score", "Minimum score")
        maximum = _score(values, "max_score", "Maximum score")
        if minimum is not None and maximum is not None and minimum > maximum:
            raise ValueError("Minimum score is above the maximum score.")
        return cls(
            status=status,
            customer=optional_text(values, "customer", "Customer"),
            dataset=None if dataset == ANY else dataset,
            min_score=minimum,
            max_score=maximum,
            min_age_days=_whole(values, "min_age_days", "Older than (days)", 0),
            page=_whole(values, "page", "Page", 1) or 1,
        )

    def library_filters(self, now: dt.datetime) -> dict[str, object]:
        """The `AlertQueue` keywords for every filter but status and paging."""
        created_before = None
        if self.min_age_days is not None:
            created_before = now - dt.timedelta(days=self.min_age_days)
        return {
            "customer_ref": self.customer,
            "dataset": self.dataset,
            "min_score": self.min_score,
            "max_score": self.max_score,
            "created_before": created_before,
        }

    def query(self, page: int) -> str:
        """The query string of this filter at `page` (the paging links)."""
        shown: dict[str, object] = {
            "status": self.status,
            "customer": self.customer,
            "dataset": self.dataset,
            "min_score": self.min_score,
            "max_score": self.max_score,
            "min_age_days": self.min_age_days,
            "page": page,
        }
        return urlencode({k: v for k, v in shown.items() if v is not None})


def page_count(total: int) -> int:
    """Pages of `PAGE_SIZE` alerts; one (empty) page when there are none."""
    return max(1, ceil(total / PAGE_SIZE))


def optional_version(values: Mapping[str, str], field: str, label: str) -> int | None:
    """A list version id, or None when blank (the diff's default)."""
    raw = values.get(field, "").strip()
    if not raw:
        return None
    number = positive_id(raw)
    if number is None:
        raise ValueError(f"{label}: {raw!r} is not a version number.")
    return number
