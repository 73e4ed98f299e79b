"""Run a benchmark on a fresh SQLite file and, when DATABASE_URL names a PostgreSQL server,
on a fresh PostgreSQL database that is dropped afterwards."""

import os
import tempfile
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def each_database(measure):
    """Call ``measure(url, label)`` for SQLite and, if configured, PostgreSQL."""
    with tempfile.TemporaryDirectory() as folder:
        measure(f"sqlite:///{folder}/bench.db", "SQLite")
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        print("PostgreSQL: set DATABASE_URL=postgresql://… to measure it too")
        return
    name = f"xs_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(server).set(drivername="postgresql+psycopg",
                                               database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(server).set(drivername="postgresql+psycopg", database=name)
        measure(url.render_as_string(hide_password=False), "PostgreSQL")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
