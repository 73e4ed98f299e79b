"""Notifications: e-mail over real SMTP and SMS/WeChat over a real HTTP gateway, both on
127.0.0.1; the outbox retries while a gateway is down and loses or doubles nothing."""

import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from core.board import subscriptions
from core.kernel import notifications, permissions
from core.kernel.extensions import db
from core.models import Notification, utcnow
from core.models.types import local_today
from core.places import plugin_settings, tree
from tests import lifecycle_helpers as h


class Gateway:
    """An SMS/WeChat gateway on 127.0.0.1 that records messages and can be switched off."""

    def __init__(self):
        self.received, self.up, self.tokens = [], True, []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                payload = json.loads(self.rfile.read(length))
                gateway.tokens.append(self.headers.get("Authorization"))
                if not gateway.up:
                    self.send_response(503)
                    self.end_headers()
                    return
                gateway.received.append(payload)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def gateway():
    running = Gateway()
    yield running
    running.close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox():
    box = Mailbox()
    box.port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()


@pytest.fixture
def wired(make_app, gateway, mailbox):
    from core import demo

    app = make_app({"XS_PLUGINS": ["national", "message_gateway"],
                    "XS_SMS_GATEWAY_URL": gateway.url, "XS_WECHAT_GATEWAY_URL": gateway.url,
                    "XS_GATEWAY_TOKEN": "secret-token", "XS_SMTP_HOST": "127.0.0.1",
                    "XS_SMTP_PORT": mailbox.port, "XS_SMTP_SENDER": "board@xieshang.test"})
    with app.app_context():
        demo.load(with_topics=False)
        plugin_settings.enable(permissions.SYSTEM, "message_gateway",
                               tree.by_code("441900121000"))
        for name, phone in (("陈志强", "13800000001"), ("陈美玲", "13800000002")):
            h.person(name).phone = phone
        h.user("luoma-resident").email = "meiling@example.cn"
        db.session.commit()
        yield app


def outbox(status=None):
    query = select(func.count()).select_from(Notification)
    if status:
        query = query.where(Notification.status == status)
    return db.session.scalar(query)


def test_invitees_get_the_meeting_notice_by_sms_and_email(wired, gateway, mailbox):
    h.noticed()
    phones = sorted(message["to"] for message in gateway.received)
    assert phones == ["13800000001", "13800000002"]
    assert all(token == "Bearer secret-token" for token in gateway.tokens)
    assert "罗马村委会议室" in gateway.received[0]["text"]
    assert [rcpt for rcpt, _body in mailbox.messages] == [["meiling@example.cn"]]
    assert outbox("sent") == 3


def test_gateway_down_then_up_loses_and_doubles_nothing(wired, gateway):
    gateway.up = False
    h.noticed()
    assert outbox("pending") == 2 and gateway.received == []
    message = db.session.scalar(select(Notification).where(Notification.channel == "sms"))
    assert message.attempts == 1 and "503" in message.last_error
    # Not due yet: nothing is tried again before the backoff has passed.
    assert notifications.deliver_due() == (0, 0)
    gateway.up = True
    later = utcnow() + timedelta(minutes=5)
    assert notifications.deliver_due(now=later) == (2, 0)
    assert sorted(m["to"] for m in gateway.received) == ["13800000001", "13800000002"]
    assert notifications.deliver_due(now=later + timedelta(hours=1)) == (0, 0)  # no doubles
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.channel == "sms", Notification.status == "sent")) == 2


def test_a_message_is_given_up_after_the_last_attempt_and_shown_to_admins(wired, gateway):
    wired.config["XS_NOTIFY_MAX_ATTEMPTS"] = 3
    gateway.up = False
    h.noticed()
    moment = utcnow()
    for _ in range(3):
        moment += timedelta(days=2)
        notifications.deliver_due(now=moment)
    assert outbox("failed") == 2
    client = wired.test_client()
    from tests.conftest import AuthActions

    AuthActions(client).login("admin")
    page = client.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "13800000001" in page and "503" in page


def test_the_same_news_is_queued_once(wired):
    notifications.enqueue("sms", "13800000009", "s", "b", key="x:1")
    notifications.enqueue("sms", "13800000009", "s", "b", key="x:1")
    db.session.commit()
    assert outbox() == 1


def test_board_subscribers_hear_of_new_entries(wired, gateway, mailbox):
    resident = h.user("luoma-resident")
    village = tree.by_code("441900121201")
    assert set(subscriptions.options(resident, village)) == {"email", "sms", "wechat"}
    h.person("陈美玲").phone = None
    db.session.commit()
    assert set(subscriptions.options(resident, village)) == {"email"}  # no phone on record
    with pytest.raises(Exception, match="无法联系到您"):
        subscriptions.toggle(resident, village, "sms")
    subscriptions.toggle(resident, village, "email")
    _topic, _meeting, entry = h.published()
    assert any(f"/board/441900121201/{entry.seq}" in body for _rcpt, body in mailbox.messages)
    assert subscriptions.toggle(resident, village, "email") is False  # unsubscribed


def test_no_channel_means_nothing_is_queued(app, demo):
    h.noticed()
    assert outbox() == 0


def test_participants_hear_of_implementation_progress(wired, gateway):

    from core.consultation import topics
    from core.implementation import tracking as implementation

    topic, _meeting, _entry = h.published()
    organiser = h.user("luoma-organiser")
    topics.advance(organiser, topic)
    task = implementation.add_task(organiser, topic, title="更换路灯", responsible="村委会",
                                   deadline=local_today())
    before = len(gateway.received)
    implementation.report_progress(organiser, topic, task, text="已完成一半。", progress=50)
    progress = [m for m in gateway.received[before:] if "实施进展" in m["subject"]]
    assert sorted(m["to"] for m in progress) == ["13800000001", "13800000002"]


def test_the_legal_adviser_hears_of_each_draft_to_review(wired, mailbox):
    from email import message_from_string
    from email.header import decode_header, make_header

    from core.legal import reviews as legal

    h.user("luoma-lawyer").email = "lawyer@example.cn"
    db.session.commit()
    review = legal.request_review(h.user("luoma-organiser"), subject="village_rules",
                                  village=tree.by_code("441900121201"), title="村规民约修订稿",
                                  text="第一条")
    legal.add_version(h.user("luoma-organiser"), review, text="第一条（修订）")
    assert [rcpt for rcpt, _body in mailbox.messages] == [["lawyer@example.cn"]] * 2
    subjects = [str(make_header(decode_header(message_from_string(body)["Subject"])))
                for _rcpt, body in mailbox.messages]
    assert "第1稿" in subjects[0] and "第2稿" in subjects[1] and "村规民约修订稿" in subjects[0]
