"""Renumbered entries: a listing that a dataset dropped only to list the same party anew.

An authority sometimes renumbers its list: Canada's SEMA file of 2020 numbers an entry "Iran,
Schedule 2, Item 24" that the 2025 file calls "Iran, Schedule 1, Part 2, Item 24"; the UK
moved its Iran entries to new Group IDs in 2025. Between two stored versions the old key
disappears (it looks *delisted*) and the new one appears (it looks *newly listed*, first seen
that day), though nothing happened to the party. The rule, the same for every dataset:

A listing P dropped by a later version (`delisted_on`) is **renumbered** to a listing S of the
**same dataset** when S first appears after P did and no later than the version that dropped P
(``P.first_seen < S.first_seen <= P.delisted_on``), and either

* S is in P's cluster (an identifier or name link made them one party), or
* S has P's name (normalised: case, accents, punctuation) and schema and first appears in the
  very version that dropped P (vessels, whose name links are never merged, are found so).

A dataset that merely drops a duplicate entry of a party it keeps listing under an older key is
not renumbering (S would not be newer than P): that stays a delisting of the entry.

`build_coalition` then drops P from the figures (a renumbering is neither a delisting nor a new
designation), joins P's cluster to S's, has S inherit P's first appearance (its `first_seen`
and `absent_on`, hence its first-seen listing date when it has no official one) and records P's
key in `Listing.renumbered_from`; `CoalitionData.renumbered` maps every dropped key to the key
that replaced it, so `cluster_of` still finds a party by its old key.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping

from screening.coalition.analytics.model import DateBasis, Link, Listing

_NOT_WORD = re.compile(r"[\W_]+")


def normalised_name(name: str) -> str:
    """Case, accents and punctuation folded: 'Khatem-ol Anbiya' == 'KHATEM OL ANBIYA'."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", letters.casefold()).split())


def renumberings(
    listings: Mapping[str, Listing], cluster_of: Callable[[str], str]
) -> dict[str, str]:
    """Old key -> the key that finally replaced it (chains followed), for every renumbering.

    `cluster_of(key)` names the cluster of a listing (any stable cluster id).
    """
    by_cluster: dict[tuple[str, str], list[Listing]] = defaultdict(list)
    by_name: dict[tuple[str, str, str], list[Listing]] = defaultdict(list)
    dropped = sorted(
        (listing for listing in listings.values() if listing.delisted_on and listing.first_seen),
        key=lambda listing: listing.key,
    )
    # Only an entry first seen in a version that dropped another can replace it by name.
    dropping = {(listing.dataset, listing.delisted_on) for listing in dropped}
    for listing in listings.values():
        by_cluster[(listing.dataset, cluster_of(listing.key))].append(listing)
        if (listing.dataset, listing.first_seen) in dropping:
            by_name[_name_key(listing)].append(listing)
    replaced: dict[str, str] = {}
    for old in dropped:
        key = old.key
        same_cluster = [
            new
            for new in by_cluster[(old.dataset, cluster_of(key))]
            if new.key != key and _newer(old, new)
        ]
        same_name = [
            new
            for new in by_name[_name_key(old)]
            if new.key != key and new.first_seen == old.delisted_on and _newer(old, new)
        ]
        # Prefer the entry with the old one's name, then one of its cluster; ties by key.
        named = {new.key for new in same_name}
        candidates = sorted(
            {new.key: new for new in [*same_cluster, *same_name]}.values(),
            key=lambda new: (new.key not in named, new.key),
        )
        if candidates:
            replaced[key] = candidates[0].key
    return {old: _final(replaced, old) for old in replaced}


def inherit_first_appearance(listings: Mapping[str, Listing], replaced: Mapping[str, str]) -> None:
    """Each replacing listing takes the earliest first appearance of the keys it replaced."""
    earlier: dict[str, list[Listing]] = defaultdict(list)
    for old_key, new_key in replaced.items():
        earlier[new_key].append(listings[old_key])
    for new_key, olds in earlier.items():
        new = listings[new_key]
        new.renumbered_from = sorted(old.key for old in olds)
        first = min(olds, key=lambda old: (old.first_seen is None, old.first_seen, old.key))
        if first.first_seen is None or (
            new.first_seen is not None and new.first_seen <= first.first_seen
        ):
            continue
        new.first_seen, new.absent_on = first.first_seen, first.absent_on
        if new.date_basis is not DateBasis.OFFICIAL:
            # As `clusters._listing_date`: dated by the stored versions only when an older
            # version lacks the entry; in the oldest version the date is unknown.
            known = new.absent_on is not None
            new.listed_on = new.first_seen if known else None
            new.date_basis = DateBasis.FIRST_SEEN if known else DateBasis.UNKNOWN


def rekey_links(links: list[Link], replaced: Mapping[str, str]) -> list[Link]:
    """The links with renumbered keys replaced by their successors (the evidence says which),
    links now joining a listing to itself dropped and repeats removed."""
    kept: dict[tuple[str, str, str, str], Link] = {}
    for link in links:
        a, b = replaced.get(link.a, link.a), replaced.get(link.b, link.b)
        if a == b:
            continue
        if (a, b) != (link.a, link.b):
            renamed = [key for key in (link.a, link.b) if key in replaced]
            a, b = sorted((a, b))
            link = link.model_copy(
                update={
                    "a": a,
                    "b": b,
                    "evidence": f"{link.evidence} (via renumbered {', '.join(renamed)})",
                }
            )
        kept.setdefault((link.a, link.b, link.method.value, link.evidence), link)
    return list(kept.values())


def _newer(old: Listing, new: Listing) -> bool:
    assert old.first_seen is not None and old.delisted_on is not None
    return new.first_seen is not None and old.first_seen < new.first_seen <= old.delisted_on


def _name_key(listing: Listing) -> tuple[str, str, str]:
    return (listing.dataset, listing.schema_.value, normalised_name(listing.name))


def _final(replaced: Mapping[str, str], key: str) -> str:
    # A chain (renumbered twice) ends: each step goes to a strictly later first appearance.
    while key in replaced:
        key = replaced[key]
    return key
