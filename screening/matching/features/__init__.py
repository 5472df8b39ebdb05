"""The declared scoring evidence: small documented functions, each a `Feature` with its constants.

- ``model``: what a feature is (`Feature`, `Constant`, `Stage`, `Effect`, `QueryFacts`);
- ``tokens``: how alike two words are;
- ``names``: the name score (word alignment, names written together) and its caps (exact name,
  generic words, one-word query);
- ``secondary``: type, birth date, country and identifiers, which add to or take from it.

`screening.matching.algorithm` lists them in order (``FEATURES``) and is the one place that
combines them. A new kind of evidence is a new declared feature, not a new branch in the screener.
"""
