"""Canada (Global Affairs Canada): the Consolidated Canadian Autonomous Sanctions List.

One format, `lists.ca.sema` (the ``sema-lmes.xml`` file, in its 2020 and current layouts);
`lists.ca.names` holds the rules that split the list's free-text names and aliases.
"""

from __future__ import annotations

from lists.base import ListFormat
from lists.ca import sema

FORMATS: tuple[ListFormat, ...] = (sema.FORMAT,)

__all__ = ["FORMATS"]
