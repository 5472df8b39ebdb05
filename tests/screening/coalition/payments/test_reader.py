"""Format detection (`screening.coalition.payments.reader`) on every shared sample and on
content that is not a payment message.

The transaction counts are measured independently of the readers: with lxml, the number of
``CdtTrfTxInf`` elements of each ISO 20022 file (one each, 23 files); for MT, the number of
``{1:F01`` basic headers of user messages (the ``{1:F21`` ACK blocks of the RJE files are not
messages): 1 per .fin file (16 files), 3 and 13 in the two RJE files. 55 in all.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from screening.coalition.payments import MessageTransaction, iso20022, reader, swift_mt
from screening.coalition.payments.reader import (
    UNKNOWN_FORMAT,
    detect,
    read_payment_bytes,
    read_payments,
)
from tests.screening.coalition.payments.support import MT, MT103, MX, PACS008, PAYMENTS

RJE_MESSAGES = {
    "prowide_MT103-bulk-with-ack_field433.rje": 3,
    "prowide_MT103-out-ack_bulk.rje": 13,
}
MX_FILES = sorted(MX.glob("*.xml"))
MT_FILES = sorted(MT.iterdir())


def test_the_sample_folders_hold_what_the_counts_assume() -> None:
    assert (len(MX_FILES), len(MT_FILES)) == (23, 18)


@pytest.mark.parametrize("path", MX_FILES, ids=lambda p: p.name)
def test_every_iso20022_sample_is_detected_and_read(path: Path) -> None:
    assert detect(path.read_bytes()[:4096].lstrip()) is iso20022
    items = list(read_payments(path))
    assert [(i.index, i.error) for i in items] == [(0, None)]
    assert items[0].message_type is not None
    assert items[0].message_type.split(".")[0] in ("pacs", "pain")


@pytest.mark.parametrize("path", MT_FILES, ids=lambda p: p.name)
def test_every_mt_sample_is_detected_and_read(path: Path) -> None:
    assert detect(path.read_bytes()[:4096]) is swift_mt
    items = list(read_payments(path))
    expected = RJE_MESSAGES.get(path.name, 1)
    assert [(i.index, i.error) for i in items] == [(n, None) for n in range(expected)]
    assert all(i.message_type and i.message_type.startswith("MT") for i in items)


def _ids(items: Iterator[MessageTransaction]) -> list[tuple[object, ...]]:
    return [(i.index, i.message_type, i.msg_id, i.tx_id, i.error, i.transaction) for i in items]


@pytest.mark.parametrize("path", [PACS008, MT103], ids=lambda p: p.name)
@pytest.mark.parametrize(
    "prefix", [codecs.BOM_UTF8, b"\r\n\n  \t", codecs.BOM_UTF8 + b"\n\n"], ids=repr
)
def test_byte_order_mark_and_leading_whitespace_are_skipped(path: Path, prefix: bytes) -> None:
    original = _ids(read_payments(path))
    assert original[0][4] is None
    assert _ids(read_payment_bytes(prefix + path.read_bytes(), str(path))) == original


def test_bytes_and_file_read_the_same(tmp_path: Path) -> None:
    data = PACS008.read_bytes()
    copy = tmp_path / "copy"
    copy.write_bytes(data)
    assert _ids(read_payments(copy, "x")) == _ids(read_payment_bytes(data, "x"))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "m: the file is empty"),
        (b" \r\n\t\n", "m: the file is empty"),
        (codecs.BOM_UTF8, "m: the file is empty"),
        (b"tx_id,amount\nT-1,10\n", f"m: {UNKNOWN_FORMAT}"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", f"m: {UNKNOWN_FORMAT}"),
        (b'<?xml version="1.0"?><html><body>hi</body></html>', f"m: {UNKNOWN_FORMAT}"),
        (
            codecs.BOM_UTF16_LE + "{1:F01AAAAUS33AXXX0000000000}".encode("utf-16-le"),
            "m: UTF-16 text; payment messages must be UTF-8",
        ),
        (codecs.BOM_UTF32_LE + "<a/>".encode("utf-32-le"), "m: UTF-32 text"),
    ],
)
def test_content_that_is_no_payment_message_is_one_error_record(data: bytes, reason: str) -> None:
    (item,) = read_payment_bytes(data, "m")
    assert item.transaction is None
    assert item.index == 0
    assert item.error is not None and item.error.startswith(reason)


def test_an_xml_schema_is_not_a_payment_message() -> None:
    # A real ISO 20022 file, but the schema of pacs.008, not a message: it names the message
    # namespace, so the ISO 20022 reader takes it and finds no Document in it.
    schema = PAYMENTS / "xsd" / "pacs.008.001.08.xsd"
    (item,) = read_payments(schema)
    assert item.transaction is None
    assert item.error == f"{schema}: no ISO 20022 Document in the file"


def test_a_missing_file_is_an_error_record(tmp_path: Path) -> None:
    (item,) = read_payments(tmp_path / "gone.xml", "gone.xml")
    assert item.error == "gone.xml: cannot be read: No such file or directory"


def test_a_reader_that_breaks_ends_its_file_with_an_error_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Breaking:
        FORMAT = "broken"

        @staticmethod
        def sniff(head: bytes) -> bool:
            return head.startswith(b"BROKEN")

        @staticmethod
        def read(stream: BinaryIO, name: str) -> Iterator[MessageTransaction]:
            assert stream.read(6) == b"BROKEN"  # the stream starts at the content
            yield MessageTransaction(0, "X1", "m", "t", None, "first is fine")
            raise RuntimeError("bug\nsecond line")

    monkeypatch.setattr(reader, "FORMATS", (Breaking(), *reader.FORMATS))
    items = list(read_payment_bytes(b"\n BROKEN rest", "f"))
    assert [i.error for i in items] == [
        "first is fine",
        "f: broken reading stopped after 1 transaction(s): RuntimeError: bug",
    ]
    assert items[1].index == 1
