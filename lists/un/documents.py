"""Identifiers of a UN record: its documents, and the SWIFT/BIC and IMO numbers in COMMENTS1.

Documents become identifiers (TYPE_OF_DOCUMENT2 refines TYPE_OF_DOCUMENT); a document without a
NUMBER goes to remarks. Dates of issue/expiry, city of issue and NOTE go to the identifier note.

Vessels: the UN has no vessel record type. 16 ENTITY records (2026) carry an IMO number in
COMMENTS1 ("IMO number: 5571322", "Company Number IMO 5434358", "International Maritime
Organization (IMO) Number: 1790183"). Every one is a shipping company ("Registered owner of
DPRK tanker ...") and the number is its IMO company and registered owner number: 15 of 16 fail
the ship number check digit. They stay ORGANIZATION, with an IMO identifier whose note says so.
A record becomes a VESSEL only when it is unambiguously the ship itself: an ENTITY whose IMO
numbers pass the ship check digit and whose name and comments carry no company marker (legal
form words, "owner of", "manager of", "operator", "Company Number"). No real record qualifies.
IMO numbers in a person's comments are not the person's identifiers.
"""

from __future__ import annotations

import re

from lxml import etree

from lists.draft import EntityDraft
from lists.model import Identifier, IdentifierType, Schema
from lists.values.countries import to_iso2
from lists.values.identifiers import ImoMention, classify_identifier, imo_mentions
from lists.xml import text_of

_DOCUMENT_TYPES = {
    "passport": IdentifierType.PASSPORT,
    "numéro de passeport": IdentifierType.PASSPORT,
    "número de pasaporte": IdentifierType.PASSPORT,
    "national identification number": IdentifierType.NATIONAL_ID,
}
# 2018 files write one code with a space: "SWIFT: DCBK KPPY".
_BIC_IN_COMMENT = re.compile(
    r"\b(?P<label>SWIFT(?:/BIC)?)\s*:\s*(?P<code>[A-Z]{4} ?[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b"
)
_COMPANY_NAME = re.compile(
    r"\b(?:shipping|shpg|company|co|corp|corporation|ltd|limited|inc|jv|pte|llc|gmbh|plc|"
    r"management|trading|freight|group|enterprises?)\b\.?",
    re.I,
)
_COMPANY_COMMENT = re.compile(
    r"\b(?:owner of|manager of|operator|company number|owns vessels?|the company)\b", re.I
)


def read_document(document: etree._Element, draft: EntityDraft) -> None:
    """An INDIVIDUAL_DOCUMENT as an identifier, or as a remark when it has no NUMBER."""
    category = text_of(document, "TYPE_OF_DOCUMENT")
    detail = text_of(document, "TYPE_OF_DOCUMENT2")
    number = text_of(document, "NUMBER")
    issuing = text_of(document, "ISSUING_COUNTRY") or text_of(document, "COUNTRY_OF_ISSUE")
    note = _document_note(document, issuing)
    label = (detail or category or "").rstrip(" :") or None
    if number is None:
        described = "; ".join(dict.fromkeys(v for v in (category, detail, note) if v))
        if described:
            draft.remarks.append(f"Document: {described}")
        return
    draft.identifiers.append(
        Identifier(
            type=_document_type(category, detail),
            value=number,
            country=to_iso2(issuing),
            label=label,
            note=note,
        )
    )


def read_comment_identifiers(
    comments: str | None, draft: EntityDraft, *, is_person: bool
) -> Schema:
    """Add the BIC and IMO numbers an ENTITY's COMMENTS1 states; the record's schema."""
    if is_person:
        # A person's comments may name a ship's IMO number; it is not the person's identifier.
        return Schema.PERSON
    schema = Schema.ORGANIZATION
    mentions = imo_mentions(comments)
    if mentions and _is_vessel(draft.names[0].full, comments, mentions):
        schema = Schema.VESSEL
    draft.identifiers.extend(_bics(comments))
    for mention in mentions:
        draft.identifiers.append(
            Identifier(
                type=IdentifierType.IMO,
                value=mention.number,
                label=mention.label,
                note=_imo_note(mention) if schema is Schema.ORGANIZATION else None,
            )
        )
    return schema


def _document_type(category: str | None, detail: str | None) -> IdentifierType:
    if detail:
        refined = classify_identifier(detail)
        if refined is not IdentifierType.OTHER:
            return refined
    if category:
        known = _DOCUMENT_TYPES.get(category.lower())
        return known if known else classify_identifier(category)
    return IdentifierType.OTHER


def _document_note(document: etree._Element, issuing: str | None) -> str | None:
    parts = []
    if issuing and to_iso2(issuing) is None:
        parts.append(f"issued by {issuing}")
    other_country = text_of(document, "COUNTRY_OF_ISSUE")
    if other_country and other_country != issuing:
        parts.append(f"country of issue {other_country}")
    for tag, words in (
        ("CITY_OF_ISSUE", "issued in"),
        ("DATE_OF_ISSUE", "issued on"),
        ("DATE_OF_EXPIRY", "expires on"),
    ):
        value = text_of(document, tag)
        if value:
            parts.append(f"{words} {value}")
    free_text = text_of(document, "NOTE")
    if free_text:
        parts.append(free_text)
    return "; ".join(parts) or None


def _bics(comments: str | None) -> list[Identifier]:
    """SWIFT/BIC codes that bank records state in COMMENTS1 ("SWIFT/BIC: KUDBKPPY")."""
    return [
        Identifier(
            type=IdentifierType.BIC, value=match["code"].replace(" ", ""), label=match["label"]
        )
        for match in _BIC_IN_COMMENT.finditer(comments or "")
    ]


def _imo_note(mention: ImoMention) -> str:
    if mention.ship_check_digit_ok:
        return "IMO number stated in the comments of a company record"
    return "IMO company and registered owner number (fails the ship number check digit)"


def _is_vessel(name: str, comments: str | None, mentions: list[ImoMention]) -> bool:
    """Whether an ENTITY is the ship itself rather than a company that owns or runs ships."""
    if not all(mention.ship_check_digit_ok for mention in mentions):
        return False  # company numbers have no ship check digit
    if _COMPANY_NAME.search(name):
        return False
    return not (comments and _COMPANY_COMMENT.search(comments))
