"""A board of 100,000 entries: verifying it, and serving its public pages.

The chain is built with the same hashing the platform uses and inserted in
bulk; the page times sit beside a bare SQLAlchemy Core query for the same
rows, with the ratio.
"""

import statistics
import time
from datetime import timedelta

from sqlalchemy import insert, select, text

from core import create_app
from core.board import chain as disclosure
from core.kernel.extensions import db
from core.models import BoardEntry, BoardHead, Jurisdiction, utcnow
from tests.bench.databases import each_database
from tests.conftest import FreshContextClient
from tests.statement_counter import count_statements

ENTRIES = 100_000


def build_board(node, count):
    previous, rows = disclosure.GENESIS, []
    start = utcnow() - timedelta(days=count // 100)
    for seq in range(1, count + 1):
        published = start + timedelta(minutes=seq)
        content = {"board": node.code, "board_name": node.name, "seq": seq,
                   "kind": "announcement", "title": f"公示第{seq}号", "published_at":
                   published.isoformat(), "topic": None, "item": None, "corrects": None,
                   "author": "bench", "payload": {"text": "批量生成的公示内容。" * 3}}
        entry_hash = disclosure.chain_hash(previous, content)
        rows.append({"jurisdiction_id": node.id, "seq": seq, "kind": "announcement",
                     "title": content["title"], "published_at": published,
                     "content": content, "prev_hash": previous, "entry_hash": entry_hash})
        previous = entry_hash
        if len(rows) == 5000:
            db.session.execute(insert(BoardEntry), rows)
            rows = []
    if rows:
        db.session.execute(insert(BoardEntry), rows)
    db.session.add(BoardHead(jurisdiction_id=node.id, last_seq=count, last_hash=previous))
    db.session.commit()


def timed(call, repeat=20):
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def measure(url, label):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "XS_PLUGINS": ["national"]})
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.create_all()
        from core import demo

        demo.load(with_topics=False)
        node = db.session.scalar(select(Jurisdiction).where(Jurisdiction.code == "441900121201"))
        started = time.perf_counter()
        build_board(node, ENTRIES)
        print(f"{label:<10} built {ENTRIES} entries in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        result = disclosure.verify(node)
        took = time.perf_counter() - started
        assert result.ok and result.checked == ENTRIES
        print(f"{label:<10} verify {ENTRIES} entries: {took:.2f} s "
              f"({ENTRIES / took:,.0f} entries/s)")
        client = app.test_client()
        node_id, code = node.id, node.code
        db.session.remove()

        def bare(offset):
            with db.engine.connect() as connection:
                return connection.execute(
                    select(BoardEntry.seq, BoardEntry.title, BoardEntry.kind,
                           BoardEntry.published_at, BoardEntry.entry_hash)
                    .where(BoardEntry.jurisdiction_id == node_id)
                    .order_by(BoardEntry.seq.desc()).limit(50).offset(offset)).all()

        for name, path, offset in (("board p.1", f"/board/{code}", 0),
                                   ("board p.1000", f"/board/{code}?page=1000", 49_950),
                                   ("entry", f"/board/{code}/{ENTRIES // 2}", None)):
            with count_statements(db.engine) as seen:
                assert client.get(path).status_code == 200
            median, p95 = timed(lambda path=path: client.get(path))
            bare_median, _ = timed(lambda offset=offset: bare(offset or 0))
            print(f"{label:<10} {name:<12} {len(seen):>2} statements, median {median:6.1f} ms, "
                  f"p95 {p95:6.1f} ms; bare query {bare_median:5.1f} ms, "
                  f"ratio {median / bare_median:5.1f}x")
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SET session_replication_role = replica"))
        db.drop_all()
        db.engine.dispose()


def main():
    each_database(measure)


if __name__ == "__main__":
    main()
