"""the search terms an approval replaces, kept so that query counts can be brought up to date

Revision ID: 0009_catalog_retired_terms
Revises: 0008_catalog_change_log
Create Date: 2026-11-25 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.db

revision: str = "0009_catalog_retired_terms"
down_revision: str | None = "0008_catalog_change_log"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalog_retired_terms",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("weight", sa.SmallInteger(), nullable=False),
        sa.Column("approved_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("born_seq", sa.BigInteger(), nullable=False),
        sa.Column("retired_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "product_id", "retired_seq", "term", name=op.f("pk_catalog_retired_terms")
        ),
    )
    op.create_index(
        "ix_catalog_retired_terms_retired_seq", "catalog_retired_terms", ["retired_seq"]
    )


def downgrade() -> None:
    op.drop_index("ix_catalog_retired_terms_retired_seq", "catalog_retired_terms")
    op.drop_table("catalog_retired_terms")
