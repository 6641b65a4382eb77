"""The supplier directory: what an MSME is found by, written with its row

Existing MSMEs get their terms here; from then on every write of an MSME recomputes
them (app/catalog/supplier_terms.py).

Revision ID: 0010_supplier_directory
Revises: 0009_mail
Create Date: 2026-12-02 13:00:00
"""

from collections.abc import Sequence
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from app.catalog import supplier_terms
from app.core.db import WeightedTerms

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
    msmes = sa.table(
        "msmes",
        sa.column("id", sa.Uuid()),
        sa.column("brand_name", sa.String()),
        sa.column("province", sa.String()),
        sa.column("city", sa.String()),
        sa.column("capabilities", sa.JSON()),
        sa.column("supplier_terms", WeightedTerms()),
        sa.column("supplier_text", sa.Text()),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(
            msmes.c.id, msmes.c.brand_name, msmes.c.province, msmes.c.city, msmes.c.capabilities
        )
    ).all()
    for row in rows:
        terms, text = supplier_terms.index(SimpleNamespace(**row._mapping))
        conn.execute(
            msmes.update()
            .where(msmes.c.id == row.id)
            .values(supplier_terms=terms, supplier_text=text)
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_msmes_supplier_terms", table_name="msmes", postgresql_using="gin")
    with op.batch_alter_table("msmes") as batch:
        batch.drop_column("supplier_text")
        batch.drop_column("supplier_terms")
