"""`coalition lists status --max-age`: which datasets are stale, the default and the exit code.

Two small real files are copied with their generation date moved relative to today (UTC, the
date the command measures ages against), since a file's own date is its publication date: the
UN excerpt published 40 days ago, the UK (FCDO) excerpt yesterday. A dataset is stale when its
active publication is more than --max-age days old.

The command warns on stderr and still exits 0 when a dataset is stale (as of this writing; the
setting's doc in screening/settings.py says such a dataset "fails").
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli import main
from lists import open_list
from screening.store import ListStore

UN_AGE = 40
UK_AGE = 1


UN_SAMPLE = "un/fixtures/GSmiguel/sample_un_consolidated.xml"
UN_DATE = 'dateGenerated="2026-09-09T23:00:04.485Z"'
UK_SAMPLE = "uk/fixtures/GSmiguel/sample_uk_sanctions.xml"
UK_DATE = "<DateGenerated>10/09/2026</DateGenerated>"


def _dated_copy(source: Path, target: Path, stated: str, replacement: str) -> Path:
    text = source.read_text(encoding="utf-8")
    assert text.count(stated) == 1
    target.write_text(text.replace(stated, replacement), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def aged_db(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> str:
    folder = tmp_path_factory.mktemp("status")
    today = dt.datetime.now(dt.UTC).date()
    un_day = today - dt.timedelta(days=UN_AGE)
    uk_day = today - dt.timedelta(days=UK_AGE)
    files = [
        _dated_copy(
            shared_lists / UN_SAMPLE,
            folder / "consolidated.xml",
            UN_DATE,
            f'dateGenerated="{un_day.isoformat()}T12:00:00Z"',
        ),
        _dated_copy(
            shared_lists / UK_SAMPLE,
            folder / "uk_sanctions.xml",
            UK_DATE,
            f"<DateGenerated>{uk_day:%d/%m/%Y}</DateGenerated>",
        ),
    ]
    url = f"sqlite:///{folder / 'lists.db'}"
    store = ListStore(url)
    for path in files:
        result = store.load(open_list(path))
        assert result.status == "loaded"
    assert [v.published_on for v in store.active_versions()] == [uk_day, un_day]
    return url


@pytest.fixture(autouse=True)
def _no_max_age_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COALITION_MAX_AGE_DAYS", raising=False)


def status(db: str, *args: str) -> tuple[Result, dict[str, dict[str, Any]], int]:
    """The command's result, its JSON sources by dataset, and its max_age_days."""
    result = CliRunner().invoke(main, ["lists", "status", "--json", "--db", db, *args])
    document = json.loads(result.stdout)
    by_dataset = {s["dataset"]: s for s in document["sources"] if s["dataset"]}
    return result, by_dataset, document["max_age_days"]


def age_warnings(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if "days old" in line]


def test_default_is_seven_days_stale_and_fresh_datasets(aged_db: str) -> None:
    result, datasets, max_age = status(aged_db)
    assert result.exit_code == 0, result.output
    assert max_age == 7
    assert sorted(datasets) == ["uk_sanctions_list", "un_sc"]
    assert (datasets["un_sc"]["age_days"], datasets["un_sc"]["stale"]) == (UN_AGE, True)
    assert (datasets["uk_sanctions_list"]["age_days"], datasets["uk_sanctions_list"]["stale"]) == (
        UK_AGE,
        False,
    )
    assert age_warnings(result) == [
        f"warning: un_sc: active publication is {UN_AGE} days old (more than 7)"
    ]
    # The sources with nothing loaded are reported too, as a warning each.
    assert "warning: ofac: no version loaded" in result.stderr.splitlines()


@pytest.mark.parametrize(
    ("max_age", "un_stale"),
    [(str(UN_AGE - 1), True), (str(UN_AGE), False), ("365", False), ("0", True)],
)
def test_max_age_is_the_largest_age_still_fresh(aged_db: str, max_age: str, un_stale: bool) -> None:
    result, datasets, shown = status(aged_db, "--max-age", max_age)
    assert result.exit_code == 0, result.output
    assert shown == int(max_age)
    assert datasets["un_sc"]["stale"] is un_stale
    assert datasets["uk_sanctions_list"]["stale"] is (int(max_age) < UK_AGE)
    assert len(age_warnings(result)) == un_stale + (int(max_age) < UK_AGE)


def test_environment_sets_the_default_and_the_option_wins(
    aged_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COALITION_MAX_AGE_DAYS", "60")
    result, datasets, max_age = status(aged_db)
    assert result.exit_code == 0, result.output
    assert (max_age, datasets["un_sc"]["stale"]) == (60, False)
    assert age_warnings(result) == []
    result, datasets, max_age = status(aged_db, "--max-age", "10")
    assert (max_age, datasets["un_sc"]["stale"]) == (10, True)
    assert len(age_warnings(result)) == 1


def test_table_output_exits_0_and_warns_on_stderr_only(aged_db: str) -> None:
    result = CliRunner().invoke(main, ["lists", "status", "--db", aged_db])
    assert result.exit_code == 0, result.output
    assert "un_sc" in result.stdout and "days old" not in result.stdout
    assert len(age_warnings(result)) == 1


def test_an_age_that_is_not_a_number_is_a_usage_error(aged_db: str) -> None:
    result = CliRunner().invoke(main, ["lists", "status", "--db", aged_db, "--max-age", "week"])
    assert result.exit_code == 2
    assert "'week' is not a valid integer" in result.output
