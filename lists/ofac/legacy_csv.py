"""OFAC legacy CSV sets: sdn.csv (or cons_prim.csv) with its alias, address and comment files.

A set is one primary file of entries plus three companions keyed by ent_num:

=================  ===================  =====================================================
SDN list           Consolidated list    columns
=================  ===================  =====================================================
sdn.csv            cons_prim.csv        ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
                                        Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks
alt.csv            cons_alt.csv         ent_num, alt_num, alt_type, alt_name, alt_remarks
add.csv            cons_add.csv         ent_num, add_num, address, city/state/postal, country,
                                        add_remarks
sdn_comments.csv   cons_comments.csv    ent_num, the rest of a Remarks cut at 1000 characters
=================  ===================  =====================================================

A PATH is a directory holding one or both sets (both read as one list, SDN first) or the primary
file itself, whose companions are found next to it by name.

Memory stays flat: OFAC writes every file in ascending ent_num order, so the companions are
merge-joined with the primary file as all are streamed. A first pass checks every file (encoding,
field counts, numbers, order) before any entity is produced, so a malformed set fails before it
is half read. Should a companion not be in order, it is grouped in memory instead: correct,
though no longer flat.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lists.base import Head, ListFormat, ReadReport
from lists.errors import ListReadError
from lists.model import (
    Address,
    Entity,
    Identifier,
    IdentifierType,
    Name,
    NameKind,
    Schema,
    Source,
    SourceRef,
)
from lists.ofac.csvfiles import (
    END_OF_FILE,
    NULL,
    Row,
    ends_with_end_of_file_byte,
    first_record,
    read_records,
    read_rows,
)
from lists.ofac.datasets import dataset_of_file
from lists.ofac.facts import Facts, country_code
from lists.ofac.names import person_name_from_csv, plain_name
from lists.ofac.remarks import iter_programs, parse_remarks

FORMAT_NAME = "ofac-legacy-csv"
REMARKS_LIMIT = 1000  # OFAC cuts Remarks here and continues them in the comments file

PRIMARY_FIELDS = 12
ALIAS_FIELDS = 5
ADDRESS_FIELDS = 6
COMMENT_FIELDS = 2

_SCHEMA_BY_SDN_TYPE: dict[str | None, Schema] = {
    None: Schema.ORGANIZATION,  # OFAC leaves the type empty (-0-) for entities
    "individual": Schema.PERSON,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
}
_ALIAS_KINDS = {"aka": NameKind.ALIAS, "fka": NameKind.FORMER, "nka": NameKind.ALIAS}


@dataclass(frozen=True)
class SetNames:
    """The file names of one list's set (lower case, as OFAC publishes them)."""

    list_name: str
    primary: str
    aliases: str
    addresses: str
    comments: str

    @property
    def companions(self) -> tuple[str, str, str]:
        return (self.aliases, self.addresses, self.comments)


SDN_SET = SetNames("SDN", "sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")
CONSOLIDATED_SET = SetNames(
    "Consolidated (non-SDN)", "cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"
)
SETS = (SDN_SET, CONSOLIDATED_SET)


@dataclass(frozen=True)
class CsvSet:
    names: SetNames
    primary: Path
    aliases: Path | None
    addresses: Path | None
    comments: Path | None


# ---------------------------------------------------------------------------------------------
# Sniffing and finding the files of a set
# ---------------------------------------------------------------------------------------------


def _record_kind(fields: list[str] | None) -> str | None:
    """Which OFAC legacy file a first record looks like: primary, alias, address or comment."""
    if not fields or not fields[0].strip().isdigit():
        return None
    stripped = [field.strip() for field in fields]
    if len(fields) == PRIMARY_FIELDS:
        has_null = any(field == NULL for field in stripped)
        if has_null or stripped[2].lower() in _SCHEMA_BY_SDN_TYPE:
            return "primary"
        return None
    if len(fields) == ALIAS_FIELDS and stripped[1].isdigit():
        return "alias" if stripped[2].lower() in _ALIAS_KINDS else None
    if len(fields) == ADDRESS_FIELDS and stripped[1].isdigit():
        return "address"
    if len(fields) == COMMENT_FIELDS:
        return "comment"
    return None


def sniff(head: Head) -> bool:
    if head.is_dir:
        known = {SDN_SET.primary, CONSOLIDATED_SET.primary}
        for names in SETS:
            known.update(names.companions)
        return bool(head.names & known)
    text = head.data.decode("cp1252", errors="replace")
    return _record_kind(first_record(text)) is not None


def find_sets(path: Path) -> list[CsvSet]:
    """The CSV sets a PATH stands for; `ListReadError` when it has companions but no primary."""
    if path.is_dir():
        files = {child.name.lower(): child for child in path.iterdir() if child.is_file()}
        sets = [
            _set_from(names, files[names.primary], files)
            for names in SETS
            if names.primary in files
        ]
        if not sets:
            raise ListReadError(path, _no_primary_message(sorted(files)))
        return sets
    files = {child.name.lower(): child for child in path.parent.iterdir() if child.is_file()}
    name = path.name.lower()
    for names in SETS:
        if name == names.primary:
            return [_set_from(names, path, files)]
        if name in names.companions:
            raise ListReadError(path, _companion_alone_message(names))
    kind = _record_kind(first_record(_head_text(path)))
    if kind is None:
        raise ListReadError(path, "not an OFAC legacy CSV file")
    if kind == "primary":
        # Renamed primary file: companions cannot be told apart from other files, so none.
        return [CsvSet(SDN_SET, path, None, None, None)]
    raise ListReadError(
        path,
        f"an OFAC legacy {kind} file read alone: its rows belong to entries of the primary file "
        "(sdn.csv or cons_prim.csv); give the directory that holds the whole set, or the primary "
        "file",
    )


def _set_from(names: SetNames, primary: Path, files: dict[str, Path]) -> CsvSet:
    return CsvSet(
        names=names,
        primary=primary,
        aliases=files.get(names.aliases),
        addresses=files.get(names.addresses),
        comments=files.get(names.comments),
    )


def _no_primary_message(file_names: list[str]) -> str:
    companions = [name for names in SETS for name in names.companions if name in file_names]
    if not companions:
        return "the directory holds no OFAC legacy CSV set (sdn.csv or cons_prim.csv)"
    wanted = " or ".join(
        names.primary for names in SETS if any(c in names.companions for c in companions)
    )
    return (
        f"holds OFAC companion files ({', '.join(companions)}) but not their primary file "
        f"{wanted}: aliases, addresses and comments cannot be read without the entries they "
        "belong to"
    )


def _companion_alone_message(names: SetNames) -> str:
    return (
        f"is an OFAC {names.list_name} companion file; it needs its primary file "
        f"{names.primary}: give the directory that holds both, or {names.primary} itself"
    )


def _head_text(path: Path) -> str:
    with path.open("rb") as handle:
        return handle.read(64 * 1024).decode("cp1252", errors="replace")


def published(path: Path) -> None:
    """The legacy CSV files state no publication date."""
    find_sets(path)  # refuse a companion without its primary file already when opening


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    sets = find_sets(path)
    checks: list[_SetCheck] = []
    for csv_set in sets:
        checks.append(_check_set(csv_set, report, checks[0] if checks else None))
    for csv_set, check in zip(sets, checks, strict=True):
        yield from _read_set(csv_set, check, report)


@dataclass(frozen=True)
class _SetCheck:
    """What the checking pass learnt: the primary's ent_nums, and which files are in order."""

    primary: Path
    primary_ids: frozenset[int]
    ascending: dict[Path, bool]
    also_in_earlier_set: frozenset[int]


def _check_set(csv_set: CsvSet, report: ReadReport, earlier: _SetCheck | None) -> _SetCheck:
    """Read every file of the set once, so a malformed one fails before any entity is produced."""
    primary_ids, primary_in_order = _check_primary(csv_set.primary)
    if not ends_with_end_of_file_byte(csv_set.primary):
        report.warn(
            f"{csv_set.primary.name}: does not end with OFAC's end-of-file byte "
            f"0x{ord(END_OF_FILE):02X}; the file may be truncated at a line boundary"
        )
    ascending = {csv_set.primary: primary_in_order}
    for companion in _companions(csv_set):
        ascending[companion.path] = _check_companion(csv_set, companion, primary_ids, report)
    duplicates = primary_ids & earlier.primary_ids if earlier else frozenset()
    if earlier is not None and duplicates:
        # An entry moves between the SDN and the Consolidated list under the same ent_num, so
        # it is in both files only when they are of different dates. The SDN entry is kept.
        report.warn(
            f"{csv_set.primary.name}: {len(duplicates)} entries are also in "
            f"{earlier.primary.name} (ent_num {', '.join(map(str, sorted(duplicates)))}): the "
            f"files are not of the same date; the {earlier.primary.name} entries are kept"
        )
    return _SetCheck(csv_set.primary, primary_ids, ascending, duplicates)


def _check_primary(path: Path) -> tuple[frozenset[int], bool]:
    """The primary file's ent_nums (each once) and whether they ascend."""
    seen: set[int] = set()
    previous = -1
    ascending = True
    for line, ent_num, _ in read_records(path, PRIMARY_FIELDS, "primary (sdn/cons_prim)"):
        if ent_num in seen:
            raise ListReadError(path, f"ent_num {ent_num} appears a second time", line=line)
        ascending = ascending and ent_num > previous
        previous = ent_num
        seen.add(ent_num)
    return frozenset(seen), ascending


def _check_companion(
    csv_set: CsvSet, companion: _CompanionFile, primary_ids: frozenset[int], report: ReadReport
) -> bool:
    """Whether the companion's ent_nums ascend; each row for a missing entry is a warning.

    Such a row cannot be attached to anything: normal when the companions are of another date
    than the primary file, wrong otherwise, and never silently dropped.
    """
    previous = -1
    ascending = True
    for line, ent_num, fields in read_records(
        companion.path, companion.field_count, companion.what
    ):
        ascending = ascending and ent_num >= previous
        previous = ent_num
        if ent_num not in primary_ids:
            report.warn(_orphan_message(csv_set, companion, line, ent_num, fields))
    return ascending


@dataclass(frozen=True)
class _CompanionFile:
    key: str
    path: Path
    field_count: int
    what: str


def _companions(csv_set: CsvSet) -> list[_CompanionFile]:
    candidates = (
        ("aliases", csv_set.aliases, ALIAS_FIELDS, "alias (alt)"),
        ("addresses", csv_set.addresses, ADDRESS_FIELDS, "address (add)"),
        ("comments", csv_set.comments, COMMENT_FIELDS, "comments"),
    )
    return [
        _CompanionFile(key, path, count, what)
        for key, path, count, what in candidates
        if path is not None
    ]


def _orphan_message(
    csv_set: CsvSet, companion: _CompanionFile, line: int, ent_num: int, fields: list[str]
) -> str:
    what = {"aliases": "alias", "addresses": "address", "comments": "remarks continuation"}
    detail = f" {fields[3].strip()!r}" if companion.key == "aliases" else ""
    return (
        f"{companion.path.name}:{line}: {what[companion.key]}{detail} for ent_num "
        f"{ent_num}, which is not in {csv_set.primary.name}; not attached"
    )


class _Companion:
    """The rows of one companion file, handed out per ent_num in the primary file's order."""

    def __init__(self, companion: _CompanionFile, check: _SetCheck) -> None:
        rows = read_rows(companion.path, companion.field_count, companion.what)
        merge = check.ascending[companion.path] and check.ascending[check.primary]
        self._rows: Iterator[Row] | None = rows if merge else None
        self._pending: Row | None = None
        self._grouped: dict[int, list[Row]] = defaultdict(list)
        if not merge:
            # Out of order: group in memory (orphans were reported by the check).
            for row in rows:
                if row.ent_num in check.primary_ids:
                    self._grouped[row.ent_num].append(row)

    def rows_for(self, ent_num: int) -> list[Row]:
        if self._rows is None:
            return self._grouped.pop(ent_num, [])
        found: list[Row] = []
        while True:
            row = self._pending if self._pending is not None else next(self._rows, None)
            self._pending = None
            if row is None:
                return found
            if row.ent_num > ent_num:
                self._pending = row
                return found
            if row.ent_num == ent_num:
                found.append(row)


def _read_set(csv_set: CsvSet, check: _SetCheck, report: ReadReport) -> Iterator[Entity]:
    companions = {c.key: _Companion(c, check) for c in _companions(csv_set)}
    no_rows: list[Row] = []
    for row in read_rows(csv_set.primary, PRIMARY_FIELDS, "primary (sdn/cons_prim)"):
        ent_num = row.ent_num
        related = {key: companion.rows_for(ent_num) for key, companion in companions.items()}
        if ent_num in check.also_in_earlier_set:
            continue  # reported by the check, with its companion rows
        cut = len(row.raw[-1]) >= REMARKS_LIMIT
        if cut and not related.get("comments"):
            report.warn(
                f"{csv_set.primary.name}:{row.line}: Remarks of ent_num {ent_num} stop at OFAC's "
                f"{REMARKS_LIMIT}-character limit and no {csv_set.names.comments} continues them; "
                "the cut last fact is kept as a remark"
            )
        if not cut and related.get("comments"):
            # A continuation of Remarks that were not cut belongs to another date's file.
            for comment in related.pop("comments"):
                report.warn(
                    f"{csv_set.names.comments}:{comment.line}: continues the Remarks of ent_num "
                    f"{ent_num}, which are not cut at {REMARKS_LIMIT} characters in "
                    f"{csv_set.primary.name} (files of different dates?); not attached"
                )
        yield _entity(
            csv_set,
            row,
            aliases=related.get("aliases", no_rows),
            addresses=related.get("addresses", no_rows),
            comments=related.get("comments", no_rows),
        )


def _entity(
    csv_set: CsvSet, row: Row, *, aliases: list[Row], addresses: list[Row], comments: list[Row]
) -> Entity:
    _, name, sdn_type, program, title, *vessel_columns, remarks = row.fields
    schema = _schema(csv_set.primary, row, sdn_type)
    facts = Facts()
    primary = _name(name, schema, NameKind.PRIMARY)
    if primary is None:
        raise ListReadError(csv_set.primary, "the entry has no name (SDN_Name)", line=row.line)
    facts.names.append(primary)
    facts.programs.extend(iter_programs(program))
    if title:
        facts.remarks.append(f"Title: {title}")
    _add_vessel_columns(facts, *vessel_columns)
    for alias in aliases:
        _add_alias(facts, csv_set, alias, schema)
    remark_facts = _remarks_facts(remarks, row.raw[-1], comments, schema)
    if title:
        remark_facts.remarks = _without_title(remark_facts.remarks, title)
    facts.merge(remark_facts)
    for address in addresses:
        _add_address(facts, address)
    ref = SourceRef(format=FORMAT_NAME, file=csv_set.primary.name, record=str(row.line))
    return facts.build(Source.OFAC, str(row.ent_num), schema, ref, dataset_of_file(ref.file))


def _schema(path: Path, row: Row, sdn_type: str | None) -> Schema:
    schema = _SCHEMA_BY_SDN_TYPE.get(sdn_type.lower() if sdn_type else None)
    if schema is None:
        raise ListReadError(
            path,
            f"unknown SDN_Type {sdn_type!r} (expected individual, vessel, aircraft or -0-)",
            line=row.line,
        )
    return schema


def _name(text: str | None, schema: Schema, kind: NameKind) -> Name | None:
    if text is None:
        return None
    if schema is Schema.PERSON:
        return person_name_from_csv(text, kind)
    return plain_name(text, kind)


def _add_vessel_columns(
    facts: Facts,
    call_sign: str | None,
    vessel_type: str | None,
    tonnage: str | None,
    gross_tonnage: str | None,
    flag: str | None,
    owner: str | None,
) -> None:
    if call_sign:
        facts.identifiers.append(
            Identifier(type=IdentifierType.CALL_SIGN, value=call_sign, label="Call Sign")
        )
    if vessel_type:
        facts.remarks.append(f"Vessel Type: {vessel_type}")
    if tonnage:
        facts.remarks.append(f"Tonnage: {tonnage}")
    if gross_tonnage:
        facts.remarks.append(f"Gross Registered Tonnage: {gross_tonnage}")
    if flag:
        facts.add_country_text(facts.countries, flag, f"Vessel Flag: {flag}")
    if owner:
        facts.related.append(owner)
        facts.remarks.append(f"Vessel Owner: {owner}")


def _add_alias(facts: Facts, csv_set: CsvSet, row: Row, schema: Schema) -> None:
    _, alt_num, alt_type, alt_name, alt_remarks = row.fields
    kind = _ALIAS_KINDS.get((alt_type or "").lower())
    path = csv_set.aliases or csv_set.primary
    if kind is None:
        raise ListReadError(
            path, f"unknown alias type {alt_type!r} (expected aka, fka or nka)", line=row.line
        )
    name = _name(alt_name, schema, kind)
    if name is None:
        raise ListReadError(path, f"alias {alt_num} has no name", line=row.line)
    facts.names.append(name)
    if alt_remarks:
        facts.remarks.append(f"{alt_type} {name.full}: {alt_remarks}")


def _remarks_facts(remarks: str | None, written: str, comments: list[Row], schema: Schema) -> Facts:
    if not comments:
        truncated = len(written) >= REMARKS_LIMIT
        return parse_remarks(remarks, schema, truncated=truncated)
    # The continuation starts exactly where the cut was, often inside a word or after a space,
    # so both parts are joined as written.
    continuation = "".join(row.raw[1] for row in comments)
    return parse_remarks((written if remarks else "") + continuation, schema)


def _without_title(remarks: list[str], title: str) -> list[str]:
    """Remarks without the repeat of the Title column that OFAC also writes into Remarks."""
    title_parts = {part.strip().rstrip(".") for part in title.split(";")}
    return [remark for remark in remarks if remark.rstrip(".") not in title_parts]


def _add_address(facts: Facts, row: Row) -> None:
    _, _, street, city_state_postal, country, address_remarks = row.fields
    # OFAC joins city, state and postal code in one column with no fixed order; kept as a line
    # rather than guessed apart.
    lines = [line for line in (street, city_state_postal) if line]
    if lines or country:
        facts.addresses.append(
            Address(lines=lines, country=country_code(country), country_text=country)
        )
    if address_remarks:
        facts.remarks.append(f"Address remark: {address_remarks}")


FORMAT = ListFormat(
    name=FORMAT_NAME,
    source=Source.OFAC,
    description=(
        "OFAC legacy CSV set: sdn.csv or cons_prim.csv with alt/add/comments companions "
        "(a directory, or the primary file)"
    ),
    sniff=sniff,
    published=published,
    entities=entities,
)
