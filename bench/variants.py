"""The labelled query set of the screening benchmark, made from the real listed names.

Every function here is pure and seeded: the same lists, seed and sizes give the same queries on
every machine (for the faker-made names: with the same faker version, recorded in the report).
Each variant kind draws from its own random stream (``seed/kind``), so asking for fewer kinds or
a smaller sample of one kind never changes the queries of another.

Labelled kinds (each query carries the set of list entries it must find):

=================  ===========================================================================
exact              the listed primary name as written
case_punct         the listed name in another case (UPPER, lower, Title) and/or with its
                   punctuation changed (commas, full stops and hyphens dropped or added)
typo               1-2 keyboard edits (substitution, insertion, deletion, transposition) inside
                   words of >= 5 letters, never on the first letter of a word
reorder            persons "SURNAME, Given", "SURNAME Given" or shuffled; organization names of
                   2-3 words rotated (ROSSIYA BANK / BANK ROSSIYA), the legal form left in place
dropped_token      persons of three words or more with one middle name or patronymic left out
                   ("Vladimir PUTIN" for "Vladimir Vladimirovich PUTIN"); never the first given
                   name nor a surname word
initials           given names reduced to initials ("V. V. PUTIN", "PUTIN V", "Vladimir V. PUTIN"),
                   only where the list says which words are the surname
transliteration    persons: another romanisation of Russian or Arabic/Persian names (real
                   alternates of known names: Aleksandr/Alexander, Yevgeny/Evgeniy,
                   Mohammed/Muhammad; else letter rules of the entry's region: kh/h, -iy/-y, ks/x,
                   yu/iu, ya/ia, -ov/-off, ou/u, q/k, al-/el- ...)
cyrillic           Russian, Belarusian and Ukrainian persons and Russian companies written in
                   Cyrillic by a Latin-to-Cyrillic transliteration ("Aleksandr" -> "Александр",
                   'LIMITED LIABILITY COMPANY X' -> 'ООО «X»')
legal_form         an organization's legal form moved, translated, abbreviated or dropped
joined_split       words joined or split (GAZPROMBANK / GAZPROM BANK), hyphens removed or added
alias              a listed alias (a.k.a. or former name, not a weak alias: the lists say those
                   should not make a hit alone) as written, or varied by case/punctuation, a typo
                   or a reordering; the query must find the entry that lists the alias
vessel             a vessel name variant (MV prefix, typo, joined words), no identifiers
vessel_imo         the same kind of variant with the vessel's IMO number as a query identifier
katakana           a name Japan's MOF lists in katakana, romanised by passport Hepburn or
                   another documented system (`bench.kana_variants`); made only when the
                   store holds the MOF list (bench/accuracy.py screens this kind against set A's
                   lists plus MOF)
=================  ===========================================================================

Unlabelled kinds (a query that alerts is a false alert):

``clean``       person and company names from faker in many locales and scripts; any that equal
                a listed name (same words after folding and romanising Cyrillic) are removed.
``near_miss``   a listed surname with another given name (one that shares no word with the
                entity's names and is not a spelling of a given name listed with that surname),
                or generic business words ("TRADING", "GROUP", "AL" ...) around a word that
                occurs in no listed name.

The expected entries of a labelled query are all list entries that have a name with the same
words as the name it was made from, and every entry of the same party on the other lists (the
same passport, national or tax id, IMO or UN reference; or, for persons, the same birth date and
a name spelt alike): "Aleksandr Aleksandrovich AVDEYEV" (OFAC) and "Alexander Alexandrovich
AVDEEV" (UK) are one man, and a screener that finds either for a variant of the first is right.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from bench import kana_variants
from lists.model import Entity, IdentifierType, NameKind, Schema

if TYPE_CHECKING:
    from faker import Faker  # a dev dependency, imported only when names are made

T = TypeVar("T")
EntryKey = tuple[str, str]  # (source, entry_id)

LABELLED_KINDS = (
    "exact",
    "case_punct",
    "typo",
    "reorder",
    "dropped_token",
    "initials",
    "transliteration",
    "cyrillic",
    "legal_form",
    "joined_split",
    "alias",
    "vessel",
    "vessel_imo",
    "katakana",
)
CLEAN = "clean"
NEAR_MISS = "near_miss"

# Words shorter than this are never given a typo: one edit in a short word makes another word.
MIN_TYPO_LETTERS = 5
TWO_TYPO_LETTERS = 10

# --------------------------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ListedName:
    full: str
    kind: str
    first: str | None = None
    last: str | None = None


@dataclass(frozen=True, slots=True)
class Listed:
    """What the generator needs of one list entry (kept small: the lists hold ~20,000)."""

    source: str
    entry_id: str
    schema: str
    names: tuple[ListedName, ...]
    countries: frozenset[str] = frozenset()
    programs: tuple[str, ...] = ()
    imo: tuple[str, ...] = ()
    birth_days: tuple[str, ...] = ()  # ISO dates of birth dates known to the day
    ids: tuple[tuple[str, str], ...] = ()  # (type, normalised value) of party identifiers
    base: ListedName | None = field(init=False, compare=False)

    def __post_init__(self) -> None:
        # The first primary name written in Latin letters (variants are made from it); set
        # once here because every kind asks for it.
        primaries = [n for n in self.names if n.kind == NameKind.PRIMARY.value]
        others = [n for n in self.names if n.kind != NameKind.PRIMARY.value]
        base = next(
            (n for n in primaries + others if is_latin(n.full) and n_letters(n.full) >= 2), None
        )
        object.__setattr__(self, "base", base)

    @classmethod
    def from_entity(cls, entity: Entity) -> Listed:
        countries = {*entity.nationalities, *entity.citizenships, *entity.countries}
        countries |= {a.country for a in entity.addresses if a.country}
        return cls(
            source=entity.source.value,
            entry_id=entity.entry_id,
            schema=entity.schema_.value,
            names=tuple(
                ListedName(full=n.full, kind=n.kind.value, first=n.first, last=n.last)
                for n in entity.names
            ),
            countries=frozenset(c for c in countries if c),
            programs=tuple(entity.programs),
            imo=tuple(i.value for i in entity.identifiers if i.type is IdentifierType.IMO),
            birth_days=tuple(
                day.isoformat() for d in entity.birth_dates if (day := d.as_date()) is not None
            ),
            ids=tuple(
                sorted(
                    {
                        (i.type.value, value)
                        for i in entity.identifiers
                        if i.type in PARTY_IDENTIFIERS
                        and len(value := normalize_identifier(i.value)) >= MIN_ID_LENGTH
                    }
                )
            ),
        )

    @property
    def key(self) -> EntryKey:
        return (self.source, self.entry_id)


@dataclass(frozen=True, slots=True)
class Case:
    """One benchmark query and what a screener should answer."""

    kind: str
    query: str
    schema: str | None
    expected: frozenset[EntryKey]  # empty: the query should not alert
    base: str = ""  # the listed name the query was made from
    how: str = ""  # the change made, for reading misses
    identifiers: tuple[tuple[str, str], ...] = ()
    locale: str | None = None
    group: str = ""  # the sort of change within the kind, for recall by sub-kind

    @property
    def labelled(self) -> bool:
        return bool(self.expected)

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "query": self.query,
            "schema": self.schema,
            "expected": sorted(list(k) for k in self.expected),
            "base": self.base,
            "how": self.how,
            "identifiers": [list(i) for i in self.identifiers],
            "locale": self.locale,
            "group": self.group,
        }


@dataclass
class BenchmarkSet:
    cases: list[Case]
    stats: dict[str, object] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Case]:
        return [c for c in self.cases if c.kind == kind]


# Identifiers that name one party: entries of different lists sharing one are the same party.
PARTY_IDENTIFIERS = frozenset(
    {
        IdentifierType.PASSPORT,
        IdentifierType.NATIONAL_ID,
        IdentifierType.TAX_ID,
        IdentifierType.IMO,
        IdentifierType.UN_REFERENCE,
    }
)
MIN_ID_LENGTH = 5  # shorter values ("1", "A12") are too likely to be shared by chance

# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------


def normalize_identifier(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", value.upper()).removeprefix("IMO")


_APOSTROPHES = re.compile(r"['’‘`´ʻʼ]")
_NON_WORD = re.compile(r"[\W_]+")
_LETTERS = re.compile(r"[^\W\d_]")


def n_letters(text: str) -> int:
    return len(_LETTERS.findall(text))


def is_latin(text: str) -> bool:
    """True when every letter of the text is a Latin letter."""
    if text.isascii():
        return any(c.isalpha() for c in text)
    return all(unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha()) and any(
        c.isalpha() for c in text
    )


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation, Cyrillic romanised: words separated by spaces."""
    text = romanize_cyrillic(unicodedata.normalize("NFC", text))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text.casefold())
    return " ".join(_NON_WORD.split(text)).strip()


def name_key(text: str) -> str:
    """Names with the same words in any order share a key ("PUTIN, Vladimir" = "Vladimir PUTIN")."""
    return " ".join(sorted(fold(text).split()))


def bare_key(text: str) -> str:
    """`name_key` of the name without a legal form at its start or end."""
    form = split_legal_form(text)
    return name_key(form.core if form is not None and form.core.strip() else text)


def _match_case(template: str, word: str) -> str:
    """Write ``word`` in the case pattern of ``template`` (UPPER, Title or lower)."""
    letters = [c for c in template if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    if letters and letters[0].isupper():
        return word[:1].upper() + word[1:].lower()
    return word.lower()


def word_set(text: str) -> frozenset[str]:
    """The words of a long whitespace-separated literal (easier to read than a list)."""
    return frozenset(text.split())


def derived_seed(seed: int, *parts: str) -> int:
    """A stable integer seed for one random stream (Python's hash() is salted per process)."""
    digest = hashlib.sha256("/".join([str(seed), *parts]).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def stream(seed: int, *parts: str) -> random.Random:
    return random.Random(derived_seed(seed, *parts))


# --------------------------------------------------------------------------------------------
# Cyrillic <-> Latin
# --------------------------------------------------------------------------------------------

_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}  # fmt: skip


def romanize_cyrillic(text: str) -> str:
    """Cyrillic letters to Latin (a simple BGN-like table); other characters unchanged."""
    if not any("\u0400" <= c <= "\u04ff" for c in text):
        return text
    words = re.split(r"(\s+)", text)
    out = []
    for word in words:
        latin = []
        for char in word:
            low = char.lower()
            mapped = _CYRILLIC_TO_LATIN.get(low)
            if mapped is None:
                latin.append(char)
            elif char != low:
                latin.append(mapped.capitalize())
            else:
                latin.append(mapped)
        joined = "".join(latin)
        cyrillic_letters = [c for c in word if c.isalpha()]
        if len(cyrillic_letters) > 1 and all(c.isupper() for c in cyrillic_letters):
            joined = joined.upper()
        out.append(joined)
    return "".join(out)


# Given names whose Cyrillic spelling the letter rules below get wrong (soft signs, ё, й).
_CYRILLIC_GIVEN = {
    **dict.fromkeys(["aleksandr", "alexander", "alexandr", "aleksander"], "александр"),
    **dict.fromkeys(["aleksandra", "alexandra"], "александра"),
    **dict.fromkeys(["aleksey", "alexey", "aleksei", "alexei"], "алексей"),
    **dict.fromkeys(["yevgeny", "yevgeniy", "evgeniy", "evgeny", "evgenii"], "евгений"),
    **dict.fromkeys(["yevgeniya", "evgeniya", "evgenia"], "евгения"),
    **dict.fromkeys(["yuri", "yury", "yuriy", "yurii", "iurii"], "юрий"),
    **dict.fromkeys(["dmitry", "dmitriy", "dmitrii", "dmitri"], "дмитрий"),
    **dict.fromkeys(["sergey", "sergei", "serguei"], "сергей"),
    **dict.fromkeys(["andrey", "andrei"], "андрей"),
    **dict.fromkeys(["nikolay", "nikolai"], "николай"),
    "mikhail": "михаил",
    "igor": "игорь",
    **dict.fromkeys(["ilya", "ilia"], "илья"),
    "olga": "ольга",
    **dict.fromkeys(["natalya", "natalia", "nataliya"], "наталья"),
    **dict.fromkeys(["tatyana", "tatiana"], "татьяна"),
    **dict.fromkeys(["yelena", "elena"], "елена"),
    **dict.fromkeys(["yekaterina", "ekaterina"], "екатерина"),
    **dict.fromkeys(["maria", "mariya"], "мария"),
    **dict.fromkeys(["yulia", "yuliya", "julia"], "юлия"),
    **dict.fromkeys(["anastasia", "anastasiya"], "анастасия"),
    **dict.fromkeys(["lyudmila", "ludmila", "liudmila"], "людмила"),
    **dict.fromkeys(["darya", "daria"], "дарья"),
    **dict.fromkeys(["pyotr", "petr"], "пётр"),
    **dict.fromkeys(["fyodor", "fedor"], "фёдор"),
    **dict.fromkeys(["semyon", "semen"], "семён"),
    **dict.fromkeys(["vasily", "vasiliy", "vasilii"], "василий"),
    **dict.fromkeys(["grigory", "grigoriy", "grigorii"], "григорий"),
    **dict.fromkeys(["georgy", "georgiy", "georgii"], "георгий"),
    **dict.fromkeys(["anatoly", "anatoliy", "anatolii"], "анатолий"),
    **dict.fromkeys(["gennady", "gennadiy", "gennadii", "genadiy"], "геннадий"),
    **dict.fromkeys(["valery", "valeriy", "valerii"], "валерий"),
    **dict.fromkeys(["vitaly", "vitaliy", "vitalii"], "виталий"),
    **dict.fromkeys(["arkady", "arkadiy", "arkadii"], "аркадий"),
    **dict.fromkeys(["maxim", "maksim"], "максим"),
    **dict.fromkeys(["viktor", "victor"], "виктор"),
    **dict.fromkeys(["ksenia", "kseniya"], "ксения"),
    "lyubov": "любовь",
    "igorevich": "игоревич",
    "igorevna": "игоревна",
    "ilyich": "ильич",
}

_VOWELS = set("aeiouy")
_IOTATED = {"a": "я", "u": "ю", "e": "е", "o": "ё", "i": "и"}
_SIMPLE_LETTERS = {
    "a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и", "k": "к",
    "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у",
    "f": "ф", "h": "х", "q": "к", "w": "в",
}  # fmt: skip
_DIGRAPHS = (("shch", "щ"), ("tch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"),
             ("sh", "ш"), ("ph", "ф"), ("ck", "к"))  # fmt: skip
# Word starts romanised with E that Russian writes with Е, not Э (Evgeny, Elena, Ekaterina).
_E_AS_YE = ("ev", "el", "ek", "eg", "ef", "er", "es")


def _cyrillic_word(word: str) -> str:
    """One Latin word (letters only) written in Cyrillic, following common BGN/ICAO reversals."""
    low = word.lower()
    if low in _CYRILLIC_GIVEN:
        return _match_case(word, _CYRILLIC_GIVEN[low])
    out: list[str] = []
    i = 0
    n = len(low)
    while i < n:
        rest = low[i:]
        prev = low[i - 1] if i else ""
        after_vowel = i == 0 or prev in _VOWELS
        if rest in ("iy", "ii") and i > 0:
            out.append("ий")
            break
        if rest in ("yy", "yi") and i > 0:
            out.append("йи" if prev in _VOWELS else "ый")
            break
        if rest == "y" and prev and prev in "kgh":  # -sky, -tsky: Russian -ский
            out.append("ий")
            break
        digraph = next(((d, c) for d, c in _DIGRAPHS if rest.startswith(d)), None)
        if digraph is not None:
            out.append(digraph[1])
            i += len(digraph[0])
            continue
        char = low[i]
        nxt = low[i + 1] if i + 1 < n else ""
        if char in "yj" and nxt in _IOTATED:
            soft = not after_vowel and (nxt in "ei" or (prev == "l" and i + 2 == n))
            if after_vowel and nxt in "oi":
                out.append("й" + _SIMPLE_LETTERS[nxt])
            else:
                out.append(("ь" if soft else "") + _IOTATED[nxt])
            i += 2
            continue
        if char == "y":
            out.append("й" if after_vowel and i > 0 else "ы")
        elif char == "j":
            out.append("й" if after_vowel and i > 0 and i + 1 == n else "дж")
        elif char == "x":
            out.append("кс")
        elif char == "c":
            out.append("ц" if nxt and nxt in "eiy" else "к")
        elif char == "e" and i == 0:
            out.append("е" if rest.startswith(_E_AS_YE) else "э")
        elif char == "i" and i + 1 == n and prev and prev in "aeou":
            out.append("й")  # Nikolai, Andrei
        else:
            out.append(_SIMPLE_LETTERS.get(char, char))
        i += 1
    return _match_case(word, "".join(out))


def to_cyrillic(text: str) -> str:
    """Latin text written in Cyrillic, word by word; digits and punctuation are kept."""
    return re.sub(r"[A-Za-z]+", lambda m: _cyrillic_word(m.group(0)), text)


# --------------------------------------------------------------------------------------------
# Regions (which romanisation rules fit a name)
# --------------------------------------------------------------------------------------------

CYRILLIC_COUNTRIES = frozenset({"RU", "BY", "UA"})
_FORMER_USSR = CYRILLIC_COUNTRIES | {"KZ", "KG", "TJ", "UZ", "TM", "MD", "AM", "AZ", "GE"}
_ARABIC_PERSIAN = frozenset(
    {"AE", "SA", "IQ", "SY", "LB", "JO", "YE", "EG", "LY", "TN", "DZ", "MA", "SD", "SO", "KW"}
    | {"QA", "BH", "OM", "PS", "IR", "AF", "PK", "MR"}
)
_SLAVIC_PROGRAM_WORDS = ("RUSSIA", "UKRAINE", "BELARUS")
_ARABIC_PROGRAM_WORDS = (
    *("SDGT", "SDT", "FTO", "SYRIA", "IRAQ", "IRAN", "IFSR", "LIBYA", "YEMEN", "LEBANON"),
    *("HIZBALLAH", "HEZBOLLAH", "SOMALIA", "SUDAN", "TALIBAN", "AL-QAIDA", "ISIL", "DA'ESH"),
    *("COUNTER-TERRORISM", "AFGHANISTAN"),
)


def region(listed: Listed) -> str | None:
    """ "slavic", "arabic" or None, from the entry's countries (first) or its programs."""
    if listed.countries:
        if listed.countries & _FORMER_USSR:
            return "slavic"
        if listed.countries & _ARABIC_PERSIAN:
            return "arabic"
        return None
    programs = " ".join(listed.programs).upper()
    if any(word in programs for word in _SLAVIC_PROGRAM_WORDS):
        return "slavic"
    if any(word in programs for word in _ARABIC_PROGRAM_WORDS):
        return "arabic"
    return None


def is_cyrillic_country(listed: Listed) -> bool:
    """Russia, Belarus or Ukraine by country; by program only when the entry has no country."""
    if listed.countries:
        return bool(listed.countries & CYRILLIC_COUNTRIES)
    programs = " ".join(listed.programs).upper()
    return any(word in programs for word in _SLAVIC_PROGRAM_WORDS)


# --------------------------------------------------------------------------------------------
# Legal forms
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LegalForm:
    family: str
    surface: str  # as found in the name
    prefix: bool
    core: str  # the name without the form, quotes and separating commas


# Families of equivalent legal forms; the first surface is the English one. Russian families
# may stand before the name (OOO "X") or after it (X LLC); the others only after it.
LEGAL_FAMILIES: dict[str, tuple[str, ...]] = {
    "llc": ("LIMITED LIABILITY COMPANY", "LLC", "OOO", "ООО",
            "OBSHCHESTVO S OGRANICHENNOY OTVETSTVENNOSTYU", "L.L.C."),
    "pjsc": ("PUBLIC JOINT STOCK COMPANY", "PJSC", "PAO", "ПАО",
             "PUBLICHNOE AKTSIONERNOE OBSHCHESTVO"),
    "ojsc": ("OPEN JOINT STOCK COMPANY", "OJSC", "OAO", "ОАО",
             "OTKRYTOE AKTSIONERNOE OBSHCHESTVO"),
    "cjsc": ("CLOSED JOINT STOCK COMPANY", "CJSC", "ZAO", "ЗАО",
             "ZAKRYTOE AKTSIONERNOE OBSHCHESTVO"),
    "jsc": ("JOINT STOCK COMPANY", "JSC", "AO", "АО", "AKTSIONERNOE OBSHCHESTVO"),
    "gmbh_co_kg": ("GMBH & CO. KG", "GMBH & CO KG"),
    "gmbh": ("GMBH", "GESELLSCHAFT MIT BESCHRANKTER HAFTUNG"),
    "co_ltd": ("COMPANY LIMITED", "CO., LTD.", "CO., LTD", "CO. LTD", "CO LTD"),
    "ltd_sti": ("LIMITED SIRKETI", "LTD. STI.", "LTD STI", "LTD. STI"),
    "as": ("ANONIM SIRKETI", "A.S.", "AS"),
    "ltd": ("LIMITED", "LTD", "LTD."),
    "fzco": ("FREE ZONE COMPANY", "FZCO", "FZC"),
    "fze": ("FREE ZONE ESTABLISHMENT", "FZE", "F.Z.E."),
    "fz_llc": ("FZ-LLC", "FZ LLC"),
    "llp": ("LIMITED LIABILITY PARTNERSHIP", "LLP"),
    "inc": ("INCORPORATED", "INC.", "INC"),
    "corp": ("CORPORATION", "CORP.", "CORP"),
    "plc": ("PUBLIC LIMITED COMPANY", "PLC"),
    "pte_ltd": ("PRIVATE LIMITED", "PTE. LTD.", "PTE LTD", "PVT. LTD.", "PVT LTD"),
    "sa_de_cv": ("S.A. DE C.V.", "SA DE CV"),
    "sa": ("SOCIEDAD ANONIMA", "S.A.", "SA"),
    "co": ("COMPANY", "CO.", "CO"),
}  # fmt: skip
RUSSIAN_FAMILIES = frozenset({"llc", "pjsc", "ojsc", "cjsc", "jsc"})
_CYRILLIC_FORM = {"llc": "ООО", "pjsc": "ПАО", "ojsc": "ОАО", "cjsc": "ЗАО", "jsc": "АО"}


def _surface_pattern(surface: str) -> str:
    chunks = re.findall(r"\w+|&", surface)
    return r"[\s.,]*".join(re.escape(c) for c in chunks) + r"\.?"


_FORM_PATTERNS: list[tuple[str, str, re.Pattern[str], re.Pattern[str] | None]] = []
for _family, _surfaces in LEGAL_FAMILIES.items():
    for _surface in _surfaces:
        _body = _surface_pattern(_surface)
        _suffix = re.compile(r"(?:^|[\s,]+)(" + _body + r")\s*$", re.IGNORECASE)
        _prefix = (
            re.compile(r"^(" + _body + r")(?=[\s\"«“]|$)", re.IGNORECASE)
            if _family in RUSSIAN_FAMILIES
            else None
        )
        _FORM_PATTERNS.append((_family, _surface, _suffix, _prefix))
_FORM_PATTERNS.sort(key=lambda p: -len(p[1]))

_QUOTES = "\"'«»“”„"
_FOLDED_SURFACES = frozenset(fold(s) for surfaces in LEGAL_FAMILIES.values() for s in surfaces)


def split_legal_form(name: str) -> LegalForm | None:
    """The legal form at the start or end of an organization name, and the rest of it."""
    for family, _surface, suffix, prefix in _FORM_PATTERNS:
        if prefix is not None and (match := prefix.match(name)):
            core = name[match.end() :]
            return _legal_form(family, match.group(1), True, core)
        if match := suffix.search(name):
            core = name[: match.start()]
            return _legal_form(family, match.group(1), False, core)
    return None


def _legal_form(family: str, surface: str, prefix: bool, core: str) -> LegalForm | None:
    core = core.strip().strip(",").strip().strip(_QUOTES).strip()
    # Nothing left but another legal form ("CO" of "CO LTD"): no name to keep.
    if n_letters(core) < 2 or fold(core) in _FOLDED_SURFACES:
        return None
    return LegalForm(family=family, surface=surface.strip(), prefix=prefix, core=core)


def _place_form(form_surface: str, core: str, prefix: bool, quote: bool) -> str:
    if not prefix:
        return f"{core} {form_surface}"
    if quote:
        opening, closing = ("«", "»") if not is_latin(form_surface) else ('"', '"')
        return f"{form_surface} {opening}{core}{closing}"
    return f"{form_surface} {core}"


# --------------------------------------------------------------------------------------------
# Variant makers: (listed entry, its base name, random stream) -> (query, how) or None
# --------------------------------------------------------------------------------------------

Variant = tuple[str, str]

_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS: dict[str, str] = {}
for _row_index, _row in enumerate(_KEYBOARD_ROWS):
    for _col, _key in enumerate(_row):
        near = [_row[c] for c in (_col - 1, _col + 1) if 0 <= c < len(_row)]
        for other in (_row_index - 1, _row_index + 1):
            if 0 <= other < len(_KEYBOARD_ROWS):
                near += [
                    _KEYBOARD_ROWS[other][c]
                    for c in (_col - 1, _col, _col + 1)
                    if 0 <= c < len(_KEYBOARD_ROWS[other])
                ]
        _NEIGHBOURS[_key] = "".join(near)

TYPO_OPS = ("substitution", "insertion", "deletion", "transposition")


def typo_word(word: str, rng: random.Random, op: str | None = None) -> tuple[str, str] | None:
    """One keyboard edit of a word, never at its first letter; (new word, operation)."""
    if n_letters(word) < MIN_TYPO_LETTERS or not word.isalpha():
        return None
    ops = [op] if op else list(TYPO_OPS)
    rng.shuffle(ops)
    for chosen in ops:
        edited = _apply_typo(word, rng, chosen)
        if edited is not None and edited.casefold() != word.casefold():
            return edited, chosen
    return None


def _apply_typo(word: str, rng: random.Random, op: str) -> str | None:
    n = len(word)
    if op == "substitution":
        i = rng.randrange(1, n)
        replacement = _nearby_letter(word[i], rng)
        return word[:i] + _match_case(word[i], replacement) + word[i + 1 :]
    if op == "insertion":
        i = rng.randrange(1, n + 1)
        added = _nearby_letter(word[i - 1], rng)
        return word[:i] + _match_case(word[i - 1], added) + word[i:]
    if op == "deletion":
        i = rng.randrange(1, n)
        return word[:i] + word[i + 1 :]
    if op == "transposition":
        positions = [i for i in range(1, n - 1) if word[i].casefold() != word[i + 1].casefold()]
        if not positions:
            return None
        i = rng.choice(positions)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    raise ValueError(f"unknown typo operation {op!r}")


def _nearby_letter(letter: str, rng: random.Random) -> str:
    near = _NEIGHBOURS.get(letter.lower())
    pool = near if near else "aeioustrnl"
    return rng.choice(pool)


def make_typo(
    listed: Listed, name: ListedName, rng: random.Random, book: NameBook
) -> Variant | None:
    words = name.full.split(" ")
    candidates = [i for i, w in enumerate(words) if w.isalpha() and len(w) >= MIN_TYPO_LETTERS]
    if not candidates:
        return None
    # Two edits only where a reader would still see the name: one in each of two words, or
    # both in one long word.
    long_word = any(len(words[i]) >= TWO_TYPO_LETTERS for i in candidates)
    two = n_letters(name.full) >= TWO_TYPO_LETTERS and (len(candidates) > 1 or long_word)
    edits = rng.choice((1, 2)) if two else 1
    hows = []
    for _ in range(edits):
        i = rng.choice(candidates)
        edited = typo_word(words[i], rng)
        if edited is None:
            continue
        hows.append(f"{edited[1]} {words[i]}->{edited[0]}")
        words[i] = edited[0]
        if len(candidates) > 1:
            candidates.remove(i)
    query = " ".join(words)
    if not hows or name_key(query) == name_key(name.full):
        return None
    return query, "; ".join(hows)


_PARTICLES = frozenset(
    {"al", "el", "ad", "ar", "as", "ash", "az", "abu", "abd", "abdul", "abdel", "bin", "ben"}
    | {"ibn", "bint", "ul", "ud", "de", "da", "di", "del", "van", "von", "der", "la", "le", "mc"}
)


def person_parts(name: ListedName) -> tuple[list[str], list[str]] | None:
    """(given words, surname words) of a person name written given names first."""
    words = name.full.split()
    if len(words) < 2:
        return None
    if name.last and name.full.endswith(name.last) and len(name.last.split()) < len(words):
        surname = name.last.split()
        return words[: len(words) - len(surname)], surname
    return words[:-1], words[-1:]


def make_reorder(
    listed: Listed, name: ListedName, rng: random.Random, book: NameBook
) -> Variant | None:
    if listed.schema == Schema.PERSON.value:
        parts = person_parts(name)
        if parts is None:
            return None
        given, surname = parts
        options = [
            (" ".join(surname) + ", " + " ".join(given), "SURNAME, Given"),
            (" ".join(surname + given), "SURNAME Given"),
        ]
        shuffled = given + surname
        for _ in range(10):
            rng.shuffle(shuffled)
            if shuffled != given + surname:
                options.append((" ".join(shuffled), "shuffled"))
                break
        query, how = rng.choice(options)
        return (query, how) if query != name.full else None
    if listed.schema != Schema.ORGANIZATION.value:
        return None
    # Only the name proper turns round (BANK ROSSIYA / ROSSIYA BANK); a legal form stays put.
    form = split_legal_form(name.full)
    core = form.core if form else name.full
    words = [w for w in (w.strip(",") for w in core.split()) if w]
    if not 2 <= len(words) <= 3:
        return None
    if rng.random() < 0.5:
        rotated, how = words[-1:] + words[:-1], "last word first"
    else:
        rotated, how = words[1:] + words[:1], "first word last"
    query = " ".join(rotated)
    if form is not None:
        query = _place_form(form.surface, query, form.prefix, quote=False)
    return query, how


def _initial(word: str) -> str:
    return word[0].upper() + "."


def make_initials(
    listed: Listed, name: ListedName, rng: random.Random, book: NameBook
) -> Variant | None:
    # Only where the list says which words are the surname: "MOHAMMAD M" made from the UN's
    # unstructured "MOHAMMAD SADIQ AMIR MOHAMMAD" would be no fair query.
    if listed.schema != Schema.PERSON.value or not name.last:
        return None
    parts = person_parts(name)
    if parts is None:
        return None
    given, surname = parts
    reducible = [i for i, w in enumerate(given) if w.isalpha() and w.lower() not in _PARTICLES]
    if not reducible:
        return None
    surname_text = " ".join(surname)
    options: list[Variant] = []
    all_initials = [_initial(w) if i in reducible else w for i, w in enumerate(given)]
    options.append((" ".join([*all_initials, surname_text]), "all given names as initials"))
    first = reducible[0]
    options.append((f"{surname_text} {_initial(given[first]).rstrip('.')}", "SURNAME F"))
    middles = reducible[1:]
    if middles:
        kept = [_initial(w) if i in middles else w for i, w in enumerate(given)]
        options.append((" ".join([*kept, surname_text]), "middle names as initials"))
    query, how = rng.choice(options)
    return (query, how) if name_key(query) != name_key(name.full) else None


# Spellings of one given name in different romanisations (Russian, Arabic, Persian).
_NAME_GROUPS: tuple[tuple[str, ...], ...] = (
    ("aleksandr", "alexander", "alexandr", "aleksander", "oleksandr"),
    ("aleksey", "alexey", "aleksei", "alexei", "oleksiy"),
    ("yevgeny", "yevgeniy", "evgeniy", "evgeny", "evgenii"),
    ("yuri", "yury", "yuriy", "iurii", "yurii"),
    ("dmitry", "dmitriy", "dmitri", "dmitrii"),
    ("sergey", "sergei", "serguei", "sergiy"),
    ("andrey", "andrei", "andriy"),
    ("nikolay", "nikolai", "mykola"),
    ("mikhail", "mihail", "michail", "mykhailo"),
    ("vyacheslav", "viacheslav"),
    ("ilya", "ilia", "ilja"),
    ("pyotr", "petr", "piotr"),
    ("fyodor", "fedor", "feodor"),
    ("gennady", "gennadiy", "gennadii", "genadiy"),
    ("anatoly", "anatoliy", "anatolii"),
    ("vitaly", "vitaliy", "vitalii"),
    ("valery", "valeriy", "valerii"),
    ("vasily", "vasiliy", "vassily", "vasilii"),
    ("grigory", "grigoriy", "grigorii"),
    ("georgy", "georgiy", "georgii"),
    ("arkady", "arkadiy", "arkadii"),
    ("natalya", "natalia", "nataliya"),
    ("tatyana", "tatiana"),
    ("yelena", "elena"),
    ("yekaterina", "ekaterina"),
    ("yulia", "yuliya", "iuliia"),
    ("lyudmila", "ludmila", "liudmila"),
    ("maksim", "maxim"),
    ("mohammed", "muhammad", "mohamed", "mohammad", "muhammed", "mohamad", "mohammed"),
    ("ahmed", "ahmad"),
    ("mahmoud", "mahmud", "mahmood"),
    ("hussein", "husain", "hussain", "husayn", "hossein"),
    ("hassan", "hasan"),
    ("abdullah", "abdallah", "abdulla"),
    ("abdul", "abdel", "abd"),
    ("osama", "usama"),
    ("yusuf", "yousef", "youssef", "yousif"),
    ("omar", "umar"),
    ("uthman", "othman", "osman"),
    ("khalid", "khaled"),
    ("khalil", "khaleel"),
    ("saeed", "said", "sayed"),
    ("saleh", "salih"),
    ("salim", "saleem"),
    ("rashid", "rasheed"),
    ("nasser", "nasir", "naser"),
    ("ibrahim", "ebrahim"),
    ("ismail", "ismael", "esmail"),
    ("mustafa", "mostafa", "moustafa"),
    ("mansour", "mansur"),
    ("qasim", "qassem", "kassem", "ghasem"),
    ("hamid", "hamed"),
    ("faisal", "faysal"),
    ("musa", "mousa", "moussa"),
    ("yahya", "yahia", "yehia"),
    ("zaid", "zayd", "zeid"),
    ("jamal", "gamal"),
    ("abu", "abou"),
    ("mahdi", "mehdi"),
    ("mohsen", "muhsin"),
    ("javad", "jawad"),
    ("gholam", "ghulam"),
    ("reza", "rida"),
)
_GROUP_OF = {name: group for group in _NAME_GROUPS for name in group}

_Rule = tuple[str, re.Pattern[str], str]
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")  # letters, maybe hyphenated (AL-LIBI)


def _rules(*rules: tuple[str, str, str]) -> tuple[_Rule, ...]:
    return tuple((label, re.compile(pattern), repl) for label, pattern, repl in rules)


_SLAVIC_RULES = _rules(
    ("ks->x", "ks", "x"),
    ("x->ks", "x", "ks"),
    ("kh->h", "kh", "h"),
    ("-iy->-y", "iy$", "y"),
    ("-iy->-ii", "iy$", "ii"),
    ("-yy->-y", "yy$", "y"),
    ("-yy->-iy", "yy$", "iy"),
    ("-ii->-iy", "ii$", "iy"),
    ("yu->iu", "yu", "iu"),
    ("iu->yu", "iu", "yu"),
    ("ya->ia", "ya", "ia"),
    ("ia->ya", "(?<=[^aeiou])ia", "ya"),
    ("yo->e", "yo", "e"),
    ("ye->e", "^ye", "e"),
    ("e->ye", "^e(?=[vlk])", "ye"),
    ("-ey->-ei", "ey$", "ei"),
    ("-ay->-ai", "ay$", "ai"),
    ("shch->sch", "shch", "sch"),
    ("-ov->-off", "ov$", "off"),
    ("-ev->-eff", "ev$", "eff"),
    ("double->single", r"([bcdfgklmnprst])\1", r"\1"),
)
_ARABIC_RULES = _rules(
    ("ou->u", "ou", "u"),
    ("oo->u", "oo", "u"),
    ("ee->i", "ee", "i"),
    ("aa->a", "aa", "a"),
    ("q->k", "q", "k"),
    ("gh->q", "gh", "q"),
    ("kh->h", "kh", "h"),
    ("dh->z", "dh", "z"),
    ("al-->el-", "^al(?=-)", "el"),
    ("al->el", "^al$", "el"),
    ("-ah->-a", "(?<=[^aeiou])ah$", "a"),
    ("-a->-ah", "(?<=[^aeiouh])a$", "ah"),
    ("double->single", r"([bdfgklmnrst])\1", r"\1"),
)


def _romanisation_options(word: str, rules: Sequence[_Rule]) -> list[tuple[str, str]]:
    low = word.lower()
    options = [(other, f"name {low}->{other}") for other in _GROUP_OF.get(low, ()) if other != low]
    if options:
        return options  # a known name: its real alternates, not letter rules
    for label, pattern, repl in rules:
        changed = pattern.sub(repl, low, count=1)
        if changed != low:
            options.append((changed, f"rule {label}"))
    return options


def make_transliteration(
    listed: Listed, name: ListedName, rng: random.Random, book: NameBook
) -> Variant | None:
    # Persons only: organization names are mostly English words, which have one spelling.
    if listed.schema != Schema.PERSON.value:
        return None
    area = region(listed)
    rules: Sequence[_Rule] = (
        _SLAVIC_RULES if area == "slavic" else _ARABIC_RULES if area == "arabic" else ()
    )
    words = name.full.split(" ")
    options = {
        i: _romanisation_options(w, rules)
        for i, w in enumerate(words)
        if _WORD.fullmatch(w) and len(w) >= 3
    }
    changeable = sorted(i for i, o in options.items() if o)
    if not changeable:
        return None
    count = min(len(changeable), rng.choice((1, 2)))
    hows = []
    for i in sorted(rng.sample(changeable, count)):
        new, how = rng.choice(options[i])
        words[i] = _match_case(words[i], new)
        hows.append(how)
    query = " ".join(words)
    if name_key(query) == name_key(name.full):
        return None
    return query, "; ".join(hows)


# Organization words that are English translations, not Russian words in Latin letters: a name
# with any of them would not be written in Cyrillic letter by letter.
_ENGLISH_WORDS = word_set(
    """
    of the and for in on at to by with new north south east west global general united
    national international center centre information security management company investment
    investments trading group holding holdings shipping services service technologies technology
    engineering industries industrial industry systems system research institute scientific
    production association enterprise federal state unitary plant factory bureau design
    development corporation electronics electronic instrument instruments machine machines
    building construction energy power logistics transport marine maritime aviation airlines
    solutions partners capital fund finance financial insurance mining metals metal steel
    chemical chemicals medical defense defence military ministry republic union committee agency
    office department commercial import export trade consulting consultancy resources supply
    equipment project projects complex oil gas petroleum refinery river sea shipyard shipbuilding
    academy university school college foundation charity society church republican regional
    limited joint stock public closed open liability company's people's peoples russian russia
    battalion brigade regiment army division forces force guard volunteer volunteers unit
    """
)


def make_cyrillic(
    listed: Listed, name: ListedName, rng: random.Random, book: NameBook
) -> Variant | None:
    if not is_cyrillic_country(listed):
        return None
    if listed.schema == Schema.PERSON.value:
        return to_cyrillic(name.full), "Latin->Cyrillic"
    if listed.schema != Schema.ORGANIZATION.value:
        return None
    form = split_legal_form(name.full)
    core = form.core if form else name.full
    if form is not None and form.family not in RUSSIAN_FAMILIES:
        return None
    if any(w in _ENGLISH_WORDS for w in fold(core).split()) or not core.replace("-", "").strip():
        return None
    cyrillic_core = to_cyrillic(core)
    if form is None:
        return cyrillic_core, "Latin->Cyrillic"
    surface = _CYRILLIC_FORM[form.family]
    return f"{surface} «{cyrillic_core}»", f"Latin->Cyrillic, {form.surface}->{surface}"


def make_legal_form(
    listed: Listed, name: ListedName, rng: random.Random, book: NameBook
) -> Variant | None:
    if listed.schema != Schema.ORGANIZATION.value:
        return None
    form = split_legal_form(name.full)
    if form is None:
        return None
    russian = form.family in RUSSIAN_FAMILIES
    others = [s for s in LEGAL_FAMILIES[form.family] if fold(s) != fold(form.surface)]
    ops = ["drop"]
    if others:
        ops.append("translate")
    if russian:
        ops.append("move")
    op = rng.choice(ops)
    if op == "drop":
        return form.core, f"dropped {form.surface}"
    surface = rng.choice(others) if op == "translate" else form.surface
    prefix = (not form.prefix) if op == "move" else (russian and rng.random() < 0.5)
    query = _place_form(surface, form.core, prefix, quote=rng.random() < 0.5)
    where = "before" if prefix else "after"
    if op == "move":
        return query, f"moved {surface} {where} the name"
    return query, f"translated {form.surface}->{surface} {where} the name"


# Word parts that are joined or split in company and vessel names (GAZPROM+BANK, AVIA+STAR).
_MORPHEMES = word_set(
    """
    bank prom gaz neft nefte stroy stroi trans energo invest tekh tech servis service trade
    export import avia aero flot mash snab ship oil gas holding group line lines marine net
    soft tel com power star sea ocean gold sun rus ros almaz stal metal khim chem elektro
    electro radio pribor auto avto agro zavod komplekt sistem info med pharm farm spets torg
    kapital capital finance
    """
)
# Arabic name parts written together or apart (ABDUL RAHMAN / ABDULRAHMAN, ABU BAKR / ABUBAKR).
_NAME_PREFIXES = ("abdul", "abdel", "abdur", "abd", "abu")
_JOIN_SHORT = 6  # organizations and vessels: two short words may be written as one


def _split_options(word: str, schema: str, vocabulary: Collection[str]) -> list[Variant]:
    """Ways to write one word as two where both halves are words (GAZPROMBANK -> GAZPROM BANK).

    A half must be a known word part or a word that stands alone in some listed name, so that
    "INFORMATION" is never split into "INFO RMATION".
    """
    if not word.isalpha():
        return []
    low = word.lower()
    options: list[Variant] = []
    if schema == Schema.PERSON.value:
        if low in _GROUP_OF:  # a whole name of its own (ABDULLAH), not prefix + name
            return []
        for prefix in _NAME_PREFIXES:
            if low.startswith(prefix) and len(low) - len(prefix) >= 4:
                options.append((f"{word[: len(prefix)]} {word[len(prefix) :]}", f"split {word}"))
                break
        return options
    for cut in range(3, len(low) - 2):
        head, tail = low[:cut], low[cut:]
        known = [half in _MORPHEMES for half in (head, tail)]
        in_lists = [half in vocabulary for half in (head, tail)]
        if any(known) and all(k or v for k, v in zip(known, in_lists, strict=True)):
            options.append((f"{word[:cut]} {word[cut:]}", f"split {word}"))
    return options


# Words never written together with their neighbour: function words and legal forms.
_NEVER_JOINED = word_set("and of the for de del la le y e et und wal pvt") | {
    word for surface in _FOLDED_SURFACES for word in surface.split()
}


def _joinable(first: str, second: str, schema: str) -> bool:
    if not (first.isalpha() and second.isalpha()):
        return False
    low1, low2 = first.lower(), second.lower()
    if schema == Schema.PERSON.value:
        return low1 in _PARTICLES or low1 in _NAME_PREFIXES
    if low1 in _NEVER_JOINED or low2 in _NEVER_JOINED:
        return False
    if low1 in _PARTICLES or low1 in _NAME_PREFIXES:
        return True
    if low1 in _MORPHEMES or low2 in _MORPHEMES:
        return True
    return len(first) <= _JOIN_SHORT and len(second) <= _JOIN_SHORT


def joined_split_options(name: str, schema: str, vocabulary: Collection[str]) -> list[Variant]:
    """Every join of two words, split of one word and hyphen change that fits the name."""
    words = name.split(" ")
    options: list[Variant] = []
    for i in range(len(words) - 1):
        if _joinable(words[i], words[i + 1], schema):
            joined = " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2 :]])
            hyphened = " ".join([*words[:i], words[i] + "-" + words[i + 1], *words[i + 2 :]])
            options.append((joined, f"joined {words[i]} {words[i + 1]}"))
            options.append((hyphened, f"hyphenated {words[i]} {words[i + 1]}"))
    for i, word in enumerate(words):
        for split, how in _split_options(word, schema, vocabulary):
            options.append((" ".join([*words[:i], split, *words[i + 1 :]]), how))
        if "-" in word.strip("-"):
            parts = [p for p in word.split("-") if p]
            spaced = " ".join([*words[:i], " ".join(parts), *words[i + 1 :]])
            closed = " ".join([*words[:i], "".join(parts), *words[i + 1 :]])
            options.append((spaced, f"hyphen to space in {word}"))
            options.append((closed, f"hyphen removed in {word}"))
    return options


def make_joined_split(
    listed: Listed, name: ListedName, rng: random.Random, book: NameBook
) -> Variant | None:
    if listed.schema not in (Schema.PERSON.value, Schema.ORGANIZATION.value):
        return None
    options = joined_split_options(name.full, listed.schema, book.words)
    return rng.choice(options) if options else None


_VESSEL_PREFIXES = ("MV", "M/V", "M.V.", "MT", "M/T")


def _vessel_name_variant(name: ListedName, rng: random.Random, book: NameBook) -> Variant | None:
    """A vessel name as a payment or bill of lading may write it: one change, chosen by kind."""
    by_kind: dict[str, list[Variant]] = {
        "prefix": [(f"{p} {name.full}", f"prefix {p}") for p in _VESSEL_PREFIXES],
        "typo": [],
        "joined_split": joined_split_options(name.full, Schema.VESSEL.value, book.words),
    }
    words = name.full.split(" ")
    for i, word in enumerate(words):
        edited = typo_word(word, rng)
        if edited is not None:
            typo = " ".join([*words[:i], edited[0], *words[i + 1 :]])
            by_kind["typo"].append((typo, f"{edited[1]} {word}->{edited[0]}"))
    kinds = [k for k, options in by_kind.items() if options]
    return rng.choice(by_kind[rng.choice(kinds)]) if kinds else None


def make_vessel(
    listed: Listed, name: ListedName, rng: random.Random, book: NameBook
) -> Variant | None:
    if listed.schema != Schema.VESSEL.value:
        return None
    return _vessel_name_variant(name, rng, book)


def make_vessel_imo(
    listed: Listed, name: ListedName, rng: random.Random, book: NameBook
) -> Variant | None:
    if listed.schema != Schema.VESSEL.value or not listed.imo:
        return None
    return _vessel_name_variant(name, rng, book)


def _recase(text: str, rng: random.Random) -> tuple[str, str]:
    """The text in another case than it is written in: UPPER, lower or Title."""
    options = [(text.upper(), "UPPER"), (text.lower(), "lower"), (text.title(), "Title")]
    others = [o for o in options if o[0] != text]
    return rng.choice(others) if others else (text, "")


def _repunctuate(text: str, schema: str, rng: random.Random) -> tuple[str, str] | None:
    """The text with its punctuation changed: dropped where it has some, else added."""
    if re.search(r"[.,\-'’]", text):
        # apostrophes go without a trace (SA'ADI -> SAADI), other marks leave a space
        dropped = " ".join(re.sub(r"[.,\-]", " ", re.sub(r"['’]", "", text)).split())
        return (dropped, "punctuation dropped") if dropped != text else None
    words = text.split(" ")
    if len(words) < 2:
        return None
    if schema == Schema.PERSON.value:
        # "PUTIN, Vladimir" (the list style) without moving a word: a comma after the first
        return " ".join([words[0] + ",", *words[1:]]), "comma added"
    i = rng.randrange(len(words) - 1)
    hyphened = " ".join([*words[:i], words[i] + "-" + words[i + 1], *words[i + 2 :]])
    return hyphened, "hyphen added"


def make_case_punct(
    listed: Listed, name: ListedName, rng: random.Random, book: NameBook
) -> Variant | None:
    choice = rng.choice(("case", "punctuation", "case+punctuation"))
    query, hows = name.full, []
    if choice != "case":
        changed = _repunctuate(query, listed.schema, rng)
        if changed is not None:
            query = changed[0]
            hows.append(changed[1])
    if choice != "punctuation" or not hows:
        query, how = _recase(query, rng)
        if how:
            hows.append(f"case {how}")
    if query == name.full or not hows:
        return None
    return query, "; ".join(hows)


# Endings of East Slavic patronymics (Vladimirovich, Ivanovna, Ilyich) and Turkic ones (-ogly).
_PATRONYMIC_ENDINGS = ("ovich", "evich", "ovna", "evna", "ich", "ichna", "ogly", "ogli", "kyzy")


def make_dropped_token(
    listed: Listed, name: ListedName, rng: random.Random, book: NameBook
) -> Variant | None:
    """A middle name or patronymic left out (never the first given name nor a surname word)."""
    if listed.schema != Schema.PERSON.value:
        return None
    parts = person_parts(name)
    if parts is None:
        return None
    given, surname = parts
    droppable = [
        i
        for i, w in enumerate(given)
        if i > 0 and w.isalpha() and len(w) > 1 and w.lower() not in _PARTICLES
    ]
    if not droppable:
        return None
    i = rng.choice(droppable)
    dropped = given[i]
    query = " ".join([*given[:i], *given[i + 1 :], *surname])
    sort = "patronymic" if dropped.lower().endswith(_PATRONYMIC_ENDINGS) else "middle name"
    return query, f"{sort} {dropped} dropped"


def alias_of(listed: Listed, rng: random.Random) -> ListedName | None:
    """A strong alias (a.k.a. or former name) of the entry written in Latin letters, if any."""
    aliases = [
        n
        for n in listed.names
        if n.kind in (NameKind.ALIAS.value, NameKind.FORMER.value)
        and is_latin(n.full)
        and n_letters(n.full) >= 3
        and name_key(n.full) != name_key(listed.base.full if listed.base else "")
    ]
    return rng.choice(aliases) if aliases else None


def make_alias(
    listed: Listed, name: ListedName, rng: random.Random, book: NameBook
) -> Variant | None:
    """``name`` is the alias (see `base_name`): as written half the time, else varied once."""
    if rng.random() < 0.5:
        return name.full, "as written"
    makers = [("case_punct", make_case_punct), ("typo", make_typo), ("reorder", make_reorder)]
    for label, maker in rng.sample(makers, len(makers)):
        varied = maker(listed, name, rng, book)
        if varied is not None:
            return varied[0], f"{label}: {varied[1]}"
    return name.full, "as written"


def make_exact(
    listed: Listed, name: ListedName, rng: random.Random, book: NameBook
) -> Variant | None:
    return name.full, "as listed"


def katakana_name(listed: Listed) -> ListedName | None:
    """The entry's first name written in katakana only (MOF's 日本語表記), if any."""
    return next((n for n in listed.names if kana_variants.is_katakana_name(n.full)), None)


def make_katakana(
    listed: Listed, name: ListedName, rng: random.Random, book: NameBook
) -> Variant | None:
    return kana_variants.romanize(name.full, rng)


Maker = Callable[[Listed, ListedName, random.Random, "NameBook"], Variant | None]
MAKERS: dict[str, Maker] = {
    "exact": make_exact,
    "case_punct": make_case_punct,
    "typo": make_typo,
    "reorder": make_reorder,
    "dropped_token": make_dropped_token,
    "initials": make_initials,
    "transliteration": make_transliteration,
    "cyrillic": make_cyrillic,
    "legal_form": make_legal_form,
    "joined_split": make_joined_split,
    "alias": make_alias,
    "vessel": make_vessel,
    "vessel_imo": make_vessel_imo,
    "katakana": make_katakana,
}


def eligible(kind: str, listed: Listed) -> bool:
    """Whether a kind can be made from an entry at all (cheap; the maker may still decline)."""
    if listed.base is None:
        return False
    if kind in ("exact", "case_punct"):
        return True
    if kind == "alias":
        return any(n.kind in (NameKind.ALIAS.value, NameKind.FORMER.value) for n in listed.names)
    if kind == "katakana":
        return katakana_name(listed) is not None
    if kind == "dropped_token":
        return listed.schema == Schema.PERSON.value and len(listed.base.full.split()) >= 3
    if kind == "typo":
        return listed.schema != Schema.AIRCRAFT.value
    if kind in ("vessel", "vessel_imo"):
        return listed.schema == Schema.VESSEL.value and (kind == "vessel" or bool(listed.imo))
    if kind == "initials":
        return listed.schema == Schema.PERSON.value and bool(listed.base.last)
    if kind == "transliteration":
        return listed.schema == Schema.PERSON.value
    if kind == "legal_form":
        return listed.schema == Schema.ORGANIZATION.value
    if kind == "cyrillic" and not is_cyrillic_country(listed):
        return False
    return listed.schema in (Schema.PERSON.value, Schema.ORGANIZATION.value)


# --------------------------------------------------------------------------------------------
# Names on the lists
# --------------------------------------------------------------------------------------------


class NameBook:
    """Every listed name by its word key, every word of a listed name, and who is who.

    The same party is often on several lists, romanised differently ("AVDEYEV" on one, "AVDEEV"
    on another). Entries are taken to be one party when they share a party identifier (passport,
    national or tax id, IMO, UN reference) or, for persons, a birth date known to the day and a
    surname spelt alike; a query made from one of them may rightly find any.
    """

    def __init__(self, listed: Iterable[Listed]) -> None:
        entries = list(listed)
        self.entries: dict[str, set[EntryKey]] = defaultdict(set)
        # listed names without their legal form: a clean "Baum" is the listed "BAUM PVT LTD"
        self.bare: set[str] = set()
        self.words: set[str] = set()
        # surname word -> the other words of the person names it occurs in
        self.companions: dict[str, set[str]] = defaultdict(set)
        # words of listed vessel names (upper case, letters only, 4+), for clean sister-ship names
        self.vessel_words: set[str] = set()
        for entry in entries:
            for name in entry.names:
                if entry.schema == Schema.VESSEL.value:
                    self.vessel_words.update(
                        w for w in name.full.upper().split() if w.isalpha() and len(w) >= 4
                    )
                key = name_key(name.full)
                self.entries[key].add(entry.key)
                self.bare.add(bare_key(name.full))
                words = key.split()
                self.words.update(words)
                if entry.schema == Schema.PERSON.value:
                    for word in words:
                        self.companions[word].update(w for w in words if w != word)
        self.party = same_party(entries)

    def named(self, name: str) -> frozenset[EntryKey]:
        """The entries that carry this name (same words)."""
        return frozenset(self.entries.get(name_key(name), ()))

    def expected(self, name: str) -> frozenset[EntryKey]:
        """The entries that carry this name, and every entry of the same party."""
        named = self.named(name)
        return frozenset(k for key in named for k in self.party.get(key, {key}))

    def collides(self, name: str) -> bool:
        """The name is a listed name, or one but for its legal form (then it IS that party's
        name: a screener must alert on it, so it cannot serve as a clean name)."""
        return name_key(name) in self.entries or bare_key(name) in self.bare


def same_party(entries: Sequence[Listed]) -> dict[EntryKey, frozenset[EntryKey]]:
    """Entry -> all entries of the same party (only entries linked to another are keys)."""
    from rapidfuzz import fuzz

    parent: dict[EntryKey, EntryKey] = {}

    def find(key: EntryKey) -> EntryKey:
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    def union(a: EntryKey, b: EntryKey) -> None:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)

    by_id: dict[tuple[str, str], list[EntryKey]] = defaultdict(list)
    by_birth_day: dict[str, list[tuple[EntryKey, str]]] = defaultdict(list)
    for entry in entries:
        for identifier in entry.ids:
            by_id[identifier].append(entry.key)
        spelling = _loose_person_name(entry)
        if spelling:
            for day in set(entry.birth_days):
                by_birth_day[day].append((entry.key, spelling))
    for keys in by_id.values():
        # A value two entries of one list share (a passport listed on an associate's entry too)
        # does not single out one party.
        sources = [source for source, _ in keys]
        if len(sources) == len(set(sources)):
            for other in keys[1:]:
                union(keys[0], other)
    for people in by_birth_day.values():
        for i, (key, spelling) in enumerate(people):
            for other, other_spelling in people[i + 1 :]:
                if fuzz.ratio(spelling, other_spelling) >= SAME_NAME_RATIO:
                    union(key, other)
    groups: dict[EntryKey, set[EntryKey]] = defaultdict(set)
    for entry in entries:
        groups[find(entry.key)].add(entry.key)
    return {key: frozenset(group) for group in groups.values() if len(group) > 1 for key in group}


# Born the same day and named this alike (romanisation ironed out): one person. High enough to
# keep twins apart (Iyad and Ihab MAKHLUF score 82).
SAME_NAME_RATIO = 88


def _loose_person_name(entry: Listed) -> str | None:
    """A person's first Latin name, loosely spelt, words sorted (None for others)."""
    if entry.schema != Schema.PERSON.value or entry.base is None:
        return None
    return " ".join(sorted(loose_spelling(w) for w in fold(entry.base.full).split()))


# --------------------------------------------------------------------------------------------
# Sampling
# --------------------------------------------------------------------------------------------


def allocate(sizes: dict[Hashable, int], n: int) -> dict[Hashable, int]:
    """Split n draws over strata: half equally (small lists count), half by size.

    Never more than a stratum holds; what a small stratum cannot take goes to the others.
    """
    total = sum(sizes.values())
    n = min(n, total)
    shares = dict.fromkeys(sizes, 0)
    if not sizes or n == 0:
        return shares
    equal = (n // 2) // len(sizes)
    for key, size in sizes.items():
        shares[key] = min(size, equal)
    remaining = n - sum(shares.values())
    while remaining > 0:
        room = {k: sizes[k] - shares[k] for k in sizes if sizes[k] > shares[k]}
        room_total = sum(room.values())
        exact = {k: remaining * r / room_total for k, r in room.items()}
        granted = {k: min(room[k], int(v)) for k, v in exact.items()}
        if sum(granted.values()) == 0:  # hand out the last few by largest remainder
            order = sorted(room, key=lambda k: (-(exact[k] - int(exact[k])), str(k)))
            granted = dict.fromkeys(order[:remaining], 1)
        for key, extra in granted.items():
            shares[key] += extra
        remaining = n - sum(shares.values())
    return shares


def stratified(
    items: Sequence[T], stratum: Callable[[T], Hashable], rng: random.Random
) -> dict[Hashable, list[T]]:
    """Items grouped by stratum, each group in a seeded random order."""
    groups: dict[Hashable, list[T]] = defaultdict(list)
    for item in items:
        groups[stratum(item)].append(item)
    for key in sorted(groups, key=str):
        rng.shuffle(groups[key])
    return dict(sorted(groups.items(), key=lambda kv: str(kv[0])))


def labelled_cases(
    listed: Sequence[Listed], book: NameBook, kind: str, sample: int, seed: int
) -> list[Case]:
    """``sample`` queries of one kind, from entries stratified by (source, schema).

    Each stratum is walked in a seeded random order until its share is made; entries a maker
    declines, and entries whose name was already used, do not count, and what a stratum cannot
    make goes to the others. Each entry's variant has its own random stream, so it does not
    depend on the sample size.
    """
    ordered = sorted((e for e in listed if eligible(kind, e)), key=lambda e: e.key)
    groups = stratified(ordered, lambda e: (e.source, e.schema), stream(seed, kind, "order"))
    made: dict[Hashable, list[Case]] = {key: [] for key in groups}
    tried = dict.fromkeys(groups, 0)
    used: set[str] = set()
    while True:
        capacity = {k: len(made[k]) + len(groups[k]) - tried[k] for k in groups}
        shares = allocate(capacity, sample)
        progress = False
        for key, group in groups.items():
            while len(made[key]) < shares[key] and tried[key] < len(group):
                entry = group[tried[key]]
                tried[key] += 1
                progress = True
                base = entry.base
                if kind == "alias":  # the variant is made from an alias, not the primary name
                    base = alias_of(entry, stream(seed, kind, "alias", *entry.key))
                elif kind == "katakana":  # ... and this one from the katakana name
                    base = katakana_name(entry)
                if base is None or name_key(base.full) in used:
                    continue
                case = _labelled_case(entry, base, book, kind, stream(seed, kind, *entry.key))
                if case is not None:
                    used.add(name_key(base.full))
                    made[key].append(case)
        if not progress:
            break
    return [case for key in groups for case in made[key][: shares[key]]]


def _labelled_case(
    entry: Listed, base: ListedName, book: NameBook, kind: str, rng: random.Random
) -> Case | None:
    variant = MAKERS[kind](entry, base, rng, book)
    if variant is None:
        return None
    query, how = variant
    identifiers: tuple[tuple[str, str], ...] = ()
    if kind == "vessel_imo":
        imo = entry.imo[0]
        identifiers = ((IdentifierType.IMO.value, f"IMO {imo}" if rng.random() < 0.5 else imo),)
    return Case(
        kind=kind,
        query=query,
        schema=entry.schema,
        expected=book.expected(base.full) | {entry.key},
        base=base.full,
        how=how,
        identifiers=identifiers,
        group=variant_group(kind, how, entry.schema),
    )


_TYPO_OR_JOIN = {
    **dict.fromkeys(TYPO_OPS, "typo"),
    **dict.fromkeys(("joined", "hyphenated", "split", "hyphen"), "joined/split"),
}


def variant_group(kind: str, how: str, schema: str) -> str:
    """A short label for the sort of change a variant made (recall is also shown per label)."""
    first = how.split(" ")[0]
    if kind == "typo":
        return "2 edits" if ";" in how else "1 edit"
    if kind == "transliteration":
        sorts = sorted({part.strip().split(" ")[0] for part in how.split(";")})
        return "+".join(sorts)
    if kind == "cyrillic":
        return schema if "," not in how else f"{schema} + legal form"
    if kind in ("legal_form", "joined_split", "dropped_token"):
        return first
    if kind == "case_punct":
        return "+".join(sorted({"case" if p.strip().startswith("case") else "punctuation"
                                for p in how.split(";")}))  # fmt: skip
    if kind == "alias":
        return how.split(":")[0]
    if kind in ("vessel", "vessel_imo"):
        return _TYPO_OR_JOIN.get(first, first)
    return how


# --------------------------------------------------------------------------------------------
# Clean names and near misses
# --------------------------------------------------------------------------------------------

PERSON_LOCALES = (
    *("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "pl_PL", "ru_RU", "uk_UA", "tr_TR"),
    *("ar_AA", "fa_IR", "zh_CN", "ja_JP", "ko_KR", "hi_IN", "pt_BR", "nl_NL", "en_PK"),
)
COMPANY_LOCALES = (
    *("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "pt_BR", "ru_RU"),
    *("tr_TR", "zh_CN", "ja_JP", "ko_KR", "fa_IR"),
)
_WHOLE_NAME_LOCALES = frozenset({"zh_CN", "ja_JP", "ko_KR"})  # family name first, own script
_PATRONYMIC_LOCALES = frozenset({"ru_RU", "uk_UA"})
LATIN_GIVEN_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "pt_BR", "nl_NL")
GENERIC_WORDS = ("BANK", "TRADING", "LLC", "AL", "INTERNATIONAL", "GROUP", "HOLDING", "COMPANY")


class Fakers:
    """One seeded faker per (purpose, locale), created on first use."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._made: dict[tuple[str, str], Faker] = {}

    def get(self, purpose: str, locale: str) -> Faker:
        from faker import Faker

        key = (purpose, locale)
        if key not in self._made:
            fake = Faker(locale)
            fake.seed_instance(derived_seed(self.seed, purpose, locale))
            self._made[key] = fake
        return self._made[key]


def fake_person(fake: Faker, locale: str, rng: random.Random) -> str:
    """A person name as people of that locale write it (own script, own name order)."""
    if locale in _WHOLE_NAME_LOCALES:
        return " ".join(str(fake.name()).split())
    female = rng.random() < 0.5
    if locale in _PATRONYMIC_LOCALES:
        sex = "female" if female else "male"
        first = getattr(fake, f"first_name_{sex}")()
        last = getattr(fake, f"last_name_{sex}")()
        if rng.random() < 0.5:
            return f"{first} {getattr(fake, f'middle_name_{sex}')()} {last}"
        return f"{first} {last}"
    first = fake.first_name()
    if rng.random() < 0.2:
        first = f"{first} {fake.first_name()}"
    return f"{first} {fake.last_name()}"


def clean_cases(
    book: NameBook, seed: int, persons: int, companies: int
) -> tuple[list[Case], dict[str, object]]:
    """Faker names spread evenly over the locales, minus names that are on the lists."""
    fakers = Fakers(seed)
    rng = stream(seed, "clean")
    cases: list[Case] = []
    seen: set[str] = set()
    collisions: list[str] = []
    duplicates = 0
    for count, locales, schema in (
        (persons, PERSON_LOCALES, Schema.PERSON.value),
        (companies, COMPANY_LOCALES, Schema.ORGANIZATION.value),
    ):
        for i in range(count):
            locale = locales[i % len(locales)]
            fake = fakers.get(f"clean-{schema}", locale)
            for _attempt in range(20):
                if schema == Schema.PERSON.value:
                    text = fake_person(fake, locale, rng)
                else:
                    text = " ".join(str(fake.company()).split())
                key = name_key(text)
                if key in seen:
                    duplicates += 1
                    continue
                seen.add(key)
                if book.collides(text):
                    collisions.append(text)
                    continue
                cases.append(
                    Case(kind=CLEAN, query=text, schema=schema, expected=frozenset(), locale=locale)
                )
                break
    stats: dict[str, object] = {
        "clean_collisions_removed": len(collisions),
        "clean_collision_examples": collisions[:20],
        "clean_duplicates_redrawn": duplicates,
    }
    return cases, stats


_FEMININE_ENDINGS = ("ova", "eva", "ina", "yna", "aya", "skaya", "tskaya")


def _given_name_locale(entry: Listed, rng: random.Random) -> str:
    area = region(entry)
    if area == "slavic":
        return "ru_RU"
    if area == "arabic":
        return "en_PK"
    if "TR" in entry.countries:
        return "tr_TR"
    return rng.choice(LATIN_GIVEN_LOCALES)


def _fake_given_name(fake: Faker, locale: str, surname: str) -> str:
    """A given name in Latin letters; for Russian surnames of the surname's gender."""
    if locale in _PATRONYMIC_LOCALES:
        female = surname.lower().endswith(_FEMININE_ENDINGS)
        given = fake.first_name_female() if female else fake.first_name_male()
        return romanize_cyrillic(str(given))
    return str(fake.first_name())


_LOOSE_RULES = _rules(
    ("", "ks", "x"), ("", "kh", "h"), ("", "ph", "f"), ("", "w", "v"), ("", "ou", "u"),
    ("", "ee", "i"), ("", "oo", "u"), ("", "[yj]", "i"), ("", r"(.)\1", r"\1"),
)  # fmt: skip


def loose_spelling(word: str) -> str:
    """A word with the commonest romanisation differences ironed out (for near-miss checks)."""
    folded = fold(word)
    for _label, pattern, repl in _LOOSE_RULES:
        folded = pattern.sub(repl, folded)
    return folded


def is_spelling_of(given: str, listed_words: Collection[str]) -> bool:
    """Whether a given name is a spelling (same name group or 80 % alike) of a listed word."""
    from rapidfuzz import fuzz, process

    for word in fold(given).split():
        if any(other in listed_words for other in _GROUP_OF.get(word, ())):
            return True
        loose = loose_spelling(word)
        if process.extractOne(loose, listed_words, scorer=fuzz.ratio, score_cutoff=80):
            return True
        if process.extractOne(word, listed_words, scorer=fuzz.ratio, score_cutoff=80):
            return True
    return False


def surname_near_misses(
    listed: Sequence[Listed], book: NameBook, seed: int, count: int
) -> tuple[list[Case], int]:
    """A listed surname with a faker given name that is no spelling of a listed one.

    The given name comes from a locale that fits the entry (Russian names romanised for
    Russia-related entries, Pakistani names for Arabic/Persian ones, Turkish for Turkey, else a
    Western European locale), shares no word with any name of the entry and is no spelling of any
    given name listed with that surname anywhere. Returns the cases and how many made-up names
    were dropped because they are listed names.
    """
    rng = stream(seed, "near-surname")
    fakers = Fakers(seed)
    persons = sorted(
        (e for e in listed if e.schema == Schema.PERSON.value and e.base is not None),
        key=lambda e: e.key,
    )
    groups = stratified(persons, lambda e: e.source, rng)
    shares = allocate({k: len(v) for k, v in groups.items()}, count * 3)
    pool = [e for k, group in groups.items() for e in group[: shares[k]]]
    rng.shuffle(pool)
    cases: list[Case] = []
    collisions = 0
    for entry in pool:
        if len(cases) >= count:
            break
        base = entry.base
        assert base is not None
        parts = person_parts(base)
        if parts is None:
            continue
        surname = " ".join(parts[1])
        main_words = [w for w in fold(surname).split() if w not in _PARTICLES]
        if not main_words or max(len(w) for w in main_words) < 4:
            continue
        entity_words = {w for n in entry.names for w in fold(n.full).split()}
        listed_with = set().union(*(book.companions.get(w, set()) for w in main_words))
        locale = _given_name_locale(entry, rng)
        fake = fakers.get("near-given", locale)
        for _attempt in range(10):
            given = _fake_given_name(fake, locale, surname)
            given_words = fold(given).split()
            if not given_words or set(given_words) & entity_words:
                continue
            if is_spelling_of(given, listed_with):
                continue
            query = f"{given} {surname}"
            if book.collides(query):
                collisions += 1
                continue
            cases.append(
                Case(
                    kind=NEAR_MISS,
                    query=query,
                    schema=Schema.PERSON.value,
                    expected=frozenset(),
                    base=base.full,
                    how="listed surname, other given name",
                    locale=locale,
                )
            )
            break
    return cases, collisions


def generic_near_misses(book: NameBook, seed: int, count: int) -> list[Case]:
    """One or two generic business words around a word that occurs in no listed name."""
    rng = stream(seed, "near-generic")
    fakers = Fakers(seed)
    cases: list[Case] = []
    seen: set[str] = set()
    attempts = 0
    while len(cases) < count and attempts < count * 50:
        attempts += 1
        locale = rng.choice(LATIN_GIVEN_LOCALES)
        fake = fakers.get("near-generic", locale)
        drawn = str(fake.last_name() if rng.random() < 0.5 else fake.word())
        word = drawn.split()[0].upper() if drawn.split() else ""
        folded = fold(word)
        if len(folded) < 3 or not folded.isalpha() or folded in book.words:
            continue
        generic = rng.sample(GENERIC_WORDS, rng.choice((1, 2)))
        if "AL" in generic:  # the Arabic article goes before the word it belongs to
            query = " ".join(["AL", word, *[g for g in generic if g != "AL"]])
        else:
            query = " ".join([word, *generic])
        if query in seen or book.collides(query):
            continue
        seen.add(query)
        cases.append(
            Case(
                kind=NEAR_MISS,
                query=query,
                schema=Schema.ORGANIZATION.value,
                expected=frozenset(),
                base="",
                how="generic words + unlisted word",
                locale=locale,
            )
        )
    return cases


# --------------------------------------------------------------------------------------------
# The whole set
# --------------------------------------------------------------------------------------------


def build(
    listed: Sequence[Listed],
    *,
    seed: int = 7,
    sample: int = 300,
    kinds: Collection[str] = LABELLED_KINDS,
    clean_persons: int = 2000,
    clean_companies: int = 1000,
    near_misses: int = 1000,
    clean_vessels: int = 0,
    clean_acronyms: int = 0,
) -> BenchmarkSet:
    """The labelled variants, clean names and near misses for one benchmark run.

    ``clean_vessels`` and ``clean_acronyms`` add the clean sets of `bench.clean_names`.
    """
    from bench import clean_names  # it builds on this module

    unknown = set(kinds) - set(LABELLED_KINDS)
    if unknown:
        raise ValueError(f"unknown kinds: {', '.join(sorted(unknown))}")
    book = NameBook(listed)
    cases: list[Case] = []
    for kind in LABELLED_KINDS:
        if kind in kinds:
            cases += labelled_cases(listed, book, kind, sample, seed)
    clean, stats = clean_cases(book, seed, clean_persons, clean_companies)
    cases += clean
    vessels, vessel_collisions = clean_names.clean_vessels(book, seed, clean_vessels)
    acronyms, acronym_collisions = clean_names.clean_acronym_companies(book, seed, clean_acronyms)
    cases += vessels + acronyms
    stats["clean_vessel_and_acronym_collisions_removed"] = vessel_collisions + acronym_collisions
    surname_count = near_misses // 2
    surname_cases, rejected = surname_near_misses(listed, book, seed, surname_count)
    cases += surname_cases
    cases += generic_near_misses(book, seed, near_misses - len(surname_cases))
    stats["near_miss_collisions_removed"] = rejected
    stats["labelled_with_other_listings_of_the_party"] = sum(
        1 for c in cases if c.labelled and c.expected - book.named(c.base)
    )
    stats["listed_entries"] = len(listed)
    stats["listed_names"] = sum(len(e.names) for e in listed)
    stats["cases_by_kind"] = {
        kind: sum(1 for c in cases if c.kind == kind)
        for kind in (*LABELLED_KINDS, CLEAN, NEAR_MISS)
    }
    return BenchmarkSet(cases=cases, stats=stats)
