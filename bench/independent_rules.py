"""The variant rules of the second benchmark (bench/independent_set.py), one function per kind.

Each rule takes a listed name, its entry and the kind's random stream, and returns
``(query, base name, how, group)`` or None when the rule does not apply to that name. What each
rule does, and the list documentation it follows, is in bench/independent_set.py's docstring.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from bench import independent_scripts as scripts
from bench.independent_set import (
    LEGAL_FAMILIES,
    PREFIX_FAMILIES,
    Entry,
    Name,
    Variant,
    fold,
    is_latin,
    name_key,
    person_parts,
)
from lists.model import NameKind, Schema

# Titles the lists write before given names ("Colonel Innocent KAINA"): not a given name to keep.
TITLES = frozenset({"COLONEL", "GENERAL", "MAJOR", "CAPTAIN", "DR", "SHEIKH", "MULLAH", "HAJI"})
_QWERTY = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours(letter: str) -> str:
    for r, row in enumerate(_QWERTY):
        if (c := row.find(letter.lower())) >= 0:
            near = row[max(c - 1, 0) : c + 2].replace(letter.lower(), "")
            for other in (r - 1, r + 1):
                if 0 <= other < len(_QWERTY):
                    near += _QWERTY[other][max(c - 1, 0) : c + 1]
            return near
    return ""


def _same_case(template: str, text: str) -> str:
    return text.upper() if template.isupper() else text


def typo(name: Name, _entry: Entry, rng: random.Random) -> Variant | None:
    words = name.text.split()
    long = [i for i, w in enumerate(words) if sum(c.isalpha() for c in w) >= 6 and w.isascii()]
    if not long:
        return None
    i = rng.choice(long)
    word = words[i]
    j = rng.randrange(1, len(word) - 1)
    if not word[j].isalpha():
        return None
    how = rng.choice(("neighbour", "swap", "double"))
    if how == "neighbour" and (near := _neighbours(word[j])):
        new = word[:j] + _same_case(word[j], rng.choice(near)) + word[j + 1 :]
    elif how == "swap" and word[j + 1].isalpha() and word[j] != word[j + 1]:
        new = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    elif word[j] == word[j - 1]:
        how, new = "undouble", word[:j] + word[j + 1 :]
    else:
        how, new = "double", word[:j] + word[j] + word[j:]
    return " ".join([*words[:i], new, *words[i + 1 :]]), name.text, f"{how} in {word}", how


def reorder(name: Name, entry: Entry, rng: random.Random) -> Variant | None:
    if entry.schema != Schema.PERSON.value or not is_latin(name.text):
        return None
    parts = person_parts(name)
    if parts:
        given, last = parts
        surname_first = name.text.replace(",", "").split()[: len(last)] == last
        if surname_first:
            return " ".join([*given, *last]), name.text, "given names first", "given first"
        return " ".join([*last, *given]), name.text, "surname first", "surname first"
    words = name.text.split()
    if not 2 <= len(words) <= 4:
        return None
    return " ".join([words[-1], *words[:-1]]), name.text, "last word first", "rotated"


def case_punct(name: Name, _entry: Entry, rng: random.Random) -> Variant | None:
    if scripts.is_katakana(name.text):
        half = scripts.half_width(name.text)
        return (half, name.text, "half-width katakana", "half-width") if half != name.text else None
    if not is_latin(name.text):
        return None
    if re.search(r"[^\w\s]", name.text) and rng.random() < 0.6:
        spaced = rng.random() < 0.5
        text = re.sub(r"[-/]", " " if spaced else "", name.text)
        text = " ".join(re.sub(r"[^\w\s]", "", text).split())
        how = "punctuation dropped, hyphens " + ("spaced" if spaced else "joined")
        return (text, name.text, how, "punctuation") if fold(text) else None
    text = name.text.lower() if rng.random() < 0.5 else name.text.title()
    return (text, name.text, "case changed", "case") if text != name.text else None


def dropped_token(name: Name, entry: Entry, rng: random.Random) -> Variant | None:
    if not is_latin(name.text):
        return None
    if entry.schema == Schema.PERSON.value:
        parts = person_parts(name)
        if parts and len(parts[0]) >= 2 and parts[0][0].upper().rstrip(".") not in TITLES:
            given, last = parts
            return f"{given[0]} {' '.join(last)}", name.text, "middle names dropped", "middle"
        words = name.text.split()
        if not parts and len(words) >= 4:
            return " ".join([words[0], *words[2:]]), name.text, "second word dropped", "second"
        return None
    bare = re.sub(r"\s*\([^)]*\)\s*", " ", name.text).strip()
    if bare != name.text and len(fold(bare)) >= 2:
        return bare, name.text, "parenthetical dropped", "parenthetical"
    return None


def transliteration(name: Name, entry: Entry, rng: random.Random) -> Variant | None:
    latin_keys = {name_key(n.text) for n in entry.names if is_latin(n.text)}
    if scripts.is_cyrillic(name.text):
        text = scripts.icao_latin(name.text)
        group = "icao 9303"
    elif scripts.is_katakana(name.text):
        text = scripts.hepburn(name.text)
        group = "hepburn"
    else:
        return None
    if not fold(text) or name_key(text) in latin_keys:
        return None
    return text, name.text, f"{group} of {name.text}", group


def cyrillic(name: Name, entry: Entry, rng: random.Random) -> Variant | None:
    if scripts.is_cyrillic(name.text):
        words = name.text.split()
        if len(words) < 2:
            return None
        text = " ".join([*words[1:], words[0]]).title() if rng.random() < 0.5 else name.text
        text = text.upper() if text == name.text else text
        return (
            (text, name.text, "listed Cyrillic reordered/recased", "listed")
            if text != name.text
            else None
        )
    ruby = {"RU", "BY", "UA"} & entry.countries
    if entry.schema != Schema.PERSON.value or not ruby or not is_latin(name.text):
        return None
    if not re.fullmatch(r"[A-Za-z' ,-]+", name.text):
        return None
    text = scripts.to_cyrillic(name.text.replace(",", ""))
    return text, name.text, "written in Cyrillic", "from latin"


def initials(name: Name, entry: Entry, rng: random.Random) -> Variant | None:
    parts = person_parts(name) if entry.schema == Schema.PERSON.value else None
    if not parts or not is_latin(name.text):
        return None
    given, last = parts
    if not all(re.fullmatch(r"[A-Za-z'-]+", w) for w in given):
        return None  # "Sergei (Sergey)": the list's alternatives are no given names
    letters = [w[0].upper() for w in given]
    if not letters:
        return None
    style = rng.choice(("initials first", "initials after", "middle initial"))
    surname = " ".join(last)
    if style == "middle initial":
        if len(given) < 2:
            return None
        return f"{given[0]} {'. '.join(letters[1:])}. {surname}", name.text, style, style
    if style == "initials after":
        return f"{surname} {'.'.join(letters)}.", name.text, style, style
    return f"{'. '.join(letters)}. {surname}", name.text, style, style


_STEMS = ("BANK", "NEFT", "PROM", "GAZ", "STROY", "TRANS", "INVEST", "ENERGO", "FLOT", "TECH")
_COMPOUND_HEADS = frozenset({"ABDUL", "ABDEL", "ABU", "BIN", "BEN", "ABD", "UMM"})


def joined_split(name: Name, entry: Entry, rng: random.Random) -> Variant | None:
    if scripts.is_katakana(name.text):
        joined = re.sub("[・･]", "", name.text)
        return (joined, name.text, "・ removed", "kana joined") if joined != name.text else None
    if not is_latin(name.text):
        return None
    words = name.text.split()
    options: list[Variant] = []
    for i, word in enumerate(words):
        upper = word.upper()
        if "-" in word.strip("-"):
            glue = rng.choice(("", " "))
            new = word.replace("-", glue)
            group = "article joined" if upper.startswith(("AL-", "EL-")) else "hyphen"
            options.append((_swap(words, i, i + 1, new), name.text, f"{word} -> {new}", group))
        if upper in {"AL", "EL"} and i + 1 < len(words):
            new = word + words[i + 1]
            options.append(
                (_swap(words, i, i + 2, new), name.text, f"{word} joined", "article joined")
            )
        if upper in _COMPOUND_HEADS and i + 1 < len(words):
            new = word + words[i + 1].lower() if not words[i + 1].isupper() else word + words[i + 1]
            options.append((_swap(words, i, i + 2, new), name.text, f"{word} compound", "compound"))
        for stem in _STEMS if entry.schema != Schema.PERSON.value else ():
            at = upper.find(stem, 3)
            if at > 0 and len(upper) - at >= 3 and word.isalpha():
                new = f"{word[:at]} {word[at:]}"
                options.append((_swap(words, i, i + 1, new), name.text, f"{word} split", "split"))
    return rng.choice(options) if options else None


def _swap(words: list[str], start: int, stop: int, new: str) -> str:
    return " ".join([*words[:start], new, *words[stop:]])


def legal_form(name: Name, entry: Entry, rng: random.Random) -> Variant | None:
    if entry.schema != Schema.ORGANIZATION.value or not is_latin(name.text):
        return None
    words = [w for w in re.sub(r"[^\w\s&]", " ", name.text).upper().split()]
    for family, surfaces in LEGAL_FAMILIES.items():
        for surface in sorted(surfaces, key=len, reverse=True):
            form = surface.split()
            at_end = words[-len(form) :] == form and len(words) > len(form)
            at_start = words[: len(form)] == form and len(words) > len(form)
            if not (at_end or at_start):
                continue
            core = words[: -len(form)] if at_end else words[len(form) :]
            how = rng.choice(
                ("swapped", "dropped", "moved")
                if family in PREFIX_FAMILIES
                else ("swapped", "dropped")
            )
            others = [s for s in surfaces if s != surface]
            if how == "swapped" and others:
                other = rng.choice(others).split()
                text = core + other if at_end else other + core
            elif how == "moved":
                text = form + core if at_end else core + form
            else:
                how, text = "dropped", core
            return " ".join(text), name.text, f"{surface} {how}", how
    return None


def alias(name: Name, entry: Entry, rng: random.Random) -> Variant | None:
    if name.kind not in {NameKind.ALIAS.value, NameKind.FORMER.value}:
        return None
    primaries = {name_key(n.text) for n in entry.names if n.kind == NameKind.PRIMARY.value}
    if name_key(name.text) in primaries or len("".join(fold(name.text))) < 4:
        return None
    script = "latin" if is_latin(name.text) else "other script"
    return name.text, name.text, f"{name.kind} name", f"{name.kind} {script}"


def exact(name: Name, entry: Entry, rng: random.Random) -> Variant | None:
    if name.kind != NameKind.PRIMARY.value:
        return None
    script = (
        "katakana"
        if scripts.is_katakana(name.text)
        else (
            "latin"
            if is_latin(name.text)
            else "cyrillic"
            if scripts.is_cyrillic(name.text)
            else "other"
        )
    )
    return name.text, name.text, "as listed", script


RULES: dict[str, Callable[[Name, Entry, random.Random], Variant | None]] = {
    "exact": exact,
    "reorder": reorder,
    "case_punct": case_punct,
    "typo": typo,
    "dropped_token": dropped_token,
    "transliteration": transliteration,
    "legal_form": legal_form,
    "cyrillic": cyrillic,
    "initials": initials,
    "joined_split": joined_split,
    "alias": alias,
}
