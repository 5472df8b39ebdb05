"""The list refresher: a thread that picks up newly loaded list versions off the request path.

Every ``interval`` seconds it asks the shared `Screener` to refresh; the screener builds the
new index aside and swaps it in at once, so requests never wait for an index build and always
see one consistent index. A failed refresh keeps the previous index in use and is reported by
``GET /health`` (``refresh_error``) until a later one succeeds.
"""

from __future__ import annotations

import threading

from screening.matching.screener import Screener

DEFAULT_REFRESH_SECONDS = 2.0


class Refresher:
    """Polls the store and swaps in new list versions; an interval of 0 or less never polls."""

    def __init__(self, screener: Screener, interval: float) -> None:
        self.screener = screener
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None

    def start(self) -> None:
        if self.interval <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="list-refresher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.screener.refresh()
                self.last_error = None
            except Exception as exc:  # a failed refresh keeps serving the previous index
                self.last_error = f"{type(exc).__name__}: {exc}"
