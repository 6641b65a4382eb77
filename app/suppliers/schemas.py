from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from app.core.schemas import InputModel, JsonInteger, OutputModel, example
from app.models.enums import ChecklistResult, ReviewDecision

Comment = Annotated[str, StringConstraints(min_length=1, max_length=5000)]


class SupplierChecklistItem(InputModel):
    criterion: Annotated[str, StringConstraints(min_length=1, max_length=60)] = Field(
        description="A code of `supplier_criteria` in GET /api/v1/standards"
    )
    result: ChecklistResult
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None


class SupplierReviewIn(InputModel):
    model_config = example(
        decision="request_changes",
        checklist=[
            {"criterion": "qms_valid", "result": "pass"},
            {"criterion": "process_capability", "result": "fail", "note": "Cpk 1.1 on hole Ø8"},
        ],
        score=62,
        comment="Please send a capability study after the die rework",
    )

    decision: ReviewDecision
    checklist: list[SupplierChecklistItem] = Field(max_length=100)
    score: Annotated[int, Field(ge=0, le=100), JsonInteger]
    comment: Comment | None = Field(default=None, description="Required unless approving")


class SupplierChecklistItemOut(OutputModel):
    criterion: str
    result: ChecklistResult
    note: str | None = None


class SupplierReviewOut(OutputModel):
    id: uuid.UUID
    msme_id: uuid.UUID
    curator_id: uuid.UUID
    decision: ReviewDecision
    checklist: list[SupplierChecklistItemOut]
    score: int
    comment: str | None
    created_at: datetime
