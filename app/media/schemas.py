from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from app.core.schemas import InputModel, OutputModel
from app.core.uploads import ContentType, Filename, Size, UploadOut
from app.models.enums import UploadStatus


class MediaCreate(InputModel):
    filename: Filename
    content_type: ContentType
    size: Size
    alt: Annotated[str, StringConstraints(max_length=300)] | None = None
    position: Annotated[int, Field(ge=0, le=1000)] | None = None


class MediaOut(OutputModel):
    id: uuid.UUID
    product_id: uuid.UUID
    filename: str
    content_type: str
    size: int
    alt: str | None
    position: int
    status: UploadStatus
    uploaded_at: datetime | None
    created_at: datetime


class MediaUploadOut(OutputModel):
    media: MediaOut
    upload: UploadOut
