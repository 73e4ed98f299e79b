"""A process the fault-tolerance tests kill in the middle of its work.

    python -m tests.fault_worker DATABASE_URL publish BOARD_CODE COUNT [--stall]
    python -m tests.fault_worker DATABASE_URL import CSV_PATH [--stall]

With ``--stall`` the process says ``WRITTEN`` on its standard output as soon as its
first row is written inside the open transaction, then waits there, so the test can
kill it with rows written and nothing committed.
"""

import sys
import time

from sqlalchemy import event

from core import create_app
from core.board import chain as disclosure
from core.kernel.extensions import db
from core.places import tree


def stall_after_first(table):
    def after(_conn, _cursor, statement, _parameters, _context, _many):
        if statement.lstrip().upper().startswith(f"INSERT INTO {table.upper()}"):
            print("WRITTEN", flush=True)
            time.sleep(60)
    event.listen(db.engine, "after_cursor_execute", after)


def main(url, command, *args):
    stall = "--stall" in args
    args = [arg for arg in args if arg != "--stall"]
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "XS_PLUGINS": ["national"],
                      "SECRET_KEY": "fault-worker"})
    with app.app_context():
        if command == "publish":
            code, count = args[0], int(args[1])
            if stall:
                stall_after_first("board_entry")
            board = tree.by_code(code)
            for number in range(count):
                disclosure.append(board, kind="announcement", title=f"公示-{number}",
                                  payload={"text": f"第 {number} 条公示"})
        elif command == "import":
            if stall:
                stall_after_first("jurisdiction")
            with open(args[0], encoding="utf-8") as stream:
                result = tree.import_csv(stream)
            print("IMPORTED", result.created, flush=True)
    print("DONE", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
