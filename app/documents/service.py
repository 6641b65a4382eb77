"""Documents: declared, uploaded to storage, checked on completion, verified by curators."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.access.msmes import msme_visible
from app.catalog.sync import lock, sync
from app.config import Settings
from app.core.db import utcnow
from app.core.errors import Conflict, NotFound, Unprocessable
from app.core.storage import Storage, StoredObjectMismatch, UploadTicket, verify_stored_object
from app.core.uploads import DOCUMENT_TYPES, MAX_DOCUMENT_BYTES, check_declared, upload_out
from app.documents.certification import refresh_certified_until
from app.documents.schemas import DocumentCreate, DocumentOut, DocumentUploadOut, DocumentVerify
from app.events.outbox import EventType, record
from app.files import abandoned
from app.models import Document, Msme, Product, User
from app.models.enums import DocumentStatus, ProductStatus
from app.standards.table import DOCUMENT_TYPES_BY_CODE


def readable_documents(user: User) -> Select[Document]:
    return select(Document).where(msme_visible(user, Document.msme_id))


async def get_readable_document(
    session: AsyncSession, user: User, document_id: uuid.UUID
) -> Document:
    document = await session.scalar(readable_documents(user).where(Document.id == document_id))
    if document is None:
        raise NotFound("No such document")
    return document


def _invalid(field: str, msg: str) -> Unprocessable:
    return Unprocessable(msg, errors=[{"loc": ["body", field], "msg": msg}])


def _check_type(data: DocumentCreate, scope: str) -> None:
    """The type exists, belongs to `scope`, and has an `expires_on` exactly when it expires."""
    doc_type = data.doc_type
    dtype = DOCUMENT_TYPES_BY_CODE.get(doc_type)
    if dtype is None:
        raise _invalid("doc_type", f"unknown document type {doc_type!r}; see GET /api/v1/standards")
    if dtype.scope != scope:
        raise _invalid(
            "doc_type",
            f"{doc_type} is a {dtype.scope}-level document; attach it to the {dtype.scope}",
        )
    if dtype.expires and data.expires_on is None:
        raise _invalid("expires_on", f"required: a {doc_type} document expires")
    if not dtype.expires and data.expires_on is not None:
        raise _invalid("expires_on", f"a {doc_type} document does not expire; leave it out")


async def start_upload(
    session: AsyncSession,
    storage: Storage,
    *,
    msme: Msme,
    product: Product | None,
    data: DocumentCreate,
    base_url: str,
) -> tuple[Document, UploadTicket]:
    _check_type(data, "product" if product else "msme")
    if product is not None and product.status == ProductStatus.archived:
        raise Conflict("The product is archived")
    check_declared(data.content_type, data.size, DOCUMENT_TYPES, MAX_DOCUMENT_BYTES)
    product_id = product.id if product else None
    document_id = uuid.uuid4()
    key = f"msmes/{msme.id}/documents/{document_id}"
    # Signed before the row is written, so that no lock waits on the store.
    ticket = await storage.presign_upload(key, data.content_type, data.size, base_url=base_url)
    # A re-declared document replaces the one never completed (app/files/abandoned.py).
    await abandoned.drop(
        session,
        Document,
        Document.msme_id == msme.id,
        Document.product_id == product_id if product_id else Document.product_id.is_(None),
        or_(
            Document.doc_type == data.doc_type,
            abandoned.expired(Document, storage.upload_seconds),
        ),
        **_scope(msme.id, product_id),
    )
    document = Document(
        id=document_id,
        msme_id=msme.id,
        product_id=product_id,
        storage_key=key,
        status=DocumentStatus.pending_upload.value,
        **data.model_dump(),
    )
    session.add(document)
    await session.flush()
    return document, ticket


async def declare(
    session: AsyncSession,
    storage: Storage,
    *,
    msme: Msme,
    product: Product | None,
    data: DocumentCreate,
    base_url: str,
) -> DocumentUploadOut:
    """A document declared, with the `upload` to send its file with."""
    document, ticket = await start_upload(
        session, storage, msme=msme, product=product, data=data, base_url=base_url
    )
    return DocumentUploadOut(
        document=DocumentOut.model_validate(document), upload=upload_out(ticket)
    )


async def complete_upload(session: AsyncSession, storage: Storage, document: Document) -> Document:
    if document.status != DocumentStatus.pending_upload:
        return document
    try:
        await verify_stored_object(
            storage, document.storage_key, document.size, document.content_type
        )
    except StoredObjectMismatch as exc:
        raise Unprocessable(str(exc)) from exc
    document.sha256 = await storage.sha256(document.storage_key)
    document.status = DocumentStatus.uploaded.value
    document.uploaded_at = utcnow()
    await session.flush()
    return document


async def verify(
    session: AsyncSession,
    settings: Settings,
    document: Document,
    curator: User,
    data: DocumentVerify,
) -> Document:
    if document.status == DocumentStatus.pending_upload:
        raise Conflict("The document's file has not been uploaded yet")
    document.status = data.status.value
    document.note = data.note
    document.verified_at = utcnow()
    document.verified_by_id = curator.id
    await session.flush()
    await _certified(session, settings, document)
    verified = document.status == DocumentStatus.verified
    record(
        session,
        EventType.document_verified if verified else EventType.document_rejected,
        document_id=document.id,
        doc_type=document.doc_type,
        note=document.note,
        **_about(document),
    )
    return document


async def delete(session: AsyncSession, settings: Settings, document: Document) -> None:
    """Remove a document; what it certified is recomputed, and its file goes after the
    commit (app/files/cleanup.py)."""
    await session.delete(document)
    await session.flush()
    await _certified(session, settings, document)
    record(
        session,
        EventType.document_deleted,
        document_id=document.id,
        storage_keys=[document.storage_key],
        **_about(document),
    )


def _about(document: Document) -> dict[str, uuid.UUID]:
    """What a document's events are about: its product, or its MSME's products."""
    return _scope(document.msme_id, document.product_id)


def _scope(msme_id: uuid.UUID, product_id: uuid.UUID | None) -> dict[str, uuid.UUID]:
    if product_id is not None:
        return {"product_id": product_id, "msme_id": msme_id}
    return {"msme_id": msme_id}


async def _certified(session: AsyncSession, settings: Settings, document: Document) -> None:
    """A document decides which products the catalog shows, and their certifications."""
    ids = await lock(
        session,
        select(Product.id).where(
            Product.id == document.product_id
            if document.product_id
            else Product.msme_id == document.msme_id
        ),
    )
    await refresh_certified_until(
        session, settings, msme_id=document.msme_id, product_id=document.product_id
    )
    await sync(session, ids)
