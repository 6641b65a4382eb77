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
                # Made with no images or documents: the collections are read anew.
                await session.refresh(product, ["media", "documents"])
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


# -- the write mix ----------------------------------------------------------------------------

MIX_STEPS = ("create", "patch", "submit", "start_review", "approve")
MIX_TRANSITIONS = ("submit", "start_review", "approve")  # what the audit trail records


@dataclass
class Mix:
    clients: int
    seconds: float
    products: list[tuple[str, int, int]]  # (id, moq patched, version when approved)
    requests: int
    failures: list[str]
    server_cpu_seconds: float
    transitions: int = 0  # audit entries found afterwards for the mix's products
    problems: list[str] | None = None  # what the check afterwards found wrong

    @property
    def transitions_per_second(self) -> float:
        return self.transitions / self.seconds

    def as_dict(self) -> dict[str, Any]:
        return {
            "clients": self.clients,
            "seconds": round(self.seconds, 2),
            "products": len(self.products),
            "requests": self.requests,
            "requests_per_second": round(self.requests / self.seconds, 1),
            "transitions": self.transitions,
            "transitions_per_second": round(self.transitions_per_second, 1),
            "server_cpu_ms_per_request": round(
                self.server_cpu_seconds / max(self.requests, 1) * 1000, 2
            ),
            "failures": self.failures[:20],
            "failure_count": len(self.failures),
            "problems": (self.problems or [])[:20],
            "problem_count": len(self.problems or []),
        }


def mix_checklist() -> list[dict[str, str]]:
    from bench.workspace import HANDICRAFT

    content = RevisionContent.model_validate(HANDICRAFT)
    cat = CATEGORIES_BY_CODE["handicraft"]
    return [{"criterion": c, "result": "pass"} for c in rules.applicable_criteria(cat, content)]


async def write_mix(
    url: str,
    msme_id: str,
    owner: dict[str, str],
    curator: dict[str, str],
    *,
    clients: int,
    seconds: float,
    server_pid: int,
) -> Mix:
    """`clients` at once, each taking product after product from creation to approval
    (create, patch, submit as the owner; start review, approve as the curator) until
    `seconds` have passed; a product begun is finished. Every request sends If-Match with
    the ETag of the one before, as a careful client would."""
    from bench.workspace import product_body

    checklist = mix_checklist()
    done: list[tuple[str, int, int]] = []
    failures: list[str] = []
    requests = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:

        async def step(method: str, path: str, headers: dict[str, str], body: Any) -> Any:
            nonlocal requests
            r = await http.request(method, path, json=body, headers=headers)
            requests += 1
            if r.status_code >= 400:
                raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:200]}")
            return r

        async def one(n: int) -> None:
            r = await step("POST", "/api/v1/products", owner, product_body(msme_id, n))
            pid = r.json()["id"]
            moq = 100 + n % 900
            path = f"/api/v1/products/{pid}"
            r = await step("PATCH", path, {**owner, "If-Match": r.headers["ETag"]}, {"moq": moq})
            moves: list[tuple[str, dict[str, str], dict[str, Any]]] = [
                ("submit", owner, {"action": "submit"}),
                ("start_review", curator, {"action": "start_review"}),
                ("approve", curator, {"action": "approve", "checklist": checklist, "score": 85}),
            ]
            for _, who, body in moves:
                r = await step(
                    "POST", f"{path}/transitions", {**who, "If-Match": r.headers["ETag"]}, body
                )
            done.append((pid, moq, r.json()["version"]))

        counter = iter(range(10**9))
        deadline = time.perf_counter() + seconds

        async def client_loop() -> None:
            while time.perf_counter() < deadline:
                try:
                    await one(next(counter))
                except (RuntimeError, httpx.HTTPError) as exc:
                    failures.append(str(exc))

        started, cpu = time.perf_counter(), cpu_seconds(server_pid)
        await asyncio.gather(*(client_loop() for _ in range(clients)))
        elapsed, cpu = time.perf_counter() - started, cpu_seconds(server_pid) - cpu
    return Mix(clients, elapsed, done, requests, failures, cpu)


def check_mix(database_url: str, mix: Mix) -> None:
    """No update lost: each product the mix finished is approved with its patched MOQ and
    the version its last answer gave, its audit trail holds each of the three transitions
    once (in order, nothing else), and it has one review, decided as approved."""
    import psycopg

    ids = [pid for pid, _, _ in mix.products]
    problems: list[str] = []
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT id::text, status, moq, version, approved_revision_id IS NOT NULL "
            "FROM products WHERE id = ANY(%s::uuid[])",
            (ids,),
        ).fetchall()
        trails: dict[str, list[str]] = {}
        for pid, action in conn.execute(
            "SELECT product_id::text, action FROM transitions "
            "WHERE product_id = ANY(%s::uuid[]) ORDER BY product_id, at, id",
            (ids,),
        ):
            trails.setdefault(pid, []).append(action)
        reviews: dict[str, str] = dict(
            conn.execute(
                "SELECT product_id::text, string_agg(coalesce(decision, 'open'), ',') "
                "FROM reviews WHERE product_id = ANY(%s::uuid[]) GROUP BY product_id",
                (ids,),
            ).fetchall()
        )
    found = {r[0]: r[1:] for r in rows}
    for pid, moq, version in mix.products:
        if pid not in found:
            problems.append(f"{pid}: missing")
            continue
        status, kept_moq, kept_version, revised = found[pid]
        if (status, kept_moq, kept_version, revised) != ("approved", moq, version, True):
            problems.append(
                f"{pid}: {status}, moq {kept_moq} (sent {moq}), version {kept_version} "
                f"(answered {version}), approved revision {revised}"
            )
        if trails.get(pid) != list(MIX_TRANSITIONS):
            problems.append(f"{pid}: audit trail {trails.get(pid)}")
        if reviews.get(pid) != "approve":
            problems.append(f"{pid}: reviews {reviews.get(pid)}")
    mix.transitions = sum(len(t) for t in trails.values())
    mix.problems = problems
