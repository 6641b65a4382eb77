"""Webhook subscriptions (SPEC §9): created by admins, each with a secret shown once.

In production a subscription's URL must be `https://` and must not lead to a private,
loopback or link-local address (server-side request forgery): checked when it is
created, and again before each delivery, as the name may resolve elsewhere by then. A
delivery then connects to the very address it checked (`pinned`): resolving the name a
second time to connect would let it answer differently (DNS rebinding).
"""

from __future__ import annotations

import asyncio
import ipaddress
import secrets
import socket
import uuid
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Environment, Settings
from app.core.errors import NotFound, Unprocessable
from app.core.pagination import PageParams, SortKey, paginate
from app.models import User, Webhook, WebhookAttempt
from app.webhooks.schemas import WebhookIn


class UnsafeUrl(Exception):
    """A URL a webhook may not be sent to."""


def _forbidden_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


async def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to now."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


async def check_url(url: str, settings: Settings) -> list[str] | None:
    """Raise UnsafeUrl when `url` may not receive webhooks under these settings; in
    production, the checked addresses to connect to, in the resolver's order."""
    parts = urlsplit(url)
    production = settings.environment == Environment.production
    allowed = {"https"} if production else {"https", "http"}
    if parts.scheme not in allowed:
        raise UnsafeUrl(f"the URL must start with {' or '.join(f'{s}://' for s in allowed)}")
    if not parts.hostname:
        raise UnsafeUrl("the URL has no host")
    if not production:
        return None
    try:
        addresses = await resolve(parts.hostname, parts.port or 443)
    except (OSError, ValueError) as exc:
        raise UnsafeUrl(f"the host {parts.hostname} does not resolve") from exc
    if not addresses:
        raise UnsafeUrl(f"the host {parts.hostname} does not resolve")
    for address in addresses:
        if _forbidden_address(address):
            raise UnsafeUrl(
                "the URL leads to a private, loopback or link-local address, "
                "which webhooks are not sent to"
            )
    return addresses


def pinned(url: str, address: str | None) -> tuple[str, dict[str, str], dict[str, str]]:
    """(URL, headers, httpx extensions) that reach `url`'s host at `address`: the name is
    kept for the Host header and for TLS (SNI and the certificate's check)."""
    parts = urlsplit(url)
    if address is None or parts.hostname is None:
        return url, {}, {}
    host = f"[{address}]" if ":" in address else address
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    if "@" in parts.netloc:
        netloc = f"{parts.netloc.rsplit('@', 1)[0]}@{netloc}"
    name = parts.netloc.rsplit("@", 1)[-1]
    return (
        urlunsplit(parts._replace(netloc=netloc)),
        {"Host": name},
        {"sni_hostname": parts.hostname},
    )


async def create_webhook(
    session: AsyncSession, data: WebhookIn, admin: User, settings: Settings
) -> Webhook:
    try:
        await check_url(data.url, settings)
    except UnsafeUrl as exc:
        raise Unprocessable(
            f"This URL cannot receive webhooks: {exc}.",
            errors=[{"loc": ["body", "url"], "msg": str(exc)}],
        ) from exc
    webhook = Webhook(
        url=data.url,
        events=sorted(set(data.events)),
        description=data.description,
        secret=secrets.token_hex(32),
        created_by=admin.id,
    )
    session.add(webhook)
    await session.flush()
    return webhook


async def list_webhooks(
    session: AsyncSession, page: PageParams, *, secret: str
) -> tuple[list[Webhook], str | None]:
    keys = [SortKey(Webhook.created_at), SortKey(Webhook.id)]
    return await paginate(session, select(Webhook), keys, page, secret=secret, scope="webhooks")


async def get_webhook(session: AsyncSession, webhook_id: uuid.UUID) -> Webhook:
    webhook = await session.get(Webhook, webhook_id)
    if webhook is None:
        raise NotFound("No such webhook")
    return webhook


async def delete_webhook(session: AsyncSession, webhook_id: uuid.UUID) -> None:
    """Remove a subscription, its pending deliveries and its log."""
    webhook = await get_webhook(session, webhook_id)
    await session.execute(delete(Webhook).where(Webhook.id == webhook.id))


async def list_attempts(
    session: AsyncSession, webhook_id: uuid.UUID, page: PageParams, *, secret: str
) -> tuple[list[WebhookAttempt], str | None]:
    """The subscription's delivery attempts, newest first."""
    await get_webhook(session, webhook_id)
    keys = [SortKey(WebhookAttempt.at, True), SortKey(WebhookAttempt.id, True)]
    stmt = select(WebhookAttempt).where(WebhookAttempt.webhook_id == webhook_id)
    return await paginate(
        session, stmt, keys, page, secret=secret, scope=f"webhook-attempts:{webhook_id}"
    )
