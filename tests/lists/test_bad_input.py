"""Generic bad input: every broken, hostile or foreign file is refused the same way.

Each case is built in tmp_path from real UN data (or is not a list at all) and is run through
the API (`lists.open_list(path).entities()`) and through the CLI (`coalition lists inspect`, text
and --json). Expected everywhere: a `ListReadError` whose message names the file (and the line
where the parser knows it), exit code 1, no traceback, and no partial counts.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import cli
from lists import open_list
from lists.errors import ListReadError, UnknownFormatError

UN_CURRENT = "un/consolidated.xml"
CA_CURRENT = "ca/sema-lmes.xml"
HEAD_BYTES = 64 * 1024  # what format detection reads (lists.base.HEAD_BYTES)
UN_EXCERPT_RECORDS = 3
PASSWD = Path("/etc/passwd")

# The lines `lists inspect` prints for a file it read; none may appear for a refused file.
_INSPECTION_LINE = re.compile(
    r"^\s+(?:format|published|entities|names|programs)\s{2,}|identifiers \d"
)


@dataclass(frozen=True)
class BadFile:
    path: Path
    line: int | None  # the line the message must name, when the parser knows it
    says: str  # a fragment the message must contain
    unknown_format: bool = False  # refused at detection rather than while reading


def _un_lines(shared_lists: Path) -> list[bytes]:
    return (shared_lists / UN_CURRENT).read_bytes().splitlines(keepends=True)


def _un_excerpt(shared_lists: Path) -> bytes:
    """The first records of the real 2026-05 UN list, closed so that it is a valid file."""
    kept: list[bytes] = []
    closed = 0
    for line in _un_lines(shared_lists):
        kept.append(line)
        closed += line.strip() == b"</INDIVIDUAL>"
        if closed == UN_EXCERPT_RECORDS:
            break
    return b"".join(kept) + b"  </INDIVIDUALS>\n</CONSOLIDATED_LIST>\n"


def _with_doctype(excerpt: bytes, doctype: bytes, replace: tuple[bytes, bytes]) -> bytes:
    declaration, rest = excerpt.split(b"\n", 1)
    return declaration + b"\n" + doctype + b"\n" + rest.replace(*replace, 1)


# --- the bad files ------------------------------------------------------------------------------


def truncated(tmp_path: Path, shared_lists: Path) -> BadFile:
    data = (shared_lists / UN_CURRENT).read_bytes()
    cut = data[: len(data) // 2]
    path = tmp_path / "truncated.xml"
    path.write_bytes(cut)
    return BadFile(path, line=cut.count(b"\n") + 1, says="malformed XML: Premature end of data")


def billion_laughs(tmp_path: Path, shared_lists: Path) -> BadFile:
    entities = [b'  <!ENTITY lol "lol">']
    entities += [
        b'  <!ENTITY lol%d "%s">' % (level, b"".join([b"&lol%d;" % (level - 1)] * 10))
        for level in range(1, 10)
    ]
    doctype = (
        b"<!DOCTYPE CONSOLIDATED_LIST [\n"
        + b"\n".join(entities).replace(b"&lol0;", b"&lol;")
        + b"\n]>"
    )
    data = _with_doctype(_un_excerpt(shared_lists), doctype, (b" GEDO ", b"&lol9;"))
    assert b"<FIRST_NAME>&lol9;</FIRST_NAME>" in data
    path = tmp_path / "bomb.xml"
    path.write_bytes(data)
    return BadFile(path, line=2, says="refused: the XML declares entities or an external DTD")


def external_entity(tmp_path: Path, shared_lists: Path) -> BadFile:
    doctype = b'<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    data = _with_doctype(
        _un_excerpt(shared_lists), doctype, (b"<COMMENTS1>Gender: Male.", b"<COMMENTS1>&xxe;")
    )
    assert b"<COMMENTS1>&xxe;</COMMENTS1>" in data
    path = tmp_path / "xxe.xml"
    path.write_bytes(data)
    return BadFile(path, line=2, says="refused: the XML declares entities or an external DTD")


def external_dtd(tmp_path: Path, shared_lists: Path) -> BadFile:
    doctype = b'<!DOCTYPE CONSOLIDATED_LIST SYSTEM "file:///etc/passwd">'
    data = _with_doctype(_un_excerpt(shared_lists), doctype, (b"", b""))
    path = tmp_path / "external_dtd.xml"
    path.write_bytes(data)
    return BadFile(path, line=2, says="refused: the XML declares entities or an external DTD")


def doctype_beyond_sniffed_prolog(tmp_path: Path, shared_lists: Path) -> BadFile:
    # A DTD pushed past the first 64 KiB by a huge comment: the root is never seen when the
    # format is sniffed, so the file is refused before any entity could be expanded.
    doctype = b"<!--" + b" " * 70_000 + b"-->\n" + b'<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY a "b">]>'
    data = _with_doctype(_un_excerpt(shared_lists), doctype, (b" GEDO ", b"&a;"))
    assert b"<FIRST_NAME>&a;</FIRST_NAME>" in data
    path = tmp_path / "late_doctype.xml"
    path.write_bytes(data)
    return BadFile(path, line=None, says="not a sanctions list format", unknown_format=True)


def utf16_declared_utf8(tmp_path: Path, shared_lists: Path) -> BadFile:
    text = (shared_lists / UN_CURRENT).read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"')
    path = tmp_path / "utf16.xml"
    path.write_bytes(text.encode("utf-16"))  # with a byte order mark, as editors save it
    return BadFile(path, line=None, says="the file is UTF-16 encoded", unknown_format=True)


def latin1_declared_utf8(tmp_path: Path, shared_lists: Path) -> BadFile:
    text = (shared_lists / UN_CURRENT).read_text(encoding="utf-8")
    data = text.encode("latin-1", errors="replace")
    first_non_ascii = next(i for i, byte in enumerate(data) if byte >= 0x80)
    path = tmp_path / "latin1.xml"
    path.write_bytes(data)
    return BadFile(
        path,
        line=data[:first_non_ascii].count(b"\n") + 1,
        says="malformed XML: Invalid bytes in character encoding",
    )


def _garbled(tmp_path: Path, source: Path, tag: bytes, garbage: bytes, name: str) -> BadFile:
    """The real file with the first `tag` after byte 5,000 garbled: a syntax error inside
    the first 64 KiB, which format detection parses to find the root element."""
    data = source.read_bytes()
    at = data.index(tag, 5_000)
    assert at < HEAD_BYTES
    path = tmp_path / name
    path.write_bytes(data[:at] + garbage + data[at + len(tag) :])
    # The line is counted on the bytes; the message must not call the file an unknown format.
    return BadFile(path, line=data[:at].count(b"\n") + 1, says="malformed XML: ")


def garbled_un_head(tmp_path: Path, shared_lists: Path) -> BadFile:
    return _garbled(
        tmp_path, shared_lists / UN_CURRENT, b"<FIRST_NAME>", b"<FIRST NAME<>", "un.xml"
    )


def garbled_canada_head(tmp_path: Path, shared_lists: Path) -> BadFile:
    return _garbled(tmp_path, shared_lists / CA_CURRENT, b"<record>", b"<record <", "sema.xml")


def garbled_root_tag(tmp_path: Path, shared_lists: Path) -> BadFile:
    # The root element's own tag is broken: the first element name in the bytes stands in.
    data = (shared_lists / UN_CURRENT).read_bytes()
    root = data.index(b"<CONSOLIDATED_LIST")
    path = tmp_path / "root.xml"
    path.write_bytes(data.replace(b"<CONSOLIDATED_LIST", b"<CONSOLIDATED_LIST a=b", 1))
    return BadFile(path, line=data[:root].count(b"\n") + 1, says="malformed XML: AttValue")


def nul_in_xml(tmp_path: Path, shared_lists: Path) -> BadFile:
    # libxml2's message for a NUL holds a line break; it is reported on one line.
    data = (shared_lists / UN_CURRENT).read_bytes()
    at = data.index(b"<FIRST_NAME>", len(data) // 2) + len(b"<FIRST_NAME>") + 1
    path = tmp_path / "nul.xml"
    path.write_bytes(data[:at] + b"\0" + data[at:])
    return BadFile(
        path,
        line=data[:at].count(b"\n") + 1,
        says="malformed XML: Invalid character: Char 0x0 out of allowed range, line",
    )


def empty_file(tmp_path: Path, shared_lists: Path) -> BadFile:
    path = tmp_path / "empty.xml"
    path.write_bytes(b"")
    return BadFile(path, line=None, says="the file is empty")


def schema_not_list(tmp_path: Path, shared_lists: Path) -> BadFile:
    path = tmp_path / "sc-sanctions.xsd"
    path.write_bytes((shared_lists / "un/schema/sc-sanctions.xsd").read_bytes())
    return BadFile(path, line=None, says="XML with root element <schema>", unknown_format=True)


def nonexistent(tmp_path: Path, shared_lists: Path) -> BadFile:
    return BadFile(tmp_path / "no-such-list.xml", line=None, says="no such file or directory")


def directory_without_lists(tmp_path: Path, shared_lists: Path) -> BadFile:
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "notes.txt").write_text("nothing to see\n", encoding="utf-8")
    return BadFile(folder, line=None, says="directory", unknown_format=True)


def random_binary(tmp_path: Path, shared_lists: Path) -> BadFile:
    path = tmp_path / "random.bin"
    path.write_bytes(b"\x00\xff" + random.Random(20260508).randbytes(8190))
    return BadFile(
        path, line=None, says="a binary file (NUL bytes), not a sanctions list", unknown_format=True
    )


CASES: dict[str, Callable[[Path, Path], BadFile]] = {
    "truncated": truncated,
    "billion_laughs": billion_laughs,
    "external_entity": external_entity,
    "external_dtd": external_dtd,
    "doctype_beyond_sniffed_prolog": doctype_beyond_sniffed_prolog,
    "utf16_declared_utf8": utf16_declared_utf8,
    "latin1_declared_utf8": latin1_declared_utf8,
    "garbled_un_head": garbled_un_head,
    "garbled_canada_head": garbled_canada_head,
    "garbled_root_tag": garbled_root_tag,
    "nul_in_xml": nul_in_xml,
    "empty_file": empty_file,
    "schema_not_list": schema_not_list,
    "nonexistent": nonexistent,
    "directory_without_lists": directory_without_lists,
    "random_binary": random_binary,
}


@pytest.fixture(params=list(CASES))
def bad(request: pytest.FixtureRequest, tmp_path: Path, shared_lists: Path) -> BadFile:
    return CASES[request.param](tmp_path, shared_lists)


def _squash(text: str) -> str:
    # The CLI may wrap a long message to the terminal width; compare without whitespace.
    return "".join(text.split())


def _inspect(*paths: Path, as_json: bool = False) -> Result:
    args = ["lists", "inspect", *(str(p) for p in paths)]
    return CliRunner().invoke(cli.main, [*args, "--json"] if as_json else args)


def _where(bad: BadFile) -> str:
    return f"{bad.path}:{bad.line}" if bad.line is not None else str(bad.path)


# --- the API ------------------------------------------------------------------------------------


def test_api_refuses_with_file_and_line(bad: BadFile) -> None:
    with pytest.raises(ListReadError) as caught:
        listed = open_list(bad.path)
        for _entity in listed.entities():
            pass
    error = caught.value
    assert isinstance(error, UnknownFormatError) is bad.unknown_format
    assert error.path == bad.path
    assert error.line == bad.line
    assert str(error).startswith(_where(bad) + ":" if bad.line else str(bad.path))
    assert bad.says in str(error)
    assert "\n" not in str(error)


def test_unknown_root_with_a_syntax_error_is_still_an_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "error.html"
    path.write_bytes(b"<html>\n<body>Service unavailable&nbsp;</body>\n</html>\n")
    with pytest.raises(UnknownFormatError) as caught:
        open_list(path)
    assert (
        caught.value.message
        == "XML with root element <html> is not a sanctions list format known here"
    )


# --- the CLI ------------------------------------------------------------------------------------


def test_cli_text_refuses(bad: BadFile) -> None:
    result = _inspect(bad.path)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert _squash(f"error: {_where(bad)}") in _squash(result.output)
    assert _squash(bad.says) in _squash(result.output)
    assert not any(_INSPECTION_LINE.search(line) for line in result.output.splitlines())


def test_cli_json_refuses(bad: BadFile) -> None:
    result = _inspect(bad.path, as_json=True)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    (line,) = result.stdout.splitlines()
    report = json.loads(line)
    assert report == {"file": str(bad.path), "error": report["error"]}
    assert report["error"].startswith(_where(bad))
    assert bad.says in report["error"]


# --- hostile content never leaks ----------------------------------------------------------------


@pytest.mark.parametrize("case", ["external_entity", "external_dtd"])
def test_external_entity_content_never_appears(
    case: str, tmp_path: Path, shared_lists: Path
) -> None:
    assert PASSWD.is_file()
    secrets = [line for line in PASSWD.read_text(encoding="utf-8").splitlines() if line][:3]
    bad = CASES[case](tmp_path, shared_lists)
    with pytest.raises(ListReadError) as caught:
        list(open_list(bad.path).entities())
    outputs = [str(caught.value), _inspect(bad.path).output]
    outputs.append(_inspect(bad.path, as_json=True).output)
    for output in outputs:
        assert "root:" not in output
        for secret in secrets:
            assert secret not in output


def test_billion_laughs_is_refused_before_expansion(tmp_path: Path, shared_lists: Path) -> None:
    bad = billion_laughs(tmp_path, shared_lists)
    assert bad.path.stat().st_size < 20_000  # expanded, &lol9; would be 3 GB of "lol"
    result = _inspect(bad.path, as_json=True)
    assert "lollol" not in result.output
    assert len(result.output) < 1_000


# --- encodings the parser can decode correctly ---------------------------------------------------


def test_bomless_utf16_is_decoded_faithfully(tmp_path: Path, shared_lists: Path) -> None:
    # libxml2 recognises UTF-16 from the first bytes ("<\0?\0") and decodes it correctly even
    # when the declaration says UTF-8: nothing is garbled, so the file reads the same as the
    # original rather than being refused.
    excerpt = _un_excerpt(shared_lists)
    original = tmp_path / "utf8.xml"
    original.write_bytes(excerpt)
    reencoded = tmp_path / "utf16le.xml"
    reencoded.write_bytes(excerpt.decode("utf-8").encode("utf-16-le"))
    expected = [e.names for e in open_list(original).entities()]
    assert len(expected) == UN_EXCERPT_RECORDS
    assert [e.names for e in open_list(reencoded).entities()] == expected


# --- several paths ------------------------------------------------------------------------------


def test_one_bad_path_among_good_ones(tmp_path: Path, shared_lists: Path) -> None:
    good_fixture = shared_lists / "un/fixtures/GSmiguel/sample_un_consolidated.xml"
    good_excerpt = tmp_path / "excerpt.xml"
    good_excerpt.write_bytes(_un_excerpt(shared_lists))
    bad = truncated(tmp_path, shared_lists)

    result = _inspect(good_fixture, bad.path, good_excerpt)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert str(good_fixture) in result.stdout
    assert str(good_excerpt) in result.stdout
    assert "entities    7 (person 4, organization 3, vessel 0, aircraft 0)" in result.stdout
    assert "entities    3 (person 3, organization 0, vessel 0, aircraft 0)" in result.stdout
    assert _squash(f"error: {_where(bad)}: malformed XML") in _squash(result.output)

    as_json = _inspect(good_fixture, bad.path, good_excerpt, as_json=True)
    assert as_json.exit_code == 1
    reports = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert [r["file"] for r in reports] == [str(good_fixture), str(bad.path), str(good_excerpt)]
    assert [r.get("entities") for r in reports] == [7, None, 3]
    assert reports[1]["error"].startswith(f"{bad.path}:{bad.line}: malformed XML")
