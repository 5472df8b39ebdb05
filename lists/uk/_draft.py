"""An entity being assembled from many UK rows or elements, with the mappings OFSI and FCDO share.

The OFSI Consolidated List repeats a designation's facts on every name row and the FCDO XML
lists them in sub-elements; both end up here, where values are de-duplicated and kept in the
order the file gave them. Parties the entry is linked to (owners, parents, subsidiaries) go to
``related`` and, with their relation, to ``remarks``, so nothing is lost by the flattening.
"""

from __future__ import annotations

import re

from lists.draft import EntityDraft
from lists.model import (
    Address,
    Entity,
    Identifier,
    IdentifierType,
    NameKind,
    Schema,
    Source,
    SourceRef,
)
from lists.uk._text import (
    birth_date,
    countries_in,
    document_number,
    emails,
    issuing_country,
    mmsi_numbers,
    split_numbered,
)
from lists.values.countries import to_iso2
from lists.values.identifiers import classify_identifier, imo_mentions

_KIND_ORDER = {NameKind.PRIMARY: 0, NameKind.ALIAS: 1, NameKind.WEAK_ALIAS: 2, NameKind.FORMER: 3}
_BRACKETED_COUNTRY = re.compile(r"\(([^()]+)\)\s*$")
_WEBSITE_SEPARATOR = re.compile(r"\s*[,;]\s*|\s+(?=https?://|www\.)")
_BIC = re.compile(r"\b[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b")
_LABEL_PREFIX = re.compile(r"^[^\d:]{1,40}:\s*")
_GENDERS = {"male": "male", "female": "female", "m": "male", "f": "female"}
# Identifier types a national-identity field may really hold, by the wording of its details.
_NATIONAL_ID_TYPES = (IdentifierType.TAX_ID, IdentifierType.PASSPORT)


class UkDraft(EntityDraft):
    """A UK entry being assembled, with the readers for the text OFSI and FCDO write."""

    def add_address(self, address: Address) -> None:
        """An address; its country is also one of the entry's country links."""
        super().add_address(address)
        self.add_country(address.country)

    # --- values that need reading ---------------------------------------------------------

    def read_birth_date(self, text: str) -> None:
        if not text:
            return
        date = birth_date(text)
        if date is None:
            self.add_remark(f"Date of birth: {text}")
            return
        self.add_birth_date(date)

    def read_nationality(self, text: str) -> None:
        if not text:
            return
        codes, complete = countries_in(text)
        for code in codes:
            self.add_nationality(code)
        if not complete:
            self.add_remark(f"Nationality: {text}")

    def add_flag(self, label: str, text: str) -> None:
        """A vessel's current or previous flag: a country link, with its meaning in remarks."""
        if not text:
            return
        codes, _complete = countries_in(text)
        for code in codes:
            self.add_country(code)
        self.add_remark(f"{label}: {text}")

    def add_gender(self, text: str) -> None:
        if not text:
            return
        gender = _GENDERS.get(text.strip().lower(), text.strip())
        if self.gender is None:
            self.gender = gender
        elif gender != self.gender:
            self.add_remark(f"Gender: {text}")

    def add_parties(self, relation: str, text: str) -> None:
        """Owners, parent companies, subsidiaries: names in ``related``, relation in remarks."""
        if not text:
            return
        for party in split_numbered(text):
            self.add_related(party)
        self.add_remark(f"{relation}: {text}")

    def add_phones(self, label: str, text: str) -> None:
        for number in split_numbered(text):
            self.add_identifier(Identifier(type=IdentifierType.PHONE, value=number, label=label))

    def add_emails(self, label: str, text: str) -> None:
        for address in emails(text) or split_numbered(text):
            self.add_identifier(Identifier(type=IdentifierType.EMAIL, value=address, label=label))

    def add_websites(self, label: str, text: str) -> None:
        for item in split_numbered(text):
            for site in _WEBSITE_SEPARATOR.split(item):
                if site:
                    self.add_identifier(
                        Identifier(type=IdentifierType.WEBSITE, value=site, label=label)
                    )

    def add_registration_numbers(self, label: str, text: str) -> None:
        """Business registration numbers: "(1) OGRN: 1147746889531 (2) TIN: 7720821959".

        Each numbered item is one identifier. Its type comes from the item's wording (INN/TIN
        is a tax id, OGRN a registration number) and defaults to a registration number; the
        value is the number it holds, and the item as written is kept as the note when it says
        more than the number.
        """
        for item in split_numbered(text):
            identifier_type = classify_identifier(item)
            if identifier_type is IdentifierType.OTHER:
                identifier_type = IdentifierType.REGISTRATION_NUMBER
            found = _BIC.search(item) if identifier_type is IdentifierType.BIC else None
            value = found.group(0) if found else document_number(item) or item
            self.add_identifier(
                Identifier(
                    type=identifier_type,
                    value=value,
                    country=_bracketed_country(item),
                    label=label,
                    note=item if item != value else None,
                )
            )

    def add_documents(
        self,
        identifier_type: IdentifierType,
        label: str,
        numbers: str,
        details: str,
    ) -> None:
        """Passport or national id numbers with their details ("(1) ... (2) ..." paired)."""
        number_items = split_numbered(numbers)
        detail_items = split_numbered(details)
        paired = len(detail_items) == len(number_items)
        for position, number in enumerate(number_items):
            detail = detail_items[position] if paired else details
            self._add_document(identifier_type, label, number, detail or None)
        if not number_items and details:
            self.add_remark(f"{label}: {details}")

    def add_documents_in_text(self, identifier_type: IdentifierType, label: str, text: str) -> None:
        """Documents described only in free text (pre-2022 "Passport Details", "NI Number")."""
        for item in split_numbered(text):
            number = document_number(item)
            self._add_document(identifier_type, label, number or item, item)

    def _add_document(
        self, identifier_type: IdentifierType, label: str, number: str, detail: str | None
    ) -> None:
        value = " ".join(number.split())
        if not value:
            return
        kind = identifier_type
        if identifier_type is IdentifierType.NATIONAL_ID:
            stated = classify_identifier(f"{detail or ''} {value}")
            kind = stated if stated in _NATIONAL_ID_TYPES else identifier_type
            value = _without_label(value)
        self.add_identifier(
            Identifier(
                type=kind,
                value=value,
                country=issuing_country(detail) or issuing_country(number),
                label=label,
                note=detail if detail and detail != value else None,
            )
        )

    def add_vessel_numbers(self, text: str, label: str) -> None:
        """IMO and MMSI numbers stated in free text."""
        for mention in imo_mentions(text):
            self.add_identifier(
                Identifier(type=IdentifierType.IMO, value=mention.number, label=label)
            )
        for number in mmsi_numbers(text):
            self.add_identifier(Identifier(type=IdentifierType.MMSI, value=number, label=label))

    # --- the result -----------------------------------------------------------------------

    def build(
        self, source: Source, entry_id: str, schema: Schema, ref: SourceRef, dataset: str = ""
    ) -> Entity:
        """The entity with its names primary first, then aliases, weak aliases, former names."""
        self.names.sort(key=lambda name: _KIND_ORDER[name.kind])
        return super().build(source, entry_id, schema, ref, dataset)


def _without_label(value: str) -> str:
    """ "TIN: 780245503097" -> "780245503097"; a value without a "label:" prefix is kept."""
    match = _LABEL_PREFIX.match(value)
    rest = value[match.end() :] if match else ""
    return rest if any(char.isdigit() for char in rest) else value


def _bracketed_country(text: str) -> str | None:
    match = _BRACKETED_COUNTRY.search(text)
    return to_iso2(match.group(1)) if match else None


def make_address(
    lines: list[str], postal_code: str | None, country_text: str | None
) -> Address | None:
    """An address from its parts; None when every part is empty."""
    lines = [line for line in lines if line]
    if not lines and not postal_code and not country_text:
        return None
    return Address(
        lines=lines,
        postal_code=postal_code or None,
        country=to_iso2(country_text) if country_text else None,
        country_text=country_text or None,
    )
