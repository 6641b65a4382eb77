"""What `kurasi worker` runs for each kind of event (app/events/worker.py).

A new consequence of an event is one more handler here, not edits across routers.
"""

from __future__ import annotations

from app.catalog.images import publish_images
from app.events.outbox import EventType
from app.events.worker import Handler
from app.files.cleanup import delete_stored_files
from app.notifications.handler import notify
from app.notifications.texts import EVENTS as NOTIFIED
from app.webhooks.delivery import enqueue_webhooks

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
