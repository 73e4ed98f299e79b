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


def test_days_outside_the_calendar_get_a_message_not_a_server_error(app, demo, client, auth):
    for query in ("from=0001-01-01", "to=9999-12-31", "from=9999-12-31&to=0001-01-01"):
        assert client.get(f"/board/441900121201?{query}").status_code == 200
    auth.login("qingxi-official")
    for start, end in (("0001-01-01", "0001-01-02"), ("9999-12-30", "9999-12-31")):
        response = auth.post("/reports/441900121000", {"kind": "assessment", "from": start,
                                                       "to": end})
        assert response.status_code == 400
        assert "1900" in response.get_data(as_text=True)
    auth.logout()
    auth.login("luoma-lawyer")
    for day in ("0001-01-01", "9999-12-31"):
        response = client.get(f"/legal/compliance/441900121201?from={day}&to={day}")
        assert response.status_code == 400 and "1900" in response.get_data(as_text=True)


def test_vote_dates_at_year_1_or_9999_are_refused_on_the_form(app, demo, client, auth):
    topic, _meeting = h.confirmed("national.legal_requirement")
    auth.login("luoma-organiser")
    for day in ("0001-01-01", "9999-12-31"):
        response = auth.post(f"/topics/{topic.id}/votes", {
            "body": topic.deciding_body_list[-1], "noticed_on": day, "held_on": day,
            "eligible": "30", "present": "21", "votes_for": "15", "votes_against": "1",
            "votes_abstain": "0"}, form_url=f"/topics/{topic.id}", prefix="vote")
        assert response.status_code == 400, day
        assert "1900" in response.get_data(as_text=True)


def test_meeting_times_and_task_deadlines_outside_the_calendar_are_refused(app, demo):
    from datetime import date, datetime

    from core.consultation import forms
    from core.implementation import tracking
    from core.kernel.errors import DomainError

    with app.test_request_context("/"):
        for moment in (datetime(1, 1, 1, 9), datetime(9999, 12, 31, 23, 59)):
            with pytest.raises(DomainError):
                forms.to_utc(moment)
    topic, _meeting = h.published("national.public_affairs")[:2]
    for day in (date(9999, 12, 31), date(1, 1, 1)):
        with pytest.raises(DomainError):
            tracking.add_task(h.user("luoma-organiser"), topic, title="修路",
                              responsible="村委会", deadline=day)


def test_hours_that_are_no_number_are_refused_with_a_message(app, demo, client, auth):
    auth.login("luoma-lawyer")
    from core.models.types import local_today

    for hours in ("NaN", "inf", "-inf", "sNaN"):
        response = auth.post("/legal/service", {"village": "441900121201", "kind": "onsite",
                                                "on": local_today().isoformat(),
                                                "hours": hours, "note": ""})
        assert response.status_code == 400, hours


def test_deeply_nested_json_is_a_400_not_a_server_error(app, demo, client):
    from core.people import tokens
    from tests import lifecycle_helpers as h

    _row, token = tokens.create(h.user("luoma-organiser"), "深层")
    response = client.post("/api/v1/topics", data="[" * 5000 + "]" * 5000,
                           headers={"Authorization": f"Bearer {token}",
                                    "Content-Type": "application/json"})
    assert response.status_code == 400 and "error" in response.get_json()
