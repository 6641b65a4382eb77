from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from app.core.schemas import InputModel, Int, OutputModel
from app.core.uploads import ContentType, Filename, Size, UploadOut
from app.products.schemas import MediaOut


class MediaCreate(InputModel):
    filename: Filename
    content_type: ContentType
    size: Size
    alt: Annotated[str, StringConstraints(max_length=300)] | None = None
    position: Annotated[Int, Field(ge=0, le=1000)] | None = None


class MediaUploadOut(OutputModel):
    media: MediaOut
    upload: UploadOut
