"""Publish entries to one board from a separate process (used by the concurrency test).

    python -m tests.concurrent_publisher DATABASE_URL BOARD_CODE COUNT NAME START

Every process waits for the same START time (a Unix timestamp), so they publish at once.
"""

import sys
import time

from core import create_app
from core.board import chain as disclosure
from core.places import tree


def main(url, code, count, name, start):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "XS_PLUGINS": ["national"]})
    with app.app_context():
        board = tree.by_code(code)
        time.sleep(max(0.0, start - time.time()))
        for number in range(count):
            disclosure.append(board, kind="announcement", title=f"{name}-{number}",
                              payload={"text": f"{name} 的第 {number} 条公示"})


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5]))
