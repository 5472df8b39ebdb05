"""Hypothesis strategies that damage a valid file the way files really get damaged.

Text files (CSV, XML, JSON) get one to three of:

- ``truncate``: cut at a random offset (an interrupted download or copy);
- ``flip``: XOR one to eight random bytes with a random mask (bit rot, a bad transfer);
- ``nul``: insert one to four NUL bytes at a random offset (a binary splice, a padded block);
- ``reencode``: decode the file with its own encoding (UTF-8, or cp1252 for OFAC's CSV) and
  save it as UTF-16 (with and without a byte order mark), cp1252 or latin-1 (an editor's
  "Save as"); characters the target cannot hold become ``?``;
- ``duplicate``: repeat one to three consecutive lines (a re-sent block, a bad merge);
- ``remove``: drop one to three consecutive lines (a lost block, a hand edit);
- ``lookalike``: replace one ASCII digit by a superscript, Arabic-Indic or fullwidth digit
  (text pasted from a word processor; ``str.isdigit`` accepts "²", ``int`` does not).

XLSX workbooks (zip archives) get one of: ``truncate`` and ``flip`` and ``nul`` on the archive
bytes (a damaged download: the zip directory or a member's CRC no longer fits), ``member``: one
text mutation applied to the inflated content of one member, then re-zipped so that the archive
is sound but the XML inside is not, or ``drop``: a member left out.

Every mutation carries a short description (``flip@1234^0x20``) so that a failing example can
be rebuilt by hand. Offsets and line numbers are drawn as plain integers and taken modulo the
current length, so that a mutation applies to whatever the previous one left.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

from tests.fuzz.seeds import fixed_time

# Encodings an editor or a spreadsheet program offers when a file is saved again.
REENCODINGS = ("utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1")
# Characters that str.isdigit() accepts but int() refuses (superscripts), or that int() reads
# although they are not ASCII (Arabic-Indic, fullwidth): pasted from a word processor.
LOOKALIKE_DIGITS = ("²", "³", "¹", "٣", "３")
_BIG = 1 << 30


@dataclass(frozen=True)
class Mutation:
    """One change to a file's bytes, with a description to reproduce it."""

    description: str
    apply: Callable[[bytes], bytes]


class Mutant:
    """A damaged file: its bytes and the mutations that made them from the seed.

    Shown by its description only: Hypothesis prints a failing example, and the bytes would
    be hundreds of kilobytes of noise.
    """

    __slots__ = ("data", "steps")

    def __init__(self, data: bytes, steps: tuple[str, ...]) -> None:
        self.data = data
        self.steps = steps

    @property
    def description(self) -> str:
        return " + ".join(self.steps)

    def __repr__(self) -> str:
        return f"Mutant({self.description!r}, {len(self.data)} bytes)"


def own_text(data: bytes) -> str:
    """The file's text in the encoding it was published in: UTF-8, else cp1252 (OFAC CSV)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# -- text mutations --------------------------------------------------------------------------


def _truncate(offset: int) -> Mutation:
    return Mutation(f"truncate@{offset}", lambda data: data[: offset % max(len(data), 1)])


def _flip(flips: list[tuple[int, int]]) -> Mutation:
    def apply(data: bytes) -> bytes:
        if not data:
            return data
        changed = bytearray(data)
        for offset, mask in flips:
            changed[offset % len(changed)] ^= mask
        return bytes(changed)

    shown = ",".join(f"{offset}^0x{mask:02x}" for offset, mask in flips)
    return Mutation(f"flip@{shown}", apply)


def _nul(offset: int, count: int) -> Mutation:
    def apply(data: bytes) -> bytes:
        at = offset % (len(data) + 1)
        return data[:at] + b"\0" * count + data[at:]

    return Mutation(f"nul@{offset}x{count}", apply)


def _reencode(encoding: str) -> Mutation:
    return Mutation(
        f"reencode:{encoding}", lambda data: own_text(data).encode(encoding, errors="replace")
    )


def _lines(kind: str, line: int, count: int) -> Mutation:
    def apply(data: bytes) -> bytes:
        lines = data.splitlines(keepends=True)
        if not lines:
            return data
        at = line % len(lines)
        block = lines[at : at + count]
        if kind == "duplicate":
            return b"".join([*lines[: at + len(block)], *block, *lines[at + len(block) :]])
        return b"".join([*lines[:at], *lines[at + count :]])

    return Mutation(f"{kind}:line{line}x{count}", apply)


def _lookalike(occurrence: int, digit: str) -> Mutation:
    def apply(data: bytes) -> bytes:
        positions = [at for at, byte in enumerate(data) if 0x30 <= byte <= 0x39]
        if not positions:
            return data
        at = positions[occurrence % len(positions)]
        try:
            data.decode("utf-8")
            replacement = digit.encode("utf-8")
        except UnicodeDecodeError:  # an 8-bit file: cp1252 holds the superscripts only
            replacement = digit.encode("cp1252", errors="replace")
        return data[:at] + replacement + data[at + 1 :]

    return Mutation(f"lookalike:digit{occurrence}={digit}", apply)


_offsets = st.integers(min_value=0, max_value=_BIG)
# The byte-level mutations, which apply to any file, an XLSX archive included.
BYTE_MUTATIONS: st.SearchStrategy[Mutation] = st.one_of(
    st.builds(_truncate, _offsets),
    st.builds(
        _flip,
        st.lists(st.tuples(_offsets, st.integers(1, 255)), min_size=1, max_size=8),
    ),
    st.builds(_nul, _offsets, st.integers(1, 4)),
)
TEXT_MUTATIONS: st.SearchStrategy[Mutation] = st.one_of(
    BYTE_MUTATIONS,
    st.builds(_reencode, st.sampled_from(REENCODINGS)),
    st.builds(_lines, st.sampled_from(("duplicate", "remove")), _offsets, st.integers(1, 3)),
    st.builds(_lookalike, _offsets, st.sampled_from(LOOKALIKE_DIGITS)),
)


@st.composite
def text_mutants(draw: st.DrawFn, data: bytes) -> Mutant:
    """`data` after one to three text mutations."""
    steps = draw(st.lists(TEXT_MUTATIONS, min_size=1, max_size=3))
    for step in steps:
        data = step.apply(data)
    return Mutant(data, tuple(step.description for step in steps))


# -- XLSX mutations --------------------------------------------------------------------------


def _rezip(workbook: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """The archive rebuilt with each member's content passed through `change` (None: drop)."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = change(member.filename, source.read(member))
            if content is not None:
                target.writestr(fixed_time(member.filename), content)
    return output.getvalue()


def members(workbook: bytes) -> list[str]:
    return sorted(zipfile.ZipFile(io.BytesIO(workbook)).namelist())


@st.composite
def xlsx_mutants(draw: st.DrawFn, workbook: bytes) -> Mutant:
    """`workbook` damaged as an archive, in one member's content, or missing a member."""
    kind = draw(st.sampled_from(("archive", "member", "drop")))
    if kind == "archive":
        step = draw(BYTE_MUTATIONS)
        return Mutant(step.apply(workbook), (f"archive {step.description}",))
    name = draw(st.sampled_from(members(workbook)))
    if kind == "drop":
        return Mutant(_rezip(workbook, lambda n, c: None if n == name else c), (f"drop {name}",))
    step = draw(TEXT_MUTATIONS)
    changed = _rezip(workbook, lambda n, c: step.apply(c) if n == name else c)
    return Mutant(changed, (f"member {name} {step.description}",))


def mutants(data: bytes, is_xlsx: bool) -> st.SearchStrategy[Mutant]:
    """The strategy for a file of this kind."""
    return xlsx_mutants(data) if is_xlsx else text_mutants(data)
