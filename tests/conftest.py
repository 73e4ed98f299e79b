"""Fixtures: a real database per test session (SQLite file, or PostgreSQL when
DATABASE_URL is set), built by the migrations, emptied after every test."""

import os
import re
import sys
import uuid
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core import create_app
from core.kernel.extensions import db

SERVER_URL = os.environ.get("DATABASE_URL", "")
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_PLUGIN = ROOT / "examples" / "xs_village_notes"


def install_distribution(where, name, version, entry_points):
    """Make a distribution visible to importlib.metadata, as pip would leave it."""
    info = where / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    lines = "\n".join(f"{key} = {value}" for key, value in entry_points.items())
    (info / "entry_points.txt").write_text(f"[xieshang.plugins]\n{lines}\n")
    sys.path.insert(0, str(where))


@pytest.fixture(scope="session")
def example_plugin(tmp_path_factory):
    """The README's example plugin, installed for the whole session (its table
    lives in the shared metadata once imported)."""
    sys.path.insert(0, str(EXAMPLE_PLUGIN))
    install_distribution(tmp_path_factory.mktemp("site"), "xs-village-notes", "1.2.0",
                         {"village_notes": "xs_village_notes"})
    return "village_notes"


def _create_postgres_database(server_url, name):
    url = make_url(server_url).set(drivername="postgresql+psycopg", database="postgres")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(server_url, name):
    url = make_url(server_url).set(drivername="postgresql+psycopg", database="postgres")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id, example_plugin):
    """A new, empty database for this test process, migrated to every head
    (the core's, and the branches of the plugins with tables)."""
    if SERVER_URL.startswith("postgres"):
        name = f"xs_test_{uuid.uuid4().hex[:8]}_{worker_id}"
        url = _create_postgres_database(SERVER_URL, name)
    else:
        name = None
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True,
                      "XS_PLUGINS": ["national", "dongguan", example_plugin]})
    assert not app.extensions["xieshang.plugins"].failures
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(revision="heads")
        db.engine.dispose()
    yield url
    if name:
        _drop_postgres_database(SERVER_URL, name)


def _empty_tables():
    """Empty every table between tests, past the board's append-only guards."""
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Ordinary triggers do not fire for a session in replica mode.
            connection.execute(text("SET session_replication_role = replica"))
            guards = []
        else:
            guards = connection.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
            for name, _sql in guards:
                connection.execute(text(f'DROP TRIGGER "{name}"'))
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        for _name, sql in guards:
            connection.execute(text(sql))
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET session_replication_role = DEFAULT"))


class FreshContextClient(FlaskClient):
    """Runs every request in an app context of its own, as a server does.

    Tests hold an app context to call services; without this, requests would
    share its ``g`` (and its database session) with the test and each other.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build an app on the test database; extra settings and plugins as arguments."""
    made = []

    def build(overrides=None, plugins=()):
        settings = {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "XS_PLUGINS": ["national"],
            # Fast hashing keeps the suite quick; production uses scrypt.
            "XS_PASSWORD_HASH": "pbkdf2:sha256:1000",
        }
        settings.update(overrides or {})
        app = create_app(settings, plugins=plugins)
        app.test_client_class = FreshContextClient
        made.append(app)
        return app

    yield build
    for app in made[:1]:
        with app.app_context():
            db.session.remove()
            _empty_tables()
    for app in made:
        with app.app_context():
            db.engine.dispose()


def _marked_plugins(request):
    marker = request.node.get_closest_marker("plugins")
    if not marker:
        return ()
    from tests.plugins import TEST_PLUGINS

    return [(name, TEST_PLUGINS[name]) for name in marker.args]


@pytest.fixture
def app(make_app, request):
    app = make_app(plugins=_marked_plugins(request))
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def demo(app):
    from core import demo as demo_module

    demo_module.load(with_topics=False)  # tests make the topics they need
    return demo_module


_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                    r'type="hidden" name="csrf_token" value="([^"]+)"|'
                    r'name="csrf_token" value="([^"]+)"')


_ELEMENT_ID = re.compile(r'<[a-zA-Z][^>]*?\sid="([^"]+)"')


def duplicate_ids(page):
    """Element ids used more than once in an HTML ``page`` (labels and aria references to
    them would be ambiguous)."""
    ids = _ELEMENT_ID.findall(page)
    return sorted({found for found in ids if ids.count(found) > 1})


def csrf_token(client, url="/auth/login"):
    """The CSRF token a page at ``url`` hands out to this client."""
    page = client.get(url).get_data(as_text=True)
    match = _TOKEN.search(page)
    assert match, f"no CSRF token on {url}"
    return next(group for group in match.groups() if group)


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, username, password="xieshang-demo"):
        token = csrf_token(self._client)
        return self._client.post("/auth/login", data={
            "username": username, "password": password, "csrf_token": token,
        })

    def logout(self):
        token = csrf_token(self._client, "/")
        return self._client.post("/auth/logout", data={"csrf_token": token})

    def post(self, url, data=None, form_url=None, prefix=None, **kwargs):
        """POST to ``url`` with a valid CSRF token taken from ``form_url`` (default ``url``);
        ``prefix`` names a prefixed form's fields (``prefix-field``)."""
        data = dict(data or {})
        if prefix:
            data = {f"{prefix}-{key}": value for key, value in data.items()}
        key = f"{prefix}-csrf_token" if prefix else "csrf_token"
        data.setdefault(key, csrf_token(self._client, form_url or url))
        return self._client.post(url, data=data, **kwargs)


@pytest.fixture
def auth(client):
    return AuthActions(client)
