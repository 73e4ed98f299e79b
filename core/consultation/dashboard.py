"""The committee dashboard: topics by step, what waits on me, overdue steps."""

from datetime import timedelta

from sqlalchemy import and_, false, func, or_, select, true
from sqlalchemy.orm import selectinload

from core.implementation import tracking as implementation
from core.kernel import permissions
from core.kernel.extensions import db
from core.kernel.plugins import registry
from core.models import Jurisdiction, Participant, ParticipantStatus, Topic, TopicStatus, utcnow

OPEN = (TopicStatus.PROPOSED, TopicStatus.ACCEPTED)


def all_procedures():
    """Every procedure any loaded plugin offers, by key (topics keep theirs)."""
    found = {}
    for contributed in registry().hook.xs_register_procedures(jurisdiction=None):
        for procedure in contributed or ():
            found[procedure.key] = procedure
    return found


def overdue_clause(now=None):
    """Topics standing on a step longer than the step allows, for every known procedure."""
    now = now or utcnow()
    conditions = [
        and_(Topic.procedure == procedure.key, Topic.step == step.key,
             Topic.step_entered_at < now - timedelta(days=step.due_days))
        for procedure in all_procedures().values() for step in procedure.steps
    ]
    return and_(Topic.status.in_(OPEN), or_(*conditions) if conditions else false())


def _units(user, action, root=None):
    """The ids of the units where ``user`` may ``action`` (under ``root``), as a subquery;
    None when that is every unit."""
    units, limited = select(Jurisdiction.id), False
    if permissions.scope_paths(user, action) is not None:
        units, limited = units.where(permissions.scope_clause(user, action)), True
    if root is not None:
        units = units.where(Jurisdiction.path.startswith(root.path, autoescape=True))
        limited = True
    return units if limited else None


def _scoped(user, root=None):
    """Topics the user reads (under ``root``). The units in scope are found first (a path
    prefix over the jurisdictions), then their topics through the topic's own index."""
    units = _units(user, "topic.read", root)
    query = select(Topic)
    return query if units is None else query.where(Topic.jurisdiction_id.in_(units))


def _in_units(units):
    return true() if units is None else Topic.jurisdiction_id.in_(units)


def _managed(user):
    """Topics ``user`` runs: village topics under their organiser role, town-led ones under
    their town role."""
    village = _in_units(_units(user, "topic.manage"))
    town = _in_units(_units(user, "topic.manage_town"))
    return or_(and_(Topic.lead != "town", village), and_(Topic.lead == "town", town))


def _step_order(procedures):
    def key(row):
        procedure = procedures.get(row[0])
        place = (procedure.index(row[1]) if procedure and row[1] in procedure.step_keys
                 else len(procedure.steps) if procedure else 0)
        return row[0], place, row[1]
    return key


def summary(user, root=None, *, status=None, item=None, overdue=False, mine=False,
            page_number=1, per_page=50):
    """Everything the dashboard shows, in a fixed number of queries."""
    scoped = _scoped(user, root)
    open_ = Topic.status.in_(OPEN)
    # Every count the page shows, in one pass over the topics in scope.
    groups = db.session.execute(
        scoped.with_only_columns(
            Topic.procedure, Topic.step, func.count(),
            func.count().filter(open_),
            func.count().filter(and_(open_, _managed(user))),
            func.count().filter(overdue_clause()))
        .group_by(Topic.procedure, Topic.step)).all()
    procedures = all_procedures()
    by_step = sorted(((procedure, step, number)
                      for procedure, step, _all, number, _mine, _late in groups if number),
                     key=_step_order(procedures))

    query = scoped
    if status:
        query = query.where(Topic.status == status)
    if item:
        query = query.where(Topic.item_code == item)
    if overdue:
        query = query.where(overdue_clause())
    if mine:
        query = query.where(open_, _managed(user))
    if status or item or overdue or mine:
        total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    else:
        total = sum(row[2] for row in groups)
    # The page's ids from the narrow (unit, step entered, id) index, then those rows.
    order = (Topic.step_entered_at.asc(), Topic.id)
    ids = (query.with_only_columns(Topic.id).order_by(*order).limit(per_page)
           .offset((page_number - 1) * per_page))
    page = db.session.scalars(
        select(Topic).where(Topic.id.in_(ids.scalar_subquery()))
        .options(selectinload(Topic.jurisdiction)).order_by(*order)).all()
    # Counts for this page's topics only, in one aggregate query.
    counts = {}
    if page:
        for topic_id, state, number in db.session.execute(
            select(Participant.topic_id, Participant.status, func.count())
            .where(Participant.topic_id.in_([topic.id for topic in page]))
            .group_by(Participant.topic_id, Participant.status)
        ):
            counts[topic_id, state] = number
    rows = [(topic, counts.get((topic.id, ParticipantStatus.INVITED), 0),
             counts.get((topic.id, ParticipantStatus.APPLIED), 0)) for topic in page]

    late_tasks, late_total = implementation.overdue_tasks(user, root, limit=20)
    return {
        "late_tasks": late_tasks,
        "late_total": late_total,
        "rows": rows,
        "total": total,
        "by_step": by_step,
        "waiting": sum(row[4] for row in groups),
        "overdue": sum(row[5] for row in groups),
        "procedures": procedures,
    }


def my_proposals(user, page_number=1, per_page=50):
    query = select(Topic).where(Topic.proposer_id == user.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.options(selectinload(Topic.origin))
                              .order_by(Topic.id.desc()).limit(per_page)
                              .offset((page_number - 1) * per_page)).all()
    return rows, total


def readable_page(user, root=None, *, status=None, page_number=1, per_page=50):
    """A page of the topics ``user`` reads (under ``root``, with ``status``), newest first:
    ((topic, its jurisdiction's code) rows, total)."""
    statement = _scoped(user, root)
    if status:
        statement = statement.where(Topic.status == status)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = db.session.execute(
        statement.join(Jurisdiction, Topic.jurisdiction_id == Jurisdiction.id)
        .with_only_columns(Topic, Jurisdiction.code).order_by(Topic.id.desc()).limit(per_page)
        .offset((page_number - 1) * per_page)).all()
    return rows, total
