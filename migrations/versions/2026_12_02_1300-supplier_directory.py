"""The supplier directory: what an MSME is found by, written with its row

Schema only, like every migration (app code changes; a migration must not). Every write
of an MSME computes its terms (app/catalog/supplier_terms.py), and an MSME enters the
directory only through a supplier review, which writes it; `kurasi catalog rebuild`
recomputes them all.

Revision ID: 0010_supplier_directory
Revises: 0009_mail
Create Date: 2026-12-02 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010_supplier_directory"
down_revision: str | None = "0009_mail"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TERMS = sa.JSON().with_variant(postgresql.TSVECTOR(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("msmes") as batch:
        batch.add_column(sa.Column("supplier_terms", TERMS, nullable=True))
        batch.add_column(sa.Column("supplier_text", sa.Text(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":  # a JSON object on SQLite: no index
        op.create_index(
            "ix_msmes_supplier_terms",
            "msmes",
            ["supplier_terms"],
            unique=False,
            postgresql_using="gin",
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_msmes_supplier_terms", table_name="msmes", postgresql_using="gin")
    with op.batch_alter_table("msmes") as batch:
        batch.drop_column("supplier_text")
        batch.drop_column("supplier_terms")
