"""Personal API tokens: made by their owner, shown once, kept as a SHA-256, revocable."""

import hashlib
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.kernel import audit
from core.kernel.errors import DomainError, NotFound
from core.kernel.extensions import db
from core.models import ApiToken, User, utcnow

PREFIX = "xs_"
MAX_TOKENS = 20


def _hash(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(user, name):
    """A new token for ``user``; returns (row, the token text, shown only now)."""
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= 100:
        raise DomainError(_l("Name the token (1 to 100 characters), e.g. the system that "
                             "uses it."))
    if len(active(user)) >= MAX_TOKENS:
        raise DomainError(_l("You have %(n)s tokens; revoke one first.", n=MAX_TOKENS))
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=_hash(token), prefix=token[:10])
    db.session.add(row)
    audit.record(user, "token.create", row, after={"name": name, "prefix": row.prefix})
    db.session.commit()
    return row, token


def active(user):
    return db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                     ApiToken.revoked_at.is_(None))
                              .order_by(ApiToken.id)).all()


def revoke(user, token_id):
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        raise NotFound(_l("No such token."))
    row.revoked_at = utcnow()
    audit.record(user, "token.revoke", row, before={"name": row.name, "prefix": row.prefix})
    db.session.commit()


def user_for(token):
    """The active user a token belongs to, or None (also marks the token used)."""
    if not token or not token.startswith(PREFIX) or len(token) > 100:
        return None
    found = db.session.execute(
        select(ApiToken, User).join(User, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == _hash(token), ApiToken.revoked_at.is_(None))).first()
    if found is None or not found.User.active:
        return None
    now = utcnow()
    if found.ApiToken.last_used_at is None or (now - found.ApiToken.last_used_at).seconds > 60:
        found.ApiToken.last_used_at = now
        db.session.commit()
    return found.User


def revoke_all(user, *, actor):
    """Revoke every token of ``user`` (their password changed: what was made with the old
    one stops working). The caller commits."""
    for row in active(user):
        row.revoked_at = utcnow()
        audit.record(actor, "token.revoke", row, before={"name": row.name, "prefix": row.prefix})
