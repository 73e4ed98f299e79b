"""Writing and reading the audit log."""

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from core.kernel import permissions
from core.kernel.extensions import db, read_rows
from core.models import AuditEvent, Jurisdiction, User


def record(actor, action, obj, *, jurisdiction=None, before=None, after=None,
           object_type=None, object_id=None):
    """Add an audit event for ``obj`` (a model instance) to the current transaction.

    It commits or rolls back with the change it describes. Without an
    object, name it with ``object_type`` and ``object_id``.
    """
    if obj is not None:
        if obj.id is None:
            db.session.flush()
        object_type, object_id = obj.__tablename__, obj.id
    db.session.add(
        AuditEvent(
            actor_id=getattr(actor, "id", None),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            jurisdiction_id=getattr(jurisdiction, "id", None),
            before=before,
            after=after,
        )
    )


def page(user, *, jurisdiction=None, page_number=1, per_page=50):
    """A page of audit events the user may read, newest first, with the total."""
    condition = permissions.scope_clause(user, "audit.read")
    query = select(AuditEvent).outerjoin(
        Jurisdiction, AuditEvent.jurisdiction_id == Jurisdiction.id
    )
    if permissions.scope_paths(user, "audit.read") is not None:
        query = query.where(condition)
    if jurisdiction is not None:
        query = query.where(Jurisdiction.path.startswith(jurisdiction.path, autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.options(selectinload(AuditEvent.actor), selectinload(AuditEvent.jurisdiction))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((page_number - 1) * per_page)
    ).all()
    return rows, total


# The columns a history shows, as rows the template unpacks in this order.
_HISTORY = (select(AuditEvent.at, AuditEvent.action, AuditEvent.after, User.display_name)
            .outerjoin(User, AuditEvent.actor_id == User.id)
            .where(AuditEvent.object_type == bindparam("object_type"),
                   AuditEvent.object_id == bindparam("object_key"))
            .order_by(AuditEvent.id))


def history_rows(object_type, object_id):
    """What was done to one object, oldest first: (at, action, after, actor's name) rows."""
    return read_rows(_HISTORY, {"object_type": object_type, "object_key": str(object_id)})
