from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


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


class StandardsOut(BaseModel):
    categories: list[CategoryOut]
    document_types: list[DocumentTypeOut]
