"""Faults: a process killed in the middle of a publication or an import leaves nothing
half written, and the board's chain goes on valid after a restart; a database that cannot
be reached gives a clear 503 page."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from core.board import chain as disclosure
from core.kernel.extensions import db
from core.models import BoardEntry, BoardHead, Jurisdiction
from core.places import tree

ROOT = Path(__file__).resolve().parent.parent
LUOMA = "441900121201"


def _worker(database_url, *args):
    return subprocess.Popen([sys.executable, "-m", "tests.fault_worker", database_url, *args],
                            cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _kill_when_written(process):
    line = process.stdout.readline()
    assert line.strip() == "WRITTEN", line + process.stderr.read()[-2000:]
    assert process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def _finish(process):
    out, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors[-2000:]
    return out


def test_a_publication_killed_half_way_leaves_the_chain_valid(app, demo, database_url):
    luoma = tree.by_code(LUOMA)
    _finish(_worker(database_url, "publish", LUOMA, "3"))
    _kill_when_written(_worker(database_url, "publish", LUOMA, "5", "--stall"))
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(BoardEntry)) == 3
    assert db.session.get(BoardHead, luoma.id).last_seq == 3
    assert disclosure.verify(luoma).ok
    # After the restart, publishing goes on from where the chain stands.
    _finish(_worker(database_url, "publish", LUOMA, "4"))
    db.session.expire_all()
    result = disclosure.verify(luoma)
    assert result.ok and result.checked == 7
    assert db.session.scalars(select(BoardEntry.seq).order_by(BoardEntry.seq)).all() == list(
        range(1, 8))


def test_an_import_killed_half_way_writes_nothing(app, demo, database_url, tmp_path):
    from tests.bench.jurisdiction_import import as_csv, synthetic_tree

    rows = [row for row in synthetic_tree(3_000) if "-" not in row[0]]
    rows[0] = ("450000000000", "测试省", "province", "")
    rows = [(code.replace("44", "45", 1), name, level, parent.replace("44", "45", 1))
            for code, name, level, parent in rows]
    path = tmp_path / "tree.csv"
    path.write_text(as_csv(rows), encoding="utf-8")
    before = db.session.scalar(select(func.count()).select_from(Jurisdiction))
    _kill_when_written(_worker(database_url, "import", str(path), "--stall"))
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Jurisdiction)) == before
    out = _finish(_worker(database_url, "import", str(path)))
    assert f"IMPORTED {len(rows)}" in out
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Jurisdiction)) == before + len(rows)


def test_a_database_that_cannot_be_reached_gives_a_503_page():
    from core import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql://postgres@127.0.0.1:9/none",
                      "TESTING": True, "SECRET_KEY": "test", "XS_PLUGINS": ["national"]})
    client = app.test_client()
    for url in ("/", "/board/441900121201", "/j/441900121201", "/board/441900121201/verify"):
        response = client.get(url)
        assert response.status_code == 503, url
        page = response.get_data(as_text=True)
        assert "数据库暂时无法连接" in page and "Traceback" not in page
    english = client.get("/?lang=en").get_data(as_text=True)
    assert "database cannot be reached" in english
    api = client.get("/api/v1/jurisdictions")
    assert api.status_code == 503 and api.is_json
