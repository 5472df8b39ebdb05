"""The shared entity builder (`lists.draft.EntityDraft`) and the UK and OFAC drafts built on it."""

from __future__ import annotations

import datetime as dt

from lists.draft import EntityDraft
from lists.model import (
    Address,
    DatePrecision,
    Identifier,
    IdentifierType,
    Name,
    NameKind,
    PartialDate,
    Schema,
    Source,
    SourceRef,
)
from lists.ofac.facts import Facts
from lists.uk._draft import UkDraft
from lists.values.languages import language_code

REF = SourceRef(format="test", file="test.xml", record="1")


def _year(year: int, *, circa: bool = False, text: str | None = None) -> PartialDate:
    return PartialDate(precision=DatePrecision.YEAR, year=year, circa=circa, text=text)


def test_values_are_kept_once_in_file_order() -> None:
    draft = EntityDraft()
    draft.add_name(Name(full="Ivan PETROV", kind=NameKind.PRIMARY))
    draft.add_name(Name(full="Ivan PETROV", kind=NameKind.PRIMARY, script="Latn"))
    draft.add_name(Name(full="Ivan PETROV", kind=NameKind.FORMER))  # another kind: kept
    draft.add_birth_date(_year(1960, text="1960"))
    draft.add_birth_date(_year(1960, text="00/00/1960"))  # the same date written otherwise
    draft.add_birth_date(_year(1960, circa=True))  # circa says something else: kept
    for code in ("RU", "RU", "", None, "BY"):
        draft.add_nationality(code)
    for remark in ("b", "a", "b", ""):
        draft.add_remark(remark)
    passport = Identifier(type=IdentifierType.PASSPORT, value="123", country="RU", label="A")
    draft.add_identifier(passport)
    draft.add_identifier(passport.model_copy(update={"label": "B", "note": "again"}))
    draft.add_identifier(passport.model_copy(update={"country": "BY"}))
    draft.add_address(Address(city="Minsk"))
    draft.add_address(Address(city="Minsk"))
    assert [(n.full, n.kind, n.script) for n in draft.names] == [
        ("Ivan PETROV", NameKind.PRIMARY, None),
        ("Ivan PETROV", NameKind.FORMER, None),
    ]
    assert [(d.text, d.circa) for d in draft.birth_dates] == [("1960", False), (None, True)]
    assert draft.nationalities == ["RU", "BY"]
    assert draft.remarks == ["b", "a"]
    assert [(i.country, i.label) for i in draft.identifiers] == [("RU", "A"), ("BY", "A")]
    assert draft.addresses == [Address(city="Minsk")]


def test_earliest_listing_date_wins() -> None:
    draft = EntityDraft()
    for day in (dt.date(2020, 5, 1), None, dt.date(2019, 1, 2), dt.date(2021, 1, 1)):
        draft.note_listed_on(day)
    assert draft.listed_on == dt.date(2019, 1, 2)


def test_build_carries_every_field() -> None:
    draft = EntityDraft(gender="female", programs=["IRAN"], related=["X"], countries=["IR"])
    draft.add_name(Name(full="Example Co", kind=NameKind.PRIMARY))
    draft.add_citizenship("IR")
    draft.add_birth_place("Tehran")
    entity = draft.build(Source.UN, "42", Schema.ORGANIZATION, REF)
    assert (entity.source, entity.entry_id, entity.schema_, entity.ref) == (
        Source.UN,
        "42",
        Schema.ORGANIZATION,
        REF,
    )
    assert (entity.gender, entity.programs, entity.related, entity.countries) == (
        "female",
        ["IRAN"],
        ["X"],
        ["IR"],
    )
    assert (entity.citizenships, entity.birth_places) == (["IR"], ["Tehran"])


def test_uk_draft_orders_names_by_kind_and_links_address_countries() -> None:
    draft = UkDraft()
    draft.add_name(Name(full="Old Name", kind=NameKind.FORMER))
    draft.add_name(Name(full="Weak", kind=NameKind.WEAK_ALIAS))
    draft.add_name(Name(full="Main", kind=NameKind.PRIMARY))
    draft.add_name(Name(full="Other", kind=NameKind.ALIAS))
    draft.add_address(Address(lines=["1 Street"], country="SY", country_text="Syria"))
    draft.read_birth_date("dd/mm/1958")
    draft.read_birth_date("00/00/1958")
    draft.read_birth_date("unknown")
    entity = draft.build(Source.UK, "UK1", Schema.PERSON, REF, "uk_sanctions_list")
    assert [n.full for n in entity.names] == ["Main", "Other", "Weak", "Old Name"]
    assert entity.countries == ["SY"]
    assert [(d.precision, d.year) for d in entity.birth_dates] == [(DatePrecision.YEAR, 1958)]
    assert entity.remarks == ["Date of birth: unknown"]


def test_ofac_facts_keep_repeated_statements_but_countries_once() -> None:
    facts = Facts()
    facts.related.append("ROSTEC")
    other = Facts(related=["ROSTEC"], programs=["RUSSIA-EO14024"])
    facts.add_country_text(facts.nationalities, "Russia", "nationality Russia")
    other.add_country_text(other.nationalities, "Russia", "nationality Russia")
    other.add_country_text(other.nationalities, "Atlantis", "nationality Atlantis")
    facts.programs.append("RUSSIA-EO14024")
    facts.merge(other)
    assert facts.related == ["ROSTEC", "ROSTEC"]
    assert facts.nationalities == ["RU"]
    assert facts.programs == ["RUSSIA-EO14024"]
    assert facts.remarks == ["nationality Atlantis"]


def test_language_names() -> None:
    assert language_code("Russian") == "ru"
    assert language_code(" Tigrinya ") == "ti"
    assert language_code("Persian/Farsi") == "fa"
    assert language_code("Greek") == "el"
    assert language_code("Klingonese") is None
    assert language_code("") is None
