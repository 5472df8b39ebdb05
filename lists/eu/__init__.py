"""EU Financial Sanctions Database lists: FSF XML 1.1, FSF CSV 1.1 and the legacy FSD XML.

The FSF formats share one record model and mapping (`lists.eu.fsf`); the rules common to all
three (names, contact details, remarks, vessels) are in `lists.eu.common`.
"""

from __future__ import annotations

from lists.base import ListFormat
from lists.eu import fsf_csv, fsf_xml, legacy_xml

FORMATS: tuple[ListFormat, ...] = (fsf_xml.FORMAT, fsf_csv.FORMAT, legacy_xml.FORMAT)

__all__ = ["FORMATS"]
