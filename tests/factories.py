"""Small factories that build test data the way clients do: over HTTP, through the rules."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from app.demo.files import pdf, png
from app.standards import rules
from app.standards.table import CATEGORIES_BY_CODE, DOCUMENT_TYPES_BY_CODE
from app.users.schemas import UserCreate
from app.users.service import create_user

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


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


class Factory:
    def __init__(self, client: httpx.AsyncClient, app: FastAPI) -> None:
        self.client = client
        self.app = app

    # -- accounts --------------------------------------------------------------
    async def login(self, email: str, password: str = PASSWORD) -> dict[str, str]:
        r = await self.client.post(
            "/api/v1/auth/token", data={"username": email, "password": password}
        )
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    async def user(self, role: str = "msme_owner", **fields: Any) -> Actor:
        email = fields.pop("email", f"{role}-{next(_counter)}-{uuid.uuid4().hex[:6]}@example.com")
        full_name = fields.pop("full_name", f"Test {role}")
        if role in ("msme_owner", "buyer"):
            r = await self.client.post(
                "/api/v1/auth/register",
                json={
                    "email": email,
                    "password": PASSWORD,
                    "full_name": full_name,
                    "role": role,
                    **fields,
                },
            )
            assert r.status_code == 201, r.text
            user_id = r.json()["id"]
        else:
            async with self.app.state.sessionmaker() as session:
                user = await create_user(
                    session,
                    UserCreate(
                        email=email, password=PASSWORD, full_name=full_name, role=role, **fields
                    ),
                )
                await session.commit()
                user_id = str(user.id)
        return Actor(id=user_id, email=email, role=role, headers=await self.login(email))

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
        r = await self.client.post("/api/v1/msmes", json=body, headers=owner.headers)
        assert r.status_code == 201, r.text
        return dict(r.json())

    async def product(
        self, owner: Actor, msme_id: str | None = None, **overrides: Any
    ) -> dict[str, Any]:
        if msme_id is None:
            msme_id = (await self.msme(owner))["id"]
        body = coffee(**overrides)
        r = await self.client.post(
            "/api/v1/products", json={"msme_id": msme_id, **body}, headers=owner.headers
        )
        assert r.status_code == 201, r.text
        return dict(r.json())

    async def get_product(self, actor: Actor, product_id: str) -> dict[str, Any]:
        r = await self.client.get(f"/api/v1/products/{product_id}", headers=actor.headers)
        assert r.status_code == 200, r.text
        return dict(r.json())

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
        content = content if content is not None else pdf(doc_type)
        today = date.today()
        dtype = DOCUMENT_TYPES_BY_CODE[doc_type]
        body = {
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
        path = (
            f"/api/v1/products/{product_id}/documents"
            if product_id
            else f"/api/v1/msmes/{msme_id}/documents"
        )
        r = await self.client.post(path, json=body, headers=owner.headers)
        assert r.status_code == 201, r.text
        started = r.json()
        sent = await self.send_upload(started["upload"], content, body["filename"])
        assert sent.status_code == 204, sent.text
        if not complete:
            return dict(started["document"])
        r = await self.client.post(
            f"/api/v1/documents/{started['document']['id']}/complete", headers=owner.headers
        )
        assert r.status_code == 200, r.text
        return dict(r.json())

    async def media(
        self, owner: Actor, product_id: str, content: bytes | None = None
    ) -> dict[str, Any]:
        content = content if content is not None else png()
        body = {
            "filename": "photo.png",
            "content_type": "image/png",
            "size": len(content),
            "alt": "photo",
        }
        r = await self.client.post(
            f"/api/v1/products/{product_id}/media", json=body, headers=owner.headers
        )
        assert r.status_code == 201, r.text
        started = r.json()
        sent = await self.send_upload(started["upload"], content, "photo.png")
        assert sent.status_code == 204, sent.text
        r = await self.client.post(
            f"/api/v1/media/{started['media']['id']}/complete", headers=owner.headers
        )
        assert r.status_code == 200, r.text
        return dict(r.json())

    async def required_documents(
        self, owner: Actor, product: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Upload every document the product's category and flags require."""
        cat = CATEGORIES_BY_CODE[product["category"]]

        class _Flags:
            organic_claim = product.get("organic_claim", False)
            is_electrical = product.get("is_electrical", False)
            species = product.get("species")

        docs = []
        for code in rules.required_documents(cat, _Flags()):  # type: ignore[arg-type]
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
        return await self.client.post(
            f"/api/v1/products/{product_id}/transitions",
            json={"action": action, **body},
            headers=actor.headers,
        )

    async def verify_documents(self, curator: Actor, product_id: str) -> None:
        product = await self.get_product(curator, product_id)
        msme = (
            await self.client.get(f"/api/v1/msmes/{product['msme_id']}", headers=curator.headers)
        ).json()
        for doc in [*product["documents"], *msme["documents"]]:
            if doc["status"] == "uploaded":
                r = await self.client.post(
                    f"/api/v1/documents/{doc['id']}/verify",
                    json={"status": "verified"},
                    headers=curator.headers,
                )
                assert r.status_code == 200, r.text

    def checklist(self, product: dict[str, Any], result: str = "pass") -> list[dict[str, str]]:
        cat = CATEGORIES_BY_CODE[product["category"]]

        class _Flags:
            organic_claim = product.get("organic_claim", False)
            is_electrical = product.get("is_electrical", False)
            species = product.get("species")

        return [
            {"criterion": c, "result": result} for c in rules.applicable_criteria(cat, _Flags())
        ]  # type: ignore[arg-type]

    async def approved_product(
        self, owner: Actor, curator: Actor, msme_id: str | None = None, **overrides: Any
    ) -> dict[str, Any]:
        product = await self.ready_product(owner, msme_id, **overrides)
        pid = product["id"]
        assert (await self.transition(owner, pid, "submit")).status_code == 200
        assert (await self.transition(curator, pid, "start_review")).status_code == 200
        await self.verify_documents(curator, pid)
        r = await self.transition(
            curator, pid, "approve", checklist=self.checklist(product), score=85
        )
        assert r.status_code == 200, r.text
        return dict(r.json())

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
        r = await self.client.post("/api/v1/channels", json=body, headers=admin.headers)
        assert r.status_code == 201, r.text
        return dict(r.json())

    async def publish(
        self, admin: Actor, product_id: str, channel: str = "tokyo-msme-center"
    ) -> dict[str, Any]:
        r = await self.client.post(
            f"/api/v1/channels/{channel}/listings",
            json={"product_id": product_id},
            headers=admin.headers,
        )
        assert r.status_code == 201, r.text
        return dict(r.json())

    async def published_product(self, **overrides: Any) -> tuple[dict[str, Any], dict[str, Actor]]:
        """An approved product listed in tokyo-msme-center, with the actors who made it."""
        owner, curator, admin = await self.owner(), await self.curator(), await self.admin()
        product = await self.approved_product(owner, curator, **overrides)
        codes = [
            c["code"] for c in (await self.client.get("/api/v1/channels?limit=100")).json()["items"]
        ]
        if "tokyo-msme-center" not in codes:
            await self.channel(admin)
        await self.publish(admin, product["id"])
        return product, {"owner": owner, "curator": curator, "admin": admin}
