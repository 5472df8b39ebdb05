"""OFAC legacy CSV sets (sdn.csv / cons_prim.csv with alt, add and comments files).

Counts come from PROVENANCE.md or were measured on the raw files with grep/awk, independently of
the parser: entries by SDN_Type (`grep -c ',"individual",'` and so on), weak aliases by the
closed "a.k.a. '...'" parts in Remarks, alias rows by alt_type (`awk -F, '{print $3}'`), orphan
aliases by an awk join of alt.csv against sdn.csv's ent_nums, and IMO numbers by
`grep -oP 'Vessel Registration Identification (IMO +)?[0-9]{7}'` plus vessels'
"Identification Number IMO nnnnnnn".
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

import lists
from cli import main
from lists.base import Head
from lists.errors import ListReadError
from lists.model import Entity, IdentifierType, NameKind, Schema
from lists.ofac import legacy_csv

FORMAT = "ofac-legacy-csv"


def _read(path: Path) -> tuple[list[Entity], list[str]]:
    listed = lists.open_list(path)
    assert listed.format.name == FORMAT
    assert listed.published is None  # the legacy files state no date
    entities = list(listed.entities())
    return entities, listed.report.warnings


def _by_schema(entities: list[Entity]) -> dict[str, int]:
    return dict(Counter(e.schema_.value for e in entities))


def _names_by_kind(entities: list[Entity]) -> dict[str, int]:
    return dict(Counter(n.kind.value for e in entities for n in e.names))


def _count_ids(entities: list[Entity], kind: IdentifierType) -> int:
    return sum(1 for e in entities for i in e.identifiers if i.type is kind)


def _entity(entities: list[Entity], entry_id: str) -> Entity:
    return next(e for e in entities if e.entry_id == entry_id)


@dataclass
class Summary:
    """Counts of a whole file, gathered while streaming (holding 15,000 entities is slow)."""

    total: int = 0
    by_schema: Counter[str] = field(default_factory=Counter)
    names_by_kind: Counter[str] = field(default_factory=Counter)
    identifiers_by_type: Counter[str] = field(default_factory=Counter)
    company_imo: int = 0
    programs: set[str] = field(default_factory=set)
    addresses: int = 0
    kept: dict[str, Entity] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _summarize(path: Path, keep: tuple[str, ...] = ()) -> Summary:
    listed = lists.open_list(path)
    assert listed.format.name == FORMAT
    assert listed.published is None  # the legacy files state no date
    summary = Summary()
    for entity in listed.entities():
        summary.total += 1
        summary.by_schema[entity.schema_.value] += 1
        summary.names_by_kind.update(n.kind.value for n in entity.names)
        summary.identifiers_by_type.update(i.type.value for i in entity.identifiers)
        summary.company_imo += sum(1 for i in entity.identifiers if "IMO company" in (i.note or ""))
        summary.programs.update(entity.programs)
        summary.addresses += len(entity.addresses)
        if entity.entry_id in keep:
            summary.kept[entity.entry_id] = entity
    summary.warnings = listed.report.warnings
    return summary


# --- real files ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sdn_2024(shared_lists: Path) -> Summary:
    return _summarize(shared_lists / "ofac" / "sdn.csv", keep=("15036", "7828", "16662"))


def test_sdn_csv_2024_05_03_counts(sdn_2024: Summary) -> None:
    assert sdn_2024.total == 14965
    assert sdn_2024.by_schema == {
        "person": 6854,
        "organization": 6884,
        "vessel": 851,
        "aircraft": 376,
    }
    # No alt.csv beside this sdn.csv: the only aliases are the weak ones in Remarks.
    assert sdn_2024.names_by_kind == {"primary": 14965, "weak_alias": 3663}
    assert len(sdn_2024.programs) == 75
    # 850 "Vessel Registration Identification IMO nnnnnnn" + 2 with a double space + 2 without
    # "IMO" + 1 vessel's "Identification Number IMO". The 129 "Company/Identification Number
    # IMO" of shipping companies are IMO company numbers, registration numbers here.
    assert sdn_2024.identifiers_by_type["imo"] == 855
    assert sdn_2024.company_imo == 129
    # 18 Remarks stop at OFAC's 1000-character limit, and no sdn_comments.csv is there.
    assert len(sdn_2024.warnings) == 18
    assert all("1000-character limit" in w for w in sdn_2024.warnings)


def test_sdn_csv_vessel_spot_check(sdn_2024: Summary) -> None:
    artavil = sdn_2024.kept["15036"]
    assert artavil.schema_ is Schema.VESSEL
    assert [(n.full, n.kind) for n in artavil.names] == [
        ("ARTAVIL", NameKind.PRIMARY),
        ("ALPHA", NameKind.WEAK_ALIAS),
    ]
    assert [(i.type.value, i.value, i.label) for i in artavil.identifiers] == [
        ("call_sign", "T2EU4", "Call Sign"),
        ("imo", "9187629", "Vessel Registration Identification"),
        ("mmsi", "572469210", "MMSI"),
    ]
    assert artavil.countries == ["IR"]
    assert artavil.programs == ["IRAN"]
    assert artavil.related == ["NATIONAL IRANIAN TANKER COMPANY"]
    assert artavil.remarks[:3] == [
        "Vessel Type: Crude/Oil Products Tanker",
        "Tonnage: 99,144",
        "Gross Registered Tonnage: 56,068",
    ]
    assert "Former Vessel Flag Malta" in artavil.remarks
    assert artavil.ref.file == "sdn.csv" and artavil.ref.record == "2441"


def test_sdn_csv_individual_spot_check(sdn_2024: Summary) -> None:
    amdouni = sdn_2024.kept["7828"]
    assert amdouni.schema_ is Schema.PERSON
    primary = amdouni.names[0]
    assert (primary.full, primary.first, primary.last) == ("Mehrez AMDOUNI", "Mehrez", "AMDOUNI")
    assert [d.text for d in amdouni.birth_dates] == [
        "18 Dec 1969",
        "25 May 1968",
        "18 Dec 1968",
        "14 Jul 1969",
    ]
    assert amdouni.birth_places == ["Tunis, Tunisia", "Naples, Italy", "Algeria"]
    assert amdouni.nationalities == ["TN"]
    assert [(i.value, i.country, i.note) for i in amdouni.identifiers] == [
        ("G737411", "TN", "issued 24 Oct 1990; expires 20 Sep 1997"),
        ("0801888", "BA", None),
    ]
    assert amdouni.programs == ["SDGT"]


def test_title_is_not_repeated_from_remarks(sdn_2024: Summary) -> None:
    # OFAC writes the Title column again at the end of Remarks; it is kept once.
    slutsky = sdn_2024.kept["16662"]
    title = "Member of the State Duma of the Federal Assembly of the Russian Federation"
    assert slutsky.remarks == [
        f"Title: {title}",
        "Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR "
        "589.201 and/or 589.209",
    ]
    assert slutsky.programs == ["UKRAINE-EO13661", "RUSSIA-EO14024"]
    assert slutsky.gender == "male"


@pytest.mark.parametrize(
    ("date", "total", "by_schema", "weak", "imo"),
    [
        ("2024-02-20", 13931, (6700, 6063, 786, 382), 3394, 790),
        ("2024-02-23", 14484, (6757, 6547, 798, 382), 3516, 802),
        ("2024-04-26", 14668, (6820, 6630, 835, 383), 3583, 839),
        ("2024-05-01", 14966, (6849, 6883, 851, 383), 3660, 855),
        ("2024-05-02", 14973, (6854, 6885, 851, 383), 3663, 855),
    ],
)
def test_sdn_csv_history(
    shared_lists: Path,
    date: str,
    total: int,
    by_schema: tuple[int, int, int, int],
    weak: int,
    imo: int,
) -> None:
    summary = _summarize(shared_lists / "ofac" / "history" / "sdn_csv" / date / "sdn.csv")
    assert summary.total == total
    counts = summary.by_schema
    assert (
        counts["person"],
        counts["organization"],
        counts["vessel"],
        counts["aircraft"],
    ) == by_schema
    assert summary.names_by_kind == {"primary": total, "weak_alias": weak}
    assert summary.identifiers_by_type["imo"] == imo


def test_legacy_2021_set_every_alias_and_address_attaches(shared_lists: Path) -> None:
    # The primary file given alone: its alt.csv and add.csv are found beside it.
    summary = _summarize(shared_lists / "ofac" / "legacy_csv_2021" / "sdn.csv")
    assert summary.total == 8890
    assert summary.by_schema == {
        "person": 4566,
        "organization": 3644,
        "vessel": 403,
        "aircraft": 277,
    }
    # alt.csv: aka 11358 + nka 18 = 11376 aliases, fka 366; Remarks hold 2414 weak aliases.
    assert summary.names_by_kind == {
        "primary": 8890,
        "alias": 11376,
        "former": 366,
        "weak_alias": 2414,
    }
    # 13761 add.csv rows, of which 11358 hold an address, city or country (2403 are all -0-).
    assert summary.addresses == 11358
    assert not any("not attached" in w for w in summary.warnings)
    assert len(summary.warnings) == 7  # Remarks cut at 1000 characters, no sdn_comments.csv
    assert summary.identifiers_by_type["imo"] == 406
    assert len(summary.programs) == 67


def test_consolidated_2025_12_set_with_comments_continuation(shared_lists: Path) -> None:
    entities, warnings = _read(shared_lists / "ofac" / "consolidated_csv_2025-12")
    assert warnings == []
    assert len(entities) == 442
    assert _by_schema(entities) == {"person": 79, "organization": 363}
    # cons_alt.csv: aka 932, fka 141. Weak aliases: 68 in cons_prim.csv Remarks and 4 more in
    # the cons_comments.csv continuations, which are joined before parsing.
    assert _names_by_kind(entities) == {
        "primary": 442,
        "alias": 932,
        "former": 141,
        "weak_alias": 72,
    }
    assert sum(len(e.addresses) for e in entities) == 522  # of 574 rows, 52 are all -0-

    gazprombank = _entity(entities, "17016")
    assert [(n.full, n.kind) for n in gazprombank.names] == [
        ("GAZPROMBANK JOINT STOCK COMPANY", NameKind.PRIMARY),
        ("GAZPROMBANK OPEN JOINT STOCK COMPANY", NameKind.FORMER),
        ("BANK GPB JSC", NameKind.ALIAS),
        ("JOINT STOCK BANK OF THE GAS INDUSTRY GAZPROMBANK", NameKind.FORMER),
    ]
    assert gazprombank.programs == ["UKRAINE-EO13662", "RUSSIA-EO14024"]
    # The tax id, LEI and registration number are only in the cons_comments.csv continuation.
    assert [(i.type.value, i.value, i.country) for i in gazprombank.identifiers] == [
        ("bic", "GAZPRUMM", None),
        ("website", "www.gazprombank.ru", None),
        ("tax_id", "7744001497", "RU"),
        ("registration_number", "253400WSS48YWMBUA688", None),
        ("registration_number", "1027700167110", "RU"),
    ]
    assert "Listing Date (EO 14024 Directive 3): 24 Feb 2022" in gazprombank.remarks
    assert gazprombank.addresses[0].lines == ["16 Nametkina Street, Bldg. 1", "Moscow 117420"]
    assert gazprombank.addresses[0].country == "RU"
    assert [a.country for a in gazprombank.addresses] == ["RU", "MN", "KZ", "IN", "CN"]
    # A "Region: Gaza" country column keeps its text and maps to the territory.
    gaza = _entity(entities, "9647").addresses[0]
    assert (gaza.country, gaza.country_text) == ("PS", "Region: Gaza")


def test_consolidated_2018_set(shared_lists: Path) -> None:
    entities, warnings = _read(shared_lists / "ofac" / "consolidated_2018")
    assert warnings == []  # cons_comments.csv is empty (0 bytes): nothing to continue
    assert _by_schema(entities) == {"person": 94, "organization": 471, "vessel": 74}
    assert _count_ids(entities, IdentifierType.IMO) == 74
    assert _names_by_kind(entities) == {
        "primary": 639,
        "alias": 1024,
        "former": 185,
        "weak_alias": 46,
    }


def test_directory_with_both_sets_reads_as_one_list(shared_lists: Path, tmp_path: Path) -> None:
    ofac = shared_lists / "ofac"
    shutil.copy(ofac / "legacy_csv_2021" / "sdn.csv", tmp_path / "sdn.csv")
    for source in (ofac / "consolidated_csv_2025-12").iterdir():
        shutil.copy(source, tmp_path / source.name)
    listed = lists.open_list(tmp_path)
    files = [e.ref.file for e in listed.entities()]
    # The 2021 SDN and the 2025 Consolidated files share 4 ent_nums (awk join): entries that
    # moved between the lists. Files of one date never do; the SDN entries are kept.
    assert files == ["sdn.csv"] * 8890 + ["cons_prim.csv"] * (442 - 4)  # one list, SDN first
    warnings = listed.report.warnings
    assert warnings[0] == (
        "cons_prim.csv: 4 entries are also in sdn.csv (ent_num 9659, 18299, 18782, 28603): the "
        "files are not of the same date; the sdn.csv entries are kept"
    )
    assert len(warnings) == 1 + 7  # and the 2021 sdn.csv's Remarks cut at 1000 characters


def test_2025_companions_with_the_2024_sdn_report_orphans(
    shared_lists: Path, tmp_path: Path
) -> None:
    shutil.copy(shared_lists / "ofac" / "sdn.csv", tmp_path / "sdn.csv")
    shutil.copy(shared_lists / "ofac" / "legacy_csv_2025-12" / "alt.csv", tmp_path / "alt.csv")
    summary = _summarize(tmp_path, keep=("17013",))
    orphans = [w for w in summary.warnings if "not attached" in w]
    # awk join: 2460 of the 20107 alias rows (1567 ent_nums) name entries not in sdn.csv.
    assert len(orphans) == 2460
    assert len({w.split("ent_num ")[1].split(",")[0] for w in orphans}) == 1567
    assert orphans[0] == (
        "alt.csv:5838: alias 'GAZPROMBANK OPEN JOINT STOCK COMPANY' for ent_num 17016, "
        "which is not in sdn.csv; not attached"
    )
    kinds = summary.names_by_kind
    assert kinds["alias"] + kinds["former"] == 20107 - 2460
    vtb = summary.kept["17013"]
    assert vtb.primary_name == "VTB BANK PUBLIC JOINT STOCK COMPANY"
    assert Counter(n.kind for n in vtb.names) == {
        NameKind.PRIMARY: 1,
        NameKind.ALIAS: 6,
        NameKind.FORMER: 21,
    }
    assert "BANK VTB PAO" in [n.full for n in vtb.names]
    assert vtb.programs == ["UKRAINE-EO13662", "RUSSIA-EO14024"]
    ids = {(i.label, i.value, i.country) for i in vtb.identifiers}
    assert ("SWIFT/BIC", "VTBRRUMM", None) in ids
    assert ("Tax ID No.", "7702070139", "RU") in ids
    assert ("Registration ID", "1027739609391", "RU") in ids
    assert ("Legal Entity Number", "253400V1H6ART1UQ0N98", "RU") in ids


@pytest.mark.parametrize("folder", ["legacy_csv_2025-02", "legacy_csv_2025-12"])
def test_companions_without_their_primary_file_are_refused(shared_lists: Path, folder: str) -> None:
    path = shared_lists / "ofac" / folder
    with pytest.raises(ListReadError) as caught:
        lists.open_list(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert "alt.csv" in message and "add.csv" in message and "sdn_comments.csv" in message
    assert "not their primary file sdn.csv" in message
    result = CliRunner().invoke(main, ["lists", "inspect", str(path)])
    assert result.exit_code == 1
    assert "not their primary file sdn.csv" in result.output
    assert "Traceback" not in result.output


def test_lone_companion_file_is_refused(shared_lists: Path, tmp_path: Path) -> None:
    alt = shared_lists / "ofac" / "legacy_csv_2025-12" / "alt.csv"
    with pytest.raises(ListReadError, match=r"it needs its primary file sdn\.csv"):
        lists.open_list(alt)
    renamed = tmp_path / "aliases-2025.csv"
    shutil.copy(alt, renamed)
    with pytest.raises(ListReadError, match="OFAC legacy alias file read alone"):
        lists.open_list(renamed)


# --- sniffing ----------------------------------------------------------------------------------


def test_sniff(shared_lists: Path) -> None:
    sdn = shared_lists / "ofac" / "sdn.csv"
    assert legacy_csv.sniff(Head(path=sdn, data=sdn.read_bytes()[:65536]))
    assert legacy_csv.sniff(
        Head(path=sdn.parent, data=b"", is_dir=True, names=frozenset({"sdn.csv"}))
    )
    assert not legacy_csv.sniff(
        Head(path=sdn.parent, data=b"", is_dir=True, names=frozenset({"conlist.csv"}))
    )
    assert not legacy_csv.sniff(
        Head(path=sdn, data=b"Last Updated,14/04/2025\r\nName 6,Name 1\r\n")
    )
    assert not legacy_csv.sniff(Head(path=sdn, data=b'<?xml version="1.0"?><sdnList/>'))


# --- bad input -----------------------------------------------------------------------------------

GOOD_ROWS = (
    b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    b'173,"ANGLO-CARIBBEAN CO., LTD.",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    b'306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    b"\"a.k.a. 'BNC'.\"\r\n"
)


def _assert_refused(path: Path, message: str, where: str) -> None:
    with pytest.raises(ListReadError) as caught:
        list(lists.open_list(path).entities())
    assert str(caught.value).startswith(where)
    assert message in str(caught.value)
    result = CliRunner().invoke(main, ["lists", "inspect", str(path)])
    assert result.exit_code == 1
    assert where in result.output and message in result.output
    assert "Traceback" not in result.output


def test_truncated_row_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(GOOD_ROWS + b'424,"BOUTIQUE LA MAISON",-0- ,"CUBA",-0- ,-0- ')
    _assert_refused(path, "expected 12 fields in an OFAC primary", f"{path}:4")


def test_file_cut_inside_a_quoted_field_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(
        GOOD_ROWS
        + b'424,"BOUTIQUE LA MAISON",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 19'
    )
    _assert_refused(path, "malformed CSV", f"{path}:4")


def test_wrong_encoding_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    # 0x81 is not a character in Windows-1252.
    bad = b'475,"CASA DE CUBA \x81",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    path.write_bytes(GOOD_ROWS + bad + b"\x1a")
    _assert_refused(
        path, "not valid cp1252 (Windows-1252) text: byte 0x81 at column 19", f"{path}:4"
    )


def test_missing_column_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    short = b'475,"CASA DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    path.write_bytes(GOOD_ROWS[:-1] + b"\n" + short + GOOD_ROWS + b"\x1a")
    _assert_refused(
        path, "expected 12 fields in an OFAC primary (sdn/cons_prim) row, found 11", f"{path}:4"
    )


def test_bad_companion_row_names_the_companion_file(tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").write_bytes(GOOD_ROWS + b"\x1a")
    alt = tmp_path / "alt.csv"
    alt.write_bytes(b'306,220,"aka","NATIONAL BANK OF CUBA",-0- \r\n306,221,"aka"\r\n\x1a')
    _assert_refused(tmp_path, "expected 5 fields in an OFAC alias (alt) row, found 3", f"{alt}:2")


def test_unknown_sdn_type_and_duplicate_ent_num_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    ship = b'99,"SPACESHIP",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    path.write_bytes(GOOD_ROWS + ship.replace(b",-0- ,", b',"spaceship",', 1))
    _assert_refused(path, "unknown SDN_Type 'spaceship'", f"{path}:4")
    path.write_bytes(GOOD_ROWS + GOOD_ROWS[:80] + GOOD_ROWS[80:])
    _assert_refused(path, "ent_num 36 appears a second time", f"{path}:4")


def test_missing_end_of_file_byte_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").write_bytes(GOOD_ROWS)
    entities, warnings = _read(tmp_path / "sdn.csv")
    assert [e.primary_name for e in entities] == [
        "AEROCARIBBEAN AIRLINES",
        "ANGLO-CARIBBEAN CO., LTD.",
        "BANCO NACIONAL DE CUBA",
    ]
    assert warnings == [
        "sdn.csv: does not end with OFAC's end-of-file byte 0x1A; the file may be truncated "
        "at a line boundary"
    ]


def test_out_of_order_companion_is_still_joined(tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").write_bytes(GOOD_ROWS + b"\x1a")
    (tmp_path / "alt.csv").write_bytes(
        b'306,220,"aka","NATIONAL BANK OF CUBA",-0- \r\n'
        b'36,12,"aka","AERO-CARIBBEAN",-0- \r\n'
        b'999,13,"fka","NOBODY",-0- \r\n\x1a'
    )
    entities, warnings = _read(tmp_path)
    assert [n.full for n in entities[0].names] == ["AEROCARIBBEAN AIRLINES", "AERO-CARIBBEAN"]
    assert [n.full for n in entities[2].names] == [
        "BANCO NACIONAL DE CUBA",
        "NATIONAL BANK OF CUBA",
        "BNC",
    ]
    assert warnings == [
        "alt.csv:3: alias 'NOBODY' for ent_num 999, which is not in sdn.csv; not attached"
    ]


def test_comments_continue_only_remarks_cut_at_1000_characters(tmp_path: Path) -> None:
    head, tail = "DOB 1950; ", "Passport 12"
    remarks = head + "x" * (1000 - len(head) - len(tail) - 2) + "; " + tail
    assert len(remarks) == 1000
    cut_row = (
        f'7,"DOE, John","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"{remarks}"\r\n'
    )
    (tmp_path / "sdn.csv").write_bytes(GOOD_ROWS + cut_row.encode() + b"\x1a")
    # ent_num 7 after 306: out of order on purpose, so the companions are grouped in memory.
    (tmp_path / "sdn_comments.csv").write_bytes(b'7,"345 (Egypt)."\r\n306,"more"\r\n\x1a')
    entities, warnings = _read(tmp_path)
    doe = entities[-1]
    assert [(i.value, i.country) for i in doe.identifiers] == [("12345", "EG")]
    assert [d.year for d in doe.birth_dates] == [1950]
    assert warnings == [
        "sdn_comments.csv:2: continues the Remarks of ent_num 306, which are not cut at 1000 "
        "characters in sdn.csv (files of different dates?); not attached"
    ]
    assert entities[2].remarks == []  # "more" was not appended to BANCO NACIONAL's Remarks
