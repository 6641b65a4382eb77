"""Documents remember which expiry date their owner was warned of (document.expiring)

Revision ID: 0009_document_expiry_warning
Revises: 0008_notifications
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_document_expiry_warning"
down_revision: str | None = "0008_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("expiry_warned_for", sa.Date(), nullable=True))
    op.create_index("ix_documents_status_expires_on", "documents", ["status", "expires_on"])


def downgrade() -> None:
    op.drop_index("ix_documents_status_expires_on", table_name="documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("expiry_warned_for")
