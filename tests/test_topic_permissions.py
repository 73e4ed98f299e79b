"""Every topic route, by URL: out of scope is 403, anonymous goes to the login page."""

import pytest

from tests import lifecycle_helpers as h
from tests.conftest import csrf_token


def topic_routes(app, topic, meeting):
    """(method, url) for every route of the topics blueprint that names a topic."""
    values = {"topic_id": topic.id, "meeting_id": meeting.id, "participant_id": 1,
              "decision": "approve", "attachment_id": 1, "report_id": 1}
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("topics.") or "topic_id" not in rule.arguments:
            continue
        url = rule.build({key: values[key] for key in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, url))
    return found


@pytest.fixture
def village_a_topic(app, demo):
    return h.noticed()


def test_organiser_of_another_village_gets_403_on_every_topic_route(app, village_a_topic,
                                                                   client, auth):
    topic, meeting = village_a_topic
    routes = topic_routes(app, topic, meeting)
    assert len(routes) > 25
    auth.login("zsd-organiser")
    token = csrf_token(client, "/dashboard")
    for method, url in routes:
        if method == "GET":
            response = client.get(url)
        else:
            data = {"csrf_token": token}
            data.update({f"{prefix}-csrf_token": token for prefix in (
                "classify", "decline", "close", "scope", "person", "org", "guest", "meeting",
                "refer", "paper", "wr", "witness", "vote", "notice", "signin", "opinion",
                "result")})
            response = client.post(url, data=data)
        assert response.status_code == 403, (method, url, response.status_code)


def test_anonymous_visitors_are_sent_to_log_in(app, village_a_topic, client):
    topic, meeting = village_a_topic
    for method, url in topic_routes(app, topic, meeting):
        if method == "GET":
            response = client.get(url)
            assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_supervisor_reads_but_cannot_act(app, village_a_topic, client, auth):
    topic, _meeting = village_a_topic
    auth.login("luoma-supervisor")
    url = f"/topics/{topic.id}"
    page = client.get(url)
    assert page.status_code == 200 and f'{url}/advance"' not in page.get_data(as_text=True)
    response = auth.post(f"{url}/advance", {}, form_url=url)
    assert response.status_code == 400 and "没有权限" in response.get_data(as_text=True)
    assert topic.step == "notify"


def test_dashboard_shows_only_topics_in_scope(app, demo, client, auth):
    mine = h.proposed(title="罗马村的议题")
    from core.consultation import topics
    from core.places import tree

    theirs = topics.propose(h.user("zsd-organiser"), tree.by_code("441900101002"),
                            title="中山东社区的议题")
    auth.login("luoma-organiser")
    page = client.get("/dashboard").get_data(as_text=True)
    assert mine.title in page and theirs.title not in page
    assert client.get("/dashboard?code=441900101002").status_code == 403
    auth.logout()
    auth.login("qingxi-official")
    page = client.get("/dashboard").get_data(as_text=True)
    assert mine.title in page and theirs.title not in page
    auth.logout()
    auth.login("luoma-resident")
    assert client.get("/dashboard").status_code == 403
