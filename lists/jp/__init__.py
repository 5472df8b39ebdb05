"""Japanese list formats: the Ministry of Finance asset-freeze list (XLSX workbook).

`lists.jp.mof` reads MOF's list of persons subject to asset freezes under the Foreign Exchange
Act (one workbook, a sheet per regime); `lists.jp._mof_text` holds the rules for its free-text
cells (Japanese dates, names and aliases).
"""

from __future__ import annotations

from lists.base import ListFormat
from lists.jp import meti, mof

FORMATS: tuple[ListFormat, ...] = (mof.FORMAT, meti.FORMAT)

__all__ = ["FORMATS"]
