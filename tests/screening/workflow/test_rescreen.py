"""Re-screening a customer book on the real UN list versions 2026-02-27 and 2026-05-08, and the
alerts / customers / rescreen commands.

PROVENANCE.md: 2026-02-27 -> 2026-05-08 adds 7 DATAIDs and removes 1. Entries used below:
6908489 AKHMED RAJAPOVICH CHATAEV and 6907993 ERIC BADEGE are the same in both versions;
110554 ABDUL LATIF MANSUR changed (addresses, birth dates, identifiers, remarks); 6909560
MATEO ANDRES DUQUE BOTERO is one of the 7 added.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from lists import open_list
from screening import Screener
from screening.matching.results import Decision, Query, ScreeningResult, Thresholds
from screening.store import ListStore, diff_versions
from screening.workflow.recorder import AlertInfo, AlertStatus, Disposition, Recorder
from screening.workflow.rescreen import (
    CustomerFileError,
    record_batch,
    register_customers_csv,
    rescreen,
)

BOOK = """customer_ref,name,type,country,dob
C1,Akhmed Rajapovich Chataev,person,,
C2,Abdul Latif Mansur,person,,
C3,Mateo Andres Duque Botero,person,,
C4,Eric Badege,person,,
C5,Maria Schmidt,person,DE,1980-01-01
C6,Acme Widgets Ltd,organization,GB,
"""
UNCHANGED = {"C1": "6908489", "C4": "6907993"}
CHANGED = ("C2", "110554")
ADDED = ("C3", "6909560")


@pytest.fixture(autouse=True)
def _index_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COALITION_INDEX_DIR", str(tmp_path / "index"))


def _pairs(alerts: list[AlertInfo]) -> set[tuple[str | None, str]]:
    return {(a.customer_ref, a.entry_id) for a in alerts}


def test_rescreen_alerts_only_on_added_and_changed_entries(
    db_url: str, shared_lists: Path, tmp_path: Path
) -> None:
    store = ListStore(db_url)
    un = shared_lists / "un"
    february = store.load(open_list(un / "history" / "2026-02-27" / "consolidated.xml")).version
    recorder = Recorder(store)
    book = tmp_path / "book.csv"
    book.write_text(BOOK)
    registered = register_customers_csv(recorder, book)
    assert (registered.added, registered.updated, registered.errors) == (6, 0, [])
    screener = Screener(store, index_dir=tmp_path / "index")

    first = rescreen(screener, recorder, requested_by="nightly")
    assert (first.mode, first.changed_entries, first.customers, first.screenings) == (
        "full",
        {"un_sc": None},
        6,
        6,
    )
    opened = recorder.alerts()
    assert {("C1", "6908489"), ("C2", "110554"), ("C4", "6907993")} <= _pairs(opened)
    assert not {a.customer_ref for a in opened} & {"C3", "C5", "C6"}
    assert first.new_alerts == len(opened) and first.suppressed == 0

    # an analyst clears C1 and C2; a later screening of C1 is suppressed, still listed
    for customer, entry in (("C1", "6908489"), CHANGED):
        [alert] = [a for a in opened if (a.customer_ref, a.entry_id) == (customer, entry)]
        recorder.decide(alert.id, Disposition.FALSE_POSITIVE, reason="not them", analyst="ana")
    single = screener.screen("Akhmed Rajapovich Chataev", type="person")
    recorded = recorder.record_screening(single, customer_ref="C1", requested_by="kyc")
    chataev = [a for a in recorded.alerts if a.entry_id == "6908489"]
    assert [a.status for a in chataev] == [AlertStatus.SUPPRESSED]
    assert chataev[0].id in {a.id for a in recorder.alerts(status=AlertStatus.SUPPRESSED)}

    may = store.load(open_list(un / "consolidated.xml")).version
    diff = diff_versions(store, "un", february.id, may.id)
    assert (len(diff.added), len(diff.removed)) == (7, 1)
    changed = {*diff.added, *diff.changed}
    assert CHANGED[1] in diff.changed and ADDED[1] in diff.added
    assert not set(UNCHANGED.values()) & changed
    before = {a.id for a in recorder.alerts(limit=10_000)}

    second = rescreen(screener, recorder, requested_by="nightly")
    assert second.mode == "incremental"
    assert second.changed_entries == {"un_sc": len(changed)}
    assert second.list_versions == [may.id] and second.screenings == 6
    new = [a for a in recorder.alerts(limit=10_000) if a.id not in before]
    assert new and all(a.entry_id in changed for a in new)
    assert not {a.customer_ref for a in new} & {"C1", "C4", "C5", "C6"}
    by_pair = {(a.customer_ref, a.entry_id): a for a in new}
    # the changed entry alerts again despite the false positive; the added one alerts at all
    assert by_pair[CHANGED].status is AlertStatus.OPEN
    assert by_pair[ADDED].status is AlertStatus.OPEN
    assert second.new_alerts == len(new)
    assert recorder.last_run("rescreen") == (second.run_id, [may.id])

    third = rescreen(screener, recorder, requested_by="nightly")
    assert (third.mode, third.changed_entries, third.screenings, third.new_alerts) == (
        "incremental",
        {"un_sc": 0},
        0,
        0,
    )

    full = rescreen(screener, recorder, full=True, requested_by="audit")
    assert full.mode == "full" and full.changed_entries == {"un_sc": None}
    latest = [a for a in recorder.alerts(limit=10_000) if a.id > max(a.id for a in new)]
    statuses = {(a.customer_ref, a.entry_id): a.status for a in latest}
    assert statuses[("C1", "6908489")] is AlertStatus.SUPPRESSED  # unchanged, cleared
    assert statuses[("C4", "6907993")] is AlertStatus.OPEN  # unchanged, never decided
    assert statuses[CHANGED] is AlertStatus.OPEN  # the clearance was for the old entry
    assert full.suppressed >= 1 and full.new_alerts == len(latest)


def test_register_customers_updates_by_reference_and_reports_bad_rows(
    tmp_path: Path, db_url: str
) -> None:
    recorder = Recorder(ListStore(db_url))
    first = tmp_path / "first.csv"
    first.write_text("customer_ref;name;type\nC1;Ivan Petrov;person\nC2;Olga;individual\n")
    assert register_customers_csv(recorder, first).added == 2
    second = tmp_path / "second.csv"
    second.write_text(
        "Customer ID,Full Name,Country,DOB\n"
        "C1,Ivan Petrovich,RU,1960\n"
        ",No Reference,,\n"
        "C3,,,\n"
        "C4,Someone,Atlantis,\n"
        "C5,Someone Else,,31/31/1990\n"
    )
    report = register_customers_csv(recorder, second)
    assert (report.added, report.updated) == (0, 1)
    assert [e.split(": ", 2)[1:] for e in report.errors] == [
        ["line 3", "empty customer_ref"],
        ["line 4", "C3: empty name"],
        ["line 5", "C4: unknown country 'Atlantis'"],
        ["line 6", "C5: unreadable birth date '31/31/1990'"],
    ]
    customers = {c.customer_ref: c for c in recorder.customers()}
    assert set(customers) == {"C1", "C2"}
    assert (customers["C1"].name, customers["C1"].country, customers["C1"].birth_date) == (
        "Ivan Petrovich",
        "RU",
        "1960",
    )
    assert customers["C1"].registered_from == "csv" and customers["C2"].schema_ == "person"
    no_ref = tmp_path / "no_ref.csv"
    no_ref.write_text("name,country\nIvan,RU\n")
    with pytest.raises(CustomerFileError, match="no customer reference column"):
        register_customers_csv(recorder, no_ref)


def test_alert_commands(tmp_path: Path, shared_lists: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(main, [*args, "--db", db])
        assert "Traceback" not in result.output
        return result.exit_code, result.output

    code, output = run("rescreen")
    assert code == 1 and "no lists are loaded" in output
    assert run("lists", "load", str(shared_lists / "un" / "consolidated.xml"))[0] == 0
    book = tmp_path / "book.csv"
    book.write_text(BOOK + "C7,Nobody,spaceship,,\n")
    code, output = run("customers", "register", str(book))
    assert code == 4 and "6 added, 0 updated, 1 skipped" in output and "spaceship" in output
    code, output = run("customers", "register", str(tmp_path / "missing.csv"))
    assert code == 1 and "missing.csv" in output

    code, output = run("rescreen", "--json")
    assert code == 0, output
    counts = json.loads(output)
    assert (counts["mode"], counts["customers"], counts["screenings"]) == ("full", 6, 6)

    code, output = run("alerts", "list", "--json", "--customer", "C2")
    assert code == 0
    [alert] = [a for a in map(json.loads, output.splitlines()) if a["entry_id"] == CHANGED[1]]
    assert alert["status"] == "open"
    alert_id = str(alert["id"])
    code, output = run("alerts", "show", alert_id)
    assert code == 0 and "un_sc:110554 ABDUL LATIF MANSUR" in output and "decisions 0" in output

    code, output = run(
        "alerts", "decide", alert_id, "--disposition", "false_positive",
        "--reason", "=HYPERLINK(\"http://x\")", "--analyst", "ana",
    )  # fmt: skip
    assert code == 0 and f"alert {alert_id} false_positive by ana" in output
    code, output = run(
        "alerts", "decide", alert_id, "--disposition", "escalated", "--reason", "check",
        "--analyst", "bo",
    )  # fmt: skip
    assert code == 0
    code, output = run("alerts", "show", alert_id, "--json")
    detail = json.loads(output)
    assert [d["disposition"] for d in detail["decisions"]] == ["false_positive", "escalated"]
    assert detail["status"] == "decided" and detail["hit"]["explanation"]["tokens"]
    code, output = run("alerts", "show", alert_id)
    assert code == 0 and "escalated by bo: check [final]" in output
    code, output = run("alerts", "list", "--status", "decided")
    assert code == 0 and output.startswith(f"{alert_id}\tdecided\tC2\tun_sc:110554")

    # bad input: exit 1 with a message, or 2 for usage, never a traceback
    code, output = run("alerts", "decide", "99999", "--disposition", "escalated",
                       "--reason", "x", "--analyst", "y")  # fmt: skip
    assert code == 1 and "no alert 99999" in output
    code, output = run("alerts", "decide", alert_id, "--disposition", "escalated",
                       "--reason", " ", "--analyst", "y")  # fmt: skip
    assert code == 1 and "needs a reason" in output
    code, output = run("alerts", "decide", alert_id, "--disposition", "cleared",
                       "--reason", "x", "--analyst", "y")  # fmt: skip
    assert code == 2 and "cleared" in output
    code, output = run("alerts", "show", "99999")
    assert code == 1 and "no alert 99999" in output
    code, output = run("alerts", "list", "--status", "closed")
    assert code == 2

    out_csv = tmp_path / "decisions.csv"
    code, output = run("alerts", "export", "--out", str(out_csv))
    assert code == 0 and "2 decisions written" in output
    with out_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["disposition"] for r in rows] == ["false_positive", "escalated"]
    assert rows[0]["reason"] == '\'=HYPERLINK("http://x")'  # shown as text, never run
    assert rows[0]["entry_id"] == "110554" and rows[0]["analyst"] == "ana"
    out_jsonl = tmp_path / "decisions.jsonl"
    assert run("alerts", "export", "--out", str(out_jsonl))[0] == 0
    exported = [json.loads(line) for line in out_jsonl.read_text().splitlines()]
    assert exported[0]["reason"] == '=HYPERLINK("http://x")'
    code, output = run("alerts", "export", "--out", str(tmp_path / "decisions.xlsx"))
    assert code == 2 and ".csv or .jsonl" in output

    code, output = run("screen-record", "Abdul Latif Mansur", "--customer", "C2", "--json")
    assert code == 0, output
    recorded = json.loads(output)
    # the last word on the pair was "escalated", so there is no standing clearance
    assert [a["status"] for a in recorded["alerts"] if a["entry_id"] == "110554"] == ["open"]
    code, output = run("rescreen")
    assert code == 0 and "(incremental)" in output and "un_sc 0" in output

    batch = tmp_path / "batch.csv"
    batch.write_text("customer_ref,name\nC8,Eric Badege\nC9,\n")
    code, output = run("batch-record", str(batch), "--json")
    assert code == 4 and "line 3: empty name" in output
    counts = json.loads(output.splitlines()[0])
    assert (counts["rows"], counts["screened"], counts["errors"]) == (2, 1, 1)
    code, output = run("alerts", "list", "--customer", "C8")
    assert code == 0 and "\topen\tC8\tun_sc:6907993\tERIC BADEGE\t" in output
    code, output = run("batch-record", str(tmp_path / "missing.csv"))
    assert code == 1 and "missing.csv" in output


class _FailsOnSecondRow:
    """Clear for the first query; then the database "goes away" (not the row's fault)."""

    def __init__(self) -> None:
        self.calls = 0

    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        self.calls += 1
        if self.calls == 2:
            raise RuntimeError("database went away")
        return ScreeningResult(
            query=query, decision=Decision.CLEAR, hits=[], list_versions=[], thresholds=Thresholds()
        )


def test_blank_rows_are_counted_not_registered(tmp_path: Path, db_url: str) -> None:
    book = tmp_path / "book.csv"
    book.write_text("customer_ref,name\nC1,Ivan Petrov\n\n,\nC2,Olga\n")
    report = register_customers_csv(Recorder(ListStore(db_url)), book)
    assert (report.added, report.blank, report.errors) == (2, 2, [])


def test_a_recorded_batch_that_fails_leaves_its_run_unfinished(tmp_path: Path, db_url: str) -> None:
    recorder = Recorder(ListStore(db_url))
    path = tmp_path / "batch.csv"
    path.write_text("customer_ref,name\nC1,Ivan Petrov\n\nC2,Olga\nC3,Ann\n")
    screener = _FailsOnSecondRow()
    with pytest.raises(RuntimeError, match="database went away"):
        record_batch(recorder, screener, path, requested_by="ops")
    assert screener.calls == 2  # the run stopped at the failing row
    assert recorder.last_run("batch") is None  # started, never finished


def test_an_interrupted_rescreen_is_resumed_not_repeated(
    db_url: str, shared_lists: Path, tmp_path: Path
) -> None:
    """A run killed part-way (started, never finished) is continued by the next re-screening:
    the customers it screened are not screened, nor alerted, a second time (tests/crash has the
    same with a real SIGKILL)."""
    store = ListStore(db_url)
    store.load(open_list(shared_lists / "un" / "history" / "2026-02-27" / "consolidated.xml"))
    recorder = Recorder(store)
    book = tmp_path / "book.csv"
    book.write_text(BOOK)
    register_customers_csv(recorder, book)
    screener = Screener(store, index_dir=tmp_path / "index")
    screener.refresh()
    # What a killed run leaves: its run row, and the screenings of the first two customers.
    killed = recorder.start_run("rescreen", input_name="customer book", requested_by="nightly")
    for customer in recorder.customers()[:2]:
        result = screener.screen_query(customer.query())
        recorder.record_screening(
            result, customer_ref=customer.customer_ref, requested_by="nightly", run_id=killed
        )
    before = len(recorder.alerts())
    assert before == 2  # C1 (6908489) and C2 (110554): both listed in February

    resumed = rescreen(screener, recorder, requested_by="nightly")
    assert (resumed.run_id, resumed.resumed, resumed.screenings) == (killed, 2, 4)
    assert "resumed an interrupted run: 2 customers" in "\n".join(resumed.report_lines())
    alerts = recorder.alerts()
    assert len(_pairs(alerts)) == len(alerts) == before + resumed.new_alerts
    assert recorder.last_run("rescreen") is not None  # the resumed run is now finished
    assert recorder.interrupted_run("rescreen") is None
