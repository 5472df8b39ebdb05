"""Users of the web UI (SQLite and PostgreSQL): scrypt password hashes, authentication that
costs the same for every answer, roles, disabling, and sessions stored only as hashes."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import time

import pytest
from sqlalchemy import text, update
from sqlalchemy.orm import Session

from screening.store import ListStore
from screening.workflow import users as users_module
from screening.workflow.schema import WebSessionRecord
from screening.workflow.users import (
    Role,
    Users,
    csrf_token,
    hash_password,
    verify_password,
)

PASSWORD = "correct horse battery"
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def users(store: ListStore) -> Users:
    return Users(store.engine)


def test_the_stored_hash_is_scrypt_not_the_password_and_verifies(
    users: Users, store: ListStore
) -> None:
    created = users.create("ana", Role.ANALYST, PASSWORD)
    assert (created.name, created.role, created.active, created.last_login_at) == (
        "ana",
        Role.ANALYST,
        True,
        None,
    )
    with store.engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM users")).scalar_one()
    assert PASSWORD not in stored
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert (len(base64.b64decode(salt)), len(base64.b64decode(digest))) == (16, 32)
    assert verify_password(PASSWORD, stored)
    assert not verify_password(PASSWORD + "x", stored)
    # A fresh salt each time: the same password never gives the same hash.
    assert hash_password(PASSWORD) != hash_password(PASSWORD)
    assert not verify_password(PASSWORD, "plain$text")  # a malformed hash verifies nothing


def test_authenticate_accepts_only_the_right_password_of_an_active_user(users: Users) -> None:
    users.create("ana", "analyst", PASSWORD)
    assert users.authenticate("ana", "wrong password!") is None
    assert users.authenticate("nobody", PASSWORD) is None
    logged_in = users.authenticate("ana", PASSWORD)
    assert logged_in is not None and logged_in.name == "ana"
    assert logged_in.last_login_at is not None
    assert [u.last_login_at for u in users.list()] == [logged_in.last_login_at]


def test_an_unknown_name_costs_one_scrypt_like_a_known_one(
    users: Users, monkeypatch: pytest.MonkeyPatch
) -> None:
    users.create("ana", "analyst", PASSWORD)
    calls: list[int] = []
    real = users_module._scrypt

    def counted(password: str, salt: bytes, n: int, r: int, p: int, length: int = 32) -> bytes:
        calls.append(n)
        return real(password, salt, n, r, p, length)

    monkeypatch.setattr(users_module, "_scrypt", counted)
    for name, password in (("ana", "wrong password!"), ("nobody", PASSWORD), ("ana", PASSWORD)):
        calls.clear()
        users.authenticate(name, password)
        assert calls == [2**14], name  # exactly one hash at full cost, whoever asks


def test_create_refuses_bad_names_duplicates_roles_and_short_passwords(users: Users) -> None:
    users.create("ana", "analyst", PASSWORD)
    with pytest.raises(ValueError, match="already exists"):
        users.create("ana", "admin", PASSWORD)
    with pytest.raises(ValueError, match="user name"):
        users.create("ana\nroot", "analyst", PASSWORD)
    with pytest.raises(ValueError, match="unknown role"):
        users.create("bo", "root", PASSWORD)
    with pytest.raises(ValueError, match="at least 12"):
        users.create("bo", "analyst", "short")
    assert [u.name for u in users.list()] == ["ana"]


def test_a_disabled_user_cannot_log_in_and_loses_their_sessions(users: Users) -> None:
    ana = users.create("ana", "supervisor", PASSWORD)
    token, session = users.start_session(ana, HOUR)
    assert users.session(token) == session
    assert users.disable("ana") is True
    assert users.disable("ana") is False  # already disabled
    assert users.disable("nobody") is False
    assert users.session(token) is None
    assert users.authenticate("ana", PASSWORD) is None
    assert [(u.name, u.active) for u in users.list()] == [("ana", False)]
    with pytest.raises(ValueError, match="already exists"):
        users.create("ana", "analyst", PASSWORD)  # names are never given out again


def test_sessions_expire_end_and_are_stored_only_hashed(users: Users, store: ListStore) -> None:
    ana = users.create("ana", "analyst", PASSWORD)
    token, session = users.start_session(ana, HOUR)
    assert session.user == ana
    assert session.csrf_token == csrf_token(token) and session.csrf_token != token
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT token_hash, user_id FROM web_sessions")).all()
    assert rows == [(hashlib.sha256(token.encode()).hexdigest(), ana.id)]
    assert token not in str(rows)

    # A second login has another token and another CSRF token.
    other, second = users.start_session(ana, HOUR)
    assert other != token and second.csrf_token != session.csrf_token

    users.end_session(token)
    assert users.session(token) is None
    assert users.session(other) == second
    assert users.session("not a token") is None and users.session("") is None

    # Expired: pushed into the past directly, as time would.
    with Session(store.engine) as db, db.begin():
        db.execute(
            update(WebSessionRecord).values(
                expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
            )
        )
    assert users.session(other) is None
    with pytest.raises(ValueError, match="positive"):
        users.start_session(ana, dt.timedelta(0))


def test_a_short_lived_session_runs_out(users: Users) -> None:
    ana = users.create("ana", "admin", PASSWORD)
    token, _ = users.start_session(ana, dt.timedelta(milliseconds=300))
    assert users.session(token) is not None
    time.sleep(0.4)
    assert users.session(token) is None
