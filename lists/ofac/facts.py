"""What OFAC says about one entry, gathered from any of its three formats, and OFAC's labels.

OFAC keeps every fact about a party as a typed "feature" or "ID document" in its database; the
Advanced XML names the type by id, sdnList XML puts the type name in ``idType`` and the legacy
CSV renders "<type> <value> (<country>)" into Remarks. The type names are the same everywhere, so
one table (`LABELS`) decides what each becomes: an identifier, a country link, a gender, a
related party, or a remark. A label the table does not know becomes an identifier only when it
is an ID document or its wording names one ("Passport Card"); otherwise a remark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum, auto

from lists.draft import EntityDraft
from lists.model import Identifier, IdentifierType, Schema
from lists.values.countries import to_iso2
from lists.values.identifiers import classify_identifier, normalize_imo


class Role(Enum):
    """What a labelled value means for the canonical entity."""

    IDENTIFIER = auto()
    GENDER = auto()
    COUNTRY = auto()
    NATIONALITY = auto()
    CITIZENSHIP = auto()
    BIRTH_PLACE = auto()
    RELATED = auto()
    REMARK = auto()


@dataclass(frozen=True)
class LabelRule:
    role: Role
    identifier_type: IdentifierType = IdentifierType.OTHER


def _ids(identifier_type: IdentifierType, *labels: str) -> dict[str, LabelRule]:
    return {label: LabelRule(Role.IDENTIFIER, identifier_type) for label in labels}


_T = IdentifierType

# OFAC's ID document types (Advanced XML ReferenceValueSets/IDRegDocTypeValues, 2026, plus the
# few older names still found in the legacy files). Each is mapped by what the document is, not
# by words in its name: "Chinese Commercial Code" is the telegraph code of the name's characters,
# not a company number, and a driver's or pilot's licence is not a national ID.
_DOCUMENT_TYPES: dict[str, LabelRule] = {
    **_ids(
        _T.PASSPORT,
        "Passport",
        "Diplomatic Passport",
        "British National Overseas Passport",
        "Stateless Person Passport",
        "Travel Document Number",
        "Passport Booklet",
    ),
    **_ids(
        _T.NATIONAL_ID,
        "Cedula No.",
        "SSN",
        "D.N.I.",
        "N.I.E.",
        "National ID No.",
        "LE Number",
        "Bosnian Personal ID No.",
        "Credencial electoral",
        "Kenyan ID No.",
        "Moroccan Personal ID No.",
        "C.U.R.P.",
        "Electoral Registry No.",
        "National Foreign ID Number",
        "Personal ID Card",
        "Federal ID Card",
        "Residency Number",
        "CNP (Personal Numerical Code)",
        "Romanian Permanent Resident",
        "Turkish Identification Number",
        "Stateless Person ID Card",
        "Refugee ID Card",
        "Numero de Identidad",
        "Tarjeta de Identidad",
        "Tazkira National ID Card",
        "I.F.E.",
        "Citizen's Card Number",
        "UAE Identification",
        "Birth Certificate Number",
        "C.U.I.",
    ),
    **_ids(
        _T.TAX_ID,
        "Tax ID No.",
        "R.F.C.",
        "RFC",
        "NIT #",
        "US FEIN",
        "RUC #",
        "C.I.F.",
        "RIF #",
        "V.A.T. Number",
        "Italian Fiscal Code",
        "C.U.I.T.",
        "Paraguayan tax identification number",
        "Numero Unico de Identificacao Tributaria (NUIT)",
        "Fiscal Code",
        "Romanian Tax Registration",
        "N.I.F.",
        "RTN",
    ),
    **_ids(
        _T.REGISTRATION_NUMBER,
        "Business Registration Document #",
        "Registration ID",
        "Registered Charity No.",
        "C.R. No.",
        "UK Company Number",
        "Dubai Chamber of Commerce Membership No.",
        "Trade License No.",
        "Commercial Registry Number",
        "Certificate of Incorporation Number",
        "Tourism License No.",
        "Registration Certificate Number (Dubai)",
        "Matricula Mercantil No",
        "Government Gazette Number",
        "Romanian C.R.",
        "Folio Mercantil No.",
        "Istanbul Chamber of Comm. No.",
        "Afghan Money Service Provider License Number",
        "Company Number",
        "Public Registration Number",
        "License",
        "Branch Unit Number",
        "Enterprise Number",
        "Organization Code",
        "United Social Credit Code Certificate (USCCC)",
        "Chamber of Commerce Number",
        "Legal Entity Number",
        "Business Number",
        "Business Registration Number",
        "Registration Number",
        "MSB Registration Number",
        "Unified Social Credit Code (USCC)",
        "Central Registration System Number",
        "Economic Register Number (CBLS)",
        "Russian State Individual Business Registration Number Pattern (OGRNIP)",
    ),
    **_ids(_T.IMO, "Vessel Registration Identification"),
    **_ids(_T.MMSI, "MMSI"),
    **_ids(_T.AIRCRAFT_SERIAL, "Aircraft Serial Identification"),
    **_ids(
        _T.OTHER,
        "Driver's License No.",
        "Serial No.",
        "C.I.N.",
        "Public Security and Immigration No.",
        "Immigration No.",
        "Cartilla de Servicio Militar Nacional",
        "C.U.I.P.",
        "VisaNumberID",
        "Pilot License Number",
        "SRE Permit No.",
        "Chinese Commercial Code",
        "File Number",
        "Seafarer's Identification Document",
        "Trademark number",
        "Permit Number",
        "Military Registration Number",
        "Global Intermediary Identification Number",
        "Entity Code",
    ),
    # Generic: a person's national number, or an organisation's registration (see `_generic`).
    "Identification Number": LabelRule(Role.IDENTIFIER, _T.NATIONAL_ID),
}

# OFAC's feature types (FeatureTypeValues) that are identifiers or structured facts. Every other
# feature (directive determinations, secondary sanctions risk, listing and effective dates, target
# type, organisation type, established date, vessel type and tonnage, aircraft model and
# manufacture date, former flags) is kept as a remark in OFAC's own wording.
_FEATURE_TYPES: dict[str, LabelRule] = {
    **_ids(_T.CALL_SIGN, "Vessel Call Sign", "Other Vessel Call Sign"),
    **_ids(_T.BIC, "SWIFT/BIC"),
    **_ids(_T.WEBSITE, "Website"),
    **_ids(_T.EMAIL, "Email Address", "Email", "EMAIL"),
    **_ids(
        _T.PHONE,
        "Phone Number",
        # Older remarks words, not feature types any more.
        "Telephone",
        "Telephone No.",
        "Telephone Number",
        "Phone",
        "PHONE",
        "Fax",
        "FAX",
        "Fax No.",
    ),
    **_ids(
        _T.AIRCRAFT_SERIAL,
        "Aircraft Construction Number (also called L/N or S/N or F/N)",
        "Aircraft Manufacturer's Serial Number (MSN)",
    ),
    **_ids(_T.AIRCRAFT_REGISTRATION, "Aircraft Tail Number", "Previous Aircraft Tail Number"),
    # Identify the party but are not one of the model's identifier kinds: kept, labelled.
    **_ids(
        _T.OTHER,
        "Aircraft Mode S Transponder Code",
        "BIK (RU)",
        "UN/LOCODE",
        "MICEX Code",
        "D-U-N-S Number",
        "Equity Ticker",
        "ISIN",
    ),
    "Gender": LabelRule(Role.GENDER),
    "Vessel Flag": LabelRule(Role.COUNTRY),
    "Nationality of Registration": LabelRule(Role.COUNTRY),
    "Registration Country": LabelRule(Role.COUNTRY),
    "Nationality Country": LabelRule(Role.NATIONALITY),
    "Citizenship Country": LabelRule(Role.CITIZENSHIP),
    "Place of Birth": LabelRule(Role.BIRTH_PLACE),
    "Vessel Owner": LabelRule(Role.RELATED),
    "Aircraft Operator": LabelRule(Role.RELATED),
}

# The other feature types of OFAC's 2026 reference data: facts, kept as remarks. Listed so that
# none is mistaken for an identifier by its wording ("Vessel Gross Registered Tonnage").
_FACT_FEATURE_TYPES: dict[str, LabelRule] = {
    label: LabelRule(Role.REMARK)
    for label in (
        "VESSEL TYPE",
        "Vessel Tonnage",
        "Vessel Gross Registered Tonnage",
        "Vessel Year of Build",
        "Other Vessel Type",
        "Former Vessel Flag",
        "Other Vessel Flag",
        "Title",
        "Aircraft Manufacture Date",
        "Aircraft Model",
        "IFCA Determination -",
        "Additional Sanctions Information -",
        "Executive Order 13662 Directive Determination -",
        "Secondary sanctions risk:",
        "CAATSA Section 235 Information:",
        "Executive Order 13846 information:",
        "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:",
        "Organization Established Date",
        "Organization Type:",
        "Target Type",
        "PEESA Information:",
        "Executive Order 14024 Directive Information -",
        "Executive Order 14024 Directive Information",
        "Listing Date (EO 14024 Directive 2):",
        "Effective Date (EO 14024 Directive 2):",
        "Listing Date (EO 14024 Directive 3):",
        "Effective Date (EO 14024 Directive 3):",
        "PAIPA Section 2 Information:",
    )
}

# Vessel features that the legacy CSV and sdnList XML give as columns; their remarks are written
# the same way in all three formats ("Vessel Type: Tug").
VESSEL_COLUMN_REMARKS = {
    "VESSEL TYPE": "Vessel Type",
    "Vessel Tonnage": "Tonnage",
    "Vessel Gross Registered Tonnage": "Gross Registered Tonnage",
    "Vessel Owner": "Vessel Owner",
}

LABELS: dict[str, LabelRule] = {**_DOCUMENT_TYPES, **_FEATURE_TYPES, **_FACT_FEATURE_TYPES}
_LABELS_FOLDED = {label.casefold(): rule for label, rule in LABELS.items()}
_DIGITAL_CURRENCY = re.compile(r"^Digital Currency Address - [A-Za-z0-9]+$", re.I)
_IMO_VALUE = re.compile(r"^IMO\s*\d{7}$", re.I)
_TRAILING_COUNTRY = re.compile(r"^(?P<value>.*\S)\s+\((?P<country>[^()]+)\)$")
_GENERIC_LABELS = frozenset({"identification number"})
_IMO_COMPANY_NOTE = "IMO company and registered owner identification number"


def rule_for(label: str) -> LabelRule | None:
    """The rule for an OFAC type name (case and spacing aside); None when the table lacks it."""
    folded = " ".join(label.split()).casefold()
    rule = _LABELS_FOLDED.get(folded)
    if rule is not None:
        return rule
    if _DIGITAL_CURRENCY.match(label.strip()):
        return LabelRule(Role.IDENTIFIER, _T.CRYPTO_ADDRESS)
    return None


def identifier_labels() -> list[str]:
    """Labels of identifiers and structured facts, longest first (for legacy remarks prefixes)."""
    labels = (label for label, rule in LABELS.items() if rule.role is not Role.REMARK)
    return sorted(labels, key=len, reverse=True)


class Facts(EntityDraft):
    """Everything gathered for one entry before it becomes an `Entity`.

    A value is kept each time OFAC states it (a name, a date, a document or a linked party can
    be listed twice), so the readers append to the lists; only country links and programmes
    are kept once.
    """

    def merge(self, other: Facts) -> None:
        self.names.extend(other.names)
        self.birth_dates.extend(other.birth_dates)
        self.birth_places.extend(other.birth_places)
        for code in other.nationalities:
            self.add_nationality(code)
        for code in other.citizenships:
            self.add_citizenship(code)
        for code in other.countries:
            self.add_country(code)
        self.addresses.extend(other.addresses)
        self.identifiers.extend(other.identifiers)
        for program in other.programs:
            self.add_program(program)
        self.gender = self.gender or other.gender
        self.remarks.extend(other.remarks)
        self.related.extend(other.related)
        self.listed_on = self.listed_on or other.listed_on

    def add_country_text(self, target: list[str], text: str, remark: str) -> None:
        """A country text's code into `target`; text that is not a country is kept as `remark`."""
        code = country_code(text)
        if code is None:
            self.remarks.append(remark)
        elif code not in target:
            target.append(code)


def country_code(text: str | None) -> str | None:
    """ISO alpha-2 for an OFAC country text, including the "Region: Crimea" form of add.csv."""
    if text is None:
        return None
    value = text.strip()
    if value.lower().startswith("region:"):
        value = value.split(":", 1)[1]
    return to_iso2(value)


def add_labelled(
    facts: Facts,
    label: str,
    value: str,
    schema: Schema,
    *,
    country_text: str | None = None,
    note: str | None = None,
    as_written: str | None = None,
    is_document: bool = False,
) -> None:
    """Record one OFAC typed value (ID document or feature) on `facts`.

    `as_written` is the remark text to keep when the value is a fact rather than an identifier;
    by default "<label> <value>", which is how the legacy CSV renders it. A label the table does
    not know is an identifier when `is_document` (an Advanced XML IDRegDocument) or when its
    wording names one ("... Passport Card"); otherwise a remark.
    """
    label = " ".join(label.split())
    value = " ".join(value.split())
    remark = as_written or f"{label} {value}".strip()
    rule = rule_for(label)
    if rule is None and value:
        guessed = classify_identifier(label)
        if is_document or guessed is not IdentifierType.OTHER:
            rule = LabelRule(Role.IDENTIFIER, guessed)
    if rule is None or rule.role is Role.REMARK or not value:
        facts.remarks.append(remark)
        return
    if rule.role is Role.IDENTIFIER:
        identifier = make_identifier(rule.identifier_type, label, value, schema, country_text, note)
        facts.identifiers.append(identifier)
    elif rule.role is Role.GENDER:
        facts.gender = value.lower()
    elif rule.role is Role.COUNTRY:
        facts.add_country_text(facts.countries, value, remark)
    elif rule.role is Role.NATIONALITY:
        facts.add_country_text(facts.nationalities, value, remark)
    elif rule.role is Role.CITIZENSHIP:
        facts.add_country_text(facts.citizenships, value, remark)
    elif rule.role is Role.BIRTH_PLACE:
        facts.birth_places.append(value)
    elif rule.role is Role.RELATED:
        # The role ("Vessel Owner") is kept as a remark; the party name is linkable as related.
        facts.related.append(value)
        facts.remarks.append(remark)


def make_identifier(
    identifier_type: IdentifierType,
    label: str,
    value: str,
    schema: Schema,
    country_text: str | None,
    note: str | None,
) -> Identifier:
    # "1026303117642 (Russia)": the issuing country written into the value, as the legacy CSV
    # always does and sdnList XML sometimes does; "(Stuttgart)" is not a country and stays.
    match = _TRAILING_COUNTRY.match(value) if country_text is None else None
    if match and country_code(match["country"]) is not None:
        value, country_text = match["value"], match["country"]
    country = country_code(country_text)
    if country is None and country_text:
        value = f"{value} ({country_text})"
    if label.casefold() in _GENERIC_LABELS and schema is not Schema.PERSON:
        identifier_type = IdentifierType.REGISTRATION_NUMBER
    if identifier_type is IdentifierType.IMO or _IMO_VALUE.match(value):
        return _imo_identifier(label, value, schema, country, note)
    return Identifier(type=identifier_type, value=value, country=country, label=label, note=note)


def _imo_identifier(
    label: str, value: str, schema: Schema, country: str | None, note: str | None
) -> Identifier:
    """A vessel's IMO number, or an IMO company number written the same way.

    OFAC writes "IMO 1234567" both for ships ("Vessel Registration Identification") and for
    shipping companies ("Company Number IMO 5055293", "Identification Number IMO 5342883").
    The company numbers are a different register; calling them vessel IMO numbers would make a
    company match a ship, so they are registration numbers with a note.
    """
    digits = normalize_imo(value)
    rule = rule_for(label)
    is_vessel = schema is Schema.VESSEL or (
        rule is not None and rule.identifier_type is IdentifierType.IMO
    )
    if digits is None:
        # A national ship register number ("RS 130280"): an identifier, not an IMO number.
        return Identifier(
            type=IdentifierType.OTHER, value=value, country=country, label=label, note=note
        )
    if is_vessel:
        return Identifier(
            type=IdentifierType.IMO, value=digits, country=country, label=label, note=note
        )
    company_note = "; ".join(part for part in (_IMO_COMPANY_NOTE, note) if part)
    return Identifier(
        type=IdentifierType.REGISTRATION_NUMBER,
        value=digits,
        country=country,
        label=label,
        note=company_note,
    )
