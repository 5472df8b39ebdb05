"""United States: trade.gov's Consolidated Screening List (CSL), thirteen US lists in one file.

One format, `lists.us_csl.csl_csv` (``consolidated.csv``); `lists.us_csl.cells` splits its
multi-value cells. Each sub-list (the BIS Entity List, OFAC's SDN list, ...) is a dataset of
its own (`lists.datasets`, ids ``us_csl_*``), so one file loads as one version per sub-list.
"""

from __future__ import annotations

from lists.base import ListFormat
from lists.us_csl import csl_csv

FORMATS: tuple[ListFormat, ...] = (csl_csv.FORMAT,)

__all__ = ["FORMATS"]
