"""The pieces of an ISO 20022 credit transfer: parties, agent banks, accounts, addresses, texts.

`screening.coalition.payments.iso20022` walks the message; this module turns one element of it
into the shared model (`screening.coalition.participants`), recording for every value the
XPath-like path it came from (``CdtTrfTxInf[0]/Cdtr/PstlAdr/Ctry``). Repeatable elements carry
their zero-based position (``AdrLine[0]``, ``Ustrd[1]``); elements that occur once do not.

Element names are compared by local name, so every version (pacs.008.001.08 to .13, pacs.009,
pain.001) and any namespace prefix read the same way.

Values are kept as the message gives them (whitespace collapsed): placeholders such as
``NOTPROVIDED`` or generated ``EXNm`` values stay, the transparency rule judges them. A value the
model cannot hold honestly (a malformed BIC, an unknown country code) raises `FieldError` naming
the field, and the reader turns the transaction into an error record.

Name overflow (a name continued in the first ``AdrLine``): an MT name and address field is four
lines of 35 characters, and MT-to-MX translation puts line 1 into ``Nm`` and the rest into
``AdrLine``, so a long name spills over (``SHASHU LANXI SHANYE`` / ``MACHINERY CO LTD`` in the
translated MT103 a2014 sample). The first address line is joined to the name only when it holds
no digit (street numbers and post codes have them) and either

- the name is exactly 35 characters (the MT line was full, so the name was cut), or
- the name and the line together end in a legal form (``CO LTD``, ``GMBH``, ``LLC`` ..., the
  matcher's own legal-form table) while the name alone does not: the company's legal form
  was carried to the next line.

The joined line leaves the address, and the name's location names both fields
(``.../Cdtr/Nm + .../Cdtr/PstlAdr/AdrLine[0]``).

Speed (a bank screens thousands of messages a second): an element asked about many children
is indexed once (`Children`), tag names are cached (`tag_name`), and a bank read from the same
XML at the same place, in the same role and with the same account is the same participant, so
the correspondents that recur from message to message are built once (`institution`).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from typing import Final

from lxml import etree

from lists.xml import child_text, first_child, iter_children, local_name
from screening.coalition.participants import (
    Address,
    Participant,
    PartyIdentifier,
    TextField,
    TextKind,
)
from screening.coalition.transactions import normalize_bic, normalize_country
from screening.matching.normalize import TokenKind, tokenize

Element = etree._Element
# An account element (``DbtrAcct``, ``IntrmyAgt1Acct`` ...) and its path.
Account = tuple[Element, str]

MT_LINE_WIDTH: Final = 35
# ISO 20022 person/organisation identification scheme codes (ExternalPersonIdentification1Code
# and ExternalOrganisationIdentification1Code) that the model names in words; any other code is
# kept as the message gives it ("DRLC", "SOSE", "DUNS" ...).
SCHEME_KINDS: Final = {
    "CCPT": "passport",
    "NIDN": "national_id",
    "CUST": "customer",
    "TXID": "tax_id",
}
# Postal address parts with no field of their own in `Address`: kept as extra lines after the
# AdrLine lines, so the place search still reads them (a district can be an occupied region).
_EXTRA_ADDRESS_PARTS: Final = (
    "Dept",
    "SubDept",
    "BldgNm",
    "Flr",
    "PstBx",
    "Room",
    "TwnLctnNm",
    "DstrctNm",
)


# Local names of the tags seen so far: the reader asks for the name of every element of every
# message, and a message uses a few dozen distinct tags. Bounded, so that a file of made-up tags
# cannot grow it without end (past the bound, names are worked out each time).
TAG_NAMES: dict[object, str] = {}
TAG_NAMES_LIMIT: Final = 4096


def tag_name(tag: object) -> str:
    """`lists.xml.local_name` of an element's tag, cached; "" for a comment or PI."""
    name = TAG_NAMES.get(tag)
    if name is None:
        name = local_name(tag) if isinstance(tag, str) else ""
        if len(TAG_NAMES) < TAG_NAMES_LIMIT:
            TAG_NAMES[tag] = name
    return name


class FieldError(ValueError):
    """A field whose value the reader cannot accept: where it is, its line, why."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class Children:
    """The direct children of one element by local name, gathered in one pass.

    For the elements asked about many names (a postal address, a bank's ``FinInstnId``, a
    transaction's optional blocks): one walk over the children and dictionary look-ups cost a
    third of one `lists.xml.first_child` search per name. Same answers as those helpers.
    """

    __slots__ = ("_by_name", "element")

    def __init__(self, element: Element) -> None:
        self.element = element
        by_name: dict[str, list[Element]] = {}
        names = TAG_NAMES
        for item in element:
            # The cache inline: a call per child is a third of this loop's time.
            name = names.get(item.tag) or tag_name(item.tag)
            if not name:
                continue
            found = by_name.get(name)
            if found is None:
                by_name[name] = [item]
            else:
                found.append(item)
        self._by_name = by_name

    def first(self, name: str) -> Element | None:
        """The first child named `name`; None when absent."""
        found = self._by_name.get(name)
        return None if found is None else found[0]

    def all(self, name: str) -> list[Element]:
        """Every child named `name`, in document order."""
        return self._by_name.get(name, [])

    def text(self, name: str) -> str | None:
        """The collapsed text of the first child named `name`; None when absent or empty."""
        found = self._by_name.get(name)
        if found is None:
            return None
        return " ".join((found[0].text or "").split()) or None


def child(element: Element | None, *names: str) -> Element | None:
    """The first descendant along `names`, one direct child per step; None when absent."""
    current = element
    for name in names:
        if current is None:
            return None
        current = first_child(current, name)
    return current


def text_at(element: Element | None, *names: str) -> str | None:
    """The collapsed text at the path `names` below `element`; None when absent or empty."""
    if element is None or not names:
        return None
    parent = child(element, *names[:-1])
    return None if parent is None else child_text(parent, names[-1])


# The same banks and countries recur in message after message; their checks look up the
# country tables each time, so valid answers are kept (a failure raises and is not kept).
_known_bic = functools.lru_cache(maxsize=4096)(normalize_bic)
_known_country = functools.lru_cache(maxsize=1024)(normalize_country)


def _checked_bic(value: str, path: str, line: int | None) -> str:
    try:
        return _known_bic(value)
    except ValueError as exc:
        raise FieldError(path, line, str(exc)) from None


def _checked_country(value: str, path: str, line: int | None) -> str:
    if len(value) != 2 or not value.isalpha():
        raise FieldError(path, line, f"{value!r} is not an ISO 3166 alpha-2 country code")
    try:
        return _known_country(value)
    except ValueError as exc:
        raise FieldError(path, line, str(exc)) from None


def _line(element: Element | None, *names: str) -> int | None:
    found = child(element, *names) if names else element
    return None if found is None else found.sourceline


def address(element: Element | Children, path: str) -> Address:
    """A postal address (``PstlAdr``): structured parts, ``AdrLine`` lines, or both."""
    parts = element if isinstance(element, Children) else Children(element)
    lines = [
        " ".join((line.text or "").split())
        for line in parts.all("AdrLine")
        if (line.text or "").strip()
    ]
    lines.extend(value for part in _EXTRA_ADDRESS_PARTS if (value := parts.text(part)) is not None)
    country = parts.text("Ctry")
    return Address(
        lines=lines,
        street=parts.text("StrtNm"),
        building=parts.text("BldgNb"),
        post_code=parts.text("PstCd"),
        town=parts.text("TwnNm"),
        subdivision=parts.text("CtrySubDvsn"),
        country=None
        if country is None
        else _checked_country(country.upper(), f"{path}/Ctry", _line(parts.first("Ctry"))),
    )


def _ends_in_legal_form(text: str) -> bool:
    tokens = tokenize(text)
    return bool(tokens) and tokens[-1].kind == TokenKind.LEGAL_FORM.value


def continues_name(name: str, line: str) -> bool:
    """Is `line` (the first AdrLine) the rest of `name`? The rule is in the module docstring."""
    if any(char.isdigit() for char in line):
        return False
    if len(name) == MT_LINE_WIDTH:
        return True
    return _ends_in_legal_form(f"{name} {line}") and not _ends_in_legal_form(name)


def _account(account: Element, path: str) -> tuple[str, str] | None:
    """(account, its location) from ``Id/IBAN`` or ``Id/Othr/Id`` of a ``...Acct`` element.

    The location tells an IBAN (``.../Id/IBAN``: its first two letters are a country) from a
    bank's own account number (``.../Id/Othr/Id``), which may start with letters too.
    """
    iban = text_at(account, "Id", "IBAN")
    if iban is not None:
        return iban, f"{path}/Id/IBAN"
    other = text_at(account, "Id", "Othr", "Id")
    if other is not None:
        return other, f"{path}/Id/Othr/Id"
    return None


def _scheme_identifier(element: Element, path: str, default_kind: str) -> PartyIdentifier | None:
    """An ``Othr`` identification: ``Id`` with ``SchmeNm/Cd`` (or ``Prtry``) and ``Issr``."""
    value = child_text(element, "Id")
    if value is None:
        return None
    code = text_at(element, "SchmeNm", "Cd") or text_at(element, "SchmeNm", "Prtry")
    kind = SCHEME_KINDS.get(code.upper(), code) if code else default_kind
    return PartyIdentifier(kind=kind, value=value, issuer=child_text(element, "Issr"))


class _Builder:
    """Collects one participant's values and their locations."""

    def __init__(self, role: str, path: str) -> None:
        self.values: dict[str, object] = {"role": role}
        self.identifiers: list[PartyIdentifier] = []
        self.locations: dict[str, str] = {"party": path}

    def set(self, attribute: str, value: object, location: str) -> None:
        if value is None or attribute in self.values:
            return
        self.values[attribute] = value
        self.locations[attribute] = location

    def identify(self, identifier: PartyIdentifier | None, location: str) -> None:
        if identifier is None:
            return
        self.identifiers.append(identifier)
        self.locations.setdefault("identifiers", location)

    def name_and_address(self, element: Children, path: str) -> None:
        """``Nm`` and ``PstlAdr`` of `element`, joining a name that overflows into AdrLine."""
        name = element.text("Nm")
        postal_element = element.first("PstlAdr")
        if postal_element is None:
            self.set("name", name, f"{path}/Nm")
            return
        postal = Children(postal_element)
        found = address(postal, f"{path}/PstlAdr")
        adr_lines = found.lines[: len(postal.all("AdrLine"))]
        if name is not None and adr_lines and continues_name(name, adr_lines[0]):
            self.set(
                "name",
                f"{name} {adr_lines[0]}",
                f"{path}/Nm + {path}/PstlAdr/AdrLine[0]",
            )
            found = found.model_copy(update={"lines": found.lines[1:]})
        else:
            self.set("name", name, f"{path}/Nm")
        self.set("address", found, f"{path}/PstlAdr")
        self.set("country", found.country, f"{path}/PstlAdr/Ctry")

    def account(self, account: Account | None) -> None:
        if account is None:
            return
        found = _account(*account)
        if found is not None:
            self.set("account", found[0], found[1])

    def build(self) -> Participant:
        if self.identifiers:
            self.values["identifiers"] = self.identifiers
        self.values["locations"] = self.locations
        return Participant.model_validate(self.values)


def _person_identification(builder: _Builder, identification: Element, path: str) -> None:
    birth = child(identification, "DtAndPlcOfBirth")
    if birth is not None:
        birth_path = f"{path}/DtAndPlcOfBirth"
        builder.set("birth_date", child_text(birth, "BirthDt"), birth_path)
        place = [child_text(birth, name) for name in ("CityOfBirth", "PrvcOfBirth", "CtryOfBirth")]
        builder.set("birth_place", ", ".join(part for part in place if part) or None, birth_path)
        builder.locations["birth"] = birth_path
    for position, other in enumerate(iter_children(identification, "Othr")):
        builder.identify(_scheme_identifier(other, path, "other"), f"{path}/Othr[{position}]")


def _organisation_identification(builder: _Builder, identification: Element, path: str) -> None:
    bic = child_text(identification, "AnyBIC")
    if bic is not None:
        line = _line(identification, "AnyBIC")
        builder.set("bic", _checked_bic(bic, f"{path}/AnyBIC", line), f"{path}/AnyBIC")
    builder.set("lei", child_text(identification, "LEI"), f"{path}/LEI")
    for position, other in enumerate(iter_children(identification, "Othr")):
        builder.identify(_scheme_identifier(other, path, "other"), f"{path}/Othr[{position}]")


def party(
    element: Element,
    path: str,
    role: str,
    account: Account | None = None,
) -> Participant:
    """A party (``PartyIdentification``: Nm, PstlAdr, Id, CtryOfRes) and its account.

    `account` is the party's account element and its path (``DbtrAcct`` is a sibling of
    ``Dbtr``). A party that is a financial institution (pacs.009 ``Dbtr``/``Cdtr`` hold a
    ``FinInstnId``) is read by `institution`.
    """
    parts = Children(element)
    if parts.first("FinInstnId") is not None:
        return institution(element, path, role, account)
    builder = _Builder(role, path)
    builder.name_and_address(parts, path)
    identification = parts.first("Id")
    if identification is not None:
        private = child(identification, "PrvtId")
        if private is not None:
            _person_identification(builder, private, f"{path}/Id/PrvtId")
        organisation = child(identification, "OrgId")
        if organisation is not None:
            _organisation_identification(builder, organisation, f"{path}/Id/OrgId")
    residence = parts.text("CtryOfRes")
    if residence is not None:
        residence_path = f"{path}/CtryOfRes"
        line = _line(parts.first("CtryOfRes"))
        country = _checked_country(residence.upper(), residence_path, line)
        builder.set("country", country, residence_path)
    builder.account(account)
    return builder.build()


class _RecentBanks:
    """The banks read lately, by their XML, path, role and account: a payment names the same
    correspondents over and over, and a bank read from the same XML at the same place is the
    same (frozen) participant. Least recently used out first; safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[object, ...], Participant] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> Participant | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[object, ...], participant: Participant) -> None:
        with self._lock:
            self._items[key] = participant
            if len(self._items) > self.size:
                self._items.popitem(last=False)


_RECENT_BANKS: Final = _RecentBanks(2048)


def institution(
    element: Element,
    path: str,
    role: str,
    account: Account | None = None,
) -> Participant:
    """A bank (``BranchAndFinancialInstitutionIdentification``) and its account.

    BICFI, LEI, name, postal address, clearing system member id (an identifier of kind
    ``clearing_member``, issuer the clearing system code), other ids, and the branch id.
    """
    # The whole subtree is the key (text, attributes, namespaces): only the same XML at the
    # same place gives the same bank. A bank that cannot be read raises and is not kept.
    key = (
        etree.tostring(element, with_tail=False),
        path,
        role,
        None if account is None else etree.tostring(account[0], with_tail=False),
        None if account is None else account[1],
    )
    found = _RECENT_BANKS.get(key)
    if found is None:
        found = _institution(element, path, role, account)
        _RECENT_BANKS.put(key, found)
    return found


def _institution(element: Element, path: str, role: str, account: Account | None) -> Participant:
    builder = _Builder(role, path)
    parts = Children(element)
    institution_element = parts.first("FinInstnId")
    base = f"{path}/FinInstnId"
    if institution_element is not None:
        institution_id = Children(institution_element)
        bic = institution_id.text("BICFI")
        if bic is not None:
            line = _line(institution_id.first("BICFI"))
            builder.set("bic", _checked_bic(bic, f"{base}/BICFI", line), f"{base}/BICFI")
        builder.set("lei", institution_id.text("LEI"), f"{base}/LEI")
        builder.name_and_address(institution_id, base)
        clearing = institution_id.first("ClrSysMmbId")
        member = text_at(clearing, "MmbId")
        if member is not None:
            system = text_at(clearing, "ClrSysId", "Cd") or text_at(clearing, "ClrSysId", "Prtry")
            builder.identify(
                PartyIdentifier(kind="clearing_member", value=member, issuer=system),
                f"{base}/ClrSysMmbId",
            )
        other = institution_id.first("Othr")
        if other is not None:
            builder.identify(_scheme_identifier(other, base, "other"), f"{base}/Othr")
    branch = text_at(parts.first("BrnchId"), "Id")
    if branch is not None:
        builder.identify(PartyIdentifier(kind="branch", value=branch), f"{path}/BrnchId/Id")
    builder.account(account)
    return builder.build()


def element_path(base: str, element: Element) -> str:
    """`base` + "/" + the element's local name."""
    return f"{base}/{tag_name(element.tag)}"


def _repeated_texts(element: Element, name: str, path: str) -> list[tuple[str, str]]:
    """(location, text) of every non-empty direct child `name`, indexed."""
    found = []
    for position, item in enumerate(iter_children(element, name)):
        value = " ".join((item.text or "").split())
        if value:
            found.append((f"{path}/{name}[{position}]", value))
    return found


def _remittance(remittance: Element, path: str) -> list[tuple[str, str]]:
    """Unstructured lines, then the text parts of each structured block."""
    found = _repeated_texts(remittance, "Ustrd", path)
    for position, structured in enumerate(iter_children(remittance, "Strd")):
        base = f"{path}/Strd[{position}]"
        for document, info in enumerate(iter_children(structured, "RfrdDocInf")):
            number = child_text(info, "Nb")
            if number is not None:
                found.append((f"{base}/RfrdDocInf[{document}]/Nb", number))
        reference = text_at(structured, "CdtrRefInf", "Ref")
        if reference is not None:
            found.append((f"{base}/CdtrRefInf/Ref", reference))
        # Invoicer and invoicee are names: the free-text scan is where they get screened.
        for role in ("Invcr", "Invcee"):
            name = text_at(structured, role, "Nm")
            if name is not None:
                found.append((f"{base}/{role}/Nm", name))
        found.extend(_repeated_texts(structured, "AddtlRmtInf", base))
    return found


def _instructions(element: Children, path: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for name in ("InstrForCdtrAgt", "InstrForNxtAgt"):
        for position, instruction in enumerate(element.all(name)):
            value = child_text(instruction, "InstrInf")
            if value is not None:
                found.append((f"{path}/{name}[{position}]/InstrInf", value))
    # pain.001: a plain text up to version 09, an InstrInf element in later versions.
    for_debtor_agent = element.first("InstrForDbtrAgt")
    if for_debtor_agent is not None:
        value = child_text(for_debtor_agent, "InstrInf")
        if value is not None:
            found.append((f"{path}/InstrForDbtrAgt/InstrInf", value))
        elif plain := " ".join((for_debtor_agent.text or "").split()):
            found.append((f"{path}/InstrForDbtrAgt", plain))
    return found


def _regulatory(element: Children, path: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for position, report in enumerate(element.all("RgltryRptg")):
        base = f"{path}/RgltryRptg[{position}]"
        authority = text_at(report, "Authrty", "Nm")
        if authority is not None:
            found.append((f"{base}/Authrty/Nm", authority))
        for detail, details in enumerate(iter_children(report, "Dtls")):
            found.extend(_repeated_texts(details, "Inf", f"{base}/Dtls[{detail}]"))
    return found


def _purposes(element: Children, path: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for base, purpose in (
        (f"{path}/Purp", element.first("Purp")),
        (f"{path}/PmtTpInf/CtgyPurp", child(element.first("PmtTpInf"), "CtgyPurp")),
    ):
        for kind in ("Cd", "Prtry"):
            value = text_at(purpose, kind)
            if value is not None:
                found.append((f"{base}/{kind}", value))
    return found


def texts(element: Element | Children, path: str) -> list[TextField]:
    """The free texts of a transaction (or ``PmtInf``, or an underlying customer transfer).

    Remittance (``RmtInf/Ustrd``, structured ``Strd`` text parts), instructions for the
    agents, regulatory reporting details and the purpose and category purpose codes.
    """
    parts = element if isinstance(element, Children) else Children(element)
    found: list[TextField] = []
    remittance = parts.first("RmtInf")
    if remittance is not None:
        found.extend(
            TextField(field=field, kind=TextKind.REMITTANCE, text=text)
            for field, text in _remittance(remittance, f"{path}/RmtInf")
        )
    for kind, pieces in (
        (TextKind.INSTRUCTION, _instructions(parts, path)),
        (TextKind.REGULATORY, _regulatory(parts, path)),
        (TextKind.PURPOSE, _purposes(parts, path)),
    ):
        found.extend(TextField(field=field, kind=kind, text=text) for field, text in pieces)
    return found
