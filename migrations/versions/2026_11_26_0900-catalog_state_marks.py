"""the catalog state's marks: a re-pricing or a channel opened keeps the counts that read
neither prices nor channels

Revision ID: 0010_catalog_state_marks
Revises: 0009_catalog_retired_terms
Create Date: 2026-11-26 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_catalog_state_marks"
down_revision: str | None = "0009_catalog_retired_terms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
MARKS = ("priced", "opened")


def upgrade() -> None:
    # Any value will do: counts are cached in memory, by processes the upgrade restarts.
    with op.batch_alter_table("catalog_state", schema=None) as batch_op:
        for mark in MARKS:
            batch_op.add_column(sa.Column(mark, sa.Uuid(), nullable=False, server_default="0" * 32))
    with op.batch_alter_table("catalog_state", schema=None) as batch_op:
        for mark in MARKS:
            batch_op.alter_column(mark, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("catalog_state", schema=None) as batch_op:
        for mark in MARKS:
            batch_op.drop_column(mark)
