"""The word tables of normalisation, read from package data (screening/data/*.csv)."""

from __future__ import annotations

import pytest

from lists.model import Schema
from screening.matching import vocabulary
from screening.matching.normalize import TokenKind, tokenize
from screening.matching.vocabulary import (
    VocabularyError,
    honorifics,
    legal_forms,
    vessel_prefixes,
)


def test_the_shipped_tables_load_whole() -> None:
    # Counts measured with the shell, independently of the loader:
    #   rows: wc -l < screening/data/<file>.csv, minus the header line;
    #   longest phrase: tail -n +2 legal_forms.csv | cut -d, -f1 | awk '{print NF}' | sort -n;
    #   long words: tail -n +2 legal_forms.csv | cut -d, -f1 | tr ' ' '\n'
    #               | awk 'length($0)>=6' | sort -u | wc -l
    forms = legal_forms()
    assert len(forms.by_words) == 117
    assert forms.longest == 6
    assert len(forms.long_words) == 50
    assert forms.by_words[("sp", "z", "o", "o")] == "llc"
    assert len(honorifics()) == 49
    prefixes = vessel_prefixes()
    assert (len(prefixes.single), len(prefixes.pairs)) == (9, 5)
    assert ("m", "v") in prefixes.pairs


def test_the_tables_drive_tokenization() -> None:
    assert [t.text for t in tokenize("OOO Romashka")] == ["llc", "romashka"]
    assert tokenize("OOO Romashka")[0].kind == TokenKind.LEGAL_FORM
    assert [t.text for t in tokenize("Sheikh Ahmed Ali", Schema.PERSON)] == ["ahmed", "ali"]
    assert [t.text for t in tokenize("M/V NASHA STAR", Schema.VESSEL)] == ["nasha", "star"]


@pytest.mark.parametrize(
    ("loader", "filename", "text", "message"),
    [
        (
            "legal_forms",
            vocabulary.LEGAL_FORMS_FILE,
            "phrase,canonical\nooo,llc\nooo,jsc\n",
            "legal_forms.csv line 3: 'ooo' listed twice",
        ),
        (
            "legal_forms",
            vocabulary.LEGAL_FORMS_FILE,
            "phrase,canonical\nooo,\n",
            "legal_forms.csv line 2: empty canonical",
        ),
        (
            "legal_forms",
            vocabulary.LEGAL_FORMS_FILE,
            "words,canonical\nooo,llc\n",
            "legal_forms.csv: header lacks column(s) phrase",
        ),
        (
            "honorifics",
            vocabulary.HONORIFICS_FILE,
            "word\nmr\nhis excellency\n",
            "honorifics.csv line 3: 'his excellency' is not one word",
        ),
        (
            "vessel_prefixes",
            vocabulary.VESSEL_PREFIXES_FILE,
            "prefix\nmv\nmotor vessel\n",
            "vessel_prefixes.csv line 3: 'motor vessel' is neither one word nor two letters",
        ),
    ],
)
def test_a_malformed_table_is_an_error_naming_file_and_line(
    monkeypatch: pytest.MonkeyPatch, loader: str, filename: str, text: str, message: str
) -> None:
    monkeypatch.setattr(vocabulary, "_read_text", {filename: text}.__getitem__)
    # the uncached function: the shipped tables stay cached for the other tests
    uncached = getattr(vocabulary, loader).__wrapped__
    with pytest.raises(VocabularyError) as raised:
        uncached()
    assert str(raised.value) == message
