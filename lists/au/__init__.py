"""Australian list formats: the DFAT Consolidated List (one XLSX workbook, one row per name).

The Department of Foreign Affairs and Trade's Australian Sanctions Office publishes every person
and entity listed under Australian sanctions law, UN Security Council regimes and Australian
autonomous regimes alike, in regulation8_consolidated.xlsx (see `lists.au.dfat`).
"""

from __future__ import annotations

from lists.au import dfat
from lists.base import ListFormat

FORMATS: tuple[ListFormat, ...] = (dfat.FORMAT,)
