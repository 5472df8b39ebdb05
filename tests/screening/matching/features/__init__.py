"""Pinned values of the declared scoring features, one test module per feature module."""
