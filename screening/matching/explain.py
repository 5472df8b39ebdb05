"""A hit's explanation in words: the terminal's one-liners and the web pages' sentences.

The wording lives here, below both the command line (`screening.commands.render`) and the web
pages (`screening.service.ui`), so that an analyst reads the same words for the same evidence
wherever the hit is shown. Nothing here computes a score: it only words a stored `Explanation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from screening.matching.results import Explanation, FeatureScore, Hit, TokenMatch

# How a query word met a listed word (`TokenMatch.how`), for a person who does not know the
# matcher's vocabulary. An unknown kind is shown as it is stored.
HOW_WORDS = {
    "exact": "the same word",
    "romanization": "the same word in another romanization",
    "fuzzy": "a similar spelling",
    "initial": "an initial of the listed word",
    "joined": "words written together or apart",
    "missing": "no listed word",
}
# Shown instead of an explanation stored in a shape this version cannot read.
OLDER_SHAPE = "The explanation was stored in an older shape and cannot be shown here."


def token_text(explanation: Explanation) -> str:
    """How each query token met a listed one: ``chatayev->chataev romanization 0.95; ...``."""
    return "; ".join(
        f"{t.query}->{t.listed or '∅'} {t.how} {t.similarity:.2f}" for t in explanation.tokens
    )


def feature_line(feature: FeatureScore) -> str:
    """One feature adjustment: ``birth_date +0.05: born 1960-01-01, as listed``."""
    return f"{feature.feature} {feature.delta:+.2f}: {feature.detail}"


def how_words(token: TokenMatch) -> str:
    """`token.how` in words."""
    return HOW_WORDS.get(token.how, token.how)


def feature_sentence(feature: FeatureScore) -> str:
    """One feature adjustment as a sentence: ``Birth date added 0.05: born 1960, as listed.``"""
    label = feature.feature.replace("_", " ").capitalize()
    if feature.delta > 0:
        effect = f"added {feature.delta:.2f}"
    elif feature.delta < 0:
        effect = f"took away {-feature.delta:.2f}"
    else:
        effect = "changed nothing"
    return f"{label} {effect}: {feature.detail}."


def stored_explanation(hit: Mapping[str, Any]) -> Explanation | None:
    """The explanation of a hit stored as JSON (an alert's), None when it has none.

    ValueError (with `OLDER_SHAPE`) when it is there but in a shape this version cannot read:
    the caller says so rather than dropping the evidence silently.
    """
    if "explanation" not in hit:
        return None
    try:
        return Explanation.model_validate(hit["explanation"])
    except ValidationError:
        raise ValueError(OLDER_SHAPE) from None


def coalition_timeline(hit: Hit) -> str:
    """The party's coalition timeline: ``listed by CA 2022-02-24, UK 2022-04-06; not by EU in
    the loaded data`` (members by earliest listing date; undated ones last)."""
    listed = sorted(
        hit.listed_by().items(), key=lambda item: (item[1] is None, str(item[1]), item[0])
    )
    text = "listed by " + ", ".join(
        f"{member} {listed_on or '(date not given)'}" for member, listed_on in listed
    )
    if hit.not_listed_by:
        text += f"; not by {', '.join(hit.not_listed_by)} in the loaded data"
    return text


def stored_timeline(hit: Mapping[str, Any]) -> str | None:
    """`coalition_timeline` of a hit stored as JSON (an alert's); None for an older shape."""
    try:
        return coalition_timeline(Hit.model_validate(hit))
    except ValidationError:
        return None
