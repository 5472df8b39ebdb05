"""Progress bars on stderr for long commands: loading, downloading, batch screening.

Each is transient and switched off when stderr is not a terminal, so logs get the summary
lines, not bar frames. `run_file_batch` runs a file batch (names, transactions, payments)
under its bar and reports it the same way for all; `scale_options` are the options they share
(``--workers``, ``--resume``; `screening.batch.runner.Scale`).

The batch bar is redrawn when the runner reports (ten times a second), not by a thread of
its own: the runner forks its worker processes while the bar is shown, and a fork while
another thread may hold a lock is what Python warns against.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

import click
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from sqlalchemy.exc import SQLAlchemyError

from screening.batch.checkpoint import ResumeError
from screening.batch.names import BatchError
from screening.commands.common import ExitCode, database_failure, exit_with, fail, note, stderr

BatchProgress = Callable[[int, int, int], None]
F = TypeVar("F", bound=Callable[..., Any])


class BatchReport(Protocol):
    """What the name and the transaction batch summaries have in common."""

    @property
    def error(self) -> int: ...

    def report_lines(self) -> list[str]: ...


def _progress(*columns: ProgressColumn, auto_refresh: bool = True) -> Progress:
    return Progress(
        *columns,
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
        auto_refresh=auto_refresh,
    )


class LoadProgress:
    """A spinner with the entities stored so far, one task per file loaded."""

    def __init__(self, progress: Progress, label: str) -> None:
        self._progress = progress
        self._label = label
        self._task: TaskID | None = None

    def start(self, format_name: str) -> None:
        self._task = self._progress.add_task(f"loading {self._label} ({format_name})", total=None)

    def entities(self, count: int) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=count)


@contextmanager
def load_progress(path: Path) -> Iterator[LoadProgress]:
    with _progress(
        SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed} entities")
    ) as progress:
        yield LoadProgress(progress, path.name)


@contextmanager
def download_progress() -> Iterator[Callable[[str, int, int | None], None]]:
    """A bar per downloaded file, with bytes received of the announced size."""
    with _progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), DownloadColumn()
    ) as progress:
        tasks: dict[str, Any] = {}

        def on_progress(name: str, received: int, total: int | None) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(f"downloading {name}", total=total)
            progress.update(tasks[name], completed=received, total=total)

        yield on_progress


@contextmanager
def batch_progress(input_path: Path) -> Iterator[BatchProgress]:
    """A bar over the input's bytes, with the rows done so far."""
    with _progress(
        TextColumn("screening {task.description}"),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[rows]:,} rows"),
        TimeRemainingColumn(),
        auto_refresh=False,
    ) as progress:
        task = progress.add_task(input_path.name, total=None, rows=0)

        def on_progress(bytes_read: int, total_bytes: int, rows: int) -> None:
            progress.update(task, completed=bytes_read, total=total_bytes, rows=rows)
            progress.refresh()

        yield on_progress


def workers_default() -> int:
    """All cores: what ``--workers`` is when not given."""
    return os.cpu_count() or 1


def scale_options(func: F) -> F:
    """``--workers N`` and ``--resume``, passed to the command as `workers` and `resume`."""
    func = click.option(
        "--resume",
        is_flag=True,
        help="Write a checkpoint as the run goes, and continue the interrupted run of the "
        "same input, options and output from it (no row lost or written twice); refused "
        "when the input, the options or the active lists changed.",
    )(func)
    return click.option(
        "--workers",
        type=click.IntRange(min=1),
        default=workers_default,
        show_default="all cores",
        help="Processes that screen rows (sharing one loaded index; the output is the same "
        "for any number); 1 screens in this process.",
    )(func)


def run_file_batch(
    input_path: Path,
    db_url: str | None,
    run: Callable[[BatchProgress], BatchReport],
    *,
    resumable: bool = False,
) -> None:
    """Run a batch under a progress bar, print its summary and end with its exit code.

    `resumable`: the run writes a checkpoint (``--resume``), so a failed run keeps what it
    committed and says how to continue.
    """
    kept = (
        " (what was done is kept: run the same command again to continue)"
        if resumable
        else " (no output written)"
    )
    try:
        with batch_progress(input_path) as on_progress:
            summary = run(on_progress)
    except ResumeError as exc:
        fail(str(exc))
    except BatchError as exc:
        fail(f"{exc}{kept}")
    except SQLAlchemyError as exc:
        database_failure(db_url, exc, kept)
    for line in summary.report_lines():
        note(line)
    exit_with(ExitCode.ROW_ERRORS if summary.error else ExitCode.OK)
