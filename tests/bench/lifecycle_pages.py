"""The committee dashboard and a topic page as the number of topics and participants grows.

For each size it prints the SQL statements per request (which must not grow)
and the median and p95 latency, beside a bare SQLAlchemy Core query that
fetches the same first page of dashboard rows, with the ratio.
"""

import statistics
import time

from sqlalchemy import func, select

from core import create_app
from core.kernel.extensions import db
from core.models import Jurisdiction, Participant, Topic
from tests.bench.databases import each_database
from tests.conftest import AuthActions, FreshContextClient
from tests.statement_counter import add_topics, count_statements

SIZES = [(100, 5), (2_000, 5), (10_000, 20)]
REPEAT = 30


def timed(call, repeat=REPEAT):
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def bare_dashboard(engine, _topic_id):
    """The floor: the dashboard's first page of rows with participant counts, in Core."""
    query = (select(Topic.id, Topic.title, Topic.status, Topic.step, Jurisdiction.name)
             .join(Jurisdiction, Topic.jurisdiction_id == Jurisdiction.id)
             .where(Jurisdiction.path.startswith("/440000000000/"))
             .order_by(Topic.step_entered_at, Topic.id).limit(50))
    with engine.connect() as connection:
        rows = connection.execute(query).all()
        counts = connection.execute(
            select(Participant.topic_id, func.count()).where(
                Participant.topic_id.in_([row[0] for row in rows]))
            .group_by(Participant.topic_id)).all()
    return rows, counts


def bare_topic(engine, topic_id):
    """The floor: the topic's row and its participants, in Core."""
    with engine.connect() as connection:
        topic = connection.execute(select(Topic).where(Topic.id == topic_id)).first()
        people = connection.execute(select(Participant).where(
            Participant.topic_id == topic_id)).all()
    return topic, people


def measure(url, label):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "XS_PLUGINS": ["national"],
                      "XS_PASSWORD_HASH": "pbkdf2:sha256:1000"})
    with app.app_context():
        db.create_all()
        from core import demo

        demo.load(with_topics=False)
        village_id = db.session.scalar(select(Jurisdiction.id).where(
            Jurisdiction.code == "441900121201"))
        app.test_client_class = FreshContextClient
        client = app.test_client()
        AuthActions(client).login("luoma-organiser")
        made = 0
        for topics, participants in SIZES:
            add_topics(db.session.get(Jurisdiction, village_id), topics - made, participants)
            made = topics
            sample = db.session.scalar(select(Topic.id).order_by(Topic.id.desc()).limit(1))
            db.session.remove()
            for page, path, bare in (("dashboard", "/dashboard", bare_dashboard),
                                     ("topic", f"/topics/{sample}", bare_topic)):
                with count_statements(db.engine) as seen:
                    assert client.get(path).status_code == 200
                median, p95 = timed(lambda path=path: client.get(path))
                bare_median, _ = timed(lambda bare=bare, sample=sample: bare(db.engine, sample))
                print(f"{label:<10} {page:<9} topics {topics:>6} × {participants:>2} subjects: "
                      f"{len(seen):>2} statements, median {median:6.1f} ms, p95 {p95:6.1f} ms; "
                      f"bare query {bare_median:5.1f} ms, ratio {median / bare_median:5.1f}x")
        db.drop_all()
        db.engine.dispose()


def main():
    each_database(measure)


if __name__ == "__main__":
    main()
