"""What every list adapter provides, so that detection, inspection and loading treat all alike.

A source is a package (``lists.ofac``, ``lists.uk``, ``lists.eu``, ``lists.un``, ...) whose
``FORMATS`` lists one `ListFormat` per file format it reads, each from its own module. A format
module exports ``FORMAT`` and the three steps as public functions: ``sniff`` (is this file mine,
from its first bytes), ``published`` (the publication date the file states) and ``entities``
(read and map records to canonical `Entity` objects, streaming). Downloading (the first step of
fetch -> read -> map) lives in `lists.fetch`, driven by the URL table in `lists.sources`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lists.model import Entity, Source

HEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class Head:
    """The first bytes of a file (or, for a directory, its file names), for sniffing."""

    path: Path
    data: bytes
    is_dir: bool = False
    names: frozenset[str] = frozenset()
    xml_root: str | None = None
    xml_namespace: str | None = None

    @property
    def text(self) -> str:
        """The head decoded leniently: good enough to recognise a header, never used as data."""
        data = self.data
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        return data.decode("utf-8", errors="replace")


@dataclass
class ReadReport:
    """Problems a reader noticed but that do not make the file untrustworthy.

    Example: an OFAC alias row whose entity is not in sdn.csv. The row cannot be attached to
    anything, so it is reported here rather than silently dropped or made fatal.
    """

    warnings: list[str] = field(default_factory=list)
    _warned: set[str] = field(default_factory=set, repr=False, compare=False)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def warn_once(self, key: str, message: str) -> None:
        """Warn only the first time ``key`` is seen: one warning per kind of drift per file."""
        if key not in self._warned:
            self._warned.add(key)
            self.warnings.append(message)


@dataclass(frozen=True)
class ListFormat:
    name: str
    source: Source
    description: str
    sniff: Callable[[Head], bool]
    published: Callable[[Path], dt.datetime | dt.date | None]
    entities: Callable[[Path, ReadReport], Iterator[Entity]]
    # Which numbering the entry ids follow. Formats of one source usually share it (OFAC's
    # ent_num is its XML uid), but the UK has two lists with two numberings: OFSI Group IDs and
    # FCDO UK Sanctions List unique ids. Versions are only comparable within one scheme.
    id_scheme: str = ""

    @property
    def entry_ids(self) -> str:
        return self.id_scheme or self.source.value


@dataclass
class ListFile:
    """A list file (or OFAC CSV directory) whose format is known, ready to be read."""

    path: Path
    format: ListFormat
    published: dt.datetime | dt.date | None
    report: ReadReport = field(default_factory=ReadReport)

    @property
    def source(self) -> Source:
        return self.format.source

    def entities(self) -> Iterator[Entity]:
        """Stream the entities; raises `ListReadError` at the first untrustworthy record."""
        return self.format.entities(self.path, self.report)
