from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from app.core import clock
from app.core.schemas import Description, InputModel, OutputModel, ShortText
from app.documents.schemas import DocumentOut
from app.models.enums import SizeClass
from app.standards.provinces import canonical_province


def _province(value: str) -> str:
    name = canonical_province(value)
    if name is None:
        raise ValueError("not a province of Indonesia")
    return name


def _year(value: int) -> int:
    if value > clock.today().year:
        raise ValueError("the year lies in the future")
    return value


Province = Annotated[
    str,
    StringConstraints(max_length=60),
    AfterValidator(_province),
    Field(examples=["Jawa Barat"], description="Province name, English name or ISO 3166-2 code"),
]
Nib = Annotated[
    str,
    StringConstraints(pattern=r"^\d{13}$"),
    Field(description="Nomor Induk Berusaha: 13 digits"),
]
Npwp = Annotated[
    str, StringConstraints(pattern=r"^\d{15,16}$"), Field(description="15 or 16 digits")
]
Year = Annotated[int, Field(ge=1900), AfterValidator(_year)]


class MsmeCreate(InputModel):
    legal_name: ShortText
    brand_name: ShortText
    nib: Nib
    npwp: Npwp | None = None
    province: Province
    city: ShortText
    address: Annotated[str, StringConstraints(min_length=1, max_length=1000)]
    size_class: SizeClass
    established_year: Year | None = None
    employees: Annotated[int, Field(ge=0, le=10_000)] | None = None
    description: Description = Field(default_factory=dict)


class MsmeUpdate(InputModel):
    legal_name: ShortText | None = None
    brand_name: ShortText | None = None
    nib: Nib | None = None
    npwp: Npwp | None = None
    province: Province | None = None
    city: ShortText | None = None
    address: Annotated[str, StringConstraints(min_length=1, max_length=1000)] | None = None
    size_class: SizeClass | None = None
    established_year: Year | None = None
    employees: Annotated[int, Field(ge=0, le=10_000)] | None = None
    description: Description | None = None


class MsmeVerify(InputModel):
    verified: bool = True


class MsmeOut(OutputModel):
    id: uuid.UUID
    owner_id: uuid.UUID
    legal_name: str
    brand_name: str
    nib: str
    npwp: str | None
    province: str
    city: str
    address: str
    size_class: SizeClass
    established_year: int | None
    employees: int | None
    description: dict[str, str]
    verified: bool
    verified_at: datetime | None
    documents: list[DocumentOut]
    created_at: datetime
    updated_at: datetime


class MsmeBrief(OutputModel):
    """An MSME as shown beside its products."""

    id: uuid.UUID
    brand_name: str
    province: str
    verified: bool
