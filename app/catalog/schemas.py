from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from app.core.schemas import Money, Multilingual
from app.models.enums import Incoterm


class Sort(StrEnum):
    relevance = "relevance"
    newest = "newest"
    price_asc = "price_asc"
    price_desc = "price_desc"


class Translations(BaseModel):
    name: Multilingual
    description: Multilingual


class CatalogMsme(BaseModel):
    """The MSME behind a catalog product, as buyers see it."""

    id: uuid.UUID
    brand_name: str
    province: str
    verified: bool


class CatalogMedia(BaseModel):
    url: str = Field(description="A URL a browser can fetch")
    alt: str | None


class CatalogChannel(BaseModel):
    code: str
    name: str
    booth: str | None


class CatalogItem(BaseModel):
    id: uuid.UUID = Field(description="The product's id")
    msme: CatalogMsme
    category: str
    hs_code: str
    name: str
    description: str
    translations: Translations
    price: Money
    price_jpy: Money | None = Field(description="At the latest FX rate, rounded to the yen")
    incoterm: Incoterm | None
    moq: int | None
    unit: str
    lead_time_days: int | None
    monthly_capacity: int | None
    certifications: list[str] = Field(
        description="Buyer-facing certifications held verified and unexpired (halal, SNI, ...)"
    )
    media: list[CatalogMedia]
    channels: list[CatalogChannel]
    published_at: datetime
    revision: int = Field(description="Number of the approved revision shown")


class FacetValue(BaseModel):
    value: str = Field(description="The code to filter by")
    label: str = Field(description="Its name in the chosen language")
    count: int = Field(description="Products the filter gives with this value chosen")


class Facets(BaseModel):
    category: list[FacetValue]
    province: list[FacetValue]
    certification: list[FacetValue]
    channel: list[FacetValue]


class CatalogPage(BaseModel):
    items: list[CatalogItem]
    next_cursor: str | None
    facets: Facets
