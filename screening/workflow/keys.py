"""API keys for the HTTP service: created once, stored only as SHA-256 hashes.

A key is ``cs_`` + 32 random bytes (URL-safe base64). The plaintext is returned by `create`
and never stored: the table keeps its SHA-256 and the first characters for display, so a
stolen database does not yield working keys. Keys are high-entropy, so a plain (unsalted)
SHA-256 is enough; a slow password hash would only slow every request down.

A key's name is who made a request or a decision in the audit trail, so it must read the same
everywhere: ASCII letters, digits and ``. _ @ + -``, single spaces between words, no control
characters (a line break in a name could forge a line of a log or an export).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from screening.store import ListStore
from screening.workflow.schema import ApiKey

KEY_PREFIX = "cs_"
DISPLAY_LENGTH = 8  # characters of the key kept for display: "cs_" + 5 random
MAX_NAME_LENGTH = 100
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]*(?: [A-Za-z0-9._@+-]+)*")
NAME_RULE = "ASCII letters, digits and . _ @ + -, with single spaces between words"


class ApiKeyInfo(BaseModel):
    name: str
    prefix: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def valid_name(name: str) -> str:
    """`name` without surrounding spaces; ValueError unless it is a fit key name."""
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"key name must be 1 to {MAX_NAME_LENGTH} characters")
    if not NAME_PATTERN.fullmatch(name):
        raise ValueError(f"key name {name!r} is not usable: use {NAME_RULE}")
    return name


class ApiKeys:
    """Create, verify, revoke and list keys in the store's database. Safe to share."""

    def __init__(self, store: ListStore) -> None:
        self.engine = store.engine

    def create(self, name: str) -> str:
        """A new key for `name`, returned once; ValueError if the name is unfit or taken."""
        name = valid_name(name)
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        with Session(self.engine) as session:
            if session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
                # Names are never reused, so logs naming a key stay unambiguous.
                raise ValueError(f"a key named {name!r} already exists (revoked or not)")
            session.add(
                ApiKey(
                    name=name,
                    key_hash=hash_key(key),
                    prefix=key[:DISPLAY_LENGTH],
                    created_at=dt.datetime.now(dt.UTC),
                    revoked_at=None,
                )
            )
            session.commit()
        return key

    def verify(self, key: str | None) -> str | None:
        """The name of the active key `key`, else None."""
        if not key or not key.startswith(KEY_PREFIX) or len(key) > 200:
            return None
        presented = hash_key(key)
        with Session(self.engine) as session:
            row = session.scalars(select(ApiKey).where(ApiKey.key_hash == presented)).first()
            if row is None or row.revoked_at is not None:
                return None
            # The lookup already matched; the constant-time compare keeps the check explicit
            # should the lookup ever change (e.g. to a prefix lookup).
            if not hmac.compare_digest(row.key_hash, presented):
                return None
            return row.name

    def revoke(self, name: str) -> bool:
        """Revoke the key `name`; False when there is no active key of that name."""
        with Session(self.engine) as session:
            row = session.scalars(select(ApiKey).where(ApiKey.name == name)).first()
            if row is None or row.revoked_at is not None:
                return False
            row.revoked_at = dt.datetime.now(dt.UTC)
            session.commit()
            return True

    def list(self) -> list[ApiKeyInfo]:
        with Session(self.engine) as session:
            rows = session.scalars(select(ApiKey).order_by(ApiKey.name)).all()
            return [
                ApiKeyInfo(
                    name=row.name,
                    prefix=row.prefix,
                    created_at=row.created_at,
                    revoked_at=row.revoked_at,
                )
                for row in rows
            ]
