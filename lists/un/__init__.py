"""UN Security Council Consolidated List: one format, the XML (`lists.un.xml`).

The mapping is split by subject: `lists.un.names` (primary, original-script and alias names),
`lists.un.documents` (documents, and the BIC and IMO numbers stated in COMMENTS1),
`lists.un.births` (dates and places of birth); `lists.un.xml` reads the records and maps the
rest.
"""

from __future__ import annotations

from lists.base import ListFormat
from lists.un import xml

FORMATS: tuple[ListFormat, ...] = (xml.FORMAT,)

__all__ = ["FORMATS"]
