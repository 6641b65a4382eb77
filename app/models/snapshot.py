"""What an approval freezes: the content of a product revision, typed and versioned.

Stored as JSON in `revisions.content`; `version` names the shape, so that a later shape
can be told from this one (and migrated) rather than read with guesses.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SpecificationSnapshot(_Frozen):
    name: str
    value: str


class PriceSnapshot(_Frozen):
    amount: Decimal
    currency: str


class MediaSnapshot(_Frozen):
    """An image the product showed when approved."""

    id: uuid.UUID
    alt: str | None = None
    position: int = 0


class RevisionContent(_Frozen):
    version: Literal[1] = 1
    sku: str | None = None
    category: str
    hs_code: str
    name: dict[str, str]
    description: dict[str, str] = {}
    specifications: list[SpecificationSnapshot] = []
    unit: str
    price: PriceSnapshot
    incoterm: str | None = None
    port_of_loading: str | None = None
    moq: int | None = None
    lead_time_days: int | None = None
    monthly_capacity: int | None = None
    shelf_life_days: int | None = None
    packaging: str | None = None
    net_weight_g: int | None = None
    organic_claim: bool = False
    is_electrical: bool = False
    species: str | None = None
    media: list[MediaSnapshot] = []
