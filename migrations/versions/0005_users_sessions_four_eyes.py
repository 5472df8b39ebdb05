"""users, web sessions and four-eyes decision reviews

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10 09:00:00

The web UI's users (scrypt password hashes) and their sessions (only the token's SHA-256), and
four-eyes decisions: ``alert_decisions.needs_approval`` (false for every earlier decision, which
took effect when it was made) and ``decision_reviews``, a supervisor's approval or rejection.
Reviews are part of the audit trail: like the decisions (migration 0002), the database refuses
UPDATE and DELETE on them, and a decision has at most one review.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from screening.store.schema import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_APPEND_ONLY = "decision_reviews are append-only"


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_login_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_web_sessions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_sessions_token_hash")),
    )
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_sessions_user_id"), ["user_id"], unique=False)

    # The triggers of 0002 refuse UPDATE on alert_decisions, and SQLite's batch mode would copy
    # the table: a plain ADD COLUMN with a server default fills the existing rows instead.
    op.add_column(
        "alert_decisions",
        sa.Column("needs_approval", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_table(
        "decision_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reviewed_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["alert_decisions.id"],
            name=op.f("fk_decision_reviews_decision_id_alert_decisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_reviews")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_decision_reviews_decision_id")),
    )
    _append_only_triggers()


def _append_only_triggers() -> None:
    """As 0002 does for alert_decisions, with a message naming this table."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER decision_reviews_no_{action.lower()} BEFORE {action} "
                f"ON decision_reviews BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
            )
    elif bind.dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION refuse_review_change() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END$$"
        )
        op.execute(
            "CREATE TRIGGER decision_reviews_append_only BEFORE UPDATE OR DELETE "
            "ON decision_reviews FOR EACH ROW EXECUTE FUNCTION refuse_review_change()"
        )


def downgrade() -> None:
    # Dropping the table drops its triggers on both backends.
    op.drop_table("decision_reviews")
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_sessions_user_id"))
    op.drop_table("web_sessions")
    op.drop_table("users")
    op.drop_column("alert_decisions", "needs_approval")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS refuse_review_change()")
