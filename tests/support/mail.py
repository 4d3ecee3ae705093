"""Mail written to the outbox folder (MAIL_OUTBOX): what reached an address."""
from __future__ import annotations

import time
from pathlib import Path


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
