"""the catalog state's `priced`: re-pricing keeps the cached counts that read no yen price

Revision ID: 0010_catalog_priced
Revises: 0009_catalog_retired_terms
Create Date: 2026-11-26 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_catalog_priced"
down_revision: str | None = "0009_catalog_retired_terms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Any value will do: counts are cached in memory, by processes the upgrade restarts.
    with op.batch_alter_table("catalog_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("priced", sa.Uuid(), nullable=False, server_default="0" * 32))
    with op.batch_alter_table("catalog_state", schema=None) as batch_op:
        batch_op.alter_column("priced", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("catalog_state", schema=None) as batch_op:
        batch_op.drop_column("priced")
