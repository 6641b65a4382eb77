"""Request dependencies of products, shared by the routes that act on one product."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header

IfMatch = Annotated[
    str | None, Header(alias="If-Match", description="ETag of the product as last read")
]
