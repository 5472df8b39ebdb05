"""Alembic migration environment for the coalition-screening store (shipped as package data).

`HEAD` names the newest revision so that opening an up-to-date store needs no Alembic import;
tests/test_store.py checks it against the revision scripts.
"""

HEAD = "0005"
