"""Every ORM model, imported here so that metadata (and Alembic) sees them all."""

from app.core.db import Base
from app.models.auth_session import AuthSession
from app.models.catalog import CatalogCertification, CatalogChannel, CatalogEntry
from app.models.channel import Channel, Listing
from app.models.curation import Review, Transition
from app.models.document import Document
from app.models.fx import FxRate
from app.models.idempotency import IdempotencyRecord
from app.models.inquiry import Inquiry, InquiryMessage, ShortlistItem
from app.models.mail import MailMessage
from app.models.media import Media
from app.models.msme import Msme
from app.models.notification import Notification
from app.models.outbox import OutboxEvent
from app.models.product import Product, Revision
from app.models.supplier import SupplierReview
from app.models.user import User
from app.models.webhook import Webhook, WebhookAttempt, WebhookDelivery

__all__ = [
    "AuthSession",
    "Base",
    "CatalogCertification",
    "CatalogChannel",
    "CatalogEntry",
    "Channel",
    "Document",
    "FxRate",
    "IdempotencyRecord",
    "Inquiry",
    "InquiryMessage",
    "Listing",
    "MailMessage",
    "Media",
    "Msme",
    "Notification",
    "OutboxEvent",
    "Product",
    "Review",
    "Revision",
    "ShortlistItem",
    "SupplierReview",
    "Transition",
    "User",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
]
