from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from app.core.schemas import (
    Day,
    Email,
    Flag,
    InputModel,
    Multilingual,
    Name,
    OutputModel,
    ShortText,
    Unset,
    example,
)
from app.models import Channel, Listing
from app.models.enums import ChannelKind

Code = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64),
    Field(examples=["tokyo-msme-center"]),
]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$", to_upper=True)]
City = Annotated[str, StringConstraints(min_length=1, max_length=100)]
# A number a buyer can dial from abroad: 6 to 20 digits, an optional leading +, and
# spaces, dots, dashes or parentheses between them.
Phone = Annotated[
    str,
    StringConstraints(pattern=r"^\+?\(?[0-9](?:[ ().-]{0,2}[0-9]){5,19}$", max_length=40),
    Field(examples=["+81 3-1234-5678"]),
]


class _Dates(InputModel):
    starts_on: Day | None = None
    ends_on: Day | None = None

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValueError("ends_on comes before starts_on")
        return self


class ChannelCreate(_Dates):
    model_config = example(
        code="jcc-2027",
        name={
            "id": "Pameran Ekspor JCC 2027",
            "en": "JCC Export Exhibition 2027",
            "ja": "JCC輸出展示会2027",
        },
        kind="exhibition",
        venue="Jakarta Convention Center",
        city="Jakarta",
        country="ID",
        starts_on="2027-03-10",
        ends_on="2027-03-14",
        contact_email="expo@kurasi.example",
        contact_phone="+62 21 5725 000",
    )

    code: Code
    name: Name
    kind: ChannelKind
    venue: ShortText | None = None
    city: City | None = None
    country: Country | None = None
    active: Flag = True
    contact_email: Email | None = None
    contact_phone: Phone | None = None

    @model_validator(mode="after")
    def _named(self) -> Self:
        if not self.name:
            raise ValueError("name needs at least one language")
        return self


class ChannelUpdate(_Dates):
    """Fields left out stay; `venue`, `city`, `country`, the dates and the contacts may be
    null."""

    model_config = example(ends_on="2027-03-15")

    name: Unset[Name] = None
    kind: Unset[ChannelKind] = None
    venue: ShortText | None = None
    city: City | None = None
    country: Country | None = None
    active: Unset[Flag] = None
    contact_email: Email | None = None
    contact_phone: Phone | None = None


class ChannelOut(OutputModel):
    id: uuid.UUID
    code: str
    name: Multilingual
    kind: ChannelKind
    venue: str | None
    city: str | None
    country: str | None
    starts_on: date | None
    ends_on: date | None
    active: bool
    contact_email: str | None = Field(
        description="Whom buyers without an account ask about the products shown here"
    )
    contact_phone: str | None
    created_at: datetime


class ListingCreate(InputModel):
    model_config = example(product_id="a1b2c3d4-0000-4000-8000-000000000002", booth="B-12")

    product_id: uuid.UUID
    booth: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None


class ListingOut(OutputModel):
    id: uuid.UUID
    channel: str = Field(description="The channel's code")
    product_id: uuid.UUID
    booth: str | None
    published_at: datetime

    @classmethod
    def of(cls, listing: Listing, channel: Channel) -> ListingOut:
        return cls(
            id=listing.id,
            channel=channel.code,
            product_id=listing.product_id,
            booth=listing.booth,
            published_at=listing.published_at,
        )
