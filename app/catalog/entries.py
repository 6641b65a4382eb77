"""Keeps the catalog tables (app/models/catalog.py) in step with the record.

Every write that can change what the catalog shows ends in `refresh` for the products
it touched (through `publication.sync`), which recomputes their rows set-wise in SQL
from products, revisions, MSMEs, listings and documents. Recomputing rather than
patching keeps one definition of "published"; the test suite checks the tables equal
a rebuild after every kind of write.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Executable,
    Select,
    and_,
    case,
    delete,
    event,
    func,
    insert,
    literal,
    null,
    select,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.catalog import changes, counts
from app.core import clock
from app.core.db import table_of
from app.models import (
    CatalogCertification,
    CatalogChannel,
    CatalogEntry,
    CatalogState,
    Channel,
    Document,
    Listing,
    Msme,
    Product,
    Revision,
)
from app.models.catalog import PRICE_MISSING_HIGH, PRICE_MISSING_LOW
from app.models.enums import DocumentStatus, ProductStatus

# Which products to recompute: ids, a SELECT of ids, or None for all of them.
Scope = Sequence[uuid.UUID] | Select[Any] | None
CHUNK = 1000  # ids per statement, well under the drivers' parameter limits


def _in(column: Any, scope: Scope) -> list[ColumnElement[bool]]:
    return [] if scope is None else [column.in_(scope)]


def _last_day(day: Any) -> ColumnElement[Any]:
    """The latest of `day` in a group; None (no end) when any of them is None."""
    return case((func.max(case((day.is_(None), 1), else_=0)) == 1, null()), else_=func.max(day))


def _earliest(a: Any, b: Any) -> ColumnElement[Any]:
    """The earlier of two last days, None meaning no end."""
    return case((a.is_(None), b), (b.is_(None), a), (a < b, a), else_=b)


def _prices(jpy: Any) -> tuple[Any, Any, Any]:
    """The yen price and its sort keys for each order, unpriced last in both."""
    return jpy, func.coalesce(jpy, PRICE_MISSING_HIGH), func.coalesce(jpy, PRICE_MISSING_LOW)


def refresh_statements(scope: Scope, dialect: str, day: date, seq: int) -> list[Executable]:
    """Delete and recompute the catalog rows of the products in `scope`, and their facet
    counts (app/catalog/counts.py), which are counted from `day`; the new rows are
    stamped with `seq`, the version their commit makes (app/catalog/changes.py)."""
    channels = (
        select(Listing.product_id, _last_day(Channel.ends_on).label("last_day"))
        .join(Channel, Channel.id == Listing.channel_id)
        .where(Channel.active.is_(True), *_in(Listing.product_id, scope))
        .group_by(Listing.product_id)
        .subquery("channels")
    )
    entries = (
        select(
            Product.id,
            Revision.id,
            Product.msme_id,
            Revision.category,
            Revision.hs_code,
            Msme.province,
            *_prices(Revision.price_jpy),
            Revision.moq,
            Revision.approved_at,
            _earliest(Revision.certified_until, channels.c.last_day),
            literal(seq),
        )
        .join(Revision, Revision.id == Product.approved_revision_id)
        .join(Msme, Msme.id == Product.msme_id)
        .join(channels, channels.c.product_id == Product.id)
        .where(Product.status != ProductStatus.archived.value, *_in(Product.id, scope))
    )
    entry = CatalogEntry
    verified = [Document.status == DocumentStatus.verified.value, *_in(entry.product_id, scope)]
    held_by = (
        entry.product_id,
        entry.category,
        entry.hs_code,
        entry.province,
        entry.visible_until,
    )
    held = union_all(
        select(*held_by, Document.doc_type, Document.expires_on)
        .join(Document, Document.product_id == entry.product_id)
        .where(*verified),
        select(*held_by, Document.doc_type, Document.expires_on)
        .join(Document, and_(Document.msme_id == entry.msme_id, Document.product_id.is_(None)))
        .where(*verified),
    ).subquery("held")
    valid_until = _last_day(held.c.expires_on)
    certifications = select(
        held.c.product_id,
        held.c.doc_type,
        valid_until,
        held.c.category,
        held.c.hs_code,
        held.c.province,
        _earliest(held.c.visible_until, valid_until),
    ).group_by(
        held.c.product_id,
        held.c.doc_type,
        held.c.category,
        held.c.hs_code,
        held.c.province,
        held.c.visible_until,
    )
    listed = (
        select(Listing.product_id, Listing.channel_id)
        .join(Channel, Channel.id == Listing.channel_id)
        .join(entry, entry.product_id == Listing.product_id)
        .where(Channel.active.is_(True), *_in(entry.product_id, scope))
    )
    cert = CatalogCertification
    if scope is None:
        take_off, put_back = [], counts.recounted(day)
    else:
        rows = counts.keyed_rows(
            counts.counted_from(day), lambda product_id: _in(product_id, scope)
        )
        take_off, put_back = counts.add(dialect, rows, -1), counts.add(dialect, rows, 1)
    return [
        *take_off,
        delete(cert).where(*_in(cert.product_id, scope)),
        delete(CatalogChannel).where(*_in(CatalogChannel.product_id, scope)),
        delete(entry).where(*_in(entry.product_id, scope)),
        insert(entry).from_select(
            [
                "product_id",
                "revision_id",
                "msme_id",
                "category",
                "hs_code",
                "province",
                "price_jpy",
                "price_low",
                "price_high",
                "moq",
                "approved_at",
                "visible_until",
                "born_seq",
            ],
            entries,
        ),
        insert(cert).from_select(
            [
                "product_id",
                "doc_type",
                "valid_until",
                "category",
                "hs_code",
                "province",
                "shown_until",
            ],
            certifications,
        ),
        insert(CatalogChannel).from_select(["product_id", "channel_id"], listed),
        *put_back,
    ]


def _chunks(scope: Scope) -> list[Scope]:
    if scope is None or isinstance(scope, Select):
        return [scope]
    ids = sorted(set(scope))
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


async def refresh(session: AsyncSession, scope: Scope) -> None:
    """Recompute the catalog rows of the products in `scope` (see `Scope`)."""
    await session.flush()
    dialect = session.get_bind().dialect.name
    seq, day = await take_turn(session)
    seq += 1  # what the commit makes it (see `_bump`)
    today = clock.today()
    if isinstance(scope, Select):  # a document's or an MSME's products, say: a few
        ids = list((await session.scalars(scope.limit(changes.LOGGED + 1))).all())
        scope = ids if len(ids) <= changes.LOGGED else scope
    logged = changes.logged(scope)
    for statement in counts.moved(dialect, day, today):
        await session.execute(statement)
    for chunk in _chunks(scope):
        kept = changes.retire(chunk, seq) if logged and isinstance(chunk, list) else []
        for statement in [*kept, *refresh_statements(chunk, dialect, today, seq)]:
            await session.execute(statement)
    for statement in changes.forget(seq):
        await session.execute(statement)
    changed(session, logged=logged)


async def reprice(session: AsyncSession, currency: str) -> None:
    """Copy re-priced revisions' yen prices (see fx.service.reprice) into the catalog.

    Prices are changed in place, for many products, and nothing else is: logged as a
    change of prices alone (`CatalogState.priced`), which only the counts filtered by a
    yen price are made again for.
    """
    await take_turn(session)
    price = (
        select(Revision.price_jpy).where(Revision.id == CatalogEntry.revision_id).scalar_subquery()
    )
    jpy, low, high = _prices(price)
    await session.execute(
        update(CatalogEntry)
        .where(
            CatalogEntry.revision_id.in_(
                select(Revision.id).where(Revision.price_currency == currency)
            )
        )
        .values(price_jpy=jpy, price_low=low, price_high=high)
        .execution_options(synchronize_session=False)
    )
    changed(session, logged=True, moves="priced")


async def take_turn(session: AsyncSession) -> tuple[int, date]:
    """Lock the catalog state row until commit, so that writers to the catalog tables
    take turns, each locking it before any catalog row; the catalog's `seq` and the day
    the counts count from."""
    row = (
        await session.execute(
            select(CatalogState.seq, CatalogState.counted_from)
            .where(CatalogState.id == 1)
            .with_for_update()
        )
    ).first()
    if row is None:  # only where the row was deleted (a test truncating every table)
        state = _fresh_state(clock.today())
        await session.execute(insert(CatalogState).values(state))
        return state["seq"], state["counted_from"]
    return row[0], row[1]


def rebuild(conn: Connection) -> None:
    """Recompute every catalog row; for migrations and bulk loads, on a plain connection."""
    _bump(conn, logged=False)
    seq = conn.scalar(select(CatalogState.seq))
    assert seq is not None
    for kept in changes.KEPT:
        conn.execute(delete(kept))
    for statement in refresh_statements(None, conn.dialect.name, clock.today(), seq):
        conn.execute(statement)


# -- the version caches key on ------------------------------------------------------------


# Marks on the catalog state for what the change log does not keep and some filters
# read (app/catalog/facets.py): yen prices changed in place, and channels opened or
# closed (the channel filter reads that from the channel).
MARKS = ("priced", "opened")


def mark_columns() -> list[Any]:
    return [table_of(CatalogState).c[m] for m in MARKS]


def changed(session: AsyncSession, *, logged: bool, moves: str | None = None) -> None:
    """Mark the transaction as changing the catalog; its commit moves the version. Unless
    every change was `logged` (app/catalog/changes.py), it also starts a new lineage;
    `moves` names a mark (MARKS) that the change moves."""
    session.info["catalog_changed"] = True
    if not logged:
        session.info["catalog_unlogged"] = True
    if moves is not None:
        session.info.setdefault("catalog_moves", set()).add(moves)


def _fresh_state(today: date) -> dict[str, Any]:
    return {
        "id": 1,
        "version": uuid.uuid4(),
        "counted_from": today,
        "seq": 0,
        "lineage": uuid.uuid4(),
        **{m: uuid.uuid4() for m in MARKS},
    }


def _bump(db: Session | Connection, *, logged: bool, moves: Iterable[str] = ()) -> None:
    values: dict[str, Any] = {"version": uuid.uuid4(), "seq": CatalogState.seq + 1}
    if not logged:
        values["lineage"] = uuid.uuid4()
    values.update({m: uuid.uuid4() for m in moves})
    moved = db.execute(update(CatalogState).values(values))
    if moved.rowcount == 0:  # type: ignore[attr-defined]
        # Only where the row was deleted (a test truncating every table).
        db.execute(insert(CatalogState).values(_fresh_state(clock.today())))


@event.listens_for(Session, "before_commit")
def _bump_version(session: Session) -> None:
    # Last statement before COMMIT, so the row lock on the version is held for no time.
    if session.info.pop("catalog_changed", False):
        _bump(
            session,
            logged=not session.info.pop("catalog_unlogged", False),
            moves=session.info.pop("catalog_moves", ()),
        )


@event.listens_for(Session, "after_rollback")
def _forget_change(session: Session) -> None:
    session.info.pop("catalog_changed", None)
    session.info.pop("catalog_unlogged", None)
    session.info.pop("catalog_moves", None)


@dataclass(frozen=True)
class State:
    version: uuid.UUID
    counted_from: date  # the day the kept facet counts count from
    seq: int  # the version as a count, with its lineage (app/catalog/changes.py)
    lineage: uuid.UUID
    priced: uuid.UUID  # MARKS
    opened: uuid.UUID

    @property
    def marks(self) -> dict[str, uuid.UUID]:
        return {m: getattr(self, m) for m in MARKS}


async def state(session: AsyncSession) -> State | None:
    """The catalog's version, as a value to key caches by and as a count."""
    row = await session.execute(
        select(
            CatalogState.version,
            CatalogState.counted_from,
            CatalogState.seq,
            CatalogState.lineage,
            *mark_columns(),
        ).where(CatalogState.id == 1)
    )
    found = row.first()
    return None if found is None else State(*found)
