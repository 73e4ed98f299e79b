"""List and detail pages run a fixed number of SQL statements, whatever the data size."""

from core.kernel.extensions import db
from core.places import tree
from tests import lifecycle_helpers as h
from tests.statement_counter import add_topics, count_statements


def statements(client, url):
    with count_statements(db.engine) as seen:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(seen)


def test_dashboard_statements_do_not_grow_with_topics(app, demo, client, auth):
    village = tree.by_code("441900121201")
    add_topics(village, 3, 2)
    auth.login("luoma-organiser")
    small = statements(client, "/dashboard")
    add_topics(village, 40, 2)
    assert statements(client, "/dashboard") == small
    # A filter adds one count of the topics it keeps; without one, the total comes with
    # the counts by step.
    assert statements(client, "/dashboard?overdue=1") == small + 1
    assert statements(client, "/dashboard?mine=1&status=accepted") == small + 1


def test_topic_page_statements_do_not_grow_with_participants(app, demo, client, auth):
    village = tree.by_code("441900121201")
    few, many = add_topics(village, 1, 2)[0], add_topics(village, 1, 40)[0]
    auth.login("luoma-organiser")
    assert statements(client, f"/topics/{many.id}") == statements(client, f"/topics/{few.id}")


def _meeting_in_progress(title, extra_people=()):
    """A topic at its meeting: everyone signed in and each has given an opinion."""
    from datetime import timedelta

    from core.consultation import meetings, subjects, topics
    from core.models import utcnow

    organiser = h.user("luoma-organiser")
    topic = h.with_subjects(title=title)
    for name in extra_people:
        subjects.invite_person(organiser, topic, h.person(name))
    topics.advance(organiser, topic)
    meeting = meetings.schedule(organiser, topic, form="council", mode="offline",
                                starts_at=utcnow() - timedelta(days=1), place="村委", host="书记")
    meetings.publish_notice(organiser, topic, meeting, channels=["board"],
                            at=utcnow() - timedelta(days=9))
    topics.advance(organiser, topic)
    for participant in subjects.participants(topic):
        meetings.sign_in(organiser, topic, meeting, participant)
        meetings.add_opinion(organiser, topic, meeting, participant, position="support",
                             text="同意")
    return f"/topics/{topic.id}/meetings/{meeting.id}"


def test_meeting_page_statements_do_not_grow_with_attendance(app, demo, client, auth):
    small = _meeting_in_progress("人少的议题")
    big = _meeting_in_progress("人多的议题", extra_people=("叶伯", "黄小红", "李建国"))
    auth.login("luoma-organiser")
    assert statements(client, big) == statements(client, small)
