from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field, PlainSerializer

from app.core.schemas import InputModel, OutputModel, no_float

Rate = Annotated[
    Decimal,
    BeforeValidator(no_float),
    Field(gt=0, max_digits=20, decimal_places=8, examples=["0.0095"]),
    PlainSerializer(lambda d: format(d.normalize(), "f"), return_type=str, when_used="json"),
]


class FxRateIn(InputModel):
    rate_to_jpy: Rate = Field(description="Yen for one unit of the currency, as a decimal string")
    as_of: date


class FxRateOut(OutputModel):
    currency: str
    rate_to_jpy: Rate
    as_of: date
    created_at: datetime
