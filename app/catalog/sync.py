"""Keeps the catalog tables (app/models/catalog.py) in step with the record.

`sync` is the one way catalog rows change: every service whose write can change what the
catalog shows (an approval, archiving, a listing, a channel opened or closed, a document
decision, an MSME's province, a re-pricing) calls it for the products it touched, in its
own transaction, so the change shows on the very next request. It recomputes their rows
set-wise in SQL from products, revisions, MSMEs, listings and documents; recomputing
rather than patching keeps one definition of "published", and the test suite checks the
tables equal a rebuild after every test. Rows of different products are independent:
writers of different products never wait for each other.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Executable,
    Select,
    and_,
    bindparam,
    case,
    delete,
    func,
    literal,
    null,
    or_,
    select,
    union,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.cache import CATALOG
from app.core import clock
from app.core.db import signal
from app.models import (
    CatalogCertification,
    CatalogChannel,
    CatalogEntry,
    Channel,
    Document,
    Listing,
    Msme,
    Product,
    Revision,
)
from app.models.catalog import PRICE_MISSING_HIGH, PRICE_MISSING_LOW
from app.models.enums import DocumentStatus, ProductStatus
from app.standards.table import BUYER_FACING, EXPIRING

CHUNK = 1000  # ids per statement, well under the drivers' parameter limits
ENTRY_COLUMNS = [c.name for c in CatalogEntry.__table__.c]


async def sync(
    session: AsyncSession, products: Sequence[uuid.UUID] | Select[Any], *, locked: bool = False
) -> None:
    """Bring the catalog rows of `products` (ids, or a SELECT of ids) up to date.

    `locked`: the caller's transaction holds the rows of `products` (ids) already, as a
    workflow transition's conditional UPDATE does."""
    if locked:
        await session.flush()
        ids = sorted(set(cast(Sequence[uuid.UUID], products)))
    else:
        ids = await lock(session, products)
    signal(session, CATALOG)
    scoped = _STATEMENTS[session.get_bind().dialect.name]
    today = clock.today()
    conn = await session.connection()  # plain statements with parameters, not ORM bulk ones
    for start in range(0, len(ids), CHUNK):
        # A product with no listing and no catalog row has none to write or remove: the
        # statements below would change nothing for it (read after the lock, as they are).
        chunk = list(
            (await conn.execute(_CONCERNED, {"ids": ids[start : start + CHUNK]})).scalars()
        )
        if not chunk:
            continue
        for statement in scoped:
            await conn.execute(statement, {"ids": chunk, "today": today})


async def lock(
    session: AsyncSession, products: Sequence[uuid.UUID] | Select[Any]
) -> list[uuid.UUID]:
    """Lock the products' rows, in the order of their ids, until the transaction ends; the
    ids. Two writes that recompute one product's catalog rows take turns, the second
    reading what the first committed; writes of different products never wait for each
    other. A write that changes what the catalog reads before it syncs (a re-pricing,
    a document check) locks first, so that all lock in one order."""
    await session.flush()
    if isinstance(products, Select):
        products = list((await session.scalars(products)).all())
    ids = sorted(set(products))
    for start in range(0, len(ids), CHUNK):
        await session.execute(
            select(Product.id)
            .where(Product.id.in_(ids[start : start + CHUNK]))
            .order_by(Product.id)
            .with_for_update(key_share=True)
        )
    return ids


def rebuild(conn: Connection) -> None:
    """Recompute every catalog row; for migrations, bulk loads and checks."""
    for statement in statements(None, conn.dialect.name, TODAY):
        conn.execute(statement, {"today": clock.today()})


def lasts_until(last_day: Any, today: date) -> ColumnElement[bool]:
    """`today` is on or before `last_day`; None is no last day at all."""
    return or_(last_day.is_(None), last_day >= today)


def codes(code: Any, where: list[ColumnElement[bool]], dialect: str) -> Any:
    """The codes of the rows `where` holds, space-separated ('' for none): sorted on
    PostgreSQL; on SQLite in the order of the table's key, (product, code), which its
    rows of one product are read in. Readers take them as a set either way."""
    if dialect == "postgresql":
        joined = func.string_agg(code, postgresql.aggregate_order_by(literal(" "), code))
    else:
        joined = func.group_concat(code, " ")
    return func.coalesce(select(joined).where(*where).scalar_subquery(), "")


def held_codes(product_id: Any, today: date, dialect: str) -> Any:
    """The buyer-facing certifications a catalog product holds `today`."""
    cert = CatalogCertification
    return codes(
        cert.doc_type,
        [cert.product_id == product_id, lasts_until(cert.valid_until, today)],
        dialect,
    )


def shown_codes(product_id: Any, today: date, dialect: str) -> Any:
    """The channels a catalog product shows in `today`."""
    listed = CatalogChannel
    return codes(
        listed.code, [listed.product_id == product_id, lasts_until(listed.last_day, today)], dialect
    )


def current_certifications(today: date, dialect: str) -> Any:
    """An entry's `certifications` as they stand `today`: the written key until
    `sets_until`, after which they are read again from its certification rows."""
    e = CatalogEntry
    return case(
        (lasts_until(e.sets_until, today), e.certifications),
        else_=held_codes(e.product_id, today, dialect),
    )


def current_channels(today: date, dialect: str) -> Any:
    """An entry's `channels` as they stand `today` (see `current_certifications`)."""
    e = CatalogEntry
    return case(
        (lasts_until(e.sets_until, today), e.channels),
        else_=shown_codes(e.product_id, today, dialect),
    )


def _in(column: Any, scope: Any) -> list[ColumnElement[bool]]:
    return [] if scope is None else [column.in_(scope)]


def _last_day(day: Any) -> ColumnElement[Any]:
    """The latest of `day` in a group; None (no end) when any of them is None."""
    return case((func.max(case((day.is_(None), 1), else_=0)) == 1, null()), else_=func.max(day))


def _earliest(a: Any, b: Any) -> ColumnElement[Any]:
    """The earlier of two last days, None meaning no end."""
    return case((a.is_(None), b), (b.is_(None), a), (a < b, a), else_=b)


def statements(scope: Any, dialect: str, today: Any) -> list[Executable]:
    """Delete and recompute the catalog rows of the products in `scope` (None: all), as
    of `today`: each a value, or a bound parameter the statements are run with."""
    e, cert, listed = CatalogEntry, CatalogCertification, CatalogChannel
    in_catalog = select(listed.product_id).where(*_in(listed.product_id, scope))
    channels = (
        select(Listing.product_id, Channel.id, Channel.code, Channel.ends_on)
        .join(Channel, Channel.id == Listing.channel_id)
        .join(Product, Product.id == Listing.product_id)
        .where(
            Channel.active.is_(True),
            Product.approved_revision_id.isnot(None),
            Product.status != ProductStatus.archived.value,
            *_in(Listing.product_id, scope),
        )
    )
    verified = [
        Document.status == DocumentStatus.verified.value,
        Document.doc_type.in_(BUYER_FACING),
        or_(Document.expires_on.isnot(None), Document.doc_type.notin_(EXPIRING)),
    ]
    held = (
        select(Product.id.label("product_id"), Document.doc_type, Document.expires_on)
        .join(
            Document,
            or_(
                Document.product_id == Product.id,
                and_(Document.msme_id == Product.msme_id, Document.product_id.is_(None)),
            ),
        )
        .where(*verified, Product.id.in_(in_catalog))
        .subquery("held")
    )
    certifications = select(
        held.c.product_id, held.c.doc_type, _last_day(held.c.expires_on)
    ).group_by(held.c.product_id, held.c.doc_type)
    channels_last = select(_last_day(listed.last_day)).where(listed.product_id == Product.id)
    sets_until = _earliest(
        select(func.min(cert.valid_until))
        .where(cert.product_id == Product.id, cert.valid_until >= today)
        .scalar_subquery(),
        select(func.min(listed.last_day))
        .where(listed.product_id == Product.id, listed.last_day >= today)
        .scalar_subquery(),
    )
    jpy = Revision.price_jpy
    entries = (
        select(
            Product.id.label("product_id"),
            Revision.id.label("revision_id"),
            Product.msme_id.label("msme_id"),
            Revision.category.label("category"),
            Revision.hs_code.label("hs_code"),
            Msme.province.label("province"),
            jpy.label("price_jpy"),
            func.coalesce(jpy, PRICE_MISSING_LOW).label("price_low"),
            func.coalesce(jpy, PRICE_MISSING_HIGH).label("price_high"),
            Revision.moq.label("moq"),
            Revision.approved_at.label("approved_at"),
            _earliest(Revision.certified_until, channels_last.scalar_subquery()).label(
                "visible_until"
            ),
            held_codes(Product.id, today, dialect).label("certifications"),
            shown_codes(Product.id, today, dialect).label("channels"),
            sets_until.label("sets_until"),
            Revision.terms.label("terms"),
            Revision.search_text.label("search_text"),
        )
        .join(Revision, Revision.id == Product.approved_revision_id)
        .join(Msme, Msme.id == Product.msme_id)
        .where(Product.id.in_(in_catalog))
    )
    module: Any = postgresql if dialect == "postgresql" else sqlite
    upsert = module.insert(e).from_select(ENTRY_COLUMNS, entries)
    written = [c for c in ENTRY_COLUMNS if c != "product_id"]
    upsert = upsert.on_conflict_do_update(
        index_elements=["product_id"],
        set_={c: upsert.excluded[c] for c in written},
        # A row that would not change is not written (a re-pricing of other currencies,
        # a document check that changes no certificate).
        where=or_(*(e.__table__.c[c].is_distinct_from(upsert.excluded[c]) for c in written)),
    )
    return [
        delete(listed).where(*_in(listed.product_id, scope)),
        delete(cert).where(*_in(cert.product_id, scope)),
        module.insert(listed).from_select(
            ["product_id", "channel_id", "code", "last_day"], channels
        ),
        module.insert(cert).from_select(["product_id", "doc_type", "valid_until"], certifications),
        delete(e).where(*_in(e.product_id, scope), e.product_id.not_in(in_catalog)),
        upsert,
    ]


# Built once: a write runs them with its ids and today's date (`sync`).
IDS: Any = bindparam("ids", expanding=True)
TODAY = bindparam("today", type_=Date())
_STATEMENTS = {d: statements(IDS, d, TODAY) for d in ("postgresql", "sqlite")}
# The products of `ids` that are listed or have catalog rows: those `statements` can change.
_CONCERNED = union(
    *(
        select(table.product_id).where(table.product_id.in_(IDS))
        for table in (Listing, CatalogChannel, CatalogCertification, CatalogEntry)
    )
)
