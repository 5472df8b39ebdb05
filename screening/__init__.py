"""Screening: matching, decisions and the coalition layer (built on `lists`).

>>> from screening import Screener
>>> Screener.open().screen("Sberbank", type="organization").decision
"""

from screening.matching.results import Decision, Hit, Query, ScreeningResult, Thresholds
from screening.matching.screener import QueryError, Screener

__all__ = ["Decision", "Hit", "Query", "QueryError", "Screener", "ScreeningResult", "Thresholds"]
