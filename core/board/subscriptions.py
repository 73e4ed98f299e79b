"""Following a board: a logged-in user gets its new entries through a channel that reaches them."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.kernel import notifications
from core.kernel.errors import DomainError
from core.kernel.extensions import db
from core.models import BoardSubscription, Person


def options(user, board):
    """Channels available here that can reach ``user`` (they have the address)."""
    if not getattr(user, "is_authenticated", False):
        return []
    person = db.session.get(Person, user.person_id) if user.person_id else None
    return [name for name, channel in notifications.channels(board).items()
            if notifications.address_of(channel, user, person)]


def of(user, board):
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(db.session.scalars(select(BoardSubscription.channel).where(
        BoardSubscription.jurisdiction_id == board.id, BoardSubscription.user_id == user.id)))


def toggle(user, board, channel):
    """Subscribe ``user`` to ``board`` through ``channel``, or stop if already subscribed."""
    if channel not in options(user, board):
        raise DomainError(_l("That channel cannot reach you here; add your e-mail or phone "
                             "first."))
    existing = db.session.scalar(select(BoardSubscription).where(
        BoardSubscription.jurisdiction_id == board.id, BoardSubscription.user_id == user.id,
        BoardSubscription.channel == channel))
    if existing is None:
        db.session.add(BoardSubscription(jurisdiction_id=board.id, user_id=user.id,
                                         channel=channel))
    else:
        db.session.delete(existing)
    db.session.commit()
    return existing is None
