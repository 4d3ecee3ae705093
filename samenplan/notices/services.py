"""Notifications: made here for every feature, read on one page ("Meldingen").

A notification is a code and its parameters (`Notification.kind`, `params`), put in words in
the reader's language when shown (`samenplan.web.notice_text`). Whoever is told also gets one
mail per event (per transaction), sent only after the transaction is committed: a change that
is rolled back tells nobody. The mail says only that there is news; the news stays in the app.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from flask import g
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from samenplan.privacy.models import Notification

MAILS_AFTER_COMMIT = "samenplan.mails_after_commit"
QUIET = "samenplan.notices_quiet"
NO_MAIL = "samenplan.notices_no_mail"
PAGE = 30  # notifications per page of "Meldingen"


@contextmanager
def quietly(session: Session) -> Iterator[None]:
    """Tell nobody of what happens inside: no notification, no mail. For history written in one
    go (`seed-demo`), whose people heard it at the table when it happened; never for a request."""
    session.info[QUIET] = True
    try:
        yield
    finally:
        session.info.pop(QUIET, None)


@contextmanager
def without_mail(session: Session) -> Iterator[None]:
    """Notifications inside, but no mail: for `send-reminders` without PUBLIC_URL, which has no
    request whose host could make a safe link."""
    session.info[NO_MAIL] = True
    try:
        yield
    finally:
        session.info.pop(NO_MAIL, None)


def notify(session: Session, user_ids: Iterable[int], *, kind: str, params: dict, link: str,
           now: datetime, family_id: int | None = None, actor_user_id: int | None = None) -> list[int]:
    """Tell these users (never the one who acted): a notification now, a mail after commit.
    `link` is a path in the app (never a token). Returns whom it told (nobody, `quietly`)."""
    if session.info.get(QUIET):
        return []
    told = [uid for uid in dict.fromkeys(user_ids) if uid is not None and uid != actor_user_id]
    for user_id in told:
        session.add(Notification(user_id=user_id, family_id=family_id, kind=kind, params=params,
                                 link=safe_link(link), created_at=now))
    pending = session.info.setdefault(MAILS_AFTER_COMMIT, {})
    for user_id in told:
        pending.setdefault(user_id, kind)  # one mail per user per event, the first kind named
    return told


def safe_link(link: str) -> str:
    """Only a path inside the app: a notification never sends anyone elsewhere."""
    return link if link.startswith("/") and not link.startswith("//") and "\\" not in link else "/"


@event.listens_for(Session, "before_commit")
def _write_mails(session: Session) -> None:
    """The mails of this transaction's notifications, written while the database can still be
    read; sent once it is committed."""
    pending = session.info.pop(MAILS_AFTER_COMMIT, None)
    if pending and not session.info.get(NO_MAIL):
        session.info[MAILS_READY] = _mails(session, pending)


@event.listens_for(Session, "after_commit")
def _send_mails(session: Session) -> None:
    from samenplan import mail

    for address, subject, text in session.info.pop(MAILS_READY, []):
        mail.send_in_background(address, subject, text)


@event.listens_for(Session, "after_rollback")
def _drop_mails(session: Session) -> None:
    session.info.pop(MAILS_AFTER_COMMIT, None)
    session.info.pop(MAILS_READY, None)


MAILS_READY = "samenplan.mails_ready"


def _mails(session: Session, pending: dict[int, str]) -> list[tuple[str, str, str]]:
    from flask import render_template
    from flask_babel import gettext

    from samenplan.languages import in_language_of

    from samenplan.auth.models import User
    from samenplan.config import PublicURLMissing
    from samenplan.web import external_url

    try:
        link = external_url("notices.index")
    except PublicURLMissing:  # no safe link to mail (logged by public_base): the app still tells
        return []
    mails = []
    for user in session.scalars(select(User).where(User.id.in_(list(pending)), User.active)):
        with in_language_of(user):
            subject = gettext("Nieuws voor je in samenplan")
            text = render_template("mail/notice.txt", user=user, link=link)
        mails.append((user.email, subject, text))
    return mails


# --- reading -------------------------------------------------------------------------------
def unread(session: Session, user_id: int) -> list[Notification]:
    """The user's unread notifications, newest first: one query per request, shared by the
    top bar's count and the plan page's list."""
    cache = g.setdefault("samenplan_unread", {})
    if user_id not in cache:
        cache[user_id] = list(session.scalars(
            select(Notification).where(Notification.user_id == user_id,
                                       Notification.read_at.is_(None))
            .order_by(Notification.id.desc())
        ))
    return cache[user_id]


def page_of(session: Session, user_id: int, page: int) -> tuple[list[Notification], int]:
    """One page of all the user's notifications, newest first, and the number of pages."""
    total = session.scalar(select(func.count(Notification.id)).where(Notification.user_id == user_id))
    pages = max(1, -(-total // PAGE))
    page = min(max(page, 1), pages)
    items = list(session.scalars(
        select(Notification).where(Notification.user_id == user_id)
        .order_by(Notification.id.desc()).offset((page - 1) * PAGE).limit(PAGE)
    ))
    return items, pages


def mark_read(session: Session, user_id: int, now: datetime, notification_id: int | None = None) -> Notification | None:
    """Mark one of the user's notifications (or all) as read; another user's id is not found."""
    found = None
    if notification_id is not None:
        found = session.scalar(select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user_id))
        if found is None:
            return None
        if found.read_at is None:
            found.read_at = now
    else:
        session.execute(update(Notification).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)).values(read_at=now))
    session.commit()
    g.pop("samenplan_unread", None)
    return found
