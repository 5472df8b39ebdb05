"""Which reader fits a file, decided from its content, never from its name alone.

An XML file whose first bytes hold a syntax error is still recognised by its root element: it
is then refused as malformed XML at the error's line, not as a format unknown here.
"""

from __future__ import annotations

from pathlib import Path

from lists import au, ca, eu, jp, ofac, uk, un, us_csl, xlsx
from lists.base import HEAD_BYTES, Head, ListFile, ListFormat
from lists.errors import ListReadError, UnknownFormatError
from lists.xml import read_xml_head

FORMATS: tuple[ListFormat, ...] = (
    *ofac.FORMATS,
    *uk.FORMATS,
    *eu.FORMATS,
    *un.FORMATS,
    *ca.FORMATS,
    *au.FORMATS,
    *jp.FORMATS,
    *us_csl.FORMATS,
)


def read_head(path: Path) -> Head:
    """The first bytes of a file (or a directory's file names) and the XML root, for sniffing."""
    return _read_head(path)[0]


def detect(path: Path) -> ListFormat:
    """The format of a list file or OFAC CSV directory; `UnknownFormatError` when none fits.

    A `ListReadError` (malformed XML, with its line) when a format recognises the root element
    but the first bytes break the XML syntax.
    """
    head, xml_error = _read_head(path)
    for list_format in FORMATS:
        if list_format.sniff(head):
            if xml_error is not None:
                raise xml_error
            return list_format
    raise UnknownFormatError(path, _why_unknown(head))


def _read_head(path: Path) -> tuple[Head, ListReadError | None]:
    if path.is_dir():
        names = frozenset(p.name.lower() for p in path.iterdir() if p.is_file())
        return Head(path=path, data=b"", is_dir=True, names=names), None
    try:
        with path.open("rb") as handle:
            data = handle.read(HEAD_BYTES)
    except FileNotFoundError:
        raise ListReadError(path, "no such file or directory") from None
    except OSError as exc:
        raise ListReadError(path, f"cannot read: {exc.strerror}") from None
    if not data:
        raise ListReadError(path, "the file is empty (a failed or truncated download?)")
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return Head(path=path, data=data), None
    xml = read_xml_head(path, data)
    head = Head(path=path, data=data, xml_root=xml.root, xml_namespace=xml.namespace)
    return head, xml.error


def open_list(path: Path | str) -> ListFile:
    """Detect the format and read the publication date; entities are read when iterated."""
    path = Path(path)
    list_format = detect(path)
    return ListFile(path=path, format=list_format, published=list_format.published(path))


def _why_unknown(head: Head) -> str:
    if head.is_dir:
        return "the directory holds no OFAC legacy CSV set (sdn.csv or cons_prim.csv)"
    if head.xml_root is not None:
        return f"XML with root element <{head.xml_root}> is not a sanctions list format known here"
    if head.data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return (
            "the file is UTF-16 encoded; the official lists are published in UTF-8 (XML, "
            "OFSI CSV) or cp1252 (OFAC CSV): re-download the file or convert it"
        )
    if head.data.startswith(b"PK"):
        if not xlsx.text_head(head):
            return "not a readable XLSX workbook (a truncated or damaged zip archive)"
        return "a ZIP/XLSX file that is not a sanctions list workbook known here"
    if b"\0" in head.data[:4096]:
        return "a binary file (NUL bytes), not a sanctions list"
    return "not a sanctions list format known here (OFAC, UK, EU or UN)"
