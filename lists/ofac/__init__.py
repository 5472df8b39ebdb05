"""OFAC (US Treasury) lists: the legacy CSV sets, sdnList XML and the SDN Advanced XML."""

from __future__ import annotations

from lists.base import ListFormat
from lists.ofac import advanced, legacy_csv, xml

FORMATS: tuple[ListFormat, ...] = (legacy_csv.FORMAT, xml.FORMAT, advanced.FORMAT)
