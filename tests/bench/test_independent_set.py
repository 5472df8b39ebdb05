"""The second benchmark (bench/independent_set.py), its script rules, ROC and link measurement.

The set must be reproducible (same lists and seed: same queries), hold every kind, and label
each query with entries that exist and carry the party; the script conversions must follow
their standards (ICAO 9303, passport Hepburn, JIS X 0201 half-width katakana).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import independent_scripts as scripts
from bench import independent_set as s
from bench.accuracy import HitView, Outcome
from bench.links import gold_pairs
from bench.matching import roc, summarize
from bench.variants import Case
from lists import open_list
from lists.model import (
    Entity,
    Identifier,
    IdentifierType,
    Name,
    NameKind,
    Schema,
    Source,
    SourceRef,
)


def entity(
    source: Source,
    entry_id: str,
    *names: str,
    schema: Schema = Schema.PERSON,
    un: str | None = None,
) -> Entity:
    datasets = {Source.UK: "uk_ofsi", Source.JP: "jp_mof"}
    return Entity(
        source=source,
        dataset=datasets.get(source, ""),
        entry_id=entry_id,
        schema=schema,
        names=[
            Name(full=n, kind=NameKind.PRIMARY if i == 0 else NameKind.ALIAS)
            for i, n in enumerate(names)
        ],
        identifiers=[Identifier(type=IdentifierType.UN_REFERENCE, value=un)] if un else [],
        ref=SourceRef(format="test", file="test", record=entry_id),
    )


# --------------------------------------------------------------------------------------------
# Script rules
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [("Юлия", "IULIIA"), ("Щукин", "SHCHUKIN"), ("Подъячев", "PODIEIACHEV"), ("Ольга", "OLGA")],
)
def test_icao_9303(cyrillic: str, latin: str) -> None:
    # ICAO Doc 9303 Part 3: Ю IU, Я IA, Щ SHCH, Ъ IE, Ь not written.
    assert scripts.icao_latin(cyrillic) == latin


@pytest.mark.parametrize(
    ("kana", "latin"),
    [
        ("ドミトリー・ペスコフ", "DOMITORI PESUKOFU"),  # long vowel not written
        ("シンバシ", "SHIMBASHI"),  # ン before B is M
        ("ハットリ", "HATTORI"),  # ッ doubles the consonant
        ("マッチャ", "MATCHA"),  # ッチ is TCH
        ("ファティマ", "FATIMA"),  # extended katakana
    ],
)
def test_passport_hepburn(kana: str, latin: str) -> None:
    assert scripts.hepburn(kana) == latin


def test_half_width_katakana() -> None:
    assert scripts.half_width("ガイ・ペスコフ") == "ｶﾞｲ･ﾍﾟｽｺﾌ"
    assert scripts.half_width("ABC") == "ABC"


def test_latin_back_to_cyrillic() -> None:
    assert scripts.to_cyrillic("Sergey Vladimirovich SHCHUKIN") == "Сергей Владимирович ЩУКИН"


# --------------------------------------------------------------------------------------------
# Parties
# --------------------------------------------------------------------------------------------


def test_parties_join_on_un_reference_and_on_name_with_birth_year() -> None:
    entries = [
        s.Entry.of(entity(Source.UN, "1", "Ivan PETROV", un="QDi.001")),
        s.Entry.of(entity(Source.UK, "2", "Ivan Petrovich PETROV", un="QDi.001.")),
        s.Entry(source="ca", dataset="ca_sema", entry_id="3", schema="person",
                names=(s.Name("Anna SOKOLOVA", "primary"),), birth_years=frozenset({1970})),
        s.Entry(source="au", dataset="au_dfat", entry_id="4", schema="person",
                names=(s.Name("Anna Sokolova", "primary"),), birth_years=frozenset({1970})),
        s.Entry(source="jp", dataset="jp_mof", entry_id="5", schema="person",
                names=(s.Name("ANNA SOKOLOVA", "primary"),), birth_years=frozenset({1981})),
    ]  # fmt: skip
    parties = s.party_groups(entries)
    assert parties[("un", "1")] == {("un", "1"), ("uk", "2")}  # "QDi.001." is the same ref
    assert parties[("ca", "3")] == {("ca", "3"), ("au", "4")}  # 1981: another woman
    book = s.Book(entries)
    # A query made from the name finds the namesake too: no name-only screener tells them apart.
    assert book.expected(entries[2], "Anna SOKOLOVA") == {("ca", "3"), ("au", "4"), ("jp", "5")}


# --------------------------------------------------------------------------------------------
# The set on a real list
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def un_and_mof(shared_lists: Path) -> list[s.Entry]:
    paths = ("un/consolidated.xml", "jp/mof/shisantouketsu20260305.xlsx")
    return [s.Entry.of(e) for p in paths for e in open_list(shared_lists / p).entities()]


SIZES = {"sample": 20, "clean_persons": 60, "clean_organizations": 40, "clean_vessels": 40}


def test_same_seed_same_queries(un_and_mof: list[s.Entry]) -> None:
    first = s.build(un_and_mof, near_misses=40, **SIZES)
    again = s.build(list(reversed(un_and_mof)), near_misses=40, **SIZES)
    assert [c.as_json() for c in first.cases] == [c.as_json() for c in again.cases]
    other = s.build(un_and_mof, seed=1, near_misses=40, **SIZES)
    assert [c.query for c in other.cases] != [c.query for c in first.cases]


def test_every_kind_and_labels_that_exist(un_and_mof: list[s.Entry]) -> None:
    made = s.build(un_and_mof, near_misses=40, **SIZES)
    by_kind = {kind: [c for c in made.cases if c.kind == kind] for kind in s.KINDS}
    assert {kind: len(cases) for kind, cases in by_kind.items()} == dict.fromkeys(s.KINDS, 20)
    assert sum(c.kind == s.CLEAN for c in made.cases) == 140
    assert sum(c.kind == s.NEAR_MISS for c in made.cases) == 40
    book = s.Book(un_and_mof)
    for case in made.cases:
        if not case.labelled:
            assert not book.named.get(s.name_key(case.query)), case
            continue
        assert case.expected <= book.by_key.keys()
        # The name the query was made from is a name of an expected entry.
        assert any(n.text == case.base for key in case.expected for n in book.by_key[key].names), (
            case
        )
    groups = {c.group for c in by_kind["transliteration"]}
    assert "hepburn" in groups  # MOF's katakana names are among the targets
    assert any(scripts.is_katakana(c.query) for c in by_kind["exact"] + by_kind["case_punct"])
    assert any(scripts.is_cyrillic(c.query) for c in by_kind["cyrillic"])
    assert {c.locale for c in by_kind["exact"]} == {"un_sc", "jp_mof"}


# --------------------------------------------------------------------------------------------
# ROC and links
# --------------------------------------------------------------------------------------------


def _hit(score: float) -> HitView:
    return HitView("ofac", "1", "X", "X", score, "review")


def test_roc_picks_the_threshold_above_the_allowed_clean_scores() -> None:
    clean = [Case("clean", f"c{i}", "person", frozenset()) for i in range(1000)]
    clean_out = [Outcome(alert=False, found=None, top=_hit(0.70), expected_best=None)] * 998
    clean_out += [Outcome(True, None, _hit(0.95), None), Outcome(True, None, _hit(0.85), None)]
    labelled = [Case("typo", f"l{i}", "person", frozenset({("ofac", "1")})) for i in range(4)]
    found = [Outcome(True, True, _hit(x), _hit(x)) for x in (0.99, 0.9, 0.8, 0.5)]
    view = roc(clean + labelled, clean_out + found)
    # 0.1 % of 1000 = 1 clean name may alert: the threshold sits just above 0.85.
    assert view["0.1%"]["threshold"] == pytest.approx(0.85, abs=1e-6)
    assert view["0.1%"]["recall"] == 0.5 and view["0.1%"]["clean_rate"] == 0.001
    assert view["0.3%"]["recall"] == 0.75  # 2 allowed: just above 0.70
    summary = summarize(clean + labelled, clean_out + found)
    assert summary["alerts"]["clean person"]["count"] == 2
    assert summary["recall"] == 1.0


def test_gold_pairs_are_cross_list_pairs_sharing_a_un_reference() -> None:
    entities = [
        (1, entity(Source.UN, "1", "A B", un="KPi.005")),
        (2, entity(Source.UK, "9", "A B", un="KPi.005")),
        (2, entity(Source.UK, "10", "A C", un="KPi.005")),
        (3, entity(Source.JP, "4-1", "D E", un="QDe.001")),
        (3, entity(Source.CA, "7", "D E")),
    ]
    pairs, carriers = gold_pairs(entities)
    assert pairs == {
        (("uk_ofsi", "10"), ("un_sc", "1")),
        (("uk_ofsi", "9"), ("un_sc", "1")),
    }  # the two UK entries are one source: not a cross-list pair
    assert len(carriers) == 4
