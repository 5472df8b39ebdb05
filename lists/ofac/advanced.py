"""OFAC SDN Advanced XML (sdn_advanced.xml; root ``Sanctions``, the UN "sanctions 1.0" model).

A party's data is spread over the file and joined by id:

- ``ReferenceValueSets`` (first, small) names every id: party sub-types, alias types, name-part
  types, scripts, countries, feature types, ID document types, relation types, programmes.
- ``Locations`` (addresses and countries), ``IDRegDocuments`` (passports, tax ids, keyed by
  IdentityID), ``ProfileRelationships`` ("Linked To") and ``SanctionsEntries`` (programmes and
  listing date, keyed by ProfileID) are separate sections.
- ``DistinctParties/DistinctParty`` holds names (Identity/Alias/DocumentedName) and features
  (vessel flag, birth date, gender, ...).

In the excerpt stored with the project the order is ReferenceValueSets, Locations,
IDRegDocuments, DistinctParties, ProfileRelationships, SanctionsEntries, so a party is read before
its programmes and relations. The reader therefore makes two passes: the first keeps the small
sections in dictionaries keyed by id (reference values, locations, ID documents, relations,
sanctions entries and each party's primary name, for relations); the second streams the parties
and builds one entity at a time. Memory is flat per record plus those dictionaries, which hold a
few small values per party, and the reader does not depend on the order of the sections.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from lists.base import Head, ListFormat, ReadReport
from lists.errors import ListReadError
from lists.model import (
    Address,
    Entity,
    Name,
    NameKind,
    PartialDate,
    Schema,
    Source,
    SourceRef,
)
from lists.ofac.advanced_index import (
    RECORDS,
    Document,
    Location,
    PartyIndex,
    References,
    SanctionsEntry,
    first_pass,
    read_date,
    read_period,
    render_date,
)
from lists.ofac.datasets import dataset_of_file
from lists.ofac.facts import VESSEL_COLUMN_REMARKS, Facts, add_labelled, country_code
from lists.values.scripts import detect_script
from lists.xml import children, descendants, iter_elements, local_name, text_of

FORMAT_NAME = "ofac-advanced-xml"
ROOT = "Sanctions"

_PERSON_PART_ORDER = (
    "First Name",
    "Middle Name",
    "Patronymic",
    "Matronymic",
    "Nickname",
    "Last Name",
    "Maiden Name",
)
_BIRTH_DATE_FEATURE = "Birthdate"
_LOCATION_FEATURE = "Location"


def sniff(head: Head) -> bool:
    if head.xml_root != ROOT:
        return False
    namespace = head.xml_namespace or ""
    return (
        "ADVANCED_XML" in namespace
        or namespace == "http://www.un.org/sanctions/1.0"
        or b"ReferenceValueSets" in head.data
    )


def published(path: Path) -> dt.date | None:
    """DateOfIssue (Year, Month, Day), the first element of the file."""
    for element in iter_elements(path, RECORDS):
        if local_name(element.tag) != "DateOfIssue":
            return None
        return read_date(path, element)
    return None


# ---------------------------------------------------------------------------------------------
# Parties (second pass)
# ---------------------------------------------------------------------------------------------


def entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    del report  # every problem in this format is fatal or kept as a remark
    index = first_pass(path, _primary_name)
    if not index.references.values:
        raise ListReadError(path, "no ReferenceValueSets: not a complete OFAC Advanced XML file")
    for element in iter_elements(path, RECORDS):
        if local_name(element.tag) == "DistinctParty":
            yield from _party_entities(path, element, index)


def _party_entities(path: Path, party: etree._Element, index: PartyIndex) -> Iterator[Entity]:
    fixed_ref = party.get("FixedRef")
    if fixed_ref is None:
        raise ListReadError(path, "DistinctParty without FixedRef", line=party.sourceline)
    profiles = children(party, "Profile")
    if not profiles:
        raise ListReadError(
            path, "DistinctParty without Profile", line=party.sourceline, record=fixed_ref
        )
    for profile in profiles:
        # OFAC publishes one Profile per DistinctParty; should there be more, each keeps an id
        # of its own.
        entry_id = fixed_ref if len(profiles) == 1 else f"{fixed_ref}-{profile.get('ID')}"
        yield _profile_entity(path, fixed_ref, profile, index, entry_id)


def _profile_entity(
    path: Path, fixed_ref: str, profile: etree._Element, index: PartyIndex, entry_id: str
) -> Entity:
    refs = index.references
    schema = _schema(path, fixed_ref, profile, refs)
    facts = Facts()
    party = profile.getparent()
    for element in (party, profile):
        if element is not None and (comment := text_of(element, "Comment")):
            facts.remarks.append(comment)
    for identity in children(profile, "Identity"):
        _add_identity_names(facts, identity, schema, refs)
        for document in index.documents.get(identity.get("ID", ""), []):
            _add_document(facts, document, schema, refs)
    if not any(name.kind is NameKind.PRIMARY for name in facts.names):
        raise ListReadError(
            path,
            "party without a primary name (AliasTypeID Name)",
            line=profile.sourceline,
            record=fixed_ref,
        )
    # The primary name first (OFAC lists aliases before it), then the others in file order.
    facts.names.sort(key=lambda name: name.kind is not NameKind.PRIMARY)
    for feature in children(profile, "Feature"):
        _add_feature(path, facts, feature, schema, index)
    profile_id = profile.get("ID", fixed_ref)
    _add_sanctions_entries(facts, index.entries.get(profile_id, []), refs)
    _add_relations(facts, index.relations.get(profile_id, []), index)
    ref = SourceRef(format=FORMAT_NAME, file=path.name, record=fixed_ref)
    return facts.build(Source.OFAC, entry_id, schema, ref, dataset_of_file(ref.file))


def _add_sanctions_entries(facts: Facts, entries: list[SanctionsEntry], refs: References) -> None:
    for entry in entries:
        for program in entry.programs:
            facts.add_program(program)
        facts.listed_on = facts.listed_on or entry.listed_on
        if list_name := refs.text("List", entry.list_id):
            facts.remarks.append(f"List: {list_name}")
        facts.remarks.extend(f"Sanctions measure: {measure}" for measure in entry.measures)
        facts.remarks.extend(f"Legal basis: {basis}" for basis in entry.legal_bases)


def _add_relations(
    facts: Facts, relations: list[tuple[str | None, str]], index: PartyIndex
) -> None:
    # The legacy files write these as "Linked To: <name>"; the relation type is kept as a remark.
    for relation_type_id, target in relations:
        target_name = index.party_names.get(target, f"profile {target}")
        facts.related.append(target_name)
        relation = index.references.text("RelationType", relation_type_id) or "Linked To"
        facts.remarks.append(f"{relation}: {target_name}")


def _schema(path: Path, fixed_ref: str, profile: etree._Element, refs: References) -> Schema:
    sub_type = profile.get("PartySubTypeID")
    sub_type_name = refs.text("PartySubType", sub_type)
    party_type = refs.text("PartyType", refs.party_type_of_subtype.get(sub_type or ""))
    if sub_type_name == "Vessel":
        return Schema.VESSEL
    if sub_type_name == "Aircraft":
        return Schema.AIRCRAFT
    if party_type == "Individual":
        return Schema.PERSON
    if party_type in ("Entity", "Other Entity", "Location", "Transport"):
        return Schema.ORGANIZATION
    raise ListReadError(
        path,
        f"PartySubTypeID {sub_type!r} is not in ReferenceValueSets/PartySubTypeValues",
        line=profile.sourceline,
        record=fixed_ref,
    )


def _alias_kind(alias: etree._Element, refs: References) -> NameKind:
    alias_type = refs.text("AliasType", alias.get("AliasTypeID"))
    if alias.get("LowQuality") == "true":
        return NameKind.WEAK_ALIAS
    if alias_type == "Name" or alias.get("Primary") == "true":
        return NameKind.PRIMARY
    if alias_type == "F.K.A.":
        return NameKind.FORMER
    return NameKind.ALIAS


def _add_identity_names(
    facts: Facts, identity: etree._Element, schema: Schema, refs: References
) -> None:
    part_types = {
        group.get("ID", ""): refs.text("NamePartType", group.get("NamePartTypeID")) or ""
        for group in descendants(identity, "NamePartGroup")
    }
    for alias in children(identity, "Alias"):
        kind = _alias_kind(alias, refs)
        documented = sorted(
            children(alias, "DocumentedName"),
            key=lambda d: refs.text("DocNameStatus", d.get("DocNameStatusID")) != "Primary Latin",
        )
        for name in (_documented_name(d, kind, schema, part_types, refs) for d in documented):
            if name is not None:
                facts.names.append(name)


def _primary_name(profile: etree._Element, refs: References) -> Name | None:
    for identity in children(profile, "Identity"):
        part_types = {
            group.get("ID", ""): refs.text("NamePartType", group.get("NamePartTypeID")) or ""
            for group in descendants(identity, "NamePartGroup")
        }
        for alias in children(identity, "Alias"):
            if _alias_kind(alias, refs) is NameKind.PRIMARY:
                for documented in children(alias, "DocumentedName"):
                    name = _documented_name(
                        documented, NameKind.PRIMARY, Schema.ORGANIZATION, part_types, refs
                    )
                    if name is not None:
                        return name
    return None


def _documented_name(
    documented: etree._Element,
    kind: NameKind,
    schema: Schema,
    part_types: dict[str, str],
    refs: References,
) -> Name | None:
    parts: list[tuple[str, str]] = []
    scripts: list[str] = []
    for value in descendants(documented, "NamePartValue"):
        text = " ".join((value.text or "").split())
        if not text:
            continue
        parts.append((part_types.get(value.get("NamePartGroupID", ""), ""), text))
        if script := refs.script_code.get(value.get("ScriptID", "")):
            scripts.append(script)
    if not parts:
        return None
    script = scripts[0] if scripts else None
    if schema is not Schema.PERSON:
        full = " ".join(text for _, text in parts)
        return Name(full=full, kind=kind, script=script or detect_script(full))
    # "First LAST", as the legacy CSV and sdnList XML give a person's full name; parts of a type
    # not in the usual order follow in document order.
    ordered = [text for part_type in _PERSON_PART_ORDER for text in _texts_of(parts, (part_type,))]
    ordered.extend(text for part_type, text in parts if part_type not in _PERSON_PART_ORDER)
    first = " ".join(_texts_of(parts, ("First Name",)))
    middle = " ".join(_texts_of(parts, ("Middle Name", "Patronymic", "Matronymic")))
    last = " ".join(_texts_of(parts, ("Last Name",)))
    full = " ".join(ordered)
    return Name(
        full=full,
        kind=kind,
        first=first or None,
        middle=middle or None,
        last=last or None,
        script=script or detect_script(full),
    )


def _texts_of(parts: list[tuple[str, str]], types: tuple[str, ...]) -> list[str]:
    return [text for part_type, text in parts if part_type in types]


def _add_document(facts: Facts, document: Document, schema: Schema, refs: References) -> None:
    label = refs.text("IDRegDocType", document.type_id) or f"ID document type {document.type_id}"
    notes = []
    for date_type_id, date in document.dates:
        if date is not None:
            word = refs.text("IDRegDocDateType", date_type_id) or "Date"
            notes.append(f"{word} {render_date(date)}")
    if document.authority:
        notes.append(f"issued by {document.authority}")
    validity = refs.text("Validity", document.validity_id)
    if validity and validity != "Valid":
        notes.append(validity.lower())
    if document.comment:
        notes.append(document.comment)
    add_labelled(
        facts,
        label,
        document.number or "",
        schema,
        country_text=refs.text("Country", document.country_id),
        note="; ".join(notes) or None,
        is_document=True,
    )


def _add_feature(
    path: Path, facts: Facts, feature: etree._Element, schema: Schema, index: PartyIndex
) -> None:
    refs = index.references
    label = refs.text("FeatureType", feature.get("FeatureTypeID"))
    if label is None:
        label = f"Feature type {feature.get('FeatureTypeID')}"
    for version in children(feature, "FeatureVersion"):
        if comment := text_of(version, "Comment"):
            facts.remarks.append(f"{label} (comment): {comment}")
        if label == _LOCATION_FEATURE:
            for location_ref in children(version, "VersionLocation"):
                address = _address(index.locations.get(location_ref.get("LocationID", "")), refs)
                if address is not None:
                    facts.addresses.append(address)
            continue
        value, date = _feature_value(path, version, index)
        if label == _BIRTH_DATE_FEATURE and date is not None:
            facts.birth_dates.append(date)
            continue
        if value is None:
            continue
        column_label = VESSEL_COLUMN_REMARKS.get(label)
        as_written = f"{column_label}: {value}" if column_label else None
        add_labelled(facts, label, value, schema, as_written=as_written)


def _feature_value(
    path: Path, version: etree._Element, index: PartyIndex
) -> tuple[str | None, PartialDate | None]:
    """A feature version's value as text (and as a date when it is one)."""
    refs = index.references
    for period in children(version, "DatePeriod"):
        date = read_period(path, period)
        if date is not None:
            return render_date(date), date
    texts: list[str] = []
    for detail in children(version, "VersionDetail"):
        if detail.get("DetailReferenceID"):
            reference = refs.text("DetailReference", detail.get("DetailReferenceID"))
            if reference:
                texts.append(reference)
        text = " ".join((detail.text or "").split())
        if text:
            texts.append(text)
    for location_ref in children(version, "VersionLocation"):
        location = index.locations.get(location_ref.get("LocationID", ""))
        country = _location_country_text(location, refs)
        if country:
            texts.append(country)
    return ("; ".join(texts) or None), None


def _location_country_text(location: Location | None, refs: References) -> str | None:
    if location is None:
        return None
    country = refs.text("Country", location.country_id)
    if country:
        return country
    for part_type, text in location.parts:
        if refs.text("LocPartType", part_type) in ("Unknown", None) and country_code(text):
            return text
    area = refs.text("AreaCode", location.area_code_id)
    return area if area and country_code(area) else None


def _address(location: Location | None, refs: References) -> Address | None:
    if location is None:
        return None
    by_type: dict[str, list[str]] = defaultdict(list)
    for part_type, text in location.parts:
        by_type[refs.text("LocPartType", part_type) or "Unknown"].append(text)
    country_text = refs.text("Country", location.country_id)
    iso2 = refs.country_iso2.get(location.country_id or "")
    if country_text is None:
        area = refs.text("AreaCode", location.area_code_id)
        if area and country_code(area):
            country_text = area
    lines = [
        *by_type.pop("ADDRESS1", []),
        *by_type.pop("ADDRESS2", []),
        *by_type.pop("ADDRESS3", []),
    ]
    city = " ".join(by_type.pop("CITY", [])) or None
    region = " ".join([*by_type.pop("STATE/PROVINCE", []), *by_type.pop("REGION", [])]) or None
    postal_code = " ".join(by_type.pop("POSTAL CODE", [])) or None
    lines.extend(text for texts in by_type.values() for text in texts)
    code = iso2 if iso2 and len(iso2) == 2 else country_code(country_text)
    if not (lines or city or region or postal_code or country_text):
        return None
    return Address(
        lines=lines,
        city=city,
        region=region,
        postal_code=postal_code,
        country=code,
        country_text=country_text,
    )


FORMAT = ListFormat(
    name=FORMAT_NAME,
    source=Source.OFAC,
    description="OFAC SDN Advanced XML (sdn_advanced.xml)",
    sniff=sniff,
    published=published,
    entities=entities,
)
