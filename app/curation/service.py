"""The rules of each curation action, on top of the workflow's atomic transition."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.catalog import search
from app.catalog.sync import sync
from app.config import Settings
from app.core import clock
from app.core.db import utcnow
from app.core.errors import Forbidden, Unprocessable
from app.core.pagination import PageParams, SortKey, paginate
from app.curation.checklist import checklist_errors
from app.curation.schemas import ChecklistItem, TransitionIn
from app.events.outbox import EventType, record
from app.fx.service import current_rate, to_jpy
from app.models import Document, Listing, Msme, Product, Review, Revision, Transition, User
from app.models.enums import (
    DocumentStatus,
    ProductStatus,
    ReviewDecision,
    Role,
)
from app.products import workflow
from app.products.access import FULL, readable_products
from app.products.snapshot import snapshot
from app.standards import rules
from app.standards.table import CRITERIA_BY_CODE

# What each decision tells the people concerned (SPEC §9).
DECIDED = {
    "approve": EventType.product_approved,
    "request_changes": EventType.product_changes_requested,
    "reject": EventType.product_rejected,
}

# The actions that read the MSME's documents: readiness (submit, approve) and the
# certificates' validity an approved revision records.
READS_MSME_DOCUMENTS = frozenset({"submit", "approve"})


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
        today=clock.today(),
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
    return await session.scalar(_OPEN_REVIEW, {"product_id": product.id})


# The product's latest undecided review; built once.
_OPEN_REVIEW = (
    select(Review)
    .where(Review.product_id == bindparam("product_id"), Review.decided_at.is_(None))
    .order_by(Review.started_at.desc())
    .limit(1)
)


def _checklist_errors(
    product: Product, items: list[ChecklistItem], *, complete: bool
) -> list[dict[str, Any]]:
    """What is wrong with a checklist for this product (app/curation/checklist.py)."""
    cat = rules.category(product.category)
    applicable = rules.applicable_criteria(cat, product) if cat else []
    return checklist_errors(items, known=CRITERIA_BY_CODE, applicable=applicable, complete=complete)


def _approval_errors(
    product: Product, settings: Settings
) -> tuple[list[dict[str, Any]], list[rules.Requirement]]:
    """What else approval needs: a verified MSME and every requirement met with verified
    documents (the unmet ones are returned too); the documents in the way are named by id."""
    errors: list[dict[str, Any]] = []
    if not product.msme.verified:
        errors.append(
            {
                "loc": ["msme", "verified"],
                "msg": "the MSME is not verified: a curator checks its business documents first",
                "msme_id": str(product.msme_id),
            }
        )
    documents = [*product.documents, *product.msme.documents]
    unmet = readiness(product, settings, verified_only=True).unmet
    for req in unmet:
        blocking = [d for d in documents if req.kind == "document" and d.doc_type == req.code]
        errors.append(
            {
                "loc": ["requirements", req.code],
                "msg": req.detail,
                "document_ids": [str(d.id) for d in blocking],
            }
        )
        errors += [
            {
                "loc": ["documents", str(d.id)],
                "msg": f"{d.doc_type} document {d.number}: {_standing(d)}",
                "doc_type": d.doc_type,
                "document_id": str(d.id),
                "status": d.status,
            }
            for d in blocking
        ]
    return errors, unmet


def _standing(document: Document) -> str:
    """Why a document of an unmet requirement does not count."""
    if document.status == DocumentStatus.verified:
        return "verified, but not valid long enough (or without its expires_on)"
    return {
        DocumentStatus.pending_upload: "its file was never uploaded",
        DocumentStatus.uploaded: "uploaded, not verified yet",
        DocumentStatus.rejected: "rejected",
    }[DocumentStatus(document.status)]


async def transition(
    session: AsyncSession, product: Product, actor: User, body: TransitionIn, settings: Settings
) -> None:
    """Apply `body.action` to a product loaded with media, documents and MSME (with the
    MSME's documents for the actions of READS_MSME_DOCUMENTS)."""
    action = body.action
    workflow.check_allowed(product, action, actor)
    if action == "submit":
        ready = readiness(product, settings)
        if not ready.ready:
            raise _unmet("The product is not ready for curation", ready.unmet)
        await workflow.apply(
            session, product, action, actor, comment=body.comment, values={"submitted_at": utcnow()}
        )
        record(session, EventType.product_submitted, product_id=product.id, msme_id=product.msme_id)
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
        await sync(session, [product.id], locked=True)
        record(session, EventType.product_archived, product_id=product.id)
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
    approve = body.action == "approve"
    errors = _checklist_errors(product, items, complete=approve)
    if approve:
        missing, unmet = _approval_errors(product, settings)
        if errors or missing:
            raise Unprocessable(
                "The product cannot be approved yet: the checklist, the MSME's verification "
                "and the required documents are listed in errors",
                errors=errors + missing,
                extra={"requirements": [r.__dict__ for r in unmet]},
            )
    if errors:
        raise Unprocessable("The checklist does not allow this decision", errors=errors)
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
        await sync(session, [product.id], locked=True)
    record(
        session,
        DECIDED[body.action],
        product_id=product.id,
        msme_id=product.msme_id,
        review_id=review.id,
        comment=body.comment,
    )


async def _record_revision(
    session: AsyncSession, product: Product, actor: User, review: Review, settings: Settings
) -> None:
    # The approved revision is always the product's latest (each approval points the
    # product at the revision it adds, and nothing else moves it); loaded with the product.
    latest = product.approved_revision
    number = (latest.number if latest is not None else 0) + 1
    content = snapshot(product)
    found = search.index(content)
    price = content.price.amount
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
        price_amount=price,
        price_currency=content.price.currency,
        price_jpy=to_jpy(price, await current_rate(session, content.price.currency)),
        moq=product.moq,
        terms=found.terms,
        search_text=found.text,
        certified_until=rules.certified_until(
            product, [*product.documents, *product.msme.documents], settings.lab_test_max_age_days
        ),
    )
    session.add(revision)
    await session.flush()
    await workflow.set_columns(session, product, approved_revision_id=revision.id)
    # The new revision is what the catalog shows from now on.
    set_committed_value(product, "approved_revision", revision)


# -- reads ------------------------------------------------------------------------------------


async def audit_trail(
    session: AsyncSession, product_id: uuid.UUID, page: PageParams, *, secret: str
) -> tuple[list[Transition], str | None]:
    """The product's transitions, oldest first."""
    return await paginate(
        session,
        select(Transition).where(Transition.product_id == product_id),
        [SortKey(Transition.at), SortKey(Transition.id)],
        page,
        secret=secret,
        scope=f"transitions:{product_id}",
    )


async def reviews(
    session: AsyncSession, product_id: uuid.UUID, page: PageParams, *, secret: str
) -> tuple[list[Review], str | None]:
    """The product's reviews, oldest first."""
    return await paginate(
        session,
        select(Review).where(Review.product_id == product_id),
        [SortKey(Review.started_at), SortKey(Review.id)],
        page,
        secret=secret,
        scope=f"reviews:{product_id}",
    )


def _queue(user: User) -> Select[Any]:
    return (
        readable_products(user)
        .where(Product.status == ProductStatus.submitted.value)
        .options(*FULL, selectinload(Product.msme).selectinload(Msme.documents))
    )


async def queue(
    session: AsyncSession, user: User, page: PageParams, *, secret: str
) -> tuple[list[Product], str | None]:
    """Submitted products, oldest submission first, loaded for their readiness."""
    return await paginate(
        session,
        _queue(user),
        [SortKey(Product.submitted_at), SortKey(Product.id)],
        page,
        secret=secret,
        scope="queue",
    )
