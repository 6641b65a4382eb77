from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import Field, StringConstraints, model_validator

from app.core.schemas import (
    Amount,
    Currency,
    Description,
    Flag,
    InputModel,
    JsonInteger,
    Money,
    Multilingual,
    Name,
    OneOf,
    OutputModel,
    Unset,
    example,
    multilingual,
)
from app.documents.schemas import DocumentOut
from app.models.enums import Incoterm, ProductStatus, UploadStatus
from app.standards.table import CATEGORIES_BY_CODE

HsCode = Annotated[str, StringConstraints(pattern=r"^\d{6,10}$"), Field(examples=["090121"])]
Unit = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9_]{1,20}$", to_lower=True),
    Field(examples=["kg"], description="kg, g, l, ml, pcs, box, carton, pack, set, ..."),
]
Sku = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Category = Annotated[
    str, OneOf(frozenset(CATEGORIES_BY_CODE), "a category of GET /standards", "Category")
]
# A product's name needs Bahasa Indonesia (`id`); checked by the models' validators.
ProductName = Annotated[Name, multilingual("ProductName", 300, required=("id",))]
Count = Annotated[int, Field(ge=1, le=1_000_000_000), JsonInteger]
Days = Annotated[int, Field(ge=0, le=3650), JsonInteger]


class Specification(InputModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    value: Annotated[str, StringConstraints(min_length=1, max_length=500)]


class PriceIn(InputModel):
    amount: Amount
    currency: Currency
    incoterm: Incoterm | None = Field(default=None, description="May be given here or top-level")


class _ProductFields(InputModel):
    """Every field but the name; a field its column requires may be left out of a
    request, never sent as null (`Unset`)."""

    sku: Sku | None = None
    category: Unset[Category] = None
    hs_code: Unset[HsCode] = None
    description: Unset[Description] = None
    specifications: Unset[Annotated[list[Specification], Field(max_length=100)]] = None
    unit: Unset[Unit] = None
    price: PriceIn | None = None
    incoterm: Incoterm | None = None
    port_of_loading: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    moq: Count | None = None
    lead_time_days: Days | None = None
    monthly_capacity: Count | None = None
    shelf_life_days: Annotated[int, Field(ge=1, le=3650), JsonInteger] | None = None
    packaging: Annotated[str, StringConstraints(min_length=1, max_length=2000)] | None = None
    net_weight_g: Annotated[int, Field(ge=1, le=100_000_000), JsonInteger] | None = None
    organic_claim: Unset[Flag] = None
    is_electrical: Unset[Flag] = None
    species: Annotated[str, StringConstraints(min_length=1, max_length=120)] | None = None

    @model_validator(mode="after")
    def _incoterm_in_price(self) -> Self:
        if self.price is not None and self.price.incoterm is not None:
            if self.incoterm is not None and self.incoterm != self.price.incoterm:
                raise ValueError("price.incoterm and incoterm differ")
            self.incoterm = self.price.incoterm
        return self

    def columns(self) -> dict[str, Any]:
        """The set fields as Product column values."""
        data = self.model_dump(exclude_unset=True, exclude={"price"})
        if "specifications" in self.model_fields_set:
            data["specifications"] = [s.model_dump() for s in self.specifications or []]
        if "price" in self.model_fields_set:
            data["price_amount"] = self.price.amount if self.price else None
            data["price_currency"] = self.price.currency if self.price else None
            if self.price and self.price.incoterm:
                data["incoterm"] = self.price.incoterm
        for key in ("incoterm",):
            if data.get(key) is not None:
                data[key] = str(data[key])
        return data


class ProductCreate(_ProductFields):
    model_config = example(
        msme_id="a1b2c3d4-0000-4000-8000-000000000001",
        sku="GAYO-ARB-250",
        category="coffee",
        hs_code="090121",
        name={
            "id": "Kopi Arabika Gayo Sangrai 250 g",
            "en": "Gayo arabica, roasted, 250 g",
            "ja": "ガヨ・アラビカ 焙煎豆 250g",
        },
        unit="pack",
        price={"amount": "95000.00", "currency": "IDR"},
        incoterm="FOB",
        port_of_loading="Belawan",
        moq=500,
        lead_time_days=30,
        monthly_capacity=4000,
        shelf_life_days=365,
        net_weight_g=250,
    )

    msme_id: uuid.UUID
    category: Category
    hs_code: HsCode
    name: ProductName
    unit: Unit = "pcs"

    @model_validator(mode="after")
    def _indonesian_name(self) -> Self:
        if not self.name.get("id"):
            raise ValueError("name.id (Bahasa Indonesia) is required")
        return self

    def columns(self) -> dict[str, Any]:
        # A unit left out is the default, not a missing value: the column needs one.
        return {"unit": self.unit, **super().columns()}


class ProductUpdate(_ProductFields):
    model_config = example(price={"amount": "98000.00", "currency": "IDR"}, moq=400)

    name: Unset[ProductName] = None

    @model_validator(mode="after")
    def _indonesian_name(self) -> Self:
        if "name" in self.model_fields_set and not (self.name or {}).get("id"):
            raise ValueError("name.id (Bahasa Indonesia) is required")
        return self


class MediaOut(OutputModel):
    """An image of a product (app/media holds the calls that add and remove them)."""

    id: uuid.UUID
    product_id: uuid.UUID
    filename: str
    content_type: str
    size: int
    alt: str | None
    position: int
    status: UploadStatus
    uploaded_at: datetime | None
    created_at: datetime


class ProductOut(OutputModel):
    id: uuid.UUID
    msme_id: uuid.UUID
    sku: str | None
    category: str
    hs_code: str
    name: Multilingual
    description: Multilingual
    specifications: list[Specification]
    unit: str
    price: Money | None
    incoterm: Incoterm | None
    port_of_loading: str | None
    moq: int | None
    lead_time_days: int | None
    monthly_capacity: int | None
    shelf_life_days: int | None
    packaging: str | None
    net_weight_g: int | None
    organic_claim: bool
    is_electrical: bool
    species: str | None
    status: ProductStatus
    version: int
    approved_revision: int | None = Field(description="Number of the revision the catalog shows")
    submitted_at: datetime | None
    created_at: datetime
    updated_at: datetime
    media: list[MediaOut]
    documents: list[DocumentOut]

    @model_validator(mode="before")
    @classmethod
    def _from_product(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return value
        price = None
        if value.price_amount is not None and value.price_currency is not None:
            price = Money.of(Decimal(value.price_amount), value.price_currency)
        revision = value.__dict__.get("approved_revision")
        return {
            **{name: getattr(value, name) for name in _PLAIN_FIELDS},
            "price": price,
            "approved_revision": revision.number if revision is not None else None,
        }


_PLAIN_FIELDS = [
    name for name in ProductOut.model_fields if name not in ("price", "approved_revision")
]
