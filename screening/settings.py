"""Every ``COALITION_*`` environment variable, in one table: its name, default and meaning.

No other module reads the environment for configuration: they call `get(NAME)` (or take the
value as a parameter). `SETTINGS` is the table the README's settings section is checked against
(tests/screening/test_settings.py), so a new variable cannot go undocumented.

Values are read when asked for, not at import, so that a test or a long-running server sees the
environment as it is at the time of the call.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata

DISTRIBUTION = "coalition-screening"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    doc: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "COALITION_DB",
        None,
        "Database URL of the store (SQLite or PostgreSQL); default: coalition.db in the user "
        "data directory.",
    ),
    Setting(
        "COALITION_INDEX_DIR",
        None,
        "Where built name indexes are cached; default: index/ in the user cache directory. "
        "Never a shared, writable location (the cache is a pickle).",
    ),
    Setting(
        "COALITION_COMPILE",
        None,
        "Install time only, read by setup.py: 1 compiles the matcher with mypyc for about a "
        "quarter more names/s, same answers (docs/speed.md).",
    ),
    Setting("COALITION_MATCH_THRESHOLD", "0.90", "Score at or above which a hit is a match."),
    Setting("COALITION_REVIEW_THRESHOLD", "0.75", "Score at or above which a hit is review."),
    Setting("COALITION_REPORT_THRESHOLD", "0.60", "Lowest score returned as a hit at all."),
    Setting(
        "COALITION_MIRROR",
        None,
        "Base URL or directory serving the official list files under their cache names "
        "(air-gapped installations, tests); default: the official URLs.",
    ),
    Setting(
        "COALITION_MAX_AGE_DAYS",
        None,
        "`lists status --max-age` default (7): a dataset whose active version is older is "
        "warned about.",
    ),
    Setting(
        "COALITION_USER",
        None,
        "Who the command line records as the requester of a recorded screening; default: the "
        "login name.",
    ),
    Setting(
        "COALITION_FOUR_EYES",
        "0",
        "1: an analyst's disposition of an alert stays pending until a supervisor (never the "
        "same person) approves or rejects it.",
    ),
    Setting(
        "COALITION_SESSION_HOURS",
        "8",
        "How long a web login lasts before the analyst must log in again.",
    ),
    Setting(
        "COALITION_SECURE_COOKIES",
        "0",
        "1: the web session cookie is marked Secure (set it when the service is behind TLS).",
    ),
    Setting(
        "COALITION_LOGIN_ATTEMPTS",
        "5",
        "Failed web logins allowed per user name and per client address in 15 minutes.",
    ),
)

BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}


def get(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The variable's value (blank counts as unset), else its default."""
    setting = BY_NAME[name]  # a KeyError here is a programming error: declare it above
    value = (os.environ if environ is None else environ).get(name, "").strip()
    return value or setting.default


def version() -> str:
    """The installed distribution's version (package metadata), '0+unknown' when not installed."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown"
