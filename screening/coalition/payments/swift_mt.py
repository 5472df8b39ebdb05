"""SWIFT MT payment messages (MT103, MT202, MT202COV, MT205, MT205COV) read into `Transaction`s.

Input: FIN messages as text blocks ``{1:…}{2:…}{3:{108:…}{121:…}}{4:<CRLF>:20:…<CRLF>-}{5:…}``
(CRLF or LF line ends), one after another, or RJE bulk files whose messages are separated by
``$`` (``$`` is outside the SWIFT character set, so it never occurs inside a message). The
stream is read in pieces of at most 64 KiB and split on ``$`` as it goes: one message is held
at a time, and a message over 1 MiB is refused (FIN caps a message at 10,000 characters).

Records (`MessageTransaction`, one per message, ``index`` from 0 in file order):

* the message type comes from block 2 (``{2:I103…}`` input, ``{2:O103…}`` output), with
  ``COV`` for an MT202/MT205 whose block 3 has ``{119:COV}``; any other type gives one error
  record ``unsupported message type MT940``;
* the sender and receiver BICs come from the logical-terminal addresses of blocks 1 and 2
  (``BANKBEBBAXXX`` is BIC ``BANKBEBB`` + branch ``XXX``; the terminal letter is dropped):
  block 1 is the sender of an input message and the receiver of an output message;
* ``tx_id`` and ``msg_id`` are field 20, ``uetr`` block 3 field 121, ``end_to_end_id`` field
  21 (MT202/MT205) or the ``/ROC/`` reference opening field 70 (MT103), amount and currency
  field 32A;
* parties and agents (roles as in `screening.coalition.participants`): 50a ordering customer
  (debtor), 52a ordering institution (debtor agent of an MT103; the debtor of an MT202/MT205,
  as pacs.009 has it), 53a/54a/55a reimbursement agents, 56a intermediary agent 1, 57a
  creditor agent, 58a beneficiary institution and 59a beneficiary customer (creditor), the
  ``/INS/`` entries of field 72 (previous instructing agents 1-3; more stay in the text only);
* free texts: 70 remittance, 72 and 23E instruction, 77B regulatory, 26T purpose, 71A other;
* MT202COV/MT205COV sequence B (from the first 50a on: 50a, 52a, 56a, 57a, 59a, 70, 72, 33B)
  gives the ``underlying_*`` parties and agents, ``cover=True`` and locations prefixed ``B/``.

Other fields (13C, 23B, 71F, 71G, block 3 108/111/113/433, block 5 …) carry no party, bank or
text to screen and are not read. Field decoding is `swift_fields`.

ACK/NAK system messages (block 1 service identifier 21, ``{1:F21…}{4:{177:…}{451:0}}``) that
precede a message in an RJE file are not transactions: they produce no record, take no index,
and are counted only in `MtReader.acknowledgements` and `MtReader.rejections`; `read` reports
them nowhere.

Errors give one record each, ``error`` naming the file and the line, and reading goes on
with the next message: an empty file; content that is not MT at all (reading stops there:
there is no next message to find); undecodable (non UTF-8) bytes; no block 2 or block 4;
block 4 without its ``-}`` end; a broken field tag (``:5X:``); field 20 or 32A missing; a
field not in its format (`swift_fields.FieldError`); a message over 1 MiB. Stray braces
around blocks (``-}}``, ``-}{`` in the real RJE samples) are ignored; other text between
blocks is an error.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from pydantic import ValidationError

from screening.coalition.participants import AgentRole, Participant, PartyRole, TextField, TextKind
from screening.coalition.payments import MessageTransaction
from screening.coalition.payments.swift_fields import (
    FieldError,
    MtField,
    currency_amount,
    instructing_institutions,
    participant,
    value_date_amount,
)
from screening.coalition.transactions import Transaction, validation_reason

FORMAT = "swift_mt"

MAX_MESSAGE_BYTES = 1 << 20
_READ_SIZE = 1 << 16
_SEPARATOR = b"$"

_SUPPORTED = frozenset({"103", "202", "205"})
_COVER_CAPABLE = frozenset({"202", "205"})

_SNIFF = re.compile(rb"\{1:[A-Z0-9]")
_BLOCK_START = re.compile(r"\{([0-9A-Z]{1,3}):")
_BLOCK4_END = re.compile(r"\r?\n-\}")
_TAG_LINE = re.compile(r":(?P<tag>[0-9]{2}[A-Z]?):(?P<rest>.*)")
_BROKEN_TAG = re.compile(r":[^:\s]{0,5}:?")
_BLOCK1 = re.compile(r"(?:(?P<app>[A-Z])(?P<service>[0-9]{2}))?(?P<lt>[A-Z0-9]{12})[0-9]*")
_BLOCK2_INPUT = re.compile(r"I(?P<type>[0-9]{3})(?P<lt>[A-Z0-9]{12}).*")
_BLOCK2_OUTPUT = re.compile(r"O(?P<type>[0-9]{3})[0-9]{4}[0-9]{6}(?P<lt>[A-Z0-9]{12}).*")
_BLOCK2_TYPE = re.compile(r"[IO](?P<type>[0-9]{3}).*")
_BLOCK3_FIELD = re.compile(r"\{(?P<tag>[0-9A-Za-z]+):(?P<value>[^{}]*)\}")
_LT_ADDRESS = re.compile(r"[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}[A-Z0-9][A-Z0-9]{3}")
_REFERENCE = re.compile(r"^:20:(?P<reference>[^\r\n]*)", re.MULTILINE)
_ROC = re.compile(r"/ROC/(?P<reference>\S+)")
_STRAY = frozenset("{} \t\r\n")  # seen around blocks in real files: "-}}", "-}{"

# Options allowed per party/agent field number (MT103/MT202/MT205 field specifications).
_OPTIONS = {
    "50": {"A", "F", "K"},
    "52": {"A", "D"},
    "53": {"A", "B", "D"},
    "54": {"A", "B", "D"},
    "55": {"A", "B", "D"},
    "56": {"A", "C", "D"},
    "57": {"A", "B", "C", "D"},
    "58": {"A", "D"},
    "59": {"", "A", "F"},
}
_AGENTS_A = {
    "52": AgentRole.DEBTOR_AGENT,
    "53": AgentRole.INSTRUCTING_REIMBURSEMENT_AGENT,
    "54": AgentRole.INSTRUCTED_REIMBURSEMENT_AGENT,
    "55": AgentRole.THIRD_REIMBURSEMENT_AGENT,
    "56": AgentRole.INTERMEDIARY_AGENT_1,
    "57": AgentRole.CREDITOR_AGENT,
}
_PARTIES_A = {"50": PartyRole.DEBTOR, "58": PartyRole.CREDITOR, "59": PartyRole.CREDITOR}
_AGENTS_B = {
    "52": AgentRole.UNDERLYING_DEBTOR_AGENT,
    "56": AgentRole.UNDERLYING_INTERMEDIARY_AGENT,
    "57": AgentRole.UNDERLYING_CREDITOR_AGENT,
}
_PARTIES_B = {"50": PartyRole.UNDERLYING_DEBTOR, "59": PartyRole.UNDERLYING_CREDITOR}
_SEQUENCE_B_OTHERS = frozenset({"70", "72", "33B"})
_TEXTS = {
    "70": TextKind.REMITTANCE,
    "72": TextKind.INSTRUCTION,
    "77B": TextKind.REGULATORY,
    "23E": TextKind.INSTRUCTION,
    "26T": TextKind.PURPOSE,
    "71A": TextKind.OTHER,
}
_PREVIOUS_AGENTS = (
    AgentRole.PREVIOUS_INSTRUCTING_AGENT_1,
    AgentRole.PREVIOUS_INSTRUCTING_AGENT_2,
    AgentRole.PREVIOUS_INSTRUCTING_AGENT_3,
)


def sniff(head: bytes) -> bool:
    """Does the content start like SWIFT MT: a basic header block ``{1:`` (after a BOM,
    blank lines or an RJE ``$``)?"""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n$")
    return _SNIFF.match(text) is not None


class _MessageError(Exception):
    """A message that cannot be read: the file line and the reason."""

    def __init__(self, line: int, reason: str, message_type: str | None = None) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason
        self.message_type = message_type
        self.msg_id: str | None = None


# --- cutting the stream into messages ----------------------------------------------------


@dataclass
class _Segment:
    """The bytes between two ``$`` separators and the file line they start on."""

    line: int
    data: bytearray = field(default_factory=bytearray)
    oversized: bool = False

    def add(self, piece: bytes) -> None:
        if len(self.data) + len(piece) > MAX_MESSAGE_BYTES:
            self.oversized = True
            self.data.clear()  # memory stays bounded; the message is refused as a whole
        elif not self.oversized:
            self.data += piece


def _segments(stream: BinaryIO) -> Iterator[_Segment]:
    line = 1
    segment = _Segment(line)
    while piece := stream.readline(_READ_SIZE):
        parts = piece.split(_SEPARATOR)
        segment.add(parts[0])
        for part in parts[1:]:
            yield segment
            segment = _Segment(line)
            segment.add(part)
        if piece.endswith(b"\n"):
            line += 1
    yield segment


@dataclass
class _Block:
    content: str
    line: int


@dataclass
class _RawMessage:
    """The blocks of one message as found, or why they could not be found."""

    line: int
    blocks: dict[str, _Block] = field(default_factory=dict)
    error: _MessageError | None = None


def _messages(text: str, first_line: int) -> Iterator[_RawMessage]:
    """The messages of one segment: a new message starts at each block 1 (an RJE segment
    holds an ACK and its message) or when a block number repeats."""
    newlines = [index for index, char in enumerate(text) if char == "\n"]

    def line_at(position: int) -> int:
        return first_line + bisect_left(newlines, position)

    current: _RawMessage | None = None
    position = 0
    while position < len(text):
        start = _BLOCK_START.match(text, position)
        if start is None:
            if text[position] in _STRAY:
                position += 1
                continue
            if current is None or "4" in current.blocks:
                # Text after a complete message is a message of its own, not part of it.
                if current is not None:
                    yield current
                current = _RawMessage(line_at(position))
            if current.error is None:
                junk = text[position : position + 20].split("\n")[0]
                current.error = _MessageError(
                    line_at(position), f"not SWIFT MT block text: {junk!r}"
                )
            following = text.find("{1:", position)
            position = len(text) if following < 0 else following
            continue
        block_id = start.group(1)
        if current is None or block_id == "1" or block_id in current.blocks:
            if current is not None:
                yield current
            current = _RawMessage(line_at(position))
        body_start = start.end()
        if block_id == "4" and text.startswith(("\r\n", "\n"), body_start):
            end = _BLOCK4_END.search(text, body_start)
            if end is None:
                current.error = _MessageError(
                    line_at(position), "block 4 is not terminated (no '-}' line)"
                )
                current.blocks[block_id] = _Block(text[body_start:], line_at(position))
                position = len(text)
                continue
            current.blocks[block_id] = _Block(text[body_start : end.start()], line_at(position))
            position = end.end()
            continue
        depth, cursor = 1, body_start
        while depth and cursor < len(text):
            depth += {"{": 1, "}": -1}.get(text[cursor], 0)
            cursor += 1
        if depth:
            current.error = current.error or _MessageError(
                line_at(position), f"block {block_id} is not closed (no '}}')"
            )
            position = len(text)
            continue
        current.blocks[block_id] = _Block(text[body_start : cursor - 1], line_at(position))
        position = cursor
    if current is not None:
        yield current


# --- one message -----------------------------------------------------------------------------


def _fields(block: _Block) -> list[MtField]:
    """Block 4 text as fields, in order; the tag line's remainder is the field's first line."""
    lines = block.content.split("\n")
    if lines and not lines[0].strip():
        lines = lines[1:]  # the line break after "{4:"
    fields: list[MtField] = []
    tag: str | None = None
    tag_line = 0
    content: list[str] = []
    for offset, raw in enumerate(lines, 1):
        line = raw.removesuffix("\r")
        file_line = block.line + offset
        match = _TAG_LINE.fullmatch(line)
        if match is None and line.startswith(":"):
            broken = _BROKEN_TAG.match(line)
            shown = broken.group(0) if broken else line[:6]
            raise _MessageError(file_line, f"broken field tag {shown!r}")
        if match is None and tag is None:
            raise _MessageError(file_line, "block 4 does not start with a field tag (:20:)")
        if match is not None:
            if tag is not None:
                fields.append(MtField(tag, tuple(content), tag_line))
            tag, tag_line, content = match["tag"], file_line, [match["rest"]]
        else:
            content.append(line)
    if tag is not None:
        fields.append(MtField(tag, tuple(content), tag_line))
    return fields


def _bic_of_terminal(address: str, block: _Block, what: str) -> str:
    if not _LT_ADDRESS.fullmatch(address):
        raise _MessageError(block.line, f"{what}: {address!r} is not a logical-terminal address")
    return address[:8] + address[9:]


def _sender_receiver(blocks: dict[str, _Block]) -> list[Participant]:
    """Sender and receiver from the logical-terminal addresses of blocks 1 and 2."""
    block1, block2 = blocks.get("1"), blocks["2"]
    header = _BLOCK1.fullmatch(block1.content) if block1 else None
    if block1 is not None and header is None:
        raise _MessageError(block1.line, f"block 1 {block1.content!r} is not a basic header")
    own = _bic_of_terminal(header["lt"], block1, "block 1") if header and block1 else None
    output = _BLOCK2_OUTPUT.fullmatch(block2.content)
    incoming = output or _BLOCK2_INPUT.fullmatch(block2.content)
    if incoming is None:
        raise _MessageError(block2.line, f"block 2 {block2.content!r} is not an application header")
    other = _bic_of_terminal(incoming["lt"], block2, "block 2")
    # Output: block 2 holds the sender's input reference (MIR), block 1 the receiver.
    sender, receiver = (
        ((other, "{2:}"), (own, "{1:}")) if output else ((own, "{1:}"), (other, "{2:}"))
    )
    return [
        Participant(role=role.value, bic=bic, locations={"party": where, "bic": where})
        for role, (bic, where) in ((AgentRole.SENDER, sender), (AgentRole.RECEIVER, receiver))
        if bic
    ]


def _message_type(blocks: dict[str, _Block]) -> tuple[str, str]:
    """(MT number, message type) from block 2 and block 3 field 119."""
    block2 = blocks["2"]
    match = _BLOCK2_TYPE.fullmatch(block2.content)
    if match is None:
        raise _MessageError(block2.line, f"block 2 {block2.content[:20]!r} names no message type")
    number = match["type"]
    block3 = blocks.get("3")
    validation = dict(_BLOCK3_FIELD.findall(block3.content)) if block3 else {}
    cover = number in _COVER_CAPABLE and validation.get("119") == "COV"
    return number, f"MT{number}{'COV' if cover else ''}"


@dataclass
class _Parts:
    """What the fields of one message add up to."""

    parties: list[Participant] = field(default_factory=list)
    agents: list[Participant] = field(default_factory=list)
    texts: list[TextField] = field(default_factory=list)
    values: dict[str, MtField] = field(default_factory=dict)  # first 20, 21, 32A, 70


def _party_or_agent(mt_field: MtField, number: str, mt: str, parts: _Parts) -> None:
    allowed = _OPTIONS[number]
    if mt_field.option not in allowed:
        raise FieldError(mt_field, None, f"option {mt_field.option!r} is not allowed here")
    in_b = mt_field.sequence == "B"
    parties, agents = (_PARTIES_B, _AGENTS_B) if in_b else (_PARTIES_A, _AGENTS_A)
    if number == "52" and not in_b and mt != "103":
        # MT202/MT205: the ordering institution is the debtor (pacs.009 Dbtr), not its agent.
        parts.parties.append(participant(mt_field, PartyRole.DEBTOR.value))
    elif number in parties:
        parts.parties.append(participant(mt_field, parties[number].value))
    elif number in agents:
        parts.agents.append(participant(mt_field, agents[number].value))
    else:
        raise FieldError(mt_field, None, "is not allowed in sequence B")


def _previous_agents(mt_field: MtField) -> list[Participant]:
    agents = []
    for role, entry in zip(_PREVIOUS_AGENTS, instructing_institutions(mt_field), strict=False):
        where = mt_field.where(entry.first, entry.last)
        locations = {"party": where, "bic" if entry.bic else "name": mt_field.where(entry.first)}
        if entry.address:
            locations["address"] = mt_field.where(entry.first + 1, entry.last)
        agents.append(
            Participant.model_validate(
                {
                    "role": role.value,
                    "bic": entry.bic,
                    "name": entry.name,
                    "address": {"lines": entry.address} if entry.address else None,
                    "locations": locations,
                }
            )
        )
    return agents


def _read_fields(fields: list[MtField], number: str, cover: bool) -> _Parts:
    parts = _Parts()
    sequence = ""
    for plain in fields:
        if cover and not sequence and plain.tag[:2] == "50":
            sequence = "B"  # the underlying customer credit transfer starts at its 50a
        mt_field = MtField(plain.tag, plain.lines, plain.file_line, sequence)
        key = mt_field.tag[:2]
        if sequence and key not in _OPTIONS and mt_field.tag not in _SEQUENCE_B_OTHERS:
            raise FieldError(mt_field, None, "is not allowed in sequence B")
        if key in _OPTIONS:
            _party_or_agent(mt_field, key, number, parts)
        elif mt_field.tag == "33B":
            currency_amount(mt_field)  # checked, the amount screened is 32A's
        if mt_field.tag in _TEXTS and mt_field.text():
            kind = _TEXTS[mt_field.tag]
            parts.texts.append(TextField(field=mt_field.where(), kind=kind, text=mt_field.text()))
        if mt_field.tag == "72" and not sequence:
            parts.agents.extend(_previous_agents(mt_field))
        if not sequence:
            parts.values.setdefault(mt_field.tag, mt_field)
    return parts


def _transaction(raw: _RawMessage) -> tuple[str, Transaction]:
    """(message type, transaction) of one FIN message; raises `_MessageError`."""
    if raw.error is not None:
        raise raw.error
    if "2" not in raw.blocks:
        raise _MessageError(raw.line, "no block 2 (application header): message type unknown")
    number, message_type = _message_type(raw.blocks)
    block4 = raw.blocks.get("4")
    if block4 is None:
        raise _MessageError(raw.line, "no block 4 (text)", message_type)
    # Field 20 is looked up in the raw text so that an error record elsewhere still names it.
    found = _REFERENCE.search(block4.content)
    reference = (found["reference"].strip() or None) if found else None
    try:
        fields = _fields(block4)
        if number not in _SUPPORTED:
            raise _MessageError(raw.line, f"unsupported message type MT{number}")
        for tag in ("20", "32A"):
            if not any(f.tag == tag and f.text() for f in fields):
                raise _MessageError(block4.line, f"mandatory field {tag} missing")
        cover = message_type.endswith("COV")
        parts = _read_fields(fields, number, cover)
        _, currency, amount = value_date_amount(parts.values["32A"])
        agents = _sender_receiver(raw.blocks) + parts.agents
    except FieldError as exc:
        error = _MessageError(exc.field.file_line + (exc.line or 1) - 1, str(exc), message_type)
        error.msg_id = reference
        raise error from None
    except _MessageError as exc:
        exc.message_type, exc.msg_id = message_type, reference
        raise
    block3 = raw.blocks.get("3")
    uetr = dict(_BLOCK3_FIELD.findall(block3.content)).get("121") if block3 else None
    try:
        transaction = Transaction(
            tx_id=reference or "",
            amount=amount,
            currency=currency,
            message_type=message_type,
            msg_id=reference,
            end_to_end_id=_end_to_end_id(number, parts),
            uetr=uetr,
            cover=cover,
            parties=parts.parties,
            agents=agents,
            texts=parts.texts,
        )
    except ValidationError as exc:
        error = _MessageError(block4.line, validation_reason(exc), message_type)
        error.msg_id = reference
        raise error from None
    return message_type, transaction


def _end_to_end_id(number: str, parts: _Parts) -> str | None:
    if number != "103":
        related = parts.values.get("21")
        return related.text() if related else None
    remittance = parts.values.get("70")
    match = _ROC.match(remittance.lines[0].strip()) if remittance else None
    return match["reference"] if match else None


# --- the reader ---------------------------------------------------------------------------


class MtReader:
    """Reads the MT messages of one file, counting the ACK/NAK system messages it skips."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.acknowledgements = 0  # ACK system messages skipped ({451:0})
        self.rejections = 0  # NAK system messages skipped ({451:1})
        self._index = 0

    def _record(
        self,
        message_type: str | None = None,
        msg_id: str | None = None,
        transaction: Transaction | None = None,
        error: str | None = None,
    ) -> MessageTransaction:
        tx_id = transaction.tx_id if transaction else msg_id
        record = MessageTransaction(self._index, message_type, msg_id, tx_id, transaction, error)
        self._index += 1
        return record

    def _error(self, line: int, reason: str) -> MessageTransaction:
        return self._record(error=f"{self.name} line {line}: {reason}")

    def _is_system_message(self, raw: _RawMessage) -> bool:
        block1 = raw.blocks.get("1")
        header = _BLOCK1.fullmatch(block1.content) if block1 else None
        if header is None or header["service"] != "21":
            return False
        block4 = raw.blocks.get("4")
        if block4 is not None and "{451:1}" in block4.content:
            self.rejections += 1
        else:
            self.acknowledgements += 1
        return True

    def read(self, stream: BinaryIO) -> Iterator[MessageTransaction]:
        """One record per message of the stream, in order (see the module docstring)."""
        seen_content = False
        for number, segment in enumerate(_segments(stream)):
            data = bytes(segment.data)
            if number == 0:
                data = data.removeprefix(b"\xef\xbb\xbf")
            if segment.oversized:
                seen_content = True
                yield self._error(segment.line, f"message larger than {MAX_MESSAGE_BYTES} bytes")
                continue
            if not data.strip():
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                seen_content = True
                line = segment.line + data.count(b"\n", 0, exc.start)
                byte = data[exc.start : exc.start + 1].hex()
                yield self._error(line, f"undecodable byte 0x{byte} (MT text is ASCII)")
                continue
            messages = list(_messages(text, segment.line))
            if not seen_content and not any(raw.blocks for raw in messages):
                yield self._error(segment.line, "not a SWIFT MT message (no {1: block)")
                return
            seen_content = True
            for raw in messages:
                if not self._is_system_message(raw):
                    yield self._message(raw)
        if not seen_content:
            yield self._error(1, "empty file: no SWIFT MT message")

    def _message(self, raw: _RawMessage) -> MessageTransaction:
        try:
            message_type, transaction = _transaction(raw)
        except _MessageError as exc:
            reason = f"{self.name} line {exc.line}: {exc.reason}"
            return self._record(exc.message_type, exc.msg_id, None, reason)
        return self._record(message_type, transaction.msg_id, transaction)


def read(stream: BinaryIO, name: str) -> Iterator[MessageTransaction]:
    """The transactions of an MT file or RJE bulk file, one record per message, in order."""
    return MtReader(name).read(stream)
