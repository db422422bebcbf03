"""Outgoing e-mail by SMTP: one message built, sent, and the mail server's answer classified.

Nothing here touches the database. ``send`` speaks SMTP step by step (MAIL,
RCPT, DATA) so that the server's own reply to each step is kept: a reply in
the 2xx range means accepted, 4xx a temporary failure (try again later), 5xx
a permanent one. A connection that cannot be made or breaks is temporary.
Configuration: ``MAIL_SERVER``, ``MAIL_PORT``, ``MAIL_USE_TLS``,
``MAIL_USERNAME``, ``MAIL_PASSWORD``, ``MAIL_DEFAULT_SENDER``.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, parseaddr
from typing import Any

SENT = "sent"
TEMPORARY = "temporary_failure"
PERMANENT = "permanent_failure"
TIMEOUT_SECONDS = 60
DETAIL_LIMIT = 1000


@dataclass(frozen=True)
class MailConfig:
    """Where and how to send: the SMTP server, its credentials and the sender address."""

    server: str
    port: int
    use_tls: bool
    username: str | None
    password: str | None
    sender: str

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailConfig:
        """The mail settings of a Flask config."""
        return cls(
            server=config["MAIL_SERVER"],
            port=int(config["MAIL_PORT"]),
            use_tls=bool(config["MAIL_USE_TLS"]),
            username=config.get("MAIL_USERNAME") or None,
            password=config.get("MAIL_PASSWORD") or None,
            sender=config["MAIL_DEFAULT_SENDER"],
        )

    @property
    def sender_address(self) -> str:
        """The bare address of the sender (``MAIL_DEFAULT_SENDER`` may carry a display name)."""
        return parseaddr(self.sender)[1] or self.sender


@dataclass(frozen=True)
class Attachment:
    """A file attached to a message."""

    name: str
    data: bytes
    mime_type: str = "application/pdf"


@dataclass(frozen=True)
class SendResult:
    """The outcome of one SMTP transaction and the server's reply; ``refused`` recipients with theirs."""

    outcome: str
    detail: str
    refused: dict[str, str] = field(default_factory=dict)

    @property
    def is_sent(self) -> bool:
        """The server accepted the message for at least one recipient."""
        return self.outcome == SENT


def is_address(text: str) -> bool:
    """A plain e-mail address that can go into a header and an SMTP command."""
    text = (text or "").strip()
    # ASCII only: an internationalised address would need SMTPUTF8, which is not asked for.
    if not text or len(text) > 254 or not text.isascii() or any(c.isspace() or c in '<>,;"' for c in text):
        return False
    local, at, domain = text.rpartition("@")
    return bool(at and local and "." in domain.strip(".") and "@" not in local)


def domain_of(address_or_url: str) -> str | None:
    """The domain of an address (``a@b.vn`` -> ``b.vn``) or the host of a URL."""
    text = (address_or_url or "").strip()
    if "://" in text:
        host = text.split("://", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
        return host or None
    address = parseaddr(text)[1]
    return address.rpartition("@")[2] or None if "@" in address else None


def build_message(
    *,
    sender: str,
    recipients: Iterable[str],
    subject: str,
    text: str,
    html: str,
    message_id: str,
    attachments: Iterable[Attachment] = (),
) -> EmailMessage:
    """A message with a plain-text and an HTML part, its attachments and the given Message-ID."""
    message = EmailMessage(policy=SMTP_POLICY)
    message["From"] = sender
    message["To"] = ", ".join(str(Address(addr_spec=r)) for r in recipients)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for attachment in attachments:
        main, _, sub = attachment.mime_type.partition("/")
        message.add_attachment(attachment.data, maintype=main, subtype=sub, filename=attachment.name)
    return message


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()[:DETAIL_LIMIT]


def _failure(code: int, detail: str) -> SendResult:
    return SendResult(PERMANENT if 500 <= code < 600 else TEMPORARY, detail)


def _transaction(smtp: smtplib.SMTP, sender: str, recipients: list[str], data: bytes) -> SendResult:
    code, text = smtp.mail(sender)
    if code != 250:
        return _failure(code, _reply(code, text))
    refused: dict[str, str] = {}
    codes = []
    for recipient in recipients:
        code, text = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = _reply(code, text)
            codes.append(code)
    if len(refused) == len(recipients):
        smtp.rset()
        outcome = TEMPORARY if any(c < 500 for c in codes) else PERMANENT
        return SendResult(outcome, "; ".join(refused.values())[:DETAIL_LIMIT], refused)
    code, text = smtp.data(data)
    if code != 250:
        return _failure(code, _reply(code, text))
    return SendResult(SENT, _reply(code, text), refused)


def _close(smtp: smtplib.SMTP | None) -> None:
    """Say goodbye; a server that hangs up first changes nothing about what it accepted."""
    if smtp is None:
        return
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def send(config: MailConfig, message: EmailMessage, recipients: list[str]) -> SendResult:
    """Send one message to these recipients; never raises for the server's or the network's trouble."""
    data = message.as_bytes(policy=SMTP_POLICY)
    smtp = None
    try:
        smtp = smtplib.SMTP(config.server, config.port, timeout=TIMEOUT_SECONDS)
        smtp.ehlo()
        if config.use_tls:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if config.username:
            smtp.login(config.username, config.password or "")
        return _transaction(smtp, config.sender_address, recipients, data)
    except smtplib.SMTPResponseException as exc:
        return _failure(exc.smtp_code, _reply(exc.smtp_code, exc.smtp_error))
    except (smtplib.SMTPException, OSError) as exc:
        return SendResult(TEMPORARY, f"{type(exc).__name__}: {exc}"[:DETAIL_LIMIT])
    finally:
        _close(smtp)
