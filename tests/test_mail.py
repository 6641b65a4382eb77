"""Email (SPEC §9) through a real SMTP server on loopback (aiosmtpd): who gets which mail in
which language, retries while the server is down or answers 4xx, a 5xx recorded and
retried by an admin, STARTTLS and implicit TLS with a private CA, and curators' digest."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fastapi import FastAPI
from pydantic import ValidationError
from sqlalchemy import func, select

from app.config import Settings
from app.core import clock
from app.events.worker import Worker, WorkerContext
from app.handlers import HANDLERS
from app.mail.digest import digest_moment
from app.mail.mailer import Mailer
from app.models import MailMessage, OutboxEvent
from app.notifications.handler import notify
from tests.factories import Actor, Factory
from tests.test_inquiries import ask, say

MAIL = "/api/v1/mail-messages"


@dataclass
class Inbox:
    """What the server received, and the answers it is told to give instead of 250."""

    port: int
    received: list[EmailMessage] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # recipient -> answer to RCPT
    delay: float = 0.0  # seconds before answering DATA
    controller: Controller | None = None

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if m["To"].addresses[0].addr_spec == address]


class Collect:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.inbox.refuse:
            return self.inbox.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        await asyncio.sleep(self.inbox.delay)
        content = envelope.original_content or b""
        self.inbox.received.append(
            message_from_bytes(content, policy=policy.default)  # type: ignore[arg-type]
        )
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(inbox: Inbox, **options: Any) -> None:
    inbox.controller = Controller(Collect(inbox), hostname="127.0.0.1", port=inbox.port, **options)
    inbox.controller.start()


def stop(inbox: Inbox) -> None:
    if inbox.controller is not None:
        inbox.controller.stop()
        inbox.controller = None


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    box = Inbox(port=free_port())
    start(box)
    yield box
    stop(box)


def mail_context(app: FastAPI, url: str | None, **settings: Any) -> WorkerContext:
    updated = app.state.settings.model_copy(update={"smtp_url": url, **settings})
    return WorkerContext(app.state.sessionmaker, app.state.storage, updated)


async def run(context: WorkerContext, mailer: Mailer | None = None) -> int:
    """`kurasi worker --once` with mail: the events' handlers, then the mail due now."""
    worker, mailer = Worker(context, HANDLERS), mailer or Mailer(context)
    done = 0
    while taken := await worker.run_once() + await mailer.run_once():
        done += taken
    return done


async def queued(factory: Factory) -> list[MailMessage]:
    async with factory.session() as session:
        return list((await session.scalars(select(MailMessage))).all())


async def me(client: httpx.AsyncClient, actor: Actor, **changes: Any) -> dict[str, Any]:
    r = await client.patch("/api/v1/users/me", json=changes, headers=actor.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.at = clock.now()
        monkeypatch.setattr(clock, "now", lambda: self.at)

    def advance(self, delta: timedelta) -> None:
        self.at += delta


def text(message: EmailMessage) -> str:
    body = message.get_body()
    assert body is not None
    return str(body.get_content())


async def test_each_mail_reaches_its_reader_in_their_language(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI, inbox: Inbox
) -> None:
    product, actors = await factory.published_product()
    owner, curator, buyer = actors["owner"], actors["curator"], await factory.buyer()
    assert (await me(client, owner, preferred_language="ja"))["submission_mail"] == "each"
    await me(client, curator, preferred_language="id")
    r = await ask(client, buyer, product["id"])
    assert r.status_code == 201, r.text
    inquiry = r.json()["id"]
    assert (await say(client, owner, inquiry, "Samples ship Monday.")).status_code == 201

    context = mail_context(app, f"smtp://127.0.0.1:{inbox.port}")
    await run(context)
    assert len(inbox.received) == 9  # the product's four document decisions among them
    (submitted,) = inbox.to(curator.email)
    assert submitted["Subject"] == "Diajukan untuk ditinjau: Kopi Arabika Gayo sangrai"
    assert text(submitted).rstrip().endswith(f"/api/v1/products/{product['id']}")
    told = {m["Subject"]: m for m in inbox.to(owner.email)}
    assert set(told) == {
        "書類確認済み: ガヨ・アラビカ焙煎コーヒー",
        "書類確認済み: Gayo Lestari",  # the MSME's own document: its brand
        "承認されました: ガヨ・アラビカ焙煎コーヒー",
        "掲載されました: ガヨ・アラビカ焙煎コーヒー",
        "新しい引き合い: ガヨ・アラビカ焙煎コーヒー",
    }
    assert "サンプルを10kgお願いします。" in text(
        told["新しい引き合い: ガヨ・アラビカ焙煎コーヒー"]
    )
    (answer,) = inbox.to(buyer.email)
    assert answer["Subject"] == "New message: Roasted Gayo arabica coffee"
    assert "Samples ship Monday." in text(answer)
    assert f"/api/v1/inquiries/{inquiry}" in text(answer)
    assert answer["From"] == "Kurasi <noreply@kurasi.example>" and answer["Date"]
    rows = {str(m.id): m for m in await queued(factory)}
    assert {m["Message-ID"].strip("<>").partition("@")[0] for m in inbox.received} == set(rows)
    assert {m.status for m in rows.values()} == {"sent"}

    # A retried handler queues nothing more, and nothing is sent twice.
    async with factory.session() as session:
        event = await session.scalar(
            select(OutboxEvent).where(OutboxEvent.type == "inquiry.message")
        )
    assert event is not None
    for handler in HANDLERS["inquiry.message"]:
        await handler(context, event)
    assert await run(context) == 0 and len(inbox.received) == 9


async def test_without_a_mail_server_nothing_is_queued(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI
) -> None:
    owner, _ = await factory.owner(), await factory.curator()
    product = await factory.ready_product(owner)
    assert (await factory.transition(owner, product["id"], "submit")).status_code == 200
    assert await run(mail_context(app, None)) == 1  # the event; no mail
    assert await queued(factory) == []


def test_the_smtp_url_is_checked_when_the_settings_are_read() -> None:
    for wrong in ("http://mail.example", "smtp://", "smtp://h:99999", "smtps://h?starttls=true"):
        with pytest.raises(ValidationError, match="KURASI_SMTP_URL"):
            Settings(smtp_url=wrong)
    target = Settings(smtp_url="smtp://a%40b:p%3Aw%2F@mail.example:587?starttls=true").smtp
    assert target is not None and (target.user, target.password) == ("a@b", "p:w/")
    assert target.starttls and "p:w/" not in repr(target)
    with pytest.raises(ValidationError, match="KURASI_MAIL_FROM"):
        Settings(mail_from="nobody")


async def test_mail_waits_for_a_server_that_is_down_and_arrives_once(
    client: httpx.AsyncClient,
    factory: Factory,
    app: FastAPI,
    inbox: Inbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = Clock(monkeypatch)
    stop(inbox)
    owner, curators = await factory.owner(), [await factory.curator() for _ in range(2)]
    for _ in range(2):
        product = await factory.ready_product(owner)
        assert (await factory.transition(owner, product["id"], "submit")).status_code == 200
    context = mail_context(app, f"smtp://127.0.0.1:{inbox.port}")
    await run(context)
    await run(context)  # not due again yet
    rows = await queued(factory)
    assert len(rows) == 4
    assert all(m.status == "pending" and m.attempts == 1 for m in rows)
    assert all(m.last_error and "Connection refused" in m.last_error for m in rows)

    # While the server cannot be reached, tried every 30 s (and a quarter at most): the
    # delay does not grow as it does for a server answering "try later".
    for attempt in range(2, 7):
        now.advance(timedelta(seconds=40))
        await run(context)
        assert all(m.attempts == attempt for m in await queued(factory))

    start(inbox)
    now.advance(timedelta(seconds=40))
    assert await run(context) == 4
    assert sorted(m["To"].addresses[0].addr_spec for m in inbox.received) == sorted(
        2 * [c.email for c in curators]
    )
    now.advance(timedelta(hours=2))
    assert await run(context) == 0
    assert len(inbox.received) == 4
    assert {(m.status, m.attempts, m.last_error) for m in await queued(factory)} == {
        ("sent", 7, None)
    }


async def test_a_worker_killed_mid_send_leaves_the_mail_to_the_next(
    client: httpx.AsyncClient,
    factory: Factory,
    app: FastAPI,
    inbox: Inbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = Clock(monkeypatch)
    owner, curator = await factory.owner(), await factory.curator()
    product = await factory.ready_product(owner)
    assert (await factory.transition(owner, product["id"], "submit")).status_code == 200
    context = mail_context(app, f"smtp://127.0.0.1:{inbox.port}")
    await Worker(context, HANDLERS).run_once()
    killed = Mailer(context)
    assert len(await killed.take()) == 1  # taken, then the process dies
    assert await run(context) == 0  # leased: no other worker takes it
    now.advance(killed.lease + timedelta(seconds=1))
    assert await run(context) == 1
    (sent,) = inbox.received
    assert sent["To"].addresses[0].addr_spec == curator.email
    ((status, attempts),) = {(m.status, m.attempts) for m in await queued(factory)}
    assert (status, attempts) == ("sent", 2)


async def test_a_batch_stops_sending_before_its_lease_ends(
    factory: Factory, app: FastAPI, inbox: Inbox
) -> None:
    """A server so slow that the batch would outlast its lease: what is left waits for a
    later pass, so no other worker takes a message this one may still be sending."""
    owner, curators = await factory.owner(), [await factory.curator() for _ in range(3)]
    product = await factory.ready_product(owner)
    assert (await factory.transition(owner, product["id"], "submit")).status_code == 200
    context = mail_context(app, f"smtp://127.0.0.1:{inbox.port}")
    await Worker(context, HANDLERS).run_once()
    inbox.delay = 0.3
    mailer = Mailer(context, lease=timedelta(seconds=0.4))  # stops sending after 0.2 s
    assert await mailer.run_once() == len(curators)
    assert len(inbox.received) == 1
    left = [m for m in await queued(factory) if m.status == "pending"]
    assert len(left) == len(curators) - 1
    assert all("too slow" in (m.last_error or "") for m in left)


async def test_a_5xx_fails_at_once_and_an_admin_sends_it_again(
    client: httpx.AsyncClient,
    factory: Factory,
    app: FastAPI,
    inbox: Inbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = Clock(monkeypatch)
    owner, gone, busy = await factory.owner(), await factory.curator(), await factory.curator()
    admin = await factory.admin()
    inbox.refuse = {gone.email: "550 5.1.1 no such user", busy.email: "451 4.3.0 try later"}
    product = await factory.ready_product(owner)
    assert (await factory.transition(owner, product["id"], "submit")).status_code == 200
    context = mail_context(app, f"smtp://127.0.0.1:{inbox.port}")
    await run(context)
    assert inbox.received == []

    r = await client.get(MAIL, params={"status": "failed"}, headers=admin.headers)
    assert r.status_code == 200, r.text
    (failed,) = r.json()["items"]
    assert failed["to"] == gone.email and failed["event"] == "product.submitted"
    assert failed["last_error"] == "550 5.1.1 no such user"
    assert failed["attempts"] == 1 and failed["sent_at"] is None
    assert "Roasted Gayo arabica coffee" in failed["subject"]
    r = await client.get(MAIL, params={"status": "pending"}, headers=admin.headers)
    (waiting,) = r.json()["items"]
    assert waiting["to"] == busy.email and waiting["last_error"] == "451 4.3.0 try later"
    assert (await client.get(MAIL, headers=owner.headers)).status_code == 403
    assert (await client.get(MAIL)).status_code == 401

    retry = f"{MAIL}/{failed['id']}/retry"
    assert (await client.post(retry, headers=gone.headers)).status_code == 403
    assert (
        await client.post(f"{MAIL}/{waiting['id']}/retry", headers=admin.headers)
    ).status_code == 409
    assert (
        await client.post(f"{MAIL}/{uuid.uuid4()}/retry", headers=admin.headers)
    ).status_code == 404
    # "Try later" for longer than the window (72 hours): failed too.
    now.advance(timedelta(hours=73))
    await run(context)
    r = await client.get(MAIL, params={"status": "failed"}, headers=admin.headers)
    given_up = {m["to"]: m for m in r.json()["items"]}
    assert set(given_up) == {gone.email, busy.email}
    assert given_up[busy.email]["last_error"] == "451 4.3.0 try later"

    inbox.refuse = {}
    r = await client.post(retry, headers=admin.headers)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["attempts"]) == ("pending", 0)
    assert (await client.post(retry, headers=admin.headers)).status_code == 409
    assert (
        await client.post(f"{MAIL}/{waiting['id']}/retry", headers=admin.headers)
    ).status_code == 200
    await run(context)
    assert sorted(m["To"].addresses[0].addr_spec for m in inbox.received) == sorted(
        [gone.email, busy.email]
    )
    r = await client.get(MAIL, params={"status": "sent"}, headers=admin.headers)
    assert {m["to"] for m in r.json()["items"]} == {gone.email, busy.email}


async def test_two_workers_send_each_mail_once(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI, inbox: Inbox
) -> None:
    if app.state.engine.dialect.name == "sqlite":
        pytest.skip("one worker on SQLite: taking is serialized there")
    owner, curator = await factory.owner(), await factory.curator()
    product = await factory.approved_product(owner, curator)
    context = mail_context(app, f"smtp://127.0.0.1:{inbox.port}")
    await Worker(context, HANDLERS).run_once()  # its own events, whose mail is not counted
    async with factory.session() as session:
        await session.execute(MailMessage.__table__.delete())
        session.add_all(
            OutboxEvent(type="product.approved", payload={"product_id": product["id"], "n": n})
            for n in range(200)
        )
    # Only the handler that queues mail: the others have their own tests.
    worker = Worker(context, {"product.approved": (notify,)}, batch=200)
    while await worker.run_once():
        pass
    assert len(await queued(factory)) == 200
    mailers = [Mailer(context, batch=25) for _ in range(2)]

    async def work(mailer: Mailer) -> None:
        while await mailer.run_once():
            pass

    await asyncio.gather(*(work(m) for m in mailers))
    ids = [m["Message-ID"] for m in inbox.received]
    assert len(ids) == len(set(ids)) == 200


# -- TLS -------------------------------------------------------------------------------


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (its own CA), and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Kurasi test mail")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


async def test_starttls_with_login_and_implicit_tls_verify_the_private_ca(
    client: httpx.AsyncClient,
    factory: Factory,
    app: FastAPI,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = Clock(monkeypatch)
    cert_file, key_file = certificate(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert_file, key_file)
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(
        server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        logins.append((data.login, data.password))
        return AuthResult(success=(data.login, data.password) == (b"kurasi@mail", b"p:a/ss"))

    starttls, implicit = Inbox(port=free_port()), Inbox(port=free_port())
    start(
        starttls,
        tls_context=server_tls,
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
    )
    start(implicit, ssl_context=server_tls)
    try:
        owner, curator = await factory.owner(), await factory.curator()
        product = await factory.ready_product(owner)
        assert (await factory.transition(owner, product["id"], "submit")).status_code == 200
        url = f"smtp://kurasi%40mail:p%3Aa%2Fss@127.0.0.1:{starttls.port}?starttls=true"
        # The system's CAs do not know this one: refused, and tried again later.
        await run(mail_context(app, url))
        (row,) = await queued(factory)
        assert row.status == "pending" and "CERTIFICATE_VERIFY_FAILED" in (row.last_error or "")
        assert starttls.received == []

        now.advance(timedelta(minutes=1))
        await run(mail_context(app, url, smtp_ca_file=cert_file))
        (sent,) = starttls.received
        assert sent["To"].addresses[0].addr_spec == curator.email
        assert logins == [(b"kurasi@mail", b"p:a/ss")]

        # smtps://: TLS from the first byte, no login without a user in the URL.
        product = await factory.ready_product(owner)
        assert (await factory.transition(owner, product["id"], "submit")).status_code == 200
        await run(mail_context(app, f"smtps://127.0.0.1:{implicit.port}", smtp_ca_file=cert_file))
        assert len(implicit.received) == 1
    finally:
        stop(starttls)
        stop(implicit)


# -- the digest --------------------------------------------------------------------------


async def test_a_digest_curator_gets_one_mail_a_day_listing_the_submissions(
    client: httpx.AsyncClient,
    factory: Factory,
    app: FastAPI,
    inbox: Inbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = Clock(monkeypatch)
    owner, daily, each = await factory.owner(), await factory.curator(), await factory.curator()
    chose = await me(client, daily, submission_mail="daily_digest", preferred_language="ja")
    assert chose["submission_mail"] == "daily_digest"
    r = await client.patch(
        "/api/v1/users/me", json={"submission_mail": "weekly"}, headers=daily.headers
    )
    assert r.status_code == 422
    now.advance(timedelta(seconds=1))
    products = []
    for _ in range(2):
        product = await factory.ready_product(owner)
        assert (await factory.transition(owner, product["id"], "submit")).status_code == 200
        products.append(product["id"])
    context = mail_context(app, f"smtp://127.0.0.1:{inbox.port}")
    await run(context)
    assert len(inbox.to(each.email)) == 2 and inbox.to(daily.email) == []

    # At the next 08:00 in Jakarta, one mail lists both.
    settings = context.settings
    hour = digest_moment(now.at, settings.digest_hour, settings.digest_timezone)
    now.at = (hour + timedelta(days=1, minutes=1)).astimezone(UTC)
    await run(context)
    (digest,) = inbox.to(daily.email)
    assert digest["Subject"] == "審査待ちの申請: 2件"
    for product_id in products:
        assert f"/api/v1/products/{product_id}" in text(digest)
    assert "ガヨ・アラビカ焙煎コーヒー" in text(digest)

    # A second pass, by a new worker, the same day: nothing more.
    now.advance(timedelta(hours=3))
    await run(context, Mailer(context))
    assert len(inbox.to(daily.email)) == 1
    # The next day, with nothing submitted since: no mail.
    now.advance(timedelta(days=1))
    await run(context, Mailer(context))
    assert len(inbox.received) == 3
    async with factory.session() as session:
        count = await session.scalar(
            select(func.count()).where(MailMessage.event == "digest.submissions")
        )
    assert count == 1

    # Back to a mail each: what came since the last digest comes in one last digest.
    now.advance(timedelta(hours=1))
    product = await factory.ready_product(owner)
    assert (await factory.transition(owner, product["id"], "submit")).status_code == 200
    await run(context)
    assert len(inbox.to(daily.email)) == 1
    now.advance(timedelta(minutes=5))
    app.state.settings, saved = context.settings, app.state.settings  # mail configured
    try:
        assert (await me(client, daily, submission_mail="each"))["submission_mail"] == "each"
    finally:
        app.state.settings = saved
    await run(context)
    last = inbox.to(daily.email)[-1]
    assert len(inbox.to(daily.email)) == 2 and last["Subject"] == "審査待ちの申請: 1件"
    assert f"/api/v1/products/{product['id']}" in text(last)
