"""Baseline: the whole schema, squashed from the history before anything was deployed

Revision ID: 0001_baseline
Revises:
Create Date: 2026-12-01 19:41:40.114086
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001_baseline"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channels",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column(
            "name",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("venue", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channels")),
        sa.UniqueConstraint("code", name=op.f("uq_channels_code")),
    )
    op.create_table(
        "outbox_events",
        sa.Column("type", sa.String(length=60), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("run_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "handled",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_events")),
    )
    op.create_index("ix_outbox_events_due", "outbox_events", ["status", "run_after"], unique=False)
    op.create_table(
        "users",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("preferred_language", sa.String(length=2), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_index(op.f("ix_users_role"), "users", ["role"], unique=False)
    op.create_table(
        "fx_rates",
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate_to_jpy", sa.Numeric(precision=20, scale=8), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("set_by_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["users.id"], name=op.f("fk_fx_rates_set_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fx_rates")),
        sa.UniqueConstraint("currency", "as_of", name=op.f("uq_fx_rates_currency_as_of")),
    )
    op.create_table(
        "idempotency_records",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column(
            "body",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "headers",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_idempotency_records_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_records")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_idempotency_records_user_id_key")),
    )
    op.create_table(
        "msmes",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("legal_name", sa.String(length=200), nullable=False),
        sa.Column("brand_name", sa.String(length=200), nullable=False),
        sa.Column("nib", sa.String(length=13), nullable=False),
        sa.Column("npwp", sa.String(length=20), nullable=True),
        sa.Column("province", sa.String(length=60), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("size_class", sa.String(length=10), nullable=False),
        sa.Column("established_year", sa.Integer(), nullable=True),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column(
            "description",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_msmes_owner_id_users")),
        sa.ForeignKeyConstraint(
            ["verified_by_id"], ["users.id"], name=op.f("fk_msmes_verified_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_msmes")),
        sa.UniqueConstraint("nib", name=op.f("uq_msmes_nib")),
    )
    op.create_index(op.f("ix_msmes_owner_id"), "msmes", ["owner_id"], unique=False)
    op.create_index(op.f("ix_msmes_province"), "msmes", ["province"], unique=False)
    op.create_table(
        "products",
        sa.Column("msme_id", sa.Uuid(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("hs_code", sa.String(length=10), nullable=False),
        sa.Column(
            "name",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "description",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "specifications",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("price_amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("price_currency", sa.String(length=3), nullable=True),
        sa.Column("incoterm", sa.String(length=3), nullable=True),
        sa.Column("port_of_loading", sa.String(length=100), nullable=True),
        sa.Column("moq", sa.Integer(), nullable=True),
        sa.Column("lead_time_days", sa.Integer(), nullable=True),
        sa.Column("monthly_capacity", sa.Integer(), nullable=True),
        sa.Column("shelf_life_days", sa.Integer(), nullable=True),
        sa.Column("packaging", sa.Text(), nullable=True),
        sa.Column("net_weight_g", sa.Integer(), nullable=True),
        sa.Column("organic_claim", sa.Boolean(), nullable=False),
        sa.Column("is_electrical", sa.Boolean(), nullable=False),
        sa.Column("species", sa.String(length=120), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_revision_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["msme_id"], ["msmes.id"], name=op.f("fk_products_msme_id_msmes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("msme_id", "sku", name=op.f("uq_products_msme_id_sku")),
    )
    op.create_index(op.f("ix_products_category"), "products", ["category"], unique=False)
    op.create_index(op.f("ix_products_msme_id"), "products", ["msme_id"], unique=False)
    op.create_index(
        "ix_products_status_submitted_at", "products", ["status", "submitted_at"], unique=False
    )
    op.create_table(
        "catalog_certifications",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("doc_type", sa.String(length=40), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_catalog_certifications_product_id_products"),
        ),
        sa.PrimaryKeyConstraint("product_id", "doc_type", name=op.f("pk_catalog_certifications")),
    )
    op.create_index(
        "ix_catalog_certifications_doc_type",
        "catalog_certifications",
        ["doc_type", "product_id"],
        unique=False,
    )
    op.create_table(
        "catalog_channels",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_catalog_channels_channel_id_channels")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_catalog_channels_product_id_products")
        ),
        sa.PrimaryKeyConstraint("product_id", "code", name=op.f("pk_catalog_channels")),
    )
    op.create_index(
        "ix_catalog_channels_code", "catalog_channels", ["code", "product_id"], unique=False
    )
    op.create_table(
        "documents",
        sa.Column("msme_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=True),
        sa.Column("doc_type", sa.String(length=40), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("storage_key", sa.String(length=400), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["msme_id"], ["msmes.id"], name=op.f("fk_documents_msme_id_msmes")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_documents_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_id"], ["users.id"], name=op.f("fk_documents_verified_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_documents_storage_key")),
    )
    op.create_index(op.f("ix_documents_msme_id"), "documents", ["msme_id"], unique=False)
    op.create_index(op.f("ix_documents_product_id"), "documents", ["product_id"], unique=False)
    op.create_table(
        "inquiries",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("msme_id", sa.Uuid(), nullable=False),
        sa.Column("buyer_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("incoterm", sa.String(length=3), nullable=True),
        sa.Column("destination_port", sa.String(length=100), nullable=True),
        sa.Column("target_price_amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("target_price_currency", sa.String(length=3), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["buyer_id"], ["users.id"], name=op.f("fk_inquiries_buyer_id_users")
        ),
        sa.ForeignKeyConstraint(["msme_id"], ["msmes.id"], name=op.f("fk_inquiries_msme_id_msmes")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_inquiries_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiries")),
    )
    op.create_index(op.f("ix_inquiries_buyer_id"), "inquiries", ["buyer_id"], unique=False)
    op.create_index(op.f("ix_inquiries_msme_id"), "inquiries", ["msme_id"], unique=False)
    op.create_index(op.f("ix_inquiries_product_id"), "inquiries", ["product_id"], unique=False)
    op.create_table(
        "listings",
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("booth", sa.String(length=50), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_listings_channel_id_channels")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_listings_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["users.id"], name=op.f("fk_listings_published_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listings")),
        sa.UniqueConstraint(
            "channel_id", "product_id", name=op.f("uq_listings_channel_id_product_id")
        ),
    )
    op.create_index(op.f("ix_listings_product_id"), "listings", ["product_id"], unique=False)
    op.create_table(
        "media",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("alt", sa.String(length=300), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=400), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("public_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_media_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_media_storage_key")),
    )
    op.create_index(op.f("ix_media_product_id"), "media", ["product_id"], unique=False)
    op.create_table(
        "reviews",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("product_version", sa.Integer(), nullable=False),
        sa.Column("curator_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column(
            "checklist",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["curator_id"], ["users.id"], name=op.f("fk_reviews_curator_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_reviews_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_reviews_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    op.create_index(op.f("ix_reviews_curator_id"), "reviews", ["curator_id"], unique=False)
    op.create_index(
        "ix_reviews_product_id_started_at", "reviews", ["product_id", "started_at"], unique=False
    )
    op.create_table(
        "shortlist_items",
        sa.Column("buyer_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["buyer_id"], ["users.id"], name=op.f("fk_shortlist_items_buyer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_shortlist_items_product_id_products")
        ),
        sa.PrimaryKeyConstraint("buyer_id", "product_id", name=op.f("pk_shortlist_items")),
    )
    op.create_table(
        "transitions",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("product_version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_transitions_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_transitions_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transitions")),
    )
    op.create_index(
        "ix_transitions_product_id_at", "transitions", ["product_id", "at"], unique=False
    )
    op.create_table(
        "inquiry_messages",
        sa.Column("inquiry_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_inquiry_messages_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["inquiry_id"], ["inquiries.id"], name=op.f("fk_inquiry_messages_inquiry_id_inquiries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiry_messages")),
    )
    op.create_index(
        "ix_inquiry_messages_inquiry_id_created_at",
        "inquiry_messages",
        ["inquiry_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "revisions",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("product_version", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Uuid(), nullable=True),
        sa.Column("approved_by_id", sa.Uuid(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "content",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("msme_id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("hs_code", sa.String(length=10), nullable=False),
        sa.Column("price_amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("price_currency", sa.String(length=3), nullable=False),
        sa.Column("price_jpy", sa.Numeric(precision=18, scale=0), nullable=True),
        sa.Column("moq", sa.Integer(), nullable=True),
        sa.Column(
            "terms",
            sa.JSON().with_variant(postgresql.TSVECTOR(), "postgresql"),
            nullable=False,
        ),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("certified_until", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_revisions_approved_by_id_users")
        ),
        sa.ForeignKeyConstraint(["msme_id"], ["msmes.id"], name=op.f("fk_revisions_msme_id_msmes")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_revisions_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_revisions_review_id_reviews")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revisions")),
        sa.UniqueConstraint("product_id", "number", name=op.f("uq_revisions_product_id_number")),
    )
    # Products and their approved revision point at each other: this key comes second.
    with op.batch_alter_table("products") as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_products_approved_revision_id_revisions"),
            "revisions",
            ["approved_revision_id"],
            ["id"],
        )
    op.create_index(op.f("ix_revisions_product_id"), "revisions", ["product_id"], unique=False)
    op.create_table(
        "catalog_entries",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("revision_id", sa.Uuid(), nullable=False),
        sa.Column("msme_id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("hs_code", sa.String(length=10), nullable=False),
        sa.Column("province", sa.String(length=60), nullable=False),
        sa.Column("price_jpy", sa.Numeric(precision=18, scale=0), nullable=True),
        sa.Column("price_low", sa.Numeric(precision=18, scale=0), nullable=False),
        sa.Column("price_high", sa.Numeric(precision=18, scale=0), nullable=False),
        sa.Column("moq", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("visible_until", sa.Date(), nullable=True),
        sa.Column("certifications", sa.String(length=400), nullable=False),
        sa.Column("channels", sa.String(length=2000), nullable=False),
        sa.Column("sets_until", sa.Date(), nullable=True),
        sa.Column(
            "terms",
            sa.JSON().with_variant(postgresql.TSVECTOR(), "postgresql"),
            nullable=False,
        ),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["msme_id"], ["msmes.id"], name=op.f("fk_catalog_entries_msme_id_msmes")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_catalog_entries_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revisions.id"], name=op.f("fk_catalog_entries_revision_id_revisions")
        ),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_catalog_entries")),
    )
    op.create_index(
        "ix_catalog_entries_category_price_high",
        "catalog_entries",
        ["category", "price_high", "product_id"],
        unique=False,
    )
    op.create_index(
        "ix_catalog_entries_category_price_low",
        "catalog_entries",
        ["category", "price_low", "product_id"],
        unique=False,
    )
    op.create_index(
        "ix_catalog_entries_category",
        "catalog_entries",
        ["category", "approved_at", "product_id"],
        unique=False,
    )
    op.create_index(
        "ix_catalog_entries_facets",
        "catalog_entries",
        ["category", "province", "certifications", "channels"],
        unique=False,
        postgresql_include=["visible_until", "sets_until", "hs_code", "moq", "price_jpy"],
    )
    op.create_index(
        "ix_catalog_entries_hs_code",
        "catalog_entries",
        ["hs_code", "approved_at", "product_id"],
        unique=False,
    )
    op.create_index(
        "ix_catalog_entries_newest", "catalog_entries", ["approved_at", "product_id"], unique=False
    )
    op.create_index(
        "ix_catalog_entries_price_high",
        "catalog_entries",
        ["price_high", "product_id"],
        unique=False,
    )
    op.create_index(
        "ix_catalog_entries_price_low", "catalog_entries", ["price_low", "product_id"], unique=False
    )
    op.create_index(
        "ix_catalog_entries_province",
        "catalog_entries",
        ["province", "approved_at", "product_id"],
        unique=False,
    )
    op.create_index(
        "ix_catalog_entries_sets_until", "catalog_entries", ["sets_until"], unique=False
    )
    if op.get_bind().dialect.name == "postgresql":  # a JSON array on SQLite: no index
        op.create_index(
            "ix_catalog_entries_terms",
            "catalog_entries",
            ["terms"],
            unique=False,
            postgresql_using="gin",
        )


def downgrade() -> None:
    with op.batch_alter_table("products") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_products_approved_revision_id_revisions"), type_="foreignkey"
        )
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index(
            "ix_catalog_entries_terms", table_name="catalog_entries", postgresql_using="gin"
        )
    op.drop_index("ix_catalog_entries_sets_until", table_name="catalog_entries")
    op.drop_index("ix_catalog_entries_province", table_name="catalog_entries")
    op.drop_index("ix_catalog_entries_price_low", table_name="catalog_entries")
    op.drop_index("ix_catalog_entries_price_high", table_name="catalog_entries")
    op.drop_index("ix_catalog_entries_newest", table_name="catalog_entries")
    op.drop_index("ix_catalog_entries_hs_code", table_name="catalog_entries")
    op.drop_index(
        "ix_catalog_entries_facets",
        table_name="catalog_entries",
        postgresql_include=["visible_until", "sets_until", "hs_code", "moq", "price_jpy"],
    )
    op.drop_index("ix_catalog_entries_category", table_name="catalog_entries")
    op.drop_index("ix_catalog_entries_category_price_low", table_name="catalog_entries")
    op.drop_index("ix_catalog_entries_category_price_high", table_name="catalog_entries")
    op.drop_table("catalog_entries")
    op.drop_index(op.f("ix_revisions_product_id"), table_name="revisions")
    op.drop_table("revisions")
    op.drop_index("ix_inquiry_messages_inquiry_id_created_at", table_name="inquiry_messages")
    op.drop_table("inquiry_messages")
    op.drop_index("ix_transitions_product_id_at", table_name="transitions")
    op.drop_table("transitions")
    op.drop_table("shortlist_items")
    op.drop_index("ix_reviews_product_id_started_at", table_name="reviews")
    op.drop_index(op.f("ix_reviews_curator_id"), table_name="reviews")
    op.drop_table("reviews")
    op.drop_index(op.f("ix_media_product_id"), table_name="media")
    op.drop_table("media")
    op.drop_index(op.f("ix_listings_product_id"), table_name="listings")
    op.drop_table("listings")
    op.drop_index(op.f("ix_inquiries_product_id"), table_name="inquiries")
    op.drop_index(op.f("ix_inquiries_msme_id"), table_name="inquiries")
    op.drop_index(op.f("ix_inquiries_buyer_id"), table_name="inquiries")
    op.drop_table("inquiries")
    op.drop_index(op.f("ix_documents_product_id"), table_name="documents")
    op.drop_index(op.f("ix_documents_msme_id"), table_name="documents")
    op.drop_table("documents")
    op.drop_index("ix_catalog_channels_code", table_name="catalog_channels")
    op.drop_table("catalog_channels")
    op.drop_index("ix_catalog_certifications_doc_type", table_name="catalog_certifications")
    op.drop_table("catalog_certifications")
    op.drop_index("ix_products_status_submitted_at", table_name="products")
    op.drop_index(op.f("ix_products_msme_id"), table_name="products")
    op.drop_index(op.f("ix_products_category"), table_name="products")
    op.drop_table("products")
    op.drop_index(op.f("ix_msmes_province"), table_name="msmes")
    op.drop_index(op.f("ix_msmes_owner_id"), table_name="msmes")
    op.drop_table("msmes")
    op.drop_table("idempotency_records")
    op.drop_table("fx_rates")
    op.drop_index(op.f("ix_users_role"), table_name="users")
    op.drop_table("users")
    op.drop_index("ix_outbox_events_due", table_name="outbox_events")
    op.drop_table("outbox_events")
    op.drop_table("channels")
