from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from app.core import clock
from app.core.schemas import (
    Day,
    EnumName,
    InputModel,
    OutputModel,
    ShortText,
    example,
    named_enum,
)
from app.core.uploads import DOCUMENT_TYPES, ContentType, Filename, Size, UploadOut
from app.models.enums import DocumentStatus
from app.standards.table import DOCUMENT_TYPES_BY_CODE


class DocumentCreate(InputModel):
    model_config = example(
        doc_type="halal",
        number="ID00410000123450124",
        issuer="BPJPH",
        issued_on="2026-01-15",
        expires_on="2030-01-15",
        filename="halal-certificate.pdf",
        content_type="application/pdf",
        size=184320,
    )

    doc_type: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    number: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    issuer: ShortText
    issued_on: Day
    expires_on: Day | None = Field(
        default=None,
        description="Required for a type that expires (`expires` in GET /standards), "
        "left out for one that does not",
    )
    filename: Filename
    content_type: Annotated[
        ContentType, Field(json_schema_extra=named_enum("DocumentFileType", DOCUMENT_TYPES))
    ]
    size: Size

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.issued_on > clock.today():
            raise ValueError("issued_on lies in the future")
        if self.expires_on is not None and self.expires_on <= self.issued_on:
            raise ValueError("expires_on must come after issued_on")
        return self


def _codes(scope: str, name: str) -> dict[str, Any]:
    return named_enum(
        name, sorted(c for c, t in DOCUMENT_TYPES_BY_CODE.items() if t.scope == scope)
    )


class ProductDocumentCreate(DocumentCreate):
    """A document about one product: a certificate, a lab report, a label draft."""

    doc_type: Annotated[
        str,
        StringConstraints(min_length=1, max_length=40),
        Field(json_schema_extra=_codes("product", "ProductDocumentType")),
    ]


class MsmeDocumentCreate(DocumentCreate):
    """A business document of the MSME (its NIB, its tax number)."""

    model_config = example(
        doc_type="nib",
        number="9120001234567",
        issuer="OSS RBA",
        issued_on="2021-06-01",
        filename="nib.pdf",
        content_type="application/pdf",
        size=92160,
    )

    doc_type: Annotated[
        str,
        StringConstraints(min_length=1, max_length=40),
        Field(json_schema_extra=_codes("msme", "MsmeDocumentType")),
    ]


class DocumentOut(OutputModel):
    id: uuid.UUID
    msme_id: uuid.UUID
    product_id: uuid.UUID | None
    doc_type: str
    number: str
    issuer: str
    issued_on: date
    expires_on: date | None
    filename: str
    content_type: str
    size: int
    sha256: str | None
    status: DocumentStatus
    note: str | None
    uploaded_at: datetime | None
    verified_at: datetime | None
    created_at: datetime


class DocumentUploadOut(OutputModel):
    document: DocumentOut
    upload: UploadOut


class DocumentVerify(InputModel):
    model_config = example(status="verified", note="Number checked against the BPJPH register")

    status: Annotated[
        Literal[DocumentStatus.verified, DocumentStatus.rejected], EnumName("DocumentDecision")
    ]
    note: Annotated[str, StringConstraints(max_length=2000)] | None = Field(default=None)
