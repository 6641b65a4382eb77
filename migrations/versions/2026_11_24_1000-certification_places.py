"""catalog certifications carry their entry's category, province and last shown day

Revision ID: 0006_certification_places
Revises: 0005_catalog_entries
Create Date: 2026-11-24 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_certification_places"
down_revision: str | None = "0005_catalog_entries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# Its rows are recomputed once the upgrade reaches the newest schema (migrations/env.py).
REBUILDS_CATALOG = True


def upgrade() -> None:
    # Derived rows: emptied, so that the new columns can be NOT NULL.
    op.execute(sa.text("DELETE FROM catalog_certifications"))
    with op.batch_alter_table("catalog_certifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("category", sa.String(length=40), nullable=False))
        batch_op.add_column(sa.Column("province", sa.String(length=60), nullable=False))
        batch_op.add_column(sa.Column("shown_until", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("catalog_certifications", schema=None) as batch_op:
        batch_op.drop_column("shown_until")
        batch_op.drop_column("province")
        batch_op.drop_column("category")
