from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from app.core.schemas import EnumName, InputModel, JsonInteger, OutputModel, example
from app.models.enums import ChecklistResult, ProductStatus, ReviewDecision
from app.msmes.schemas import MsmeBrief
from app.products.schemas import ProductOut
from app.products.workflow import ACTIONS
from app.standards.rules import Readiness

Action = Literal[
    "submit", "withdraw", "start_review", "request_changes", "approve", "reject", "archive"
]
assert set(Action.__args__) == set(ACTIONS)  # type: ignore[attr-defined]

Comment = Annotated[str, StringConstraints(min_length=1, max_length=5000)]


class ChecklistItem(InputModel):
    criterion: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    result: ChecklistResult = Field(
        description="`not_applicable` is also the only result a criterion that does not "
        "apply to the product may have"
    )
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None


class TransitionIn(InputModel):
    model_config = example(
        action="approve",
        checklist=[
            {"criterion": "legality", "result": "pass"},
            {"criterion": "quality_sample", "result": "pass", "note": "Cupping score 84"},
        ],
        score=86,
        comment="Ready for the Tokyo showroom",
    )

    action: Annotated[Action, EnumName("TransitionAction")]
    comment: Comment | None = None
    checklist: list[ChecklistItem] | None = Field(default=None, max_length=100)
    score: Annotated[int, Field(ge=0, le=100), JsonInteger] | None = None


class TransitionOut(OutputModel):
    id: uuid.UUID
    product_id: uuid.UUID
    from_status: ProductStatus
    to_status: ProductStatus
    action: str
    actor_id: uuid.UUID
    at: datetime
    comment: str | None
    product_version: int


class ChecklistResultOut(OutputModel):
    criterion: str
    result: ChecklistResult
    note: str | None = None


class ReviewOut(OutputModel):
    id: uuid.UUID
    product_id: uuid.UUID
    product_version: int
    curator_id: uuid.UUID
    started_at: datetime
    decided_at: datetime | None
    decided_by_id: uuid.UUID | None
    decision: ReviewDecision | None
    checklist: list[ChecklistResultOut]
    score: int | None
    grade: Annotated[Literal["A", "B", "C", "D"], EnumName("Grade")] | None = Field(
        description="From the score: A ≥ 80, B 65–79, C 50–64, D < 50"
    )
    comment: str | None


class RequirementOut(OutputModel):
    code: str
    kind: Annotated[Literal["field", "document", "language"], EnumName("RequirementKind")]
    met: bool
    detail: str


class ReadinessOut(OutputModel):
    ready: bool
    score: int
    requirements: list[RequirementOut]

    @classmethod
    def of(cls, readiness: Readiness) -> ReadinessOut:
        return cls(
            ready=readiness.ready,
            score=readiness.score,
            requirements=[RequirementOut.model_validate(r) for r in readiness.requirements],
        )


class QueueItem(ProductOut):
    msme: MsmeBrief
    readiness: ReadinessOut
