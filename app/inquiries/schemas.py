from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator

from app.catalog.schemas import CatalogItem
from app.core.schemas import (
    EnumName,
    InputModel,
    JsonInteger,
    Money,
    MoneyIn,
    OutputModel,
    example,
)
from app.models.enums import Incoterm, InquiryStatus

Body = Annotated[str, StringConstraints(min_length=1, max_length=5000)]


class InquiryCreate(InputModel):
    model_config = example(
        quantity=1200,
        message="We would like samples of the 250 g pack for our Tokyo stores.",
        incoterm="CIF",
        destination_port="Tokyo",
    )

    quantity: Annotated[int, Field(ge=1, le=1_000_000_000), JsonInteger]
    message: Body
    incoterm: Incoterm | None = None
    destination_port: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    target_price: MoneyIn | None = None


class MessageCreate(InputModel):
    """A message of the thread: `message`, as in the inquiry that opened it."""

    model_config = example(
        message="Samples ship on Monday by air; the CIF Tokyo price for 1,200 packs follows."
    )

    message: Body


class InquiryUpdate(InputModel):
    model_config = example(status="closed")

    status: Annotated[
        Literal[InquiryStatus.closed, InquiryStatus.open], EnumName("InquiryStatusChange")
    ]


class MessageOut(OutputModel):
    id: uuid.UUID
    author_id: uuid.UUID
    author_role: str
    message: str
    created_at: datetime


class InquiryOut(OutputModel):
    id: uuid.UUID
    product_id: uuid.UUID
    msme_id: uuid.UUID
    buyer_id: uuid.UUID
    quantity: int
    message: str
    incoterm: Incoterm | None
    destination_port: str | None
    target_price: Money | None
    status: InquiryStatus
    created_at: datetime
    updated_at: datetime
    messages: list[MessageOut] = Field(description="The thread, oldest first")

    @model_validator(mode="before")
    @classmethod
    def _from_inquiry(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return value
        amount, currency = value.target_price_amount, value.target_price_currency
        data = {
            k: getattr(value, k) for k in cls.model_fields if k not in ("target_price", "messages")
        }
        data["target_price"] = (
            Money.of(Decimal(amount), currency) if amount is not None and currency else None
        )
        data["messages"] = value.__dict__.get("thread", [])
        return data


class ShortlistItemOut(OutputModel):
    product_id: uuid.UUID
    added_at: datetime
    available: bool = Field(description="False once the product has left the catalog")
    product: CatalogItem | None
