"""Count the SQL statements a block of code sends (for fixed-query-count checks)."""

from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def count_statements(engine, parameters=False):
    """The statements sent within the block; with ``parameters``, (statement, parameters)."""
    seen = []

    def before(conn, cursor, statement, sent, context, executemany):
        seen.append((statement, sent) if parameters else statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def add_topics(village, count, participants_each, proposer=None):
    """Bulk-add accepted topics at the consult step, each with participants and a meeting."""
    from datetime import timedelta

    from core.kernel.extensions import db
    from core.models import Meeting, Participant, Topic, utcnow

    now = utcnow()
    made = []
    for number in range(count):
        topic = Topic(jurisdiction_id=village.id, origin_id=village.id,
                      title=f"批量议题{number}", description="", channel="online",
                      status="accepted", procedure="national", step="consult",
                      step_entered_at=now - timedelta(days=number % 40),
                      item_code="national.public_affairs", item_title="公共事务",
                      screened_at=now, proposer_id=proposer)
        db.session.add(topic)
        made.append(topic)
    db.session.flush()
    for topic in made:
        db.session.add_all(Participant(topic_id=topic.id, kind="official", name=f"主体{i}",
                                       votes=False) for i in range(participants_each))
        db.session.add(Meeting(topic_id=topic.id, jurisdiction_id=topic.jurisdiction_id,
                               round_no=1, form="council", mode="offline",
                               starts_at=now, place="村委", host="书记", notice_at=now))
    db.session.commit()
    return made
