"""Screening: matching, decisions and the coalition layer (built on `lists`).

>>> from screening import Screener
>>> Screener.open().screen("Sberbank", type="organization").decision

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
}

__all__ = ["Decision", "Hit", "Query", "QueryError", "Screener", "ScreeningResult", "Thresholds"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'screening' has no attribute {name!r}")
    return getattr(import_module(module), name)


if TYPE_CHECKING:
    from screening.matching.results import Decision, Hit, Query, ScreeningResult, Thresholds
    from screening.matching.screener import QueryError, Screener
