"""The catalog as SQL: what is visible now, and the filters buyers combine.

Visible = an approved revision, not archived, listed in at least one open channel,
and every required certificate valid today (`Revision.certified_until`). All of it is
evaluated at query time, so an expiry or an exhibition's end takes effect at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    exists,
    or_,
    select,
)

from app.catalog.search import text_condition
from app.catalog.tokens import Query, parse
from app.channels.service import channel_open
from app.models import Channel, Document, Listing, Msme, Product, Revision
from app.models.enums import DocumentStatus, ProductStatus


@dataclass
class CatalogFilter:
    q: str | None = None
    category: str | None = None
    hs_code: str | None = None
    province: str | None = None
    channel: str | None = None
    certification: str | None = None
    max_moq: int | None = None
    min_price_jpy: Decimal | None = None
    max_price_jpy: Decimal | None = None
    today: date = field(default_factory=date.today)

    @cached_property
    def query(self) -> Query | None:
        """`q` as search terms; None when it holds no word at all."""
        parsed = parse(self.q) if self.q else None
        return parsed if parsed and parsed.groups else None


def certified(doc_type: str, today: date) -> ColumnElement[bool]:
    """The product holds `doc_type` verified and unexpired, itself or through its MSME."""
    return exists().where(
        Document.doc_type == doc_type,
        Document.status == DocumentStatus.verified.value,
        or_(Document.expires_on.is_(None), Document.expires_on >= today),
        or_(
            Document.product_id == Product.id,
            and_(Document.product_id.is_(None), Document.msme_id == Product.msme_id),
        ),
    )


def listed_in_open_channel(today: date, channel: str | None) -> ColumnElement[bool]:
    listed = (
        select(Listing.product_id)
        .join(Channel, Channel.id == Listing.channel_id)
        .where(channel_open(today))
    )
    if channel is not None:
        listed = listed.where(Channel.code == channel)
    return Product.id.in_(listed)


def base_statement() -> Select[Product, Revision, Msme]:
    return (
        select(Product, Revision, Msme)
        .join(Revision, Revision.id == Product.approved_revision_id)
        .join(Msme, Msme.id == Product.msme_id)
    )


def conditions(f: CatalogFilter) -> dict[str, ColumnElement[bool]]:
    """Every condition by the filter it comes from, so a facet can leave its own out."""
    conds: dict[str, ColumnElement[bool]] = {
        "visible": and_(
            Product.status != ProductStatus.archived.value,
            or_(Revision.certified_until.is_(None), Revision.certified_until >= f.today),
        ),
        "channel": listed_in_open_channel(f.today, f.channel),
    }
    if f.query is not None:
        conds["q"] = text_condition(f.query)
    if f.category:
        conds["category"] = Revision.category == f.category
    if f.hs_code:
        conds["hs_code"] = Revision.hs_code.startswith(f.hs_code, autoescape=True)
    if f.province:
        conds["province"] = Msme.province == f.province
    if f.certification:
        conds["certification"] = certified(f.certification, f.today)
    if f.max_moq is not None:
        conds["max_moq"] = or_(Revision.moq.is_(None), Revision.moq <= f.max_moq)
    if f.min_price_jpy is not None:
        conds["min_price_jpy"] = Revision.price_jpy >= f.min_price_jpy
    if f.max_price_jpy is not None:
        conds["max_price_jpy"] = Revision.price_jpy <= f.max_price_jpy
    return conds
