"""Concurrent writes: approvals and listings of different products, by 1 client and by 8.

Nothing is serialized across products (no global lock), so 8 clients should reach several
times the rate of one. The products are prepared through the app's own services: each is
in review with its required documents verified, for the demo curator to approve over HTTP.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from app.config import Settings
from app.core import clock
from app.core.db import create_engine, create_sessionmaker, utcnow
from app.core.security import hash_password
from app.curation.schemas import TransitionIn
from app.curation.service import transition
from app.demo import data
from app.models import CatalogEntry, Document, Media, User
from app.models.snapshot import RevisionContent
from app.msmes.schemas import MsmeCreate
from app.msmes.service import create_msme, set_verified
from app.products.access import get_readable_product
from app.products.schemas import ProductCreate
from app.products.service import create_product
from app.standards import rules
from app.standards.table import CATEGORIES_BY_CODE, DOCUMENT_TYPES_BY_CODE

CURATOR = "curator@kurasi.example"
ADMIN = "admin@kurasi.example"
COFFEE: dict[str, Any] = {
    "category": "coffee",
    "hs_code": "090121",
    "name": {"id": "Kopi uji", "en": "Bench coffee", "ja": "ベンチコーヒー"},
    "description": {"id": "Kopi.", "en": "Coffee.", "ja": "コーヒー。"},
    "unit": "kg",
    "price": {"amount": "250000.00", "currency": "IDR"},
    "incoterm": "FOB",
    "port_of_loading": "Tanjung Priok",
    "moq": 50,
    "lead_time_days": 21,
    "monthly_capacity": 1000,
    "shelf_life_days": 365,
    "packaging": "Valve bags",
    "net_weight_g": 1000,
}


@dataclass
class Rate:
    name: str
    clients: int
    done: int
    seconds: float
    server_cpu_seconds: float  # the server process's, over the run

    @property
    def per_second(self) -> float:
        return self.done / self.seconds

    @property
    def server_cpu_ms(self) -> float:
        """The server's CPU time per write."""
        return self.server_cpu_seconds / self.done * 1000


def cpu_seconds(pid: int) -> float:
    """User and system time so far of a process and its children (Linux): a server with
    several worker processes counts them all."""
    procs = [pid] + [
        int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p) == pid
    ]
    return sum(_cpu(p) for p in procs)


def _stat(path: Path) -> list[str]:
    try:
        return (path / "stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return []


def _parent(path: Path) -> int | None:
    fields = _stat(path)
    return int(fields[1]) if fields else None


def _cpu(pid: int) -> float:
    fields = _stat(Path(f"/proc/{pid}"))
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") if fields else 0.0


def _document(
    msme_id: uuid.UUID, product_id: uuid.UUID | None, doc_type: str, by: uuid.UUID
) -> Document:
    today = clock.today()
    return Document(
        msme_id=msme_id,
        product_id=product_id,
        doc_type=doc_type,
        number=f"{doc_type}-{uuid.uuid4().hex[:8]}",
        issuer="Bench",
        issued_on=today - timedelta(days=10),
        expires_on=today + timedelta(days=700)
        if DOCUMENT_TYPES_BY_CODE[doc_type].expires
        else None,
        filename=f"{doc_type}.pdf",
        content_type="application/pdf",
        size=1024,
        storage_key=f"bench/{uuid.uuid4()}",
        status="verified",
        uploaded_at=utcnow(),
        verified_at=utcnow(),
        verified_by_id=by,
    )


async def prepare_reviews(database_url: str, count: int) -> list[str]:
    """`count` coffees in review by the demo curator, their documents verified."""
    settings = Settings(database_url=database_url)
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            curator = await session.scalar(select(User).where(User.email == CURATOR))
            assert curator is not None, "load the demo data first (kurasi demo seed)"
            owner = User(
                email=f"bench-{uuid.uuid4().hex[:8]}@bench.kurasi.example",
                password_hash=hash_password(uuid.uuid4().hex),
                full_name="Bench owner",
                role="msme_owner",
            )
            session.add(owner)
            await session.flush()
            spec = dict(data.MSMES[0], nib=f"8{uuid.uuid4().int % 10**12:012d}")
            msme = await create_msme(
                session,
                owner,
                MsmeCreate.model_validate(
                    {k: v for k, v in spec.items() if k not in ("owner", "owner_name")}
                ),
            )
            await set_verified(session, msme, curator, True)
            session.add(_document(msme.id, None, "nib", curator.id))
            ids = []
            for _ in range(count):
                product = await create_product(
                    session, owner, ProductCreate.model_validate({"msme_id": msme.id, **COFFEE})
                )
                cat = CATEGORIES_BY_CODE["coffee"]
                for code in rules.required_documents(cat, product):
                    if DOCUMENT_TYPES_BY_CODE[code].scope == "product":
                        session.add(_document(msme.id, product.id, code, curator.id))
                session.add(
                    Media(
                        product_id=product.id,
                        filename="photo.png",
                        content_type="image/png",
                        size=100,
                        storage_key=f"bench/{uuid.uuid4()}",
                        status="uploaded",
                        uploaded_at=utcnow(),
                    )
                )
                await session.flush()
                loaded = await get_readable_product(session, owner, product.id, with_msme=True)
                await transition(session, loaded, owner, TransitionIn(action="submit"), settings)
                await transition(
                    session, loaded, curator, TransitionIn(action="start_review"), settings
                )
                ids.append(str(product.id))
            await session.commit()
            return ids
    finally:
        await engine.dispose()


async def tokyo_only(database_url: str, count: int) -> list[str]:
    """Listed products shown in the Tokyo showroom alone: to be listed at JCC too."""
    engine = create_engine(Settings(database_url=database_url))
    try:
        async with create_sessionmaker(engine)() as session:
            found = await session.scalars(
                select(CatalogEntry.product_id)
                .where(CatalogEntry.channels == "tokyo-msme-center")
                .limit(count)
            )
            return [str(i) for i in found]
    finally:
        await engine.dispose()


async def token(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    r = await client.post(
        "/api/v1/auth/token", data={"username": email, "password": data.PASSWORDS[email]}
    )
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def _run(clients: int, jobs: list[Any], server_pid: int) -> tuple[float, float]:
    """Wall seconds and the server's CPU seconds to do `jobs` with `clients` at once."""
    queue: asyncio.Queue[Any] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)

    async def client_loop() -> None:
        while not queue.empty():
            await queue.get_nowait()()

    started, cpu = time.perf_counter(), cpu_seconds(server_pid)
    await asyncio.gather(*(client_loop() for _ in range(clients)))
    return time.perf_counter() - started, cpu_seconds(server_pid) - cpu


async def approvals_and_listings(
    url: str, database_url: str, per_run: int, server_pid: int, clients: tuple[int, ...] = (1, 8)
) -> list[Rate]:
    coffee = RevisionContent.model_validate(COFFEE)
    checklist = [
        {"criterion": c, "result": "pass"}
        for c in rules.applicable_criteria(CATEGORIES_BY_CODE["coffee"], coffee)
    ]
    rates = []
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        curator, admin = await token(client, CURATOR), await token(client, ADMIN)

        def approve(pid: str) -> Any:
            async def call() -> None:
                body = {"action": "approve", "checklist": checklist, "score": 85}
                r = await client.post(
                    f"/api/v1/products/{pid}/transitions", json=body, headers=curator
                )
                r.raise_for_status()

            return call

        def publish(pid: str) -> Any:
            async def call() -> None:
                body = {"product_id": pid, "booth": "Bench"}
                r = await client.post(
                    "/api/v1/channels/jcc-export-expo/listings", json=body, headers=admin
                )
                r.raise_for_status()

            return call

        listable = await tokyo_only(database_url, per_run * len(clients))
        for n in clients:
            reviewed = await prepare_reviews(database_url, per_run)
            seconds, cpu = await _run(n, [approve(p) for p in reviewed], server_pid)
            rates.append(
                Rate("approve (POST /products/{id}/transitions)", n, per_run, seconds, cpu)
            )
            batch, listable = listable[:per_run], listable[per_run:]
            seconds, cpu = await _run(n, [publish(p) for p in batch], server_pid)
            rates.append(Rate("list (POST /channels/{code}/listings)", n, len(batch), seconds, cpu))
    return rates
