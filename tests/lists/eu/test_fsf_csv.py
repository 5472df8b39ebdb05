"""EU FSF CSV 1.1, read from fixtures/fsf_sample.csv (the GSmiguel XML excerpt as CSV rows).

No real EU CSV is available; the fixture was written from the raw XML by
fixtures/make_fsf_sample_csv.py. The key property: the CSV and the XML of the same export
give equal entities.

The column names: no official description of the CSV 1.1 headers could be found offline (the
FSF publishes the XML 1.1 schema, which is in ../shared/data, but no CSV documentation was
found in the docs or pages corpora). So the fixture generator writes the header as a literal
list, cross-checked against public readers of real downloads (sources in the generator), and
the tests here check that the adapter expects exactly that list, and that every column names
an attribute or element of its section in the official XML schema, read with lxml.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from cli import main
from lists import Entity, IdentifierType, ListReadError, NameKind, ReadReport, open_list
from lists.eu import fsf_csv
from lists.inspect import inspect_list
from tests.lists.eu.fixtures.make_fsf_sample_csv import CSV_1_1_HEADER

FIXTURE = Path(__file__).parent / "fixtures" / "fsf_sample.csv"
GSMIGUEL = "eu/fixtures/GSmiguel/sample_eu_fsf.xml"
HEADER = ";".join(fsf_csv.COLUMNS)


def _row(**values: str) -> str:
    return ";".join(values.get(column, "") for column in fsf_csv.COLUMNS)


def _write(tmp_path: Path, *rows: str, header: str = HEADER, encoding: str = "utf-8") -> Path:
    path = tmp_path / "eu.csv"
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


def _inspect_cli(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["lists", "inspect", str(path)])
    return result.exit_code, " ".join(result.output.split())


@pytest.fixture(scope="module")
def csv_entities() -> list[Entity]:
    return list(open_list(FIXTURE).entities())


def test_fixture_is_small_and_has_the_official_header() -> None:
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER
    assert len(fsf_csv.COLUMNS) == 118
    assert FIXTURE.stat().st_size < 50_000


def test_adapter_expects_the_csv_1_1_header_written_out_in_the_generator() -> None:
    assert fsf_csv.COLUMNS == CSV_1_1_HEADER
    assert len(CSV_1_1_HEADER) == len(set(CSV_1_1_HEADER)) == 118


XSD = "eu/schema/schema_1_1.xsd"
XS = "{http://www.w3.org/2001/XMLSchema}"
# Which XML 1.1 type each column prefix describes (the longest prefix wins). The regulation
# columns of a section hold its full regulation (organisation type, entry into force and
# programme are not in the XML's regulationSummary), so they are checked against RegulationType.
PREFIX_TYPES = {
    "Entity": "SanctionEntityType",
    "Entity_Regulation": "RegulationType",
    "Entity_SubjectType": "SubjectTypeType",
    "NameAlias": "NameAliasType",
    "Address": "AddressType",
    "BirthDate": "BirthdateType",
    "Identification": "IdentificationType",
    "Citizenship": "CitizenshipType",
    **{
        f"{section}_Regulation": "RegulationType"
        for section in ("NameAlias", "Address", "BirthDate", "Identification", "Citizenship")
    },
}
# The CSV names that are not their XML name (compared without case and underscores).
CSV_NAMES_OF_XML = {
    ("RegulationType", "Type"): "regulationType",
    ("BirthdateType", "Day"): "dayOfMonth",
    ("BirthdateType", "Month"): "monthOfYear",
    ("IdentificationType", "IssuedDate"): "issueDate",
    ("IdentificationType", "TypeCode"): "identificationTypeCode",
    ("IdentificationType", "TypeDescription"): "identificationTypeDescription",
}

XML_STRUCTURE = {
    "nameAlias",
    "address",
    "birthdate",
    "identification",
    "citizenship",
    "regulation",
    "regulationSummary",
}


def _schema_names(xsd: Path) -> dict[str, set[str]]:
    """Attribute and element names of each complexType, with those of its base types."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.parse(str(xsd), parser).getroot()
    groups = {
        str(group.get("name")): {str(a.get("name")) for a in group.iter(f"{XS}attribute")}
        for group in root.iter(f"{XS}attributeGroup")
        if group.get("name")
    }
    own: dict[str, set[str]] = {}
    bases: dict[str, str] = {}
    for complex_type in root.iter(f"{XS}complexType"):
        name = str(complex_type.get("name"))
        own[name] = {
            str(node.get("name"))
            for node in complex_type.iter(f"{XS}attribute", f"{XS}element")
            if node.get("name")
        }
        for ref in complex_type.iter(f"{XS}attributeGroup"):
            own[name] |= groups[str(ref.get("ref")).split(":")[-1]]
        for extension in complex_type.iter(f"{XS}extension"):
            bases[name] = str(extension.get("base")).split(":")[-1]

    def with_bases(name: str) -> set[str]:
        return own[name] | (with_bases(bases[name]) if name in bases else set())

    return {name: with_bases(name) for name in own}


def _squash(name: str) -> str:
    return name.replace("_", "").lower()


def _xml_name(column: str) -> tuple[str, str]:
    """The XML 1.1 type a column describes, and its name there (squashed)."""
    prefix = max((p for p in PREFIX_TYPES if column.startswith(f"{p}_")), key=len)
    xml_type = PREFIX_TYPES[prefix]
    field = column[len(prefix) + 1 :]
    return xml_type, _squash(CSV_NAMES_OF_XML.get((xml_type, field), field))


def test_every_column_names_its_section_in_the_official_xml_schema(shared_lists: Path) -> None:
    schema = _schema_names(shared_lists / XSD)
    assert CSV_1_1_HEADER[0] == "fileGenerationDate" and "generationDate" in schema["ExportType"]
    targets = [_xml_name(column) for column in CSV_1_1_HEADER[1:]]
    unmatched = [
        column
        for column, (xml_type, name) in zip(CSV_1_1_HEADER[1:], targets, strict=True)
        if name not in {_squash(known) for known in schema[xml_type]}
    ]
    assert unmatched == []
    # The other way round, measured: the XML 1.1 data of these types that has no column of its
    # own name (the section elements and regulationSummary are the sections themselves).
    covered = set(targets)
    without_column = sorted(
        f"{xml_type}.{name}"
        for xml_type in set(PREFIX_TYPES.values())
        for name in schema[xml_type] - XML_STRUCTURE
        if (xml_type, _squash(name)) not in covered
    )
    assert without_column == [
        *(f"{t}.additionalInformation" for t in ("AddressType", "BirthdateType")),
        "CitizenshipType.acquisitionDate",
        "CitizenshipType.additionalInformation",
        "CitizenshipType.disenfranchisementDate",
        "IdentificationType.additionalInformation",
        "NameAliasType.additionalInformation",
        "NameAliasType.strong",
        "RegulationType.additionalInformation",
        "RegulationType.corrigendum",
        "RegulationType.logicalId",
        "RegulationType.remark",
        "SanctionEntityType.additionalInformation",
        "SanctionEntityType.delistingDate",
        # Not lost: the CSV swaps the names, the word (person) is in
        # Entity_SubjectType_ClassificationCode and the letter (P) in Entity_SubjectType.
        "SubjectTypeType.code",
    ]


def test_detected_with_its_generation_date() -> None:
    listed = open_list(FIXTURE)
    assert listed.format.name == "eu-fsf-csv"
    assert listed.published == dt.date(2026, 8, 5)  # fileGenerationDate 05/08/2026


def test_csv_and_xml_of_one_export_give_equal_entities(
    csv_entities: list[Entity], shared_lists: Path
) -> None:
    xml_entities = list(open_list(shared_lists / GSMIGUEL).entities())
    assert [e.entry_id for e in csv_entities] == ["191", "521", "3822", "6106", "6177"]
    assert [e.model_dump(exclude={"ref"}) for e in csv_entities] == [
        e.model_dump(exclude={"ref"}) for e in xml_entities
    ]
    assert {(e.ref.format, e.ref.file) for e in csv_entities} == {("eu-fsf-csv", "fsf_sample.csv")}
    assert [e.ref.record for e in csv_entities] == ["191", "521", "3822", "6106", "6177"]


def test_counts_match_the_xml() -> None:
    result = inspect_list(FIXTURE)
    assert result.entities == 5
    assert result.by_schema == {"person": 4, "organization": 1, "vessel": 0, "aircraft": 0}
    assert result.names_by_kind == {"primary": 5, "alias": 37, "weak_alias": 3}
    assert result.identifiers == 15
    assert result.programs == ["AFG", "IRN", "LBY", "TAQA", "TERR"]
    assert result.warnings == []


def test_spot_checks_from_the_rows(csv_entities: list[Entity]) -> None:
    by_id = {e.entry_id: e for e in csv_entities}
    asiri = by_id["6177"]
    # "low quality aliias" sits in NameAlias_Remark of the Abu Saleh row.
    assert [n.full for n in asiri.names if n.kind is NameKind.WEAK_ALIAS] == [
        "Abu-Salaah",
        "Abosslah",
        "Abu Saleh",
    ]
    assert [d.text for d in asiri.birth_dates][1] == "1982-04-19 (1402-06-24 islamic calendar)"
    parchin = by_id["3822"]
    # Address_ContactInfo "WEB[http://icig.ir/]\nPHONE[+98 21 2258929; ...]", twice.
    assert [i.value for i in parchin.identifiers if i.type is IdentifierType.PHONE] == [
        "+98 21 2258929",
        "+98 21 35243153",
        "+98 21 3130626",
    ]
    assert len(parchin.addresses) == 6
    # Entity_Remark "(Believed to be ...)" loses the brackets the CSV wraps remarks in.
    assert by_id["521"].remarks[0].startswith("Believed to be in Afghanistan/ Pakistan")
    assert by_id["6106"].listed_on == dt.date(2011, 2, 26)


def test_entity_without_a_name_is_reported(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _row(Entity_LogicalId="7", Entity_SubjectType="P", BirthDate_Year="1970"),
        _row(Entity_LogicalId="8", Entity_SubjectType="E", NameAlias_WholeName="ACME LTD"),
        _row(NameAlias_WholeName="Orphan"),
    )
    report = ReadReport()
    entities = list(fsf_csv.entities(path, report))
    assert [(e.entry_id, e.primary_name) for e in entities] == [("8", "ACME LTD")]
    assert len(report.warnings) == 2
    assert "(line 2): sanctionEntity logicalId 7 has no name" in report.warnings[0]
    assert report.warnings[1] == "eu.csv:4: a row without Entity_LogicalId was skipped"


def test_dates_in_day_month_year_form(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _row(
            fileGenerationDate="05/08/2026",
            Entity_LogicalId="8",
            Entity_SubjectType_ClassificationCode="person",
            Entity_DesignationDate="25/01/2001",
            NameAlias_WholeName="Jan Novak",
            NameAlias_Remark="(Good quality alias)",
        ),
        _row(Entity_LogicalId="8", BirthDate_BirthDate="14/04/1965", BirthDate_Circa="true"),
    )
    (entity,) = fsf_csv.entities(path, ReadReport())
    assert entity.listed_on == dt.date(2001, 1, 25)
    assert [(d.as_date(), d.circa) for d in entity.birth_dates] == [(dt.date(1965, 4, 14), True)]
    assert entity.remarks == []


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("column", ["NameAlias_WholeName", "Entity_LogicalId"])
def test_missing_required_column(tmp_path: Path, column: str) -> None:
    header = HEADER.replace(column, "Unused")
    path = _write(tmp_path, _row(Entity_LogicalId="1", NameAlias_WholeName="X"), header=header)
    with pytest.raises(ListReadError) as error:
        list(open_list(path).entities())
    assert str(error.value).startswith(f"{path}:1: not an EU FSF CSV 1.1: required column(s)")
    assert column in str(error.value)
    code, output = _inspect_cli(path)
    assert code == 1
    assert column in output and "Traceback" not in output


def test_wrong_encoding(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _row(Entity_LogicalId="1", Entity_SubjectType="E", NameAlias_WholeName="Parchin"),
        _row(Entity_LogicalId="1", NameAlias_WholeName="Industrias Químicas Parchin"),
        encoding="cp1252",
    )
    with pytest.raises(ListReadError) as error:
        list(open_list(path).entities())
    assert str(error.value).startswith(f"{path}:3: not valid UTF-8 text: byte 0xed at column 34")
    code, output = _inspect_cli(path)
    assert code == 1
    assert f"{path}:3: not valid UTF-8" in output and "Traceback" not in output


def test_utf16_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, _row(Entity_LogicalId="1", NameAlias_WholeName="X"), encoding="utf-16")
    with pytest.raises(ListReadError, match="the file is UTF-16") as error:
        list(open_list(path).entities())
    assert error.value.line == 1


def test_truncated_file(tmp_path: Path) -> None:
    data = FIXTURE.read_bytes()
    path = tmp_path / "eu.csv"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ListReadError) as error:
        list(open_list(path).entities())
    assert "fields where the header has 118" in str(error.value)
    assert error.value.line is not None and error.value.line > 2
    code, output = _inspect_cli(path)
    assert code == 1
    assert "fields where the header has 118" in output and "Traceback" not in output


def test_rows_of_an_entity_must_be_together(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _row(Entity_LogicalId="1", Entity_SubjectType="P", NameAlias_WholeName="A"),
        _row(Entity_LogicalId="2", Entity_SubjectType="P", NameAlias_WholeName="B"),
        _row(Entity_LogicalId="1", NameAlias_WholeName="A2"),
    )
    with pytest.raises(ListReadError) as error:
        list(open_list(path).entities())
    assert str(error.value).startswith(
        f"{path}:4 (record 1): the rows of entity 1 are not together"
    )
