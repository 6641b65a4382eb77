"""Supplier reviews: a curator's decision on an MSME as an automotive supplier (SPEC §10)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.cache import CATALOG
from app.core import clock
from app.core.db import signal, utcnow
from app.core.errors import Forbidden, Unprocessable
from app.core.pagination import PageParams, SortKey, paginate
from app.curation.checklist import checklist_errors
from app.models import Document, Msme, SupplierReview, User
from app.models.enums import DocumentStatus, ReviewDecision, SupplierStatus
from app.standards.table import QUALITY_CERTIFICATES, SUPPLIER_CRITERIA, SUPPLIER_CRITERIA_BY_CODE
from app.suppliers.schemas import SupplierReviewIn

STATUS = {
    ReviewDecision.approve: SupplierStatus.approved,
    ReviewDecision.request_changes: SupplierStatus.changes_requested,
    ReviewDecision.reject: SupplierStatus.rejected,
}


def holders(doc_types: Iterable[str], today: date) -> Select[Any]:
    """The MSMEs holding one of `doc_types` verified and unexpired `today`."""
    return select(Document.msme_id).where(*certificate_held(doc_types, today))


def certificate_held(doc_types: Iterable[str], today: date) -> list[ColumnElement[bool]]:
    """A document of the MSME itself (not a product's) of one of `doc_types`, verified
    and unexpired `today`: what approval asks of a quality certificate, and what keeps a
    supplier in the directory."""
    return [
        Document.product_id.is_(None),
        Document.doc_type.in_(sorted(doc_types)),
        Document.status == DocumentStatus.verified.value,
        Document.expires_on >= today,
    ]


async def _evidence_errors(session: AsyncSession, msme: Msme) -> list[dict[str, Any]]:
    """What approval needs of the MSME beyond the checklist: verified, with a quality
    certificate of its own (not a product's) verified and unexpired."""
    errors: list[dict[str, Any]] = []
    if not msme.verified:
        errors.append(
            {
                "loc": ["msme", "verified"],
                "msg": "the MSME is not verified: a curator checks its business documents first",
            }
        )
    certificates = (
        await session.scalars(
            select(Document)
            .where(
                Document.msme_id == msme.id,
                Document.product_id.is_(None),
                Document.doc_type.in_(QUALITY_CERTIFICATES),
            )
            .order_by(Document.created_at, Document.id)
        )
    ).all()
    holds = holders(QUALITY_CERTIFICATES, clock.today()).where(Document.msme_id == msme.id)
    if not await session.scalar(select(exists(holds))):
        errors.append(
            {
                "loc": ["documents", "quality_certificate"],
                "msg": f"no verified, unexpired {' or '.join(QUALITY_CERTIFICATES)} certificate",
                "documents": [
                    {
                        "id": str(d.id),
                        "doc_type": d.doc_type,
                        "status": d.status,
                        "expires_on": d.expires_on.isoformat() if d.expires_on else None,
                    }
                    for d in certificates
                ],
            }
        )
    return errors


async def review(
    session: AsyncSession, msme: Msme, curator: User, body: SupplierReviewIn
) -> SupplierReview:
    """Record a supplier review and set the MSME's supplier status, in one transaction."""
    if msme.owner_id == curator.id:
        raise Forbidden("A curator never reviews an MSME of their own")
    approve = body.decision == ReviewDecision.approve
    errors = checklist_errors(
        body.checklist,
        known=SUPPLIER_CRITERIA_BY_CODE,
        applicable=[c.code for c in SUPPLIER_CRITERIA],
        complete=approve,
        unknown="a supplier criterion",
    )
    if not approve and not body.comment:
        errors.append({"loc": ["body", "comment"], "msg": "required unless approving"})
    if approve:
        errors += await _evidence_errors(session, msme)
    if errors:
        what = "approved as a supplier" if approve else "decided so"
        raise Unprocessable(f"The MSME cannot be {what}: see errors", errors=errors)
    now = utcnow()
    entry = SupplierReview(
        msme_id=msme.id,
        curator_id=curator.id,
        decision=body.decision.value,
        checklist=[item.model_dump(mode="json") for item in body.checklist],
        score=body.score,
        comment=body.comment,
        created_at=now,
    )
    session.add(entry)
    msme.supplier_status = STATUS[body.decision].value
    msme.supplier_score = body.score
    msme.supplier_decided_at = now
    await session.flush()
    signal(session, CATALOG)  # the supplier directory shows approved suppliers
    return entry


async def history(
    session: AsyncSession, msme_id: uuid.UUID, page: PageParams, *, secret: str
) -> tuple[list[SupplierReview], str | None]:
    """The MSME's supplier reviews, newest first."""
    return await paginate(
        session,
        select(SupplierReview).where(SupplierReview.msme_id == msme_id),
        [SortKey(SupplierReview.created_at, True), SortKey(SupplierReview.id, True)],
        page,
        secret=secret,
        scope=f"supplier-reviews:{msme_id}",
    )
