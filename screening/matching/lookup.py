"""Listed parties found by an identifier alone: a BIC, an IMO number, a crypto address ...

A payment names an agent bank often by its BIC only, and a free text can carry a BIC, an IMO
number or a wallet address with no name around it. Such a value needs no name to screen: every
listed entity carrying it (after `normalize_identifier`, the same form the index holds) is a
hit with decision MATCH and score 1.0, explained by the identifier that matched.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from lists.datasets import dataset_ids, list_names
from lists.model import IdentifierType
from lists.values.identifiers import parse_bic
from screening.matching.index import NameIndex, normalize_identifier
from screening.matching.results import Decision, Explanation, FeatureScore, Hit, ListingRef

IDENTIFIER_SCORE = 1.0


def identifier_kind(kind: str | IdentifierType) -> IdentifierType:
    """The identifier type a kind names ("bic", "imo", "crypto_address" ...).

    Raises ValueError naming the known kinds for anything else (``other`` included: those
    values are not indexed).
    """
    try:
        identifier_type = IdentifierType(kind.strip().lower() if isinstance(kind, str) else kind)
    except ValueError:
        identifier_type = IdentifierType.OTHER
    if identifier_type is IdentifierType.OTHER:
        known = ", ".join(sorted(t.value for t in IdentifierType if t is not IdentifierType.OTHER))
        raise ValueError(f"unknown identifier type {kind!r}: use one of {known}")
    return identifier_type


def allowed_datasets(lists: Iterable[str] | None) -> frozenset[str] | None:
    """The datasets a list filter (sources or datasets, as `Query.lists`) allows; None: all.

    Raises ValueError for a blank or unknown list name (`lists.datasets.list_names`).
    """
    if lists is None:
        return None
    return frozenset(d for name in list_names(list(lists)) for d in dataset_ids(name))


def describe_identifier(kind: IdentifierType, value: str) -> str:
    """How the explanation names the value given: a BIC with its branch, others as given."""
    if kind is IdentifierType.BIC and (bic := parse_bic(value)) is not None:
        return f"BIC {bic.describe()}"
    return f"{kind.value} {' '.join(value.split())}"


def identifier_hits(
    index: NameIndex,
    kind: str | IdentifierType,
    value: str,
    allowed_datasets: Collection[str] | None = None,
) -> list[Hit]:
    """Every listed entity (of the allowed datasets; None: all) carrying this identifier.

    Hits are ordered by source, dataset and entry id; each says which identifier matched and
    in which comparable form (a BIC by its institution code, whatever branch was given).
    """
    identifier_type = identifier_kind(kind)
    comparable = normalize_identifier(value, identifier_type.value)
    if not comparable:
        return []
    given = describe_identifier(identifier_type, value)
    if identifier_type is IdentifierType.BIC:
        why = f"{given}: the listed BIC of the institution {comparable} (every branch counts)"
    else:
        why = f"{given}: listed for this party as {comparable}"
    hits = []
    for entity_id in index.by_identifier(identifier_type.value, comparable):
        entity = index.entities[entity_id]
        if allowed_datasets is not None and entity.dataset not in allowed_datasets:
            continue
        hits.append(
            Hit(
                source=entity.source,
                dataset=entity.dataset,
                entry_id=entity.entry_id,
                name=entity.name,
                matched_name=entity.name,
                schema=entity.schema,
                programs=list(entity.programs),
                score=IDENTIFIER_SCORE,
                decision=Decision.MATCH,
                explanation=Explanation(
                    matched_name=entity.name,
                    name_score=0.0,  # no name was compared
                    tokens=[],
                    features=[
                        FeatureScore(feature="identifier", delta=IDENTIFIER_SCORE, detail=why)
                    ],
                ),
                also_listed=listing_refs(index, entity_id),
                list_version=entity.version_id,
                listed_on=entity.listed_on,
            )
        )
    return sorted(hits, key=lambda h: (h.source.value, h.dataset, h.entry_id))


def listing_refs(index: NameIndex, entity_id: int) -> list[ListingRef]:
    """The same party's entries on other lists, with what links them."""
    refs = []
    for other, why in sorted(index.linked(entity_id).items()):
        entity = index.entities[other]
        refs.append(
            ListingRef(
                source=entity.source,
                dataset=entity.dataset,
                entry_id=entity.entry_id,
                name=entity.name,
                linked_by=why,
                listed_on=entity.listed_on,
                date_basis="unknown" if entity.listed_on is None else "official",
            )
        )
    return refs
