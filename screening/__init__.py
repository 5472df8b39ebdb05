"""Screening: matching, decisions and the coalition layer (built on `lists`).

>>> from screening import Screener
>>> Screener.open().screen("Sberbank", type="organization").decision
>>> from screening import screen_payment
>>> screen_payment(Path("pacs008.xml"))[0].decision      # ISO 20022 or SWIFT MT, by content

The names below are imported on first use (PEP 562): importing any ``screening.*`` module runs
this file first, and commands such as ``coalition hs`` must not load the database layer.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Decision": "screening.matching.results",
    "Hit": "screening.matching.results",
    "Query": "screening.matching.results",
    "ScreeningResult": "screening.matching.results",
    "Thresholds": "screening.matching.results",
    "QueryError": "screening.matching.screener",
    "Screener": "screening.matching.screener",
    # Payment messages (docs/payments.md). Not imported under TYPE_CHECKING below: the batch
    # layer sits above this package's API in the import flow (tests/test_architecture.py).
    "PaymentResult": "screening.batch.payments",
    "screen_payment": "screening.batch.payments",
}

__all__ = [
    "Decision",
    "Hit",
    "PaymentResult",
    "Query",
    "QueryError",
    "Screener",
    "ScreeningResult",
    "Thresholds",
    "screen_payment",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'screening' has no attribute {name!r}")
    return getattr(import_module(module), name)


if TYPE_CHECKING:
    from screening.matching.results import Decision, Hit, Query, ScreeningResult, Thresholds
    from screening.matching.screener import QueryError, Screener
