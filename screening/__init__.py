"""Screening: matching, decisions and the coalition layer (built on `lists`).

>>> from screening import Screener
>>> Screener.open().screen("Sberbank", type="organization").decision
"""

from screening.results import Decision, Hit, Query, ScreeningResult, Thresholds
from screening.screener import QueryError, Screener

__all__ = ["Decision", "Hit", "Query", "QueryError", "Screener", "ScreeningResult", "Thresholds"]
