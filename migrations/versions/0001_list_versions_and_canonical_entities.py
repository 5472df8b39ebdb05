"""list versions and canonical entities

Revision ID: 0001
Revises:
Create Date: 2026-11-29 05:44:07.646431
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from screening.store.schema import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "list_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("format", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("published_from", sa.String(length=16), nullable=False),
        sa.Column("loaded_at", UTCDateTime(), nullable=False),
        sa.Column("entity_count", sa.Integer(), nullable=False),
        sa.Column(
            "counts",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "warnings",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("origin", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_versions")),
        sa.UniqueConstraint("source", "sha256", name="uq_list_versions_source_sha256"),
    )
    with op.batch_alter_table("list_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_list_versions_source"), ["source"], unique=False)

    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=False),
        sa.Column("schema", sa.String(length=16), nullable=False),
        sa.Column("primary_name", sa.Text(), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column(
            "document",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["list_versions.id"],
            name=op.f("fk_entities_version_id_list_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
        sa.UniqueConstraint("version_id", "entry_id", name="uq_entities_version_id_entry_id"),
    )
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entities_version_id"), ["version_id"], unique=False)

    op.create_table(
        "entity_birth_dates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("precision", sa.String(length=8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("month", sa.Integer(), nullable=True),
        sa.Column("day", sa.Integer(), nullable=True),
        sa.Column("year_to", sa.Integer(), nullable=True),
        sa.Column("circa", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_birth_dates_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_birth_dates")),
    )
    with op.batch_alter_table("entity_birth_dates", schema=None) as batch_op:
        batch_op.create_index("ix_entity_birth_dates_entity_id", ["entity_id"], unique=False)

    op.create_table(
        "entity_countries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_countries_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_countries")),
    )
    with op.batch_alter_table("entity_countries", schema=None) as batch_op:
        batch_op.create_index("ix_entity_countries_entity_id", ["entity_id"], unique=False)

    op.create_table(
        "entity_identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_identifiers_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_identifiers")),
    )
    with op.batch_alter_table("entity_identifiers", schema=None) as batch_op:
        batch_op.create_index("ix_entity_identifiers_entity_id", ["entity_id"], unique=False)
        batch_op.create_index("ix_entity_identifiers_type_value", ["type", "value"], unique=False)

    op.create_table(
        "entity_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("full", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("script", sa.String(length=8), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_names_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_names")),
    )
    with op.batch_alter_table("entity_names", schema=None) as batch_op:
        batch_op.create_index("ix_entity_names_entity_id", ["entity_id"], unique=False)

    op.create_table(
        "entity_programs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("program", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_programs_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_programs")),
    )
    with op.batch_alter_table("entity_programs", schema=None) as batch_op:
        batch_op.create_index("ix_entity_programs_entity_id", ["entity_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("entity_programs", schema=None) as batch_op:
        batch_op.drop_index("ix_entity_programs_entity_id")

    op.drop_table("entity_programs")
    with op.batch_alter_table("entity_names", schema=None) as batch_op:
        batch_op.drop_index("ix_entity_names_entity_id")

    op.drop_table("entity_names")
    with op.batch_alter_table("entity_identifiers", schema=None) as batch_op:
        batch_op.drop_index("ix_entity_identifiers_type_value")
        batch_op.drop_index("ix_entity_identifiers_entity_id")

    op.drop_table("entity_identifiers")
    with op.batch_alter_table("entity_countries", schema=None) as batch_op:
        batch_op.drop_index("ix_entity_countries_entity_id")

    op.drop_table("entity_countries")
    with op.batch_alter_table("entity_birth_dates", schema=None) as batch_op:
        batch_op.drop_index("ix_entity_birth_dates_entity_id")

    op.drop_table("entity_birth_dates")
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entities_version_id"))

    op.drop_table("entities")
    with op.batch_alter_table("list_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_list_versions_source"))

    op.drop_table("list_versions")
