"""Screening: matching, decisions and the coalition layer (built on `lists`)."""
