"""The content of a product that an approval freezes into a revision."""

from __future__ import annotations

from typing import Any

from app.models import Product
from app.models.enums import UploadStatus

CONTENT_FIELDS = (
    "sku",
    "category",
    "hs_code",
    "name",
    "description",
    "specifications",
    "unit",
    "incoterm",
    "port_of_loading",
    "moq",
    "lead_time_days",
    "monthly_capacity",
    "shelf_life_days",
    "packaging",
    "net_weight_g",
    "organic_claim",
    "is_electrical",
    "species",
)


def snapshot(product: Product) -> dict[str, Any]:
    """JSON of the product's content, with the uploaded images it showed when approved."""
    content: dict[str, Any] = {field: getattr(product, field) for field in CONTENT_FIELDS}
    content["price"] = (
        {"amount": str(product.price_amount), "currency": product.price_currency}
        if product.price_amount is not None
        else None
    )
    content["media"] = [
        {"id": str(m.id), "alt": m.alt, "position": m.position}
        for m in product.media
        if m.status == UploadStatus.uploaded
    ]
    return content
