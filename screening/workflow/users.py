"""The web UI's users, their roles and login sessions.

Passwords are hashed with scrypt (`hashlib.scrypt`, memory-hard: n=2**14, r=8, p=1, a 16-byte
random salt) and stored as ``scrypt$n$r$p$salt$hash`` (salt and hash in base64), so that the
cost can be raised later while old hashes still verify. `Users.authenticate` hashes the
password once whether or not the user exists (a dummy hash for an unknown or disabled name),
so the time an answer takes does not tell an attacker which names exist.

A session token is ``secrets.token_urlsafe(32)``, returned once for the cookie; the table keeps
only its SHA-256. The CSRF token is an HMAC of the session token under a fixed label: never
stored, new with each login, and useless without the cookie it was derived from.

Roles: an analyst screens and decides alerts; a supervisor also approves or rejects four-eyes
decisions; an admin may do everything. User names follow the API keys' rules
(`screening.workflow.keys.valid_name`): they are who decided in the audit trail.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from enum import StrEnum

from pydantic import BaseModel
from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from screening.workflow.keys import valid_name
from screening.workflow.schema import User, WebSessionRecord, utc_now

MIN_PASSWORD_LENGTH = 12
# Longer passwords are refused rather than hashed: scrypt's cost grows with the input.
MAX_PASSWORD_LENGTH = 1024
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES = 16
HASH_BYTES = 32
# scrypt needs 128 * n * r bytes (16 MiB here); OpenSSL's default cap is 32 MiB.
SCRYPT_MAXMEM = 64 * 1024 * 1024
CSRF_LABEL = b"coalition-screening csrf v1"


class Role(StrEnum):
    """What a user may do: analysts decide, supervisors also review, admins everything."""

    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


# The roles that may approve or reject a four-eyes decision.
REVIEWER_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


class UserInfo(BaseModel):
    id: int
    name: str
    role: Role
    active: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None


class WebSession(BaseModel):
    user: UserInfo
    csrf_token: str
    expires_at: dt.datetime


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """The self-describing scrypt hash of `password`: ``scrypt$n$r$p$salt_b64$hash_b64``."""
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    encoded = (base64.b64encode(part).decode("ascii") for part in (salt, digest))
    return "$".join(("scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), *encoded))


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` hashes to `stored` (with the parameters `stored` names)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest, validate=True)
        presented = _scrypt(password, base64.b64decode(salt, validate=True), int(n), int(r), int(p))
    except ValueError:  # a malformed stored hash verifies nothing
        return False
    return hmac.compare_digest(presented, expected)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int = HASH_BYTES) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=SCRYPT_MAXMEM, dklen=length
    )


# Verified against when the name is unknown or disabled, so that every answer costs one scrypt.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_token(session_token: str) -> str:
    """The CSRF token of a session: derived from the session token, never stored."""
    return hmac.new(CSRF_LABEL, session_token.encode("utf-8"), hashlib.sha256).hexdigest()


def _user_info(row: User) -> UserInfo:
    return UserInfo(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        active=row.active,
        created_at=row.created_at,
        last_login_at=row.last_login_at,
    )


class Users:
    """Create, list, disable and authenticate users, and keep their sessions. Every call uses
    its own database session, so one object serves a whole web server."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, name: str, role: Role | str, password: str) -> UserInfo:
        """A new active user; ValueError for a bad or taken name, unknown role, short password."""
        try:
            name = valid_name(name)
        except ValueError as exc:  # the keys' rules, in words about users
            raise ValueError(str(exc).replace("key name", "user name")) from None
        try:
            chosen = Role(role)
        except ValueError:
            allowed = ", ".join(r.value for r in Role)
            raise ValueError(f"unknown role {role!r}: use {allowed}") from None
        if len(password) < MIN_PASSWORD_LENGTH:
            raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
        if len(password) > MAX_PASSWORD_LENGTH:
            raise ValueError(f"a password may have at most {MAX_PASSWORD_LENGTH} characters")
        row = User(
            name=name,
            role=chosen.value,
            password_hash=hash_password(password),
            active=True,
            created_at=utc_now(),
            last_login_at=None,
        )
        with Session(self.engine) as session:
            # Names are never reused (a disabled user keeps theirs), so the audit trail's names
            # stay unambiguous; the unique constraint settles a race between two creations.
            if session.scalar(select(User.id).where(User.name == name)) is not None:
                raise ValueError(f"a user named {name!r} already exists (disabled or not)")
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                raise ValueError(f"a user named {name!r} already exists") from None
            return _user_info(row)

    def list(self) -> list[UserInfo]:
        """Every user, disabled ones too, by name."""
        with Session(self.engine) as session:
            return [_user_info(row) for row in session.scalars(select(User).order_by(User.name))]

    def get(self, name: str) -> UserInfo | None:
        """The user `name`, active or not."""
        with Session(self.engine) as session:
            row = session.scalars(select(User).where(User.name == name)).first()
            return None if row is None else _user_info(row)

    def disable(self, name: str) -> bool:
        """Disable `name` and end their sessions; False when there is no active user `name`."""
        with Session(self.engine) as session, session.begin():
            row = session.scalars(select(User).where(User.name == name)).first()
            if row is None or not row.active:
                return False
            row.active = False
            session.execute(
                update(WebSessionRecord)
                .where(WebSessionRecord.user_id == row.id, WebSessionRecord.ended_at.is_(None))
                .values(ended_at=utc_now())
            )
            return True

    def authenticate(self, name: str, password: str) -> UserInfo | None:
        """The user, when `name` is active and `password` is theirs; else None, after the same
        hashing work in every case. A successful login is stamped in ``last_login_at``."""
        if len(password) > MAX_PASSWORD_LENGTH:
            return None  # hashing it would cost more than a real password: refuse outright
        with Session(self.engine) as session, session.begin():
            row = session.scalars(select(User).where(User.name == name.strip())).first()
            usable = row is not None and row.active
            stored = row.password_hash if row is not None and usable else _DUMMY_HASH
            if not verify_password(password, stored) or row is None or not usable:
                return None
            row.last_login_at = utc_now()
            session.flush()
            return _user_info(row)

    def start_session(self, user: UserInfo, lifetime: dt.timedelta) -> tuple[str, WebSession]:
        """A new session for `user`: the token (for the cookie, shown once) and the session."""
        if lifetime <= dt.timedelta(0):
            raise ValueError("a session's lifetime must be positive")
        token = secrets.token_urlsafe(32)
        now = utc_now()
        expires_at = now + lifetime
        with Session(self.engine) as session, session.begin():
            session.add(
                WebSessionRecord(
                    token_hash=hash_token(token),
                    user_id=user.id,
                    created_at=now,
                    expires_at=expires_at,
                    ended_at=None,
                )
            )
        return token, WebSession(user=user, csrf_token=csrf_token(token), expires_at=expires_at)

    def session(self, token: str) -> WebSession | None:
        """The live session of `token`; None when unknown, ended, expired or the user disabled."""
        if not token or len(token) > 200:
            return None
        with Session(self.engine) as session:
            row = session.execute(
                select(WebSessionRecord, User)
                .join(User, User.id == WebSessionRecord.user_id)
                .where(WebSessionRecord.token_hash == hash_token(token))
            ).first()
            if row is None:
                return None
            record, user = row
            if record.ended_at is not None or not user.active:
                return None
            if record.expires_at <= utc_now():
                return None
            return WebSession(
                user=_user_info(user), csrf_token=csrf_token(token), expires_at=record.expires_at
            )

    def end_session(self, token: str) -> None:
        """Log out: the session of `token` ends (nothing happens for an unknown token)."""
        with Session(self.engine) as session, session.begin():
            session.execute(
                update(WebSessionRecord)
                .where(
                    WebSessionRecord.token_hash == hash_token(token),
                    WebSessionRecord.ended_at.is_(None),
                )
                .values(ended_at=utc_now())
            )
