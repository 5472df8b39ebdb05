"""Why a batch cannot run at all: the errors raised before any output exists.

Row problems are not errors here: a row that cannot be read or screened becomes a record with
decision ``error`` and the run goes on. These exceptions are for the file or the paths as a
whole; every message is for a person and names the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class BatchError(Exception):
    """The batch cannot run at all; the message says why, for a person."""


class BatchInputError(BatchError):
    """The input file cannot be read as a whole (missing, empty, binary, no header)."""


class MissingColumnError(BatchInputError):
    """A column the batch needs is not in the header; the message lists those that are."""

    def __init__(self, role: str, message: str, available: Sequence[str]) -> None:
        self.role = role
        self.reason = message
        self.available = list(available)
        shown = ", ".join(repr(c) for c in available) or "none"
        super().__init__(f"{message}; available columns: {shown}")

    def in_file(self, path: Path) -> MissingColumnError:
        """The same error, its message starting with the file it is about."""
        return MissingColumnError(self.role, f"{path}: {self.reason}", self.available)


class BatchOutputError(BatchError):
    """The output cannot be written (unwritable folder, disk full)."""


class BatchUsageError(BatchError):
    """The paths asked for make no sense: output not .csv/.jsonl, or the input itself."""
