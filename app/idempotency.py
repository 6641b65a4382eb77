"""`Idempotency-Key` for creating calls: a retry returns the first response, creating nothing."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, Unprocessable
from app.models import IdempotencyRecord


@dataclass
class Idempotency:
    key: str | None
    fingerprint: str

    async def replay(self, session: AsyncSession, user_id: uuid.UUID) -> JSONResponse | None:
        """The stored first response for this key, or None when the call is new."""
        if self.key is None:
            return None
        record = await session.scalar(
            select(IdempotencyRecord).where(
                IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == self.key
            )
        )
        if record is None:
            return None
        if record.fingerprint != self.fingerprint:
            raise Unprocessable(
                "This Idempotency-Key was used with another request.",
                errors=[{"loc": ["header", "Idempotency-Key"], "msg": "key reused"}],
            )
        return JSONResponse(
            record.body,
            status_code=record.status_code,
            headers={**record.headers, "Idempotent-Replayed": "true"},
        )

    async def remember(
        self,
        session: AsyncSession,
        user_id: uuid.UUID,
        status_code: int,
        body: BaseModel,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Keep the response, with the `headers` of its own that a replay repeats."""
        if self.key is None:
            return
        session.add(
            IdempotencyRecord(
                user_id=user_id,
                key=self.key,
                fingerprint=self.fingerprint,
                status_code=status_code,
                body=body.model_dump(mode="json"),
                headers=headers or {},
            )
        )
        try:
            await session.flush()
        except IntegrityError as exc:
            raise Conflict("A request with this Idempotency-Key is already in progress.") from exc

    async def run(
        self,
        session: AsyncSession,
        user_id: uuid.UUID,
        create: Callable[[], Awaitable[BaseModel]],
        status_code: int = 201,
    ) -> BaseModel | JSONResponse:
        """The first response to this key if there was one, else `create`'s, kept."""
        if (replay := await self.replay(session, user_id)) is not None:
            return replay
        out = await create()
        await self.remember(session, user_id, status_code, out)
        return out


async def idempotency(
    request: Request,
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=255,
            description="Retry-safe creation: the same key and body return the first response.",
        ),
    ] = None,
) -> Idempotency:
    body = _canonical(await request.body())
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.url.path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return Idempotency(key=key, fingerprint=digest.hexdigest())


def _canonical(body: bytes) -> bytes:
    """JSON bodies compare by content, not by spacing or key order."""
    try:
        return json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        return body


IdempotencyDep = Annotated[Idempotency, Depends(idempotency)]
