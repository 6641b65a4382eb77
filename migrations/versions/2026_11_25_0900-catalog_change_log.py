"""the catalog rows refreshes replace, kept so that facet counts can be brought up to date

Revision ID: 0008_catalog_change_log
Revises: 0007_catalog_facet_counts
Create Date: 2026-11-25 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.db

revision: str = "0008_catalog_change_log"
down_revision: str | None = "0007_catalog_facet_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# Its rows are recomputed once the upgrade reaches the newest schema (migrations/env.py).
REBUILDS_CATALOG = True


def _retired(name: str, *columns: sa.Column, key: Sequence[str]) -> None:
    op.create_table(
        name,
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("retired_seq", sa.BigInteger(), nullable=False),
        *columns,
        sa.Column("born_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("product_id", "retired_seq", *key, name=op.f(f"pk_{name}")),
    )
    op.create_index(f"ix_{name}_retired_seq", name, ["retired_seq"])


def _places() -> list[sa.Column]:
    return [
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("hs_code", sa.String(length=10), nullable=False),
        sa.Column("province", sa.String(length=60), nullable=False),
    ]


def upgrade() -> None:
    _retired(
        "catalog_retired_entries",
        sa.Column("revision_id", sa.Uuid(), nullable=False),
        sa.Column("msme_id", sa.Uuid(), nullable=False),
        *_places(),
        sa.Column("price_jpy", sa.Numeric(precision=18, scale=0), nullable=True),
        sa.Column("price_low", sa.Numeric(precision=18, scale=0), nullable=False),
        sa.Column("price_high", sa.Numeric(precision=18, scale=0), nullable=False),
        sa.Column("moq", sa.Integer(), nullable=True),
        sa.Column("approved_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("visible_until", sa.Date(), nullable=True),
        key=[],
    )
    _retired(
        "catalog_retired_certifications",
        sa.Column("doc_type", sa.String(length=40), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        *_places(),
        sa.Column("shown_until", sa.Date(), nullable=True),
        key=["doc_type"],
    )
    _retired(
        "catalog_retired_channels",
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        key=["channel_id"],
    )
    # Derived rows: emptied, so that the new column can be NOT NULL (rebuilt at head).
    for table in ("catalog_certifications", "catalog_channels", "catalog_entries"):
        op.execute(sa.text(f"DELETE FROM {table}"))  # noqa: S608 - fixed names
    with op.batch_alter_table("catalog_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("born_seq", sa.BigInteger(), nullable=False))
    op.create_index("ix_catalog_entries_born_seq", "catalog_entries", ["born_seq"])
    with op.batch_alter_table("catalog_state", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("seq", sa.BigInteger(), nullable=False, server_default=sa.text("0"))
        )
        # Replaced by the rebuild at head, which starts a new lineage.
        batch_op.add_column(
            sa.Column("lineage", sa.Uuid(), nullable=False, server_default="0" * 32)
        )
    with op.batch_alter_table("catalog_state", schema=None) as batch_op:
        batch_op.alter_column("seq", server_default=None)
        batch_op.alter_column("lineage", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("catalog_state", schema=None) as batch_op:
        batch_op.drop_column("lineage")
        batch_op.drop_column("seq")
    op.drop_index("ix_catalog_entries_born_seq", "catalog_entries")
    with op.batch_alter_table("catalog_entries", schema=None) as batch_op:
        batch_op.drop_column("born_seq")
    for name in (
        "catalog_retired_channels",
        "catalog_retired_certifications",
        "catalog_retired_entries",
    ):
        op.drop_index(f"ix_{name}_retired_seq", name)
        op.drop_table(name)
