"""Flask extensions, created unbound and attached in ``create_app``."""

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

# Stable constraint names, so migrations can name what they alter.
naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=naming_convention))
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()


@event.listens_for(Engine, "connect")
def _sqlite_enforces_foreign_keys(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def read_rows(statement, parameters=None):
    """The rows of ``statement``, one that selects columns, never entities (a long list
    shown as it is read), run on the session's connection in its transaction.

    ``session.execute`` spends as long preparing the ORM's part of a statement (entities,
    loader options, identity) as the database spends answering a list of fifty rows;
    a statement of plain columns has no such part. Pending changes are flushed first, as
    ``session.execute`` would do."""
    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, parameters).all()
