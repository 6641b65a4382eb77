"""Mounts every domain router under /api/v1."""

from fastapi import APIRouter

from app.auth.router import router as auth
from app.catalog.router import router as catalog
from app.channels.router import router as channels
from app.curation.router import router as curation
from app.directory.router import router as directory
from app.documents.router import router as documents
from app.exhibition.router import router as catalog_export
from app.files.router import router as files
from app.fx.router import router as fx
from app.imports.router import router as imports
from app.inquiries.router import router as inquiries
from app.mail.router import router as mail
from app.media.router import router as media
from app.msmes.router import router as msmes
from app.notifications.router import router as notifications
from app.products.router import router as products
from app.standards.router import router as standards
from app.stats.router import router as stats
from app.suppliers.router import router as suppliers
from app.users.router import router as users
from app.webhooks.router import router as webhooks

api_router = APIRouter(prefix="/api/v1")
for router in (
    auth,
    users,
    msmes,
    products,
    curation,
    documents,
    media,
    standards,
    channels,
    catalog,
    inquiries,
    fx,
    files,
    stats,
    imports,
    catalog_export,
    webhooks,
    notifications,
    suppliers,
    directory,
    mail,
):
    api_router.include_router(router)
