"""catalog entries, certifications and version

Revision ID: 0005_catalog_entries
Revises: 0004_search_terms
Create Date: 2026-11-24 09:00:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.db

revision: str = "0005_catalog_entries"
down_revision: str | None = "0004_search_terms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalog_entries",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("revision_id", sa.Uuid(), nullable=False),
        sa.Column("msme_id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("hs_code", sa.String(length=10), nullable=False),
        sa.Column("province", sa.String(length=60), nullable=False),
        sa.Column("price_jpy", sa.Numeric(precision=18, scale=0), nullable=True),
        sa.Column("price_low", sa.Numeric(precision=18, scale=0), nullable=False),
        sa.Column("price_high", sa.Numeric(precision=18, scale=0), nullable=False),
        sa.Column("moq", sa.Integer(), nullable=True),
        sa.Column("approved_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("visible_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["msme_id"], ["msmes.id"], name=op.f("fk_catalog_entries_msme_id_msmes")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_catalog_entries_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["revisions.id"],
            name=op.f("fk_catalog_entries_revision_id_revisions"),
        ),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_catalog_entries")),
    )
    with op.batch_alter_table("catalog_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_catalog_entries_newest", ["approved_at", "product_id"], unique=False
        )
        for column in ("category", "province", "hs_code"):
            batch_op.create_index(
                f"ix_catalog_entries_{column}", [column, "approved_at", "product_id"], unique=False
            )
        batch_op.create_index(
            "ix_catalog_entries_price_low", ["price_low", "product_id"], unique=False
        )
        batch_op.create_index(
            "ix_catalog_entries_price_high", ["price_high", "product_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_catalog_entries_msme_id"), ["msme_id"], unique=False)
    op.create_table(
        "catalog_certifications",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("doc_type", sa.String(length=40), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["catalog_entries.product_id"],
            name=op.f("fk_catalog_certifications_product_id_catalog_entries"),
        ),
        sa.PrimaryKeyConstraint("product_id", "doc_type", name=op.f("pk_catalog_certifications")),
    )
    state = op.create_table(
        "catalog_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_state")),
    )
    op.bulk_insert(state, [{"id": 1, "version": uuid.uuid4()}])
    # The rows are filled by 0006_certification_places, whose columns the catalog's
    # rebuild writes: a migration can only run the rebuild of the newest schema.


def downgrade() -> None:
    op.drop_table("catalog_state")
    op.drop_table("catalog_certifications")
    with op.batch_alter_table("catalog_entries", schema=None) as batch_op:
        for name in ("newest", "category", "province", "hs_code", "price_low", "price_high"):
            batch_op.drop_index(f"ix_catalog_entries_{name}")
        batch_op.drop_index(batch_op.f("ix_catalog_entries_msme_id"))
    op.drop_table("catalog_entries")
