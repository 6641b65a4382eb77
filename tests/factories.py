"""Test data, built through the services and rules the API itself uses, without HTTP.

Tests speak HTTP for the behaviour they are about; what they stand on (accounts, MSMEs,
products, documents, approvals, listings) is made here, directly through the domain
services in a session of the app's own, and returned in the shape the API gives.
Accounts get a password hash made once, and a session with its token without a login:
argon2 is slow on purpose, and the login itself is tested on its own.
"""

from __future__ import annotations

import itertools
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import Executable, event, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.channels import service as channels
from app.channels.schemas import ChannelCreate, ChannelOut, ListingCreate, ListingOut
from app.core import clock
from app.core.security import hash_password
from app.curation import service as curation
from app.curation.schemas import TransitionIn
from app.demo.files import pdf, png
from app.documents import service as documents
from app.documents.schemas import DocumentCreate, DocumentOut, DocumentVerify
from app.events.worker import Worker, WorkerContext
from app.handlers import HANDLERS
from app.media import service as media_service
from app.media.schemas import MediaCreate
from app.models import Channel, Document, Msme, User
from app.msmes import service as msmes
from app.msmes.access import get_readable_msme
from app.msmes.schemas import MsmeCreate, MsmeOut
from app.products import service as products
from app.products.access import get_readable_product
from app.products.schemas import MediaOut, ProductCreate, ProductOut
from app.standards import rules
from app.standards.table import CATEGORIES_BY_CODE, DOCUMENT_TYPES_BY_CODE, SUPPLIER_CRITERIA
from app.users import sessions

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)


@dataclass
class Actor:
    id: str
    email: str
    role: str
    headers: dict[str, str]


def coffee(**overrides: Any) -> dict[str, Any]:
    """A complete, ready-to-submit coffee product body (without msme_id)."""
    body: dict[str, Any] = {
        "sku": f"KOPI-{next(_counter)}",
        "category": "coffee",
        "hs_code": "090121",
        "name": {
            "id": "Kopi Arabika Gayo sangrai",
            "en": "Roasted Gayo arabica coffee",
            "ja": "ガヨ・アラビカ焙煎コーヒー",
        },
        "description": {"id": "Kopi sangrai medium.", "en": "Medium roast.", "ja": "中煎り。"},
        "specifications": [{"name": "Roast", "value": "Medium"}],
        "unit": "kg",
        "price": {"amount": "285000.00", "currency": "IDR"},
        "incoterm": "FOB",
        "port_of_loading": "Belawan, Medan",
        "moq": 50,
        "lead_time_days": 21,
        "monthly_capacity": 2000,
        "shelf_life_days": 365,
        "packaging": "Valve bag in export carton",
        "net_weight_g": 1000,
    }
    body.update(overrides)
    return body


class _Flags:
    """The flags of a product as the API shows it, for the standards' rules."""

    def __init__(self, product: dict[str, Any]) -> None:
        self.organic_claim = product.get("organic_claim", False)
        self.is_electrical = product.get("is_electrical", False)
        self.species = product.get("species")


class Factory:
    def __init__(self, client: httpx.AsyncClient, app: FastAPI) -> None:
        self.client = client
        self.app = app

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session of the app's own, committed at the end, as a request's is."""
        async with self.app.state.sessionmaker() as session:
            yield session
            await session.commit()

    async def _user(self, session: AsyncSession, actor: Actor) -> User:
        return await session.get_one(User, uuid.UUID(actor.id))

    # -- accounts --------------------------------------------------------------
    async def login(self, email: str, password: str = PASSWORD) -> dict[str, str]:
        r = await self.client.post(
            "/api/v1/auth/token", data={"username": email, "password": password}
        )
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    async def user(self, role: str = "msme_owner", **fields: Any) -> Actor:
        email = fields.pop("email", f"{role}-{next(_counter)}-{uuid.uuid4().hex[:6]}@example.com")
        async with self.session() as session:
            user = User(
                email=email.lower(),
                password_hash=password_hash(),
                full_name=fields.pop("full_name", f"Test {role}"),
                role=role,
                preferred_language=fields.pop("preferred_language", "en"),
                **fields,
            )
            session.add(user)
            await session.flush()
            token = (await sessions.start(session, self.app.state.settings, user)).access_token
        return Actor(str(user.id), user.email, role, {"Authorization": f"Bearer {token}"})

    async def owner(self) -> Actor:
        return await self.user("msme_owner")

    async def buyer(self) -> Actor:
        return await self.user("buyer", company="Tokyo Trading K.K.", country="JP")

    async def curator(self) -> Actor:
        return await self.user("curator")

    async def admin(self) -> Actor:
        return await self.user("admin")

    # -- MSMEs and products ----------------------------------------------------
    async def msme(self, owner: Actor, **overrides: Any) -> dict[str, Any]:
        body = {
            "legal_name": "CV Kopi Gayo Lestari",
            "brand_name": "Gayo Lestari",
            "nib": f"{next(_counter):013d}",
            "province": "Aceh",
            "city": "Takengon",
            "address": "Jl. Lebe Kader 12",
            "size_class": "small",
            "established_year": 2012,
            "employees": 24,
            "description": {"id": "Kopi Gayo", "en": "Gayo coffee"},
            **overrides,
        }
        async with self.session() as session:
            user = await self._user(session, owner)
            msme = await msmes.create_msme(session, user, MsmeCreate.model_validate(body))
            msme = await get_readable_msme(session, user, msme.id, with_documents=True)
            return MsmeOut.model_validate(msme).model_dump(mode="json")

    async def product(
        self, owner: Actor, msme_id: str | None = None, **overrides: Any
    ) -> dict[str, Any]:
        if msme_id is None:
            msme_id = (await self.msme(owner))["id"]
        body = ProductCreate.model_validate({"msme_id": msme_id, **coffee(**overrides)})
        async with self.session() as session:
            user = await self._user(session, owner)
            product = await products.create_product(session, user, body)
        return await self.get_product(owner, str(product.id))

    async def get_product(self, actor: Actor, product_id: str) -> dict[str, Any]:
        async with self.session() as session:
            user = await self._user(session, actor)
            product = await get_readable_product(session, user, uuid.UUID(product_id))
            return ProductOut.model_validate(product).model_dump(mode="json")

    # -- uploads -----------------------------------------------------------------
    async def send_upload(
        self,
        upload: dict[str, Any],
        content: bytes,
        filename: str = "file.bin",
        part_type: str | None = None,
    ) -> httpx.Response:
        """Send a file the way the contract says: every field, then the file as `file`."""
        files = {
            "file": (
                filename,
                content,
                part_type or upload["fields"].get("Content-Type", "application/octet-stream"),
            )
        }
        if upload["url"].startswith(str(self.client.base_url)):
            return await self.client.post(upload["url"], data=upload["fields"], files=files)
        async with httpx.AsyncClient() as store:  # an S3 endpoint: a real HTTP request
            return await store.post(upload["url"], data=upload["fields"], files=files)

    async def document(
        self,
        owner: Actor,
        doc_type: str,
        *,
        product_id: str | None = None,
        msme_id: str | None = None,
        content: bytes | None = None,
        complete: bool = True,
        **overrides: Any,
    ) -> dict[str, Any]:
        """A document declared, its file stored, and (unless `complete` is False) checked."""
        content = content if content is not None else pdf(doc_type)
        today = clock.today()
        dtype = DOCUMENT_TYPES_BY_CODE[doc_type]
        body = DocumentCreate.model_validate(
            {
                "doc_type": doc_type,
                "number": f"{doc_type.upper()}-{next(_counter)}",
                "issuer": "Issuer",
                "issued_on": (today - timedelta(days=10)).isoformat(),
                "expires_on": (today + timedelta(days=365)).isoformat() if dtype.expires else None,
                "filename": f"{doc_type}.pdf",
                "content_type": "application/pdf",
                "size": len(content),
                **overrides,
            }
        )
        storage = self.app.state.storage
        async with self.session() as session:
            user = await self._user(session, owner)
            product = None
            if product_id is not None:
                product = await get_readable_product(session, user, uuid.UUID(product_id))
                msme_id = str(product.msme_id)
            assert msme_id is not None
            msme = await get_readable_msme(session, user, uuid.UUID(msme_id))
            document, _ = await documents.start_upload(
                session,
                storage,
                msme=msme,
                product=product,
                data=body,
                base_url="http://testserver",
            )
            await storage.put(document.storage_key, content, body.content_type)
            if complete:
                document = await documents.complete_upload(session, storage, document)
            return DocumentOut.model_validate(document).model_dump(mode="json")

    async def media(
        self, owner: Actor, product_id: str, content: bytes | None = None
    ) -> dict[str, Any]:
        """An image declared, stored and checked, as an owner's upload would be."""
        content = content if content is not None else png()
        body = MediaCreate(
            filename="photo.png", content_type="image/png", size=len(content), alt="photo"
        )
        storage = self.app.state.storage
        async with self.session() as session:
            user = await self._user(session, owner)
            product = await get_readable_product(session, user, uuid.UUID(product_id))
            media, _ = await media_service.start_upload(
                session, storage, user, product, body, "http://testserver"
            )
            await storage.put(media.storage_key, content, body.content_type)
            media = await media_service.complete_upload(session, storage, user, media)
            return MediaOut.model_validate(media).model_dump(mode="json")

    async def required_documents(
        self, owner: Actor, product: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Upload every document the product's category and flags require."""
        cat = CATEGORIES_BY_CODE[product["category"]]
        docs = []
        for code in rules.required_documents(cat, _Flags(product)):  # type: ignore[arg-type]
            if DOCUMENT_TYPES_BY_CODE[code].scope == "msme":
                docs.append(await self.document(owner, code, msme_id=product["msme_id"]))
            else:
                docs.append(await self.document(owner, code, product_id=product["id"]))
        return docs

    async def ready_product(
        self, owner: Actor, msme_id: str | None = None, **overrides: Any
    ) -> dict[str, Any]:
        product = await self.product(owner, msme_id, **overrides)
        await self.required_documents(owner, product)
        await self.media(owner, product["id"])
        return await self.get_product(owner, product["id"])

    # -- curation ----------------------------------------------------------------
    async def transition(
        self, actor: Actor, product_id: str, action: str, **body: Any
    ) -> httpx.Response:
        """A transition over HTTP, as a client makes it (its answer is what tests check)."""
        return await self.client.post(
            f"/api/v1/products/{product_id}/transitions",
            json={"action": action, **body},
            headers=actor.headers,
        )

    async def _transition(self, actor: Actor, product_id: str, action: str, **body: Any) -> None:
        async with self.session() as session:
            user = await self._user(session, actor)
            product = await get_readable_product(
                session, user, uuid.UUID(product_id), with_msme=True
            )
            data = TransitionIn.model_validate({"action": action, **body})
            await curation.transition(session, product, user, data, self.app.state.settings)

    async def verify_documents(self, curator: Actor, product_id: str) -> None:
        """Verify the product's MSME and every uploaded document of both, as approval needs."""
        async with self.session() as session:
            user = await self._user(session, curator)
            product = await get_readable_product(session, user, uuid.UUID(product_id))
            msme = await session.get_one(Msme, product.msme_id)
            await msmes.set_verified(session, msme, user, True)
            await session.refresh(msme, ["documents"])
            for doc in [*product.documents, *msme.documents]:
                if doc.status == "uploaded":
                    document = await session.get_one(Document, doc.id)
                    await documents.verify(
                        session,
                        self.app.state.settings,
                        document,
                        user,
                        DocumentVerify(status="verified"),  # type: ignore[arg-type]
                    )

    def checklist(self, product: dict[str, Any], result: str = "pass") -> list[dict[str, str]]:
        cat = CATEGORIES_BY_CODE[product["category"]]
        return [
            {"criterion": c, "result": result}
            for c in rules.applicable_criteria(cat, _Flags(product))  # type: ignore[arg-type]
        ]

    async def approved_product(
        self, owner: Actor, curator: Actor, msme_id: str | None = None, **overrides: Any
    ) -> dict[str, Any]:
        product = await self.ready_product(owner, msme_id, **overrides)
        pid = product["id"]
        await self._transition(owner, pid, "submit")
        await self._transition(curator, pid, "start_review")
        await self.verify_documents(curator, pid)
        await self._transition(curator, pid, "approve", checklist=self.checklist(product), score=85)
        return await self.get_product(owner, pid)

    async def channel(
        self, admin: Actor, code: str = "tokyo-msme-center", **overrides: Any
    ) -> dict[str, Any]:
        body = {
            "code": code,
            "name": {"en": "Indonesian MSME Center Tokyo", "ja": "インドネシアUMKMセンター東京"},
            "kind": "showroom",
            "venue": "MSME Center",
            "city": "Tokyo",
            "country": "JP",
            **overrides,
        }
        async with self.session() as session:
            channel = await channels.create_channel(session, ChannelCreate.model_validate(body))
            return ChannelOut.model_validate(channel).model_dump(mode="json")

    async def publish(
        self,
        admin: Actor,
        product_id: str,
        channel: str = "tokyo-msme-center",
        booth: str | None = None,
    ) -> dict[str, Any]:
        async with self.session() as session:
            user = await self._user(session, admin)
            found = await channels.get_channel(session, channel)
            data = ListingCreate(product_id=uuid.UUID(product_id), booth=booth)
            listing = await channels.publish(session, found, data, user)
            return ListingOut.of(listing, found).model_dump(mode="json")

    async def published_product(self, **overrides: Any) -> tuple[dict[str, Any], dict[str, Actor]]:
        """An approved product listed in tokyo-msme-center, with the actors who made it."""
        owner, curator, admin = await self.owner(), await self.curator(), await self.admin()
        product = await self.approved_product(owner, curator, **overrides)
        async with self.session() as session:
            found = select(Channel.id).where(Channel.code == "tokyo-msme-center")
            exists = await session.scalar(found) is not None
        if not exists:
            await self.channel(admin)
        await self.publish(admin, product["id"])
        return product, {"owner": owner, "curator": curator, "admin": admin}

    # -- suppliers (SPEC §10) -----------------------------------------------------
    async def supplier(
        self,
        owner: Actor,
        curator: Actor,
        *,
        capabilities: dict[str, Any],
        certificates: tuple[str, ...] = ("iso9001",),
        score: int = 80,
        decision: str | None = "approve",
        expires_on: str | None = None,
        **msme_fields: Any,
    ) -> dict[str, Any]:
        """An MSME stating `capabilities`, verified with its `certificates`, and its
        supplier review decided (`decision`; None: never reviewed) with every criterion
        passed, over HTTP as owner and curator do."""
        msme = await self.msme(owner, **msme_fields)
        url = f"/api/v1/msmes/{msme['id']}"
        r = await self.client.patch(url, json={"capabilities": capabilities}, headers=owner.headers)
        assert r.status_code == 200, r.text
        dates = {"expires_on": expires_on} if expires_on else {}
        docs = [await self.document(owner, c, msme_id=msme["id"], **dates) for c in certificates]
        async with self.session() as session:
            user = await self._user(session, curator)
            await msmes.set_verified(
                session, await session.get_one(Msme, uuid.UUID(msme["id"])), user, True
            )
            for doc in docs:
                document = await session.get_one(Document, uuid.UUID(doc["id"]))
                verified = DocumentVerify(status="verified")  # type: ignore[arg-type]
                await documents.verify(session, self.app.state.settings, document, user, verified)
        if decision is not None:
            checklist = [{"criterion": c.code, "result": "pass"} for c in SUPPLIER_CRITERIA]
            body = {"decision": decision, "checklist": checklist, "score": score}
            if decision != "approve":
                body["comment"] = "Not yet"
            r = await self.client.post(f"{url}/supplier-review", json=body, headers=curator.headers)
            assert r.status_code in (200, 201), r.text
        return msme

    # -- after the commit ----------------------------------------------------------
    def worker(self, **options: Any) -> Worker:
        """A worker on the app's database and storage, with Kurasi's handlers."""
        context = WorkerContext(
            self.app.state.sessionmaker, self.app.state.storage, self.app.state.settings
        )
        return Worker(context, options.pop("handlers", HANDLERS), **options)

    async def drain(self) -> int:
        """Run every event due now, as `kurasi worker --once` does; how many."""
        worker, done = self.worker(), 0
        while taken := await worker.run_once():
            done += taken
        return done


# -- a team that publishes, and reading the catalog as a buyer -------------------------------


class Team:
    """An owner, a curator and an admin, and the tokyo-msme-center showroom."""

    def __init__(self, factory: Factory, owner: Actor, curator: Actor, admin: Actor) -> None:
        self.factory, self.owner, self.curator, self.admin = factory, owner, curator, admin

    @classmethod
    async def make(cls, factory: Factory) -> Team:
        team = cls(factory, await factory.owner(), await factory.curator(), await factory.admin())
        await factory.channel(team.admin)
        return team

    async def listed(
        self,
        *,
        msme_id: str | None = None,
        channel: str = "tokyo-msme-center",
        booth: str | None = None,
        **overrides: Any,
    ) -> dict[str, Any]:
        """An approved product, published in `channel`."""
        product = await self.factory.approved_product(
            self.owner, self.curator, msme_id, **overrides
        )
        await self.factory.publish(self.admin, product["id"], channel, booth)
        return product

    async def verify(self, doc_id: str) -> None:
        r = await self.factory.client.post(
            f"/api/v1/documents/{doc_id}/verify",
            json={"status": "verified"},
            headers=self.curator.headers,
        )
        assert r.status_code == 200, r.text

    async def revised(self, product_id: str, **changes: Any) -> None:
        """A new revision of a published product, approved: the catalog shows it at once."""
        factory = self.factory
        r = await factory.client.patch(
            f"/api/v1/products/{product_id}", json=changes, headers=self.owner.headers
        )
        assert r.status_code == 200, r.text
        await factory._transition(self.owner, product_id, "submit")
        await factory._transition(self.curator, product_id, "start_review")
        await factory.verify_documents(self.curator, product_id)
        checklist = factory.checklist(r.json())
        await factory._transition(self.curator, product_id, "approve", checklist=checklist)


async def browse(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    r = await client.get("/api/v1/catalog/products", params={"limit": 100, **params})
    assert r.status_code == 200, r.text
    return dict(r.json())


async def every_page(client: httpx.AsyncClient, **params: Any) -> list[str]:
    """The ids of every page of a catalog listing, following the cursors."""
    seen: list[str] = []
    cursor = None
    while True:
        page = await browse(client, **params, **({"cursor": cursor} if cursor else {}))
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


@contextmanager
def days_pass(days: int) -> Iterator[None]:
    """The app's today moves `days` ahead; nothing else happens meanwhile."""
    real = clock.today
    clock.today = lambda: real() + timedelta(days=days)  # type: ignore[method-assign]
    try:
        yield
    finally:
        clock.today = real  # type: ignore[method-assign]


async def ids(client: httpx.AsyncClient, days_later: int = 0, **params: Any) -> set[str]:
    with days_pass(days_later):
        page = await browse(client, **params)
    assert page["next_cursor"] is None
    found = [i["id"] for i in page["items"]]
    assert len(found) == len(set(found))
    return set(found)


async def detail(client: httpx.AsyncClient, product_id: str, **params: Any) -> httpx.Response:
    return await client.get(f"/api/v1/catalog/products/{product_id}", params=params)


async def set_rate(
    client: httpx.AsyncClient, admin: Actor, currency: str, rate: str, as_of: str
) -> None:
    r = await client.put(
        f"/api/v1/fx-rates/{currency}",
        json={"rate_to_jpy": rate, "as_of": as_of},
        headers=admin.headers,
    )
    assert r.status_code == 200, r.text


@contextmanager
def statements_run(app: FastAPI) -> Iterator[list[str]]:
    """The SQL statements the app's engine runs meanwhile, in order."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def in_db(app: FastAPI, statement: Executable) -> None:
    """Change the database behind the API's back: the way time passing would."""
    async with app.state.sessionmaker() as session:
        await session.execute(statement)
        await session.commit()


def facet_counts(page: dict[str, Any], name: str) -> dict[str, int]:
    values = page["facets"][name]
    assert all(v["count"] > 0 and v["label"] for v in values)
    return {v["value"]: v["count"] for v in values}


def counted(items: list[dict[str, Any]], name: str) -> dict[str, int]:
    """What a facet should say of `items`, counted from the items themselves."""
    if name == "category":
        return dict(Counter(i["category"] for i in items))
    if name == "province":
        return dict(Counter(i["msme"]["province"] for i in items))
    if name == "channel":
        return dict(Counter(c["code"] for i in items for c in i["channels"]))
    return dict(Counter(c for i in items for c in i["certifications"]))


FACETS = ("category", "province", "certification", "channel")


async def assert_facets_count_the_results(
    client: httpx.AsyncClient, params: dict[str, Any]
) -> None:
    """Each facet counts what each of its values would give with the other filters kept,
    so that a buyer can switch between its values; without a choice, the results."""
    page = await browse(client, **params)
    for name in FACETS:
        if name in params:
            others = {k: v for k, v in params.items() if k != name}
            expected = counted((await browse(client, **others))["items"], name)
            got = counted(page["items"], name).get(params[name])
            assert got == expected.get(params[name]), (params, name)
        else:
            expected = counted(page["items"], name)
        assert facet_counts(page, name) == expected, (params, name)
