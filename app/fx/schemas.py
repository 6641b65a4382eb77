from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field, PlainSerializer

from app.core.schemas import Day, DecimalText, InputModel, OutputModel, example

# Up to 12 digits and 8 decimals, never zero ("0.0095", "12", "0.00000001"): after
# "0." come k zeros, a non-zero digit and at most 7 - k more digits.
_FRACTION = "|".join(
    "0" * zeros + "[1-9]" + (f"\\d{{0,{7 - zeros}}}" if zeros < 7 else "") for zeros in range(8)
)
RATE = f"^(?:[1-9]\\d{{0,11}}(?:\\.\\d{{1,8}})?|0\\.(?:{_FRACTION}))$"
Rate = Annotated[
    Decimal,
    DecimalText(RATE, "0.0095"),
    PlainSerializer(lambda d: format(d.normalize(), "f"), return_type=str, when_used="json"),
]


class FxRateIn(InputModel):
    model_config = example(rate_to_jpy="0.0095", as_of="2026-12-01")

    rate_to_jpy: Rate = Field(description="Yen for one unit of the currency, as a decimal string")
    as_of: Day


class FxRateOut(OutputModel):
    currency: str
    rate_to_jpy: Rate
    as_of: date
    created_at: datetime
