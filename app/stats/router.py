from __future__ import annotations

from typing import Annotated

from fastapi import Query

from app.access.dependencies import StaffUser
from app.core import clock
from app.core.deps import SessionDep
from app.core.errors import responses
from app.core.routing import router as make_router
from app.core.schemas import Day
from app.stats import service
from app.stats.period import DEFAULT_DAYS, period
from app.stats.schemas import StatsOut

router = make_router(tags=["stats"])


@router.get("/stats", response_model=StatsOut, responses=responses(401, 403, 422))
async def get_stats(
    _: StaffUser,
    session: SessionDep,
    from_: Annotated[
        Day | None,
        Query(
            alias="from",
            description=f"First day counted (UTC, YYYY-MM-DD); default `to` - {DEFAULT_DAYS - 1} "
            f"days (the last {DEFAULT_DAYS} days)",
        ),
    ] = None,
    to: Annotated[
        Day | None, Query(description="Last day counted (UTC, YYYY-MM-DD); default today (in UTC)")
    ] = None,
) -> StatsOut:
    """The center's figures: the queue, curators' decisions, categories, the catalog

    Every curator and admin sees the same figures. The period is whole UTC days, `from`
    and `to` both included (default: the last 30 days up to today); `from` after `to` is
    a 422.

    **Flows, within the period**, read from the audit trail:
    - `decisions`: every approve, request-changes and reject decision made in the period,
      each counted (a product whose changes were requested and which was then approved
      counts once in each). `median_hours_to_decision` is the median, over those
      decisions, of the time from the submission that put the product in the queue (its
      latest `submit` before the decision) to the decision: the queue's wait included.
      `median_review_hours` is the median time from the start of the review to the
      decision.
    - `by_category`: per category (the product's category now) with activity in the
      period: products submitted, products decided (at least one decision), products
      approved, each product counted once however often it was submitted or decided;
      `approval_rate` = approved / decided, from 0 to 1 (null when none was decided).
      Categories without a submission or decision in the period are left out; sorted by
      code.
    - `by_curator`: every curator or admin who made a decision in the period (the one who
      decided): their decisions, approvals, and the same two medians over their own
      decisions; most decisions first, then by name.
    - `catalog.inquiries` and each channel's `inquiries`: inquiries received in the
      period, in total and about products listed in the channel.

    **Snapshots, as of now** (`as_of`), whatever the period:
    - `products_by_status`: products in each status, every status present.
    - `queue`: products waiting for a curator to start a review (status `submitted`, as
      `GET /curation/queue`; products in review are not waiting): how many, the oldest
      `submitted_at`, and the median of how long they have waited so far.
    - `catalog.published`: products the catalog shows today; `by_channel`: every active
      channel by code, with the products it shows today.

    Medians: the middle value, or the mean of the two middle values for an even count;
    hours are rounded to two decimals and null when there is nothing to measure.
    """
    now = clock.now()
    return await service.stats(session, period(from_, to, now.date()), now=now, today=clock.today())
