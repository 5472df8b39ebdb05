"""Line-by-line decoding and CSV records with line numbers (`lists.textio`)."""

from __future__ import annotations

import codecs
import csv
import re
from pathlib import Path

import pytest

from lists import open_list
from lists.errors import ListReadError
from lists.textio import MAX_CELL, csv_records, decoded_lines, utf8_or

NAMES = "name,city\nPetrov,Zürich\n"


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "list.csv"
    path.write_bytes(data)
    return path


def _lines(path: Path, encoding: str) -> list[str]:
    with path.open("rb") as handle:
        return list(decoded_lines(path, handle, encoding))


def test_utf8_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = _write(tmp_path, codecs.BOM_UTF8 + NAMES.encode("utf-8"))
    assert _lines(path, "utf-8") == ["name,city\n", "Petrov,Zürich\n"]
    # The mark is never data, whichever encoding the file is read in.
    assert _lines(path, "cp1252")[0] == "name,city\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_is_refused_on_line_1(tmp_path: Path, encoding: str) -> None:
    mark = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    path = _write(tmp_path, mark + NAMES.encode(encoding))
    with pytest.raises(ListReadError) as caught:
        _lines(path, "utf-8")
    assert caught.value.line == 1
    assert "the file is UTF-16 encoded; expected UTF-8 text" in caught.value.message


def test_invalid_byte_names_its_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, b"name,city\nPetrov,Moscow\nM\xe9an,Paris\n")
    with pytest.raises(ListReadError) as caught:
        _lines(path, "utf-8")
    assert str(caught.value) == (
        f"{path}:3: not valid UTF-8 text: byte 0xe9 at column 2; wrong encoding or damaged file"
    )


def test_byte_undefined_in_cp1252_is_refused_with_the_callers_hint(tmp_path: Path) -> None:
    path = _write(tmp_path, b"name\nCASA \x81\n")
    with path.open("rb") as handle, pytest.raises(ListReadError) as caught:
        list(decoded_lines(path, handle, "cp1252", hint="OFAC writes cp1252"))
    assert caught.value.line == 2
    assert caught.value.message == (
        "not valid cp1252 (Windows-1252) text: byte 0x81 at column 6; OFAC writes cp1252"
    )


def test_cp1252_fallback_only_when_the_whole_file_is_not_utf8(tmp_path: Path) -> None:
    utf8 = _write(tmp_path, NAMES.encode("utf-8"))
    assert utf8_or(utf8, "cp1252") == "utf-8"
    # One cp1252 byte far past the first chunk still selects the fallback for the whole file.
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes(b"a,b\n" * 400_000 + "Zürich\n".encode("cp1252"))
    assert utf8_or(legacy, "cp1252") == "cp1252"
    assert _lines(legacy, "cp1252")[-1] == "Zürich\n"


def test_csv_records_give_the_line_each_record_starts_on(tmp_path: Path) -> None:
    path = _write(tmp_path, b'id,text\n1,"two\nlines"\n\n2,last\n')
    assert list(csv_records(path, "utf-8")) == [
        (1, ["id", "text"]),
        (2, ["1", "two\nlines"]),
        (4, []),
        (5, ["2", "last"]),
    ]


def test_quote_left_open_is_malformed_at_the_record_start(tmp_path: Path) -> None:
    path = _write(tmp_path, b'id,text\n1,ok\n2,"cut\nin the middle\n')
    with pytest.raises(ListReadError) as caught:
        list(csv_records(path, "utf-8"))
    assert caught.value.line == 3
    assert caught.value.message.startswith("malformed CSV (")


def test_cell_size_is_capped_without_touching_the_process_limit(tmp_path: Path) -> None:
    limit = csv.field_size_limit()
    path = _write(tmp_path, b"id,text\n1,ok\n2," + b"x" * (MAX_CELL + 1) + b"\n")
    csv.field_size_limit(10 * MAX_CELL)  # as if some other reader had raised it
    try:
        with pytest.raises(ListReadError) as caught:
            list(csv_records(path, "utf-8"))
        assert csv.field_size_limit() == 10 * MAX_CELL
    finally:
        csv.field_size_limit(limit)
    assert caught.value.line == 3
    assert f"longer than {MAX_CELL:,} characters" in caught.value.message
    # At the default process limit the csv module refuses first; the message is the same.
    with pytest.raises(ListReadError) as default:
        list(csv_records(path, "utf-8"))
    assert (default.value.line, default.value.message) == (3, caught.value.message)
    assert csv.field_size_limit() == limit


def test_a_cell_of_exactly_the_cap_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path, b"1," + b"x" * MAX_CELL + b"\n")
    ((line, cells),) = list(csv_records(path, "utf-8"))
    assert line == 1 and len(cells[1]) == MAX_CELL


def test_missing_file_is_a_list_read_error(tmp_path: Path) -> None:
    with pytest.raises(ListReadError, match="cannot read"):
        list(csv_records(tmp_path / "absent.csv", "utf-8"))


# --- control characters --------------------------------------------------------------------------


@pytest.mark.parametrize("control", [b"\x00", b"\x01", b"\x07", b"\x0b", b"\x0c", b"\x1b", b"\x1f"])
def test_c0_control_in_a_cell_is_refused_with_line_and_column(
    tmp_path: Path, control: bytes
) -> None:
    path = _write(tmp_path, b"name,city\nPetrov,Moscow\nIva" + control + b"nov,Minsk\n")
    with pytest.raises(ListReadError) as caught:
        list(csv_records(path, "utf-8"))
    assert caught.value.line == 3
    what = "a NUL byte" if control == b"\x00" else f"a control character (0x{control[0]:02x})"
    assert caught.value.message == f"{what} at column 4: a damaged file or not a text list"


def test_control_in_a_cell_spanning_lines_names_its_physical_line(tmp_path: Path) -> None:
    path = _write(tmp_path, b'id,text\n1,"first line\nsecond\x00line"\n')
    with pytest.raises(ListReadError) as caught:
        list(csv_records(path, "utf-8"))
    assert (caught.value.line, caught.value.message.split(" at ")[0]) == (3, "a NUL byte")


def test_tab_carriage_return_and_line_feed_are_text(tmp_path: Path) -> None:
    path = _write(tmp_path, b'id,text\r\n1,"a\tb\r\nc"\r\n')
    assert list(csv_records(path, "utf-8")) == [(1, ["id", "text"]), (2, ["1", "a\tb\r\nc"])]


@pytest.mark.parametrize("ending", [b"1,last\r\n\x1a", b"1,last\x1a", b"1,last\r\n\x1a\x1a"])
def test_dos_end_of_file_byte_is_accepted_at_the_very_end(tmp_path: Path, ending: bytes) -> None:
    # OFAC ends every legacy CSV file with 0x1A; its reader strips it (lists.ofac.csvfiles).
    path = _write(tmp_path, b"id,text\r\n" + ending)
    records = list(csv_records(path, "cp1252"))
    assert records[0] == (1, ["id", "text"]) and records[1][1][0] == "1"


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b"id,text\r\n\x1a\r\n2,more\r\n", 2, 1),  # an end-of-file byte with lines after it
        (b"id,text\r\n1,la\x1ast\r\n", 2, 5),  # inside a cell
    ],
)
def test_end_of_file_byte_anywhere_else_is_refused(
    tmp_path: Path, data: bytes, line: int, column: int
) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(ListReadError) as caught:
        list(csv_records(path, "cp1252"))
    assert caught.value.line == line
    assert caught.value.message.startswith(f"a control character (0x1a) at column {column}:")


def test_real_sdn_csv_with_a_nul_mid_file_is_refused_at_its_line(
    tmp_path: Path, shared_lists: Path
) -> None:
    data = (shared_lists / "ofac" / "sdn.csv").read_bytes()
    # Inject the NUL into the name of the record that starts after the middle of the file.
    start = data.index(b"\r\n", len(data) // 2) + 2
    name = data.index(b',"', start) + 3  # after the first letter of the name
    line = data[:start].count(b"\n") + 1  # counted on the bytes, independently of the reader
    path = tmp_path / "sdn.csv"
    path.write_bytes(data[:name] + b"\x00" + data[name:])
    with pytest.raises(ListReadError) as caught:
        list(open_list(path).entities())
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: a NUL byte at column ")


def _shared_csv_files() -> list[Path]:
    from tests.conftest import SHARED_LISTS

    return sorted(p for p in SHARED_LISTS.rglob("*") if p.suffix.lower() == ".csv")


@pytest.mark.parametrize("path", _shared_csv_files(), ids=lambda p: p.name)
def test_no_shared_csv_file_holds_a_control_character(path: Path) -> None:
    # Measured with a byte regex over every shared CSV file (2026-05): the only C0 control
    # other than tab, CR and LF is OFAC's end-of-file byte, once, as the file's last byte.
    data = path.read_bytes()
    controls = [m.start() for m in re.finditer(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", data)]
    assert controls in ([], [len(data) - 1])
    assert not controls or data.endswith(b"\x1a")
    encoding = utf8_or(path, "cp1252")
    # Physical lines as Python splits a binary file: at each LF, plus an unterminated last line.
    lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    with path.open("rb") as handle:
        assert sum(1 for _ in decoded_lines(path, handle, encoding)) == lines
