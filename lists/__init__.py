"""Official sanctions list files in, canonical entities out.

    >>> from lists import open_list
    >>> listed = open_list("sdn.csv")          # format detected from content
    >>> listed.format.name, listed.published
    >>> for entity in listed.entities(): ...   # streamed, memory flat in file size

The names below are imported on first use (PEP 562), so that code needing only the model, such
as a screening spot check, does not load every adapter.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "FORMATS": "lists.detect",
    "detect": "lists.detect",
    "open_list": "lists.detect",
    "ListFile": "lists.base",
    "ListFormat": "lists.base",
    "ReadReport": "lists.base",
    "ListReadError": "lists.errors",
    "UnknownFormatError": "lists.errors",
    **{
        name: "lists.model"
        for name in (
            "Address",
            "DatePrecision",
            "Entity",
            "Identifier",
            "IdentifierType",
            "Name",
            "NameKind",
            "PartialDate",
            "Schema",
            "Source",
            "SourceRef",
        )
    },
}

__all__ = [
    "FORMATS",
    "Address",
    "DatePrecision",
    "Entity",
    "Identifier",
    "IdentifierType",
    "ListFile",
    "ListFormat",
    "ListReadError",
    "Name",
    "NameKind",
    "PartialDate",
    "ReadReport",
    "Schema",
    "Source",
    "SourceRef",
    "UnknownFormatError",
    "detect",
    "open_list",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lists' has no attribute {name!r}")
    return getattr(import_module(module), name)


if TYPE_CHECKING:
    from lists.base import ListFile, ListFormat, ReadReport
    from lists.detect import FORMATS, detect, open_list
    from lists.errors import ListReadError, UnknownFormatError
    from lists.model import (
        Address,
        DatePrecision,
        Entity,
        Identifier,
        IdentifierType,
        Name,
        NameKind,
        PartialDate,
        Schema,
        Source,
        SourceRef,
    )
