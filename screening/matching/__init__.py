"""The name engine: a query against every name of the active list versions.

- ``normalize``: names into comparable tokens (fold, legal forms, honorifics, romanisation keys),
  with its word tables read from package data by ``vocabulary``;
- ``index``: candidate retrieval and word rarities, built once per set of list versions;
- ``features``: the declared scoring evidence, each a documented function with its constants;
- ``algorithm``: the features in order, the one place that combines them, and `describe`, which
  renders ``docs/matching.md``;
- ``screener``: `Screener` (retrieve, score, decide) and ``results``: the typed answers.

`compiled_modules` says which modules run compiled (``COALITION_COMPILE=1 pip install .``,
docs/speed.md): the same source, compiled by mypyc, with the same answers.
"""

from __future__ import annotations

import importlib
from pathlib import Path

# The modules `COALITION_COMPILE=1 pip install .` compiles (setup.py reads this tuple): those a
# screening spends its time in (bench/compare_results.py). Not the pydantic models (results.py)
# nor features/model.py (a generic dataclass mypyc cannot compile).
COMPILED_MODULES = (
    "screening.matching.algorithm",
    "screening.matching.index",
    "screening.matching.lookup",
    "screening.matching.normalize",
    "screening.matching.postings",
    "screening.matching.screener",
    "screening.matching.features.acronyms",
    "screening.matching.features.given_names",
    "screening.matching.features.initials",
    "screening.matching.features.names",
    "screening.matching.features.patronymics",
    "screening.matching.features.secondary",
    "screening.matching.features.tokens",
    "screening.matching.features.whole_names",
)


def compiled_modules() -> list[str]:
    """Those of COMPILED_MODULES that run compiled (mypyc, docs/speed.md) in this install."""
    found = []
    for name in COMPILED_MODULES:
        path = importlib.import_module(name).__file__
        if path is not None and Path(path).suffix != ".py":
            found.append(name)
    return found
