"""The issue's must-hold, as a new user types it: three files loaded, every list active.

`coalition lists load sdn.csv consolidated.xml ConList.xlsx`, then `coalition screen "CHINA
TELECOM CORPORATION LIMITED" --type organization` finds the non-SDN entry; `--lists` narrows a
screening, `lists load` says what a load replaces, and a hit shows its dataset and listing date.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

CHINA_TELECOM = "CHINA TELECOM CORPORATION LIMITED"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("datasets_cli")
    env = {"COALITION_DB": f"sqlite:///{folder / 'store.db'}", "COALITION_INDEX_DIR": str(folder)}
    files = [
        str(shared_lists / "ofac" / "sdn.csv"),
        str(shared_lists / "ofac" / "consolidated_xml" / "2026-01-08" / "consolidated.xml"),
        str(shared_lists / "uk" / "ConList.xlsx"),
    ]
    result = CliRunner().invoke(main, ["lists", "load", *files], env=env)
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.output  # no shrink warning: nothing was replaced
    for dataset in ("ofac_sdn", "ofac_consolidated", "uk_ofsi"):
        assert f"loaded {dataset} version" in result.output
    assert result.output.count("now active (the first version of this dataset)") == 3
    return env


def _screen(env: dict[str, str], *args: str) -> dict[str, object]:
    result = CliRunner().invoke(main, ["screen", CHINA_TELECOM, "--json", *args], env=env)
    assert result.exit_code == 0, result.output
    payload: dict[str, object] = json.loads(result.output)
    return payload


def test_the_non_sdn_entry_is_found(loaded: dict[str, str]) -> None:
    wide = {**loaded, "COLUMNS": "300"}  # one line per hit, however long
    result = CliRunner().invoke(main, ["screen", CHINA_TELECOM, "--type", "organization"], env=wide)
    assert result.exit_code == 0, result.output
    first_hit = result.output.splitlines()[1]
    assert re.match(rf"1\.000 match +ofac_consolidated:\d+ {CHINA_TELECOM} ", first_hit), first_hit
    assert " listed " in first_hit


@pytest.mark.parametrize(
    ("lists", "datasets"),
    [
        (["--lists", "ofac_consolidated"], {"ofac_consolidated"}),
        (["--lists", "uk,ofac_sdn"], set()),
        (["--lists", "ofac", "--lists", "uk"], {"ofac_consolidated"}),
    ],
)
def test_lists_option(loaded: dict[str, str], lists: list[str], datasets: set[str]) -> None:
    payload = _screen(loaded, "--type", "organization", *lists)
    hits = payload["hits"]
    assert isinstance(hits, list)
    found = {hit["dataset"] for hit in hits if hit["decision"] != "clear"}
    assert found == datasets


def test_unknown_list_is_a_usage_error(loaded: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["screen", CHINA_TELECOM, "--lists", "ofacc"], env=loaded)
    assert result.exit_code == 2
    assert "unknown list 'ofacc'" in result.output


def test_loading_a_newer_version_says_what_it_replaces(
    loaded: dict[str, str], shared_lists: Path, tmp_path: Path
) -> None:
    """A second OFAC non-SDN publication replaces the first, and says so."""
    newer = shared_lists / "ofac" / "consolidated_xml" / "2025-10-22" / "consolidated.xml"
    env = {**loaded, "COALITION_DB": f"sqlite:///{tmp_path / 'replace.db'}"}
    later = shared_lists / "ofac" / "consolidated_xml" / "2026-01-08" / "consolidated.xml"
    first = CliRunner().invoke(main, ["lists", "load", str(newer)], env=env)
    assert first.exit_code == 0, first.output
    second = CliRunner().invoke(main, ["lists", "load", str(later)], env=env)
    assert second.exit_code == 0, second.output
    assert "now active, replacing version 1 of ofac_consolidated (published 2025-10-22" in (
        second.output
    )
