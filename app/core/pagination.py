"""Keyset pagination with opaque, tamper-checked cursors."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, and_, literal, or_, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from app.core.errors import Unprocessable

T = TypeVar("T")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        """`Page[ProductOut]` is the schema `ProductPage` (pydantic's: `Page_ProductOut_`)."""
        return f"{params[0].__name__.removesuffix('Out')}Page"


@dataclass(frozen=True)
class PageParams:
    limit: int
    cursor: str | None


async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(max_length=1000, description="`next_cursor` of the previous page")
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


def _tag(value: Any) -> list[Any]:
    if value is None:
        return ["n", None]
    if isinstance(value, datetime):
        return ["t", value.isoformat()]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, uuid.UUID):
        return ["u", str(value)]
    if isinstance(value, Decimal):
        return ["m", str(value)]
    if isinstance(value, bool | int):
        return ["i", int(value)]
    if isinstance(value, float):
        return ["f", value]
    return ["s", str(value)]


def _untag(tagged: Any) -> Any:
    tag, raw = tagged
    converters: dict[str, Any] = {
        "n": lambda _: None,
        "t": datetime.fromisoformat,
        "d": date.fromisoformat,
        "u": uuid.UUID,
        "m": Decimal,
        "i": int,
        "f": float,
        "s": str,
    }
    return converters[tag](raw)


def _sign(secret: str, payload: bytes) -> bytes:
    return hmac.new(secret.encode(), payload, hashlib.sha256).digest()[:16]


def _scope_id(scope: str) -> str:
    """A cursor names its list and filter by digest: short, and it reveals nothing."""
    return hashlib.sha256(scope.encode()).hexdigest()[:12]


def encode_cursor(secret: str, scope: str, values: Sequence[Any]) -> str:
    body = [_scope_id(scope), [_tag(v) for v in values]]
    payload = json.dumps(body, separators=(",", ":")).encode()
    token = payload + _sign(secret, payload)
    return base64.urlsafe_b64encode(token).decode().rstrip("=")


def decode_cursor(secret: str, scope: str, cursor: str, arity: int) -> list[Any]:
    invalid = Unprocessable(
        "The cursor is not valid for this list.",
        errors=[{"loc": ["query", "cursor"], "msg": "invalid cursor"}],
    )
    try:
        token = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload, signature = token[:-16], token[-16:]
        if not hmac.compare_digest(signature, _sign(secret, payload)):
            raise invalid
        got_scope, tagged = json.loads(payload)
        if got_scope != _scope_id(scope) or len(tagged) != arity:
            raise invalid
        return [_untag(t) for t in tagged]
    except Unprocessable:
        raise
    except (ValueError, TypeError, KeyError, json.JSONDecodeError) as exc:
        raise invalid from exc


@dataclass(frozen=True)
class SortKey:
    column: InstrumentedAttribute[Any] | ColumnElement[Any]
    descending: bool = False


def keyset_after(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after `values` in the order of `keys`."""
    if len(keys) > 1 and len({k.descending for k in keys}) == 1:
        # A row-value comparison: an index in this order starts right at the cursor,
        # so a late page costs what the first does.
        row = tuple_(*(k.column for k in keys))
        after = tuple_(*(literal(v, k.column.type) for k, v in zip(keys, values, strict=True)))
        return row < after if keys[0].descending else row > after
    clauses = []
    for i, key in enumerate(keys):
        equal = [keys[j].column == values[j] for j in range(i)]
        beyond = key.column < values[i] if key.descending else key.column > values[i]
        clauses.append(and_(*equal, beyond))
    return or_(*clauses)


def order_by(keys: Sequence[SortKey]) -> list[Any]:
    return [k.column.desc() if k.descending else k.column.asc() for k in keys]


def _page(
    rows: list[Any], params: PageParams, secret: str, scope: str, values_of: Any
) -> tuple[list[Any], str | None]:
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    return rows, encode_cursor(secret, scope, values_of(rows[-1]))


def cursor_values(params: PageParams, arity: int, *, secret: str, scope: str) -> list[Any] | None:
    """The sort key values the page starts after; None on the first page."""
    return decode_cursor(secret, scope, params.cursor, arity) if params.cursor else None


def _after_cursor(
    stmt: Select[Any], keys: Sequence[SortKey], params: PageParams, secret: str, scope: str
) -> Select[Any]:
    if (values := cursor_values(params, len(keys), secret=secret, scope=scope)) is not None:
        stmt = stmt.where(keyset_after(keys, values))
    return stmt.order_by(*order_by(keys)).limit(params.limit + 1)


async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    keys: Sequence[SortKey],
    params: PageParams,
    *,
    secret: str,
    scope: str,
) -> tuple[list[Any], str | None]:
    """One page of ORM objects of `stmt` ordered by `keys` (the last key must be unique)."""
    rows = list((await session.scalars(_after_cursor(stmt, keys, params, secret, scope))).all())
    names = [str(k.column.key) for k in keys]  # type: ignore[union-attr]
    return _page(rows, params, secret, scope, lambda last: [getattr(last, n) for n in names])


async def paginate_rows(
    session: AsyncSession,
    stmt: Select[Any],
    keys: Sequence[SortKey],
    params: PageParams,
    *,
    secret: str,
    scope: str,
) -> tuple[list[Any], str | None]:
    """One page of result rows of a multi-column `stmt`; the key values ride along at the end."""
    labelled = stmt.add_columns(*(k.column.label(f"_key{i}") for i, k in enumerate(keys)))
    rows = list((await session.execute(_after_cursor(labelled, keys, params, secret, scope))).all())
    n = len(keys)
    return _page(rows, params, secret, scope, lambda last: list(last[-n:]))
