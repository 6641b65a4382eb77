"""facet counts kept by the writes; the channels and HS codes of catalog products

Revision ID: 0007_catalog_facet_counts
Revises: 0006_certification_places
Create Date: 2026-11-24 14:00:00
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "0007_catalog_facet_counts"
down_revision: str | None = "0006_certification_places"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# Its rows are recomputed once the upgrade reaches the newest schema (migrations/env.py).
REBUILDS_CATALOG = True


def upgrade() -> None:
    op.create_table(
        "catalog_channels",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_catalog_channels_channel_id_channels")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["catalog_entries.product_id"],
            name=op.f("fk_catalog_channels_product_id_catalog_entries"),
        ),
        sa.PrimaryKeyConstraint("product_id", "channel_id", name=op.f("pk_catalog_channels")),
    )
    op.create_index("ix_catalog_channels_channel", "catalog_channels", ["channel_id", "product_id"])
    op.create_table(
        "catalog_facet_counts",
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("doc_type", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("hs_code", sa.String(length=10), nullable=False),
        sa.Column("province", sa.String(length=60), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "channel_id",
            "doc_type",
            "category",
            "hs_code",
            "province",
            name=op.f("pk_catalog_facet_counts"),
        ),
    )
    # Derived rows: emptied, so that the new column can be NOT NULL.
    op.execute(sa.text("DELETE FROM catalog_certifications"))
    with op.batch_alter_table("catalog_certifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hs_code", sa.String(length=10), nullable=False))
    op.create_index("ix_catalog_entries_visible_until", "catalog_entries", ["visible_until"])
    op.create_index(
        "ix_catalog_certifications_shown_until", "catalog_certifications", ["shown_until"]
    )
    with op.batch_alter_table("catalog_state", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "counted_from",
                sa.Date(),
                nullable=False,
                server_default=date.today().isoformat(),  # moved by the rebuild
            )
        )
    with op.batch_alter_table("catalog_state", schema=None) as batch_op:
        batch_op.alter_column("counted_from", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("catalog_certifications", schema=None) as batch_op:
        batch_op.drop_column("hs_code")
    with op.batch_alter_table("catalog_state", schema=None) as batch_op:
        batch_op.drop_column("counted_from")
    op.drop_index("ix_catalog_certifications_shown_until", "catalog_certifications")
    op.drop_index("ix_catalog_entries_visible_until", "catalog_entries")
    op.drop_table("catalog_facet_counts")
    op.drop_index("ix_catalog_channels_channel", "catalog_channels")
    op.drop_table("catalog_channels")
