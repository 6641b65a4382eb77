"""Storage upkeep for operators: garbage collection of abandoned uploads, a health check."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.catalog.images import sweep
from app.core.db import utcnow
from app.core.errors import KurasiError
from app.core.storage import Storage
from app.models import Document, Media

PENDING = "pending_upload"


@dataclass
class GcResult:
    media: int = 0
    documents: int = 0
    unpublished_images: int = 0


async def collect_garbage(
    sessions: async_sessionmaker[AsyncSession],
    storage: Storage,
    older_than: timedelta = timedelta(days=1),
) -> GcResult:
    """Delete uploads started but never completed before `older_than` ago, object and row.

    Safe beside a running API: a row is deleted only while it is still pending, so an
    upload completed meanwhile is kept; deleting an object that is gone is a no-op.
    """
    cutoff = utcnow() - older_than
    result = GcResult()
    async with sessions() as session:
        await _abandoned(session, storage, cutoff, result)
    result.unpublished_images = await sweep(sessions, storage)
    return result


async def _abandoned(
    session: AsyncSession, storage: Storage, cutoff: datetime, result: GcResult
) -> None:
    for model in (Media, Document):
        rows = (
            await session.execute(
                select(model.id, model.storage_key).where(
                    model.status == PENDING, model.created_at < cutoff
                )
            )
        ).all()
        for row_id, key in rows:
            gone = await session.execute(
                delete(model).where(model.id == row_id, model.status == PENDING)
            )
            if gone.rowcount:  # type: ignore[attr-defined]
                await storage.delete(key)
                if model is Media:
                    result.media += 1
                else:
                    result.documents += 1
        await session.commit()


@dataclass
class CheckResult:
    steps: list[tuple[str, bool, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(ok for _, ok, _ in self.steps)


async def check(storage: Storage) -> CheckResult:
    """Put, head, get and delete a probe object; each step says what failed and why."""
    result = CheckResult()
    key = f"kurasi-check/{uuid.uuid4()}"
    body = b"%PDF-kurasi storage check"
    steps: list[tuple[str, Callable[[], Awaitable[None]]]] = [
        ("put", lambda: storage.put(key, body, "application/pdf")),
        ("head", lambda: _expect_size(storage, key, len(body))),
        ("get", lambda: _expect_prefix(storage, key, body[:5])),
        ("delete", lambda: storage.delete(key)),
        ("gone", lambda: _expect_missing(storage, key)),
    ]
    for name, step in steps:
        try:
            await step()
        except (KurasiError, ClientError, BotoCoreError, OSError, AssertionError) as exc:
            result.steps.append((name, False, _explain(exc)))
            break
        result.steps.append((name, True, "ok"))
    return result


async def _expect_size(storage: Storage, key: str, size: int) -> None:
    info = await storage.head(key)
    if info is None or info.size != size:
        raise AssertionError(f"the object is missing or has the wrong size: {info}")


async def _expect_prefix(storage: Storage, key: str, prefix: bytes) -> None:
    if not (await storage.read_prefix(key)).startswith(prefix):
        raise AssertionError("the object reads back different bytes")


async def _expect_missing(storage: Storage, key: str) -> None:
    if await storage.head(key) is not None:
        raise AssertionError("the object is still there after delete")


def _explain(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = error.get("Code", "unknown")
        hints = {
            "AccessDenied": "the credentials may not do this on the bucket",
            "NoSuchBucket": "the bucket does not exist",
            "InvalidAccessKeyId": "the access key is not known to the store",
            "SignatureDoesNotMatch": "the secret key is wrong",
        }
        return f"{code}: {hints.get(str(code), error.get('Message', str(exc)))}"
    if isinstance(exc, KurasiError):
        return exc.detail
    return f"{type(exc).__name__}: {exc}"
