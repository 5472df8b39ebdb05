"""longer entry ids: Canada's (regime, schedule, item) keys are up to 90 characters

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 13:15:00

Entry ids were ``VARCHAR(64)``, enough for the numeric and short ids of OFAC, the UK, the EU and
the UN. Canada's list has no id of its own: its key is the regime, the schedule and the item
("Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR), Item 1", 77
characters; the longest in the 2025 file is 90). SQLite never enforced the length; PostgreSQL
refused the load. Both the stored entities and the alerts that cite them get 256 characters.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ENTRY_ID_LENGTH = 256
_COLUMNS = (("entities", "entry_id"), ("alerts", "entry_id"))


def upgrade() -> None:
    for table, column in _COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column,
                existing_type=sa.String(length=64),
                type_=sa.String(length=ENTRY_ID_LENGTH),
                existing_nullable=False,
            )


def downgrade() -> None:
    # Refuses (on PostgreSQL) while a longer id is stored, rather than cut one.
    for table, column in _COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column,
                existing_type=sa.String(length=ENTRY_ID_LENGTH),
                type_=sa.String(length=64),
                existing_nullable=False,
            )
