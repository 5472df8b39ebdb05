"""The name engine: a query against every name of the active list versions.

- ``normalize``: names into comparable tokens (fold, legal forms, honorifics, romanisation keys),
  with its word tables read from package data by ``vocabulary``;
- ``index``: candidate retrieval and word rarities, built once per set of list versions;
- ``features``: the declared scoring evidence, each a documented function with its constants;
- ``algorithm``: the features in order, the one place that combines them, and `describe`, which
  renders ``docs/matching.md``;
- ``screener``: `Screener` (retrieve, score, decide) and ``results``: the typed answers.
"""
