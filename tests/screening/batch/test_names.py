"""Name batches: rows to queries, columns, records, thresholds, exit codes, the real UN list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import cli
from lists.model import Schema, Source
from screening.batch.names import (
    BatchOptions,
    BatchRecord,
    ColumnChoice,
    Columns,
    MissingColumnError,
    run_batch,
    screen_rows,
    thresholds_with_report,
)
from screening.matching.results import (
    Thresholds,
)
from screening.matching.screener import Screener
from tests.screening.batch.support import (
    LIST_VERSIONS,
    FakeScreener,
    batch,
    csv_rows,
    jsonl,
    leftovers,
    write_rows,
)


def run_cli(*args: str | Path) -> Result:
    return CliRunner().invoke(cli.main, ["batch", *map(str, args)])


def test_one_record_per_row_in_order_with_error_rows(tmp_path: Path) -> None:
    rows = [
        ["name", "type", "country", "dob"],
        ["Sanctioned Bank", "company", "RU", ""],
        ["short row", "person"],
        ["long", "person", "RU", "1970", "extra", "more"],
        ["   ", "person", "RU", ""],
        ["Ivan Petrov", "ufo", "", ""],
        ["RAISE unreadable birth date '31/31/1970'", "person", "", "31/31/1970"],
        ["", "", "", ""],
        ["Ivan Petrov", "Individual", "ru", "1970-01-02"],
        ["Jane Smith", "SHIP", "", ""],
    ]
    summary = run_batch(
        write_rows(tmp_path / "in.csv", rows), tmp_path / "out.jsonl", FakeScreener()
    )
    records = jsonl(tmp_path / "out.jsonl")
    assert [(r["row"], r["decision"], r["error"]) for r in records] == [
        (1, "match", None),
        (2, "error", "row has 2 fields, the header has 4"),
        (3, "error", "row has 6 fields, the header has 4"),
        (4, "error", "empty name (column 'name')"),
        (
            5,
            "error",
            "unknown type 'ufo': use person, organization, vessel or aircraft "
            "(individual, entity, company and ship are understood too)",
        ),
        (6, "error", "unreadable birth date '31/31/1970'"),
        # row 7 is blank: skipped, counted, and its number is kept
        (8, "review", None),
        (9, "clear", None),
    ]
    assert records[2]["extra_fields"] == ["extra", "more"]
    assert records[1]["input"] == {"name": "short row", "type": "person"}
    assert summary.rows == 8
    assert summary.counts == {"match": 1, "review": 1, "clear": 1, "error": 5}
    assert (summary.error, summary.blank) == (5, 1)
    assert summary.errors[0] == (2, "row has 2 fields, the header has 4")
    assert summary.list_versions == LIST_VERSIONS


def test_types_and_values_reach_the_query(tmp_path: Path) -> None:
    rows = [
        ["Full Name", "Entity-Type", "Nationality", "Date of Birth"],
        ["Ivan Petrov", " Individual ", "RU", "1970-01-02"],
        ["Sanctioned Bank", "organisation", "", ""],
        ["Sea Star", "Vessel", "", ""],
        ["Jet One", "AIRCRAFT", "", ""],
        ["Someone", "", "", ""],
    ]
    screener = FakeScreener()
    summary = run_batch(write_rows(tmp_path / "in.csv", rows), tmp_path / "out.csv", screener)
    columns = Columns(
        name="Full Name", type="Entity-Type", country="Nationality", birth_date="Date of Birth"
    )
    assert summary.notes == [
        f"read {tmp_path / 'in.csv'} as utf-8, delimiter ','; columns: {columns.description()}"
    ]
    assert columns.description() == (
        "name 'Full Name', type 'Entity-Type', country 'Nationality', birth date 'Date of Birth'"
    )
    assert [(q.name, q.schema_, q.country, q.birth_date) for q in screener.queries] == [
        ("Ivan Petrov", Schema.PERSON, "RU", "1970-01-02"),
        ("Sanctioned Bank", Schema.ORGANIZATION, None, None),
        ("Sea Star", Schema.VESSEL, None, None),
        ("Jet One", Schema.AIRCRAFT, None, None),
        ("Someone", None, None, None),
    ]


def test_screen_rows_takes_plain_mappings() -> None:
    records = list(
        screen_rows(
            [{"client": "Sanctioned Bank"}, {"client": ""}, {"client": "Jane Doe"}],
            FakeScreener(),
            Columns(name="client"),
        )
    )
    assert [(r.row, r.decision) for r in records] == [(1, "match"), (2, "error"), (3, "clear")]
    assert isinstance(records[0], BatchRecord)
    assert records[0].top_score == 0.95
    assert [(h.source, h.entry_id) for h in records[0].hits] == [(Source.OFAC, "36")]


def test_missing_name_column_lists_the_columns_and_leaves_no_output(tmp_path: Path) -> None:
    with pytest.raises(MissingColumnError) as caught:
        batch(tmp_path, b"id,country,notes\n1,RU,x\n")
    message = str(caught.value)
    assert "no name column: looked for name, full_name, fullname, party_name" in message
    assert message.endswith("available columns: 'id', 'country', 'notes'")
    assert caught.value.available == ["id", "country", "notes"]
    assert leftovers(tmp_path) == ["in.csv"]


def test_chosen_columns_match_case_insensitively_and_must_exist() -> None:
    header = ["CLIENT", "Kind", "Land", "born_on"]
    chosen = ColumnChoice(name="client", type="kind", country="LAND", birth_date="Born On")
    assert Columns.detect(header, chosen) == Columns("CLIENT", "Kind", "Land", "born_on")
    with pytest.raises(MissingColumnError, match="no type column 'category'; available"):
        Columns.detect(header, ColumnChoice(name="client", type="category"))


def test_jsonl_record_fields(tmp_path: Path) -> None:
    batch(tmp_path, b"name,country\nSanctioned Bank,RU\nJane Doe,GB\n")
    match, clear = jsonl(tmp_path / "out.jsonl")
    assert match == {
        "row": 1,
        "line": 2,
        "decision": "match",
        "top_score": 0.95,
        "hits": [
            {
                "source": "ofac",
                "entry_id": "36",
                "name": "SANCTIONED BANK",
                "matched_name": "SANCTIONED BANK",
                "schema": "organization",
                "score": 0.95,
                "decision": "match",
                "programs": ["RUSSIA-EO14024"],
                "also_listed": [],
            }
        ],
        "input": {"name": "Sanctioned Bank", "country": "RU"},
        "error": None,
    }
    assert clear["decision"] == "clear" and clear["hits"] == [] and clear["top_score"] is None


def test_threshold_sets_the_lowest_reported_score() -> None:
    assert thresholds_with_report(0.5) == Thresholds(match=0.9, review=0.75, report=0.5)
    # A score that is not reported cannot ask for review: review and match rise with it.
    assert thresholds_with_report(0.8) == Thresholds(match=0.9, review=0.8, report=0.8)
    assert thresholds_with_report(0.95, Thresholds(match=0.92, review=0.8, report=0.7)) == (
        Thresholds(match=0.95, review=0.95, report=0.95)
    )
    with pytest.raises(ValueError, match="not between 0 and 1"):
        BatchOptions(report_threshold=1.2)


def test_report_threshold_applies_to_the_screeners_own_thresholds(tmp_path: Path) -> None:
    source = write_rows(tmp_path / "in.csv", [["name"], ["Ivan Petrov"], ["Sanctioned Bank"]])
    screener = FakeScreener(Thresholds(match=0.93, review=0.7, report=0.6))
    run_batch(source, tmp_path / "out.jsonl", screener, BatchOptions(report_threshold=0.85))
    assert screener.used_thresholds[0] == Thresholds(match=0.93, review=0.85, report=0.85)
    assert [r["decision"] for r in jsonl(tmp_path / "out.jsonl")] == ["clear", "match"]


def test_cli_all_rows_screened_exits_0_with_summary(
    tmp_path: Path, fake_cli: list[FakeScreener]
) -> None:
    source = write_rows(tmp_path / "in.csv", [["Customer_Name"], ["Sanctioned Bank"], ["Jane"]])
    result = run_cli(source, "--out", tmp_path / "out.csv")
    assert result.exit_code == 0, result.output
    assert "2 rows: match 1, review 0, clear 1, error 0" in result.output
    assert "rows/s" in result.output and "elapsed" in result.output
    assert "lists: ofac_sdn version 7 (2024-05-03)" in result.output
    assert len(csv_rows(tmp_path / "out.csv")) == 3


def test_cli_row_errors_exit_4_and_every_row_is_written(
    tmp_path: Path, fake_cli: list[FakeScreener]
) -> None:
    source = write_rows(tmp_path / "in.csv", [["name", "type"], ["A", "ufo"], ["", "person"]])
    result = run_cli(source, "--out", tmp_path / "out.jsonl")
    assert result.exit_code == 4, result.output
    assert "error in row 1: unknown type 'ufo'" in result.output
    assert "error in row 2: empty name (column 'name')" in result.output
    assert [r["decision"] for r in jsonl(tmp_path / "out.jsonl")] == ["error", "error"]


def test_cli_missing_name_column_exits_1_without_output(
    tmp_path: Path, fake_cli: list[FakeScreener]
) -> None:
    source = write_rows(tmp_path / "in.csv", [["id", "Country"], ["1", "RU"]])
    result = run_cli(source, "--out", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert "no name column" in result.output
    assert "available columns: 'id', 'Country'" in result.output
    assert "(no output written)" in result.output
    assert "Traceback" not in result.output
    assert leftovers(tmp_path) == ["in.csv"]
    assert fake_cli == []  # the screener (a slow index load) is never opened


def test_cli_columns_given_by_name(tmp_path: Path, fake_cli: list[FakeScreener]) -> None:
    rows = [["Client", "Cat", "Land"], ["Sanctioned Bank", "Company", "Russia"]]
    source = write_rows(tmp_path / "in.csv", rows)
    out = tmp_path / "out.jsonl"
    args = ["--name-column", "client", "--type-column", "CAT", "--country-column", "Land"]
    result = run_cli(source, "--out", out, *args)
    assert result.exit_code == 0, result.output
    (query,) = fake_cli[0].queries
    assert (query.name, query.schema_, query.country) == (
        "Sanctioned Bank",
        Schema.ORGANIZATION,
        "Russia",
    )
    missing = run_cli(source, "--out", out, "--name-column", "client", "--dob-column", "born")
    assert missing.exit_code == 1
    assert "no birth date column 'born'; available columns: 'Client', 'Cat', 'Land'" in (
        missing.output
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--threshold", "1.5"], "1.5 is not in the range 0<=x<=1"),
        (["--threshold", "-0.1"], "-0.1 is not in the range 0<=x<=1"),
        (["--threshold", "high"], "'high' is not a valid float"),
        (["--out", "out.xlsx"], "must end in .csv or .jsonl"),
        (["--out", "in.csv"], "the output would overwrite the input"),
        ([], "Missing option '--out'"),
    ],
)
def test_cli_usage_errors_exit_2(
    tmp_path: Path,
    fake_cli: list[FakeScreener],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    write_rows(tmp_path / "in.csv", [["name"], ["a"]])
    if "--out" not in args and args:
        args = [*args, "--out", "out.csv"]
    result = run_cli("in.csv", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert leftovers(tmp_path) == ["in.csv"]


def test_cli_threshold_reaches_the_screener(tmp_path: Path, fake_cli: list[FakeScreener]) -> None:
    source = write_rows(tmp_path / "in.csv", [["name"], ["Ivan Petrov"]])
    result = run_cli(source, "--out", tmp_path / "out.jsonl", "--threshold", "0.85")
    assert result.exit_code == 0, result.output
    assert fake_cli[0].used_thresholds == [Thresholds(match=0.9, review=0.85, report=0.85)]
    assert jsonl(tmp_path / "out.jsonl")[0]["decision"] == "clear"  # the 0.80 hit is not reported


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "No such file or directory"), (b"PK\x03\x04zip", "ZIP archive")],
)
def test_cli_unreadable_input_exits_1(
    tmp_path: Path, fake_cli: list[FakeScreener], content: bytes | None, message: str
) -> None:
    source = tmp_path / "in.csv"
    if content is not None:
        source.write_bytes(content)
    result = run_cli(source, "--out", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out.csv").exists()


def test_cli_unreachable_database_exits_3(tmp_path: Path) -> None:
    source = write_rows(tmp_path / "in.csv", [["name"], ["a"]])
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    result = run_cli(source, "--out", tmp_path / "out.csv", "--db", url)
    assert result.exit_code == 3, result.output
    assert "database 'postgresql+psycopg://nobody:" in result.output
    assert "(no output written)" in result.output and "Traceback" not in result.output
    assert leftovers(tmp_path) == ["in.csv"]


def test_cli_empty_database_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = write_rows(tmp_path / "in.csv", [["name"], ["a"]])
    result = run_cli(source, "--out", tmp_path / "out.csv", "--db", f"sqlite:///{tmp_path}/t.db")
    assert result.exit_code == 1, result.output
    assert "no lists are loaded" in result.output
    assert not (tmp_path / "out.csv").exists()


E2E_ROWS = [
    ["name", "type", "country", "dob"],
    ["Korea Mining Development Trading Corporation", "company", "KP", ""],
    ["Gedo Hamdan Ahmed", "individual", "", ""],
    ["Abd al-Rahman Khalaf al-Anizi", "person", "Kuwait", ""],
    ["Jane Smith", "person", "GB", "1980-05-05"],
    ["Acme Bakery Ltd", "entity", "FR", ""],
    ["Maria Garcia Lopez", "person", "ES", "1975"],
]


def test_real_un_list_listed_names_hit_and_clean_names_clear(
    un_store: tuple[str, Path], tmp_path: Path
) -> None:
    url, index_dir = un_store
    source = write_rows(tmp_path / "in.csv", E2E_ROWS)
    screener = Screener.open(url, index_dir=index_dir)
    summary = run_batch(source, tmp_path / "out.jsonl", screener)
    records = jsonl(tmp_path / "out.jsonl")
    listed = {
        1: "690735",  # KPe.001, entity
        2: "6909526",  # SDi.007
        3: "6908399",  # QDi.335 (a.k.a. ‘Abd al-Rahman Khalaf al-Anizi)
    }
    for row, entry_id in listed.items():
        record = records[row - 1]
        assert record["decision"] in ("match", "review"), record
        top = record["hits"][0]
        assert (top["source"], top["entry_id"]) == ("un", entry_id)
    assert records[0]["hits"][0]["name"] == "KOREA MINING DEVELOPMENT TRADING CORPORATION"
    assert [r["decision"] for r in records[3:]] == ["clear", "clear", "clear"]
    assert summary.error == 0
    assert [(v.source, v.published_on) for v in summary.list_versions] == [
        (Source.UN, dt.date(2026, 5, 8))
    ]


def test_real_un_list_through_the_cli(
    un_store: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = un_store
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the index goes here
    rows = [*E2E_ROWS, ["John Doe", "person", "Narnia", ""]]
    source = write_rows(tmp_path / "in.csv", rows, delimiter=";", encoding="cp1252")
    result = run_cli(source, "--out", tmp_path / "out.csv", "--db", url)
    assert result.exit_code == 4, result.output  # Narnia is no country: that row is an error
    assert "7 rows: match " in result.output and ", clear 3, error 1" in result.output
    assert "error in row 7: unknown country 'Narnia'" in result.output
    body = csv_rows(tmp_path / "out.csv", ";")[1:]
    assert {row[4] for row in body[:3]} <= {"match", "review"}
    assert [row[4] for row in body[3:]] == ["clear"] * 3 + ["error"]
    assert body[1][7].startswith("un_sc:6909526 GEDO HAMDAN AHMED (")
