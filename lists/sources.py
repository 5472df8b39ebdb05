"""Where each authority publishes its lists: the only place in the code that holds download URLs.

One `FeedSpec` per *feed*: a file, or a set of files read together, that one download brings in.
A feed yields one or more datasets (`lists.datasets`): OFAC's legacy CSV set is eight files that
only make sense together and yields the SDN and the Consolidated (non-SDN) lists; trade.gov's
Consolidated Screening List is one CSV holding every ``us_csl_*`` sub-list; Japan publishes two
lists (MOF's asset freezes, METI's End User List) as two separate feeds of one source.

A feed's file has a fixed official URL, or, when the authority gives each revision a dated file
name, an index page (`FeedSpec.index_page`) that links it: `lists.fetch` then reads that page and
downloads the newest link matching `FeedSpec.link_pattern` (see `lists.links`).

The mirror contract: a mirror is any server (or directory) that serves every file under its
cache name (`SourceFile.name`) below one base URL, e.g. ``<base>/sdn.csv`` or
``<base>/shisantouketsu.xlsx``. Cache names are unique across all feeds, so one mirror serves
them all; no index page is followed on a mirror (the mirror's operator stores the current file
under the fixed name). This is how an air-gapped installation, or the tests, stand in for the
official hosts.

URLs as published by the authorities (checked in May 2026):

- OFAC: the Sanctions List Service exports, the host behind the "Data Center" download links of
  ofac.treasury.gov (SDN list and Consolidated (non-SDN) list pages). Eight legacy CSV files: the
  SDN set (sdn, add, alt, sdn_comments) and the consolidated non-SDN set (cons_prim, cons_add,
  cons_alt, cons_comments).
- UK: the FCDO UK Sanctions List, linked from gov.uk/government/publications/the-uk-sanctions-list.
  It is the only UK designations list since the OFSI Consolidated List closed on 28 January 2026,
  so dataset ``uk_ofsi`` has no feed (`NOT_DOWNLOADED`): archived files are loaded from disk.
- EU: the Financial Sanctions Files (FSF) full list, XML 1.1, as linked from the FSF RSS feed
  webgate.ec.europa.eu/fsd/fsf/public/rss. The token is the public one every FSF link carries.
- UN: the Security Council Consolidated List in XML, English.
- CA: Global Affairs Canada's Consolidated Canadian Autonomous Sanctions List (SEMA), XML.
- AU: DFAT's Consolidated List, XLSX.
- JP MOF: the Ministry of Finance asset-freeze list, XLSX, linked as a dated file
  (``shisantouketsuYYYYMMDD.xlsx``) from the list page
  www.mof.go.jp/policy/international_policy/gaitame_kawase/gaitame/economic_sanctions/list.html.
  The page links a CSV of the same name too; the pattern takes the workbook only.
- JP METI: the End User List, XLSX, linked as ``YYYYMMDD_N.xlsx`` (e.g. ``20250929_4.xlsx``: the
  revision date, then the attachment number of that day's release) from
  www.meti.go.jp/policy/anpo/law05.html. METI's export-control top page
  www.meti.go.jp/policy/anpo/law00.html has linked the same file; law05 is the page of the list
  itself, so it is the one followed. Two workbooks with the newest date on the page would be
  ambiguous and are refused rather than guessed between.
- US CSL: trade.gov's Consolidated Screening List, the CSV download linked from
  trade.gov/consolidated-screening-list (data.trade.gov, no API key needed for the file).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lists.datasets import BY_ID, datasets_of
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

# Datasets no feed downloads, and why (a name given to `lists update` gets this as its answer).
NOT_DOWNLOADED: dict[str, str] = {
    "uk_ofsi": "the OFSI Consolidated List closed on 28 January 2026 (the FCDO UK Sanctions "
    "List, feed uk, replaced it); load an archived copy from a file",
}


@dataclass(frozen=True)
class SourceFile:
    """One published file: `name` in the cache and on a mirror, `url` at the authority.

    `url` is empty when the feed's index page names the file (its name carries a date).
    """

    name: str
    url: str = ""


@dataclass(frozen=True)
class FeedSpec:
    """The files one download brings in, and the datasets they yield.

    `directory` is true when the files only make sense together and are read as one directory
    (OFAC's legacy CSV set); otherwise the feed has exactly one file, read on its own.
    `index_page` and `link_pattern` replace a fixed URL when every revision has a new, dated
    file name: `link_pattern` is searched in the path of each link of the page (resolved
    against the page's URL) and must capture the date as a group named ``date`` (YYYYMMDD).
    """

    name: str
    source: Source
    title: str
    datasets: tuple[str, ...]
    files: tuple[SourceFile, ...]
    directory: bool = False
    index_page: str = ""
    link_pattern: str = ""

    def __post_init__(self) -> None:
        # A wrong table entry fails at import, not at the first download months later.
        if not self.directory and len(self.files) != 1:
            raise ValueError(f"feed {self.name}: a feed that is no directory has one file")
        if bool(self.index_page) != bool(self.link_pattern):
            raise ValueError(f"feed {self.name}: index_page and link_pattern go together")
        if self.index_page:
            if len(self.files) != 1 or self.files[0].url:
                raise ValueError(f"feed {self.name}: an index page names exactly one file")
            if "date" not in re.compile(self.link_pattern).groupindex:
                raise ValueError(f"feed {self.name}: link_pattern needs a group named 'date'")
        elif not all(file.url for file in self.files):
            raise ValueError(f"feed {self.name}: every file needs a URL or an index page")


def _one_file(name: str, url: str = "") -> tuple[SourceFile, ...]:
    return (SourceFile(name, url),)


_FEEDS: tuple[FeedSpec, ...] = (
    FeedSpec(
        name="ofac",
        source=Source.OFAC,
        title="OFAC SDN and Consolidated (non-SDN) lists, legacy CSV set",
        datasets=("ofac_sdn", "ofac_consolidated"),
        files=tuple(SourceFile(name, _OFAC_EXPORTS + name.upper()) for name in _OFAC_FILES),
        directory=True,
    ),
    FeedSpec(
        name="uk",
        source=Source.UK,
        title="UK Sanctions List (FCDO), XML",
        datasets=("uk_sanctions_list",),
        files=_one_file(
            "UK-Sanctions-List.xml", "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"
        ),
    ),
    FeedSpec(
        name="eu",
        source=Source.EU,
        title="EU Financial Sanctions Files (FSF), full list, XML 1.1",
        datasets=("eu_fsf",),
        files=_one_file(
            "xmlFullSanctionsList_1_1.xml",
            "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1"
            "/content?token=dG9rZW4tMjAxNw",
        ),
    ),
    FeedSpec(
        name="un",
        source=Source.UN,
        title="UN Security Council Consolidated List, XML",
        datasets=("un_sc",),
        files=_one_file(
            "consolidated.xml", "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
        ),
    ),
    FeedSpec(
        name="ca",
        source=Source.CA,
        title="Canada Consolidated Canadian Autonomous Sanctions List (SEMA), XML",
        datasets=("ca_sema",),
        files=_one_file(
            "sema-lmes.xml",
            "https://www.international.gc.ca/world-monde/assets/office_docs/"
            "international_relations-relations_internationales/sanctions/sema-lmes.xml",
        ),
    ),
    FeedSpec(
        name="au",
        source=Source.AU,
        title="Australia DFAT Consolidated List, XLSX",
        datasets=("au_dfat",),
        files=_one_file(
            "regulation8_consolidated.xlsx",
            "https://www.dfat.gov.au/sites/default/files/regulation8_consolidated.xlsx",
        ),
    ),
    FeedSpec(
        name="jp_mof",
        source=Source.JP,
        title="Japan MOF asset-freeze list (Foreign Exchange Act), XLSX",
        datasets=("jp_mof",),
        files=_one_file("shisantouketsu.xlsx"),
        index_page="https://www.mof.go.jp/policy/international_policy/gaitame_kawase/gaitame/"
        "economic_sanctions/list.html",
        link_pattern=r"/shisantouketsu(?P<date>\d{8})\.xlsx$",
    ),
    FeedSpec(
        name="jp_meti",
        source=Source.JP,
        title="Japan METI End User List (export control), XLSX",
        datasets=("jp_meti_eul",),
        files=_one_file("end_user_list.xlsx"),
        index_page="https://www.meti.go.jp/policy/anpo/law05.html",
        link_pattern=r"/(?P<date>\d{8})_\d+\.xlsx$",
    ),
    FeedSpec(
        name="us_csl",
        source=Source.US_CSL,
        title="US Consolidated Screening List (trade.gov), CSV",
        datasets=tuple(dataset.id for dataset in datasets_of(Source.US_CSL)),
        files=_one_file(
            "consolidated.csv",
            "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
        ),
    ),
)

FEEDS: dict[str, FeedSpec] = {feed.name: feed for feed in _FEEDS}


class UnknownFeedError(ValueError):
    """A name that is no feed, source or downloadable dataset; the message lists the choices."""


def feeds_of(source: Source) -> tuple[FeedSpec, ...]:
    return tuple(feed for feed in FEEDS.values() if feed.source is source)


def feed_of_dataset(dataset_id: str) -> FeedSpec | None:
    """The feed that yields `dataset_id`, or None when no feed does."""
    return next((feed for feed in FEEDS.values() if dataset_id in feed.datasets), None)


def select_feeds(names: Iterable[str]) -> tuple[FeedSpec, ...]:
    """The feeds that `names` select, in table order; no name selects every feed.

    A name is a feed (``jp_mof``), a source (``jp``: all its feeds) or a dataset id
    (``us_csl_el``: the feed that yields it). Raises `UnknownFeedError` for any other name.
    """
    chosen: set[str] = set()
    for name in names:
        chosen.update(feed.name for feed in _feeds_named(name))
    if not chosen:
        return tuple(FEEDS.values())
    return tuple(feed for feed in FEEDS.values() if feed.name in chosen)


def _feeds_named(name: str) -> tuple[FeedSpec, ...]:
    if name in FEEDS:
        return (FEEDS[name],)
    if name in {source.value for source in Source}:
        return feeds_of(Source(name))
    if name in NOT_DOWNLOADED:
        raise UnknownFeedError(f"dataset {name} is not downloaded: {NOT_DOWNLOADED[name]}")
    feed = feed_of_dataset(name) if name in BY_ID else None
    if feed is None:
        raise UnknownFeedError(
            f"unknown list {name!r}: give a feed ({', '.join(FEEDS)}), a source "
            f"({', '.join(source.value for source in Source)}) or a dataset id "
            f"({', '.join(sorted(set(BY_ID) - set(NOT_DOWNLOADED)))})"
        )
    return (feed,)


def source_spec(source: Source | str) -> FeedSpec:
    """The feed of a source that has only one ("un"); `ValueError` for others ("jp")."""
    try:
        known = Source(source)
    except ValueError:
        names = ", ".join(member.value for member in Source)
        raise ValueError(f"unknown source {source!r} (known: {names})") from None
    feeds = feeds_of(known)
    if len(feeds) != 1:
        names = ", ".join(feed.name for feed in feeds)
        raise ValueError(f"source {known.value} has several feeds ({names}): name one of them")
    return feeds[0]


def mirror_url(file: SourceFile, base_url: str) -> str:
    """Where a mirror at `base_url` serves `file`: the base plus the file's cache name."""
    return base_url.rstrip("/") + "/" + file.name
