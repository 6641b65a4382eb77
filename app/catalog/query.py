"""The catalog as SQL: what is visible today, and the filters buyers combine.

Everything reads the catalog tables (app/catalog/entries.py). What depends on the
date is compared with today at query time, so an expired certificate or an
exhibition's end takes effect at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, exists, or_, select

from app.catalog.counts import under_hs_code
from app.catalog.search import text_condition
from app.catalog.tokens import Query, parse
from app.channels.service import channel_open
from app.core import clock
from app.models import CatalogCertification, CatalogChannel, CatalogEntry, Channel

Entry = CatalogEntry


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
    today: date = field(default_factory=lambda: clock.today())

    @cached_property
    def query(self) -> Query | None:
        """`q` as search terms; None when it holds no word at all."""
        parsed = parse(self.q) if self.q else None
        return parsed if parsed and parsed.groups else None


def lasts_until(last_day: Any, today: date) -> ColumnElement[bool]:
    """`today` is on or before `last_day`; None is no last day at all."""
    return or_(last_day.is_(None), last_day >= today)


def visible(today: date) -> ColumnElement[bool]:
    return lasts_until(Entry.visible_until, today)


def held(today: date) -> ColumnElement[bool]:
    """A catalog certification still valid `today`."""
    return lasts_until(CatalogCertification.valid_until, today)


def certified(doc_type: str, today: date) -> ColumnElement[bool]:
    """The product holds `doc_type` verified and unexpired, itself or through its MSME."""
    cert = CatalogCertification
    return exists().where(
        cert.product_id == Entry.product_id, cert.doc_type == doc_type, held(today)
    )


def open_channel_id(code: str, today: date) -> Any:
    """The id of channel `code` while it shows listings `today`, else NULL, as a value of
    its own (a scalar subquery)."""
    return select(Channel.id).where(Channel.code == code, channel_open(today)).scalar_subquery()


def listed_in(channel: str, today: date) -> ColumnElement[bool]:
    """Listed in `channel` while it is open; through the catalog's copy of the listings,
    so that a count can be pointed at the rows of an earlier version (changes.as_at)."""
    # The channel's id as a value of its own: PostgreSQL then estimates the listings as a
    # channel's share of them, where a join on the code made it guess a small number and
    # probe the catalog once per listing when counting a large channel.
    listed = CatalogChannel
    return Entry.product_id.in_(
        select(listed.product_id).where(listed.channel_id == open_channel_id(channel, today))
    )


def conditions(f: CatalogFilter) -> dict[str, ColumnElement[bool]]:
    """Every condition by the filter it comes from, so a facet can leave its own out."""
    conds: dict[str, ColumnElement[bool]] = {"visible": visible(f.today)}
    if f.query is not None:
        conds["q"] = text_condition(f.query)
    if f.category:
        conds["category"] = Entry.category == f.category
    if f.hs_code:
        conds["hs_code"] = under_hs_code(Entry.hs_code, f.hs_code)
    if f.province:
        conds["province"] = Entry.province == f.province
    if f.channel:
        conds["channel"] = listed_in(f.channel, f.today)
    if f.certification:
        conds["certification"] = certified(f.certification, f.today)
    if f.max_moq is not None:
        conds["max_moq"] = or_(Entry.moq.is_(None), Entry.moq <= f.max_moq)
    if f.min_price_jpy is not None:
        conds["min_price_jpy"] = Entry.price_jpy >= f.min_price_jpy
    if f.max_price_jpy is not None:
        conds["max_price_jpy"] = Entry.price_jpy <= f.max_price_jpy
    return conds
