"""Property-based fuzzing of every reader (lists, batch parties, transactions) with Hypothesis.

Seeds are small excerpts of the real shared files (`tests.fuzz.seeds`), damaged by the
strategies of `tests.fuzz.mutations` and judged by `tests.fuzz.checks`. The tests run a bounded,
derandomized number of examples (CI); ``bench/fuzz.py`` runs the same strategies for longer.
"""
