"""How a request's database transaction ends.

psycopg forgets every statement it has prepared on a connection whenever that connection
rolls back, and Flask-SQLAlchemy ends every request's session with a rollback, so
PostgreSQL would plan every statement of every request again (planning the topic page's
join of seven tables takes longer than running it). A transaction that wrote nothing is
ended with a commit instead, which for it means the same, and the connection keeps its
prepared statements for the next request. A transaction that wrote anything, has changes
pending or ends in an error is rolled back as before.
"""

from flask import current_app
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from core.kernel.extensions import db

_WROTE = "xs_wrote"  # on a connection: its transaction sent something other than a SELECT
_CONNECTION = "xs_connection"  # on a session: the connection its transaction runs on


@event.listens_for(Engine, "begin")
def _nothing_written_yet(connection):
    connection.info[_WROTE] = False


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(connection, _cursor, statement, _parameters, _context, _executemany):
    if not statement.startswith("SELECT"):
        connection.info[_WROTE] = True


@event.listens_for(Session, "after_begin")
def _remember_connection(session, _transaction, connection):
    session.info[_CONNECTION] = connection


def end_reading_transaction(error=None):
    """Commit the app context's transaction if it only read (teardown)."""
    if not db.session.registry.has():
        return
    session = db.session()
    connection = session.info.pop(_CONNECTION, None)
    if (error is not None or connection is None or not session.in_transaction()
            or connection.info.get(_WROTE, True)
            or session.new or session.dirty or session.deleted):
        return
    # The session ends here: what it read stays readable, as it would after a rollback.
    session.expire_on_commit = False
    try:
        session.commit()
    except SQLAlchemyError as failure:  # the session is removed (rolled back) next anyway
        current_app.logger.warning("ending a reading transaction failed: %s",
                                   type(failure).__name__)


def init_app(app):
    # Teardown functions run last-registered first: this one before Flask-SQLAlchemy's,
    # which removes the session.
    app.teardown_appcontext(end_reading_transaction)
