"""The audit trail is append-only: PostgreSQL refuses UPDATE and DELETE of a transition

The application never changes a transition; this makes the database say so too, for
any client, including someone at a psql prompt. (TRUNCATE, a schema owner's tool, and
DROP TABLE are left alone.) SQLite has no such guard.

Revision ID: 0003_append_only_transitions
Revises: 0002_covering_sort_indexes
Create Date: 2026-12-01 23:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003_append_only_transitions"
down_revision: str | None = "0002_covering_sort_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = "transitions_append_only"
TRIGGER = "trg_transitions_append_only"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"""
        CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'transitions are append-only: % refused', TG_OP
                USING ERRCODE = 'restrict_violation';
        END
        $$
        """
    )
    op.execute(
        f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON transitions "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP TRIGGER {TRIGGER} ON transitions")
    op.execute(f"DROP FUNCTION {FUNCTION}()")
