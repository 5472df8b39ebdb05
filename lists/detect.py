"""Which reader fits a file, decided from its content, never from its name alone."""

from __future__ import annotations

from pathlib import Path

from lists import au, ca, eu, jp, ofac, uk, un, us_csl, xlsx
from lists.base import HEAD_BYTES, Head, ListFile, ListFormat
from lists.errors import ListReadError, UnknownFormatError
from lists.xml import root_info

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
    if path.is_dir():
        names = frozenset(p.name.lower() for p in path.iterdir() if p.is_file())
        return Head(path=path, data=b"", is_dir=True, names=names)
    try:
        with path.open("rb") as handle:
            data = handle.read(HEAD_BYTES)
    except FileNotFoundError:
        raise ListReadError(path, "no such file or directory") from None
    except OSError as exc:
        raise ListReadError(path, f"cannot read: {exc.strerror}") from None
    if not data:
        raise ListReadError(path, "the file is empty (a failed or truncated download?)")
    root = None
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        root = root_info(path, data)
    return Head(
        path=path,
        data=data,
        xml_root=root[0] if root else None,
        xml_namespace=root[1] if root else None,
    )


def detect(path: Path) -> ListFormat:
    """The format of a list file or OFAC CSV directory; `UnknownFormatError` when none fits."""
    head = read_head(path)
    for list_format in FORMATS:
        if list_format.sniff(head):
            return list_format
    raise UnknownFormatError(path, _why_unknown(head))


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
