"""Talking to the SMTP server: reading `KURASI_SMTP_URL`, and sending one batch of messages
over one connection (standard library smtplib, run in a thread by the Mailer).

URL forms: `smtp://host:port` (plain), `smtp://user:pass@host:587?starttls=true` (STARTTLS,
then LOGIN), `smtps://user:pass@host:465` (TLS from the start). The user and password are
percent-decoded; there is a login only when the URL has a user. Certificates are always
verified, against the system's CAs or `KURASI_SMTP_CA_FILE`.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    tls: bool  # smtps://: TLS from the first byte
    starttls: bool
    user: str | None
    password: str | None

    def __repr__(self) -> str:  # never the password, in logs or errors
        scheme = "smtps" if self.tls else "smtp"
        return f"SmtpTarget({scheme}://{self.host}:{self.port}, starttls={self.starttls})"


def parse_smtp_url(url: str) -> SmtpTarget:
    """The server `url` names; ValueError saying what is wrong with it."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"KURASI_SMTP_URL is not a valid URL: {exc}") from None
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError("KURASI_SMTP_URL must begin with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError("KURASI_SMTP_URL names no host")
    if parts.path not in ("", "/"):
        raise ValueError("KURASI_SMTP_URL takes no path")
    query = {k: v[-1].lower() for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    unknown = set(query) - {"starttls"}
    if unknown:
        raise ValueError(f"KURASI_SMTP_URL: unknown parameter {sorted(unknown)[0]!r}")
    starttls = query.get("starttls", "false")
    if starttls not in _TRUE + _FALSE:
        raise ValueError("KURASI_SMTP_URL: starttls must be true or false")
    tls = parts.scheme == "smtps"
    if tls and starttls in _TRUE:
        raise ValueError("KURASI_SMTP_URL: smtps:// is TLS already; starttls is for smtp://")
    user = unquote(parts.username) if parts.username else None
    return SmtpTarget(
        host=parts.hostname,
        port=port or (465 if tls else 25),
        tls=tls,
        starttls=starttls in _TRUE,
        user=user,
        password=unquote(parts.password or "") if user else None,
    )


@dataclass(frozen=True)
class Outcome:
    """What became of one message: sent, or the error and whether trying again may help."""

    error: str | None = None
    permanent: bool = False


def _answer(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return f"{code} {text}".strip()


def _tls_context(ca_file: Path | None) -> ssl.SSLContext:
    context = ssl.create_default_context()  # verifies the certificate and the host name
    if ca_file is not None:
        context.load_verify_locations(cafile=str(ca_file))
    return context


def _connect(target: SmtpTarget, timeout: float, ca_file: Path | None) -> smtplib.SMTP:
    if target.tls:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            target.host, target.port, timeout=timeout, context=_tls_context(ca_file)
        )
    else:
        client = smtplib.SMTP(target.host, target.port, timeout=timeout)
    try:
        if target.starttls:
            client.starttls(context=_tls_context(ca_file))
        if target.user is not None:
            client.login(target.user, target.password or "")
    except BaseException:
        client.close()
        raise
    return client


def _send_one(client: smtplib.SMTP, message: EmailMessage) -> Outcome:
    try:
        client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()))
        return Outcome(_answer(code, text), permanent=code >= 500)
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        return Outcome(_answer(exc.smtp_code, exc.smtp_error), permanent=exc.smtp_code >= 500)
    except (smtplib.SMTPNotSupportedError, ValueError) as exc:
        # This message cannot be sent as it is (e.g. an address that needs SMTPUTF8 on a
        # server without it): trying again would fail alike, and hold up the others.
        return Outcome(f"{type(exc).__name__}: {exc}"[:1000], permanent=True)
    return Outcome()


def send_batch(
    target: SmtpTarget,
    messages: list[EmailMessage],
    *,
    timeout: float,
    ca_file: Path | None = None,
) -> list[Outcome]:
    """Send `messages` over one connection, an outcome each (in order). A server that
    cannot be reached, times out, drops the connection or refuses the login leaves the
    messages not yet sent with a temporary error: they are tried again later."""
    outcomes: list[Outcome] = []
    try:
        client = _connect(target, timeout, ca_file)
        try:
            for message in messages:
                outcomes.append(_send_one(client, message))
        finally:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()
    except smtplib.SMTPResponseException as exc:
        error = _answer(exc.smtp_code, exc.smtp_error)
        outcomes += [Outcome(error)] * (len(messages) - len(outcomes))
    except TimeoutError:
        outcomes += [Outcome("timed out")] * (len(messages) - len(outcomes))
    except (smtplib.SMTPException, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:1000]
        outcomes += [Outcome(error)] * (len(messages) - len(outcomes))
    return outcomes
