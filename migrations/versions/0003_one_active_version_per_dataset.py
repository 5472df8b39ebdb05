"""one active version per dataset: list_versions.dataset, mixed OFAC versions split

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 12:50:00

Until 0002 a version belonged to a source, and OFAC's SDN and non-SDN lists, loaded together
from one CSV directory, were one version. Each list is now a dataset of its own
(`lists.datasets`) and a version holds exactly one dataset. Existing versions are moved without
losing any: each gets the dataset its entities came from, decided by the rule the adapters use
(the file an entry was read from for OFAC, the format for the UK), and a version that mixed two
datasets is split in two, the second part keeping the same file, hash and dates. Every stored
entity document gains its ``dataset`` field. Downgrading merges nothing back: it drops the
column and restores the per-source uniqueness, which fails if two datasets of one source share
a file hash (an OFAC directory load), as it should rather than lose a version.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The one dataset of each single-list source; OFAC and the UK are decided per entity / format.
_ONLY_DATASET = {"eu": "eu_fsf", "un": "un_sc"}
_UK_SANCTIONS_LIST_FORMATS = {"uk-fcdo-xml"}
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def dataset_of(source: str, format_name: str, document: dict[str, Any]) -> str:
    """The dataset of one stored entity, by the rule the adapters apply when reading."""
    if source == "ofac":
        file_name = str((document.get("ref") or {}).get("file", "")).lower()
        return "ofac_consolidated" if file_name.startswith("cons") else "ofac_sdn"
    if source == "uk":
        return "uk_sanctions_list" if format_name in _UK_SANCTIONS_LIST_FORMATS else "uk_ofsi"
    return _ONLY_DATASET.get(source, source)


def upgrade() -> None:
    # The per-source uniqueness goes first: a split version shares its file's source and hash.
    with op.batch_alter_table("list_versions") as batch:
        batch.add_column(sa.Column("dataset", sa.String(length=40), nullable=True))
        batch.drop_constraint("uq_list_versions_source_sha256", type_="unique")
    bind = op.get_bind()
    versions = sa.table(
        "list_versions",
        sa.column("id", sa.Integer),
        sa.column("source", sa.String),
        sa.column("dataset", sa.String),
        sa.column("format", sa.String),
        sa.column("file_name", sa.String),
        sa.column("sha256", sa.String),
        sa.column("published_at", sa.DateTime),
        sa.column("published_on", sa.Date),
        sa.column("published_from", sa.String),
        sa.column("loaded_at", sa.DateTime),
        sa.column("entity_count", sa.Integer),
        sa.column("counts", _JSON),
        sa.column("warnings", _JSON),
        sa.column("origin", sa.Text),
    )
    entities = sa.table(
        "entities",
        sa.column("id", sa.Integer),
        sa.column("version_id", sa.Integer),
        sa.column("document", _JSON),
    )
    for version in bind.execute(sa.select(versions)).mappings().all():
        rows = bind.execute(
            sa.select(entities.c.id, entities.c.document).where(
                entities.c.version_id == version["id"]
            )
        ).all()
        by_dataset: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for entity_id, document in rows:
            dataset = dataset_of(version["source"], version["format"], document)
            by_dataset.setdefault(dataset, []).append((entity_id, document))
        if not by_dataset:  # an empty version keeps the source's main dataset
            by_dataset[dataset_of(version["source"], version["format"], {})] = []
        # The largest part keeps the version id (and so every screening that refers to it).
        ordered = sorted(by_dataset.items(), key=lambda item: -len(item[1]))
        for position, (dataset, members) in enumerate(ordered):
            if position == 0:
                version_id = version["id"]
                bind.execute(
                    versions.update()
                    .where(versions.c.id == version_id)
                    .values(dataset=dataset, entity_count=len(members) or version["entity_count"])
                )
            else:
                values = {k: v for k, v in version.items() if k != "id"}
                values.update(dataset=dataset, entity_count=len(members))
                values["warnings"] = [
                    *(version["warnings"] or []),
                    f"split from version {version['id']} by migration 0003 (one dataset each)",
                ]
                version_id = bind.execute(
                    versions.insert().values(**values).returning(versions.c.id)
                ).scalar_one()
            for entity_id, document in members:
                bind.execute(
                    entities.update()
                    .where(entities.c.id == entity_id)
                    .values(version_id=version_id, document={**document, "dataset": dataset})
                )
    with op.batch_alter_table("list_versions") as batch:
        batch.alter_column("dataset", existing_type=sa.String(length=40), nullable=False)
        batch.create_unique_constraint("uq_list_versions_dataset_sha256", ["dataset", "sha256"])
        batch.create_index("ix_list_versions_dataset", ["dataset"])


def downgrade() -> None:
    with op.batch_alter_table("list_versions") as batch:
        batch.drop_index("ix_list_versions_dataset")
        batch.drop_constraint("uq_list_versions_dataset_sha256", type_="unique")
        batch.create_unique_constraint("uq_list_versions_source_sha256", ["source", "sha256"])
        batch.drop_column("dataset")
