"""Notifications: channels, the outbox, delivery with retries.

Messages are queued in the database (the outbox) in the same transaction as
the news they carry, then delivered: inline on the embedded default, or by
``flask outbox deliver`` from a timer at scale. A failing channel leaves the
message pending with a growing delay (1, 2, 4 … minutes) until it gives up
after ``XS_NOTIFY_MAX_ATTEMPTS`` attempts; nothing is lost while a gateway
is down, and a message is never queued twice for the same news.
"""

import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, url_for
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from core.kernel.extensions import db
from core.kernel.plugins import registry
from core.models import (
    BoardSubscription,
    Jurisdiction,
    Notification,
    Participant,
    ParticipantStatus,
    Person,
    User,
    utcnow,
)


@dataclass(frozen=True)
class Channel:
    """A way to reach people. ``send(recipient, subject, body)`` raises on failure.

    ``address`` names what a recipient needs: ``email`` or ``phone``.
    """

    name: str
    address: str
    send: object


def send_email(recipient, subject, body):
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["XS_SMTP_SENDER"]
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["XS_SMTP_HOST"], config["XS_SMTP_PORT"], timeout=10) as smtp:
        if config.get("XS_SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("XS_SMTP_USER"):
            smtp.login(config["XS_SMTP_USER"], config["XS_SMTP_PASSWORD"])
        smtp.send_message(message)


EMAIL = Channel(name="email", address="email", send=send_email)


def channels(jurisdiction=None):
    """name → channel: e-mail (when SMTP is configured) and the plugins' channels."""
    found = {}
    if current_app.config.get("XS_SMTP_HOST"):
        found["email"] = EMAIL
    hooks = registry().hooks_for(jurisdiction) if jurisdiction is not None else registry().hook
    for contributed in hooks.xs_register_notification_channels(jurisdiction=jurisdiction):
        for channel in contributed or ():
            found[channel.name] = channel
    return found


def http_url(url):
    """``url`` if it is http(s); integrations never open file: or other schemes."""

    if urlsplit(url or "").scheme not in ("http", "https"):
        raise ValueError(f"not an http(s) URL: {url!r}")
    return url


def post(url, data, headers, *, fail, who):
    """POST ``data`` (bytes) to the http(s) ``url``: raise ``fail`` saying what went wrong
    ("<who> answered 503", "<who> unreachable: …") unless the answer is a success."""

    try:
        outgoing = urllib.request.Request(http_url(url), method="POST", data=data,
                                          headers=headers)
    except ValueError as error:
        raise fail(str(error)) from None
    try:
        # Reviewed (B310): http_url() let only an http(s) URL through
        with urllib.request.urlopen(outgoing, timeout=10) as response:  # nosec B310
            if not 200 <= response.status < 300:
                raise fail(f"{who} answered {response.status}")
    except urllib.error.HTTPError as error:
        raise fail(f"{who} answered {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise fail(f"{who} unreachable: {getattr(error, 'reason', error)}") from None


def enqueue(channel, recipient, subject, body, key):
    """Queue a message unless the same news already went to the same recipient."""
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Notification)
    db.session.execute(insert.values(
        channel=channel, recipient=recipient[:200], subject=subject[:300], body=body, key=key[:200],
        status="pending", attempts=0, next_attempt_at=utcnow(), created_at=utcnow(),
    ).on_conflict_do_nothing())


def backoff(attempts):
    return timedelta(minutes=min(2 ** (attempts - 1), 24 * 60))


def deliver_due(limit=100, now=None):
    """Try every message whose time has come; return (sent, failed) counts."""
    now = now or utcnow()
    known = channels()
    sent = failed = 0
    due = db.session.scalars(
        select(Notification).where(Notification.status == "pending",
                                   Notification.next_attempt_at <= now)
        .order_by(Notification.id).limit(limit)).all()
    maximum = current_app.config["XS_NOTIFY_MAX_ATTEMPTS"]
    for message in due:
        message.attempts += 1
        channel = known.get(message.channel)
        try:
            if channel is None:
                raise RuntimeError(f"no channel {message.channel} is configured")
            channel.send(message.recipient, message.subject, message.body)
        except Exception as error:  # any channel failure is retried, never lost
            failed += 1
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            if message.attempts >= maximum:
                message.status = "failed"
            else:
                message.next_attempt_at = now + backoff(message.attempts)
        else:
            sent += 1
            message.status, message.sent_at, message.last_error = "sent", now, None
        db.session.commit()
    return sent, failed


def deliver_inline():
    """On the embedded default, deliver right away (errors stay in the outbox)."""
    if current_app.config.get("XS_NOTIFY_INLINE"):
        deliver_due()


# ------------------------------------------------------------- who hears what


def address_of(channel, user=None, person=None):
    if channel.address == "email":
        return getattr(user, "email", None)
    if channel.address == "phone":
        return getattr(person, "phone", None)
    return None


def meeting_noticed(topic, meeting):
    """Tell every invited participant about the meeting."""
    when = meeting.starts_at.astimezone(_zone()).strftime("%Y-%m-%d %H:%M")
    notify_participants(topic, f"【协商会议通知】{topic.title}",
                        f"{topic.title}\n时间：{when}\n地点：{meeting.place}\n"
                        f"主持人：{meeting.host}\n{meeting.agenda or ''}",
                        key=f"meeting:{meeting.id}:notice")


def notify_participants(topic, subject, body, key):
    """Queue ``subject``/``body`` for every invited participant of ``topic``, once per kind of
    address (e-mail, phone) through the preferred channel available."""

    jurisdiction = db.session.get(Jurisdiction, topic.jurisdiction_id)
    available = channels(jurisdiction)
    if not available:
        return
    rows = db.session.execute(
        select(Participant, User, Person)
        .outerjoin(User, Participant.user_id == User.id)
        .outerjoin(Person, Participant.person_id == Person.id)
        .where(Participant.topic_id == topic.id,
               Participant.status == ParticipantStatus.INVITED)).all()
    # One message per kind of address: the first available channel that uses it.
    preferred = {}
    for name in current_app.config["XS_NOTIFY_PREFERENCE"]:
        channel = available.get(name)
        if channel is not None:
            preferred.setdefault(channel.address, channel)
    for _participant, user, person in rows:
        for channel in preferred.values():
            address = address_of(channel, user, person)
            if address:
                enqueue(channel.name, address, subject, body, key=key)


def page_link(endpoint, **values):
    """The address of a page, for a message that leaves the request (an e-mail, an SMS):
    every such link is made here. In a request it is absolute; in a command or a job, with
    no request to take a host from, it is the page's path."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    return current_app.url_map.bind("").build(endpoint, values)


def entry_published(entry):
    """Tell the board's subscribers about a new entry."""
    jurisdiction = db.session.get(Jurisdiction, entry.jurisdiction_id)
    available = channels(jurisdiction)
    if not available:
        return
    rows = db.session.execute(
        select(BoardSubscription.channel, User, Person)
        .join(User, BoardSubscription.user_id == User.id)
        .outerjoin(Person, User.person_id == Person.id)
        .where(BoardSubscription.jurisdiction_id == entry.jurisdiction_id)).all()
    link = page_link("board.entry", code=jurisdiction.code, seq=entry.seq)
    subject = f"【{jurisdiction.name}公开栏】{entry.title}"
    body = f"{entry.title}\n{link}\n{entry.entry_hash[:12]}"
    for channel_name, user, person in rows:
        channel = available.get(channel_name)
        address = channel and address_of(channel, user, person)
        if address:
            enqueue(channel_name, address, subject, body, key=f"entry:{entry.id}")


def _zone():

    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def outbox_page(status=None, *, page_number=1, per_page=50):
    """A page of the outbox, newest first, with ``status`` (pending, sent, failed) or any:
    (notifications, total)."""
    query = select(Notification)
    if status:
        query = query.where(Notification.status == status)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(Notification.id.desc()).limit(per_page)
                              .offset((page_number - 1) * per_page)).all()
    return rows, total
