"""Database schema of the bank workflow: API keys, customers, screening runs and records, alerts,
their append-only decisions and reviews, and the web UI's users and sessions (SQLAlchemy 2 ORM,
on the list store's metadata).

The tables live with the workflow that writes them; they share the store's declarative `Base`
so that one Alembic history (``migrations/``) creates both.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from screening.store.schema import Base, JsonDocument, UTCDateTime


def utc_now() -> dt.datetime:
    """The time stamped on a new row: timezone-aware UTC, like every column here."""
    return dt.datetime.now(dt.UTC)


class ApiKey(Base):
    """An HTTP API key; only its SHA-256 is stored (the key is shown once, at creation)."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class Customer(Base):
    """A party of the bank's book, re-screened when the lists change."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_ref: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(Text)
    schema: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(64))
    birth_date: Mapped[str | None] = mapped_column(String(32))
    registered_from: Mapped[str] = mapped_column(String(16))  # csv | screening | api
    registered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ScreeningRun(Base):
    """One batch, transaction batch or re-screening run, with its counts."""

    __tablename__ = "screening_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # single | batch | transaction | rescreen
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    input_name: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    list_versions: Mapped[list[int]] = mapped_column(JsonDocument)
    counts: Mapped[dict[str, Any]] = mapped_column(JsonDocument)


class ScreeningRecord(Base):
    """What was screened, against which list versions, what came out (append-only)."""

    __tablename__ = "screenings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("screening_runs.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # name | transaction
    customer_ref: Mapped[str | None] = mapped_column(String(200), index=True)
    query: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    list_versions: Mapped[list[int]] = mapped_column(JsonDocument)
    decision: Mapped[str] = mapped_column(String(16))
    top_score: Mapped[float | None] = mapped_column(Float)
    result: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    requested_by: Mapped[str] = mapped_column(String(200))


class Alert(Base):
    """A review/match hit of a screening, to be decided by an analyst."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_customer_entry", "customer_ref", "source", "entry_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    screening_id: Mapped[int] = mapped_column(
        ForeignKey("screenings.id", ondelete="CASCADE"), index=True
    )
    customer_ref: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(8))
    entry_id: Mapped[str] = mapped_column(String(256))
    entity_fingerprint: Mapped[str] = mapped_column(String(64))
    version_id: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    decision: Mapped[str] = mapped_column(String(16))  # review | match
    hit: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # Set when a false-positive decision on the same (customer, entry, fingerprint) existed.
    suppressed_by: Mapped[int | None] = mapped_column(Integer)


class AlertDecision(Base):
    """An analyst's disposition of an alert. Append-only: the database refuses UPDATE and
    DELETE on this table (triggers in migration 0002)."""

    __tablename__ = "alert_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    disposition: Mapped[str] = mapped_column(String(16))  # true_match | false_positive | escalated
    reason: Mapped[str] = mapped_column(Text)
    analyst: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # Four-eyes: the disposition takes effect only once a supervisor approves it (a review).
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class DecisionReview(Base):
    """A supervisor's approval or rejection of a four-eyes decision. Append-only like the
    decisions (triggers in migration 0005); one review per decision (unique), so two
    supervisors reviewing at once cannot both succeed."""

    __tablename__ = "decision_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("alert_decisions.id"), unique=True)
    approved: Mapped[bool] = mapped_column(Boolean)
    reviewer: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    reviewed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class User(Base):
    """A person who logs in to the web UI; only an scrypt hash of the password is stored."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # analyst | supervisor | admin
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class WebSessionRecord(Base):
    """A web login; only the SHA-256 of its token (the cookie's value) is stored."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # Set at logout, or when the user is disabled; an ended session never comes back.
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
