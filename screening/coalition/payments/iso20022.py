"""ISO 20022 credit transfers (pacs.008, pacs.009 incl. COV, pain.001) read into transactions.

The message is recognised by the namespace of its ``Document`` element,
``urn:iso:std:iso:20022:tech:xsd:<family>.<variant>.<version>``: any version of the families
pacs.008, pacs.009 and pain.001 is read. The ``Document`` may be the root, or sit after a
Business Application Header (``AppHdr``, head.001) inside any transport envelope (SWIFT's
``Envelope``, a ``RequestPayload`` ...): it is found by its namespace wherever it is. The
header's ``MsgDefIdr`` is not trusted: samples rewritten to a newer namespace keep an old
identifier there, and the namespace is what the content follows, so the namespace names the
message type. Any other ISO 20022 message (camt.053, pacs.002 ...) gives one error record
``unsupported message type camt.053.001.08``.

One `MessageTransaction` per ``CdtTrfTxInf``, in file order, ``index`` from 0 (error records
count). Each transaction carries:

- ``message_type`` (``pacs.008.001.12``), ``msg_id`` (``GrpHdr/MsgId``), ``end_to_end_id``,
  ``uetr``; ``tx_id`` is the first of EndToEndId, UETR, TxId, InstrId that is given and not the
  ``NOTPROVIDED``/``NONREF`` placeholder, else ``"{msg_id}/{index}"``;
- ``amount``/``currency`` from ``IntrBkSttlmAmt`` (pain.001: ``Amt/InstdAmt``, else
  ``Amt/EqvtAmt/Amt``);
- ``parties`` with their `PartyRole` (Dbtr, Cdtr, UltmtDbtr, UltmtCdtr, InitgPty; in pacs.009
  the debtor and creditor are banks and are read as such: BIC, name, LEI), and the underlying
  customer credit transfer of a pacs.009 COV as ``underlying_*`` parties;
- ``agents`` with their `AgentRole`: the header's ``Fr``/``To`` banks (sender, receiver),
  ``GrpHdr`` instructing/instructed agents and the reimbursement agents of ``GrpHdr/SttlmInf``
  (they apply to every transaction of the message), and the transaction's own agents
  (PrvsInstgAgt1-3, InstgAgt, InstdAgt, IntrmyAgt1-3, DbtrAgt, CdtrAgt, and the underlying
  transfer's agents as ``underlying_*_agent``);
- ``texts``: remittance, instructions for agents, regulatory reporting, purpose
  (`screening.coalition.payments.iso20022_parts.texts`);
- ``cover``: a pacs.009 with an underlying customer credit transfer, or one whose header's
  business service says COV (``swift.cbprplus.cov.02``) even when the underlying block is
  missing, so the transparency rule can see a cover payment stripped of its customers.

pain.001: the debtor, its account and agent and the ultimate debtor are given once per
``PmtInf``, the initiating party once per message; each ``CdtTrfTxInf`` gets them (an
``UltmtDbtr`` of the transaction replaces the one of its ``PmtInf``, as ISO 20022 says).
Field paths are then ``PmtInf[0]/CdtTrfTxInf[1]/Cdtr/Nm``.

Safety and memory: the XML is parsed with the list readers' settings (`lists.xml`: no DTD
loading, no entity expansion, no network, no huge trees) and any document type declaration is
refused outright (ISO 20022 messages never have one; a DOCTYPE is an entity bomb or an
external-entity attempt). Parsing is streamed with ``iterparse``: each ``CdtTrfTxInf`` is
read when its end tag arrives and then dropped (a ``PmtInf`` when it ends), so a file of 100,000
transactions runs in flat memory. A file that the first read takes whole (under
`HEAD_BYTES`: a single message, most of the time) asks the parser for the events of the tags
the reader acts on only; the records are the same either way.

Nothing raises for bad content: an empty file, bytes that are not XML, a DTD, a ``Document``
of an unknown namespace or type give one error record; a transaction with a value the model
cannot hold (no amount, a malformed BIC, an unknown country code) gives an error record naming
the field and reading goes on with the next one; an XML syntax error (truncation) ends the
file with one error record after the transactions already read. Reasons read
``NAME:LINE: ...``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, Final

from lxml import etree
from pydantic import ValidationError

from lists.xml import child_text, malformed
from screening.coalition.participants import AgentRole, Participant, PartyRole, TextField
from screening.coalition.payments import MessageTransaction
from screening.coalition.payments.iso20022_parts import (
    TAG_NAMES,
    Account,
    Children,
    Element,
    FieldError,
    child,
    institution,
    party,
    tag_name,
    texts,
)
from screening.coalition.transactions import Transaction, parse_amount, validation_reason

FORMAT: Final = "iso20022"
ISO_NAMESPACE: Final = "urn:iso:std:iso:20022:tech:xsd:"
SUPPORTED_FAMILIES: Final = ("pacs.008", "pacs.009", "pain.001")
# Enough for a licence comment, a transport envelope and a header before the first element
# that matters; the DOCTYPE check reads this far (a DTD after it is caught by the parser).
HEAD_BYTES: Final = 64 * 1024
PLACEHOLDER_IDS: Final = frozenset({"NOTPROVIDED", "NONREF"})
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)
_BOM = b"\xef\xbb\xbf"

PARTY_ROLES: Final[Mapping[str, PartyRole]] = {
    "UltmtDbtr": PartyRole.ULTIMATE_DEBTOR,
    "InitgPty": PartyRole.INITIATING_PARTY,
    "Dbtr": PartyRole.DEBTOR,
    "Cdtr": PartyRole.CREDITOR,
    "UltmtCdtr": PartyRole.ULTIMATE_CREDITOR,
}
UNDERLYING_PARTY_ROLES: Final[Mapping[str, PartyRole]] = {
    "UltmtDbtr": PartyRole.UNDERLYING_ULTIMATE_DEBTOR,
    "InitgPty": PartyRole.UNDERLYING_INITIATING_PARTY,
    "Dbtr": PartyRole.UNDERLYING_DEBTOR,
    "Cdtr": PartyRole.UNDERLYING_CREDITOR,
    "UltmtCdtr": PartyRole.UNDERLYING_ULTIMATE_CREDITOR,
}
AGENT_ROLES: Final[Mapping[str, AgentRole]] = {
    "PrvsInstgAgt1": AgentRole.PREVIOUS_INSTRUCTING_AGENT_1,
    "PrvsInstgAgt2": AgentRole.PREVIOUS_INSTRUCTING_AGENT_2,
    "PrvsInstgAgt3": AgentRole.PREVIOUS_INSTRUCTING_AGENT_3,
    "InstgAgt": AgentRole.INSTRUCTING_AGENT,
    "InstdAgt": AgentRole.INSTRUCTED_AGENT,
    "IntrmyAgt1": AgentRole.INTERMEDIARY_AGENT_1,
    "IntrmyAgt2": AgentRole.INTERMEDIARY_AGENT_2,
    "IntrmyAgt3": AgentRole.INTERMEDIARY_AGENT_3,
    "DbtrAgt": AgentRole.DEBTOR_AGENT,
    "CdtrAgt": AgentRole.CREDITOR_AGENT,
}
UNDERLYING_AGENT_ROLES: Final[Mapping[str, AgentRole]] = {
    "PrvsInstgAgt1": AgentRole.UNDERLYING_PREVIOUS_INSTRUCTING_AGENT,
    "PrvsInstgAgt2": AgentRole.UNDERLYING_PREVIOUS_INSTRUCTING_AGENT,
    "PrvsInstgAgt3": AgentRole.UNDERLYING_PREVIOUS_INSTRUCTING_AGENT,
    "IntrmyAgt1": AgentRole.UNDERLYING_INTERMEDIARY_AGENT,
    "IntrmyAgt2": AgentRole.UNDERLYING_INTERMEDIARY_AGENT,
    "IntrmyAgt3": AgentRole.UNDERLYING_INTERMEDIARY_AGENT,
    "DbtrAgt": AgentRole.UNDERLYING_DEBTOR_AGENT,
    "CdtrAgt": AgentRole.UNDERLYING_CREDITOR_AGENT,
}
REIMBURSEMENT_AGENT_ROLES: Final[Mapping[str, AgentRole]] = {
    "InstgRmbrsmntAgt": AgentRole.INSTRUCTING_REIMBURSEMENT_AGENT,
    "InstdRmbrsmntAgt": AgentRole.INSTRUCTED_REIMBURSEMENT_AGENT,
    "ThrdRmbrsmntAgt": AgentRole.THIRD_REIMBURSEMENT_AGENT,
}
HEADER_AGENT_ROLES: Final[Mapping[str, AgentRole]] = {
    "Fr": AgentRole.SENDER,
    "To": AgentRole.RECEIVER,
}
# The account element of a party; an agent's is its own name + "Acct" (DbtrAgtAcct ...).
PARTY_ACCOUNTS: Final = {"Dbtr": "DbtrAcct", "Cdtr": "CdtrAcct"}
# The elements whose direct children are the transactions.
_TRANSACTION_PARENTS: Final = frozenset({"FIToFICstmrCdtTrf", "FICdtTrf", "PmtInf"})
# The elements whose start or end tag moves the reader on; every other element is passed over
# without a call (while an unsupported Document is skipped, every end tag is handled).
_STARTS: Final = frozenset({"Document", "PmtInf"})
_ENDS: Final = frozenset({"AppHdr", "GrpHdr", "CdtTrfTxInf", "PmtInf", "Document"})
# A file read whole by the first read asks the parser for the events of these tags only (any
# namespace), and lxml passes over the other elements in C; see `read`.
_EVENT_TAGS: Final = tuple(sorted(f"{{*}}{name}" for name in _STARTS | _ENDS))


def sniff(head: bytes) -> bool:
    """XML that names an ISO 20022 namespace (a Document or a Business Application Header)."""
    start = head.removeprefix(_BOM).lstrip()
    return start.startswith(b"<") and ISO_NAMESPACE.encode() in head


@dataclass(frozen=True, slots=True)
class _Found:
    """Parties, agents and texts read from one part of a message, or why it is unreadable."""

    parties: tuple[Participant, ...] = ()
    agents: tuple[Participant, ...] = ()
    texts: tuple[TextField, ...] = ()
    error: FieldError | None = None

    def __add__(self, other: _Found) -> _Found:
        return _Found(
            self.parties + other.parties,
            self.agents + other.agents,
            self.texts + other.texts,
            self.error or other.error,
        )


def _account(container: Children, path: str, name: str | None) -> Account | None:
    account = None if name is None else container.first(name)
    return None if account is None or name is None else (account, f"{path}/{name}")


def _participants(
    container: Element | Children,
    path: str,
    party_roles: Mapping[str, PartyRole],
    agent_roles: Mapping[str, AgentRole],
) -> _Found:
    """The parties and agents among the direct children of `container`, in document order."""
    if not isinstance(container, Children):
        container = Children(container)
    parties: list[Participant] = []
    agents: list[Participant] = []
    for element in container.element:
        name = tag_name(element.tag)
        if not name:
            continue
        where = f"{path}/{name}"
        party_role = party_roles.get(name)
        if party_role is not None:
            account = _account(container, path, PARTY_ACCOUNTS.get(name))
            parties.append(party(element, where, party_role.value, account))
        agent_role = agent_roles.get(name)
        if agent_role is not None:
            account = _account(container, path, f"{name}Acct")
            agents.append(institution(element, where, agent_role.value, account))
    return _Found(tuple(parties), tuple(agents))


def _guarded(read: Callable[[], _Found]) -> _Found:
    try:
        return read()
    except FieldError as exc:
        return _Found(error=exc)


def _header(header: Element) -> tuple[_Found, str | None]:
    """The sender and receiver banks of a Business Application Header, and its BizSvc."""

    def read() -> _Found:
        agents = []
        for name, role in HEADER_AGENT_ROLES.items():
            bank = child(header, name, "FIId")
            if bank is not None:
                agents.append(institution(bank, f"AppHdr/{name}/FIId", role.value))
        return _Found(agents=tuple(agents))

    return _guarded(read), child_text(header, "BizSvc")


def _group(group: Element, prefix: str) -> _Found:
    """What ``GrpHdr`` gives every transaction: initiating party, group and settlement agents."""
    path = f"{prefix}GrpHdr"

    def read() -> _Found:
        found = _participants(group, path, {"InitgPty": PartyRole.INITIATING_PARTY}, AGENT_ROLES)
        settlement = child(group, "SttlmInf")
        if settlement is not None:
            found += _participants(settlement, f"{path}/SttlmInf", {}, REIMBURSEMENT_AGENT_ROLES)
        return found

    return _guarded(read)


def _payment_information(payment: Element, path: str) -> _Found:
    """What a pain.001 ``PmtInf`` gives each of its transactions (read before the first)."""

    def read() -> _Found:
        found = _participants(
            payment,
            path,
            {"Dbtr": PartyRole.DEBTOR, "UltmtDbtr": PartyRole.ULTIMATE_DEBTOR},
            {"DbtrAgt": AgentRole.DEBTOR_AGENT},
        )
        return _Found(found.parties, found.agents, tuple(texts(payment, path)))

    return _guarded(read)


def _is_placeholder(value: str) -> bool:
    return value.strip("/").upper() in PLACEHOLDER_IDS


def _amount(transaction: Children, path: str, family: str) -> tuple[Decimal, str | None]:
    if family == "pain.001":
        names: tuple[tuple[str, ...], ...] = (("Amt", "InstdAmt"), ("Amt", "EqvtAmt", "Amt"))
    else:
        names = (("IntrBkSttlmAmt",),)
    for steps in names:
        amount = child(transaction.first(steps[0]), *steps[1:])
        if amount is not None:
            where = f"{path}/{'/'.join(steps)}"
            try:
                value = parse_amount(amount.text or "")
            except ValueError as exc:
                raise FieldError(where, amount.sourceline, str(exc)) from None
            return value, amount.get("Ccy")
    wanted = "/".join(names[0])
    raise FieldError(f"{path}/{wanted}", transaction.element.sourceline, "missing: no amount")


@dataclass
class _Document:
    """The message being read: its type and what its group header gives every transaction."""

    message_type: str
    family: str
    prefix: str  # "" for the first Document of the file, "Document[1]/" for the next
    business_service: str | None
    header: _Found
    group: _Found = field(default_factory=_Found)
    msg_id: str | None = None
    transactions: int = 0  # CdtTrfTxInf read (pacs: the position of the next one)
    payment_index: int = -1  # pain.001: position of the current PmtInf
    in_payment: int = 0  # pain.001: position of the next CdtTrfTxInf in the current PmtInf
    payment: _Found | None = None  # pain.001: the current PmtInf's context, once read


class _Reader:
    """The state of one file's ``iterparse``: which message, which transaction, which index."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.line_offset = 0  # lines of leading whitespace not given to the parser
        self.index = 0
        self.documents = 0
        self.document: _Document | None = None
        self.skipped: Element | None = None  # an unsupported Document being passed over
        self.header = _Found()
        self.business_service: str | None = None

    def error(self, line: int | None, reason: str, **ids: str | None) -> MessageTransaction:
        where = self.name if line is None else f"{self.name}:{line + self.line_offset}"
        record = MessageTransaction(
            self.index,
            ids.get("message_type"),
            ids.get("msg_id"),
            ids.get("tx_id"),
            None,
            f"{where}: {reason}",
        )
        self.index += 1
        return record

    def start(self, element: Element, name: str) -> Iterator[MessageTransaction]:
        """A start tag named `name` (one of `_STARTS`)."""
        if name == "Document" and self.document is None and self.skipped is None:
            yield from self._open_document(element)
        elif name == "PmtInf" and self.document is not None:
            self.document.payment_index += 1
            self.document.in_payment = 0
            self.document.payment = None

    def _open_document(self, element: Element) -> Iterator[MessageTransaction]:
        namespace = etree.QName(element).namespace or ""
        if not namespace.startswith(ISO_NAMESPACE):
            self.skipped = element
            shown = repr(namespace) if namespace else "no namespace"
            yield self.error(
                element.sourceline, f"unknown namespace {shown}: not an ISO 20022 Document"
            )
            return
        message_type = namespace.removeprefix(ISO_NAMESPACE)
        family = ".".join(message_type.split(".")[:2])
        if family not in SUPPORTED_FAMILIES:
            self.skipped = element
            yield self.error(
                element.sourceline,
                f"unsupported message type {message_type} (read here: "
                f"{', '.join(SUPPORTED_FAMILIES)})",
                message_type=message_type,
            )
            return
        prefix = f"Document[{self.documents}]/" if self.documents else ""
        self.documents += 1
        self.document = _Document(message_type, family, prefix, self.business_service, self.header)

    def end(self, element: Element, name: str) -> Iterator[MessageTransaction]:
        """An end tag named `name` (one of `_ENDS`, or any while a Document is skipped)."""
        if not name:
            return  # a comment or processing instruction
        document = self.document
        if self.skipped is not None:
            if element is self.skipped:
                self.skipped = None
            element.clear()
        elif document is None:
            if name == "AppHdr":
                self.header, self.business_service = _header(element)
                element.clear()
        elif name == "GrpHdr":
            document.group = _group(element, document.prefix)
            document.msg_id = child_text(element, "MsgId")
        elif name == "CdtTrfTxInf":
            parent = element.getparent()
            if parent is not None and tag_name(parent.tag) in _TRANSACTION_PARENTS:
                yield self._transaction(document, element, parent)
                element.clear()
                parent.remove(element)
        elif name == "PmtInf":
            element.clear()
        elif name == "Document":
            if document.transactions == 0:
                yield self.error(
                    element.sourceline,
                    f"{document.message_type} message without any CdtTrfTxInf",
                    message_type=document.message_type,
                    msg_id=document.msg_id,
                )
            self.document = None
            # A header belongs to the Document after it, never to a later one.
            self.header, self.business_service = _Found(), None

    def _transaction(
        self, document: _Document, element: Element, parent: Element
    ) -> MessageTransaction:
        if document.family == "pain.001":
            if document.payment is None:
                pmt_path = f"{document.prefix}PmtInf[{document.payment_index}]"
                document.payment = _payment_information(parent, pmt_path)
            path = f"{document.prefix}PmtInf[{document.payment_index}]/CdtTrfTxInf"
            path = f"{path}[{document.in_payment}]"
            document.in_payment += 1
            context = document.payment
        else:
            path = f"{document.prefix}CdtTrfTxInf[{document.transactions}]"
            context = _Found()
        document.transactions += 1
        parts = Children(element)
        identifiers = _identifiers(parts)
        tx_id = _tx_id(identifiers, document.msg_id or self.name, self.index)
        ids = {"message_type": document.message_type, "msg_id": document.msg_id, "tx_id": tx_id}
        try:
            transaction = _build(document, parts, path, context, identifiers, tx_id)
        except FieldError as exc:
            line = exc.line if exc.line is not None else element.sourceline
            return self.error(line, f"{exc.path}: {exc.reason}", **ids)
        except ValidationError as exc:
            return self.error(element.sourceline, f"{path}: {validation_reason(exc)}", **ids)
        record = MessageTransaction(
            self.index, document.message_type, document.msg_id, tx_id, transaction
        )
        self.index += 1
        return record


def _identifiers(transaction: Children) -> dict[str, str | None]:
    payment_id = transaction.first("PmtId")
    ids = Children(payment_id) if payment_id is not None else None
    return {
        name: None if ids is None else ids.text(name)
        for name in ("EndToEndId", "UETR", "TxId", "InstrId")
    }


def _tx_id(identifiers: Mapping[str, str | None], msg_id: str, index: int) -> str:
    for value in identifiers.values():
        if value is not None and not _is_placeholder(value):
            return value
    return f"{msg_id}/{index}"


def _build(
    document: _Document,
    element: Children,
    path: str,
    context: _Found,
    identifiers: Mapping[str, str | None],
    tx_id: str,
) -> Transaction:
    """The transaction of one ``CdtTrfTxInf``; FieldError or ValidationError when unreadable."""
    own = _participants(element, path, PARTY_ROLES, AGENT_ROLES)
    own = _Found(own.parties, own.agents, tuple(texts(element, path)))
    if any(p.role == PartyRole.ULTIMATE_DEBTOR for p in own.parties):
        # A transaction's own ultimate debtor replaces the one of its PmtInf.
        context = _Found(
            tuple(p for p in context.parties if p.role != PartyRole.ULTIMATE_DEBTOR),
            context.agents,
            context.texts,
            context.error,
        )
    underlying_element = element.first("UndrlygCstmrCdtTrf")
    underlying = _Found()
    if underlying_element is not None:
        underlying_path = f"{path}/UndrlygCstmrCdtTrf"
        underlying_parts = Children(underlying_element)
        underlying = _participants(
            underlying_parts, underlying_path, UNDERLYING_PARTY_ROLES, UNDERLYING_AGENT_ROLES
        )
        underlying = _Found(
            underlying.parties,
            underlying.agents,
            tuple(texts(underlying_parts, underlying_path)),
        )
    found = document.header + document.group + context + own + underlying
    if found.error is not None:
        raise found.error
    amount, currency = _amount(element, path, document.family)
    cover = document.family == "pacs.009" and (
        underlying_element is not None or ".cov" in (document.business_service or "").lower()
    )
    return Transaction.model_validate(
        {
            "tx_id": tx_id,
            "amount": amount,
            "currency": currency,
            "message_type": document.message_type,
            "msg_id": document.msg_id,
            "end_to_end_id": identifiers["EndToEndId"],
            "uetr": identifiers["UETR"],
            "cover": cover,
            "parties": list(found.parties),
            "agents": list(found.agents),
            "texts": list(found.texts),
        }
    )


class _Rejoined:
    """The stream with its already-read head put back in front (streams need not seek)."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self.head = head
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        if self.head:
            if size < 0:
                data, self.head = self.head + self.stream.read(), b""
                return data
            data, self.head = self.head[:size], self.head[size:]
            return data
        return self.stream.read(size)


def read(stream: BinaryIO, name: str) -> Iterator[MessageTransaction]:
    """Every ``CdtTrfTxInf`` of the ISO 20022 message(s) in `stream`, in order."""
    reader = _Reader(name)
    head = stream.read(HEAD_BYTES).removeprefix(_BOM)
    content = head.lstrip()
    while not content and len(head) == HEAD_BYTES:  # a long run of whitespace: read on
        reader.line_offset += head.count(b"\n")
        head = stream.read(HEAD_BYTES)
        content = head.lstrip()
    # The parser refuses whitespace before an XML declaration: it starts at the first "<".
    reader.line_offset += head[: len(head) - len(content)].count(b"\n")
    if not content:
        yield reader.error(None, "the file is empty")
        return
    if not content.startswith(b"<"):
        yield reader.error(1, "not XML: the content does not start with '<'")
        return
    doctype = _DOCTYPE.search(content)
    if doctype is not None:
        yield reader.error(content[: doctype.start()].count(b"\n") + 1, _DTD_REFUSED)
        return
    # A file longer than the first read gets every event, so that the elements of a skipped
    # Document are freed as they end and memory stays flat however long it is. One that came
    # whole (a single message, most of the time) is in memory anyway: only the events the
    # reader acts on are asked for, and its DOCTYPE check above has seen all of it.
    whole = len(head) < HEAD_BYTES
    root_seen = False
    tag_names = TAG_NAMES
    try:
        # The settings of `lists.xml.iter_elements`: nothing is fetched or expanded.
        for event, element in etree.iterparse(
            _Rejoined(content, stream),
            events=("start", "end"),
            tag=_EVENT_TAGS if whole else None,
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        ):
            # Most elements matter to no handler: only a dictionary look-up is spent on them.
            name = tag_names.get(element.tag) or tag_name(element.tag)
            if event == "start":
                if not root_seen:  # the prolog, a DTD included, is read by the first start tag
                    root_seen = True
                    tree = element.getroottree()
                    if tree.docinfo.doctype:
                        yield reader.error(tree.getroot().sourceline, _DTD_REFUSED)
                        return
                if name in _STARTS:
                    yield from reader.start(element, name)
            elif name in _ENDS or reader.skipped is not None:
                yield from reader.end(element, name)
    except etree.XMLSyntaxError as exc:
        problem = malformed(Path(name), exc)
        yield reader.error(problem.line, f"{problem.message} (reading stopped here)")
        return
    if reader.documents == 0 and reader.index == 0:
        yield reader.error(None, "no ISO 20022 Document in the file")


_DTD_REFUSED: Final = (
    "refused: the file has a DTD (a document type declaration); ISO 20022 messages never "
    "do, it is a possible XML bomb or external-entity attack"
)
