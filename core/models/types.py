"""Column types shared by the models."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from core.kernel.config import Defaults


def utcnow():
    """Now, in UTC (every stored timestamp is UTC)."""
    return datetime.now(UTC)


def local_today():
    """Today in the deployment's time zone (``BABEL_DEFAULT_TIMEZONE``), the calendar in
    which periods, deadlines and notice days are counted, whatever zone the server's
    clock is set to: at 16:00 UTC it is already tomorrow in Asia/Shanghai."""
    zone = (current_app.config["BABEL_DEFAULT_TIMEZONE"] if has_app_context()
            else Defaults.BABEL_DEFAULT_TIMEZONE)
    return datetime.now(ZoneInfo(zone)).date()


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no zone; PostgreSQL does. Both give aware datetimes here, so
    comparisons never mix naive and aware values.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value
