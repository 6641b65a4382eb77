from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from app.core.schemas import EnumName, Multilingual


class CriterionOut(BaseModel):
    code: str
    title: Multilingual
    guidance: Multilingual
    applies_when: str | None = None


class ConditionalOut(BaseModel):
    document: str
    when: str


class CategoryOut(BaseModel):
    code: str
    name: Multilingual
    hs_prefixes: list[str]
    required_fields: list[str]
    required_documents: list[str]
    conditional_documents: list[ConditionalOut]
    recommended_documents: list[str]
    criteria: list[CriterionOut]
    notes: Multilingual


class DocumentTypeOut(BaseModel):
    code: str
    name: Multilingual
    scope: Annotated[Literal["msme", "product"], EnumName("DocumentScope")]
    expires: bool
    per_shipment: bool
    buyer_facing: bool = Field(
        description="A certification buyers look for: shown in the catalog, filtered by"
    )


class ProcessOut(BaseModel):
    code: str
    name: Multilingual


class SupplierCriterionOut(BaseModel):
    code: str
    title: Multilingual
    guidance: Multilingual


class StandardsOut(BaseModel):
    categories: list[CategoryOut]
    document_types: list[DocumentTypeOut]
    processes: list[ProcessOut] = Field(
        description="What an automotive supplier's capabilities may name (SPEC §10)"
    )
    supplier_criteria: list[SupplierCriterionOut] = Field(
        description="The checklist of a supplier review"
    )
