"""The committee dashboard: topics by step, what waits on me, overdue steps."""

from datetime import timedelta

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import selectinload

from core import permissions
from core.extensions import db
from core.models import Jurisdiction, Participant, ParticipantStatus, Topic, TopicStatus, utcnow
from core.plugins import registry

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


def _scoped(user, root=None):
    """Topics the user reads (under ``root``). The units in scope are found first (a path
    prefix over the jurisdictions), then their topics through the topic's own index."""
    query = select(Topic).join(Jurisdiction, Topic.jurisdiction_id == Jurisdiction.id)
    units = select(Jurisdiction.id)
    limited = False
    if permissions.scope_paths(user, "topic.read") is not None:
        units, limited = units.where(permissions.scope_clause(user, "topic.read")), True
    if root is not None:
        units = units.where(Jurisdiction.path.startswith(root.path, autoescape=True))
        limited = True
    return query.where(Topic.jurisdiction_id.in_(units)) if limited else query


def _managed(user):
    """Topics ``user`` runs: village topics under their organiser role, town-led ones under
    their town role."""
    village = permissions.scope_clause(user, "topic.manage")
    town = permissions.scope_clause(user, "topic.manage_town")
    return or_(and_(Topic.lead != "town", village), and_(Topic.lead == "town", town))


def summary(user, root=None, *, status=None, item=None, overdue=False, mine=False,
            page_number=1, per_page=50):
    """Everything the dashboard shows, in a fixed number of queries."""
    query = _scoped(user, root)
    if status:
        query = query.where(Topic.status == status)
    if item:
        query = query.where(Topic.item_code == item)
    if overdue:
        query = query.where(overdue_clause())
    if mine:
        query = query.where(Topic.status.in_(OPEN), _managed(user))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))

    page = db.session.scalars(
        query.options(selectinload(Topic.jurisdiction))
        .order_by(Topic.step_entered_at.asc(), Topic.id)
        .limit(per_page).offset((page_number - 1) * per_page)
    ).all()
    # Counts for this page's topics only, in one aggregate query.
    counts = {}
    if page:
        for topic_id, status, number in db.session.execute(
            select(Participant.topic_id, Participant.status, func.count())
            .where(Participant.topic_id.in_([topic.id for topic in page]))
            .group_by(Participant.topic_id, Participant.status)
        ):
            counts[topic_id, status] = number
    rows = [(topic, counts.get((topic.id, ParticipantStatus.INVITED), 0),
             counts.get((topic.id, ParticipantStatus.APPLIED), 0)) for topic in page]

    by_step = db.session.execute(
        _scoped(user, root).where(Topic.status.in_(OPEN))
        .with_only_columns(Topic.procedure, Topic.step, func.count())
        .group_by(Topic.procedure, Topic.step)
    ).all()
    waiting = db.session.scalar(select(func.count()).select_from(
        _scoped(user, root).where(Topic.status.in_(OPEN), _managed(user)).subquery()))
    overdue_count = db.session.scalar(select(func.count()).select_from(
        _scoped(user, root).where(overdue_clause()).subquery()))
    from core.services import implementation

    late_tasks, late_total = implementation.overdue_tasks(user, root, limit=20)
    return {
        "late_tasks": late_tasks,
        "late_total": late_total,
        "rows": rows,
        "total": total,
        "by_step": by_step,
        "waiting": waiting,
        "overdue": overdue_count,
        "procedures": all_procedures(),
    }


def my_proposals(user, page_number=1, per_page=50):
    query = select(Topic).where(Topic.proposer_id == user.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.options(selectinload(Topic.origin))
                              .order_by(Topic.id.desc()).limit(per_page)
                              .offset((page_number - 1) * per_page)).all()
    return rows, total
