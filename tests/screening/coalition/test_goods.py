"""CHPL goods-code checker: package data against the reference table, code forms, verdicts, CLI."""

from __future__ import annotations

import csv
import json
from collections import Counter
from importlib import resources

import pytest
from click.testing import CliRunner

import cli
from screening.coalition.goods import (
    CHPL_VERSION,
    TIER_RANK,
    HsCodeError,
    HsVerdict,
    HsVerdictKind,
    check_hs,
    chpl_entries,
)
from tests.conftest import SHARED_REFERENCE as REFERENCE

LISTED = HsVerdictKind.LISTED
POSSIBLE = HsVerdictKind.POSSIBLE
NOT_LISTED = HsVerdictKind.NOT_LISTED


def reference_rows(name: str) -> list[dict[str, str]]:
    path = REFERENCE / name
    assert path.is_file(), f"reference table expected at {path}"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def codes(verdict: HsVerdict) -> list[str]:
    return [entry.hs_code for entry in verdict.matches]


# -- package data ----------------------------------------------------------------------------


def test_package_data_has_the_reference_codes_and_tiers() -> None:
    reference = {row["hs_code"]: row["tier"] for row in reference_rows("chpl.csv")}
    shipped = {entry.hs_code: entry.tier for entry in chpl_entries()}
    assert len(reference) == 50
    assert shipped == reference


def test_package_data_keeps_descriptions_dotted_codes_and_sources() -> None:
    reference = {row["hs_code"]: row for row in reference_rows("chpl.csv")}
    for entry in chpl_entries():
        row = reference[entry.hs_code]
        assert entry.description == row["description"]
        assert entry.hs_code_dotted == row["hs_code_dotted"]
        assert entry.tier_label == row["tier_label"]
        assert entry.highest_priority is (row["highest_priority_9"] == "yes")
        assert entry.sources == row["source"].split(";")
        assert entry.list_version == row["list_version"] == CHPL_VERSION == "2024-02"


def test_counts_by_tier_and_highest_priority() -> None:
    entries = chpl_entries()
    assert len({entry.hs_code for entry in entries}) == 50
    assert Counter(entry.tier for entry in entries) == {
        "1": 4,
        "2": 5,
        "3.A": 16,
        "3.B": 9,
        "4.A": 11,
        "4.B": 5,
    }
    highest = {entry.hs_code for entry in entries if entry.highest_priority}
    assert highest == {e.hs_code for e in entries if e.tier in ("1", "2")}
    assert len(highest) == 9


def test_tier_rank_orders_tiers_from_highest_concern() -> None:
    assert sorted(TIER_RANK, key=TIER_RANK.__getitem__) == ["1", "2", "3.A", "3.B", "4.A", "4.B"]
    assert TIER_RANK["1"] == 1


def test_sources_file_is_the_reference_copy_and_covers_every_source_id() -> None:
    shipped = resources.files("screening.data").joinpath("sources.csv").read_bytes()
    # The reference rows come first, byte for byte; the payment rules' sources follow them.
    assert shipped.startswith((REFERENCE / "sources.csv").read_bytes())
    assert len(shipped) > len((REFERENCE / "sources.csv").read_bytes())
    known = {row["source_id"] for row in reference_rows("sources.csv")}
    used = {source for entry in chpl_entries() for source in entry.sources}
    assert used == {"BIS_CHPL_2024", "EU_CHPL_2024", "E5_2023"}
    assert used <= known


# -- six digits and more -----------------------------------------------------------------------


@pytest.mark.parametrize("row", reference_rows("chpl.csv"), ids=lambda row: row["hs_code"])
def test_every_chpl_code_is_listed_with_its_tier(row: dict[str, str]) -> None:
    for form in (row["hs_code"], row["hs_code_dotted"]):
        verdict = check_hs(form)
        assert verdict.verdict is LISTED
        assert verdict.normalized == row["hs_code"]
        assert verdict.tiers == [row["tier"]]
        assert codes(verdict) == [row["hs_code"]]
        assert verdict.matches[0].description == row["description"]
        assert verdict.warnings == []


@pytest.mark.parametrize(
    ("form", "normalized"),
    [
        ("8542.31", "854231"),
        ("8542 31", "854231"),
        ("8542-31", "854231"),
        ("8542/31", "854231"),
        ("  8542.31  ", "854231"),
        ("8542.31.90", "85423190"),  # EU CN
        ("85423190", "85423190"),
        ("8542 31 90", "85423190"),
        ("8542.31.0001", "8542310001"),  # US HTS, 10 digits
        ("8542310001", "8542310001"),
        ("8542.31.00.01", "8542310001"),
        ("８５４２．３１", "854231"),  # full-width digits and dot
        ("8542\u201331", "854231"),  # en dash
    ],
)
def test_written_forms_of_a_tier_1_code(form: str, normalized: str) -> None:
    verdict = check_hs(form)
    assert verdict.code == form
    assert verdict.normalized == normalized
    assert verdict.verdict is LISTED
    assert verdict.tiers == ["1"]
    assert codes(verdict) == ["854231"]
    assert verdict.warnings == []


def test_a_national_line_matches_by_its_first_six_digits_only() -> None:
    assert check_hs("8471.50.0150").tiers == ["3.A"]
    assert check_hs("8457.10.00").tiers == ["4.B"]
    assert check_hs("9030.82.00.00").tiers == ["4.A"]


@pytest.mark.parametrize("code", ["854290", "8542.90.00", "8517.13", "8471.30.0100", "3004.90"])
def test_codes_outside_the_list_are_not_listed(code: str) -> None:
    verdict = check_hs(code)
    assert verdict.verdict is NOT_LISTED
    assert verdict.tiers == []
    assert verdict.matches == []
    assert "not on the CHPL" in verdict.reason


def test_leading_zeros_are_kept() -> None:
    verdict = check_hs("0101.21.00")
    assert verdict.normalized == "01012100"
    assert verdict.verdict is NOT_LISTED
    assert check_hs("0101").normalized == "0101"


# -- HS 2017 predecessors ----------------------------------------------------------------------


def test_hs2017_predecessors_in_the_reference_data() -> None:
    changed = {
        row["hs2017_predecessor"].split(" ")[0]: row["hs_code"]
        for row in reference_rows("chpl.csv")
        if not row["hs2017_predecessor"].startswith(row["hs_code"])
    }
    # 854150 is the predecessor of two CHPL codes; the dict keeps one, the set below both.
    assert set(changed) == {"852580", "854140", "854150", "880330", "854890"}


@pytest.mark.parametrize(
    ("old", "verdict_kind", "successors", "tiers"),
    [
        ("852580", POSSIBLE, ["852589"], ["3.A"]),  # split into 8525.81/.82/.83/.89
        ("854140", POSSIBLE, ["854149"], ["3.A"]),  # split into 8541.41/.42/.43/.49
        ("854150", POSSIBLE, ["854151", "854159"], ["3.A"]),  # split into 8541.51/.59
        ("880330", POSSIBLE, ["880730"], ["3.B"]),  # approximate renumbering 8803 -> 8807
        ("854890", LISTED, ["854800"], ["2"]),  # renumbered whole: 8548.90 -> 8548.00
        ("8525.80.30", POSSIBLE, ["852589"], ["3.A"]),  # an HS 2017-based CN line
        ("8541400090", POSSIBLE, ["854149"], ["3.A"]),
    ],
)
def test_hs2017_codes(
    old: str, verdict_kind: HsVerdictKind, successors: list[str], tiers: list[str]
) -> None:
    verdict = check_hs(old)
    assert verdict.verdict is verdict_kind
    assert codes(verdict) == successors
    assert verdict.tiers == tiers
    assert "HS 2017" in verdict.reason


def test_predecessor_notes_are_read_from_the_data() -> None:
    by_code = {entry.hs_code: entry for entry in chpl_entries()}
    assert by_code["854151"].hs2017_predecessor == ["854150"]
    assert by_code["854151"].hs2017_partial
    assert by_code["880730"].hs2017_note.startswith("approx.")
    assert by_code["854800"].hs2017_predecessor == ["854890"]
    assert not by_code["854800"].hs2017_partial
    assert by_code["854231"].hs2017_predecessor == ["854231"]
    assert by_code["854231"].hs2017_note == ""


# -- headings, chapters, odd lengths -----------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "verdict_kind", "expected", "tiers"),
    [
        ("8542", POSSIBLE, ["854231", "854232", "854233", "854239"], ["1"]),
        ("8482", POSSIBLE, ["848210", "848220", "848230", "848250"], ["3.B"]),
        (
            "8541",
            POSSIBLE,
            ["854110", "854121", "854129", "854130", "854149", "854151", "854159", "854160"],
            ["3.A"],
        ),
        ("8517", POSSIBLE, ["851762", "851769"], ["2", "3.A"]),
        ("8471", POSSIBLE, ["847150", "847180"], ["3.A", "4.A"]),
        ("8803", POSSIBLE, ["880730"], ["3.B"]),  # HS 2017 heading, through 880330
        ("8807", POSSIBLE, ["880730"], ["3.B"]),
        ("8534", LISTED, ["853400"], ["4.A"]),  # 8534.00 is the heading's only subheading
        ("8548", LISTED, ["854800"], ["2"]),
        ("85.42", POSSIBLE, ["854231", "854232", "854233", "854239"], ["1"]),
        ("8543", POSSIBLE, ["854320"], ["4.A"]),
        ("8501", NOT_LISTED, [], []),
        ("0101", NOT_LISTED, [], []),
    ],
)
def test_headings(
    heading: str, verdict_kind: HsVerdictKind, expected: list[str], tiers: list[str]
) -> None:
    verdict = check_hs(heading)
    assert verdict.verdict is verdict_kind
    assert codes(verdict) == expected
    assert verdict.tiers == tiers


@pytest.mark.parametrize("chapter", ["85", "84", "88", "90", "01", "85.", " 8 5 "])
def test_a_chapter_alone_never_matches(chapter: str) -> None:
    verdict = check_hs(chapter)
    assert verdict.verdict is NOT_LISTED
    assert verdict.matches == []
    assert verdict.tiers == []
    assert "a chapter alone never matches" in verdict.reason
    assert verdict.normalized is not None and len(verdict.normalized) == 2


def test_five_digits_are_not_padded() -> None:
    # A spreadsheet turns 9030.20 into 9030.2: the code could be any 9030.2x subheading.
    verdict = check_hs("9030.2")
    assert verdict.normalized == "90302"
    assert verdict.verdict is POSSIBLE
    assert codes(verdict) == ["903020"]
    assert len(verdict.warnings) == 2
    assert any("trailing zero" in warning for warning in verdict.warnings)
    three = check_hs("9030.3")
    assert codes(three) == ["903032", "903039"]
    assert check_hs("85429").verdict is NOT_LISTED


@pytest.mark.parametrize(("code", "digits"), [("8542310", 7), ("854231009", 9)])
def test_seven_and_nine_digits_use_the_first_six_with_a_warning(code: str, digits: int) -> None:
    verdict = check_hs(code)
    assert verdict.verdict is LISTED
    assert verdict.tiers == ["1"]
    assert verdict.warnings[0].startswith(f"{digits} digits is not a standard length")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "empty"),
        ("  . - ", "empty"),
        ("abc", "not an HS code"),
        ("HS 8542.31", "not an HS code"),
        ("8542.3a", "not an HS code"),
        ("8542;8471", "not an HS code"),
        ("٨٥٤٢٣١", "not an HS code"),  # Arabic-Indic digits are not ASCII digits
        ("8", "1 digit"),
        ("854", "3 digits"),
        ("85423100001", "11 digits"),
    ],
)
def test_unreadable_codes_raise(code: str, message: str) -> None:
    with pytest.raises(HsCodeError, match=message) as caught:
        check_hs(code)
    assert isinstance(caught.value, ValueError)
    assert repr(code) in str(caught.value)


# -- CLI ---------------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.main, ["hs", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_text() -> None:
    exit_code, out, err = run("8542.31.00", "8542", "85", "0101.21")
    assert exit_code == 0, err
    assert "8542.31.00: 85423100 listed (tiers: 1)" in out
    assert "Electronic integrated circuits: processors and controllers" in out
    assert "8542: 8542 possible (tiers: 1)" in out
    for dotted in ("8542.31", "8542.32", "8542.33", "8542.39"):
        assert f"    {dotted}  Tier 1" in out
    assert "85: 85 not_listed (tiers: -)" in out
    assert "a chapter alone never matches" in out
    assert "0101.21: 010121 not_listed" in out
    assert f"CHPL version {CHPL_VERSION}" in out
    assert err == ""


def test_cli_json() -> None:
    exit_code, out, _ = run("--json", "8542.31", "852580", "85")
    assert exit_code == 0
    objects = json.loads(out)
    assert [o["code"] for o in objects] == ["8542.31", "852580", "85"]
    assert [o["normalized"] for o in objects] == ["854231", "852580", "85"]
    assert [o["verdict"] for o in objects] == ["listed", "possible", "not_listed"]
    assert [o["tiers"] for o in objects] == [["1"], ["3.A"], []]
    first = objects[0]["matches"][0]
    assert first["hs_code"] == "854231"
    assert first["tier"] == "1"
    assert first["description"].startswith("Electronic integrated circuits")
    assert [m["hs_code"] for m in objects[1]["matches"]] == ["852589"]
    assert objects[2]["matches"] == []


def test_cli_unreadable_code_exits_1_and_still_prints_the_others() -> None:
    exit_code, out, err = run("8542.31", "abc", "8471.50")
    assert exit_code == 1
    assert "8542.31: 854231 listed" in out
    assert "8471.50: 847150 listed (tiers: 3.A)" in out
    assert "error: 'abc': not an HS code" in err
    assert "Traceback" not in out + err


def test_cli_json_with_an_unreadable_code() -> None:
    exit_code, out, err = run("--json", "854", "8548")
    assert exit_code == 1
    objects = json.loads(out)
    assert objects[0] == {
        "code": "854",
        "normalized": None,
        "error": "'854': 3 digits; give at least a 4-digit heading",
    }
    assert objects[1]["verdict"] == "listed"
    assert "3 digits" in err
    assert "Traceback" not in out + err


def test_cli_needs_a_code() -> None:
    exit_code, _, err = run()
    assert exit_code == 2
    assert "Missing argument" in err
