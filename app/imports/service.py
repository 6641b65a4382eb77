"""Importing a file of products into one MSME: a dry run that reports every problem, or
a commit that writes every row or none, in the request's one transaction."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

import anyio
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from app.core.db import table_of, utcnow
from app.core.errors import Conflict
from app.imports.reading import read_rows
from app.imports.rows import Plan, plan
from app.imports.schemas import ImportReport, refused
from app.models import Product, User
from app.models.enums import ProductStatus
from app.products import workflow


async def run_import(
    session: AsyncSession, actor: User, msme_id: uuid.UUID, data: bytes, *, dry_run: bool
) -> ImportReport:
    """Check the file against the MSME's products and, unless `dry_run`, write it.

    Reading and checking run off the event loop (a full file is seconds of work). A
    commit locks the MSME's products first (PostgreSQL; SQLite's writer lock is taken
    by the transaction's first statement), so no edit slips between check and write.
    """
    rows = await anyio.to_thread.run_sync(read_rows, data)
    stmt = select(Product).where(Product.msme_id == msme_id, Product.sku.is_not(None))
    if not dry_run:
        stmt = stmt.with_for_update()
    products = {p.sku: p for p in await session.scalars(stmt) if p.sku is not None}
    found = await anyio.to_thread.run_sync(plan, rows, msme_id, products)
    report = ImportReport(
        dry_run=dry_run,
        rows=found.rows,
        created=len(found.creates),
        updated=len(found.updates) + found.unchanged,
        unchanged=found.unchanged,
        errors=found.problems,
    )
    if dry_run:
        return report
    if report.errors:
        raise refused(report)
    await _write(session, actor, found)
    return report


async def _write(session: AsyncSession, actor: User, found: Plan) -> None:
    """The plan's products created and changed with the columns POST and PATCH /products
    would write, in batches (executemany), not in a round trip a row.

    The rows were locked when read, so each update still finds the version it was
    checked against; the count of rows updated says so all the same.
    """
    if found.creates:
        rows = [{"status": ProductStatus.draft.value, **cols} for cols in found.creates]
        try:
            await session.execute(insert(Product), rows)
        except IntegrityError as exc:
            raise Conflict("A product with one of the file's SKUs was added meanwhile") from exc
    now = utcnow()
    batches: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    edited = []
    for product, changes in found.updates:
        values = dict(changes)
        if product.status == ProductStatus.approved:
            # The approved revision stays in the catalog; this becomes the next one.
            values["status"] = ProductStatus.draft.value
            edited.append(product)
        key = tuple(sorted(values))
        batches[key].append({"_id": product.id, "_was": product.version, **values})
        for name, value in {**values, "version": product.version + 1, "updated_at": now}.items():
            set_committed_value(product, name, value)
    table = table_of(Product)
    conn = await session.connection()
    for names, params in batches.items():
        stmt = (
            update(table)
            .where(table.c.id == bindparam("_id"), table.c.version == bindparam("_was"))
            .values(
                version=table.c.version + 1,
                updated_at=now,
                **{name: bindparam(name) for name in names},
            )
        )
        result = await conn.execute(stmt, params)
        if result.rowcount != len(params):
            raise Conflict("Products of the file were changed meanwhile; import again")
    session.add_all(workflow.edit_entry(product, actor) for product in edited)
    await session.flush()
