"""How the batch runner's rows are screened: in this process, or by forked worker processes.

The runner (`screening.batch.runner.run`) is the one loop of every batch; an engine here only
maps its rows to records, chunk by chunk and in input order, and the runner writes and counts
them exactly as it does in one process. So `--workers 4` partitions the loop, it does not copy
it: the output of any worker count is the output of one process, byte for byte.

Worker processes are made with the ``fork`` start method, after the parent has loaded the
name index: each worker shares the parent's memory pages copy-on-write instead of loading its
own index (`gc.freeze` before the fork keeps the collector from writing to, and so copying,
the shared objects). Each worker reports its memory (RSS and PSS from
``/proc/self/smaps_rollup``; PSS counts a shared page once across the processes sharing it)
and the run's summary says what they used.

Where ``fork`` is not available or not safe (Windows has none; on macOS system frameworks may
crash in a forked child, which is why Python made ``spawn`` its default there), the batch runs
in one process and the summary says so: a ``spawn`` worker would have to load its own index,
which on these platforms costs more memory than it gains time.

Rows go to the workers in chunks (`CHUNK_ROWS`), at most `CHUNKS_IN_FLIGHT_PER_WORKER` per
worker at a time, so memory stays flat whatever the input's size; results come back in
submission order, which is the reorder buffer. An input of one chunk or less is screened in
this process: forking costs more than it saves there. A worker that dies (killed, out of
memory) fails the batch with `WorkerDiedError`; workers ignore Ctrl-C (the parent stops them)
and end themselves within a second when the parent is gone, even after SIGKILL.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any, Generic, TypeVar

from screening.batch.errors import BatchError

CHUNK_ROWS = 256  # rows per task: a quarter second of screening, little to pickle
CHUNKS_IN_FLIGHT_PER_WORKER = 2  # one being screened, one waiting: no worker idles
PARENT_CHECK_SECONDS = 0.5  # how often a worker looks whether its parent is still there
WORKER_DIED = "a worker process ended before returning its rows (killed, or out of memory?)"

Row = TypeVar("Row")
Record = TypeVar("Record")


class WorkerDiedError(BatchError):
    """A worker process ended before it returned its rows (killed, out of memory)."""


def fork_available() -> bool:
    """Whether worker processes can be forked here (Linux and other Unix, not macOS)."""
    return sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()


@dataclass(frozen=True, slots=True)
class Memory:
    """One process's memory, in bytes: resident (RSS) and proportional share (PSS)."""

    rss: int
    pss: int | None  # None where /proc/self/smaps_rollup is not available


def process_memory(pid: int | None = None) -> Memory | None:
    """A process's RSS and PSS from /proc/PID/smaps_rollup (Linux), else None; default: this."""
    try:
        with open(f"/proc/{pid or 'self'}/smaps_rollup", encoding="ascii") as handle:
            text = handle.read()
    except OSError:
        return None
    fields: dict[str, int] = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        parts = rest.split()
        if len(parts) == 2 and parts[1] == "kB":
            fields[key] = int(parts[0]) * 1024
    if "Rss" not in fields:
        return None
    return Memory(fields["Rss"], fields.get("Pss"))


def _mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


@dataclass(slots=True)
class Engine(Generic[Row, Record]):
    """Maps rows to their records, chunk by chunk, in input order; says how it ran."""

    screen: Callable[[Row], Record]
    workers: int = 1
    chunk_rows: int = CHUNK_ROWS
    # The largest memory each worker reported, by process id.
    memory: dict[int, Memory] = field(default_factory=dict)
    processes_used: int = 0  # worker processes started (0: everything ran in this process)
    fallback: str | None = None  # why more workers were asked for than ran
    _pool: ProcessPoolExecutor | None = None

    def records(self, rows: Iterable[Row]) -> Iterator[list[Record]]:
        """The records of `rows`, a list per chunk, in input order."""
        if self.workers <= 1:
            screen = self.screen
            # One row per "chunk": a row's record is written before the next row is read.
            return ([screen(row)] for row in rows)
        return self._forked(rows)

    def _forked(self, rows: Iterable[Row]) -> Iterator[list[Record]]:
        chunks = _chunks(rows, self.chunk_rows)
        head = list(islice(chunks, 2))
        if len(head) < 2:  # one chunk or none: forking would cost more than it saves
            for chunk in head:
                yield from ([self.screen(row)] for row in chunk)
            return
        pool = self._start()
        window = self.workers * CHUNKS_IN_FLIGHT_PER_WORKER
        pending: deque[Future[tuple[list[Record], int, Memory | None]]] = deque()
        for chunk in chain(head, chunks):
            try:
                pending.append(pool.submit(_screen_chunk, chunk))
            except BrokenProcessPool:  # a worker died before its result was asked for
                raise WorkerDiedError(WORKER_DIED) from None
            if len(pending) >= window:
                yield self._result(pending.popleft())
        while pending:
            yield self._result(pending.popleft())

    def _start(self) -> ProcessPoolExecutor:
        # Everything allocated so far (the index above all) moves to the permanent generation:
        # the collector no longer writes to those objects, so their pages stay shared.
        gc.freeze()
        context = multiprocessing.get_context("fork")
        # With fork, `initargs` are inherited, not pickled: the screener (and its index) is
        # the parent's own, shared page by page.
        self._pool = ProcessPoolExecutor(
            self.workers, context, initializer=_start_worker, initargs=(self.screen, os.getpid())
        )
        self.processes_used = self.workers
        return self._pool

    def _result(self, future: Future[tuple[list[Record], int, Memory | None]]) -> list[Record]:
        try:
            records, pid, memory = future.result()
        except BrokenProcessPool:
            raise WorkerDiedError(WORKER_DIED) from None
        if memory is not None:
            known = self.memory.get(pid)
            if known is None or memory.rss > known.rss:
                self.memory[pid] = memory
        return records

    def close(self, failed: bool) -> None:
        """Stop the workers: after their last chunk, or at once when the run failed."""
        pool, self._pool = self._pool, None
        if pool is not None:
            # A failed run waits for no queued chunk; a chunk being screened ends in a
            # fraction of a second, and then its worker exits.
            pool.shutdown(wait=not failed, cancel_futures=failed)
            gc.unfreeze()

    def notes(self) -> list[str]:
        """Lines for the run's summary: how many processes, and the memory of each."""
        lines = [self.fallback] if self.fallback else []
        if not self.processes_used:
            return lines
        line = f"{self.processes_used} worker processes (fork)"
        if self.memory:
            rss = max(m.rss for m in self.memory.values())
            pss = [m.pss for m in self.memory.values() if m.pss is not None]
            line += f"; memory per worker at most RSS {_mib(rss)}"
            if pss:
                line += f", PSS {_mib(max(pss))} (shared pages counted once)"
        return [*lines, line]


@contextmanager
def engine(
    screen: Callable[[Row], Record], workers: int = 1, chunk_rows: int = CHUNK_ROWS
) -> Iterator[Engine[Row, Record]]:
    """An engine for `workers` processes (1: this one); its workers stop when the block ends."""
    if workers < 1:
        raise ValueError(f"workers must be 1 or more, not {workers}")
    fallback = None
    if workers > 1 and not fork_available():
        fallback = f"ran in one process: {workers} workers need the fork start method"
        workers = 1
    running: Engine[Row, Record] = Engine(screen, workers, chunk_rows, fallback=fallback)
    try:
        yield running
    except BaseException:
        running.close(failed=True)
        raise
    running.close(failed=False)


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


# -- in the worker process -------------------------------------------------------------------

_worker_screen: Callable[[Any], Any] | None = None


def _start_worker(screen: Callable[[Any], Any], parent: int) -> None:
    global _worker_screen
    _worker_screen = screen
    gc.unfreeze()
    # Ctrl-C reaches the whole process group: the parent stops the workers itself, and a
    # worker interrupted mid-chunk would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with_parent, args=(parent,), daemon=True).start()


def _end_with_parent(parent: int) -> None:
    # Every worker holds the task pipe open, so a worker never sees it close when the parent
    # is killed: it watches the parent instead, and ends without any cleanup of its own.
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _screen_chunk(rows: list[Any]) -> tuple[list[Any], int, Memory | None]:
    screen = _worker_screen
    assert screen is not None, "a worker's screener is set when it starts"
    return [screen(row) for row in rows], os.getpid(), process_memory()
