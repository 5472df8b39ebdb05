"""Names written with initials: "I. M. KHALIL", "AHMAD F", "Y. C. JO" for a listed full name.

A query that reduces given names to initials keeps little but its surname, and a surname alone
is often generic in the lists (KHAN, OMAR, AHMAD) or short (JO, ZA): the generic-words cap
would keep such a name below the report threshold however well it meets. The initials still
narrow the surname down, as long as they meet the listed given names letter for letter and in
their order; this feature says when the surname and the initials together are as rare as a
distinctive word.
"""

from __future__ import annotations

from collections.abc import Sequence

from screening.matching.features.model import Constant, Feature, Stage
from screening.matching.features.names import AlignedWords
from screening.matching.normalize import KIND_INITIAL, KIND_LEGAL_FORM, Token

INITIAL_INFORMATION = 2.0

# How a query word written in full meets its listed word strongly: not as a typo (fuzzy), which
# beside initials leaves too little of the name certain.
_STRONG = frozenset({"exact", "romanization"})


def initials_distinctive(
    query: Sequence[Token],
    listed: Sequence[Token],
    aligned: AlignedWords,
    generic_below: float,
    person: bool,
) -> bool:
    """A name written with initials meets as distinctively as a rare word would.

    Applies to a listed person (a company's single letters, the Y of COLLAZO Y SORIA, are no
    initials) and a query with at least one initial, every word of which meets a listed word:
    each initial a listed word it begins (or the same initial), the initials in the listed
    words' order (I. M. KHALIL is Ibrahim Mohamed KHALIL, not Mohamed Ibrahim KHALIL), and at
    least one word written in full, each exactly or as a romanization (a typo beside initials
    leaves too little certain). Listed words the query leaves out are allowed (SURNAME F for a
    name of four words). The evidence is the rarity of the words met in full (their weights, as
    in the word alignment) plus INITIAL_INFORMATION for each initial: the first letter of a
    listed person's given name tells 2.7 nats on average (one letter in 15; A only 1.35, M 2.1),
    and INITIAL_INFORMATION stays below that average. The name is distinctive, and escapes the
    generic-words cap, when the evidence reaches the weight of a word on GENERIC_SHARE of the
    names: S. KHAN is (KHAN weighs 6.1, the limit is 6.2 with OFAC, UK and UN loaded), M. KIM is
    not when KIM is on more than e^INITIAL_INFORMATION times GENERIC_SHARE (1.5 %) of the names.
    """
    pairs = aligned.pairs
    if not person or len(pairs) != len(query):
        return False
    evidence = 0.0
    initials_at: list[int] = []
    full_words = 0
    for qi, token in enumerate(query):
        li, _similarity, how = pairs[qi]
        if token.kind == KIND_INITIAL:
            if how not in ("initial", "exact"):
                return False
            initials_at.append(li)
            evidence += INITIAL_INFORMATION
        elif token.kind == KIND_LEGAL_FORM or how not in _STRONG:
            return False
        else:
            full_words += 1
            evidence += aligned.listed_weights[li]
    return (
        bool(initials_at)
        and full_words > 0
        and initials_at == sorted(initials_at)
        and evidence >= generic_below
    )


INITIALS = Feature(
    name="initials",
    title="Names written with initials",
    stage=Stage.CAP,
    function=initials_distinctive,
    constants=(
        Constant(
            "INITIAL_INFORMATION",
            INITIAL_INFORMATION,
            "rarity (in the words' weight, nats) an initial met in order adds to the words met "
            "in full",
        ),
    ),
)
