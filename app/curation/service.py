"""The rules of each curation action, on top of the workflow's atomic transition."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from app.catalog.search import index_revision, searchable_text
from app.config import Settings
from app.core.db import utcnow
from app.core.errors import Forbidden, Unprocessable
from app.curation import workflow
from app.curation.schemas import ChecklistItem, TransitionIn
from app.fx.service import current_rate, to_jpy
from app.models import Listing, Product, Review, Revision, User
from app.models.enums import ChecklistResult, ReviewDecision, Role
from app.products.snapshot import snapshot
from app.standards import rules


def grade(score: int | None) -> str | None:
    if score is None:
        return None
    return "A" if score >= 80 else "B" if score >= 65 else "C" if score >= 50 else "D"


def readiness(
    product: Product, settings: Settings, *, verified_only: bool = False
) -> rules.Readiness:
    """Readiness of a product loaded with its documents and its MSME's documents."""
    return rules.evaluate(
        product,
        [*product.documents, *product.msme.documents],
        today=date.today(),
        min_validity_days=settings.document_min_validity_days,
        lab_test_max_age_days=settings.lab_test_max_age_days,
        statuses=("verified",) if verified_only else ("uploaded", "verified"),
    )


def _unmet(message: str, unmet: list[rules.Requirement]) -> Unprocessable:
    return Unprocessable(
        message,
        errors=[{"loc": ["requirements", r.code], "msg": r.detail} for r in unmet],
        extra={"requirements": [r.__dict__ for r in unmet]},
    )


async def open_review(session: AsyncSession, product: Product) -> Review | None:
    return await session.scalar(
        select(Review)
        .where(Review.product_id == product.id, Review.decided_at.is_(None))
        .order_by(Review.started_at.desc())
        .limit(1)
    )


def _check_checklist(product: Product, items: list[ChecklistItem], *, complete: bool) -> None:
    cat = rules.category(product.category)
    applicable = rules.applicable_criteria(cat, product) if cat else []
    errors = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.criterion not in applicable:
            errors.append(
                {
                    "loc": ["body", "checklist", i, "criterion"],
                    "msg": f"{item.criterion} does not apply to this product",
                }
            )
        elif item.criterion in seen:
            errors.append(
                {
                    "loc": ["body", "checklist", i, "criterion"],
                    "msg": f"{item.criterion} is listed twice",
                }
            )
        seen.add(item.criterion)
    if complete:
        for code in applicable:
            if code not in seen:
                errors.append({"loc": ["body", "checklist"], "msg": f"{code} has no result"})
        for i, item in enumerate(items):
            if item.result == ChecklistResult.fail:
                errors.append(
                    {"loc": ["body", "checklist", i, "result"], "msg": f"{item.criterion} failed"}
                )
    if errors:
        raise Unprocessable("The checklist does not allow this decision", errors=errors)


async def transition(
    session: AsyncSession, product: Product, actor: User, body: TransitionIn, settings: Settings
) -> None:
    """Apply `body.action` to a product loaded with media, documents and MSME documents."""
    action = body.action
    workflow.check_allowed(product, action, actor)
    if action == "submit":
        ready = readiness(product, settings)
        if not ready.ready:
            raise _unmet("The product is not ready for curation", ready.unmet)
        await workflow.apply(
            session, product, action, actor, comment=body.comment, values={"submitted_at": utcnow()}
        )
    elif action == "start_review":
        if product.msme.owner_id == actor.id:
            raise Forbidden("A curator never reviews a product of their own MSME")
        await workflow.apply(session, product, action, actor, comment=body.comment)
        session.add(
            Review(product_id=product.id, product_version=product.version, curator_id=actor.id)
        )
        await session.flush()
    elif action in ("request_changes", "approve", "reject"):
        await _decide(session, product, actor, body, settings)
    elif action == "archive":
        await workflow.apply(session, product, action, actor, comment=body.comment)
        await session.execute(delete(Listing).where(Listing.product_id == product.id))
    else:
        await workflow.apply(session, product, action, actor, comment=body.comment)


async def _decide(
    session: AsyncSession, product: Product, actor: User, body: TransitionIn, settings: Settings
) -> None:
    review = await open_review(session, product)
    if review is not None and review.curator_id != actor.id and actor.role != Role.admin:
        raise Forbidden("Only the reviewing curator or an admin may decide this review")
    if body.action != "approve" and not body.comment:
        raise Unprocessable(
            "A comment to the MSME is required",
            errors=[{"loc": ["body", "comment"], "msg": "required for this action"}],
        )
    items = body.checklist or []
    _check_checklist(product, items, complete=body.action == "approve")
    if body.action == "approve":
        ready = readiness(product, settings, verified_only=True)
        if not ready.ready:
            raise _unmet("Every required document must be verified before approval", ready.unmet)
    await workflow.apply(session, product, body.action, actor, comment=body.comment)
    now = utcnow()
    if review is None:  # an admin deciding a product whose review predates review records
        review = Review(
            product_id=product.id,
            product_version=product.version,
            curator_id=actor.id,
            started_at=now,
        )
        session.add(review)
    review.decided_at = now
    review.decided_by_id = actor.id
    review.decision = ReviewDecision(body.action).value
    review.checklist = [item.model_dump(mode="json") for item in items]
    review.score = body.score
    review.comment = body.comment
    await session.flush()
    if body.action == "approve":
        await _record_revision(session, product, actor, review, settings)


async def _record_revision(
    session: AsyncSession, product: Product, actor: User, review: Review, settings: Settings
) -> None:
    number = (
        await session.scalar(
            select(func.max(Revision.number)).where(Revision.product_id == product.id)
        )
        or 0
    ) + 1
    content = snapshot(product)
    assert product.price_amount is not None and product.price_currency is not None  # readiness
    price = product.price_amount
    revision = Revision(
        product_id=product.id,
        number=number,
        product_version=product.version,
        review_id=review.id,
        approved_by_id=actor.id,
        content=content,
        msme_id=product.msme_id,
        category=product.category,
        hs_code=product.hs_code,
        price_amount=product.price_amount,
        price_currency=product.price_currency,
        price_jpy=to_jpy(price, await current_rate(session, product.price_currency)),
        moq=product.moq,
        search_text=searchable_text(product.name, product.description),
        certified_until=rules.certified_until(
            product, [*product.documents, *product.msme.documents], settings.lab_test_max_age_days
        ),
    )
    session.add(revision)
    await session.flush()
    await index_revision(session, revision)
    await workflow.set_columns(session, product, approved_revision_id=revision.id)
    # The new revision is what the catalog shows from now on.
    set_committed_value(product, "approved_revision", revision)
