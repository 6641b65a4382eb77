"""Operations endpoints at the root (SPEC §9): is the process up, and can it serve?"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.errors import ServiceUnavailable, responses

logger = logging.getLogger("kurasi")
router = APIRouter(tags=["health"])
OK = "ok"


class Health(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})
    status: str


class Ready(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "ok", "database": "ok", "storage": "ok"}]}
    )
    status: str
    database: str
    storage: str


@router.get("/healthz", response_model=Health, summary="Whether the process runs")
async def check_health() -> Health:
    """200 while the process runs. It touches neither the database nor the storage, so a
    supervisor does not restart a healthy process for an outage of either: see /readyz."""
    return Health(status=OK)


@router.get(
    "/readyz",
    response_model=Ready,
    summary="Whether the database and the file storage answer",
    responses=responses(503),
)
async def check_readiness(request: Request) -> Ready:
    """200 when the database answers a query and the file storage answers a health check,
    each within its timeout; otherwise 503 naming what failed (`checks`), so that a load
    balancer sends requests elsewhere until it is back."""
    state = request.app.state
    seconds = state.settings.db_connect_timeout + 1
    checks = {
        "database": await _check("database", lambda: _database(state.engine), seconds),
        "storage": await _check("storage", state.storage.ping, seconds),
    }
    failed = [name for name, result in checks.items() if result != OK]
    if failed:
        detail = f"Not ready: the {' and the '.join(failed)} did not answer."
        raise ServiceUnavailable(detail, extra={"checks": checks})
    return Ready(status=OK, **checks)


async def _database(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def _check(name: str, probe: Callable[[], Awaitable[None]], seconds: float) -> str:
    try:
        async with asyncio.timeout(seconds):
            await probe()
    except Exception as exc:  # whatever the cause, it does not answer: say so, log why
        logger.warning("readiness: the %s did not answer: %r", name, exc)
        return "unavailable"
    return OK
