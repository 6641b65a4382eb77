"""Removing stored files once the rows that named them are gone (a `kurasi worker` handler).

Deleting a document or an image records an event with its storage key, in the same
transaction as the delete; the file and its public copy go after the commit, so no
request holds locks while the store answers, and a store that is down for a while only
delays the removal. Deleting what is gone already is a no-op, so running it twice is too.
"""

from __future__ import annotations

from app.events.worker import WorkerContext
from app.models import OutboxEvent


async def delete_stored_files(ctx: WorkerContext, event: OutboxEvent) -> None:
    for key in event.payload.get("storage_keys", []):
        await ctx.storage.delete(key)
    for key in event.payload.get("public_keys", []):
        await ctx.storage.make_private(key)
