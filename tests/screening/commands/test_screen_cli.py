"""`coalition screen` on the real UN list: text and JSON output, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main


def test_screen_prints_decision_hits_and_explanations(db: str) -> None:
    result = CliRunner().invoke(
        main,
        ["screen", "--db", db, "Akhmed Chatayev", "--type", "person", "--country", "RU",
         "--dob", "1980-07-04"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert text.startswith("REVIEW 'Akhmed Chatayev'")
    assert "un_sc:6908489 AKHMED RAJAPOVICH CHATAEV [person]" in text
    assert "chatayev->chataev" in text
    assert "birth_date +0.05: born 1980-07-04, as listed" in text
    assert "country +0.03: RU is a listed country" in text


def test_screen_json_has_the_result_model(db: str) -> None:
    result = CliRunner().invoke(main, ["screen", "--db", db, "PAUL MALONG AWAN ANEI", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["decision"] == "match"
    top = payload["hits"][0]
    assert (top["source"], top["entry_id"], top["schema"], top["score"]) == (
        "un",
        "6908714",
        "person",
        1.0,
    )
    assert payload["list_versions"][0]["source"] == "un"
    assert payload["thresholds"] == {"match": 0.9, "review": 0.75, "report": 0.6}


def test_screen_thresholds_from_options_and_environment(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COALITION_MATCH_THRESHOLD", "0.99")
    result = CliRunner().invoke(main, ["screen", "--db", db, "Akhmed Chataev", "--json"])
    payload = json.loads(result.stdout)
    assert payload["thresholds"]["match"] == 0.99
    assert payload["decision"] == "review"
    bad = CliRunner().invoke(
        main, ["screen", "--db", db, "X", "--review", "0.95", "--match", "0.9"]
    )
    assert bad.exit_code == 2
    assert "report <= review <= match" in bad.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--id", "passport"], 2, "use TYPE:VALUE"),
        (["--dob", "yesterday"], 1, "unreadable birth date"),
        (["--country", "Atlantis"], 1, "unknown country"),
        (["--type", "spaceship"], 2, "Invalid value for '--type'"),
    ],
)
def test_screen_bad_input_is_a_clear_error(
    db: str, args: list[str], code: int, message: str
) -> None:
    result = CliRunner().invoke(main, ["screen", "--db", db, "Ivan Petrov", *args])
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output


def test_screen_without_lists_says_how_to_load_them(tmp_path: Path) -> None:
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    result = CliRunner().invoke(main, ["screen", "--db", empty, "Ivan Petrov"])
    assert result.exit_code == 1
    assert "no lists are loaded" in result.output
