"""Column types shared by the models."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from core.kernel.config import Defaults
from core.kernel.errors import DomainError


def is_row_id(number):
    """Whether ``number`` can name a row: positive and within an integer column (PostgreSQL
    refuses a larger parameter outright, so it is never sent)."""
    return 0 < number < 2**31


def utcnow():
    """Now, in UTC (every stored timestamp is UTC)."""
    return datetime.now(UTC)


#: The days the platform counts with: anything typed outside them is refused or, in a
#: filter, taken as "from the start" or "to the end" (year 1 or 9999 would overflow
#: once a time zone or a day is added).
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2199, 12, 31)


def within_calendar(day):
    """``day`` inside the platform's calendar (:data:`EARLIEST_DAY` … :data:`LATEST_DAY`)."""
    return EARLIEST_DAY <= day <= LATEST_DAY


def require_within_calendar(*days):
    """Refuse, with a message for the form, any day or date-time outside the calendar."""
    for day in days:
        if day is not None and not within_calendar(day if type(day) is date else day.date()):
            raise DomainError(_l("Give a date between 1900 and 2199."))


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
