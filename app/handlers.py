"""What `kurasi worker` runs: the handlers of each kind of event (app/events/worker.py),
and the passes beside them (webhook deliveries, mail, the document expiry sweep).

A new consequence of an event is one more handler here, not edits across routers.
"""

from __future__ import annotations

import asyncio

from app.catalog.images import publish_images
from app.documents.expiry import ExpirySweep
from app.events.outbox import EventType
from app.events.worker import Handler, Worker, WorkerContext
from app.files.cleanup import delete_stored_files
from app.mail.mailer import Mailer
from app.notifications.handler import notify
from app.notifications.texts import EVENTS as NOTIFIED
from app.webhooks.delivery import Deliverer, enqueue_webhooks

HANDLERS: dict[str, tuple[Handler, ...]] = {
    # What the catalog shows changed: public copies of images follow.
    EventType.product_approved: (publish_images,),
    EventType.product_archived: (publish_images,),
    EventType.listing_published: (publish_images,),
    EventType.listing_unpublished: (publish_images,),
    EventType.channel_opened: (publish_images,),
    EventType.channel_closed: (publish_images,),
    EventType.document_verified: (publish_images,),
    EventType.document_rejected: (publish_images,),
    EventType.document_deleted: (publish_images, delete_stored_files),
    EventType.media_deleted: (delete_stored_files,),
}

# Partner systems subscribed to an event hear of it (app/webhooks).
for _type in EventType:
    HANDLERS[_type] = (*HANDLERS.get(_type, ()), enqueue_webhooks)

# The people concerned hear of it in the app (app/notifications).
for _type in EventType:
    if _type in NOTIFIED:
        HANDLERS[_type] = (*HANDLERS.get(_type, ()), notify)


async def run_background(
    context: WorkerContext, stop: asyncio.Event, wake: asyncio.Event | None = None
) -> None:
    """Every pass of `kurasi worker` (or the worker inside `kurasi serve`), until `stop`;
    `wake` (set after a commit that recorded events) cuts the event worker's wait short."""
    await asyncio.gather(
        Worker(context, HANDLERS).run(stop, wake),
        Deliverer(context).run(stop),
        ExpirySweep(context).run(stop),
        Mailer(context).run(stop),
    )


async def run_due(context: WorkerContext) -> None:
    """What is due now, until nothing is (`kurasi worker --once`)."""
    worker, deliverer, mailer = Worker(context, HANDLERS), Deliverer(context), Mailer(context)
    await ExpirySweep(context).run_once()
    while await worker.run_once() + await deliverer.run_once() + await mailer.run_once():
        pass
