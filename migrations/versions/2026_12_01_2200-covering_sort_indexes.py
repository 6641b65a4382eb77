"""The catalog's sort indexes carry the columns filters test (PostgreSQL INCLUDE)

A walk of a sort index whose filters match little then reads the index alone.

Revision ID: 0002_covering_sort_indexes
Revises: 0001_baseline
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002_covering_sort_indexes"
down_revision: str | None = "0001_baseline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILTERED = ("visible_until", "category", "province", "hs_code", "moq", "price_jpy")
SORTS = {
    "newest": ("approved_at",),
    "category": ("category", "approved_at"),
    "province": ("province", "approved_at"),
    "hs_code": ("hs_code", "approved_at"),
    "price_low": ("price_low",),
    "price_high": ("price_high",),
    "category_price_low": ("category", "price_low"),
    "category_price_high": ("category", "price_high"),
}


def _recreate(covering: bool) -> None:
    for name, keys in SORTS.items():
        index = f"ix_catalog_entries_{name}"
        include = [c for c in FILTERED if c not in keys] if covering else []
        op.drop_index(index, table_name="catalog_entries")
        op.create_index(index, "catalog_entries", [*keys, "product_id"], postgresql_include=include)


def upgrade() -> None:
    _recreate(covering=True)


def downgrade() -> None:
    _recreate(covering=False)
