"""A city report over 600 villages and 50,000 topics: time and SQL statements.

The tree and the topics are inserted in bulk; the report is generated through the service
(figures, plugin sections, digest, saved), beside the bare count of the same topics.
"""

import io
import time
from datetime import timedelta

from sqlalchemy import func, insert, select

from core import create_app
from core.kernel import permissions
from core.kernel.extensions import db
from core.models import Jurisdiction, Meeting, Topic, utcnow
from core.models.types import local_today
from core.places import tree
from core.reports import saved as reporting
from tests.bench.databases import each_database
from tests.statement_counter import count_statements

VILLAGES, TOPICS = 600, 50_000


def build(now):
    rows = ["code,name,level,parent_code", "441900000000,东莞市,city,"]
    for town in range(1, 31):
        town_code = f"441900{town:03d}000"
        rows.append(f"{town_code},第{town}镇,town,441900000000")
        for village in range(1, VILLAGES // 30 + 1):
            rows.append(f"{town_code[:9]}{village:03d},第{town}镇第{village}村,village,{town_code}")
    tree.import_csv(io.StringIO("\n".join(rows) + "\n"))
    villages = db.session.scalars(select(Jurisdiction.id).where(
        Jurisdiction.level == "village")).all()
    batch = []
    for number in range(TOPICS):
        village = villages[number % len(villages)]
        batch.append({"jurisdiction_id": village, "origin_id": village, "title": f"议题{number}",
                      "description": "", "channel": ("online", "door_to_door")[number % 2],
                      "status": "accepted", "procedure": "national", "step": "consult",
                      "step_entered_at": now, "item_code": "national.public_affairs",
                      "item_title": "公共事务", "deciding_bodies": "", "lead": "village",
                      "offline_required": False, "witness_required": False,
                      "created_at": now - timedelta(days=number % 300), "updated_at": now})
        if len(batch) == 5000:
            db.session.execute(insert(Topic), batch)
            batch = []
    db.session.commit()
    topic_ids = db.session.scalars(select(Topic.id).where(Topic.id % 5 == 0)).all()
    db.session.execute(insert(Meeting), [
        {"topic_id": topic_id, "round_no": 1, "form": "council", "mode": "offline",
         "starts_at": now - timedelta(days=topic_id % 200), "place": "村委", "host": "书记",
         "notice_at": now - timedelta(days=topic_id % 200 + 5), "agenda": "", "minutes": "记录",
         "held_at": now - timedelta(days=topic_id % 200), "outcome": "consensus",
         "created_at": now} for topic_id in topic_ids])
    db.session.commit()


def measure(url, label):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url,
                      "XS_PLUGINS": ["national", "dongguan"]})
    with app.app_context():
        db.create_all()
        build(utcnow())
        city = tree.by_code("441900000000")
        start, end = local_today() - timedelta(days=365), local_today()
        with count_statements(db.engine) as seen:
            started = time.perf_counter()
            saved = reporting.generate(permissions.SYSTEM, city, kind="assessment", start=start,
                                       end=end)
            took = time.perf_counter() - started
        started = time.perf_counter()
        bare = db.session.scalar(select(func.count()).select_from(Topic))
        bare_took = time.perf_counter() - started
        topics = saved.content["sections"][0]["rows"][1][1]
        print(f"{label:<10} city report over {VILLAGES} villages / {bare} topics: "
              f"{took * 1000:7.1f} ms, {len(seen)} statements ({topics} topics in the period); "
              f"bare count {bare_took * 1000:6.1f} ms")
        db.drop_all()
        db.engine.dispose()


def main():
    each_database(measure)


if __name__ == "__main__":
    main()
