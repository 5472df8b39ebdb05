"""An `Entity` while an adapter gathers its fields, before pydantic validates the whole.

A record's facts arrive piecemeal (OFSI repeats them on every name row, the UN and FCDO spread
them over sub-elements, OFAC over columns and free-text remarks), so adapters collect them here
and call `build` once. The ``add_*`` methods keep each value once, in the order the file gave
it. An adapter that keeps a value every time the file states it appends to the lists directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lists.model import (
    Address,
    Entity,
    Identifier,
    Name,
    PartialDate,
    Schema,
    Source,
    SourceRef,
)


@dataclass
class EntityDraft:
    names: list[Name] = field(default_factory=list)
    birth_dates: list[PartialDate] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    gender: str | None = None
    listed_on: dt.date | None = None

    def add_name(self, name: Name) -> None:
        """A name once per kind: the same name as alias and as former name says two things."""
        if not any(n.full == name.full and n.kind is name.kind for n in self.names):
            self.names.append(name)

    def add_birth_date(self, date: PartialDate) -> None:
        """A date once however it was written ("1958-09-01", "01/09/1958"); circa counts."""
        if not any(_same_date(known, date) for known in self.birth_dates):
            self.birth_dates.append(date)

    def add_birth_place(self, place: str) -> None:
        _add_text(self.birth_places, place)

    def add_nationality(self, code: str | None) -> None:
        _add_text(self.nationalities, code)

    def add_citizenship(self, code: str | None) -> None:
        _add_text(self.citizenships, code)

    def add_country(self, code: str | None) -> None:
        _add_text(self.countries, code)

    def add_address(self, address: Address) -> None:
        if address not in self.addresses:
            self.addresses.append(address)

    def add_identifier(self, identifier: Identifier) -> None:
        """An identifier once per type, value and country; the first label and note are kept."""
        key = (identifier.type, identifier.value, identifier.country)
        if all((known.type, known.value, known.country) != key for known in self.identifiers):
            self.identifiers.append(identifier)

    def add_program(self, program: str) -> None:
        _add_text(self.programs, program)

    def add_remark(self, text: str) -> None:
        _add_text(self.remarks, text)

    def add_related(self, party: str) -> None:
        _add_text(self.related, party)

    def add_link(self, url: str) -> None:
        _add_text(self.links, url)

    def note_listed_on(self, day: dt.date | None) -> None:
        """Keep the earliest listing date: a designation under several regimes has several."""
        if day is not None and (self.listed_on is None or day < self.listed_on):
            self.listed_on = day

    def build(
        self, source: Source, entry_id: str, schema: Schema, ref: SourceRef, dataset: str = ""
    ) -> Entity:
        """The validated entity; pydantic's ValidationError when a value does not fit.

        `dataset` names the list within the source (`lists.datasets`); it may be left empty
        only for a source that publishes one list.
        """
        return Entity(
            source=source,
            dataset=dataset,
            entry_id=entry_id,
            schema=schema,
            names=self.names,
            birth_dates=self.birth_dates,
            birth_places=self.birth_places,
            nationalities=self.nationalities,
            citizenships=self.citizenships,
            countries=self.countries,
            addresses=self.addresses,
            identifiers=self.identifiers,
            programs=self.programs,
            listed_on=self.listed_on,
            gender=self.gender,
            remarks=self.remarks,
            related=self.related,
            links=self.links,
            ref=ref,
        )


def _add_text(values: list[str], value: str | None) -> None:
    if value and value not in values:
        values.append(value)


def _same_date(one: PartialDate, other: PartialDate) -> bool:
    return one.model_dump(exclude={"text"}) == other.model_dump(exclude={"text"})
