"""Automotive suppliers: an MSME's capabilities, its supplier status and reviews

`supplier_reviews` is append-only like `transitions`: on PostgreSQL a trigger refuses
UPDATE and DELETE of a review.

Revision ID: 0009_suppliers
Revises: 0009_document_expiry_warning
Create Date: 2026-12-02 12:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009_suppliers"
down_revision: str | None = "0009_document_expiry_warning"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
FUNCTION = "supplier_reviews_append_only"
TRIGGER = "trg_supplier_reviews_append_only"


def upgrade() -> None:
    with op.batch_alter_table("msmes") as batch:
        batch.add_column(sa.Column("capabilities", JSON, nullable=True))
        batch.add_column(sa.Column("supplier_status", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("supplier_score", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("supplier_decided_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.create_index(op.f("ix_msmes_supplier_status"), "msmes", ["supplier_status"], unique=False)
    op.create_table(
        "supplier_reviews",
        sa.Column("msme_id", sa.Uuid(), nullable=False),
        sa.Column("curator_id", sa.Uuid(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("checklist", JSON, nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["curator_id"], ["users.id"], name=op.f("fk_supplier_reviews_curator_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["msme_id"], ["msmes.id"], name=op.f("fk_supplier_reviews_msme_id_msmes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_reviews")),
    )
    op.create_index(
        "ix_supplier_reviews_msme_id_created_at",
        "supplier_reviews",
        ["msme_id", "created_at"],
        unique=False,
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'supplier reviews are append-only: % refused', TG_OP
                    USING ERRCODE = 'restrict_violation';
            END
            $$
            """
        )
        op.execute(
            f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON supplier_reviews "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER {TRIGGER} ON supplier_reviews")
        op.execute(f"DROP FUNCTION {FUNCTION}()")
    op.drop_index("ix_supplier_reviews_msme_id_created_at", table_name="supplier_reviews")
    op.drop_table("supplier_reviews")
    op.drop_index(op.f("ix_msmes_supplier_status"), table_name="msmes")
    with op.batch_alter_table("msmes") as batch:
        batch.drop_column("supplier_decided_at")
        batch.drop_column("supplier_score")
        batch.drop_column("supplier_status")
        batch.drop_column("capabilities")
