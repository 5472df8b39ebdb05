"""East Slavic patronymics: a word of the father's name, never a misspelt surname.

Russian, Ukrainian and Belarusian names carry a patronymic between the given name and the
surname (Valentina Nikolaevna ARTAMONOVA). Spelt with a patronymic ending, the word is the
father's name, and a surname built on the same root (NIKOLAEVA, PETROVA) is another word:
"Valentina Nikolaeva" is not the listed "Valentina Nikolaevna ARTAMONOVA", yet the two words
are one edit apart and met as a typo.

Russian surnames romanised in the French or German way end in -off and -eff (SMIRNOFF,
ZAITSEFF): the same name as -ov and -ev, which letter rules miss in short words.
"""

from __future__ import annotations

from screening.matching.features.model import Feature, Stage

# Endings of patronymics in the romanisations the lists use (BGN/PCGN, ICAO, Ukrainian
# national, French-style -itch): -ovich/-evich, -ovych/-evych, -ovna/-evna/-ivna, -ichna
# (Ilyinichna). Not a bare "-ich", which ends German given names (Heinrich, Ulrich).
PATRONYMIC_ENDINGS = (
    *("ovich", "evich", "ovitch", "evitch", "ovych", "evych"),
    *("ovna", "evna", "ivna", "ichna"),
)


# Endings of the surnames built on the same roots (PETROV, PETROVA, NIKOLAEVA, ILYIN).
SURNAME_ENDINGS = ("ov", "ev", "ova", "eva", "in", "ina", "yn", "yna")


def is_patronymic(word: str) -> bool:
    """Whether a folded word has a patronymic ending (Vladimirovich, Ivanovna)."""
    return word.endswith(PATRONYMIC_ENDINGS)


def patronymic_meets_surname(query: str, listed: str) -> bool:
    """A patronymic and a surname of the same root are two words, however alike: one word
    with a patronymic ending and the other with a surname ending (Petrovna / PETROVA,
    Nikolaevna / NIKOLAEVA) never meet fuzzily. A typo in the patronymic (Vladimiroich) is
    neither, and still meets; exact and phonetic meetings are unaffected."""
    if is_patronymic(query):
        return listed.endswith(SURNAME_ENDINGS) and not is_patronymic(listed)
    if is_patronymic(listed):
        return query.endswith(SURNAME_ENDINGS)
    return False


PATRONYMICS = Feature(
    name="patronymics",
    title="Patronymics meet patronymics",
    stage=Stage.TOKEN,
    function=patronymic_meets_surname,
    constants=(),
)


# French/German-style endings of Russian surnames and the BGN/PCGN ones they stand for.
FOREIGN_SURNAME_ENDINGS = (("off", "ov"), ("eff", "ev"))


def same_surname_ending(query: str, listed: str) -> bool:
    """-off/-ov and -eff/-ev are one Russian surname ending (DIMOFF / DIMOV): two folded words
    that are the same once the ending is read so meet as a *romanization*."""
    for foreign, native in FOREIGN_SURNAME_ENDINGS:
        if query.endswith(foreign) and listed.endswith(native):
            return query[: -len(foreign)] == listed[: -len(native)]
        if listed.endswith(foreign) and query.endswith(native):
            return listed[: -len(foreign)] == query[: -len(native)]
    return False


SURNAME_ENDING = Feature(
    name="surname_ending",
    title="Russian surnames written -off",
    stage=Stage.TOKEN,
    function=same_surname_ending,
    constants=(),
)
