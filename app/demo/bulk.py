"""Many published listings at once, for the catalog benchmark: `kurasi demo seed --products N`.

Listings are the demo products varied by grade, origin and lot, so search terms,
facets and prices spread as in a real catalog. They skip the workflow (no reviews or
audit trail): what the catalog reads, approved revisions with their yen prices and
search terms, listings, MSMEs and their certificates, is written as approval writes it,
and the catalog tables are then rebuilt from it in one pass (app/catalog/sync.py). On
PostgreSQL rows go in by COPY, with the loaded tables' secondary indexes and foreign
keys dropped and rebuilt at the end; it is all one transaction either way.
"""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex

from app.catalog import search
from app.catalog.sync import rebuild
from app.catalog.tokens import normalize
from app.core import clock
from app.core.db import tsvector_text, utcnow
from app.core.security import hash_password
from app.demo import data
from app.fx.service import current_rates, to_jpy
from app.models import (
    Base,
    Channel,
    Document,
    Listing,
    Msme,
    Product,
    Revision,
    User,
)
from app.models.enums import ProductStatus, Role
from app.models.snapshot import RevisionContent
from app.standards.provinces import PROVINCES

PRODUCTS_PER_MSME = 100
BATCH = 5_000
# The heavy tables, whose indexes and foreign keys are rebuilt after a COPY.
LOADED = ("products", "revisions", "listings")
# Derived from the loaded rows in one pass once they are in (app/catalog/sync.py).
DERIVED = ("catalog_entries", "catalog_certifications", "catalog_channels")
ORDER = ("users", "msmes", "documents", *LOADED)

GRADES = (
    {"id": "Premium", "en": "Premium", "ja": "プレミアム"},
    {"id": "Mutu satu", "en": "Grade one", "ja": "一等級"},
    {"id": "Edisi hadiah", "en": "Gift edition", "ja": "ギフト用"},
    {"id": "Kemasan ekspor", "en": "Export pack", "ja": "輸出用パック"},
    {"id": "Organik", "en": "Organic", "ja": "オーガニック"},
    {"id": "Panen baru", "en": "New harvest", "ja": "新物"},
    {"id": "Edisi terbatas", "en": "Limited edition", "ja": "限定品"},
    {"id": "Ukuran besar", "en": "Large size", "ja": "大容量"},
)
ORIGINS = (
    ("Aceh", "アチェ"),
    ("Toraja", "トラジャ"),
    ("Bali", "バリ"),
    ("Flores", "フローレス"),
    ("Jepara", "ジェパラ"),
    ("Pekalongan", "プカロンガン"),
    ("Lampung", "ランプン"),
    ("Garut", "ガルット"),
    ("Lombok", "ロンボク"),
    ("Sumba", "スンバ"),
    ("Yogyakarta", "ジョグジャカルタ"),
    ("Cirebon", "チルボン"),
)


@dataclass
class Context:
    """What every generated row refers to."""

    admin_id: uuid.UUID
    channels: list[uuid.UUID]
    rates: dict[str, Decimal]
    password_hash: str
    copy: bool  # rows as COPY data (PostgreSQL) rather than dicts
    seed: int
    run: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    run_millis: int = field(default_factory=lambda: int(utcnow().timestamp() * 1000))
    # NIBs are unique: each run draws its own range of them.
    nib_base: int = field(default_factory=lambda: random.randrange(10**12))


@dataclass
class Batch:
    """Rows of one batch by table."""

    copy: bool
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, model: type[Base], row: dict[str, Any]) -> None:
        self.rows.setdefault(model.__tablename__, []).append(row)


def ordered_id(run_millis: int, n: int) -> uuid.UUID:
    """The n-th id of a run: UUID v7 layout, growing with n, so primary keys append."""
    rand = hash((run_millis, n)) & 0x3FFFFF  # the same id each time it is asked for
    value = (run_millis << 80) | (0x7 << 76) | (0b10 << 62) | (n << 22) | rand
    return uuid.UUID(int=value)


def msme_rows(
    batch: Batch, ctx: Context, index: int, msme_id: uuid.UUID, rng: random.Random
) -> None:
    owner_id = uuid.uuid4()
    name = PROVINCES[rng.randrange(len(PROVINCES))][0]
    now = utcnow()
    batch.add(
        User,
        {
            "id": owner_id,
            "email": f"owner{index}.{ctx.run}@bench.kurasi.example",
            "password_hash": ctx.password_hash,
            "full_name": f"Pemilik {index}",
            "role": Role.msme_owner.value,
            "preferred_language": "id",
            "is_active": True,
            "created_at": now,
            "updated_at": now,
        },
    )
    batch.add(
        Msme,
        {
            "id": msme_id,
            "owner_id": owner_id,
            "legal_name": f"CV Usaha Nusantara {index}",
            "brand_name": f"Nusantara {index}",
            "nib": f"9{(ctx.nib_base + index) % 10**12:012d}",
            "province": name,
            "city": name,
            "address": f"Jl. Merdeka No. {index % 200 + 1}",
            "size_class": rng.choice(("micro", "small", "medium")),
            "description": {},
            "verified": True,  # only a verified MSME's products are listed (SPEC §4)
            "created_at": now,
            "updated_at": now,
        },
    )
    today = clock.today()
    for doc_type, share in (("halal", 0.5), ("jas_organic", 0.15), ("sni", 0.2)):
        if rng.random() >= share:
            continue
        # Mostly valid for years; some lapsed already, so the filter has work to do.
        expires = today + timedelta(days=rng.randrange(-120, 1500))
        batch.add(
            Document,
            {
                "id": uuid.uuid4(),
                "msme_id": msme_id,
                "doc_type": doc_type,
                "number": f"{doc_type.upper()}-{index}",
                "issuer": "Bench issuer",
                "issued_on": expires - timedelta(days=1460),
                "expires_on": expires,
                "filename": f"{doc_type}.pdf",
                "content_type": "application/pdf",
                "size": 1024,
                "storage_key": f"msmes/{msme_id}/documents/{uuid.uuid4()}",
                "status": "verified",
                "uploaded_at": now,
                "verified_at": now,
                "verified_by_id": ctx.admin_id,
                "created_at": now,
                "updated_at": now,
            },
        )


def product_rows(
    batch: Batch,
    ctx: Context,
    product_id: uuid.UUID,
    revision_id: uuid.UUID,
    msme_id: uuid.UUID,
    index: int,
    rng: random.Random,
) -> None:
    """One approved, listed product."""
    template = data.PRODUCTS[index % len(data.PRODUCTS)]
    variant = (index % len(data.PRODUCTS), rng.randrange(len(GRADES)), rng.randrange(len(ORIGINS)))
    lot = rng.randrange(1, 10_000)
    name, description = variant_texts(*variant, lot=str(lot))
    amount, currency = template["price"]
    price = (Decimal(amount) * Decimal(rng.randrange(60, 180)) / 100).quantize(Decimal("0.01"))
    moq = max(1, int(template["moq"] * rng.choice((0.5, 1, 1, 2))))
    approved_at = utcnow() - timedelta(seconds=rng.randrange(2 * 365 * 86400))
    # A quarter need no expiring certificate; a few have one that lapsed already.
    share = rng.random()
    certified_until = None
    if share >= 0.25:
        days = rng.randrange(-60, 0) if share < 0.28 else rng.randrange(30, 1000)
        certified_until = clock.today() + timedelta(days=days)
    content = RevisionContent.model_validate(
        {
            **{k: template.get(k) for k in ("category", "hs_code", "unit", "incoterm")},
            "sku": f"B-{index}",
            "name": name,
            "description": description,
            "price": {"amount": price, "currency": currency},
            "moq": moq,
            **{
                k: template.get(k)
                for k in (
                    "lead_time_days",
                    "monthly_capacity",
                    "shelf_life_days",
                    "packaging",
                    "net_weight_g",
                    "port_of_loading",
                )
            },
        }
    )
    found = _variant_index(*variant)
    # The lot number is its only word of its own.
    terms = dict(sorted({**found.terms, str(lot): search.ELSEWHERE}.items()))
    batch.add(
        Product,
        {
            "id": product_id,
            "msme_id": msme_id,
            "sku": content.sku,
            "category": template["category"],
            "hs_code": template["hs_code"],
            "name": name,
            "description": description,
            "specifications": [],
            "unit": template["unit"],
            "price_amount": price,
            "price_currency": currency,
            "incoterm": template.get("incoterm"),
            "moq": moq,
            "lead_time_days": template.get("lead_time_days"),
            "monthly_capacity": template.get("monthly_capacity"),
            "organic_claim": False,
            "is_electrical": False,
            "status": ProductStatus.approved.value,
            "version": 1,
            "approved_revision_id": revision_id,
            "created_at": approved_at,
            "updated_at": approved_at,
        },
    )
    batch.add(
        Revision,
        {
            "id": revision_id,
            "product_id": product_id,
            "number": 1,
            "product_version": 1,
            "approved_by_id": ctx.admin_id,
            "approved_at": approved_at,
            "content": content.model_dump(mode="json"),
            "msme_id": msme_id,
            "category": template["category"],
            "hs_code": template["hs_code"],
            "price_amount": price,
            "price_currency": currency,
            "price_jpy": to_jpy(price, ctx.rates.get(currency)),
            "moq": moq,
            "terms": terms,
            "search_text": "\n".join(normalize(t) for t in (*name.values(), *description.values())),
            "certified_until": certified_until,
        },
    )
    for channel_id in ctx.channels[: 2 if rng.random() < 0.3 else 1]:
        batch.add(
            Listing,
            {
                "id": uuid.uuid4(),
                "channel_id": channel_id,
                "product_id": product_id,
                "booth": None,
                "published_at": approved_at,
                "published_by_id": ctx.admin_id,
            },
        )


def variant_texts(
    template: int, grade: int, origin: int, lot: str = ""
) -> tuple[dict[str, str], dict[str, str]]:
    """Name and description of a demo product varied by grade, origin and lot."""
    product, grades = data.PRODUCTS[template], GRADES[grade]
    place, place_ja = ORIGINS[origin]
    name = {lang: f"{text} {grades[lang]}" for lang, text in product["name"].items()}
    extra = {
        "id": f" Dari {place}, lot {lot}.",
        "en": f" From {place}, lot {lot}.",
        "ja": f"{place_ja}産、ロット{lot}。",
    }
    return name, {lang: text + extra[lang] for lang, text in product["description"].items()}


@cache
def _variant_index(template: int, grade: int, origin: int) -> search.Indexed:
    """What a variant is found by, without its lot number (its only word of its own)."""
    name, description = variant_texts(template, grade, origin)
    category = data.PRODUCTS[template]["category"]
    return search.index(
        RevisionContent(
            category=category,
            hs_code="0",
            name=name,
            description=description,
            unit="pcs",
            price={"amount": 0, "currency": "IDR"},  # type: ignore[arg-type]
        )
    )


# -- writing ----------------------------------------------------------------------------------


def _copy_value(value: Any, terms: bool = False) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if terms:  # a tsvector's text; the COPY escaping below applies on top
        value = tsvector_text(value)
    elif isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, datetime | date):
        value = value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        text = text.replace("\r", "\\r")
    return text


Payloads = dict[str, tuple[str, bytes]]


def generate(ctx: Context, start: int, stop: int) -> Batch | Payloads:
    """Listings number `start` to `stop`: rows, or COPY statements and data by table.

    A pure function of its arguments (picklable both ways), so a worker process can
    build the next batch while the database takes this one.
    """
    rng = random.Random(ctx.seed * 1_000_003 + start)
    batch = Batch(ctx.copy)
    for index in range(start, stop):
        first = index - index % PRODUCTS_PER_MSME
        msme_id = ordered_id(ctx.run_millis, 3 * first)
        if index == first:
            msme_rows(batch, ctx, index // PRODUCTS_PER_MSME, msme_id, rng)
        product_id = ordered_id(ctx.run_millis, 3 * index + 1)
        revision_id = ordered_id(ctx.run_millis, 3 * index + 2)
        product_rows(batch, ctx, product_id, revision_id, msme_id, index, rng)
    if not ctx.copy:
        return batch
    payloads: Payloads = {}
    for name, rows in batch.rows.items():
        table = Base.metadata.tables[name]
        columns = [c for c in table.columns if c.name in rows[0]]
        lines = (
            "\t".join(_copy_value(row.get(c.name), c.name == "terms") for c in columns)
            for row in rows
        )
        payloads[name] = (
            f"COPY {name} ({', '.join(c.name for c in columns)}) FROM STDIN",
            ("\n".join(lines) + "\n").encode(),
        )
    return payloads


async def write(conn: AsyncConnection, generated: Batch | Payloads) -> None:
    if isinstance(generated, Batch):
        for name in ORDER:
            if rows := generated.rows.get(name):
                await conn.execute(insert(Base.metadata.tables[name]), rows)
        return
    raw = (await conn.get_raw_connection()).driver_connection
    assert raw is not None
    for name in ORDER:
        if name in generated:
            statement, payload = generated[name]
            async with raw.cursor() as cursor, cursor.copy(statement) as pipe:
                await pipe.write(payload)


async def drop_secondary(conn: AsyncConnection) -> list[Any]:
    """Drop the loaded tables' indexes and foreign keys; returns what rebuilds them."""
    rebuilt: list[Any] = []
    # Sorting once at the end beats growing big indexes row by row.
    await conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '1GB'")
    for table in (Base.metadata.tables[name] for name in (*LOADED, *DERIVED)):
        for fk in table.foreign_key_constraints:
            await conn.execute(DropConstraint(fk))
            rebuilt.append(AddConstraint(fk))
        for index in table.indexes:
            await conn.execute(DropIndex(index))
            rebuilt.insert(0, CreateIndex(index))
    return rebuilt


# -- the run ----------------------------------------------------------------------------------


async def load(conn: AsyncConnection, count: int, seed: int = 7) -> None:
    """Add `count` published listings, the same ones for the same seed (ids aside)."""
    admin_id = await conn.scalar(select(User.id).where(User.role == Role.admin.value).limit(1))
    channels = list(
        await conn.scalars(select(Channel.id).order_by(Channel.starts_on.nulls_first()))
    )
    if admin_id is None or not channels:
        raise RuntimeError("load the demo data first (kurasi demo seed)")
    rates = await current_rates(conn)
    copy = conn.dialect.name == "postgresql"
    ctx = Context(admin_id, channels, rates, hash_password(uuid.uuid4().hex), copy, seed)
    if copy:
        rebuilt = await drop_secondary(conn)
    else:
        # A product points at its revision and back: check both at commit.
        rebuilt = []
        await conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    batches = [(start, min(start + BATCH, count)) for start in range(0, count, BATCH)]
    if copy and len(batches) > 1:
        # One core builds batches while the database's core takes them.
        loop = asyncio.get_running_loop()
        with ProcessPoolExecutor(1) as pool:
            pending = deque(loop.run_in_executor(pool, generate, ctx, *b) for b in batches[:2])
            for k in range(len(batches)):
                generated = await pending.popleft()  # held no longer than written
                if k + 2 < len(batches):
                    pending.append(loop.run_in_executor(pool, generate, ctx, *batches[k + 2]))
                await write(conn, generated)
    else:
        for start, stop in batches:
            await write(conn, generate(ctx, start, stop))
    await conn.run_sync(rebuild)
    for ddl in rebuilt:
        await conn.execute(ddl)
