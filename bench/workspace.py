"""The workspace the authenticated scenarios read and write: made once per database.

Generated listings (`kurasi demo seed --products`) belong to owners with unknown passwords
and skip the workflow, so nothing of them is in the curation queue. The bench adds:

- a shop: an owner whose verified MSME has `SHOP_PRODUCTS` products, `QUEUED` of them
  submitted (the curation queue), the rest drafts: the owner's product list and the
  queue under load read these;
- a writer: an owner with a verified MSME and nothing else, whose products the write mix
  creates and takes to approval (handicraft, whose only required document is the MSME's
  NIB, so that no upload is needed on the way).

Both are made through the app's own services, as the API would make them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.core.db import create_engine, create_sessionmaker
from app.core.security import hash_password
from app.curation.schemas import TransitionIn
from app.curation.service import transition
from app.demo import data
from app.models import Msme, Product, User
from app.msmes.schemas import MsmeCreate
from app.msmes.service import create_msme, set_verified
from app.products.access import get_readable_product
from app.products.schemas import ProductCreate
from app.products.service import create_product
from bench.writes import _document

SHOP = "shop@bench.kurasi.example"
WRITER = "writer@bench.kurasi.example"
PASSWORD = "kurasi-bench-2026"
SHOP_PRODUCTS = 200
QUEUED = 80
CURATOR = "curator@kurasi.example"

HANDICRAFT: dict[str, Any] = {
    "category": "handicraft",
    "hs_code": "460212",
    "name": {"id": "Tas rotan uji", "en": "Bench rattan bag", "ja": "ベンチの籐バッグ"},
    "description": {
        "id": "Tas rotan anyaman tangan.",
        "en": "Hand-woven rattan bag.",
        "ja": "手編みの籐バッグ。",
    },
    "unit": "pcs",
    "price": {"amount": "185000.00", "currency": "IDR"},
    "incoterm": "FOB",
    "port_of_loading": "Benoa, Bali",
    "moq": 100,
    "lead_time_days": 30,
    "monthly_capacity": 3000,
    "packaging": "Export carton",
}

PASSWORDS = {**data.PASSWORDS, SHOP: PASSWORD, WRITER: PASSWORD}


@dataclass
class Workspace:
    shop_msme: str
    writer_msme: str


def product_body(msme_id: str | uuid.UUID, n: int) -> dict[str, Any]:
    name = {k: f"{v} {n}" for k, v in HANDICRAFT["name"].items()}
    return {**HANDICRAFT, "msme_id": str(msme_id), "name": name}


async def _owner_with_msme(session: AsyncSession, email: str, curator: User) -> Msme:
    """The owner `email` and their verified MSME with a verified NIB; made when missing."""
    msme = await session.scalar(
        select(Msme).join(User, Msme.owner_id == User.id).where(User.email == email)
    )
    if msme is not None:
        return msme
    owner = User(
        email=email, password_hash=hash_password(PASSWORD), full_name="Bench", role="msme_owner"
    )
    session.add(owner)
    await session.flush()
    spec = dict(data.MSMES[4], nib=f"7{uuid.uuid4().int % 10**12:012d}")
    body = {k: v for k, v in spec.items() if k not in ("owner", "owner_name")}
    msme = await create_msme(session, owner, MsmeCreate.model_validate(body))
    await set_verified(session, msme, curator, True)
    session.add(_document(msme.id, None, "nib", curator.id))
    await session.flush()
    return msme


async def prepare(database_url: str) -> Workspace:
    settings = Settings(database_url=database_url)
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            curator = await session.scalar(select(User).where(User.email == CURATOR))
            assert curator is not None, "load the demo data first (kurasi demo seed)"
            shop = await _owner_with_msme(session, SHOP, curator)
            writer = await _owner_with_msme(session, WRITER, curator)
            owner = await session.get(User, shop.owner_id)
            assert owner is not None
            have = await session.scalar(
                select(func.count()).select_from(Product).where(Product.msme_id == shop.id)
            )
            for n in range(have or 0, SHOP_PRODUCTS):
                product = await create_product(
                    session, owner, ProductCreate.model_validate(product_body(shop.id, n))
                )
                if n < QUEUED:
                    loaded = await get_readable_product(session, owner, product.id, with_msme=True)
                    await transition(
                        session, loaded, owner, TransitionIn(action="submit"), settings
                    )
            await session.commit()
            return Workspace(str(shop.id), str(writer.id))
    finally:
        await engine.dispose()
