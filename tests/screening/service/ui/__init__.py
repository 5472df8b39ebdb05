"""Tests of the analysts' web pages (/ui)."""
