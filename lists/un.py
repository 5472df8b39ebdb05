"""Placeholder: the un adapter is being written."""

from __future__ import annotations

from lists.base import ListFormat

FORMATS: tuple[ListFormat, ...] = ()
