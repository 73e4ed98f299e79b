"""Who advises where: one legal adviser (驻村/社区法律顾问) per village or community, by the
``legal_adviser`` role (one adviser may serve several)."""


from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.kernel.errors import DomainError
from core.kernel.extensions import db
from core.models import (
    Jurisdiction,
    Level,
    Role,
    RoleAssignment,
    User,
)

MAX_TEXT = 50_000




# ---------------------------------------------------------------- assignment


def check_assignment(jurisdiction, user=None):
    """Refuse a legal-adviser role anywhere but a village, or on a village that has one."""
    if jurisdiction is None or jurisdiction.level != Level.VILLAGE:
        raise DomainError(_l("Legal advisers are assigned to a village or community."))
    holder = adviser_of(jurisdiction)
    if holder is not None and (user is None or holder.id != user.id):
        raise DomainError(_l("%(village)s already has a legal adviser: %(name)s. Revoke that "
                             "assignment first.", village=jurisdiction.name,
                             name=holder.display_name))


def adviser_of(village):
    """The legal adviser assigned to ``village``, or None."""
    return db.session.scalar(
        select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.jurisdiction_id == village.id,
               RoleAssignment.role == Role.LEGAL_ADVISER).limit(1))


def advisers_under(node, *, adviser=None, page_number=1, per_page=50):
    """(assignment, adviser, village) rows of every adviser assigned within ``node`` (or
    of one adviser)."""
    query = (select(RoleAssignment, User, Jurisdiction)
             .join(User, RoleAssignment.user_id == User.id)
             .join(Jurisdiction, RoleAssignment.jurisdiction_id == Jurisdiction.id)
             .where(RoleAssignment.role == Role.LEGAL_ADVISER,
                    Jurisdiction.path.startswith(node.path, autoescape=True)))
    if adviser is not None:
        query = query.where(User.id == adviser.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.order_by(Jurisdiction.path, User.display_name)
                              .limit(per_page).offset((page_number - 1) * per_page)).all()
    return rows, total


def _without_adviser(node):
    held = select(RoleAssignment.jurisdiction_id).where(
        RoleAssignment.role == Role.LEGAL_ADVISER)
    return select(Jurisdiction).where(Jurisdiction.level == Level.VILLAGE,
                                      Jurisdiction.path.startswith(node.path, autoescape=True),
                                      Jurisdiction.id.not_in(held))


def villages_without_adviser(node, limit=200):
    return db.session.scalars(_without_adviser(node).order_by(Jurisdiction.path)
                              .limit(limit)).all()


def count_villages_without_adviser(node):
    return db.session.scalar(select(func.count()).select_from(_without_adviser(node).subquery()))
