"""Benchmark (not part of `make test`; run by `make bench`).

Importing a 30,000-row jurisdiction CSV through the service (every row
validated, all-or-nothing, paths computed) against a bare SQLAlchemy Core
insert of the same rows into the same kind of database, side by side.
PostgreSQL is measured too when DATABASE_URL points at a server.
"""

import io
import time

from sqlalchemy import insert, text

from core import create_app
from core.kernel.extensions import db
from core.models import Jurisdiction
from core.places import tree
from tests.bench.databases import each_database


def synthetic_tree(size=30_000):
    """A province with cities, districts, towns, villages and sub-units: ``size`` rows."""
    rows = [("440000000000", "测试省", "province", "")]
    city_no = 0
    while len(rows) < size:
        city_no += 1
        city = f"44{city_no:02d}00000000"
        rows.append((city, f"第{city_no}市", "city", "440000000000"))
        for district_no in range(1, 11):
            district = f"{city[:4]}{district_no:02d}000000"
            rows.append((district, f"第{district_no}区", "district", city))
            for town_no in range(1, 16):
                town = f"{district[:6]}{town_no:03d}000"
                rows.append((town, f"第{town_no}镇", "town", district))
                for village_no in range(1, 16):
                    village = f"{town[:9]}{village_no:03d}"
                    rows.append((village, f"第{village_no}村", "village", town))
                    rows.append((f"{village}-G1", "第一小组", "villager_group", village))
                    if len(rows) >= size:
                        return rows[:size]
    return rows[:size]


def as_csv(rows):
    return "code,name,level,parent_code\n" + "".join(",".join(row) + "\n" for row in rows)


def bare_insert(engine, rows):
    """The floor: one executemany of ready-made rows, no validation, no paths checked."""
    with engine.begin() as connection:
        connection.execute(insert(Jurisdiction.__table__), [
            {"code": code, "name": name, "level": level, "path": "/" + code + "/", "depth": 0,
             "parent_id": None}
            for code, name, level, _parent in rows
        ])


def measure(url, label, rows):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "XS_PLUGINS": ["national"]})
    text_csv = as_csv(rows)
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        result = tree.import_csv(io.StringIO(text_csv))
        service_seconds = time.perf_counter() - started
        assert result.ok and result.created == len(rows), result.errors[:3]
        db.session.execute(text("DELETE FROM audit_event"))
        db.session.execute(text("DELETE FROM jurisdiction"))
        db.session.commit()
        started = time.perf_counter()
        bare_insert(db.engine, rows)
        bare_seconds = time.perf_counter() - started
        db.drop_all()
        db.engine.dispose()
    print(f"{label:<11} import {len(rows):>6} rows: service {service_seconds:6.2f} s, "
          f"bare insert {bare_seconds:6.2f} s, ratio {service_seconds / bare_seconds:5.1f}x")


def main():
    rows = synthetic_tree()
    each_database(lambda url, label: measure(url, label, rows))


if __name__ == "__main__":
    main()
