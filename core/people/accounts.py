"""Accounts, passwords, login throttling and role assignments."""

import re
import secrets
from datetime import timedelta
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from core.kernel import audit, permissions
from core.kernel.errors import DomainError, NotFound, PermissionDenied
from core.kernel.extensions import db
from core.legal import advisers
from core.models import Jurisdiction, LoginAttempt, Role, RoleAssignment, User, utcnow
from core.models.people import new_session_token
from core.models.types import is_row_id
from core.people import tokens

_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")
MIN_PASSWORD = 8


class LoginThrottled(DomainError):
    status = 429


#: zxcvbn's score (0–4) a password must reach: 3 is "safely unguessable" against an
#: attacker who can try a great many guesses offline.
MIN_PASSWORD_SCORE = 3


def _check_password_strength(password, about=()):
    """Refuse a short password, and one that is easy to guess (a common one, a keyboard
    row, a date, or the account's own names in ``about``), saying why."""
    if len(password or "") < MIN_PASSWORD:
        raise DomainError(_l("The password must have at least %(n)s characters.", n=MIN_PASSWORD))
    # zxcvbn's cost grows with length; the first 100 characters decide.
    if zxcvbn(password[:100], user_inputs=[text for text in about if text])["score"] < \
            MIN_PASSWORD_SCORE:
        raise DomainError(_l("This password is too easy to guess: it is a common one, a "
                             "simple pattern (such as 12345678, a keyboard row or a date) or "
                             "close to the account's name. Use a longer phrase that only you "
                             "would put together."))


def create_user(actor, *, username, display_name, password, locale=None):
    if not permissions.can(actor, "user.manage"):
        raise PermissionDenied(_l("You do not have permission to do this here."))
    username = (username or "").strip()
    display_name = (display_name or "").strip()
    if not _USERNAME.match(username):
        raise DomainError(
            _l("A user name is 3 to 64 letters, digits, dots, dashes or underscores.")
        )
    if not display_name or len(display_name) > 100:
        raise DomainError(_l("The display name must be 1 to 100 characters."))
    _check_password_strength(password, (username, display_name))
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise DomainError(_l("The user name %(name)s is taken.", name=username))
    user = User(username=username, display_name=display_name, locale=locale)
    user.set_password(password)
    db.session.add(user)
    audit.record(actor, "user.create", user, after={"username": username})
    db.session.commit()
    return user


def users_page(actor, *, page_number=1, per_page=50, search=""):
    """Users the actor manages: all for platform admins, else those holding roles in scope."""
    query = select(User)
    scope = permissions.scope_paths(actor, "user.manage")
    if scope is None:
        pass
    elif not scope:
        raise PermissionDenied(_l("You do not have permission to do this here."))
    else:
        in_scope = (
            select(RoleAssignment.user_id)
            .join(Jurisdiction, RoleAssignment.jurisdiction_id == Jurisdiction.id)
            .where(permissions.scope_clause(actor, "user.manage"))
        )
        query = query.where(or_(User.id.in_(in_scope), ~User.roles.any()))
    if search:
        query = query.where(
            or_(User.username.contains(search, autoescape=True),
                User.display_name.contains(search, autoescape=True))
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.order_by(User.username).limit(per_page).offset((page_number - 1) * per_page)
    ).all()
    return rows, total


def require_manageable(actor, user):
    """Refuse unless ``actor`` manages ``user``: a platform admin, or ``user`` has no role
    outside the actor's subtree."""
    scope = permissions.scope_paths(actor, "user.manage")
    if scope is None:
        return
    if not scope:
        raise PermissionDenied(_l("You do not have permission to do this here."))
    for (path,) in db.session.execute(
        select(Jurisdiction.path)
        .select_from(RoleAssignment)
        .outerjoin(Jurisdiction, RoleAssignment.jurisdiction_id == Jurisdiction.id)
        .where(RoleAssignment.user_id == user.id)
    ):
        if path is None or not any(path.startswith(prefix) for prefix in scope):
            raise PermissionDenied(
                _l("This account holds roles outside your jurisdictions; ask a higher "
                   "administrator.")
            )


def update_user(actor, user, *, display_name, active, email=None):
    require_manageable(actor, user)
    display_name = (display_name or "").strip()
    if not display_name or len(display_name) > 100:
        raise DomainError(_l("The display name must be 1 to 100 characters."))
    email = (email or "").strip() or None
    if email is not None and (len(email) > 200 or not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                                                                email)):
        raise DomainError(_l("An e-mail address such as a@b.cn."))
    before = {"display_name": user.display_name, "active": user.active, "email": user.email}
    user.display_name, user.active, user.email = display_name, bool(active), email
    audit.record(actor, "user.update", user, before=before,
                 after={"display_name": display_name, "active": user.active, "email": email})
    db.session.commit()


def end_sessions(user, *, commit=True):
    """End every session of ``user`` on every device: the cookies made so far, copied ones
    included, no longer sign anyone in."""
    user.session_token = new_session_token()
    if commit:
        db.session.commit()


def reset_password(actor, user, password):
    require_manageable(actor, user)
    _replace_password(actor, user, password, "user.reset_password")


def change_own_password(user, *, current, new):
    if not user.check_password(current or ""):
        raise DomainError(_l("The current password is wrong."))
    _replace_password(user, user, new, "user.change_password")


def _replace_password(actor, user, password, action):
    """A new password for ``user``: what was signed in with the old one ends (every
    session, every API token)."""
    _check_password_strength(password, (user.username, user.display_name))
    user.set_password(password)
    end_sessions(user, commit=False)
    tokens.revoke_all(user, actor=actor)
    audit.record(actor, action, user)
    db.session.commit()


def set_locale(user, locale):
    user.locale = locale
    db.session.commit()


def grant_role(actor, user, role, jurisdiction):
    if role not in Role.ALL:
        raise DomainError(_l("Unknown role %(role)s.", role=role))
    if role != Role.PLATFORM_ADMIN and jurisdiction is None:
        raise DomainError(_l("This role is held on a jurisdiction; choose one."))
    if role == Role.PLATFORM_ADMIN:
        jurisdiction = None
    if not permissions.can_grant(actor, role, jurisdiction):
        raise PermissionDenied(_l("You do not have permission to do this here."))
    if role == Role.LEGAL_ADVISER:

        advisers.check_assignment(jurisdiction, user)
    exists = db.session.scalar(
        select(RoleAssignment.id).where(
            RoleAssignment.user_id == user.id,
            RoleAssignment.role == role,
            RoleAssignment.jurisdiction_id.is_(None) if jurisdiction is None
            else RoleAssignment.jurisdiction_id == jurisdiction.id,
        )
    )
    if exists:
        raise DomainError(_l("The account already holds this role there."))
    assignment = RoleAssignment(user_id=user.id, role=role,
                                jurisdiction_id=jurisdiction.id if jurisdiction else None)
    db.session.add(assignment)
    audit.record(actor, "role.grant", assignment, jurisdiction=jurisdiction,
                 after={"user": user.username, "role": role,
                        "jurisdiction": jurisdiction.code if jurisdiction else None})
    db.session.commit()
    permissions.forget(user)
    return assignment


def revoke_role(actor, assignment):
    jurisdiction = (
        db.session.get(Jurisdiction, assignment.jurisdiction_id)
        if assignment.jurisdiction_id else None
    )
    if not permissions.can_grant(actor, assignment.role, jurisdiction):
        raise PermissionDenied(_l("You do not have permission to do this here."))
    audit.record(actor, "role.revoke", assignment, jurisdiction=jurisdiction,
                 before={"user_id": assignment.user_id, "role": assignment.role,
                         "jurisdiction": jurisdiction.code if jurisdiction else None})
    db.session.delete(assignment)
    db.session.commit()


def roles_of(user):
    return db.session.scalars(
        select(RoleAssignment)
        .where(RoleAssignment.user_id == user.id)
        .options(selectinload(RoleAssignment.jurisdiction))
        .order_by(RoleAssignment.role, RoleAssignment.id)
    ).all()


# ------------------------------------------------------------------ login


def _recent_failures(column, value, since):
    return db.session.scalar(
        select(func.count()).select_from(LoginAttempt).where(
            column == value, LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False)
        )
    )


@lru_cache(maxsize=4)
def _stand_in_hash(method):
    """A hash made the way accounts' are, checked when there is no account to check."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def authenticate(username, password, address):
    """Return the user for a correct name and password, or raise a DomainError.

    Failures are counted per user name and per client address in the
    database, so the limit holds across processes; while either is over the
    limit, even a correct password is refused.
    """
    config = current_app.config
    username = (username or "").strip()
    window = timedelta(seconds=config["XS_LOGIN_WINDOW_SECONDS"])
    since = utcnow() - window
    limit = config["XS_LOGIN_MAX_FAILURES"]
    if (_recent_failures(LoginAttempt.username, username.lower(), since) >= limit
            or _recent_failures(LoginAttempt.address, address, since) >= limit * 4):
        raise LoginThrottled(
            _l("Too many failed logins. Try again in %(minutes)s minutes.",
               minutes=int(window.total_seconds() // 60))
        )
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None or not user.active:
        # As long as a real check: how long a refusal takes must not tell whether the name
        # is someone's.
        check_password_hash(_stand_in_hash(config.get("XS_PASSWORD_HASH", "scrypt")),
                            password or "")
        succeeded = False
    else:
        succeeded = user.check_password(password or "")
    db.session.add(LoginAttempt(username=username.lower()[:64], address=address[:64],
                                succeeded=succeeded))
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - 2 * window))
    db.session.commit()
    if not succeeded:
        raise DomainError(_l("Wrong user name or password."))
    return user


def get_user(user_id):
    """The account ``user_id``, or NotFound."""
    user = db.session.get(User, user_id) if is_row_id(user_id) else None
    if user is None:
        raise NotFound(_l("There is no such account."))
    return user


def assignment_of(user, assignment_id):
    """``user``'s role assignment ``assignment_id``, or NotFound."""
    assignment = (db.session.get(RoleAssignment, assignment_id) if is_row_id(assignment_id)
                  else None)
    if assignment is None or assignment.user_id != user.id:
        raise NotFound(_l("There is no such role here."))
    return assignment
