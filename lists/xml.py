"""Safe, streaming, namespace-agnostic XML reading for every XML list format.

Lists are read with `lxml.etree.iterparse` so memory stays flat in file size: each record is
handed to the adapter when its end tag is read and then freed. Entity expansion, DTD loading and
network access are off, and a document whose prolog declares entities or an external DTD is
refused before parsing (official list files never have one; a file that does is an XML bomb or an
external-entity attack, or not an official file). Element names are compared by local name, so the
same reader accepts the namespaces the authorities have used over the years.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from lists.errors import ListReadError

_PROLOG_BYTES = 64 * 1024
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)
_DANGEROUS_DTD = re.compile(rb"<!ENTITY|\bSYSTEM\b|\bPUBLIC\b", re.I)
# Markup before the root element: the XML declaration, processing instructions, comments and
# the document type declaration (one left open swallows the rest of the head).
_PROLOG_MARKUP = re.compile(
    rb"<\?.*?(?:\?>|\Z)|<!--.*?(?:-->|\Z)|<!DOCTYPE[^>]*(?:>|\Z)", re.S | re.I
)
_FIRST_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def local_name(tag: object) -> str:
    """The element name without its namespace ('{ns}sdnEntry' -> 'sdnEntry')."""
    text = tag if isinstance(tag, str) else str(tag)
    return text.rpartition("}")[2]


def check_prolog(path: Path, head: bytes | None = None) -> None:
    """Refuse a document type declaration that declares entities or loads an external DTD."""
    if head is None:
        with path.open("rb") as handle:
            head = handle.read(_PROLOG_BYTES)
    doctype = _DOCTYPE.search(head)
    if doctype is None:
        return
    line = head[: doctype.start()].count(b"\n") + 1
    if _DANGEROUS_DTD.search(head, doctype.start()):
        raise ListReadError(
            path,
            "refused: the XML declares entities or an external DTD (possible XML bomb or "
            "external-entity attack); official list files never do",
            line=line,
        )


def _refuse_dtd(path: Path, root: etree._Element) -> None:
    # Second line of defence behind check_prolog, for a DTD placed beyond the scanned prolog.
    docinfo = root.getroottree().docinfo
    internal = docinfo.internalDTD
    if (
        docinfo.system_url
        or docinfo.public_id
        or (internal is not None and any(True for _ in internal.iterentities()))
    ):
        raise ListReadError(
            path, "refused: the XML declares entities or an external DTD", line=root.sourceline
        )


def iter_elements(
    path: Path,
    names: Collection[str],
    *,
    root_attrib: dict[str, str] | None = None,
    keep_comments: bool = False,
) -> Iterator[etree._Element]:
    """Yield each element whose local name is in `names`, complete, then free it.

    When `root_attrib` is given it is filled with the root element's attributes as soon as the
    root is read. `keep_comments` keeps XML comments inside the yielded elements (the legacy EU
    file stores data in them). Syntax errors (truncation, bad bytes, undeclared entities) become
    a `ListReadError` with the line number.
    """
    check_prolog(path)
    wanted = frozenset(names)
    depth_of_wanted = 0
    try:
        context = etree.iterparse(
            str(path),
            events=("start", "end"),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
            remove_comments=not keep_comments,
            remove_pis=True,
        )
        for event, element in context:
            if event == "start":
                if element.getparent() is None:
                    _refuse_dtd(path, element)
                    if root_attrib is not None:
                        root_attrib.update({local_name(k): v for k, v in element.attrib.items()})
                if local_name(element.tag) in wanted:
                    depth_of_wanted += 1
                continue
            if local_name(element.tag) not in wanted:
                continue
            depth_of_wanted -= 1
            if depth_of_wanted:
                continue  # a wanted element nested in another one is yielded with its parent
            yield element
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise malformed(path, exc) from None


def malformed(path: Path, exc: etree.XMLSyntaxError) -> ListReadError:
    """The `ListReadError` for an XML syntax error: its line, lxml's message on one line."""
    # Some libxml2 messages hold a line break ("Char 0x0 out of allowed range\n, line 1").
    message = " ".join(str(exc.msg).split()).replace(" ,", ",")
    return ListReadError(path, f"malformed XML: {message}", line=exc.lineno or None)


@dataclass(frozen=True)
class XmlHead:
    """What the first bytes of an XML file say: the root element and the first syntax error.

    The root is known even when a syntax error follows it. When the error comes first (the
    root's own tag is garbled), the first element name in the bytes stands in for it, with
    namespace None.
    """

    root: str | None
    namespace: str | None
    error: ListReadError | None = None


def read_xml_head(path: Path, head: bytes) -> XmlHead:
    """The root element of the document whose first bytes are `head`, and any syntax error."""
    check_prolog(path, head)
    parser = etree.XMLPullParser(
        events=("start",), resolve_entities=False, load_dtd=False, no_network=True
    )
    error = None
    try:
        parser.feed(head)
    except etree.XMLSyntaxError as exc:
        error = malformed(path, exc)
    # The events parsed before an error are still queued.
    for _event, element in parser.read_events():
        assert isinstance(element, etree._Element)
        qname = etree.QName(element)
        return XmlHead(qname.localname, qname.namespace or "", error)
    if error is None:
        return XmlHead(None, None)
    first = _FIRST_ELEMENT.search(_PROLOG_MARKUP.sub(b"", head))
    return XmlHead(first.group(1).decode("ascii") if first else None, None, error)


def root_info(path: Path, head: bytes) -> tuple[str, str] | None:
    """(local name, namespace) of the root element, read from the first bytes of a file.

    None when no root element could be parsed (not XML, or a syntax error before the root).
    """
    info = read_xml_head(path, head)
    if info.root is None or info.namespace is None:
        return None
    return info.root, info.namespace


def text_of(element: etree._Element, name: str) -> str | None:
    """Stripped text of the first direct child with this local name; None when absent or empty."""
    for child in element:
        if isinstance(child.tag, str) and local_name(child.tag) == name:
            value = " ".join((child.text or "").split())
            return value or None
    return None


def children(element: etree._Element, name: str) -> list[etree._Element]:
    """Direct children with this local name."""
    return [c for c in element if isinstance(c.tag, str) and local_name(c.tag) == name]


def descendants(element: etree._Element, name: str) -> list[etree._Element]:
    """All descendants with this local name, in document order."""
    return [
        e for e in element.iterdescendants() if isinstance(e.tag, str) and local_name(e.tag) == name
    ]


# Faster look-ups by local name for hot paths (the payment readers parse thousands of messages
# a second): lxml matches the ``{*}`` wildcard (any namespace, or none) in C, where the
# helpers above build the local name of every child in Python. Same results, comments and
# processing instructions skipped alike.


def iter_children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    """Direct children with this local name, lazily, in document order."""
    return element.iterchildren(tag="{*}" + name)


def first_child(element: etree._Element, name: str) -> etree._Element | None:
    """The first direct child with this local name; None when absent."""
    return next(element.iterchildren(tag="{*}" + name), None)


def child_text(element: etree._Element, name: str) -> str | None:
    """`text_of`, faster: stripped text of the first direct child with this local name."""
    found = next(element.iterchildren(tag="{*}" + name), None)
    if found is None:
        return None
    return " ".join((found.text or "").split()) or None
