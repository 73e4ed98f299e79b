"""Several processes publishing to the same board at once still leave one valid chain."""

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from core.board import chain as disclosure
from core.kernel.extensions import db
from core.models import BoardEntry
from core.places import tree

ROOT = Path(__file__).resolve().parents[1]
PROCESSES, EACH = 4, 15


def test_concurrent_publishers_keep_the_chain_valid(app, demo, database_url):
    luoma = tree.by_code("441900121201")
    environment = dict(os.environ, PYTHONPATH=str(ROOT))
    start = str(time.time() + 4)
    workers = [subprocess.Popen([sys.executable, "-m", "tests.concurrent_publisher",
                                 database_url, luoma.code, str(EACH), f"p{number}", start],
                                cwd=ROOT, env=environment, stderr=subprocess.PIPE)
               for number in range(PROCESSES)]
    for worker in workers:
        _out, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors.decode()[-2000:]
    db.session.expire_all()
    entries = db.session.scalars(select(BoardEntry).where(BoardEntry.jurisdiction_id == luoma.id)
                                 .order_by(BoardEntry.seq)).all()
    assert [entry.seq for entry in entries] == list(range(1, PROCESSES * EACH + 1))
    assert len({entry.title for entry in entries}) == PROCESSES * EACH
    result = disclosure.verify(luoma)
    assert result.ok and result.checked == PROCESSES * EACH
