"""Official sanctions list files in, canonical entities out.

>>> from lists import open_list
>>> listed = open_list("sdn.csv")          # format detected from content
>>> listed.format.name, listed.published
>>> for entity in listed.entities(): ...   # streamed, memory flat in file size
"""

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
