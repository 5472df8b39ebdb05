"""Which OFAC list an entry belongs to: the SDN list or the Consolidated (non-SDN) list.

OFAC publishes the two lists side by side in every format, under fixed file names: the SDN list
as sdn.csv / sdn.xml / sdn_advanced.xml, the non-SDN list as cons_prim.csv / consolidated.xml /
cons_advanced.xml (cons_* companions). The files carry no other marker of the list they belong
to (sdnList XML has the same root and namespace for both), so the file an entry was read from
decides: a name starting with "cons" is the non-SDN list. Migration 0003 applies the same rule
to versions stored before datasets existed.
"""

from __future__ import annotations

SDN = "ofac_sdn"
CONSOLIDATED = "ofac_consolidated"


def dataset_of_file(file_name: str) -> str:
    return CONSOLIDATED if file_name.lower().startswith("cons") else SDN
