"""Talking to the SMTP server: sending one batch of messages over one connection (standard
library smtplib, run in a thread by the Mailer), to the server `KURASI_SMTP_URL` names
(app/config.py reads it). Certificates are always verified, against the system's CAs or
`KURASI_SMTP_CA_FILE`.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from app.config import SmtpTarget


@dataclass(frozen=True)
class Outcome:
    """What became of one message: sent, or the error and whether trying again may help."""

    error: str | None = None
    permanent: bool = False
    # The server could not be reached (or dropped the connection): nothing it said about
    # this message, so it is tried again soon rather than after a growing delay.
    unreachable: bool = False


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
    deadline: float | None = None,
) -> list[Outcome]:
    """Send `messages` over one connection, an outcome each (in order). A server that
    cannot be reached, times out, drops the connection or refuses the login leaves the
    messages not yet sent with a temporary error: they are tried again later; so does a
    server slow enough that `deadline` (`time.monotonic()`) passes before their turn."""
    outcomes: list[Outcome] = []
    try:
        client = _connect(target, timeout, ca_file)
        try:
            for message in messages:
                if deadline is not None and time.monotonic() > deadline:
                    outcomes += [Outcome("not sent: the server was too slow for this pass")] * (
                        len(messages) - len(outcomes)
                    )
                    break
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
        outcomes += [Outcome("timed out", unreachable=True)] * (len(messages) - len(outcomes))
    except (smtplib.SMTPException, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:1000]
        outcomes += [Outcome(error, unreachable=True)] * (len(messages) - len(outcomes))
    return outcomes
