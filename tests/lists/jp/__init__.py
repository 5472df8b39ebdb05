"""Tests of the Japanese list adapters (MOF asset-freeze list, METI End User List)."""
