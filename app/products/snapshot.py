"""The content of a product that an approval freezes into a revision."""

from __future__ import annotations

from app.models import Product
from app.models.enums import UploadStatus
from app.models.snapshot import MediaSnapshot, PriceSnapshot, RevisionContent

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


def snapshot(product: Product) -> RevisionContent:
    """The product's content, with the uploaded images it shows; a product is priced once
    it is ready for curation."""
    assert product.price_amount is not None and product.price_currency is not None
    return RevisionContent.model_validate(
        {
            **{field: getattr(product, field) for field in CONTENT_FIELDS},
            "price": PriceSnapshot(amount=product.price_amount, currency=product.price_currency),
            "media": [
                MediaSnapshot(id=m.id, alt=m.alt, position=m.position)
                for m in product.media
                if m.status == UploadStatus.uploaded
            ],
        }
    )
