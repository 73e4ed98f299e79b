"""Attacks a visitor can try: script in every text field, SQL in every search, requests
without a CSRF token, and secrets that must never reach a log."""

import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select

from core.board import entries as board
from core.consultation import meetings, outcomes, screening, subjects, topics
from core.kernel.extensions import db
from core.legal import reviews as legal
from core.models import AuditEvent, BoardEntry, Jurisdiction, Topic, User
from core.people import accounts, register, tokens
from core.places import tree
from tests import lifecycle_helpers as h
from tests.conftest import csrf_token

LUOMA = "441900121201"
SCRIPT = '<script>alert("xs")</script><img src=x onerror=alert(1)>'


def _seed_everywhere():
    """Put the payload in every kind of text people type, through the services."""
    organiser, resident = h.user("luoma-organiser"), h.user("luoma-resident")
    luoma = tree.by_code(LUOMA)
    register.add_person(organiser, luoma, name=SCRIPT[:90], registered=True)
    topic = topics.propose(resident, luoma, title=SCRIPT, description=SCRIPT)
    screening.screen(organiser, topic)
    topics.classify(organiser, topic, "national.public_affairs")
    topics.accept(organiser, topic)
    subjects.invite_person(organiser, topic, h.person("陈美玲"))
    subjects.invite_guest(organiser, topic, kind="expert", name=SCRIPT[:90], note=SCRIPT)
    topics.advance(organiser, topic)
    from core.models import utcnow

    meeting = meetings.schedule(organiser, topic, form="council", mode="offline",
                                starts_at=utcnow() - timedelta(days=1), place=SCRIPT[:190],
                                host=SCRIPT[:90], agenda=SCRIPT)
    meetings.publish_notice(organiser, topic, meeting, channels=["board"],
                            at=utcnow() - timedelta(days=10))
    topics.advance(organiser, topic)
    participant = subjects.participants(topic)[0]
    meetings.sign_in(organiser, topic, meeting, participant)
    meetings.add_opinion(organiser, topic, meeting, participant, position="support",
                         text=SCRIPT)
    meetings.record_result(organiser, topic, meeting, held_at=utcnow() - timedelta(hours=2),
                           minutes=SCRIPT, outcome="consensus", consensus_text=SCRIPT)
    outcome = outcomes.current(topic)
    outcomes.require_witness(organiser, topic, outcome, True)
    outcomes.record_witness(organiser, topic, outcome, kind="lawyer", name=SCRIPT[:90])
    review = legal.request_review(organiser, subject="village_rules", village=luoma,
                                  title=SCRIPT[:190], text=SCRIPT, note=SCRIPT)
    opinion = legal.give_opinion(h.user("luoma-lawyer"), review,
                                 version_id=legal.latest_version(review).id, opinion="revise",
                                 reasoning=SCRIPT, provisions=SCRIPT)
    legal.reply(organiser, review, parent_id=opinion.id, text=SCRIPT)
    entry = db.session.scalar(select(BoardEntry).order_by(BoardEntry.id.desc()).limit(1))
    board.ask(resident, entry, SCRIPT)
    board.correct(organiser, entry, reason=SCRIPT, text=SCRIPT)
    return topic, meeting, review, entry


def test_script_in_every_text_field_renders_inert(app, demo, client, auth):
    topic, meeting, review, entry = _seed_everywhere()
    auth.login("admin")
    urls = [f"/topics/{topic.id}", f"/topics/{topic.id}/meetings/{meeting.id}", "/dashboard",
            f"/legal/reviews/{review.id}", "/legal/", f"/board/{LUOMA}",
            f"/board/{LUOMA}/{entry.seq}", f"/board/{LUOMA}/{entry.seq + 1}",
            f"/board/{LUOMA}/feed.atom", f"/admin/jurisdictions/{LUOMA}/people",
            f"/admin/audit?code={LUOMA}", "/my/topics"]
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.get_data(as_text=True)
        assert "<script>alert" not in text and "<img src=x" not in text, url
    shown = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in shown  # escaped, not dropped
    listed = client.get(f"/board/{LUOMA}").get_data(as_text=True)  # rows written unescaped
    assert "&lt;script&gt;alert(&#34;xs&#34;)&lt;/script&gt;&lt;img src=x" in listed
    # The JSON API hands the text back as data, never as markup to render.
    api = client.get(f"/api/v1/boards/{LUOMA}/entries/{entry.seq}")
    assert api.mimetype == "application/json" and api.get_json()["title"] == SCRIPT


INJECTIONS = ["' OR '1'='1", "1; DROP TABLE topic; --", "%' UNION SELECT password_hash "
              "FROM user_account --", "\\", "%", "_", "')); DELETE FROM jurisdiction; --"]


def test_sql_in_every_search_and_filter_is_just_text(app, demo, client, auth):
    h.published()
    auth.login("admin")
    topics_before = db.session.scalar(select(func.count()).select_from(Topic))
    users_before = db.session.scalar(select(func.count()).select_from(User))
    for text in INJECTIONS:
        for url in (f"/admin/users/?q={text}", f"/admin/jurisdictions/?q={text}",
                    f"/admin/jurisdictions/{LUOMA}/people?q={text}",
                    f"/board/{LUOMA}?item={text}&kind={text}", f"/dashboard?item={text}",
                    f"/dashboard?status={text}", f"/api/v1/jurisdictions?parent={text}",
                    f"/api/v1/boards/{LUOMA}/entries?kind={text}", f"/j/{text}",
                    f"/legal/?status={text}", f"/reports/{LUOMA}?from={text}"):
            response = client.get(url)
            assert response.status_code < 500, url
            # No password hash leaks out (tests hash with pbkdf2, production with scrypt).
            assert "pbkdf2:sha256" not in response.get_data(as_text=True)
    # A search for "%" or "_" matches those characters, not everything.
    page = client.get("/admin/users/?q=%25").get_data(as_text=True)
    assert "luoma-organiser" not in page
    names = set(inspect(db.engine).get_table_names())
    assert {"topic", "jurisdiction", "user_account"} <= names
    assert db.session.scalar(select(func.count()).select_from(Topic)) == topics_before
    assert db.session.scalar(select(func.count()).select_from(User)) == users_before
    assert db.session.scalar(select(func.count()).select_from(Jurisdiction)) > 10


def test_every_state_change_needs_the_csrf_token(app, demo, client, auth):
    topic = h.accepted()
    auth.login("luoma-organiser")
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    for url, data in ((f"/topics/{topic.id}/advance", {}),
                      (f"/topics/{topic.id}/close", {"close-reason": "没有令牌"}),
                      ("/topics/propose", {"title": "无令牌", "description": "x"}),
                      ("/auth/tokens", {"name": "无令牌"}),
                      ("/legal/new", {"village": LUOMA, "subject": "charter", "title": "x",
                                      "text": "x"})):
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        forged = dict(data, csrf_token="forged", **{"close-csrf_token": "forged"})
        assert client.post(url, data=forged).status_code == 400, url
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert topics.get(topic.id).step == topic.step


def test_a_session_cookie_does_not_open_the_api_to_cross_site_requests(app, demo, client, auth):
    auth.login("luoma-organiser")
    response = client.post("/api/v1/topics", json={"jurisdiction": LUOMA, "title": "跨站"})
    assert response.status_code == 401
    assert db.session.scalar(select(func.count()).select_from(Topic)) == 0


def test_secrets_never_reach_the_logs(make_app, caplog):
    from core import demo

    secret = "legal-service-secret-value"
    app = make_app({"XS_PLUGINS": ["national", "legal_service"],
                    "XS_LEGAL_SERVICE_URL": "http://127.0.0.1:9/reviews",
                    "XS_LEGAL_SERVICE_SECRET": secret})
    caplog.set_level(logging.DEBUG)
    with app.app_context():
        demo.load(with_topics=False)
        from core.kernel.permissions import SYSTEM
        from core.places import plugin_settings

        plugin_settings.enable(SYSTEM, "legal_service", tree.by_code("441900121000"))
        client = app.test_client()
        token_text = csrf_token(client)
        client.post("/auth/login", data={"username": "luoma-organiser",
                                         "password": "wrong-password-typed", "csrf_token":
                                         token_text})
        client.post("/auth/login", data={"username": "luoma-organiser",
                                         "password": "xieshang-demo", "csrf_token":
                                         token_text})
        _row, api_token = tokens.create(h.user("luoma-organiser"), "日志")
        app.test_client().get("/api/v1/topics", headers={"Authorization": f"Bearer {api_token}"})
        legal.request_review(h.user("luoma-organiser"), subject="charter",
                             village=tree.by_code(LUOMA), title="章程", text="第一条")
        admin = h.user("admin")
        made = accounts.create_user(admin, username="new-user", display_name="新用户",
                                    password="another-long-password")
        accounts.reset_password(admin, made, "reset-long-password")
        from core.models import Notification

        failed = db.session.scalar(select(Notification.last_error).where(
            Notification.channel == "legal_service"))
        audit_text = str(db.session.execute(select(AuditEvent.before, AuditEvent.after)).all())
    logged = caplog.text + (failed or "") + audit_text
    for secret_text in ("wrong-password-typed", "xieshang-demo", api_token, secret,
                        "another-long-password", "reset-long-password", "test-secret"):
        assert secret_text not in logged, secret_text
    assert failed  # the delivery failed (nothing listens on port 9) and said why


@pytest.mark.parametrize("target", ["/%09/evil.example", "/%0A/evil.example", "%0A",
                                    "/%0D%0ALocation:%20//evil.example", "/\\evil.example",
                                    "http:/evil.example", "/%7F/evil.example"])
def test_next_never_leaves_the_site_nor_breaks_the_redirect(client, target):
    response = client.get(f"/lang/en?next={target}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_login_with_a_tab_in_next_stays_on_site(client, demo):
    from tests.conftest import csrf_token

    response = client.post("/auth/login?next=/%09/evil.example", data={
        "username": "admin", "password": "xieshang-demo", "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/admin/"
    assert client.get("/lang/en?next=/j/441900121201").headers["Location"] == "/j/441900121201"
