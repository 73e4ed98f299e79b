"""The committee dashboard: topics by step, what waits on me, overdue steps, filters."""

from datetime import timedelta

from core.consultation import dashboard
from core.kernel.extensions import db
from core.models import utcnow
from tests import lifecycle_helpers as h


def test_counts_by_step_waiting_and_overdue(app, demo, client, auth):
    fresh = h.proposed(title="刚提出的议题")
    stale = h.proposed(title="搁置很久的议题")
    stale.step_entered_at = utcnow() - timedelta(days=40)  # the first step allows 15 days
    db.session.commit()
    h.noticed(title="已发通知的议题")
    organiser = h.user("luoma-organiser")
    data = dashboard.summary(organiser)
    steps = {step: count for _procedure, step, count in data["by_step"]}
    assert steps == {"propose": 2, "notify": 1}
    assert data["waiting"] == 3 and data["overdue"] == 1
    overdue = dashboard.summary(organiser, overdue=True)
    assert [topic.id for topic, *_counts in overdue["rows"]] == [stale.id]
    auth.login("luoma-organiser")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "提出议题和协商主体" in page and fresh.title in page
    assert stale.title in client.get("/dashboard?overdue=1").get_data(as_text=True)
    assert fresh.title not in client.get("/dashboard?overdue=1").get_data(as_text=True)


def test_the_supervisor_sees_but_nothing_waits_on_them(app, demo):
    h.proposed()
    data = dashboard.summary(h.user("luoma-supervisor"))
    assert data["total"] == 1 and data["waiting"] == 0


def test_filters_by_status_item_and_subtree(app, demo, client, auth):
    accepted = h.accepted(title="已立项的议题")
    h.proposed(title="待研究的议题")
    auth.login("qingxi-official")
    page = client.get("/dashboard?status=accepted").get_data(as_text=True)
    assert accepted.title in page and "待研究的议题" not in page
    page = client.get("/dashboard?item=national.public_affairs").get_data(as_text=True)
    assert accepted.title in page and "待研究的议题" not in page
    assert accepted.title in client.get("/dashboard?code=441900121201").get_data(as_text=True)
    assert accepted.title not in client.get("/dashboard?code=441900121202").get_data(
        as_text=True)
    assert client.get("/dashboard?code=nope").status_code == 404
    assert client.get("/dashboard?status=bogus").status_code == 200
