"""the first response's headers, replayed with its body (a created product's ETag)

Revision ID: 0011_idempotency_headers
Revises: 0010_catalog_state_marks
Create Date: 2026-11-26 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011_idempotency_headers"
down_revision: str | None = "0010_catalog_state_marks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        # Responses remembered before kept no headers.
        batch_op.add_column(
            sa.Column("headers", json, nullable=False, server_default=sa.text("'{}'"))
        )
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.alter_column("headers", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.drop_column("headers")
