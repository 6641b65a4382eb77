from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, Field

from app.catalog.schemas import FacetValue
from app.msmes.schemas import CapabilitiesOut


class SupplierCertification(BaseModel):
    code: str = Field(description="A certificate held verified and unexpired (iso9001, ...)")
    expires_on: date


class SupplierProduct(BaseModel):
    id: uuid.UUID = Field(description="The product's id in the catalog")
    name: str = Field(description="In the chosen language")


class SupplierItem(BaseModel):
    id: uuid.UUID = Field(description="The MSME's id")
    brand_name: str
    province: str
    city: str
    capabilities: CapabilitiesOut | None = Field(description="What the supplier states it makes")
    certifications: list[SupplierCertification]
    score: int | None = Field(description="The supplier review's score")
    products: list[SupplierProduct] = Field(description="Its products in the catalog today")


class SupplierFacets(BaseModel):
    process: list[FacetValue]
    certification: list[FacetValue]
    province: list[FacetValue]


class SupplierPage(BaseModel):
    items: list[SupplierItem]
    next_cursor: str | None
    facets: SupplierFacets
