"""The second, independent labelled query set of the matching benchmark (issue 11, deliverable 2).

Made independently of bench/variants.py: its own seed (``SEED``), its own targets (drawn
round-robin from **every** loaded dataset: OFAC SDN and non-SDN, UK, UN, Canada, Australia,
Japan's MOF and METI lists and the US CSL), and its own variant rules, each written from how the
lists themselves say they write names:

=================  ===========================================================================
exact              a primary name as listed, in its own script (Latin, MOF's katakana ...)
reorder            persons only: OFAC writes "SURNAME, Given", the UK and Canada "Given
                   SURNAME", UN "FIRST SECOND THIRD": the other order (or the last word first)
case_punct         Latin: lower/title case, punctuation dropped or hyphens spaced (the lists
                   differ: AL-QIZANI, ‘ABD, Co.); katakana: half-width forms (Zengin transfers)
typo               one keyboard slip (QWERTY neighbour, swapped letters, doubled or undoubled
                   letter) in a word of >= 6 letters, never its first letter
dropped_token      persons: middle names / patronymic left out (payments carry "Given SURNAME");
                   organisations: the parenthetical acronym CA/METI append ("... (PARTO)")
transliteration    a listed Cyrillic name in ICAO 9303 (passport) spelling; a MOF katakana name
                   in passport Hepburn (bench/independent_scripts.py); only when the result is
                   none of the entry's Latin names
legal_form         the legal form abbreviated, expanded, moved (OOO X / X LLC) or dropped
cyrillic           a listed Cyrillic name in another order and case; a Latin name of a Russian,
                   Ukrainian or Belarusian person written in Cyrillic
initials           given names as initials, where the list says which words are the surname:
                   "A. A. SURNAME", "SURNAME A.A." (Russian document style), "Given M. SURNAME"
joined_split       hyphenated words joined or split, the Arabic article joined ("AL QIZANI" ->
                   "ALQIZANI"), ABDUL/ABU/BIN compounds joined, company compounds split at a
                   stem (GAZPROMBANK -> GAZPROM BANK), katakana ・ separators removed
alias              a listed a.k.a. or f.k.a. name (never a weak/low-quality alias: OFAC's FAQ and
                   the UK/UN notes say those are not to produce a match alone)
=================  ===========================================================================

Unlabelled: ``clean`` persons and organisations from faker locales the first set does not use,
and vessel names from a generator of shipping-name patterns ("NORDIC STAR", "MARIA K"); any
whose words equal a listed name's words are removed. ``near_miss``: a listed surname with a
given name that shares no word with any name carrying that surname; a listed company whose
distinctive words are replaced and whose generic words and legal form are kept.

Expected entries (``party_groups``): the target, every entry with a name of the same words as
the name the query was made from (namesakes: no screener can tell them apart by name), and
every entry of the same party, joined transitively over: a shared UN reference number, IMO
number, or passport / national id / tax id of >= 6 characters; the same words of a non-weak
name (at least two words besides the legal form) with, for persons, a shared birth year.
A query whose words equal a listed name of an entry outside that set is dropped (ambiguous).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from bench.variants import Case
from lists.model import Entity, IdentifierType, NameKind, Schema

SEED = 20261106
KINDS = (
    "exact",
    "reorder",
    "case_punct",
    "typo",
    "dropped_token",
    "transliteration",
    "legal_form",
    "cyrillic",
    "initials",
    "joined_split",
    "alias",
)
SAME = frozenset({"exact", "alias"})  # kinds whose query is a listed name as written
CLEAN = "clean"
NEAR_MISS = "near_miss"
EntryKey = tuple[str, str]
Variant = tuple[str, str, str, str]  # (query, base name, how, group)

PERSON_LOCALES = (
    *("en_IE", "fr_CA", "de_AT", "sv_SE", "cs_CZ", "fi_FI", "da_DK", "hu_HU", "ro_RO"),
    *("bg_BG", "az_AZ", "id_ID", "es_MX", "es_CO", "pt_PT", "nl_BE", "no_NO", "sk_SK"),
    *("hr_HR", "lt_LT", "et_EE", "ar_SA", "he_IL", "ka_GE", "hy_AM", "zh_TW", "yo_NG", "sw"),
)
COMPANY_LOCALES = (
    *("en_IE", "fr_CA", "de_AT", "sv_SE", "cs_CZ", "fi_FI", "da_DK", "hu_HU", "pl_PL"),
    *("id_ID", "es_MX", "pt_PT", "nl_BE", "no_NO", "sk_SK", "hr_HR", "zh_TW", "ko_KR"),
)
LATIN_GIVEN_LOCALES = ("en_IE", "sv_SE", "fi_FI", "da_DK", "pt_PT", "nl_BE", "no_NO", "de_AT")
PARTY_ID_TYPES = frozenset(
    {IdentifierType.PASSPORT, IdentifierType.NATIONAL_ID, IdentifierType.TAX_ID}
)
MIN_PARTY_ID = 6

# --------------------------------------------------------------------------------------------
# Entries and names
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Name:
    text: str
    kind: str
    first: str | None = None
    last: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """What the generator needs of one list entry."""

    source: str
    dataset: str
    entry_id: str
    schema: str
    names: tuple[Name, ...]
    countries: frozenset[str] = frozenset()
    birth_years: frozenset[int] = frozenset()
    links: frozenset[tuple[str, str]] = frozenset()  # (type, value): UN ref, IMO, party ids

    @property
    def key(self) -> EntryKey:
        return (self.source, self.entry_id)

    @classmethod
    def of(cls, entity: Entity) -> Entry:
        countries = {*entity.nationalities, *entity.citizenships, *entity.countries}
        countries |= {a.country for a in entity.addresses if a.country}
        links = set()
        for identifier in entity.identifiers:
            value = re.sub(r"[^0-9A-Z.]", "", identifier.value.upper()).strip(".")
            if identifier.type is IdentifierType.UN_REFERENCE and value:
                links.add(("un", value))
            elif identifier.type is IdentifierType.IMO and (digits := re.sub(r"\D", "", value)):
                links.add(("imo", digits))
            elif identifier.type in PARTY_ID_TYPES and len(value) >= MIN_PARTY_ID:
                links.add((identifier.type.value, value.replace(".", "")))
        return cls(
            source=entity.source.value,
            dataset=entity.dataset,
            entry_id=entity.entry_id,
            schema=entity.schema_.value,
            names=tuple(
                Name(n.full, n.kind.value, n.first, n.last) for n in entity.names if n.full
            ),
            countries=frozenset(c for c in countries if c),
            birth_years=frozenset(y for d in entity.birth_dates if d.year for y in d.years()),
            links=frozenset(links),
        )


# Legal forms as the lists write them; each family's surfaces are interchangeable.
LEGAL_FAMILIES: dict[str, tuple[str, ...]] = {
    "llc": ("LIMITED LIABILITY COMPANY", "LLC", "OOO", "TOV"),
    "jsc": ("JOINT STOCK COMPANY", "JSC", "AO"),
    "pjsc": ("PUBLIC JOINT STOCK COMPANY", "PJSC", "PAO"),
    "ojsc": ("OPEN JOINT STOCK COMPANY", "OJSC", "OAO"),
    "cjsc": ("CLOSED JOINT STOCK COMPANY", "CJSC", "ZAO"),
    "coltd": ("COMPANY LIMITED", "CO LTD", "CO LIMITED"),
    "ltd": ("LIMITED", "LTD"),
    "corp": ("CORPORATION", "CORP"),
    "inc": ("INCORPORATED", "INC"),
    "co": ("COMPANY", "CO"),
    "pte": ("PRIVATE LIMITED", "PVT LTD", "PTE LTD"),
    "gmbh": ("GMBH", "GESELLSCHAFT MIT BESCHRANKTER HAFTUNG"),
    "sa": ("SA", "SOCIETE ANONYME", "SOCIEDAD ANONIMA"),
    "fze": ("FZE", "FREE ZONE ESTABLISHMENT"),
    "fzco": ("FZCO", "FREE ZONE COMPANY"),
}
PREFIX_FAMILIES = frozenset({"llc", "jsc", "pjsc", "ojsc", "cjsc"})  # Russian forms lead
LEGAL_WORDS = frozenset(
    w for surfaces in LEGAL_FAMILIES.values() for s in surfaces for w in s.split()
)


def fold(text: str) -> list[str]:
    """Words without accents, case or punctuation (any script)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\W_]+", " ", text).split()


def name_key(text: str) -> str:
    """Sorted folded words without legal-form words: equal keys are the same name."""
    words = fold(text)
    kept = [w for w in words if w.upper() not in LEGAL_WORDS] or words
    return " ".join(sorted(kept))


def is_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(
        c.isascii() or unicodedata.name(c, "").startswith("LATIN") for c in letters
    )


def person_parts(name: Name) -> tuple[list[str], list[str]] | None:
    """(given words, surname words) where the list says which words are the surname."""
    if re.search(r"[()（）]", name.text):
        return None  # "Alexei (Aleksei, Aleksey) SELIVANOV": alternatives, not name parts
    if name.first and name.last:
        return name.first.split(), name.last.split()
    if name.text.count(",") == 1:
        last, given = (p.split() for p in name.text.split(",", 1))
        return (given, last) if given and last else None
    words = name.text.split()
    caps = [w.isupper() and len(w) > 1 for w in words]
    # Canada and Australia write "Given Middle SURNAME": the upper-case run is the surname.
    if 0 < sum(caps) < len(words) and caps[-sum(caps) :] == [True] * sum(caps):
        return words[: -sum(caps)], words[-sum(caps) :]
    return None


# --------------------------------------------------------------------------------------------
# Parties (expected entries)
# --------------------------------------------------------------------------------------------


class Book:
    """Every entry, its party, and which entries carry each name key."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = sorted(entries, key=lambda e: (e.dataset, e.entry_id))
        self.by_key = {e.key: e for e in self.entries}
        self.named: dict[str, set[EntryKey]] = defaultdict(set)
        for entry in self.entries:
            for name in entry.names:
                self.named[name_key(name.text)].add(entry.key)
        self.party = party_groups(self.entries)
        self.surnames: dict[str, set[EntryKey]] = defaultdict(set)
        for entry in self.entries:
            for name in entry.names:
                parts = person_parts(name) if entry.schema == Schema.PERSON.value else None
                for word in parts[1] if parts else ():
                    self.surnames[" ".join(fold(word))].add(entry.key)

    def expected(self, entry: Entry, base: str) -> frozenset[EntryKey]:
        keys = {entry.key} | self.named.get(name_key(base), set())
        return frozenset(k for key in keys for k in self.party.get(key, {key}))

    def ambiguous(self, query: str, expected: frozenset[EntryKey]) -> bool:
        """True when the query is exactly the name of an entry outside the expected ones."""
        return bool(self.named.get(name_key(query), set()) - expected)


def party_groups(entries: Sequence[Entry]) -> dict[EntryKey, frozenset[EntryKey]]:
    """Entry -> every entry of the same party (the rule of the module docstring)."""
    parent: dict[EntryKey, EntryKey] = {e.key: e.key for e in entries}

    def root(key: EntryKey) -> EntryKey:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def join(group: Iterable[EntryKey]) -> None:
        members = list(group)
        for other in members[1:]:
            parent[root(other)] = root(members[0])

    by_link: dict[tuple[str, str], list[EntryKey]] = defaultdict(list)
    by_name: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in entries:
        for link in entry.links:
            by_link[link].append(entry.key)
        for name in entry.names:
            words = name_key(name.text)
            if name.kind != NameKind.WEAK_ALIAS.value and len(words.split()) >= 2:
                by_name[("p" if entry.schema == Schema.PERSON.value else "o", words)].append(entry)
    for linked in by_link.values():
        join(linked)
    for (kind, _), namesakes in by_name.items():
        if kind == "o":
            join(e.key for e in namesakes)
            continue
        for i, a in enumerate(namesakes):  # persons: the same name and a shared birth year
            join([a.key, *(b.key for b in namesakes[i + 1 :] if a.birth_years & b.birth_years)])
    members: dict[EntryKey, set[EntryKey]] = defaultdict(set)
    for member in parent:
        members[root(member)].add(member)
    return {member: frozenset(members[root(member)]) for member in parent}


# --------------------------------------------------------------------------------------------
# Sampling
# --------------------------------------------------------------------------------------------


def labelled_cases(book: Book, kind: str, sample: int, seed: int) -> list[Case]:
    """Up to ``sample`` queries of one kind, spread round-robin over the datasets."""
    from bench.independent_rules import RULES  # the rules import this module's helpers

    rule = RULES[kind]
    by_dataset: dict[str, list[Entry]] = defaultdict(list)
    for entry in book.entries:
        # The CSL's sub-lists share one turn: most repeat OFAC's and BIS's entries.
        turn = entry.source if entry.source == "us_csl" else entry.dataset
        if entry.schema != Schema.AIRCRAFT.value:
            by_dataset[turn].append(entry)
    queues = {}
    for dataset, entries in sorted(by_dataset.items()):
        rng = random.Random(f"{seed}/{kind}/{dataset}")
        order = entries[:]
        rng.shuffle(order)
        queues[dataset] = (iter(order), rng)
    cases: list[Case] = []
    seen: set[str] = set()
    while len(cases) < sample and queues:
        for dataset in list(queues):
            if len(cases) >= sample:
                break
            case = _next_case(book, kind, rule, *queues[dataset], seen)
            if case is None:
                del queues[dataset]
            elif case.query:
                cases.append(case)
    return cases


def _next_case(
    book: Book,
    kind: str,
    rule: Callable[[Name, Entry, random.Random], Variant | None],
    entries: Iterable[Entry],
    rng: random.Random,
    seen: set[str],
) -> Case | None:
    """The next entry's case (an empty query when it has none); None when entries run out."""
    for entry in entries:
        names = list(entry.names)
        rng.shuffle(names)
        # Persons' and organisations' primary names first (aliases for the alias kind).
        names.sort(key=lambda n: n.kind != NameKind.PRIMARY.value)
        for name in names:
            if name.kind == NameKind.WEAK_ALIAS.value:
                continue
            variant = rule(name, entry, rng)
            if variant is None:
                continue
            query, base, how, group = variant
            query = " ".join(query.split())
            if not fold(query) or query in seen or (kind not in SAME and query == base):
                continue
            expected = book.expected(entry, base)
            if book.ambiguous(query, expected):
                continue
            seen.add(query)
            return Case(
                kind=kind,
                query=query,
                schema=entry.schema,
                expected=expected,
                base=base,
                how=how,
                group=f"{group} / {entry.dataset}" if kind == "exact" else group,
                locale=entry.dataset,
            )
        return Case(kind=kind, query="", schema=None, expected=frozenset())
    return None


@dataclass
class IndependentSet:
    cases: list[Case]
    stats: dict[str, object] = field(default_factory=dict)


def build(
    entries: Sequence[Entry],
    *,
    seed: int = SEED,
    sample: int = 200,
    clean_persons: int = 1500,
    clean_organizations: int = 1000,
    clean_vessels: int = 1000,
    near_misses: int = 1000,
) -> IndependentSet:
    """The whole second set: every labelled kind, clean names and near misses."""
    from bench.independent_clean import clean_cases, near_miss_cases

    book = Book(entries)
    cases: list[Case] = []
    for kind in KINDS:
        cases += labelled_cases(book, kind, sample, seed)
    clean, removed = clean_cases(
        book,
        seed,
        {"person": clean_persons, "organization": clean_organizations, "vessel": clean_vessels},
    )
    cases += clean
    cases += near_miss_cases(book, seed, near_misses)
    datasets = Counter(c.locale for c in cases if c.labelled)
    stats: dict[str, object] = {
        "seed": seed,
        "listed_entries": len(book.entries),
        "parties_with_several_entries": sum(
            1 for key, group in book.party.items() if len(group) > 1 and min(group) == key
        ),
        "clean_collisions_removed": removed,
        "cases_by_kind": dict(Counter(c.kind for c in cases)),
        "labelled_by_dataset": dict(sorted(datasets.items())),
    }
    return IndependentSet(cases=cases, stats=stats)
