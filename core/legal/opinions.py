"""What an adviser's opinion does to a topic: an open "unlawful" opinion blocks the
outcome's confirmation until the town overrides it with a reason; the summary published
with the result."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select

from core.kernel import audit, permissions
from core.kernel.errors import DomainError, bounded_text
from core.kernel.extensions import db, read_rows
from core.legal import reviews
from core.models import (
    LegalOpinion,
    LegalReview,
    ReviewComment,
    utcnow,
)
from core.places import settings

MAX_TEXT = 50_000



# ------------------------------------------------------ effect on the outcome


def _reviews_with_latest_opinion(every, columns=(LegalReview, ReviewComment)):
    # Each review's latest opinion found through the comments' review_id index.
    latest = (select(func.max(ReviewComment.id))
              .where(ReviewComment.review_id == LegalReview.id,
                     ReviewComment.opinion.is_not(None))
              .correlate(LegalReview).scalar_subquery())
    return (select(*columns).select_from(LegalReview)
            .join(ReviewComment, ReviewComment.id == latest, isouter=every)
            .where(LegalReview.topic_id.in_(bindparam("topic_ids", expanding=True)))
            .order_by(LegalReview.id))


_WITH_OPINION = {every: _reviews_with_latest_opinion(every) for every in (False, True)}


def _with_latest_opinion(topic_ids, every=False):
    """(review, its latest opinion comment) for the reviews of those topics, in one query:
    only those with an opinion, or ``every`` review (None where it has none yet)."""
    return db.session.execute(_WITH_OPINION[every], {"topic_ids": list(topic_ids)}).all()


def current_opinions(topic_ids):
    """topic id → [(review, latest opinion comment)] for reviews of those topics that
    have an opinion. One query whatever the number of topics."""
    if not topic_ids:
        return {}
    rows = _with_latest_opinion(topic_ids)
    found = {}
    for review, comment in rows:
        found.setdefault(review.topic_id, []).append((review, comment))
    return found


def open_unlawful(topic):
    """The "unlawful" opinions standing on ``topic`` (latest on their review, not
    overridden by the town)."""
    return [comment for _review, comment in current_opinions([topic.id]).get(topic.id, [])
            if comment.opinion == LegalOpinion.UNLAWFUL and comment.overridden_at is None]


def blocks_confirmation(topic):
    """Whether an open "unlawful" opinion stops the outcome's confirmation here."""
    village = reviews.village_of_topic(topic)
    return bool(settings.get(village, "legal_unlawful_blocks")) and bool(open_unlawful(topic))


def override(actor, comment_id, *, reason):
    """The town lets the outcome go ahead despite an "unlawful" opinion, with its reason."""
    comment = db.session.get(ReviewComment, comment_id) if comment_id else None
    if comment is None or comment.opinion != LegalOpinion.UNLAWFUL:
        raise DomainError(_l("Only an \"unlawful\" opinion can be overridden."))
    review = reviews.get(comment.review_id)
    permissions.require(actor, "legal.override", reviews.village_of(review))
    if comment.overridden_at is not None:
        raise DomainError(_l("This opinion is already overridden."))
    reason = bounded_text(reason, 10, 2000,
                    _l("Give the town's reason for the override (10 to 2000 characters)."))
    comment.overridden_by_id, comment.overridden_at, comment.override_reason = (
        actor.id, utcnow(), reason)
    audit.record(actor, "legal.override", review, jurisdiction=reviews.village_of(review),
                 after={"comment": comment.id, "reason": reason})
    db.session.commit()
    return comment


def published_summary(topic):
    """What the published result says of legal review: that it happened, the opinion in
    force and when, never the discussion."""
    summary = []
    for review, comment in current_opinions([topic.id]).get(topic.id, []):
        summary.append({
            "subject": review.subject,
            "opinion": comment.opinion,
            "at": comment.created_at.isoformat(timespec="seconds"),
            "adviser": comment.author_name,
            "overridden_by_town": comment.overridden_at is not None,
        })
    return summary


# What a topic's page lists of each review: the columns it shows, read as rows.
_TOPIC_REVIEWS = _reviews_with_latest_opinion(True, columns=(
    LegalReview.id, LegalReview.subject, LegalReview.status, ReviewComment.opinion,
    ReviewComment.overridden_at))


def reviews_readable_by(user, topic):
    """The topic's reviews as rows (id, subject, status, current opinion or None, when the
    town overrode it), for staff who read legal reviews here; otherwise None."""
    if not permissions.can(user, "legal.read", reviews.village_of_topic(topic)):
        return None
    return reviews_of_topic(topic)


def reviews_of_topic(topic):
    """Every review of ``topic``, oldest first, as rows (id, subject, status, opinion,
    overridden_at): the current opinion and whether the town overrode it are None until
    an adviser gives one."""
    return read_rows(_TOPIC_REVIEWS, {"topic_ids": [topic.id]})


