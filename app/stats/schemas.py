"""The shape of `GET /stats` (SPEC §8), each figure described as it is computed."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import ConfigDict, Field

from app.core.schemas import OutputModel

HOURS = "Hours, rounded to two decimals (durations are measured in whole seconds)"


class StatsPeriod(OutputModel):
    model_config = ConfigDict(populate_by_name=True)  # `from` is a Python keyword

    from_: date = Field(alias="from", description="First day counted (UTC), included")
    to: date = Field(description="Last day counted (UTC), included")


class ProductsByStatus(OutputModel):
    """How many products are in each status now (every status, zeros included)."""

    draft: int
    submitted: int
    in_review: int
    changes_requested: int
    approved: int
    rejected: int
    archived: int


class QueueStats(OutputModel):
    """Products waiting now for a curator to start their review (status `submitted`,
    the products of `GET /curation/queue`); products in review are not waiting."""

    size: int = Field(description="Products in status `submitted` now")
    oldest_submitted_at: datetime | None = Field(
        description="When the longest-waiting of them was submitted; null when none waits"
    )
    median_wait_hours: float | None = Field(
        description=f"Median over them of (now - submitted_at). {HOURS}; null when none waits"
    )


# Both medians, over all decisions of the period or over one curator's.
HoursToDecision = Annotated[
    float | None,
    Field(
        description="Median time from the submission that put the product in the queue (its "
        "latest `submit` before the decision) to the decision, the wait in the queue "
        f"included. {HOURS}; null without decisions"
    ),
]
ReviewHours = Annotated[
    float | None,
    Field(
        description="Median time from the start of the review (`start_review`) to the "
        f"decision. {HOURS}; null without decisions"
    ),
]


class DecisionStats(OutputModel):
    """The decisions curators and admins made within the period. Every decision counts:
    a product whose changes were requested and which was then approved counts once in
    `request_changes` and once in `approve`."""

    approve: int = Field(description="Approvals")
    request_changes: int = Field(description="Requests for changes")
    reject: int = Field(description="Rejections")
    median_hours_to_decision: HoursToDecision
    median_review_hours: ReviewHours


class CategoryStats(OutputModel):
    """One category with a submission or a decision within the period. Products count
    once each, however often they were submitted or decided."""

    category: str = Field(description="Category code (GET /standards), as the product has it now")
    submitted: int = Field(description="Products submitted within the period")
    decided: int = Field(description="Products with at least one decision within the period")
    approved: int = Field(description="Products approved within the period")
    approval_rate: float | None = Field(
        ge=0,
        le=1,
        description="approved / decided, a fraction from 0 to 1 (not rounded); null when no "
        "product was decided",
    )


class CuratorRef(OutputModel):
    id: uuid.UUID
    full_name: str


class CuratorStats(OutputModel):
    """One curator (or admin) who decided within the period."""

    curator: CuratorRef
    decisions: int = Field(description="Decisions they made within the period")
    approved: int = Field(description="Of those, approvals")
    median_hours_to_decision: HoursToDecision
    median_review_hours: ReviewHours


class ChannelStats(OutputModel):
    code: str
    published: int = Field(description="Products the catalog shows in this channel today")
    inquiries: int = Field(
        description="Inquiries received within the period about products listed in this "
        "channel (an inquiry about a product listed in two channels counts in each)"
    )


class CatalogStats(OutputModel):
    published: int = Field(
        description="Products the catalog shows today (those `GET /catalog/products` lists)"
    )
    inquiries: int = Field(description="Inquiries received within the period, about any product")
    by_channel: list[ChannelStats] = Field(description="Every active channel, by code")


class StatsOut(OutputModel):
    period: StatsPeriod
    as_of: datetime = Field(description="The moment the figures of now were taken")
    products_by_status: ProductsByStatus
    queue: QueueStats
    decisions: DecisionStats
    by_category: list[CategoryStats] = Field(description="By category code")
    by_curator: list[CuratorStats] = Field(
        description="Most decisions first, then by name; only those who decided in the period"
    )
    catalog: CatalogStats
