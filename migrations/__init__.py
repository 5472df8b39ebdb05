"""Alembic migration environment for the coalition-screening store (shipped as package data)."""
