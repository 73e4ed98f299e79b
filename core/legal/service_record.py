"""The adviser's "四个一" service record: activities logged by village and period, and
whether each village got what its period requires."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.kernel import audit, permissions
from core.kernel.errors import DomainError, bounded_text
from core.kernel.extensions import db
from core.legal import advisers
from core.models import (
    AdviserActivity,
    Jurisdiction,
    Level,
    ServiceKind,
    User,
)
from core.models.types import local_today

MAX_TEXT = 50_000



# ------------------------------------------------- the "四个一" service record


def _periods(day):
    month = day.replace(day=1)
    return {
        "week": day - timedelta(days=day.weekday()),
        "month": month,
        "quarter": month.replace(month=(day.month - 1) // 3 * 3 + 1),
        "year": day.replace(month=1, day=1),
    }


def log_activity(actor, village, *, kind, on, hours=None, note=""):
    """An adviser records a contact, service day, lecture or outreach event for one of
    the villages they serve."""
    if village is None or village.level != Level.VILLAGE:
        raise DomainError(_l("Choose a village or community you serve."))
    permissions.require(actor, "legal.log", village)
    if kind not in ServiceKind.ALL:
        raise DomainError(_l("Choose what kind of service it was."))
    if on is None or on > local_today() or on < local_today() - timedelta(days=400):
        raise DomainError(_l("The date must be within the last 400 days and not in the "
                             "future."))
    if hours in (None, ""):
        hours = None
    else:
        try:
            hours = Decimal(str(hours))
            if not hours.is_finite():  # NaN and infinity are no number of hours
                raise InvalidOperation
            hours = hours.quantize(Decimal("0.1"))
        except (InvalidOperation, ValueError):
            raise DomainError(_l("Hours must be a number.")) from None
        if not Decimal("0.5") <= hours <= Decimal("24"):
            raise DomainError(_l("Hours must be between 0.5 and 24."))
    if kind == ServiceKind.ONSITE and hours is None:
        raise DomainError(_l("Give the hours spent on site."))
    note = bounded_text(note, 0, 500, _l("The note may have at most 500 characters."))
    activity = AdviserActivity(adviser_id=actor.id, jurisdiction_id=village.id, kind=kind,
                               on=on, hours=hours, note=note, recorded_by_id=actor.id,
                               **_periods(on))
    db.session.add(activity)
    audit.record(actor, "legal.log", activity, jurisdiction=village,
                 after={"kind": kind, "on": on.isoformat(),
                        "hours": None if hours is None else str(hours)})
    db.session.commit()
    return activity


def activities(actor, *, page_number=1, per_page=50):
    query = (select(AdviserActivity, Jurisdiction)
             .join(Jurisdiction, AdviserActivity.jurisdiction_id == Jurisdiction.id)
             .where(AdviserActivity.adviser_id == actor.id))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.order_by(AdviserActivity.on.desc(), AdviserActivity.id.desc())
                              .limit(per_page).offset((page_number - 1) * per_page)).all()
    return rows, total


#: duty → (the period it recurs in, its column). Each period needs one: a phone call a
#: week, an on-site day of at least 8 hours a month, a lecture a quarter, an outreach
#: event a year (003).
DUTIES = {
    ServiceKind.PHONE: "week",
    ServiceKind.ONSITE: "month",
    ServiceKind.LECTURE: "quarter",
    ServiceKind.OUTREACH: "year",
}
ONSITE_HOURS = Decimal("8")


def _next(start, unit):
    if unit == "week":
        return start + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    month = start.month - 1 + months
    return start.replace(year=start.year + month // 12, month=month % 12 + 1, day=1)


def due_periods(unit, start, end, as_of=None):
    """The periods of ``unit`` that lie wholly within [start, end] and have ended by
    ``as_of``: those a duty is owed for. A week, month … cut by the report's edges is
    not owed in that report (it is in the report that covers it whole)."""
    as_of = as_of or local_today()
    first = _periods(start)[unit]
    if first < start:
        first = _next(first, unit)
    periods = []
    while True:
        following = _next(first, unit)
        last_day = following - timedelta(days=1)
        if last_day > end or last_day >= as_of:
            break
        periods.append(first)
        first = following
    return periods


@dataclass
class Compliance:
    adviser: User
    village: Jurisdiction
    #: duty → (periods owed, periods met, [periods missed])
    duties: dict

    @property
    def shortfalls(self):
        return {kind: missed for kind, (_owed, _met, missed) in self.duties.items() if missed}


def compliance(node, start, end, *, as_of=None, adviser=None, page_number=1, per_page=50):
    """Per adviser and village under ``node``: each "四个一" duty's periods owed within
    [start, end], those met, and those missed. Aggregate queries: one for the on-site
    days of 8 hours or more, one for the other duties."""
    if start > end:
        raise DomainError(_l("The start of the period must not be after its end."))
    rows, total = advisers.advisers_under(node, adviser=adviser, page_number=page_number,
                                 per_page=per_page)
    pairs = {(user.id, village.id) for _a, user, village in rows}
    met = {}
    if pairs:
        adviser_ids = {a for a, _v in pairs}
        village_ids = {v for _a, v in pairs}
        within = (AdviserActivity.on >= start, AdviserActivity.on <= end,
                  AdviserActivity.adviser_id.in_(adviser_ids),
                  AdviserActivity.jurisdiction_id.in_(village_ids))
        for kind, unit in DUTIES.items():
            column = getattr(AdviserActivity, unit)
            if kind == ServiceKind.ONSITE:
                days = (select(AdviserActivity.adviser_id, AdviserActivity.jurisdiction_id,
                               column.label("period"))
                        .where(AdviserActivity.kind == kind, *within)
                        .group_by(AdviserActivity.adviser_id, AdviserActivity.jurisdiction_id,
                                  column, AdviserActivity.on)
                        .having(func.sum(AdviserActivity.hours) >= ONSITE_HOURS).subquery())
                query = select(days.c.adviser_id, days.c.jurisdiction_id,
                               days.c.period).distinct()
            else:
                query = (select(AdviserActivity.adviser_id, AdviserActivity.jurisdiction_id,
                                column).where(AdviserActivity.kind == kind, *within)
                         .group_by(AdviserActivity.adviser_id, AdviserActivity.jurisdiction_id,
                                   column))
            for adviser_id, village_id, period in db.session.execute(query):
                met.setdefault((adviser_id, village_id, kind), set()).add(period)
    owed = {kind: due_periods(unit, start, end, as_of) for kind, unit in DUTIES.items()}
    result = []
    for _assignment, user, village in rows:
        duties = {}
        for kind in DUTIES:
            done = met.get((user.id, village.id, kind), set())
            missed = [period for period in owed[kind] if period not in done]
            duties[kind] = (len(owed[kind]), len(owed[kind]) - len(missed), missed)
        result.append(Compliance(user, village, duties))
    return result, total
