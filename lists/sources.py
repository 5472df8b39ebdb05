"""Where each authority publishes its list: the only place in the code that holds download URLs.

One `SourceSpec` per `Source`. A spec names the files that together make one list version (OFAC
publishes its legacy CSV set as eight files that only make sense together; the others publish
one XML file) and, for each file, the name it gets in the local cache and on a mirror. A mirror
is any server (or directory) that serves those same names under one base URL, which is how an
air-gapped installation, or the tests, stand in for the official hosts.

URLs as published by the authorities (checked in May 2026):

- OFAC: the Sanctions List Service exports, the host behind the "Data Center" download links of
  ofac.treasury.gov (SDN list and Consolidated (non-SDN) list pages). Eight legacy CSV files: the
  SDN set (sdn, add, alt, sdn_comments) and the consolidated non-SDN set (cons_prim, cons_add,
  cons_alt, cons_comments).
- UK: the FCDO UK Sanctions List, linked from gov.uk/government/publications/the-uk-sanctions-list.
  It is the only UK designations list since the OFSI Consolidated List closed on 28 January 2026.
- EU: the Financial Sanctions Files (FSF) full list, XML 1.1, as linked from the FSF RSS feed
  webgate.ec.europa.eu/fsd/fsf/public/rss. The token is the public one every FSF link carries.
- UN: the Security Council Consolidated List in XML, English.
- JP: the Ministry of Finance asset-freeze list, XLSX. MOF links a dated file
  (shisantouketsuYYYYMMDD.xlsx) from www.mof.go.jp/policy/international_policy/gaitame_kawase/
  gaitame/economic_sanctions/list.html; following that page is still to do, so the spec names
  the current undated file.
- US CSL: trade.gov's Consolidated Screening List, the CSV download linked from
  trade.gov/consolidated-screening-list (data.trade.gov, no API key needed for the file).
"""

from __future__ import annotations

from dataclasses import dataclass

from lists.model import Source

_OFAC_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"

_OFAC_FILES = (
    "sdn.csv",
    "add.csv",
    "alt.csv",
    "sdn_comments.csv",
    "cons_prim.csv",
    "cons_add.csv",
    "cons_alt.csv",
    "cons_comments.csv",
)


@dataclass(frozen=True)
class SourceFile:
    """One published file: `name` in the cache and on a mirror, `url` at the authority."""

    name: str
    url: str


@dataclass(frozen=True)
class SourceSpec:
    """The files one authority publishes for one list version.

    `directory` is true when the files only make sense together and are read as one directory
    (OFAC's legacy CSV set); otherwise the spec has exactly one file, read on its own.
    """

    source: Source
    title: str
    files: tuple[SourceFile, ...]
    directory: bool


SOURCES: dict[Source, SourceSpec] = {
    Source.OFAC: SourceSpec(
        source=Source.OFAC,
        title="OFAC SDN and Consolidated (non-SDN) lists, legacy CSV set",
        files=tuple(SourceFile(name, _OFAC_EXPORTS + name.upper()) for name in _OFAC_FILES),
        directory=True,
    ),
    Source.UK: SourceSpec(
        source=Source.UK,
        title="UK Sanctions List (FCDO), XML",
        files=(
            SourceFile(
                "UK-Sanctions-List.xml",
                "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml",
            ),
        ),
        directory=False,
    ),
    Source.EU: SourceSpec(
        source=Source.EU,
        title="EU Financial Sanctions Files (FSF), full list, XML 1.1",
        files=(
            SourceFile(
                "xmlFullSanctionsList_1_1.xml",
                "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1"
                "/content?token=dG9rZW4tMjAxNw",
            ),
        ),
        directory=False,
    ),
    Source.UN: SourceSpec(
        source=Source.UN,
        title="UN Security Council Consolidated List, XML",
        files=(
            SourceFile(
                "consolidated.xml",
                "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
            ),
        ),
        directory=False,
    ),
    Source.CA: SourceSpec(
        source=Source.CA,
        title="Canada Consolidated Canadian Autonomous Sanctions List (SEMA), XML",
        files=(
            SourceFile(
                "sema-lmes.xml",
                "https://www.international.gc.ca/world-monde/assets/office_docs/"
                "international_relations-relations_internationales/sanctions/sema-lmes.xml",
            ),
        ),
        directory=False,
    ),
    Source.AU: SourceSpec(
        source=Source.AU,
        title="Australia DFAT Consolidated List, XLSX",
        files=(
            SourceFile(
                "regulation8_consolidated.xlsx",
                "https://www.dfat.gov.au/sites/default/files/regulation8_consolidated.xlsx",
            ),
        ),
        directory=False,
    ),
    Source.JP: SourceSpec(
        source=Source.JP,
        title="Japan MOF asset-freeze list (Foreign Exchange Act), XLSX",
        files=(
            SourceFile(
                "shisantouketsu.xlsx",
                "https://www.mof.go.jp/policy/international_policy/gaitame_kawase/gaitame/"
                "economic_sanctions/shisantouketsu.xlsx",
            ),
        ),
        directory=False,
    ),
    Source.US_CSL: SourceSpec(
        source=Source.US_CSL,
        title="US Consolidated Screening List (trade.gov), CSV",
        files=(
            SourceFile(
                "consolidated.csv",
                "https://data.trade.gov/downloadable_consolidated_screening_list/v1/"
                "consolidated.csv",
            ),
        ),
        directory=False,
    ),
}


def source_spec(source: Source | str) -> SourceSpec:
    """The spec of a source given as `Source` or its value ("ofac", "uk", "eu", "un")."""
    try:
        return SOURCES[Source(source)]
    except ValueError:
        known = ", ".join(member.value for member in Source)
        raise ValueError(f"unknown source {source!r} (known: {known})") from None


def mirror_url(file: SourceFile, base_url: str) -> str:
    """Where a mirror at `base_url` serves `file`: the base plus the file's cache name."""
    return base_url.rstrip("/") + "/" + file.name
