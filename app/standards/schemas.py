from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class CriterionOut(BaseModel):
    code: str
    title: dict[str, str]
    guidance: dict[str, str]
    applies_when: str | None = None


class ConditionalOut(BaseModel):
    document: str
    when: str


class CategoryOut(BaseModel):
    code: str
    name: dict[str, str]
    hs_prefixes: list[str]
    required_fields: list[str]
    required_documents: list[str]
    conditional_documents: list[ConditionalOut]
    recommended_documents: list[str]
    criteria: list[CriterionOut]
    notes: dict[str, str]


class DocumentTypeOut(BaseModel):
    code: str
    name: dict[str, str]
    scope: Literal["msme", "product"]
    expires: bool
    per_shipment: bool
    buyer_facing: bool = Field(
        description="A certification buyers look for: shown in the catalog, filtered by"
    )


class StandardsOut(BaseModel):
    categories: list[CategoryOut]
    document_types: list[DocumentTypeOut]
