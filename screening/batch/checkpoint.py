"""Resumable batch output: a file written with a checkpoint, continued after a kill.

A run with ``--resume`` (`screening.batch.runner.Scale.resume`) writes its output to
``.OUT.resume.partial`` next to the output file and, at most once a second, commits: the
partial file is flushed and fsynced, then the checkpoint ``.OUT.checkpoint.json`` is replaced
atomically (written, fsynced, renamed, folder fsynced). The checkpoint holds what the run is
(a digest of the inputs; the options that shape the output; the coalition version), how far it
got (rows and output bytes committed) and the summary so far (counts, first errors, list
versions). The inputs are every input file's path, size, modification time and the SHA-256 of
its first MiB, in order (payments read several files and directories): they are written once,
to ``.OUT.inputs.json``, when the run starts, so that a commit of a run over many thousands of
files rewrites a digest, not the list, and a refusal can still name the file that changed.

Run again with ``--resume`` after a kill (SIGKILL, power loss, a worker that died), the batch
checks the checkpoint against the input, the options and the version, and refuses with a clear
message when anything changed; else it cuts the partial file back to the committed bytes, reads
past the committed rows without screening them, and goes on. The list versions are checked at
the first screened row that names them: a run whose lists changed since is refused before it
writes anything. When every row is done the file is renamed into place and the checkpoint
removed (then the inputs file), so the output is byte for byte that of an uninterrupted run.

With ``--resume`` and no checkpoint the run starts from the first row (a partial file without
a checkpoint was killed before its first commit and is started over). Runs without
``--resume`` write no checkpoint and leave no partial output (`screening.batch.writers`).
"""

from __future__ import annotations

import hashlib
import io
import os
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, suppress
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Final, NoReturn, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from screening import settings
from screening.batch.errors import BatchError, BatchOutputError
from screening.batch.runner import BatchSummary, Checkpointing, Outcome, Scale
from screening.batch.writers import (
    EchoedInput,
    OutputFormat,
    OutputRecord,
    output_encoding,
    record_file,
    record_writer,
)
from screening.matching.results import ListVersionRef

FORMAT: Final = 2  # of the checkpoint file; another one is never read
HEAD_BYTES = 1024 * 1024  # of the input, hashed: a rewritten file rarely keeps its first MiB


class ResumeError(BatchError):
    """The checkpoint does not fit this run: another input, other options, other lists."""


class FileRecord(OutputRecord, Outcome, Protocol):
    """A record the resumable file writes and checks the list versions of."""


class InputIdentity(BaseModel):
    """What tells the input file apart from another, or from itself after a change."""

    model_config = ConfigDict(frozen=True)

    path: str
    size: int
    modified_ns: int
    head_sha256: str

    @classmethod
    def of(cls, path: Path) -> InputIdentity:
        """The file's identity; a file that cannot be read is identified by why, not refused:
        a payment batch gives it an ``error`` record, and a resumed run must see it so again."""
        try:
            status = path.stat()
            with path.open("rb") as handle:
                head = hashlib.sha256(handle.read(HEAD_BYTES)).hexdigest()
        except OSError as exc:
            return cls(
                path=str(path.absolute()),
                size=-1,
                modified_ns=-1,
                head_sha256=f"unreadable: {exc.strerror or exc}",
            )
        return cls(
            path=str(path.resolve()),
            size=status.st_size,
            modified_ns=status.st_mtime_ns,
            head_sha256=head,
        )


class Inputs(BaseModel):
    """Every input file's identity, in order: the inputs file of a resumable run."""

    files: list[InputIdentity]

    @classmethod
    def of(cls, paths: Sequence[Path]) -> Inputs:
        return cls(files=[InputIdentity.of(path) for path in paths])

    def sha256(self) -> str:
        return hashlib.sha256(self.model_dump_json().encode("utf-8")).hexdigest()


class Checkpoint(BaseModel):
    """The sidecar file's content."""

    format: int = FORMAT
    coalition: str  # the version that wrote it: another one may write other bytes
    inputs_sha256: str  # of `Inputs`, whose list is in the inputs file (`inputs_path`)
    input_files: int
    output_format: str
    options: dict[str, Any]
    rows: int = 0
    offset: int = 0  # output bytes committed
    counts: dict[str, int] = {}
    errors: list[tuple[int, str]] = []
    list_versions: list[ListVersionRef] = []
    saved_at: float = 0.0


def checkpoint_path(output: Path) -> Path:
    return output.with_name(f".{output.name}.checkpoint.json")


def partial_path(output: Path) -> Path:
    return output.with_name(f".{output.name}.resume.partial")


def inputs_path(output: Path) -> Path:
    return output.with_name(f".{output.name}.inputs.json")


def file_output(
    output: Path,
    fmt: OutputFormat,
    table: EchoedInput,
    added_columns: Sequence[str],
    scale: Scale,
    input_paths: Path | Sequence[Path],
    options: Mapping[str, Any],
) -> tuple[AbstractContextManager[Callable[[FileRecord], None]], Checkpointing | None]:
    """The sink of a file batch and, with `scale.resume`, its checkpoint (the same object).

    `options` are what shapes the output besides the input (columns, thresholds, lists,
    profile), as JSON values: a resumed run must have the same. `input_paths` is the input
    file, or every input file in the order read.
    """
    if not scale.resume:
        with suppress(OSError):  # a checkpoint of this output's earlier runs no longer applies
            for leftover in (checkpoint_path, partial_path, inputs_path):
                leftover(output).unlink(missing_ok=True)
        return record_file(output, fmt, table, added_columns), None
    paths = [input_paths] if isinstance(input_paths, Path) else list(input_paths)
    resumable = ResumableOutput(output, fmt, table, added_columns, paths, options)
    return resumable, resumable


class ResumableOutput:
    """The sink of a ``--resume`` run: writes the partial file, commits, renames at the end."""

    def __init__(
        self,
        output: Path,
        fmt: OutputFormat,
        table: EchoedInput,
        added_columns: Sequence[str],
        input_paths: Sequence[Path],
        options: Mapping[str, Any],
    ) -> None:
        self.output = output
        self._fmt = fmt
        self._table = table
        self._added = list(added_columns)
        self._partial = partial_path(output)
        self._sidecar = checkpoint_path(output)
        self._inputs_file = inputs_path(output)
        self._out: io.TextIOWrapper | None = None
        self._lists_checked = False
        self._inputs = Inputs.of(input_paths)
        fresh = Checkpoint(
            coalition=settings.version(),
            inputs_sha256=self._inputs.sha256(),
            input_files=len(self._inputs.files),
            output_format=fmt,
            options=dict(options),
        )
        self.earlier = self._earlier(fresh)
        self.state = self.earlier or fresh

    # -- what an earlier run left ------------------------------------------------------------

    def _earlier(self, fresh: Checkpoint) -> Checkpoint | None:
        """The earlier run's checkpoint when it fits this run; raises ResumeError when not."""
        try:
            text = self._sidecar.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ResumeError(f"{self._sidecar}: cannot read the checkpoint: {exc}") from None
        try:
            earlier = Checkpoint.model_validate_json(text)
        except ValidationError:
            self._refuse("the checkpoint cannot be read (not written by this version?)")
        if earlier.format != FORMAT or earlier.coalition != fresh.coalition:
            self._refuse(f"it was written by coalition {earlier.coalition}")
        if earlier.inputs_sha256 != fresh.inputs_sha256:
            self._refuse(self._inputs_change(earlier))
        if earlier.output_format != fresh.output_format or earlier.options != fresh.options:
            changed = sorted(
                key
                for key in {*earlier.options, *fresh.options}
                if earlier.options.get(key) != fresh.options.get(key)
            )
            self._refuse(f"the options changed ({', '.join(changed) or 'output format'})")
        try:
            size = self._partial.stat().st_size
        except FileNotFoundError:
            self._refuse(f"its partial output {self._partial} is gone")
        if size < earlier.offset:
            self._refuse(f"its partial output {self._partial} is shorter than committed")
        return earlier

    def _inputs_change(self, earlier: Checkpoint) -> str:
        try:
            before = Inputs.model_validate_json(self._inputs_file.read_text(encoding="utf-8"))
        except (OSError, ValidationError):
            before = None
        if before is None or before.sha256() != earlier.inputs_sha256:
            # The list that tells which file changed is gone; the digest still tells that one did.
            files = f"{earlier.input_files:,} files then, {len(self._inputs.files):,} now"
            return f"the input changed ({files})"
        return _inputs_change(before.files, self._inputs.files)

    def _refuse(self, why: str) -> NoReturn:
        raise ResumeError(
            f"{self.output}: cannot resume the interrupted run: {why}; run without --resume "
            f"to start again (this removes {self._sidecar.name})"
        )

    @property
    def committed_rows(self) -> int:
        return self.earlier.rows if self.earlier else 0

    def restore(self, summary: BatchSummary) -> None:
        state = self.state
        summary.rows = state.rows
        summary.counts.update(state.counts)
        summary.errors = list(state.errors)
        summary.list_versions = list(state.list_versions)

    # -- the file ----------------------------------------------------------------------------

    def __enter__(self) -> Callable[[FileRecord], None]:
        handle: BinaryIO
        try:
            if self.earlier is not None:
                handle = open(self._partial, "r+b")
                handle.truncate(self.earlier.offset)  # what was written after the last commit
                handle.seek(self.earlier.offset)
            else:
                # Before the first commit: a checkpoint never names inputs it cannot explain.
                _replace_durably(self._inputs_file, self._inputs.model_dump_json(indent=1))
                descriptor = os.open(
                    self._partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600
                )  # readable by its owner only, as the output: it holds customer data
                handle = open(descriptor, "wb")
        except OSError as exc:
            raise BatchOutputError(f"{self.output}: cannot write here: {exc}") from None
        # Not at the start of the file, a text wrapper writes no second byte order mark.
        self._handle = handle
        self._out = io.TextIOWrapper(handle, encoding=output_encoding(self._fmt), newline="")
        write = record_writer(
            self._out, self._fmt, self._table, self._added, write_header=self.earlier is None
        )

        def checked_write(record: FileRecord) -> None:
            if not self._lists_checked and record.list_versions:
                self._check_lists(record.list_versions)
            write(record)

        return checked_write

    def _check_lists(self, versions: Sequence[ListVersionRef]) -> None:
        self._lists_checked = True
        before = self.state.list_versions
        if self.earlier is not None and before and list(versions) != before:
            was = ", ".join(f"{v.dataset} {v.version_id}" for v in before)
            now = ", ".join(f"{v.dataset} {v.version_id}" for v in versions)
            self._refuse(f"the active lists changed (were {was}; now {now})")

    def commit(self, summary: BatchSummary) -> None:
        out = self._out
        assert out is not None, "commit is called inside the block"
        out.flush()
        os.fsync(self._handle.fileno())
        self.state = self.state.model_copy(
            update={
                "rows": summary.rows,
                "offset": self._handle.tell(),
                "counts": dict(summary.counts),
                "errors": list(summary.errors),
                "list_versions": list(summary.list_versions),
                "saved_at": time.time(),
            }
        )
        _replace_durably(self._sidecar, self.state.model_dump_json(indent=1))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        out, self._out = self._out, None
        if out is None:
            return
        if exc_type is not None:
            # The partial file and the checkpoint stay for --resume; what was written after
            # the last commit is cut off then.
            with suppress(OSError):
                out.close()
            return
        out.flush()
        os.fsync(self._handle.fileno())
        out.close()
        os.replace(self._partial, self.output)
        _fsync_folder(self.output.parent)
        self._sidecar.unlink(missing_ok=True)
        self._inputs_file.unlink(missing_ok=True)


def _inputs_change(before: Sequence[InputIdentity], now: Sequence[InputIdentity]) -> str:
    if [b.path for b in before] != [n.path for n in now]:
        if len(before) == len(now) == 1:
            return f"it read {before[0].path}"
        known = {b.path for b in before}
        added = [n.path for n in now if n.path not in known]
        listed = {n.path for n in now}
        gone = [b.path for b in before if b.path not in listed]
        detail = f"new {added[0]}" if added else f"no longer {gone[0]}" if gone else "their order"
        return f"the input files changed ({len(before):,} then, {len(now):,} now; {detail})"
    for then, current in zip(before, now, strict=True):
        if then != current:
            return _input_change(then, current, "the input" if len(now) == 1 else current.path)
    return "the input changed"


def _input_change(before: InputIdentity, now: InputIdentity, name: str) -> str:
    if before.size != now.size:
        return f"{name} changed size ({before.size:,} bytes then, {now.size:,} now)"
    if before.head_sha256 != now.head_sha256:
        return f"{name}'s content changed"
    return f"{name} was modified since (its modification time differs)"


def _replace_durably(path: Path, text: str) -> None:
    """Write `path` whole or not at all, and durably: temporary file, fsync, rename, fsync."""
    temporary = path.with_name(f"{path.name}.new")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    # The rename itself is only durable once the folder's entry is on disk.
    with suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
