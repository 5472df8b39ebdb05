"""Payment messages as banks send them: ISO 20022 (pacs.008, pacs.009 incl. COV, pain.001) and
SWIFT MT (MT103, MT202, MT202COV, MT205COV), read into `Transaction`s with their parties,
agents and free texts (`screening.coalition.participants`).

One module per format, each with the same shape: ``FORMAT`` (its name), ``sniff(head)`` (does
this content look like the format: detection goes by content, never by file name) and
``read(stream, name)`` yielding one `MessageTransaction` per transaction in file order (one per
``CdtTrfTxInf`` of an ISO 20022 message, one per MT message of a bulk file). A message that
cannot be read gives one record with ``error`` set (the reason in one line, naming the file),
never an exception and never a silently skipped message. `reader` picks the format.
"""

from __future__ import annotations

from dataclasses import dataclass

from screening.coalition.transactions import Transaction


@dataclass(frozen=True, slots=True)
class MessageTransaction:
    """One transaction of a payment file, or the reason a message of it could not be read."""

    index: int  # position within the file, from 0, counting error records too
    message_type: str | None  # "pacs.008.001.12", "MT103"; None when not recognisable
    msg_id: str | None  # GrpHdr/MsgId, or MT field 20
    tx_id: str | None  # EndToEndId (else UETR, else TxId/InstrId), or MT field 20
    transaction: Transaction | None
    error: str | None = None
