"""Tests of the Australian list adapter (DFAT Consolidated List)."""
