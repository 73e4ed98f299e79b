"""The outside legal-adviser service, end to end over real HTTP on 127.0.0.1: requests
signed and sent from the outbox, the service down and back, opinions posted back to the
webhook with their signature and timestamp checked, replays refused."""

import json
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from core.kernel import notifications
from core.kernel.extensions import db
from core.kernel.permissions import SYSTEM
from core.legal import reviews as legal
from core.models import Notification, ReviewComment, ReviewStatus, utcnow
from core.places import plugin_settings, tree
from plugins.legal_service import reference, signing
from tests import lifecycle_helpers as h

SECRET = "s3cret-shared-with-the-service"
LUOMA, QINGXICUN, TOWN = "441900121201", "441900121202", "441900121000"


class Served:
    """A WSGI app served on 127.0.0.1 in a thread; stop and start again on the same port."""

    def __init__(self, app, port=0):
        self.app = app
        self.port = port
        self.start()

    def start(self):
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def _post_json(url, payload):
    data = json.dumps(payload).encode()
    outgoing = urllib.request.Request(url, method="POST", data=data,
                                      headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(outgoing, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def service():
    served = Served(reference.create_app(SECRET))
    yield served
    served.stop()


@pytest.fixture
def platform(make_app, service):
    """The platform with the plugin on 清溪镇, itself served over HTTP for the callbacks."""
    app = make_app({"XS_PLUGINS": ["national", "legal_service"],
                    "XS_LEGAL_SERVICE_URL": f"{service.url}/reviews",
                    "XS_LEGAL_SERVICE_SECRET": SECRET})
    served = Served(app)
    app.config["XS_LEGAL_SERVICE_CALLBACK"] = f"{served.url}/legal-service/webhook"
    with app.app_context():
        from core import demo

        demo.load(with_topics=False)
        plugin_settings.enable(SYSTEM, "legal_service", tree.by_code(TOWN))
        db.session.commit()
        yield app, served
    served.stop()


def _request(title="罗马村村规民约（修订稿）", village=LUOMA, by="luoma-organiser"):
    return legal.request_review(h.user(by), subject="village_rules",
                                village=tree.by_code(village), title=title,
                                text="第一条 本村村民应当遵守法律。")


def _outbox():
    db.session.expire_all()
    return db.session.scalars(select(Notification).where(Notification.channel == "legal_service")
                              .order_by(Notification.id)).all()


def _answer(service, key, **given):
    db.session.commit()  # hold no lock while the platform writes the callback
    status, result = _post_json(f"{service.url}/reviews/{key}/answer", dict(
        {"opinion": "revise", "reasoning": "第三条须删除。",
         "provisions": "《村民委员会组织法》第二十七条", "adviser": "某律师事务所"}, **given))
    assert status == 200
    return result


def test_a_request_goes_out_signed_and_the_opinion_comes_back(platform, service):
    _app, _served = platform
    review = _request()
    [message] = _outbox()
    assert message.status == "sent" and message.attempts == 1
    held = _get(f"{service.url}/reviews")
    assert held == [{"key": f"legal-review:{review.id}:v1", "review_id": review.id,
                     "version": 1, "title": "罗马村村规民约（修订稿）"}]

    result = _answer(service, f"legal-review:{review.id}:v1")
    assert result["status"] == 201
    db.session.expire_all()
    [comment] = db.session.scalars(select(ReviewComment)).all()
    assert (comment.opinion, comment.author_name, comment.external_id) == (
        "revise", "某律师事务所", result["delivery"]["delivery_id"])
    assert comment.version_id == legal.latest_version(review).id
    assert legal.get(review.id).status == ReviewStatus.ANSWERED

    # A new version goes out under its own key; the answered one is not sent again.
    legal.add_version(h.user("luoma-organiser"), legal.get(review.id), text="第三条已删除。",
                      answers=[comment.id])
    assert [m.key for m in _outbox()] == [f"legal-review:{review.id}:v1",
                                          f"legal-review:{review.id}:v2"]
    assert len(_get(f"{service.url}/reviews")) == 2


def test_the_service_down_then_up_loses_and_doubles_nothing(platform, service):
    service.stop()
    review = _request()
    [message] = _outbox()
    assert message.status == "pending" and message.attempts == 1
    assert "unreachable" in message.last_error
    # Still down at the next attempt; the delay doubles.
    notifications.deliver_due(now=utcnow() + timedelta(minutes=1, seconds=5))
    [message] = _outbox()
    assert message.attempts == 2 and message.status == "pending"
    assert message.next_attempt_at > utcnow() + timedelta(minutes=2)
    # Not yet due: nothing is tried.
    assert notifications.deliver_due() == (0, 0)

    service.start()
    assert notifications.deliver_due(now=utcnow() + timedelta(minutes=5)) == (1, 0)
    assert notifications.deliver_due(now=utcnow() + timedelta(days=1)) == (0, 0)
    [message] = _outbox()
    assert message.status == "sent" and message.attempts == 3
    assert [item["key"] for item in _get(f"{service.url}/reviews")] == [
        f"legal-review:{review.id}:v1"]

    # Were the acknowledgement lost and the request sent again, the service keeps one.
    from plugins import legal_service

    legal_service.send(message.recipient, message.subject, message.body)
    assert len(_get(f"{service.url}/reviews")) == 1
    # The same news is never queued twice either.
    legal_service.xs_legal_review_requested(review=review, version=legal.latest_version(review))
    assert len(_outbox()) == 1


def test_failed_deliveries_are_shown_to_admins(platform, service):
    app, _served = platform
    service.stop()
    app.config["XS_NOTIFY_MAX_ATTEMPTS"] = 2
    _request()
    notifications.deliver_due(now=utcnow() + timedelta(hours=1))
    [message] = _outbox()
    assert message.status == "failed"
    client = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(client).login("admin")
    page = client.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "legal_service" in page and "unreachable" in page
    service.start()


def _webhook(served, payload, secret=SECRET, timestamp=None, raw=None):
    body = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
    outgoing = urllib.request.Request(
        f"{served.url}/legal-service/webhook", method="POST", data=body,
        headers={"Content-Type": "application/json", **signing.sign(secret, body, timestamp)})
    db.session.commit()
    try:
        with urllib.request.urlopen(outgoing, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_webhook_refuses_bad_signatures_stale_times_and_replays(platform, service):
    _app, served = platform
    review = _request()
    delivery = {"delivery_id": "d-1", "review_id": review.id, "version": 1,
                "opinion": "no_issue", "reasoning": "未发现问题。", "provisions": "",
                "adviser": "某律师事务所"}
    assert _webhook(served, delivery, secret="not-the-secret") == 401
    assert _webhook(served, delivery, timestamp=time.time() - 3600) == 401
    assert _webhook(served, None, raw=b"{not json") == 400
    assert _webhook(served, dict(delivery, version="1")) == 400
    assert _webhook(served, dict(delivery, review_id=999_999)) == 404
    assert _webhook(served, dict(delivery, version=7)) == 422
    assert _webhook(served, dict(delivery, opinion="maybe")) == 422
    assert db.session.scalar(select(func.count()).select_from(ReviewComment)) == 0

    assert _webhook(served, delivery) == 201
    assert _webhook(served, delivery) == 409  # the same delivery, replayed
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(ReviewComment)) == 1

    # A village where the town has not enabled the service: not this service's review.
    other = _request(village="340102001003", by="shengli-organiser")
    assert _webhook(served, dict(delivery, delivery_id="d-2", review_id=other.id)) == 404


def test_the_reference_service_refuses_unsigned_requests(service):
    status, _reply = _post_json(f"{service.url}/reviews", {"idempotency_key": "k"})
    assert status == 401
    assert _get(f"{service.url}/reviews") == []
