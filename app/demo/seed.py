"""Load demo data once: staff, channels, FX rates, MSMEs and approved, published products.

Products go through the real workflow (submit, review, approve) so that the demo shows
exactly what the rules produce. Running it again finds the admin and changes nothing.
"""

from __future__ import annotations

import hashlib
import uuid
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import ProgrammingError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.channels.schemas import ChannelCreate, ListingCreate
from app.channels.service import create_channel, get_channel, publish
from app.config import Settings
from app.core import clock
from app.core.db import create_engine, create_sessionmaker, utcnow
from app.core.storage import Storage, create_storage
from app.curation.schemas import ChecklistItem, TransitionIn
from app.curation.service import transition
from app.demo import bulk, data, files
from app.demo.suppliers import SUPPLIERS
from app.fx.schemas import FxRateIn
from app.fx.service import set_rate
from app.models import Document, Media, Msme, Product, User
from app.models.enums import ChecklistResult, DocumentStatus, UploadStatus
from app.msmes.schemas import Capabilities, MsmeCreate
from app.msmes.service import create_msme, set_verified
from app.products.access import get_readable_product
from app.products.schemas import ProductCreate
from app.products.service import create_product
from app.standards import rules
from app.standards.table import DOCUMENT_TYPES_BY_CODE, SUPPLIER_CRITERIA
from app.suppliers.schemas import SupplierChecklistItem, SupplierReviewIn
from app.suppliers.service import review
from app.users.schemas import UserCreate
from app.users.service import create_user, get_by_email

ADMIN_EMAIL = "admin@kurasi.example"
OWNER_PASSWORD = data.PASSWORDS["owner@gayo-lestari.example"]
TOKYO = "tokyo-msme-center"
JCC = "jcc-export-expo"


@dataclass
class SeedResult:
    created: bool
    products: int = 0


async def seed(settings: Settings) -> SeedResult:
    engine = create_engine(settings, statement_timeout=False)
    try:
        return await seed_with(create_sessionmaker(engine), create_storage(settings), settings)
    finally:
        await engine.dispose()


async def seed_listings(settings: Settings, count: int) -> None:
    """Add `count` generated published listings in one transaction (app/demo/bulk.py)."""
    engine = create_engine(settings, statement_timeout=False)
    try:
        async with engine.begin() as conn:
            await bulk.load(conn, count)
        if engine.dialect.name == "postgresql":
            # Statistics for the planner, and the visibility map that lets searches read
            # their index alone: what autovacuum would get to some time later.
            async with engine.connect() as conn:
                auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
                for table in (*bulk.ORDER, *bulk.DERIVED):
                    await auto.exec_driver_sql(f"VACUUM (ANALYZE) {table}")
                # The load's pages written out now rather than by the checkpointer during
                # the requests that follow (a role without pg_checkpoint leaves it to it).
                with suppress(ProgrammingError):
                    await auto.exec_driver_sql("CHECKPOINT")
    finally:
        await engine.dispose()


async def seed_with(
    sessions: async_sessionmaker[AsyncSession], storage: Storage, settings: Settings
) -> SeedResult:
    """All in one transaction: a run that fails half-way leaves nothing behind."""
    async with sessions() as session:
        if await get_by_email(session, ADMIN_EMAIL) is not None:
            return SeedResult(created=False)
        staff = {}
        for person in data.STAFF:
            password = data.PASSWORDS[person["email"]]
            staff[person["role"]] = await create_user(
                session, UserCreate(password=password, **person)
            )
        await _channels(session)
        for currency, rate in data.FX_RATES.items():
            fx = FxRateIn(rate_to_jpy=Decimal(rate), as_of=clock.today())
            await set_rate(session, currency, fx, staff["admin"])
        count = 0
        for index, spec in enumerate(data.MSMES):
            products = [p for p in data.PRODUCTS if p["msme"] == index]
            ids = await _msme_with_products(session, storage, spec, products, staff["curator"])
            for product_id in ids:
                await _curate_and_publish(
                    session, settings, product_id, staff["curator"], staff["admin"], count
                )
                count += 1
        for spec in SUPPLIERS:
            await _supplier(session, storage, settings, spec, staff, count)
            count += 1
        await session.commit()
    return SeedResult(created=True, products=count)


async def _channels(session: AsyncSession) -> None:
    today = clock.today()
    await create_channel(
        session,
        ChannelCreate(
            code=TOKYO,
            name={
                "id": "Pusat UMKM Indonesia Tokyo",
                "en": "Indonesian MSME Center Tokyo",
                "ja": "インドネシアUMKMセンター東京",
            },  # type: ignore[dict-item]
            kind="showroom",  # type: ignore[arg-type]
            venue="Indonesian MSME Center",
            city="Tokyo",
            country="JP",
            **data.CHANNEL_CONTACTS[TOKYO],
        ),
    )
    await create_channel(
        session,
        ChannelCreate(
            code=JCC,
            name={"id": "Pameran Ekspor JCC", "en": "JCC Export Expo", "ja": "JCC輸出見本市"},  # type: ignore[dict-item]
            kind="exhibition",  # type: ignore[arg-type]
            venue="Jakarta Convention Center",
            city="Jakarta",
            country="ID",
            starts_on=today + timedelta(days=60),
            ends_on=today + timedelta(days=64),
            **data.CHANNEL_CONTACTS[JCC],
        ),
    )


async def _document(
    session: AsyncSession,
    storage: Storage,
    msme: Msme,
    product: Product | None,
    doc_type: str,
    curator_id: uuid.UUID,
) -> None:
    dtype = DOCUMENT_TYPES_BY_CODE[doc_type]
    body = files.pdf(f"{dtype.name['en']} - {msme.brand_name}")
    doc_id = uuid.uuid4()
    key = f"msmes/{msme.id}/documents/{doc_id}"
    await storage.put(key, body, "application/pdf")
    today = clock.today()
    session.add(
        Document(
            id=doc_id,
            msme_id=msme.id,
            product_id=product.id if product else None,
            doc_type=doc_type,
            number=f"{doc_type.upper()}-{str(doc_id)[:8]}",
            issuer="Demo issuer",
            issued_on=today - timedelta(days=30),
            expires_on=today + timedelta(days=730) if dtype.expires else None,
            filename=f"{doc_type}.pdf",
            content_type="application/pdf",
            size=len(body),
            storage_key=key,
            sha256=hashlib.sha256(body).hexdigest(),
            status=DocumentStatus.verified.value,
            uploaded_at=utcnow(),
            verified_at=utcnow(),
            verified_by_id=curator_id,
        )
    )


async def _msme_with_products(
    session: AsyncSession,
    storage: Storage,
    spec: dict[str, Any],
    products: list[dict[str, Any]],
    curator: User,
) -> list[uuid.UUID]:
    curator_id = curator.id
    owner = await create_user(
        session,
        UserCreate(
            email=spec["owner"],
            password=OWNER_PASSWORD,
            full_name=spec["owner_name"],
            role="msme_owner",  # type: ignore[arg-type]
            country="ID",
            preferred_language="id",  # type: ignore[arg-type]
        ),
    )
    fields = {k: v for k, v in spec.items() if k not in ("owner", "owner_name")}
    msme = await create_msme(session, owner, MsmeCreate(**fields))
    await set_verified(session, msme, curator, True)
    msme_docs: set[str] = set()
    ids = []
    for position, p in enumerate(products):
        amount, currency = p["price"]
        body = {k: v for k, v in p.items() if k not in ("msme", "price")}
        body["price"] = {"amount": amount, "currency": currency}
        product = await create_product(
            session, owner, ProductCreate.model_validate({"msme_id": msme.id, **body})
        )
        cat = rules.category(product.category)
        assert cat is not None
        for code in rules.required_documents(cat, product):
            if DOCUMENT_TYPES_BY_CODE[code].scope == "msme":
                if code not in msme_docs:
                    await _document(session, storage, msme, None, code, curator_id)
                    msme_docs.add(code)
            else:
                await _document(session, storage, msme, product, code, curator_id)
        await _image(session, storage, product, position)
        ids.append(product.id)
    await session.flush()
    return ids


async def _supplier(
    session: AsyncSession,
    storage: Storage,
    settings: Settings,
    spec: dict[str, Any],
    staff: dict[str, User],
    index: int,
) -> None:
    """An automotive supplier: its part listed, its capabilities, its approval (§10)."""
    curator = staff["curator"]
    [product_id] = await _msme_with_products(
        session, storage, spec["msme"], [spec["part"]], curator
    )
    product = await session.get_one(Product, product_id)
    msme = await session.get_one(Msme, product.msme_id)
    msme.capabilities = Capabilities.model_validate(spec["capabilities"]).stored()
    # Before publishing: the catalog entry lists the MSME's certificates when it is made.
    for code in spec["certificates"]:
        await _document(session, storage, msme, None, code, curator.id)
    await session.flush()
    await _curate_and_publish(session, settings, product_id, curator, staff["admin"], index)
    checklist = [
        SupplierChecklistItem(criterion=c.code, result=ChecklistResult.pass_)
        for c in SUPPLIER_CRITERIA
    ]
    body = SupplierReviewIn(decision="approve", checklist=checklist, score=spec["score"])  # type: ignore[arg-type]
    await review(session, msme, curator, body)


async def _image(session: AsyncSession, storage: Storage, product: Product, position: int) -> None:
    palette = [(111, 78, 55), (196, 164, 132), (120, 134, 107), (178, 34, 34), (218, 165, 32)]
    body = files.png(64, 64, palette[position % len(palette)])
    media_id = uuid.uuid4()
    key = f"msmes/{product.msme_id}/products/{product.id}/media/{media_id}"
    await storage.put(key, body, "image/png")
    session.add(
        Media(
            id=media_id,
            product_id=product.id,
            filename="photo.png",
            content_type="image/png",
            size=len(body),
            alt=product.name.get("en"),
            position=0,
            storage_key=key,
            status=UploadStatus.uploaded.value,
            uploaded_at=utcnow(),
        )
    )


async def _curate_and_publish(
    session: AsyncSession,
    settings: Settings,
    product_id: uuid.UUID,
    curator: User,
    admin: User,
    index: int,
) -> None:
    product = await get_readable_product(session, curator, product_id, with_msme=True)
    owner = await session.get(User, product.msme.owner_id)
    assert owner is not None
    await transition(session, product, owner, TransitionIn(action="submit"), settings)
    await transition(session, product, curator, TransitionIn(action="start_review"), settings)
    cat = rules.category(product.category)
    assert cat is not None
    checklist = [
        ChecklistItem(criterion=code, result=ChecklistResult.pass_)
        for code in rules.applicable_criteria(cat, product)
    ]
    approve = TransitionIn(action="approve", checklist=checklist, score=78 + index % 20)
    await transition(session, product, curator, approve, settings)
    await publish(
        session, await get_channel(session, TOKYO), ListingCreate(product_id=product_id), admin
    )
    if index % 2 == 0:
        booth = ListingCreate(product_id=product_id, booth=f"Hall A-{index + 1:02d}")
        await publish(session, await get_channel(session, JCC), booth, admin)
