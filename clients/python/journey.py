"""A new product's way from an owner's registration to a buyer's inquiry, with the Python
client generated from Kurasi's OpenAPI document (docs/clients.md).

    python clients/python/journey.py http://127.0.0.1:8000   # a server from `make run`

The owner registers; the curator, the admin and the buyer are the demo's accounts
(`kurasi demo seed`). tests/test_clients.py walks it on every `make test`.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from kurasi_client import AuthenticatedClient, Client
from kurasi_client.api.auth import log_in, register
from kurasi_client.api.catalog import list_catalog_products
from kurasi_client.api.channels import publish_listing
from kurasi_client.api.curation import (
    get_product_readiness,
    list_curation_queue,
    transition_product,
)
from kurasi_client.api.documents import (
    complete_document,
    start_msme_document,
    start_product_document,
    verify_document,
)
from kurasi_client.api.inquiries import create_inquiry
from kurasi_client.api.media import complete_media, start_media
from kurasi_client.api.msmes import create_msme, get_msme, verify_msme
from kurasi_client.api.products import create_product, get_product
from kurasi_client.api.standards import get_standards
from kurasi_client.models import (
    CatalogItem,
    CatalogPage,
    Category,
    ChecklistItem,
    ChecklistResult,
    Currency,
    DocumentDecision,
    DocumentFileType,
    DocumentOut,
    DocumentScope,
    DocumentUploadOut,
    DocumentVerify,
    ImageType,
    Incoterm,
    InquiryCreate,
    InquiryOut,
    Language,
    ListingCreate,
    ListingOut,
    LogInForm,
    MediaCreate,
    MediaOut,
    MediaUploadOut,
    MsmeCreate,
    MsmeDocumentCreate,
    MsmeDocumentType,
    MsmeOut,
    MsmeVerify,
    MultilingualDescription,
    PriceIn,
    Problem,
    ProductCreate,
    ProductDocumentCreate,
    ProductDocumentType,
    ProductName,
    ProductOut,
    Province,
    QueueItemPage,
    ReadinessOut,
    RegisterIn,
    RegistrationRole,
    RequirementKind,
    SizeClass,
    Specification,
    StandardsOut,
    Token,
    TransitionAction,
    TransitionIn,
    UploadOut,
    UserOut,
)

T = TypeVar("T")
Say = Callable[[str], object]
# Stand-ins with the right first bytes, which the server checks: a PDF header, a 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def pdf(what: str) -> bytes:
    return f"%PDF-1.4\n% {what}\n".encode()


def ok(answer: T | Problem | None, kind: type[T]) -> T:
    """The typed answer, or the problem document the API sent instead, raised."""
    if isinstance(answer, Problem):
        raise RuntimeError(f"{answer.status} {answer.title}: {answer.detail} {answer.errors}")
    if not isinstance(answer, kind):
        raise RuntimeError(f"expected {kind.__name__}, got {answer!r}")
    return answer


@dataclass(frozen=True)
class Accounts:
    """Who reviews, publishes and buys: the demo's accounts unless told otherwise."""

    curator: tuple[str, str] = ("curator@kurasi.example", "kurasi-curator-2026")
    admin: tuple[str, str] = ("admin@kurasi.example", "kurasi-admin-2026")
    buyer: tuple[str, str] = ("buyer@tokyo-trading.example", "kurasi-buyer-2026")


@dataclass
class Journey:
    """What the steps answered, for whoever walked it to check."""

    owner: UserOut
    msme: MsmeOut
    product: ProductOut
    readiness: ReadinessOut
    documents: list[DocumentOut] = field(default_factory=list)
    image: MediaOut | None = None
    submitted: ProductOut | None = None
    queue: QueueItemPage | None = None
    approved: ProductOut | None = None
    listing: ListingOut | None = None
    catalog: CatalogPage | None = None
    item: CatalogItem | None = None
    inquiry: InquiryOut | None = None


class Kurasi:
    """Clients of one server: anonymous, or logged in as someone."""

    def __init__(self, base_url: str, httpx_args: dict[str, Any] | None = None) -> None:
        self.base_url = base_url
        self.httpx_args = httpx_args or {}
        self.anonymous = Client(base_url=base_url, httpx_args=self.httpx_args)
        self.opened: list[Client | AuthenticatedClient] = [self.anonymous]

    async def log_in(self, email: str, password: str) -> AuthenticatedClient:
        form = LogInForm(username=email, password=password)
        token = ok(await log_in.asyncio(client=self.anonymous, body=form), Token)
        client = AuthenticatedClient(
            base_url=self.base_url, token=token.access_token, httpx_args=self.httpx_args
        )
        self.opened.append(client)
        return client

    async def send(self, upload: UploadOut, filename: str, content: bytes, kind: str) -> None:
        """The file to `upload.url`: every pair of `upload.fields`, then the file as `file`,
        with no `Authorization` header: the signed fields authorize it."""
        store = self.anonymous.get_async_httpx_client()
        files = {"file": (filename, content, kind)}
        answer = await store.post(upload.url, data=upload.fields.to_dict(), files=files)
        answer.raise_for_status()

    async def aclose(self) -> None:
        for client in self.opened:
            await client.get_async_httpx_client().aclose()


async def owner_registers(api: Kurasi, run: str) -> tuple[AuthenticatedClient, Journey]:
    """An owner registers, logs in, and registers the business and a product."""
    email, password = f"rina-{run}@kopi.example", "kopi-rina-2026-panen"
    account = RegisterIn(
        email=email, password=password, full_name="Rina", role=RegistrationRole.MSME_OWNER
    )
    user = ok(await register.asyncio(client=api.anonymous, body=account), UserOut)
    owner = await api.log_in(email, password)
    business = MsmeCreate(
        legal_name="CV Kopi Rina",
        brand_name="Kopi Rina",
        nib=f"{int(run, 16) % 10**13:013d}",
        province=Province.JAWA_BARAT,
        city="Bandung",
        address="Jl. Braga 1",
        size_class=SizeClass.MICRO,
    )
    msme = ok(await create_msme.asyncio(client=owner, body=business), MsmeOut)
    coffee = ProductCreate(
        msme_id=msme.id,
        category=Category.COFFEE,
        hs_code="090121",
        unit="kg",
        name=ProductName(
            id="Kopi Java Preanger", en="Java Preanger coffee", ja="ジャワ・プリアンガーコーヒー"
        ),
        description=MultilingualDescription(id="Kopi sangrai", en="Roasted coffee"),
        specifications=[Specification(name="Roast", value="Medium")],
        price=PriceIn(amount="250000.00", currency=Currency.IDR),
        incoterm=Incoterm.FOB,
        port_of_loading="Tanjung Priok",
        moq=50,
        lead_time_days=21,
        monthly_capacity=1000,
        shelf_life_days=365,
        packaging="Valve bags in cartons",
        net_weight_g=1000,
    )
    product = ok(
        await create_product.asyncio(client=owner, body=coffee, idempotency_key=f"p-{run}"),
        ProductOut,
    )
    readiness = ok(await get_product_readiness.asyncio(product.id, client=owner), ReadinessOut)
    return owner, Journey(user, msme, product, readiness)


async def owner_uploads_and_submits(
    api: Kurasi, owner: AuthenticatedClient, done: Journey, say: Say
) -> None:
    """Every document the product still needs, declared, sent through the `upload` it
    answers, and completed; an image the same way; then the product is submitted."""
    missing = [r for r in done.readiness.requirements if not r.met]
    say(f"readiness {done.readiness.score} missing: {' '.join(r.code for r in missing)}")
    standards = ok(await get_standards.asyncio(client=api.anonymous), StandardsOut)
    types = {t.code: t for t in standards.document_types}
    today = dt.date.today()
    for code in [r.code for r in missing if r.kind == RequirementKind.DOCUMENT]:
        content = pdf(f"{code} of Kopi Rina")
        declared: dict[str, Any] = {
            "number": f"{code}-{done.product.id.hex[:8]}",
            "issuer": "Sucofindo",
            "issued_on": today - dt.timedelta(days=30),
            "filename": f"{code}.pdf",
            "content_type": DocumentFileType.APPLICATIONPDF,
            "size": len(content),
        }
        if types[code].expires:
            declared["expires_on"] = today + dt.timedelta(days=730)
        if types[code].scope == DocumentScope.MSME:
            body = MsmeDocumentCreate(doc_type=MsmeDocumentType(code), **declared)
            started = await start_msme_document.asyncio(done.msme.id, client=owner, body=body)
        else:
            product_body = ProductDocumentCreate(doc_type=ProductDocumentType(code), **declared)
            started = await start_product_document.asyncio(
                done.product.id, client=owner, body=product_body
            )
        answer = ok(started, DocumentUploadOut)
        await api.send(answer.upload, f"{code}.pdf", content, "application/pdf")
        document = ok(
            await complete_document.asyncio(answer.document.id, client=owner), DocumentOut
        )
        done.documents.append(document)
        say(f"{code} {document.status}")
    picture = MediaCreate(
        filename="beans.png", content_type=ImageType.IMAGEPNG, size=len(PNG), alt="Roasted beans"
    )
    image = ok(
        await start_media.asyncio(done.product.id, client=owner, body=picture), MediaUploadOut
    )
    await api.send(image.upload, "beans.png", PNG, "image/png")
    done.image = ok(await complete_media.asyncio(image.media.id, client=owner), MediaOut)
    say(f"image {done.image.status}")
    submit = TransitionIn(action=TransitionAction.SUBMIT)
    done.submitted = ok(
        await transition_product.asyncio(done.product.id, client=owner, body=submit), ProductOut
    )
    say(done.submitted.status)


async def curator_approves(curator: AuthenticatedClient, done: Journey, say: Say) -> None:
    """The curator takes the review, verifies the MSME and each document, and approves
    with a result for every criterion of the category (`not_applicable` for one that
    applies only with a flag this product does not have)."""
    product_id, msme_id = done.product.id, done.msme.id
    done.queue = ok(await list_curation_queue.asyncio(client=curator), QueueItemPage)
    review = TransitionIn(action=TransitionAction.START_REVIEW)
    ok(await transition_product.asyncio(product_id, client=curator, body=review), ProductOut)
    verified_msme = MsmeVerify(verified=True)
    ok(await verify_msme.asyncio(msme_id, client=curator, body=verified_msme), MsmeOut)
    documents = [
        *ok(await get_product.asyncio(product_id, client=curator), ProductOut).documents,
        *ok(await get_msme.asyncio(msme_id, client=curator), MsmeOut).documents,
    ]
    verified = DocumentVerify(status=DocumentDecision.VERIFIED)
    for document in documents:
        ok(await verify_document.asyncio(document.id, client=curator, body=verified), DocumentOut)
    standards = ok(await get_standards.asyncio(client=curator), StandardsOut)
    category = next(c for c in standards.categories if c.code == done.product.category)
    checklist = [
        ChecklistItem(
            criterion=c.code,
            result=ChecklistResult.NOT_APPLICABLE if c.applies_when else ChecklistResult.PASS,
        )
        for c in category.criteria
    ]
    approve = TransitionIn(
        action=TransitionAction.APPROVE, score=86, comment="Ready for Tokyo.", checklist=checklist
    )
    done.approved = ok(
        await transition_product.asyncio(product_id, client=curator, body=approve), ProductOut
    )
    say(done.approved.status)


async def admin_publishes(admin: AuthenticatedClient, done: Journey, say: Say) -> None:
    listing = ListingCreate(product_id=done.product.id, booth="A-12")
    done.listing = ok(
        await publish_listing.asyncio("tokyo-msme-center", client=admin, body=listing),
        ListingOut,
    )
    say(f"listed in {done.listing.channel}")


async def buyer_finds_and_asks(buyer: AuthenticatedClient, done: Journey, say: Say) -> None:
    """The buyer searches the catalog in Japanese and sends an inquiry."""
    done.catalog = ok(
        await list_catalog_products.asyncio(client=buyer, q="preanger", lang=Language.JA),
        CatalogPage,
    )
    done.item = next(i for i in done.catalog.items if i.id == done.product.id)
    price, jpy = done.item.price, done.item.price_jpy
    say(f"{done.item.name} {price.amount} {price.currency} = {jpy and jpy.amount} JPY")
    inquiry = InquiryCreate(
        quantity=200,
        message="サンプルを送っていただけますか",
        incoterm=Incoterm.CIF,
        destination_port="Tokyo",
    )
    done.inquiry = ok(
        await create_inquiry.asyncio(
            done.product.id, client=buyer, body=inquiry, idempotency_key=f"i-{done.product.id}"
        ),
        InquiryOut,
    )
    say(f"inquiry {done.inquiry.status}")


async def walk(
    base_url: str,
    accounts: Accounts | None = None,
    httpx_args: dict[str, Any] | None = None,
    say: Say = print,
) -> Journey:
    """The whole journey against the server at `base_url` (`httpx_args` go to every httpx
    client the generated ones make: a test passes an ASGI transport)."""
    accounts = accounts or Accounts()
    api = Kurasi(base_url, httpx_args)
    try:
        owner, done = await owner_registers(api, uuid.uuid4().hex[:12])
        await owner_uploads_and_submits(api, owner, done, say)
        await curator_approves(await api.log_in(*accounts.curator), done, say)
        await admin_publishes(await api.log_in(*accounts.admin), done, say)
        await buyer_finds_and_asks(await api.log_in(*accounts.buyer), done, say)
        return done
    finally:
        await api.aclose()


if __name__ == "__main__":
    asyncio.run(walk(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"))
