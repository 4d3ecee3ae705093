"""One way to send e-mail. Without SMTP_HOST every message is written to instance/outbox/
(and logged); with it, it goes over SMTP, with STARTTLS unless SMTP_STARTTLS=false."""
from __future__ import annotations

import logging
import smtplib
import threading
import ssl
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)


def send(to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="samenplan")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    if config.get("SMTP_HOST"):
        _send_smtp(message, config)
    else:
        _write_outbox(message, Path(config["MAIL_OUTBOX"]))
    return message


def _send_smtp(message: EmailMessage, config) -> None:
    with smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=20) as smtp:
        if config["SMTP_STARTTLS"]:
            context = ssl.create_default_context(cafile=config.get("SMTP_CA_FILE") or None)
            smtp.starttls(context=context)
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
        smtp.send_message(message)
    log.info("mail sent to %s: %s", message["To"], message["Subject"])


def _write_outbox(message: EmailMessage, outbox: Path) -> None:
    outbox.mkdir(parents=True, exist_ok=True)
    name = uuid.uuid4().hex
    partial = outbox / f"{name}.part"
    partial.write_bytes(bytes(message))
    partial.chmod(0o600)
    path = outbox / f"{name}.eml"
    partial.replace(path)  # whoever reads the outbox never sees half a message
    log.warning("mail for %s written to %s (no SMTP_HOST set)", message["To"], path)


def send_in_background(to: str, subject: str, text: str, html: str | None = None) -> threading.Thread:
    """Send after the response: the page answers at once and alike whether or not a message
    goes out (a slow or broken mail server must not tell anyone which addresses exist).
    Failures are logged."""
    app = current_app._get_current_object()

    def _run() -> None:
        with app.app_context():
            try:
                send(to, subject, text, html)
            except Exception:  # noqa: BLE001 - nothing to answer to any more: log it
                log.exception("mail to %s could not be sent", to)

    thread = threading.Thread(target=_run, name="samenplan-mail", daemon=True)
    thread.start()
    return thread
