"""Names in the Canadian SEMA list: the free-text ``Aliases`` cell and "also known as" names.

Global Affairs Canada types every alias of a record into one ``Aliases`` cell with no fixed
separator. Measured on the 2025 file (3,001 cells): ";" (180 cells), "," (263), " or ", " / "
between a Russian and a Ukrainian spelling (85 cells), language labels ("Belarusian:",
"Belarussian:", "Russian:", "Arabic:"; 86 labels), line breaks that are sometimes a separator
("Nilforushan\\n عباس نیلفروشان") and sometimes wrap a long name ("Five Star Line
Company\\nLimited"), and " and " between two people's spellings ("Eremenko, Андрій ... and
Андрей ..."). The rules, in order:

1. Line breaks and runs of spaces are one space. A language label starts a new name and gives
   the names after it, up to the next label, their language ("Belarusian:" -> be).
2. Each chunk is split at the word "or"; a person's also at "and" (organisation names contain
   "and": "Institute of Science and Technology").
3. Each part is split at ";" and "," outside brackets ("(ЦНИИМаш, АО)" stays one name). A
   piece that is only a legal form ("Банк Зенит, ПАО", "ОАО, БЭТО", "НПО Лавочкина, АО or
   ...") is put back on the name it qualifies (41 pieces), and so is a piece that goes on in
   lower-case Cyrillic (11 pieces): that comma is Russian grammar inside one name ("Войска
   радиационной, химической и биологической защиты"). English names with a comma ("Russian
   Air, Space Forces") cannot be told from two names and are split.
4. A piece is split at "/" when every part has at least two words ("Открытое акционерное
   общество "АЛЕВКУРП"/ ОАО "АЛЕВКУРП"", "X / Y" in two alphabets); "GORT/ORTAS" and
   "Aleksander/ Aleksandr" stay whole. The same rule splits bilingual entity names
   ("Iranian Army/Armée iranienne") but never a vessel's ("M/V Maria").
5. A person's piece that runs from one script into another ("Abbas Morteza Nilforushan عباس
   نیلفروشان") is one name per script: person names hold no legal-form words in a second
   script, organisation names do ("AO Байкал Электроникс") and are not split this way.
6. A piece that is only a legal form ("Акционерное общество or АО "Усть-Луга Ойл"") is not a
   name: it would match every company of that form. Leftovers are trimmed: "also", "AKA",
   surrounding quotes, separators and a bracket that is not closed in the piece ("(Владимир
   Михайлович РУЩАК").

Several cells give only a variant of a given name or surname ("Alexei, Aleksei", "Petrushev");
a person's one-word alias is therefore a WEAK_ALIAS (listed to help an investigation, not to
produce a hit alone). An organisation's one-word alias ("IRGC", "Sber") is a full alias.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lists.values.languages import language_code
from lists.values.scripts import detect_script

# The labels the file uses, as written; "Belarussian" is a misspelling pycountry does not know.
_LABEL = re.compile(r"(?<![^\s,;(])(?P<label>Belarussian|Belarusian|Russian|Arabic|Ukrainian)\s*:")
_LABEL_LANGUAGE = {"belarussian": "be"}
_OR = re.compile(r"(?:^|\s)or(?:\s|$)")
_AND = re.compile(r"(?:^|\s)and(?:\s|$)")
_SLASH = re.compile(r"\s*/\s*")
_ALSO = re.compile(r"^(?:also|aka|a\.k\.a\.?)\s+|\s+(?:aka|a\.k\.a\.?)$", re.I)
_TRIM = " ,;:-–—"
_QUOTES = {'"': '"', "“": "”", "«": "»", "'": "'"}
_ALSO_KNOWN_AS = re.compile(
    r"^(?P<name>.*?)\s*\(\s*also known as\s+(?P<aka>.*?)\s*\)?\s*$", re.I | re.S
)
# Legal forms that a comma separates from the name they belong to, as the 2025 file writes
# them ("Банк Зенит, ПАО", "Центр Социально-Консервативной Политики, Некоммерческое
# Партнерство", "Scientific Production Association Pribor ..., SC").
_LEGAL_FORMS = frozenset(
    form.casefold()
    for form in (
        "АО",
        "ООО",
        "ОАО",
        "ЗАО",
        "ПАО",
        "САО",
        "НАО",
        "МК",
        "AO",
        "OAO",
        "ZAO",
        "OOO",
        "PAO",
        "LLC",
        "JSC",
        "OJSC",
        "PJSC",
        "CJSC",
        "FSUE",
        "SC",
        "PJS",
        "Ltd",
        "Ltd.",
        "Limited",
        "Inc",
        "Inc.",
        "Co.",
        "Stock Company",
        "Public Joint Stock Company",
        "Некоммерческое Партнерство",
        "Акционерное общество",
    )
)
_OPENERS = {"(": ")", "[": "]"}


@dataclass(frozen=True)
class SplitName:
    """One name found in an aliases cell, with the language its label gave, if any."""

    full: str
    language: str | None = None


def split_aliases(text: str, *, person: bool) -> list[SplitName]:
    """The names in one ``Aliases`` cell (or an "also known as" text), in the file's order."""
    names: list[SplitName] = []
    for language, chunk in _labelled_chunks(" ".join(text.split())):
        for part in _split_words(chunk, person=person):
            for piece in _join_continuations(_split_top_level(part)):
                for name in _split_slash(piece):
                    for single in _split_scripts(name) if person else [name]:
                        cleaned = clean_name(single)
                        if _is_legal_form(cleaned):
                            continue  # "Акционерное общество or АО ..." names no one
                        if cleaned and SplitName(cleaned, language) not in names:
                            names.append(SplitName(cleaned, language))
    return names


def split_entity_name(text: str, *, vessel: bool) -> tuple[list[str], list[str]]:
    """(primary names, "also known as" names) of an ``EntityOrShip`` / ``Entity`` value.

    "Dux JSC (also known as Duks)" is the name "Dux JSC" and the alias "Duks" (52 names in the
    2025 file, two with the bracket left open). An organisation's bilingual "English/French"
    name is two primary names (rule 4 of the module docstring); a vessel's name is kept whole.
    """
    collapsed = " ".join(text.split())
    aliases: list[str] = []
    matched = _ALSO_KNOWN_AS.match(collapsed)
    if matched and matched["name"]:
        collapsed = matched["name"]
        aliases = [name.full for name in split_aliases(matched["aka"], person=False)]
    parts = [collapsed] if vessel else _split_slash(collapsed)
    primaries = [cleaned for part in parts if (cleaned := clean_name(part))]
    return primaries or [collapsed], aliases


def clean_name(text: str) -> str:
    """A name without the separators, quotes, "also"/"AKA" and unclosed brackets around it."""
    value = " ".join(text.split())
    previous = None
    while value != previous:
        previous = value
        value = _ALSO.sub("", value).strip(_TRIM)
        value = _drop_unbalanced_edge(value)
        if _wrapped_in_quotes(value):
            value = value[1:-1]
    return value.strip()


def is_single_word(name: str) -> bool:
    return len(name.split()) == 1


def _labelled_chunks(text: str) -> list[tuple[str | None, str]]:
    chunks: list[tuple[str | None, str]] = []
    language: str | None = None
    start = 0
    for label in _LABEL.finditer(text):
        chunks.append((language, text[start : label.start()]))
        word = label["label"].lower()
        language = _LABEL_LANGUAGE.get(word) or language_code(word)
        start = label.end()
    chunks.append((language, text[start:]))
    return [(lang, chunk) for lang, chunk in chunks if chunk.strip(_TRIM + " ")]


def _split_top_level(text: str) -> list[str]:
    """Split at ";" and "," that are not inside brackets."""
    pieces: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in _OPENERS:
            depth += 1
        elif char in _OPENERS.values() and depth:
            depth -= 1
        if char in ";," and depth == 0:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return [piece.strip() for piece in pieces if piece.strip()]


def _is_legal_form(piece: str) -> bool:
    return clean_name(piece).casefold() in _LEGAL_FORMS


def _wrapped_in_quotes(value: str) -> bool:
    """'"Abu- Barra"' is wrapped; '"Планар" and "Исток"' and 'АО "Исток"' are not."""
    if len(value) < 2 or _QUOTES.get(value[0]) != value[-1]:
        return False
    inner = value[1:-1]
    return value[0] not in inner and value[-1] not in inner


def _continues(piece: str) -> bool:
    """A comma inside a Russian name: the piece goes on in lower case ("..., и по ...")."""
    first = piece.lstrip()[:1]
    return first.islower() and "CYRILLIC" in unicodedata.name(first, "")


def _join_continuations(pieces: list[str]) -> list[str]:
    """Put legal forms and lower-case Cyrillic continuations back on their name."""
    joined: list[str] = []
    pending_prefix = ""  # a legal form written before its name ("ОАО, БЭТО")
    for piece in pieces:
        if _is_legal_form(piece) or (joined and _continues(piece)):
            if joined:
                joined[-1] = f"{joined[-1]}, {piece}"
            else:
                pending_prefix = f"{pending_prefix}{piece}, "
            continue
        joined.append(pending_prefix + piece)
        pending_prefix = ""
    if pending_prefix:
        joined.append(pending_prefix.rstrip(", "))
    return joined


def _split_words(piece: str, *, person: bool) -> list[str]:
    parts = _OR.split(piece)
    if person:
        parts = [word_part for part in parts for word_part in _AND.split(part)]
    return [part for part in parts if part.strip()]


def _split_slash(text: str) -> list[str]:
    """Split at top-level slashes when every part is a name of two words or more."""
    if "/" not in text or _bracket_depth_at_slashes(text):
        return [text]
    parts = _SLASH.split(text)
    if all(len(clean_name(part).split()) >= 2 for part in parts):
        return parts
    return [text]


def _bracket_depth_at_slashes(text: str) -> bool:
    depth = 0
    for char in text:
        if char in _OPENERS:
            depth += 1
        elif char in _OPENERS.values() and depth:
            depth -= 1
        elif char == "/" and depth:
            return True
    return False


def _split_scripts(text: str) -> list[str]:
    """A run of words in one script, then a run in another, as one name per run."""
    runs: list[tuple[str | None, list[str]]] = []
    for word in text.split():
        script = detect_script(word)
        if runs and (script is None or script == runs[-1][0] or runs[-1][0] is None):
            runs[-1][1].append(word)
            if runs[-1][0] is None:
                runs[-1] = (script, runs[-1][1])
        else:
            runs.append((script, [word]))
    return [" ".join(words) for _script, words in runs]


def _drop_unbalanced_edge(value: str) -> str:
    for opener, closer in _OPENERS.items():
        if (value.startswith(opener) and closer not in value) or value.startswith(closer):
            value = value[1:]
        if (value.endswith(closer) and opener not in value) or value.endswith(opener):
            value = value[:-1]
    return value.strip()
