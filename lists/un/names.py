"""Names of a UN record: the primary name, the name in its original script, and the aliases.

``FIRST_NAME``..``FOURTH_NAME`` are joined into the primary name. Only ``full`` is set: the UN
does not order the parts as given/family names (DPRK records put the family name in
``FIRST_NAME``), so first/middle/last would be guesses. ``NAME_ORIGINAL_SCRIPT`` is the same
name in its own script, so it is a second PRIMARY name, not an alias; a trailing language label
such as "(Tigrinya)" becomes the name's language.

Aliases: QUALITY Good / a.k.a. -> ALIAS, Low -> WEAK_ALIAS, f.k.a. -> FORMER. One
``ALIAS_NAME`` may hold several names (`split_alias_names`), and an alias NOTE may give more
renderings (`names_in_alias_note`). Each name's script is detected from its characters.
"""

from __future__ import annotations

import re

from lxml import etree

from lists.base import ReadReport
from lists.draft import EntityDraft
from lists.model import Name, NameKind
from lists.values.languages import language_code
from lists.values.scripts import detect_script, scripts_in
from lists.xml import children, text_of

NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")

# The UN writes "na" (not available) where a name part or nationality is unknown. Only the
# lower-case form: "NA" can be a Korean family name and is a country code.
PLACEHOLDERS = frozenset({"na", "n/a"})

_ALIAS_KINDS = {
    "good": NameKind.ALIAS,
    "a.k.a.": NameKind.ALIAS,
    "n.k.a.": NameKind.ALIAS,
    "low": NameKind.WEAK_ALIAS,
    "f.k.a.": NameKind.FORMER,
}
_ALIAS_SEPARATORS = re.compile(r"\s*;\s*|\s+[a-z]\)\s+")
_BRACKETED_RENDERING = re.compile(
    r"^(?P<outer>[^()]+?)\s*\((?:original script:\s*)?(?P<inner>.+)\)[\s,.;]*$", re.I
)
_TRAILING_LABEL = re.compile(r"^(?P<name>.+?)\s*\((?P<label>[A-Za-z][A-Za-z ]+)\)\s*$")
_NOTE_RENDERING = re.compile(
    r"(?:name (?:in )?original script|original script|in arabic script|in arabic)\s*:\s*"
    r"(?P<name>[^:]+?)\s*$",
    re.I,
)
_MAX_NAME_WORDS = 6
_DIGIT = re.compile(r"\d")


def read_names(element: etree._Element, draft: EntityDraft, report: ReadReport) -> None:
    """The record's primary, original-script and alias names, each once per kind."""
    parts = [text_of(element, part) for part in NAME_PARTS]
    primary = " ".join(p for p in parts if p and p not in PLACEHOLDERS)
    if primary:
        draft.add_name(Name(full=primary, kind=NameKind.PRIMARY, script=detect_script(primary)))
    original = text_of(element, "NAME_ORIGINAL_SCRIPT")
    if original:
        draft.add_name(_original_script_name(original))
    for alias in [*children(element, "INDIVIDUAL_ALIAS"), *children(element, "ENTITY_ALIAS")]:
        _read_alias(alias, draft, report)


def _original_script_name(text: str) -> Name:
    language = None
    labelled = _TRAILING_LABEL.match(text)
    if labelled and detect_script(labelled["name"]) not in (None, "Latn"):
        language = language_code(labelled["label"])
        if language:
            text = labelled["name"]
    return Name(full=text, kind=NameKind.PRIMARY, script=detect_script(text), language=language)


def _read_alias(alias: etree._Element, draft: EntityDraft, report: ReadReport) -> None:
    text = text_of(alias, "ALIAS_NAME")
    if not text:
        return  # the empty placeholder <*_ALIAS><QUALITY/><ALIAS_NAME/></*_ALIAS>
    quality = text_of(alias, "QUALITY")
    kind = _ALIAS_KINDS.get((quality or "").lower())
    if kind is None:
        kind = NameKind.ALIAS
        if quality:
            report.warn_once(
                f"quality:{quality}",
                f"unknown alias QUALITY {quality!r} (line {alias.sourceline}); read as alias",
            )
    note = text_of(alias, "NOTE")
    for full in [*split_alias_names(text), *names_in_alias_note(text, note)]:
        draft.add_name(Name(full=full, kind=kind, script=detect_script(full)))
    if note:
        draft.remarks.append(f"Alias {text}: {note}")


def names_in_alias_note(alias: str, note: str | None) -> list[str]:
    """Renderings of an alias that the UN put in its NOTE rather than in ALIAS_NAME.

    "original script: Ахмад Шишани", "In Arabic: سيف العدل" give the alias in its own script;
    a non-Latin alias whose note is only a ";" list of Latin names ("Yunis al-Mauritani;
    Younis al-Mauritani; ...") gives its transliterations. Other notes are not names.
    """
    if not note:
        return []
    rendering = _NOTE_RENDERING.search(note)
    if rendering and detect_script(rendering["name"]) not in (None, "Latn"):
        return [rendering["name"]]
    if detect_script(alias) not in (None, "Latn") and detect_script(note) == "Latn" and ";" in note:
        items = [_clean_name(item) for item in note.split(";")]
        if all(
            item and len(item.split()) <= _MAX_NAME_WORDS and not _DIGIT.search(item)
            for item in items
        ):
            return items
    return []


def split_alias_names(text: str) -> list[str]:
    """The separate names one ALIAS_NAME holds, in the order written.

    "A; B; C" and "A; B b) C" are lists. "Name (rendering)" where the bracket holds the same
    name in another script ("Jin Tiesan (金铁三)", "Amir Khazmat (original script: Амир Хазмат)",
    "حسن غول (Hassan Ghul; Hassan Gul)") is one name per rendering. A bracket in the same script
    ("Lord’s Resistance Movement (LRM)", "Lom-ali Butayev (Butaev)") is part of the name.
    """
    pieces = [text]
    bracketed = _BRACKETED_RENDERING.match(text)
    if bracketed and _different_scripts(bracketed["outer"], bracketed["inner"]):
        pieces = [bracketed["outer"], bracketed["inner"]]
    names: list[str] = []
    for piece in pieces:
        for part in _ALIAS_SEPARATORS.split(piece):
            cleaned = _clean_name(part)
            if cleaned and cleaned not in names:
                names.append(cleaned)
    return names


def _clean_name(text: str) -> str:
    cleaned = " ".join(text.split()).strip(" ,;")
    if cleaned.startswith(")") and "(" not in cleaned:
        cleaned = cleaned[1:].strip()  # a stray bracket left over from the UN's own editing
    return cleaned


def _different_scripts(first: str, second: str) -> bool:
    one, two = scripts_in(first), scripts_in(second)
    return bool(one) and bool(two) and not one & two
