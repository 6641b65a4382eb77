from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from app.core.schemas import InputModel, JsonInteger, OutputModel, example, named_enum
from app.core.uploads import IMAGE_TYPES, ContentType, Filename, Size, UploadOut
from app.products.schemas import MediaOut


class MediaCreate(InputModel):
    model_config = example(
        filename="gayo-250g-front.jpg",
        content_type="image/jpeg",
        size=482133,
        alt="Front of the 250 g pack",
        position=0,
    )

    filename: Filename
    content_type: Annotated[
        ContentType, Field(json_schema_extra=named_enum("ImageType", IMAGE_TYPES))
    ]
    size: Size
    alt: Annotated[str, StringConstraints(max_length=300)] | None = None
    position: Annotated[int, Field(ge=0, le=1000), JsonInteger] | None = None


class MediaUploadOut(OutputModel):
    media: MediaOut
    upload: UploadOut
