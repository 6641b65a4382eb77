from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from app.core import clock
from app.core.schemas import Day, InputModel, OutputModel, ShortText
from app.core.uploads import ContentType, Filename, Size, UploadOut
from app.models.enums import DocumentStatus


class DocumentCreate(InputModel):
    doc_type: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    number: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    issuer: ShortText
    issued_on: Day
    expires_on: Day | None = None
    filename: Filename
    content_type: ContentType
    size: Size

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.issued_on > clock.today():
            raise ValueError("issued_on lies in the future")
        if self.expires_on is not None and self.expires_on <= self.issued_on:
            raise ValueError("expires_on must come after issued_on")
        return self


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
    status: Literal[DocumentStatus.verified, DocumentStatus.rejected]
    note: Annotated[str, StringConstraints(max_length=2000)] | None = Field(default=None)
