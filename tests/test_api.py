"""The JSON API: public reads with hashes, personal tokens, and the committees' writes
through the same rules and permissions as the forms."""

from datetime import timedelta

from sqlalchemy import func, select

from core.board import chain as disclosure
from core.consultation import subjects
from core.kernel.extensions import db
from core.models import ApiToken, Meeting, Opinion, Topic, utcnow
from core.people import tokens
from tests import lifecycle_helpers as h

LUOMA = "441900121201"


def bearer(username):
    _row, token = tokens.create(h.user(username), "测试集成")
    return {"Authorization": f"Bearer {token}"}


def test_public_reads_carry_the_hashes_and_verify(app, demo, client):
    _topic, _meeting, entry = h.published()
    roots = client.get("/api/v1/jurisdictions").get_json()
    assert {item["code"] for item in roots["items"]} >= {"440000000000", "120000000000"}
    children = client.get("/api/v1/jurisdictions?parent=441900121000").get_json()
    assert [item["code"] for item in children["items"]] == ["441900121201", "441900121202"]
    assert children["items"][0]["parent"] == "441900121000"
    assert client.get("/api/v1/jurisdictions/999999999999").status_code == 404
    assert client.get("/api/v1/jurisdictions?page=0").status_code == 400

    page = client.get(f"/api/v1/boards/{LUOMA}/entries?limit=1").get_json()
    [newest] = page["items"]
    assert newest["entry_hash"] == entry.entry_hash and page["next_before"] == entry.seq
    older = client.get(f"/api/v1/boards/{LUOMA}/entries?before={page['next_before']}")
    assert [item["seq"] for item in older.get_json()["items"]] == list(
        range(entry.seq - 1, 0, -1))
    detail = client.get(f"/api/v1/boards/{LUOMA}/entries/{entry.seq}").get_json()
    assert disclosure.chain_hash(detail["prev_hash"], detail["content"]) == detail["entry_hash"]
    assert client.get(f"/api/v1/boards/{LUOMA}/verify").get_json()["ok"] is True
    assert client.get(f"/api/v1/boards/{LUOMA}/entries?kind=nonsense").status_code == 400


def test_tokens_are_made_shown_once_used_and_revoked(app, demo, client, auth):
    auth.login("luoma-organiser")
    response = auth.post("/auth/tokens", {"name": "村务系统"})
    page = response.get_data(as_text=True)
    token = page.split('<code class="token">')[1].split("</code>")[0]
    assert token.startswith("xs_")
    row = db.session.scalar(select(ApiToken))
    assert row.token_hash != token and token not in str(row.__dict__)
    auth.logout()
    other = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert other.get("/api/v1/topics", headers=headers).status_code == 200
    assert other.get("/api/v1/topics", headers={"Authorization": "Bearer xs_wrong"}
                     ).status_code == 401
    assert other.get("/api/v1/topics").status_code == 401
    auth.login("luoma-organiser")
    assert auth.post(f"/auth/tokens/{row.id}/revoke", {}, form_url="/auth/tokens"
                     ).status_code == 302
    assert other.get("/api/v1/topics", headers=headers).status_code == 401


def test_committees_work_through_the_same_rules_as_the_forms(app, demo, client):
    resident, organiser = bearer("luoma-resident"), bearer("luoma-organiser")
    # A resident proposes; the topic is theirs to read, not others' in another village.
    created = client.post("/api/v1/topics", json={"jurisdiction": LUOMA, "title": "修桥",
                                                  "description": "桥面破损"},
                          headers=resident)
    assert created.status_code == 201
    topic_id = created.get_json()["id"]
    assert client.get(f"/api/v1/topics/{topic_id}", headers=resident).status_code == 200
    stranger = bearer("qingxicun-organiser")
    assert client.get(f"/api/v1/topics/{topic_id}", headers=stranger).status_code == 404
    # A proposal cannot have a meeting yet: the procedure refuses, nothing is written.
    starts = (utcnow() + timedelta(days=10)).isoformat()
    meeting = {"form": "council", "mode": "offline", "starts_at": starts, "place": "会议室",
               "host": "陈书记"}
    refused = client.post(f"/api/v1/topics/{topic_id}/meetings", json=meeting,
                          headers=organiser)
    assert refused.status_code == 422 and refused.get_json()["error"]
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 0
    # Once accepted with subjects, the committee schedules; a resident may not.
    topic = h.with_subjects()
    from core.consultation import topics

    topics.advance(h.user("luoma-organiser"), topic)
    assert client.post(f"/api/v1/topics/{topic.id}/meetings", json=meeting,
                       headers=resident).status_code in (403, 404)
    made = client.post(f"/api/v1/topics/{topic.id}/meetings", json=meeting, headers=organiser)
    assert made.status_code == 201, made.get_json()
    listed = client.get(f"/api/v1/topics/{topic.id}/meetings", headers=organiser).get_json()
    assert [m["id"] for m in listed["items"]] == [made.get_json()["id"]]
    bad = client.post(f"/api/v1/topics/{topic.id}/meetings",
                      json=dict(meeting, mode="by pigeon", starts_at="tomorrow"),
                      headers=organiser)
    assert bad.status_code == 400 and set(bad.get_json()["fields"]) == {"mode", "starts_at"}
    assert client.post(f"/api/v1/topics/{topic.id}/meetings", data="not json",
                       headers=organiser).status_code == 400


def test_opinions_and_confirmation_through_the_api(app, demo, client):
    organiser = bearer("luoma-organiser")
    topic, meeting = h.noticed()
    from core.consultation import topics

    topics.advance(h.user("luoma-organiser"), topic)
    participant = subjects.participants(topic)[0]
    url = f"/api/v1/topics/{topic.id}/meetings/{meeting.id}/opinions"
    posted = client.post(url, json={"participant_id": participant.id, "position": "support",
                                    "text": "同意"}, headers=organiser)
    assert posted.status_code == 201 and posted.get_json()["on_behalf"] is True
    assert client.post(url, json={"participant_id": participant.id, "position": "support",
                                  "text": "a\u0000b"}, headers=organiser).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Opinion)) == 1

    topic, _meeting = h.held()
    confirm = f"/api/v1/topics/{topic.id}/outcome/confirm"
    refused = client.post(confirm, headers=organiser)
    assert refused.status_code == 422
    outcome = client.get(f"/api/v1/topics/{topic.id}/outcome", headers=organiser).get_json()
    assert outcome["missing"] and outcome["confirmed_at"] is None
    from core.consultation import outcomes

    current = outcomes.current(topic)
    for p in subjects.participants(topic):
        outcomes.record_paper_signature(h.user("luoma-organiser"), topic, current, p,
                                        filename="s.png", data=h.PNG)
    assert client.post(confirm, headers=bearer("luoma-resident")).status_code in (403, 404)
    confirmed = client.post(confirm, headers=organiser)
    assert confirmed.status_code == 200 and confirmed.get_json()["confirmed_at"]
    assert db.session.get(Topic, topic.id) is not None


def test_errors_are_json_in_the_requested_language(app, demo, client):
    assert client.get("/api/v1/nowhere").get_json()["error"] == "页面不存在。"
    assert "token" in client.get("/api/v1/topics?lang=en").get_json()["error"]
    assert client.get("/api/v1/topics").get_json()["error"].startswith("需要")
    assert client.delete("/api/v1/topics").status_code == 405
    assert client.delete("/api/v1/topics").is_json


def test_the_openapi_document_is_generated_from_the_views(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) >= {"/api/v1/boards/{code}/entries", "/api/v1/topics",
                                  "/api/v1/topics/{topic_id}/outcome/confirm"}
    assert spec["paths"]["/api/v1/topics"]["post"]["security"] == [{"token": []}]
    assert "ProposeInput" in spec["components"]["schemas"]
