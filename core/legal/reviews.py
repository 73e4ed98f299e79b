"""Legal review (法律审核): review requests with versions and threaded comments, read by
the village's staff and its adviser.

An adviser is assigned by holding the ``legal_adviser`` role on a village or
community (one adviser per village; one adviser may serve several). Reviews
belong to a village and are read by its staff and its adviser only.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core.consultation.procedures import latest_outcome
from core.kernel import audit, notifications, permissions
from core.kernel.errors import DomainError, NotFound, PermissionDenied, bounded_text
from core.kernel.extensions import db
from core.kernel.plugins import registry
from core.legal import advisers
from core.models import (
    Jurisdiction,
    LegalOpinion,
    LegalReview,
    Level,
    ReviewComment,
    ReviewStatus,
    ReviewSubject,
    ReviewVersion,
    Topic,
    utcnow,
)
from core.models.types import local_today
from core.places import settings

MAX_TEXT = 50_000


# ---------------------------------------------------------------- reviews


def village_of_topic(topic):
    """The village whose adviser reviews ``topic``: its own, or for a town-led topic the
    village it came from."""
    node = db.session.get(Jurisdiction, topic.jurisdiction_id)
    return node if node.level == Level.VILLAGE else db.session.get(Jurisdiction,
                                                                     topic.origin_id)


def default_due(village):
    days = settings.get(village, "legal_review_days") or 7
    return local_today() + timedelta(days=int(days))


def _check_due(due_on):
    if due_on is None:
        return None
    today = local_today()
    if not today <= due_on <= today + timedelta(days=90):
        raise DomainError(_l("The due date must be between today and 90 days from now."))
    return due_on


def _digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _after_version(review, version):
    """Tell the adviser (by e-mail, where configured) and the plugins (an outside service)."""
    village = db.session.get(Jurisdiction, review.jurisdiction_id)
    _tell_adviser(review, version, village)
    registry().hooks_for(village).xs_legal_review_requested(review=review, version=version)


def _tell_adviser(review, version, village):
    adviser = advisers.adviser_of(village)
    if adviser is None or not adviser.email or "email" not in notifications.channels(village):
        return
    link = notifications.page_link("legal.show", review_id=review.id)
    draft = f"第{version.number}稿"
    notifications.enqueue(
        "email", adviser.email, f"【法律审查】{village.name}：{review.title}（{draft}）",
        f"{review.title}\n{village.name} · {draft} · 请于{review.due_on}前答复\n{link}",
        key=f"legal-review:{review.id}:v{version.number}")
    db.session.commit()
    notifications.deliver_inline()


def request_review(actor, *, subject, village=None, topic=None, title=None, text=None,
                   note="", due_on=None):
    """Ask the village's legal adviser to review a topic, its draft outcome, or a draft
    document (村规民约, 章程 …). Returns the review with its first version."""

    if subject not in ReviewSubject.ALL:
        raise DomainError(_l("Choose what is to be reviewed."))
    outcome = None
    if subject in ReviewSubject.ON_TOPIC:
        if topic is None:
            raise DomainError(_l("Choose the topic to be reviewed."))
        if not permissions.can_manage_topic(actor, topic):
            raise PermissionDenied(_l("You do not have permission to do this here."))
        village = village_of_topic(topic)
        if subject == ReviewSubject.TOPIC:
            text = topic.title + ("\n\n" + topic.description if topic.description else "")
        else:
            outcome = latest_outcome(topic)
            if outcome is None or outcome.confirmed_at is not None:
                raise DomainError(_l("Only a draft outcome, not yet confirmed, is sent for "
                                     "review."))
            text = outcome.text
        title = topic.title
    else:
        if village is None or village.level != Level.VILLAGE:
            raise DomainError(_l("Documents are reviewed for a village or community."))
        permissions.require(actor, "legal.request", village)
        title = bounded_text(title, 2, 200, _l("The title must be 2 to 200 characters."))
        text = bounded_text(text, 1, MAX_TEXT, _l("Paste the draft (1 to 50000 characters)."))
    note = bounded_text(note, 0, 2000, _l("The note may have at most 2000 characters."))
    review = LegalReview(jurisdiction_id=village.id, subject=subject,
                         topic_id=topic.id if topic else None,
                         outcome_id=outcome.id if outcome else None, title=title[:200],
                         due_on=_check_due(due_on) or default_due(village),
                         requested_by_id=actor.id, status=ReviewStatus.AWAITING)
    db.session.add(review)
    db.session.flush()
    version = ReviewVersion(review_id=review.id, number=1, text=text, note=note,
                            sha256=_digest(text), created_by_id=actor.id)
    db.session.add(version)
    audit.record(actor, "legal.request", review, jurisdiction=village,
                 after={"subject": subject, "title": review.title,
                        "due_on": review.due_on.isoformat()})
    db.session.commit()
    _after_version(review, version)
    return review


def get(review_id):
    review = db.session.get(LegalReview, review_id)
    if review is None:
        raise NotFound(_l("There is no legal review %(id)s.", id=review_id))
    return review


def village_of(review):
    """The village or community ``review`` belongs to."""
    return db.session.get(Jurisdiction, review.jurisdiction_id)


def require_read(actor, review):
    if not permissions.can(actor, "legal.read", village_of(review)):
        raise NotFound(_l("There is no legal review %(id)s.", id=review.id))


def can_organise(actor, review):
    """The committee (or, for a topic, whoever runs it) speaks for the requester."""
    if review.topic_id is not None:

        return permissions.can_manage_topic(actor, db.session.get(Topic, review.topic_id))
    return permissions.can(actor, "legal.request", village_of(review))


def get_comment(comment_id, review):
    """The comment ``comment_id`` if it belongs to ``review``, else None."""
    comment = db.session.get(ReviewComment, comment_id)
    return comment if comment is not None and comment.review_id == review.id else None


def versions(review):
    return db.session.scalars(
        select(ReviewVersion).where(ReviewVersion.review_id == review.id)
        .options(selectinload(ReviewVersion.answers)).order_by(ReviewVersion.number)).all()


def latest_version(review):
    return db.session.scalar(select(ReviewVersion).where(ReviewVersion.review_id == review.id)
                             .order_by(ReviewVersion.number.desc()).limit(1))


def comments(review):
    return db.session.scalars(select(ReviewComment).where(ReviewComment.review_id == review.id)
                              .order_by(ReviewComment.id)).all()


@dataclass
class Thread:
    """An opinion and the replies below it."""

    comment: ReviewComment
    replies: list = field(default_factory=list)


def threads_by_version(review):
    """version id → [Thread], opinions in order with their replies (any depth, flattened
    in order under the opinion they belong to)."""
    found, roots, by_version = {}, {}, {}
    for comment in comments(review):
        root = roots.get(comment.parent_id) if comment.parent_id else None
        if root is None:
            thread = Thread(comment)
            found[comment.id] = thread
            roots[comment.id] = thread
            by_version.setdefault(comment.version_id, []).append(thread)
        else:
            root.replies.append(comment)
            roots[comment.id] = root
    return by_version


def _require_open(review):
    if review.status == ReviewStatus.CLOSED:
        raise DomainError(_l("This review is closed."))


def _version(review, version_id):
    version = db.session.get(ReviewVersion, version_id) if version_id else None
    if version is None or version.review_id != review.id:
        raise DomainError(_l("Choose a version of this draft."))
    return version


def _opinion_fields(opinion, reasoning, provisions):
    if opinion not in LegalOpinion.ALL:
        raise DomainError(_l("Choose an opinion: no legal issue, revise, or unlawful."))
    reasoning = bounded_text(reasoning, 2, 10_000,
                             _l("Give the reasoning (2 to 10000 characters)."))
    provisions = bounded_text(provisions, 0, 2000,
                        _l("Cited provisions may have at most 2000 characters."))
    if opinion != LegalOpinion.NO_ISSUE and not provisions:
        raise DomainError(_l("Cite the provisions the draft must respect."))
    return reasoning, provisions


def _mark_answered(review, version):
    latest = latest_version(review)
    if latest is not None and latest.id == version.id:
        review.status = ReviewStatus.ANSWERED


def give_opinion(actor, review, *, version_id, opinion, reasoning, provisions=""):
    """The assigned adviser's opinion on a version of the draft."""
    permissions.require(actor, "legal.review", village_of(review))
    _require_open(review)
    version = _version(review, version_id)
    reasoning, provisions = _opinion_fields(opinion, reasoning, provisions)
    comment = ReviewComment(review_id=review.id, version_id=version.id, author_id=actor.id,
                            author_name=actor.display_name[:100], side="adviser",
                            opinion=opinion, reasoning=reasoning, provisions=provisions)
    db.session.add(comment)
    _mark_answered(review, version)
    audit.record(actor, "legal.opinion", review, jurisdiction=village_of(review),
                 after={"version": version.number, "opinion": opinion})
    db.session.commit()
    return comment


def record_external_opinion(review, *, version_number, opinion, reasoning, provisions,
                            adviser_name, external_id):
    """An opinion an outside legal-adviser service posted back (its delivery id is taken
    once; a second delivery with the same id is refused)."""
    if review.status == ReviewStatus.CLOSED:
        raise DomainError(_l("This review is closed."))
    version = db.session.scalar(select(ReviewVersion).where(
        ReviewVersion.review_id == review.id, ReviewVersion.number == version_number))
    if version is None:
        raise DomainError(_l("Choose a version of this draft."))
    reasoning, provisions = _opinion_fields(opinion, reasoning, provisions)
    name = " ".join((adviser_name or "").split())[:100]
    if not name:
        raise DomainError(_l("The name must be 1 to 100 characters."))
    if db.session.scalar(select(ReviewComment.id).where(
            ReviewComment.external_id == external_id)):
        raise DuplicateDelivery(external_id)
    comment = ReviewComment(review_id=review.id, version_id=version.id, author_name=name,
                            side="adviser", opinion=opinion, reasoning=reasoning,
                            provisions=provisions, external_id=external_id)
    db.session.add(comment)
    _mark_answered(review, version)
    audit.record(None, "legal.opinion", review, jurisdiction=village_of(review),
                 after={"version": version.number, "opinion": opinion,
                        "external_id": external_id, "adviser": name})
    db.session.commit()
    return comment


class DuplicateDelivery(DomainError):
    """An outside service's delivery that was already taken (409)."""

    status = 409

    def __init__(self, external_id):
        super().__init__(_l("This delivery was already received."))
        self.external_id = external_id


def reply(actor, review, *, parent_id, text):
    """A reply in the thread of a comment: the organiser answers the adviser, or the
    adviser answers back."""
    _require_open(review)
    parent = db.session.get(ReviewComment, parent_id) if parent_id else None
    if parent is None or parent.review_id != review.id:
        raise DomainError(_l("Choose the comment you answer."))
    if permissions.can(actor, "legal.review", village_of(review)):
        side = "adviser"
    elif can_organise(actor, review):
        side = "organiser"
    else:
        raise PermissionDenied(_l("You do not have permission to do this here."))
    text = bounded_text(text, 1, 10_000, _l("Write the reply (1 to 10000 characters)."))
    comment = ReviewComment(review_id=review.id, version_id=parent.version_id,
                            parent_id=parent.id, author_id=actor.id,
                            author_name=actor.display_name[:100], side=side, opinion=None,
                            reasoning=text, provisions="")
    db.session.add(comment)
    audit.record(actor, "legal.reply", review, jurisdiction=village_of(review),
                 after={"parent": parent.id})
    db.session.commit()
    return comment


def answerable(review):
    """The opinions a new version may say it answers."""
    return db.session.scalars(select(ReviewComment).where(
        ReviewComment.review_id == review.id, ReviewComment.opinion.is_not(None))
        .order_by(ReviewComment.id)).all()


def add_version(actor, review, *, text, note="", answers=(), due_on=None):
    """Submit a revised draft, naming the adviser's comments it answers."""

    if not can_organise(actor, review):
        raise PermissionDenied(_l("You do not have permission to do this here."))
    _require_open(review)
    if review.subject == ReviewSubject.TOPIC:
        topic = db.session.get(Topic, review.topic_id)
        text = text or topic.title + ("\n\n" + topic.description if topic.description else "")
    elif review.subject == ReviewSubject.OUTCOME:
        outcome = latest_outcome(db.session.get(Topic, review.topic_id))
        if outcome is None or outcome.confirmed_at is not None:
            raise DomainError(_l("Only a draft outcome, not yet confirmed, is sent for "
                                 "review."))
        text = text or outcome.text
        review.outcome_id = outcome.id
    text = bounded_text(text, 1, MAX_TEXT, _l("Paste the draft (1 to 50000 characters)."))
    note = bounded_text(note, 0, 2000, _l("The note may have at most 2000 characters."))
    wanted = {int(value) for value in answers or ()}
    chosen = [comment for comment in answerable(review) if comment.id in wanted]
    if len(chosen) != len(wanted):
        raise DomainError(_l("A new version answers comments of this review only."))
    previous = latest_version(review)
    if previous is not None and previous.sha256 == _digest(text):
        raise DomainError(_l("The new version is the same as the last one."))
    version = ReviewVersion(review_id=review.id, number=(previous.number if previous else 0) + 1,
                            text=text, note=note, sha256=_digest(text), created_by_id=actor.id)
    version.answers = chosen
    db.session.add(version)
    review.status = ReviewStatus.AWAITING
    if due_on is not None:
        review.due_on = _check_due(due_on)
    audit.record(actor, "legal.version", review, jurisdiction=village_of(review),
                 after={"version": version.number, "answers": sorted(wanted)})
    db.session.commit()
    _after_version(review, version)
    return version


def close(actor, review):
    if not can_organise(actor, review):
        raise PermissionDenied(_l("You do not have permission to do this here."))
    _require_open(review)
    review.status, review.closed_at = ReviewStatus.CLOSED, utcnow()
    audit.record(actor, "legal.close", review, jurisdiction=village_of(review))
    db.session.commit()


# ------------------------------------------------------------------ reading


def queue(actor, *, status=None, page_number=1, per_page=50):
    """The reviews the actor may read, soonest due first (an adviser's queue)."""
    query = (select(LegalReview, Jurisdiction)
             .join(Jurisdiction, LegalReview.jurisdiction_id == Jurisdiction.id)
             .where(permissions.scope_clause(actor, "legal.read")))
    if status in (ReviewStatus.AWAITING, ReviewStatus.ANSWERED, ReviewStatus.CLOSED):
        query = query.where(LegalReview.status == status)
    elif status != "all":
        query = query.where(LegalReview.status != ReviewStatus.CLOSED)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.order_by(LegalReview.due_on, LegalReview.id)
                              .limit(per_page).offset((page_number - 1) * per_page)).all()
    return rows, total


def topic_of(review):
    """The topic ``review`` is about, or None for a draft of the village's own."""
    return db.session.get(Topic, review.topic_id) if review.topic_id else None
