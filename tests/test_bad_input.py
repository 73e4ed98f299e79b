"""No input a user can type or upload yields a server error."""

import io

import pytest

from tests import lifecycle_helpers as h
from tests.conftest import csrf_token
from tests.test_topic_permissions import topic_routes

#: The end of each form's URL → the prefix of its fields.
PREFIXES = {"/classify": "classify", "/decline": "decline", "/close": "close",
            "/scope": "scope", "/participants/person": "person",
            "/participants/organisation": "org", "/participants/guest": "guest",
            "/meetings": "meeting", "/refer": "refer", "/outcome/paper": "paper",
            "/outcome/witness-required": "wr", "/outcome/witness": "witness", "/votes": "vote",
            "/notice": "notice", "/sign-in": "signin", "/opinions": "opinion",
            "/result": "result", "/reschedule": "move", "/tasks": "task",
            "/progress": "progress", "/town-report": "report", "/respond": "respond",
            "/supervision": "comment", "/explanations": "explain"}
FIELDS = ("item", "reason", "units", "person", "votes", "organisation", "representative", "kind",
          "name", "note", "form", "mode", "starts_at", "place", "host", "agenda",
          "offline_channel", "body", "participant", "required", "noticed_on", "held_on",
          "eligible", "present", "households_total", "households_represented", "votes_for",
          "votes_against", "votes_abstain", "with_meeting", "channels", "notice_at", "position",
          "text", "held_at", "minutes", "outcome", "consensus_text", "title", "responsible",
          "deadline", "task", "progress", "done", "response", "feedback", "concern",
          "explanation")
GARBAGE = ["", "-1", "99999999999999999999", "abc", "2026-13-45T99:99", "<script>x</script>",
           "' OR 1=1 --", "中" * 2_500, "\x00"]


@pytest.mark.parametrize("garbage", GARBAGE)
def test_garbage_in_every_topic_form_is_refused_without_a_server_error(app, demo, client,
                                                                      auth, garbage):
    topic, meeting = h.noticed()
    auth.login("luoma-organiser")
    token = csrf_token(client, "/dashboard")
    for method, url in topic_routes(app, topic, meeting):
        if method != "POST":
            continue
        prefix = next((p for end, p in PREFIXES.items() if url.endswith(end)), None)
        names = [f"{prefix}-{name}" if prefix else name for name in FIELDS]
        data = {name: garbage for name in names}
        data["csrf_token"] = data[f"{prefix}-csrf_token"] = token
        response = client.post(url, data=data)
        assert response.status_code < 500, (url, garbage, response.status_code)


def test_garbage_uploads_and_query_strings(app, demo, client, auth):
    topic, _meeting = h.held()
    auth.login("luoma-organiser")
    url = f"/topics/{topic.id}"
    for name, data in [("../../x.png", b"\x89PNG\r\n\x1a\n"), ("a.png", b"GIF89a"),
                       ("", b""), ("x" * 500 + ".pdf", b"%PDF-")]:
        response = auth.post(f"{url}/outcome/paper", {
            "participant": "1", "scan": (io.BytesIO(data), name)}, form_url=url,
            prefix="paper", content_type="multipart/form-data")
        assert response.status_code < 500, name
    for query in ["?page=-5", "?page=abc", "?code=%00", "?status=%27", "?overdue=1&mine=1"]:
        assert client.get("/dashboard" + query).status_code < 500, query
    for path in ["/board/%00", "/j/%00", "/board/441900121201?unit=%00",
                 "/admin/jurisdictions/?code=%00"]:
        assert client.get(path).status_code == 400, path
    assert client.get("/topics/999999").status_code == 404
    assert client.get(f"{url}/meetings/999999").status_code == 404
    assert client.get(f"{url}/files/999999").status_code == 404


def test_fields_point_assistive_technology_only_at_what_is_on_the_page(app, demo, client,
                                                                       auth):
    """A field without errors carries no aria-describedby/aria-invalid at all (never the
    text "None"); a refused field is marked invalid and points at its own error list."""
    topic = h.with_subjects()
    auth.login("luoma-organiser")
    page = client.get(f"/topics/{topic.id}/participants/new").get_data(as_text=True)
    assert 'id="person-person"' in page and 'aria-describedby="None"' not in page
    assert 'aria-invalid="None"' not in page and "aria-invalid" not in page
    auth.logout()
    token = csrf_token(client)
    refused = client.post("/auth/login", data={"csrf_token": token, "username": "",
                                               "password": ""}).get_data(as_text=True)
    assert 'aria-invalid="true"' in refused
    assert 'aria-describedby="username-errors"' in refused
    assert 'id="username-errors"' in refused
