"""A store for the workflow crash tests: the UN list loaded, and a customer book of listed and
unlisted names, so that re-screenings and recorded screenings open alerts.

Prepared in-process (the code `lists load` and `customers register` run) once per session on
SQLite and copied for each test; on PostgreSQL, whose test database is emptied before each test,
prepared each time.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from lxml import etree

from screening.store import ListStore
from screening.store.update import load_path
from screening.workflow.recorder import Recorder
from screening.workflow.rescreen import register_customers_csv
from tests.conftest import SHARED_LISTS

UN_FILE = SHARED_LISTS / "un" / "consolidated.xml"
# Enough customers that recording takes a good part of a re-screening (start-up is ~3 s).
LISTED = 50  # customers named as an individual of the UN list
UNLISTED = [
    "John Smith",
    "Maria Garcia Lopez",
    "Acme Trading LLC",
    "Chen Wei",
    "Olga Petrova",
    "Nordic Shipping AS",
    "Ahmed Hassan",
    "Jean-Pierre Martin",
    "Sunrise Holdings Ltd",
    "Anna Kowalska",
]
VARIANTS = ["", "Senior", "Junior", "Group", "Partners", "Trust", "Holdings", "II", "III", "IV"]


def listed_names(count: int = LISTED) -> list[str]:
    """The first `count` UN individuals' names, read with lxml (not the adapter)."""
    tree = etree.parse(str(UN_FILE))
    names = []
    for individual in tree.iterfind(".//INDIVIDUALS/INDIVIDUAL"):
        parts = [individual.findtext(tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME")]
        names.append(" ".join(p.strip() for p in parts if p and p.strip()))
        if len(names) == count:
            break
    return names


def customer_names() -> list[str]:
    """LISTED listed names, and ten variants of each unlisted one (100)."""
    unlisted = [f"{name} {variant}".strip() for name in UNLISTED for variant in VARIANTS]
    return listed_names() + unlisted


def write_customers(path: Path) -> int:
    """A customer CSV of every name in `customer_names`; returns how many rows it has."""
    names = customer_names()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_ref", "name"])
        writer.writerows([f"C{number:03}", name] for number, name in enumerate(names, start=1))
    return len(names)


def prepare(db_url: str, book: Path) -> int:
    """Load the UN list and register the customer book; returns the number of customers."""
    customers = write_customers(book)
    store = ListStore(db_url)
    try:
        load_path(store, UN_FILE)
        report = register_customers_csv(Recorder(store), book)
    finally:
        store.engine.dispose()
    assert (report.added, report.errors) == (customers, []), report
    return customers


def prepared(db_url: str, template: Path, book: Path) -> int:
    """A prepared store at `db_url`: a copy of the SQLite `template`, or prepared afresh."""
    if not db_url.startswith("sqlite:///"):
        return prepare(db_url, book)
    source = sqlite3.connect(template)
    target = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    try:
        source.backup(target)  # one consistent file, whatever the template's log still held
    finally:
        source.close()
        target.close()
    return len(customer_names())


def write_transactions(path: Path, rows: int) -> Path:
    """`rows` transactions to unlisted companies in a hub with a CHPL code (they all screen)."""
    lines = ["tx_id,amount,currency,beneficiary_name,beneficiary_country,hs_codes"]
    lines += [f"T{i},100.00,USD,Company Number{i} LLC,AE,854231" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
