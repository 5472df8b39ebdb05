"""Which payment format a file or a message is, and its transactions in order.

`read_payments(path)` and `read_payment_bytes(data, name)` look at the first `HEAD_BYTES` of
the content, never at the file name: a UTF-8 byte order mark and leading whitespace (blank
lines before ``{1:`` or before ``<?xml``) are skipped, then each format's ``sniff`` is asked
in turn (`FORMATS`: ISO 20022 first, then SWIFT MT). The format's ``read`` gets the content
from its first significant byte, so an XML declaration after a blank line is still the first
thing the XML parser sees.

Nothing raises for bad content; every problem is one `MessageTransaction` with ``error`` set,
the reason in one line naming the file:

- empty (or whitespace only): ``NAME: the file is empty``;
- UTF-16 or UTF-32 (a byte order mark of those): refused by name, payment messages are UTF-8
  (ISO 20022 as sent over the network, MT as SWIFT's character set);
- any other content no format recognises: ``NAME: not an ISO 20022 or SWIFT MT message``;
- a file that cannot be opened or read: the operating system's reason;
- a reader that stops with an exception (a bug in it): the records read so far, then one
  error record saying where reading stopped, so the rest of the file is never silently lost.

Directories are the caller's business (`screening.batch.payments.payment_files`).
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Final, Protocol

from screening.coalition.payments import MessageTransaction, iso20022, swift_mt

# Enough for a Business Application Header and a transport envelope before the Document, or
# an MT block 1-3 before block 4.
HEAD_BYTES: Final = 16 * 1024
UNKNOWN_FORMAT: Final = "not an ISO 20022 or SWIFT MT message"
_LEADING_WHITESPACE = b" \t\r\n"
# UTF-32 first: its little-endian mark begins with UTF-16's.
_WIDE_MARKS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


class PaymentFormat(Protocol):
    """The shape of a format module (`screening.coalition.payments`)."""

    FORMAT: str

    def sniff(self, head: bytes) -> bool: ...

    def read(self, stream: BinaryIO, name: str) -> Iterator[MessageTransaction]: ...


FORMATS: tuple[PaymentFormat, ...] = (iso20022, swift_mt)


def content_start(head: bytes) -> int:
    """How many bytes to skip before the content: a UTF-8 byte order mark, then whitespace."""
    start = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    return len(head) - len(head[start:].lstrip(_LEADING_WHITESPACE))


def detect(head: bytes) -> PaymentFormat | None:
    """The format whose ``sniff`` accepts `head` (from its first significant byte), or None."""
    for payment_format in FORMATS:
        if payment_format.sniff(head):
            return payment_format
    return None


def failed(index: int, reason: str) -> MessageTransaction:
    """An error record: nothing of the message could be read."""
    return MessageTransaction(index, None, None, None, None, reason)


def read_payments(path: Path, name: str | None = None) -> Iterator[MessageTransaction]:
    """Every transaction of the payment file at `path`, in order (module docstring).

    `name` is how records and reasons name the file (default: `path` as given).
    """
    label = str(path) if name is None else name
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield failed(0, f"{label}: cannot be read: {exc.strerror or exc}")
        return
    with handle:
        yield from _read_stream(handle, label)


def read_payment_bytes(data: bytes, name: str) -> Iterator[MessageTransaction]:
    """Every transaction of one message (or bulk file) held in memory, in order."""
    return _read_stream(io.BytesIO(data), name)


def _read_stream(stream: BinaryIO, name: str) -> Iterator[MessageTransaction]:
    try:
        head = stream.read(HEAD_BYTES)
    except OSError as exc:
        yield failed(0, f"{name}: cannot be read: {exc.strerror or exc}")
        return
    for mark, encoding in _WIDE_MARKS:
        if head.startswith(mark):
            yield failed(0, f"{name}: {encoding} text; payment messages must be UTF-8")
            return
    start = content_start(head)
    if start == len(head) and len(head) < HEAD_BYTES:
        yield failed(0, f"{name}: the file is empty")
        return
    payment_format = detect(head[start:])
    if payment_format is None:
        yield failed(0, f"{name}: {UNKNOWN_FORMAT}")
        return
    stream.seek(start)
    yield from _guarded(payment_format, stream, name)


def _guarded(
    payment_format: PaymentFormat, stream: BinaryIO, name: str
) -> Iterator[MessageTransaction]:
    """The reader's records; an exception from it (a bug) ends the file with an error record."""
    next_index = 0
    try:
        for item in payment_format.read(stream, name):
            next_index = item.index + 1
            yield item
    # Any exception: a bug in one format reader must not end the whole batch.
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
        yield failed(
            next_index,
            f"{name}: {payment_format.FORMAT} reading stopped after {next_index} "
            f"transaction(s): {reason}",
        )
