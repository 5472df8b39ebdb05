"""The datasets: each official list is a dataset of its own, published by one `Source`.

A source (an authority) may publish several lists side by side: OFAC its SDN list and its
Consolidated (non-SDN) list, the UK the OFSI Consolidated List and the FCDO UK Sanctions List,
trade.gov the Consolidated Screening List with a dozen sub-lists of three US departments. The
store keeps one active version per dataset, so loading one of them never deactivates another.

`member` is the coalition member whose list it is (ISO 3166-1 alpha-2, "EU" or "UN"), so that a
hit can say which members list a party; `kind` tells sanctions (asset freeze, prohibitions)
from export control (licence requirements: the Entity List, METI's End User List).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from lists.model import Source


class ListKind(StrEnum):
    SANCTIONS = "sanctions"
    EXPORT_CONTROL = "export_control"


@dataclass(frozen=True)
class Dataset:
    id: str
    source: Source
    title: str
    member: str
    kind: ListKind = ListKind.SANCTIONS
    # How the publisher names the list inside a multi-list file (the CSL `source` column).
    published_as: str = ""


_CSL = "Consolidated Screening List: "

DATASETS: tuple[Dataset, ...] = (
    Dataset("ofac_sdn", Source.OFAC, "OFAC Specially Designated Nationals (SDN) List", "US"),
    Dataset("ofac_consolidated", Source.OFAC, "OFAC Consolidated (non-SDN) List", "US"),
    Dataset("uk_ofsi", Source.UK, "UK OFSI Consolidated List of Financial Sanctions Targets", "GB"),
    Dataset("uk_sanctions_list", Source.UK, "UK Sanctions List (FCDO)", "GB"),
    Dataset("eu_fsf", Source.EU, "EU Financial Sanctions Files (consolidated list)", "EU"),
    Dataset("un_sc", Source.UN, "UN Security Council Consolidated List", "UN"),
    Dataset("ca_sema", Source.CA, "Canada Consolidated Autonomous Sanctions List (SEMA)", "CA"),
    Dataset("au_dfat", Source.AU, "Australia DFAT Consolidated List", "AU"),
    Dataset("jp_mof", Source.JP, "Japan MOF asset freeze list (Foreign Exchange Act)", "JP"),
    Dataset("jp_meti_eul", Source.JP, "Japan METI End User List", "JP", ListKind.EXPORT_CONTROL),
    Dataset(
        "us_csl_sdn",
        Source.US_CSL,
        _CSL + "Specially Designated Nationals (SDN)",
        "US",
        published_as="Specially Designated Nationals (SDN) - Treasury Department",
    ),
    Dataset(
        "us_csl_el",
        Source.US_CSL,
        _CSL + "BIS Entity List",
        "US",
        ListKind.EXPORT_CONTROL,
        "Entity List (EL) - Bureau of Industry and Security",
    ),
    Dataset(
        "us_csl_meu",
        Source.US_CSL,
        _CSL + "BIS Military End User List",
        "US",
        ListKind.EXPORT_CONTROL,
        "Military End User (MEU) List - Bureau of Industry and Security",
    ),
    Dataset(
        "us_csl_uvl",
        Source.US_CSL,
        _CSL + "BIS Unverified List",
        "US",
        ListKind.EXPORT_CONTROL,
        "Unverified List (UVL) - Bureau of Industry and Security",
    ),
    Dataset(
        "us_csl_dpl",
        Source.US_CSL,
        _CSL + "BIS Denied Persons List",
        "US",
        ListKind.EXPORT_CONTROL,
        "Denied Persons List (DPL) - Bureau of Industry and Security",
    ),
    Dataset(
        "us_csl_ssi",
        Source.US_CSL,
        _CSL + "Sectoral Sanctions Identifications (SSI)",
        "US",
        published_as="Sectoral Sanctions Identifications List (SSI) - Treasury Department",
    ),
    Dataset(
        "us_csl_fse",
        Source.US_CSL,
        _CSL + "Foreign Sanctions Evaders (FSE)",
        "US",
        published_as="Foreign Sanctions Evaders (FSE) - Treasury Department",
    ),
    Dataset(
        "us_csl_plc",
        Source.US_CSL,
        _CSL + "Palestinian Legislative Council (PLC)",
        "US",
        published_as="Palestinian Legislative Council List (PLC) - Treasury Department",
    ),
    Dataset(
        "us_csl_cap",
        Source.US_CSL,
        _CSL + "Correspondent Account or Payable-Through Account Sanctions (CAPTA)",
        "US",
        published_as="Capta List (CAP) - Treasury Department",
    ),
    Dataset(
        "us_csl_ns_mbs",
        Source.US_CSL,
        _CSL + "Non-SDN Menu-Based Sanctions (NS-MBS)",
        "US",
        published_as="Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department",
    ),
    Dataset(
        "us_csl_cmic",
        Source.US_CSL,
        _CSL + "Non-SDN Chinese Military-Industrial Complex Companies (CMIC)",
        "US",
        published_as=(
            "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - "
            "Treasury Department"
        ),
    ),
    Dataset(
        "us_csl_isn",
        Source.US_CSL,
        _CSL + "State Department Nonproliferation Sanctions (ISN)",
        "US",
        ListKind.EXPORT_CONTROL,
        "Nonproliferation Sanctions (ISN) - State Department",
    ),
    Dataset(
        "us_csl_dtc",
        Source.US_CSL,
        _CSL + "State Department ITAR Debarred (DTC)",
        "US",
        ListKind.EXPORT_CONTROL,
        "ITAR Debarred (DTC) - State Department",
    ),
)

BY_ID: dict[str, Dataset] = {dataset.id: dataset for dataset in DATASETS}
_SOURCE_ORDER = [source.value for source in Source]
_SOURCE_NAMES = frozenset(_SOURCE_ORDER)


class UnknownDatasetError(ValueError):
    """A dataset name that is not in `DATASETS`, or that belongs to another source."""


def datasets_of(source: Source) -> tuple[Dataset, ...]:
    return tuple(dataset for dataset in DATASETS if dataset.source is source)


def dataset_for(source: Source, dataset_id: str = "") -> Dataset:
    """The dataset `dataset_id` of `source`; an empty id names the source's only dataset."""
    if not dataset_id:
        candidates = datasets_of(source)
        if len(candidates) != 1:
            names = ", ".join(dataset.id for dataset in candidates)
            raise UnknownDatasetError(f"source {source.value} publishes several lists ({names})")
        return candidates[0]
    found = BY_ID.get(dataset_id)
    if found is None:
        raise UnknownDatasetError(f"unknown dataset {dataset_id!r}")
    if found.source is not source:
        raise UnknownDatasetError(
            f"dataset {dataset_id} belongs to {found.source.value}, not {source.value}"
        )
    return found


def dataset_ids(name: Source | str) -> list[str]:
    """The dataset ids a list name stands for: a dataset id itself, or every dataset of a source.

    `UnknownDatasetError` when the name is neither.
    """
    if isinstance(name, str) and name in BY_ID:
        return [name]
    try:
        source = Source(name)
    except ValueError:
        raise UnknownDatasetError(f"no source or dataset is called {name!r}") from None
    return [dataset.id for dataset in datasets_of(source)]


def list_names(values: Iterable[str]) -> list[str]:
    """List names as a caller gives them (``--lists``, ``"lists"``), trimmed and lower-cased.

    A blank name, or none at all, would filter out every list and answer `clear`: refused, like
    an unknown one, with `UnknownDatasetError` (a `ValueError`).
    """
    cleaned = [value.strip().lower() for value in values]
    if not cleaned or "" in cleaned:
        raise UnknownDatasetError("a blank list name (give sources or dataset ids, or no lists)")
    unknown = [name for name in cleaned if name not in BY_ID and name not in _SOURCE_NAMES]
    if unknown:
        raise UnknownDatasetError(
            f"unknown list {', '.join(map(repr, unknown))}: give a source "
            f"({', '.join(_SOURCE_ORDER)}) or a dataset id (lists.datasets)"
        )
    return cleaned
