"""What the payment interface tests share (not a test module): the real samples, the edits
that inject a sanctions case into them, and one store of the real lists per test session.

The injected cases edit a real sample with a plain string replacement, so every case is the
real message with one thing changed; each edit checks that its target text is in the sample,
so a changed sample fails loudly instead of testing an unchanged message.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable
from pathlib import Path

import pytest

from lists import open_list
from screening.matching.screener import Screener
from screening.store import ListStore
from tests.conftest import SHARED_LISTS

PAYMENTS = SHARED_LISTS.parent / "payments"
MX = PAYMENTS / "mx"
MT = PAYMENTS / "mt"
PACS008 = MX / "cbpr_p.2.1.2_pacs.008.001.12_AtoB_intrmyagt.xml"
MT103 = MT / "mt103_p.2.1.2_AtoB_50F_56A_57A_59F_70.fin"

UN_LISTED = "PAUL MALONG AWAN ANEI"  # un/consolidated.xml, DATAID 6908714
UN_LISTED_ID = "6908714"
# Amsterdam Trade Bank: sdn.csv entry 34705, remarks "SWIFT/BIC ATBANL2A".
LISTED_BIC = "ATBANL2AXXX"
SDN_BANK_ID = "34705"

FULL_LISTS = ("ofac/sdn.csv", "uk/ConList.xlsx", "un/consolidated.xml")


def replaced(text: str, old: str, new: str) -> str:
    assert old in text, f"the sample no longer holds {old!r}"
    return text.replace(old, new)


def sample_text(path: Path) -> str:
    # newline="": MT samples keep their CRLF line ends.
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


# Each case: (rule expected, decision expected, edit of the pacs.008, edit of the MT103).
Edit = Callable[[str], str]
CASES: dict[str, tuple[str, str, Edit, Edit]] = {
    "listed creditor": (
        "PARTY_SANCTIONS_HIT",
        "block",
        lambda x: replaced(x, "<Nm>US Engines</Nm>", f"<Nm>{UN_LISTED}</Nm>"),
        lambda m: replaced(m, "1/US Engines", f"1/{UN_LISTED}"),
    ),
    "listed BIC, 11 characters": (
        "AGENT_SANCTIONS_HIT",
        "block",
        lambda x: replaced(x, "<BICFI>HNBAUS51XXX</BICFI>", f"<BICFI>{LISTED_BIC}</BICFI>"),
        lambda m: replaced(m, ":57A:HNBAUS51XXX", f":57A:{LISTED_BIC}"),
    ),
    "occupied-region address": (
        "SANCTIONED_JURISDICTION",
        "block",
        lambda x: replaced(
            x,
            "<TwnNm>Casper WY</TwnNm>\n\t\t\t\t\t\t<Ctry>US</Ctry>",
            "<TwnNm>Sevastopol</TwnNm>\n\t\t\t\t\t\t<Ctry>UA</Ctry>",
        ),
        lambda m: replaced(m, "3/US/Casper WY", "3/UA/Sevastopol"),
    ),
    "listed name in remittance text": (
        "TEXT_SANCTIONS_HIT",
        "block",
        lambda x: replaced(
            x,
            "</CdtrAcct>",
            f"</CdtrAcct>\n<RmtInf><Ustrd>INVOICE 7 FOR {UN_LISTED}</Ustrd></RmtInf>",
        ),
        lambda m: replaced(m, ":70:/ROC/E2E04044506271305", f":70:INVOICE 7 FOR {UN_LISTED}"),
    ),
    "stripped originator": (
        "PAYMENT_TRANSPARENCY",
        "review",
        lambda x: replaced(x, "<Nm>GB Engineering </Nm>", ""),
        lambda m: replaced(
            m, ":50F:/96325874\r\n1/GB Engineering \r\n2/Industrial Park\r\n3/GB/Cambridge\r\n", ""
        ),
    ),
}

XXE = '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
# Bad input: (edit of the pacs.008 or None, edit of the MT103 or None).
BAD: dict[str, tuple[Edit | None, Edit | None]] = {
    "truncated XML": (lambda x: x[: len(x) // 2], None),
    "unknown message type": (
        lambda x: replaced(x, "pacs.008.001.12", "camt.053.001.08"),
        lambda m: replaced(m, "{2:O103", "{2:O999"),
    ),
    "MT without block 4": (None, lambda m: m[: m.index("{4:")]),
    "broken field tag": (None, lambda m: replaced(m, ":59F:/254178963", ":5#F/254178963")),
    "XXE attempt": (
        lambda x: XXE + replaced(x, "<Nm>US Engines</Nm>", "<Nm>&xxe;</Nm>").split("?>", 1)[-1],
        None,
    ),
}


def full_lists_store(factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """(database URL, index folder) of a store holding OFAC SDN, UK OFSI and UN, built once
    per test session (under its base temporary folder) and shared by the modules that ask."""
    root = factory.getbasetemp() / "payments-full-lists"
    root.mkdir(exist_ok=True)
    url, index = f"sqlite:///{root / 'lists.db'}", root / "index"
    with (root / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "ready").exists():
            store = ListStore(url)
            for relative in FULL_LISTS:
                store.load(open_list(SHARED_LISTS / relative))
            Screener(store, index_dir=index)  # builds and caches the index
            store.engine.dispose()
            (root / "ready").touch()
    return url, index
