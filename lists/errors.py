"""Errors a list reader raises for input it cannot trust.

Every error names the file and, where the parser knows it, the line or record, so that an
operator can open the file at the right place. Readers never return half of a file: an error
anywhere means the whole file is refused.
"""

from __future__ import annotations

from pathlib import Path


class ListReadError(Exception):
    """A list file is malformed, truncated, unsafe or not a list file at all."""

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        line: int | None = None,
        record: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.message = message
        self.line = line
        self.record = record
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
        if self.record is not None:
            where += f" (record {self.record})"
        return f"{where}: {self.message}"


class UnknownFormatError(ListReadError):
    """No reader recognises the file's content."""
