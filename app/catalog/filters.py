"""The catalog as SQL: what is visible today, and the filters buyers combine.

Everything reads the catalog tables (app/catalog/sync.py). What depends on the date is
compared with today at query time, so an expired certificate or an exhibition's end
takes effect at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_

from app.catalog import search
from app.catalog.sync import lasts_until
from app.core import clock
from app.models import CatalogCertification, CatalogChannel, CatalogEntry

Entry = CatalogEntry
# HS codes are digits: every code under a prefix sorts between it and it + "9"s, a range
# an index serves under any collation (LIKE alone needs a C collation for that).
HS_CODE_END = "9" * 10
# Filters whose facet the facet counts leave out (app/catalog/facets.py).
FACETED = ("category", "province", "certification", "channel")


@dataclass
class CatalogFilter:
    """What a buyer asked for; codes already checked and in their canonical case."""

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
    def query(self) -> search.Query | None:
        """`q` as words; None when it holds no word at all."""
        return search.parse(self.q) if self.q else None


def visible(today: date) -> ColumnElement[bool]:
    return lasts_until(Entry.visible_until, today)


def under_hs_code(column: Any, prefix: str) -> ColumnElement[bool]:
    """`column` holds an HS code starting with `prefix`."""
    return and_(
        column >= prefix,
        column <= prefix + HS_CODE_END,
        column.startswith(prefix, autoescape=True),
    )


def certified(doc_type: str, today: date) -> ColumnElement[bool]:
    """The entry holds `doc_type` verified and unexpired, itself or through its MSME."""
    cert = CatalogCertification
    return exists().where(
        cert.product_id == Entry.product_id,
        cert.doc_type == doc_type,
        lasts_until(cert.valid_until, today),
    )


def listed_in(channel: str, today: date) -> ColumnElement[bool]:
    """The entry shows in `channel` today."""
    listed = CatalogChannel
    return exists().where(
        listed.product_id == Entry.product_id,
        listed.code == channel,
        lasts_until(listed.last_day, today),
    )


def conditions(f: CatalogFilter, dialect: str) -> dict[str, ColumnElement[bool]]:
    """Every condition by the filter it comes from, so that facets can leave some out."""
    conds: dict[str, ColumnElement[bool]] = {"visible": visible(f.today)}
    if f.query is not None:
        conds["q"] = search.matches(f.query, dialect)
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
