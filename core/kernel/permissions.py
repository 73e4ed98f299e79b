"""Every permission decision of the platform, in one place.

A role is held on a jurisdiction and covers it and everything below it
(a town administrator's role reaches the town's villages, never a sibling
town). Platform administrators hold their role everywhere. Each action names
the roles that may perform it; plugins and later modules add actions to
``ACTIONS`` through :func:`define`.
"""

from flask import g, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, false, or_, select, true
from werkzeug.local import LocalProxy

from core.kernel.errors import PermissionDenied
from core.kernel.extensions import db, read_rows
from core.models import (
    Jurisdiction,
    Lead,
    Participant,
    Role,
    RoleAssignment,
    TopicScope,
    TopicStatus,
)

STAFF = (
    Role.PLATFORM_ADMIN,
    Role.TOWN_ADMIN,
    Role.ORGANISER,
    Role.SUPERVISOR,
    Role.LEGAL_ADVISER,
    Role.TOWN_OFFICIAL,
)

#: action → the roles that may perform it in their subtree.
ACTIONS = {
    "admin.enter": STAFF,
    "jurisdiction.manage": (Role.PLATFORM_ADMIN, Role.TOWN_ADMIN),
    "plugin.manage": (Role.PLATFORM_ADMIN, Role.TOWN_ADMIN),
    "user.manage": (Role.PLATFORM_ADMIN, Role.TOWN_ADMIN),
    "register.manage": (Role.PLATFORM_ADMIN, Role.TOWN_ADMIN, Role.ORGANISER),
    "register.read": (
        Role.PLATFORM_ADMIN,
        Role.TOWN_ADMIN,
        Role.ORGANISER,
        Role.SUPERVISOR,
        Role.TOWN_OFFICIAL,
    ),
    "audit.read": (Role.PLATFORM_ADMIN, Role.TOWN_ADMIN, Role.SUPERVISOR, Role.TOWN_OFFICIAL),
    "settings.manage": (Role.PLATFORM_ADMIN, Role.TOWN_ADMIN),
    # Anyone who belongs to a village may propose a topic there.
    "topic.propose": Role.ALL,
    "topic.record": (Role.PLATFORM_ADMIN, Role.ORGANISER, Role.TOWN_OFFICIAL),
    "topic.assign": (Role.PLATFORM_ADMIN, Role.TOWN_OFFICIAL),
    "topic.read": STAFF,
    # Residents follow (and may ask to join) the accepted topics of their village.
    "topic.follow": Role.ALL,
    # The village committee runs its consultations; the town runs cross-village ones.
    "topic.manage": (Role.PLATFORM_ADMIN, Role.ORGANISER),
    "topic.manage_town": (Role.PLATFORM_ADMIN, Role.TOWN_OFFICIAL),
    # The committee corrects its own board's entries (with a reason, as a new entry) and
    # answers residents' questions on it.
    "board.correct": (Role.PLATFORM_ADMIN, Role.ORGANISER, Role.TOWN_OFFICIAL),
    # Announcements plugins publish (subsidies, points 公示).
    "board.publish": (Role.PLATFORM_ADMIN, Role.ORGANISER, Role.TOWN_OFFICIAL),
    "board.answer": (Role.PLATFORM_ADMIN, Role.ORGANISER, Role.TOWN_OFFICIAL),
    # The town orders unlawful results corrected (000 §四(五)).
    "board.order_correction": (Role.PLATFORM_ADMIN, Role.TOWN_OFFICIAL),
    # The supervision committee comments on how results are carried out (监督).
    "supervision.comment": (Role.PLATFORM_ADMIN, Role.SUPERVISOR),
    # The town studies what villages report and answers (研究吸纳并反馈).
    "town.feedback": (Role.PLATFORM_ADMIN, Role.TOWN_OFFICIAL),
    # Legal advisers (驻村法律顾问): they review and witness only where they are assigned.
    "legal.read": (Role.PLATFORM_ADMIN, Role.TOWN_ADMIN, Role.ORGANISER, Role.SUPERVISOR,
                   Role.LEGAL_ADVISER, Role.TOWN_OFFICIAL),
    "legal.request": (Role.PLATFORM_ADMIN, Role.ORGANISER, Role.TOWN_OFFICIAL),
    "legal.review": (Role.LEGAL_ADVISER,),
    "legal.witness": (Role.LEGAL_ADVISER,),
    "legal.log": (Role.LEGAL_ADVISER,),
    # The town may let an outcome be confirmed despite an open "unlawful" opinion.
    "legal.override": (Role.PLATFORM_ADMIN, Role.TOWN_OFFICIAL),
    # Towns see every adviser's "四个一" record at a glance.
    "legal.oversee": (Role.PLATFORM_ADMIN, Role.TOWN_ADMIN, Role.TOWN_OFFICIAL),
    # Reports on how consultation works, for a subtree.
    "report.make": (Role.PLATFORM_ADMIN, Role.TOWN_ADMIN, Role.TOWN_OFFICIAL, Role.ORGANISER,
                    Role.SUPERVISOR),
}

#: Roles that only a platform administrator may grant.
RESERVED_ROLES = (Role.PLATFORM_ADMIN,)


class _System:
    """The actor for command-line work by the installing IT staff: allowed everything."""

    id = None
    is_authenticated = True
    display_name = "system"


SYSTEM = _System()


def define(action, roles):
    """Declare an action and the roles allowed to perform it."""
    ACTIONS[action] = tuple(roles)


# A user's roles with what is used of the units they are held on (the switcher and the
# administration's start page show them; permission checks read their paths), as rows.
_ASSIGNMENTS = (select(RoleAssignment.role, Jurisdiction.id, Jurisdiction.code,
                       Jurisdiction.name, Jurisdiction.level, Jurisdiction.path)
                .outerjoin(Jurisdiction, RoleAssignment.jurisdiction_id == Jurisdiction.id)
                .where(RoleAssignment.user_id == bindparam("user_id")))


def _assignments(user):
    """The user's roles as ((role, path or None) pairs, the units they are held on, as
    rows of id, code, name, level and path), read in one query once per request."""
    cache = g.setdefault("_xs_holdings", {}) if has_app_context() else {}
    if user.id not in cache:
        rows = read_rows(_ASSIGNMENTS, {"user_id": user.id})
        nodes = {row.id: row for row in rows if row.id is not None}
        cache[user.id] = ([(row.role, row.path) for row in rows],
                          sorted(nodes.values(), key=lambda node: node.path))
    return cache[user.id]


def _unproxied(user):
    """The user behind ``current_user``: every attribute read through the proxy finds the
    request's user again, and a permission check reads several."""
    return user._get_current_object() if isinstance(user, LocalProxy) else user


def _holdings(user):
    """(role, path or None) pairs the user holds."""
    user = _unproxied(user)
    if user is SYSTEM:
        return [(Role.PLATFORM_ADMIN, None)]
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return _assignments(user)[0]


def forget(user):
    """Drop the cached roles of ``user`` after they change within a request."""
    if has_app_context():
        g.setdefault("_xs_holdings", {}).pop(getattr(user, "id", None), None)


def _allowed_roles(action):
    try:
        return ACTIONS[action]
    except KeyError:
        raise LookupError(f"unknown action {action!r}") from None


def scope_paths(user, action):
    """Path prefixes where ``user`` may perform ``action``; ``None`` means everywhere."""
    allowed = _allowed_roles(action)
    paths = []
    for role, path in _holdings(user):
        if role not in allowed:
            continue
        if path is None:
            return None
        paths.append(path)
    return paths


def can(user, action, jurisdiction=None):
    """Whether ``user`` may perform ``action`` at ``jurisdiction``.

    With no jurisdiction, whether the user may perform it anywhere.
    """
    paths = scope_paths(user, action)
    if paths is None:
        return True
    if jurisdiction is None:
        return bool(paths)
    return any(jurisdiction.path.startswith(path) for path in paths)


def require(user, action, jurisdiction=None):
    if not can(user, action, jurisdiction):
        raise PermissionDenied(_l("You do not have permission to do this here."))


def scope_clause(user, action, path_column=Jurisdiction.path):
    """An SQL condition selecting the rows whose jurisdiction path the user may act on."""
    paths = scope_paths(user, action)
    if paths is None:
        return true()
    if not paths:
        return false()
    return or_(*(path_column.startswith(path, autoescape=True) for path in paths))


def can_grant(user, role, jurisdiction):
    """Whether ``user`` may grant (or revoke) ``role`` at ``jurisdiction``."""
    if role in RESERVED_ROLES:
        return scope_paths(user, "user.manage") is None
    return jurisdiction is not None and can(user, "user.manage", jurisdiction)


def is_platform_admin(user):
    return any(role == Role.PLATFORM_ADMIN for role, _path in _holdings(user))


def _node(jurisdiction_id):
    return db.session.get(Jurisdiction, jurisdiction_id)


def can_manage_topic(user, topic):
    """Whether ``user`` runs the consultation on ``topic`` (its committee, or the town
    for a town-led topic)."""

    action = "topic.manage_town" if topic.lead == Lead.TOWN else "topic.manage"
    return can(user, action, _node(topic.jurisdiction_id))


def can_read_topic(user, topic):
    """Staff over the topic's jurisdiction (or, for a town-led topic, over an affected
    village), its proposer, and its participants may read a topic."""

    user = _unproxied(user)
    if not getattr(user, "is_authenticated", False):
        return False
    if can(user, "topic.read", _node(topic.jurisdiction_id)):
        return True
    if topic.status == TopicStatus.ACCEPTED and can(user, "topic.follow",
                                                    _node(topic.origin_id)):
        return True
    if user is not SYSTEM and topic.proposer_id == user.id:
        return True
    if user is not SYSTEM and db.session.scalar(select(Participant.id).where(
            Participant.topic_id == topic.id, Participant.user_id == user.id).limit(1)):
        return True
    paths = scope_paths(user, "topic.read")
    if paths:
        scope_units = db.session.scalars(
            select(Jurisdiction.path).join(TopicScope,
                                           TopicScope.jurisdiction_id == Jurisdiction.id)
            .where(TopicScope.topic_id == topic.id)).all()
        return any(unit.startswith(path) or path.startswith(unit)
                   for unit in scope_units for path in paths)
    return False


def home_jurisdictions(user):
    """The jurisdictions the user holds roles on, for the switcher (read with the roles)."""
    user = _unproxied(user)
    if user is SYSTEM or user is None or not getattr(user, "is_authenticated", False):
        return []
    return _assignments(user)[1]
