"""UK list formats: the OFSI Consolidated List (2022 CSV and XLSX, pre-2022 CSV) and FCDO XML.

OFSI's Consolidated List (one row per name, grouped by Group ID) and the FCDO's UK Sanctions List
(one XML element per designation, keyed by UniqueID) describe the same UK designations; OFSI's
"UK Sanctions List Ref" identifier is the FCDO UniqueID, and FCDO's OFSIGroupID is OFSI's
Group ID.
"""

from __future__ import annotations

from lists.base import ListFormat
from lists.uk import fcdo, ofsi_csv, ofsi_legacy, ofsi_xlsx

FORMATS: tuple[ListFormat, ...] = (
    ofsi_csv.FORMAT,
    ofsi_xlsx.FORMAT,
    ofsi_legacy.FORMAT,
    fcdo.FORMAT,
)

__all__ = ["FORMATS"]
