from __future__ import annotations

from functools import cache
from types import SimpleNamespace

from fastapi import Response

from app.core.routing import router as make_router
from app.standards import rules
from app.standards.schemas import (
    CategoryOut,
    ConditionalOut,
    CriterionOut,
    DocumentTypeOut,
    ProcessOut,
    StandardsOut,
    SupplierCriterionOut,
)
from app.standards.table import (
    CATEGORIES,
    CRITERIA_BY_CODE,
    DOCUMENT_TYPES,
    FLAG_CRITERIA,
    FLAG_DOCUMENTS,
    PROCESSES,
    SUPPLIER_CRITERIA,
)

router = make_router(prefix="/standards", tags=["standards"])

_NO_FLAGS = SimpleNamespace(organic_claim=False, is_electrical=False, species=None)


@cache
def standards() -> StandardsOut:
    """The table as clients see it: what every product of a category needs, and what flags add."""
    categories = []
    for cat in CATEGORIES:
        criteria = rules.applicable_criteria(cat, _NO_FLAGS)  # type: ignore[arg-type]
        criteria += [c for c in FLAG_CRITERIA if c not in criteria]
        categories.append(
            CategoryOut(
                code=cat.code,
                name=cat.name,
                hs_prefixes=list(cat.hs_prefixes),
                required_fields=rules.required_fields(cat),
                required_documents=list(cat.required_documents),
                conditional_documents=[
                    ConditionalOut(document=c.document, when=c.when)
                    for c in (*cat.conditional_documents, *FLAG_DOCUMENTS)
                ],
                recommended_documents=list(cat.recommended_documents),
                criteria=[
                    CriterionOut(
                        code=code,
                        title=CRITERIA_BY_CODE[code].title,
                        guidance=CRITERIA_BY_CODE[code].guidance,
                        applies_when=CRITERIA_BY_CODE[code].when,
                    )
                    for code in criteria
                ],
                notes=cat.notes,
            )
        )
    return StandardsOut(
        categories=categories,
        document_types=[
            DocumentTypeOut(
                code=d.code,
                name=d.name,
                scope=d.scope,
                expires=d.expires,
                per_shipment=d.per_shipment,
                buyer_facing=d.buyer_facing,
            )
            for d in DOCUMENT_TYPES
        ],
        processes=[ProcessOut(code=p.code, name=p.name) for p in PROCESSES],
        supplier_criteria=[
            SupplierCriterionOut(code=c.code, title=c.title, guidance=c.guidance)
            for c in SUPPLIER_CRITERIA
        ],
    )


@router.get(
    "",
    response_model=StandardsOut,
)
async def get_standards(response: Response) -> StandardsOut:
    """The export-standards table

    Categories with their HS chapters, document types (which expire, which are buyer-
    facing), requirements per category and what product flags add, and the review
    checklist.
    """
    response.headers["Cache-Control"] = "public, max-age=3600"
    return standards()
