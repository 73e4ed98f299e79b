"""How a request's transaction ends: a commit when it only read (so PostgreSQL keeps the
statements it prepared), a rollback when it wrote, left changes pending or failed."""

import pytest
from sqlalchemy import event, select, text

from core.kernel.errors import DomainError
from core.kernel.extensions import db
from core.models import Jurisdiction


@pytest.fixture
def endings(app):
    """The transaction endings the database is sent, in order."""
    seen = []
    listeners = {"commit": lambda connection: seen.append("commit"),
                 "rollback": lambda connection: seen.append("rollback")}
    for name, listener in listeners.items():
        event.listen(db.engine, name, listener)
    yield seen
    for name, listener in listeners.items():
        event.remove(db.engine, name, listener)


@pytest.fixture
def writing_routes(app):
    """Routes that write a province and then fail, or leave one pending without flushing."""
    def add(name):
        db.session.add(Jurisdiction(code="990000000000", name=name, level="province",
                                    path="990000000000/"))

    @app.route("/_test/write-then-refuse")
    def write_then_refuse():
        add("写了又拒绝")
        db.session.flush()
        raise DomainError("refused after writing")

    @app.route("/_test/leave-pending")
    def leave_pending():
        add("未写入")
        return "left pending"

    @app.route("/_test/write-then-fail")
    def write_then_fail():
        add("写了又出错")
        db.session.flush()
        raise RuntimeError("a bug after writing")

    return app


def _units():
    return db.session.scalars(select(Jurisdiction.name)).all()


def test_a_request_that_only_read_ends_with_a_commit(client, endings):
    """On PostgreSQL that keeps what psycopg prepared (it prepares a statement sent five
    times on one connection and forgets them all when the connection rolls back)."""
    for _ in range(8):
        assert client.get("/").status_code == 200
    assert endings == ["commit"] * 8
    with db.engine.connect() as connection:  # the one the requests used (the pool is LIFO)
        if connection.dialect.name == "postgresql":
            prepared = connection.execute(text(
                "SELECT statement FROM pg_prepared_statements")).scalars().all()
            assert any("FROM jurisdiction" in statement for statement in prepared), prepared


def test_a_request_that_wrote_and_was_refused_is_rolled_back(client, writing_routes, endings):
    assert client.get("/_test/write-then-refuse").status_code == 400
    assert endings == ["rollback"]
    assert _units() == []


def test_changes_left_pending_are_not_committed(client, writing_routes, endings):
    assert client.get("/_test/leave-pending").status_code == 200
    assert "commit" not in endings
    assert _units() == []


def test_a_request_that_wrote_and_failed_is_rolled_back(make_app, writing_routes):
    writing_routes.config["PROPAGATE_EXCEPTIONS"] = False
    client = writing_routes.test_client()
    assert client.get("/_test/write-then-fail").status_code == 500
    assert _units() == []
