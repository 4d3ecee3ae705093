"""Mail written to the outbox folder (MAIL_OUTBOX): what reached an address.

`outbox_to` is for the integration tests (an app without a server); `Outbox` is for the browser
tests: it remembers what was in the folder when it was made, finds the newest new mail to an
address, takes the one link out of it (`link_in`) and removes the mails it handed out, whose
links are live tokens."""
from __future__ import annotations

import re
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest


def outbox_to(app, address: str, wait: float = 5.0) -> list[str]:
    """The mails to `address` in the app's outbox, waiting up to `wait` seconds for the first
    (mail goes out in the background, after the commit)."""
    outbox = Path(app.config["MAIL_OUTBOX"])
    deadline = time.monotonic() + wait
    found: list[str] = []
    while time.monotonic() < deadline:
        found = [p.read_text(errors="replace") for p in outbox.glob("*.eml")] if outbox.exists() else []
        found = [m for m in found if f"To: {address}" in m]
        if found:
            return found
        time.sleep(0.05)
    return found


class Outbox:
    """The MAIL_OUTBOX folder of an app (it may hold older mail, from other runs too)."""

    def __init__(self, app):
        self.folder = Path(app.config["MAIL_OUTBOX"])
        self.before = set(self.folder.glob("*.eml")) if self.folder.exists() else set()
        self.taken: list[Path] = []

    def newest_to(self, address: str, timeout: float = 5.0):
        """The newest .eml written since this Outbox was made, addressed to `address`."""
        deadline = time.monotonic() + timeout
        while True:
            fresh = [p for p in self.folder.glob("*.eml") if p not in self.before] \
                if self.folder.exists() else []
            mails = []
            for path in fresh:
                message = message_from_bytes(path.read_bytes(), policy=policy.default)
                if message["To"] == address:
                    mails.append((path.stat().st_mtime, path, message))
            if mails:
                _mtime, path, message = max(mails, key=lambda m: m[0])
                self.taken.append(path)
                return message
            if time.monotonic() > deadline:
                pytest.fail(f"no new mail for {address} in {self.folder}")
            time.sleep(0.1)

    def clean(self) -> None:
        for path in self.taken:  # the links in them are live tokens: do not leave them lying
            path.unlink(missing_ok=True)


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message, pattern: re.Pattern) -> str:
    """The one link in the mail's text that matches `pattern`."""
    body = body_of(message)
    found = pattern.findall(body)
    assert len(found) == 1, f"expected one link like {pattern.pattern} in the mail, found {found}:\n{body}"
    return found[0]


def mail_sent(timeout: float = 30) -> None:
    """Wait until every mail going out in the background has gone (to count the outbox)."""
    import threading

    for thread in threading.enumerate():
        if thread.name == "samenplan-mail":
            thread.join(timeout=timeout)
