"""Legal advisers (驻村/社区法律顾问): assignment, review requests with versions and
threaded comments, the blocking rule for "unlawful" opinions, and the "四个一" record.

An adviser is assigned by holding the ``legal_adviser`` role on a village or
community (one adviser per village; one adviser may serve several). Reviews
belong to a village and are read by its staff and its adviser only.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from core.kernel import audit, permissions
from core.kernel.errors import DomainError, NotFound, PermissionDenied
from core.kernel.extensions import db, read_rows
from core.kernel.plugins import registry
from core.models import (
    AdviserActivity,
    Jurisdiction,
    LegalOpinion,
    LegalReview,
    Level,
    ReviewComment,
    ReviewStatus,
    ReviewSubject,
    ReviewVersion,
    Role,
    RoleAssignment,
    ServiceKind,
    User,
    utcnow,
)
from core.models.types import local_today
from core.places import settings

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


# ---------------------------------------------------------------- reviews


def _clean(text, low, high, message):
    text = (text or "").strip()
    if not low <= len(text) <= high:
        raise DomainError(message)
    return text


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
    from flask import has_request_context, url_for

    from core.kernel import notifications

    adviser = adviser_of(village)
    if adviser is None or not adviser.email or "email" not in notifications.channels(village):
        return
    link = (url_for("legal.show", review_id=review.id, _external=True)
            if has_request_context() else f"/legal/reviews/{review.id}")
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
    from core.consultation.procedures import latest_outcome

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
        title = _clean(title, 2, 200, _l("The title must be 2 to 200 characters."))
        text = _clean(text, 1, MAX_TEXT, _l("Paste the draft (1 to 50000 characters)."))
    note = _clean(note, 0, 2000, _l("The note may have at most 2000 characters."))
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
    return db.session.get(Jurisdiction, review.jurisdiction_id)


def require_read(actor, review):
    if not permissions.can(actor, "legal.read", village_of(review)):
        raise NotFound(_l("There is no legal review %(id)s.", id=review.id))


def can_organise(actor, review):
    """The committee (or, for a topic, whoever runs it) speaks for the requester."""
    if review.topic_id is not None:
        from core.models import Topic

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
    reasoning = _clean(reasoning, 2, 10_000, _l("Give the reasoning (2 to 10000 characters)."))
    provisions = _clean(provisions, 0, 2000,
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
    text = _clean(text, 1, 10_000, _l("Write the reply (1 to 10000 characters)."))
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
    from core.consultation.procedures import latest_outcome
    from core.models import Topic

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
    text = _clean(text, 1, MAX_TEXT, _l("Paste the draft (1 to 50000 characters)."))
    note = _clean(note, 0, 2000, _l("The note may have at most 2000 characters."))
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
    village = village_of_topic(topic)
    return bool(settings.get(village, "legal_unlawful_blocks")) and bool(open_unlawful(topic))


def override(actor, comment_id, *, reason):
    """The town lets the outcome go ahead despite an "unlawful" opinion, with its reason."""
    comment = db.session.get(ReviewComment, comment_id) if comment_id else None
    if comment is None or comment.opinion != LegalOpinion.UNLAWFUL:
        raise DomainError(_l("Only an \"unlawful\" opinion can be overridden."))
    review = get(comment.review_id)
    permissions.require(actor, "legal.override", village_of(review))
    if comment.overridden_at is not None:
        raise DomainError(_l("This opinion is already overridden."))
    reason = _clean(reason, 10, 2000,
                    _l("Give the town's reason for the override (10 to 2000 characters)."))
    comment.overridden_by_id, comment.overridden_at, comment.override_reason = (
        actor.id, utcnow(), reason)
    audit.record(actor, "legal.override", review, jurisdiction=village_of(review),
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


# What a topic's page lists of each review: the columns it shows, read as rows.
_TOPIC_REVIEWS = _reviews_with_latest_opinion(True, columns=(
    LegalReview.id, LegalReview.subject, LegalReview.status, ReviewComment.opinion,
    ReviewComment.overridden_at))


def reviews_readable_by(user, topic):
    """The topic's reviews as rows (id, subject, status, current opinion or None, when the
    town overrode it), for staff who read legal reviews here; otherwise None."""
    if not permissions.can(user, "legal.read", village_of_topic(topic)):
        return None
    return reviews_of_topic(topic)


def reviews_of_topic(topic):
    """Every review of ``topic``, oldest first, as rows (id, subject, status, opinion,
    overridden_at): the current opinion and whether the town overrode it are None until
    an adviser gives one."""
    return read_rows(_TOPIC_REVIEWS, {"topic_ids": [topic.id]})


# ------------------------------------------------- the "四个一" service record


def _periods(day):
    month = day.replace(day=1)
    return {
        "week": day - timedelta(days=day.weekday()),
        "month": month,
        "quarter": month.replace(month=(day.month - 1) // 3 * 3 + 1),
        "year": day.replace(month=1, day=1),
    }


def log_activity(actor, village, *, kind, on, hours=None, note=""):
    """An adviser records a contact, service day, lecture or outreach event for one of
    the villages they serve."""
    if village is None or village.level != Level.VILLAGE:
        raise DomainError(_l("Choose a village or community you serve."))
    permissions.require(actor, "legal.log", village)
    if kind not in ServiceKind.ALL:
        raise DomainError(_l("Choose what kind of service it was."))
    if on is None or on > local_today() or on < local_today() - timedelta(days=400):
        raise DomainError(_l("The date must be within the last 400 days and not in the "
                             "future."))
    if hours in (None, ""):
        hours = None
    else:
        try:
            hours = Decimal(str(hours)).quantize(Decimal("0.1"))
        except (InvalidOperation, ValueError):
            raise DomainError(_l("Hours must be a number.")) from None
        if not Decimal("0.5") <= hours <= Decimal("24"):
            raise DomainError(_l("Hours must be between 0.5 and 24."))
    if kind == ServiceKind.ONSITE and hours is None:
        raise DomainError(_l("Give the hours spent on site."))
    note = _clean(note, 0, 500, _l("The note may have at most 500 characters."))
    activity = AdviserActivity(adviser_id=actor.id, jurisdiction_id=village.id, kind=kind,
                               on=on, hours=hours, note=note, recorded_by_id=actor.id,
                               **_periods(on))
    db.session.add(activity)
    audit.record(actor, "legal.log", activity, jurisdiction=village,
                 after={"kind": kind, "on": on.isoformat(),
                        "hours": None if hours is None else str(hours)})
    db.session.commit()
    return activity


def activities(actor, *, page_number=1, per_page=50):
    query = (select(AdviserActivity, Jurisdiction)
             .join(Jurisdiction, AdviserActivity.jurisdiction_id == Jurisdiction.id)
             .where(AdviserActivity.adviser_id == actor.id))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.order_by(AdviserActivity.on.desc(), AdviserActivity.id.desc())
                              .limit(per_page).offset((page_number - 1) * per_page)).all()
    return rows, total


#: duty → (the period it recurs in, its column). Each period needs one: a phone call a
#: week, an on-site day of at least 8 hours a month, a lecture a quarter, an outreach
#: event a year (003).
DUTIES = {
    ServiceKind.PHONE: "week",
    ServiceKind.ONSITE: "month",
    ServiceKind.LECTURE: "quarter",
    ServiceKind.OUTREACH: "year",
}
ONSITE_HOURS = Decimal("8")


def _next(start, unit):
    if unit == "week":
        return start + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    month = start.month - 1 + months
    return start.replace(year=start.year + month // 12, month=month % 12 + 1, day=1)


def due_periods(unit, start, end, as_of=None):
    """The periods of ``unit`` that lie wholly within [start, end] and have ended by
    ``as_of``: those a duty is owed for. A week, month … cut by the report's edges is
    not owed in that report (it is in the report that covers it whole)."""
    as_of = as_of or local_today()
    first = _periods(start)[unit]
    if first < start:
        first = _next(first, unit)
    periods = []
    while True:
        following = _next(first, unit)
        last_day = following - timedelta(days=1)
        if last_day > end or last_day >= as_of:
            break
        periods.append(first)
        first = following
    return periods


@dataclass
class Compliance:
    adviser: User
    village: Jurisdiction
    #: duty → (periods owed, periods met, [periods missed])
    duties: dict

    @property
    def shortfalls(self):
        return {kind: missed for kind, (_owed, _met, missed) in self.duties.items() if missed}


def compliance(node, start, end, *, as_of=None, adviser=None, page_number=1, per_page=50):
    """Per adviser and village under ``node``: each "四个一" duty's periods owed within
    [start, end], those met, and those missed. Aggregate queries: one for the on-site
    days of 8 hours or more, one for the other duties."""
    if start > end:
        raise DomainError(_l("The start of the period must not be after its end."))
    rows, total = advisers_under(node, adviser=adviser, page_number=page_number,
                                 per_page=per_page)
    pairs = {(user.id, village.id) for _a, user, village in rows}
    met = {}
    if pairs:
        adviser_ids = {a for a, _v in pairs}
        village_ids = {v for _a, v in pairs}
        within = (AdviserActivity.on >= start, AdviserActivity.on <= end,
                  AdviserActivity.adviser_id.in_(adviser_ids),
                  AdviserActivity.jurisdiction_id.in_(village_ids))
        for kind, unit in DUTIES.items():
            column = getattr(AdviserActivity, unit)
            if kind == ServiceKind.ONSITE:
                days = (select(AdviserActivity.adviser_id, AdviserActivity.jurisdiction_id,
                               column.label("period"))
                        .where(AdviserActivity.kind == kind, *within)
                        .group_by(AdviserActivity.adviser_id, AdviserActivity.jurisdiction_id,
                                  column, AdviserActivity.on)
                        .having(func.sum(AdviserActivity.hours) >= ONSITE_HOURS).subquery())
                query = select(days.c.adviser_id, days.c.jurisdiction_id,
                               days.c.period).distinct()
            else:
                query = (select(AdviserActivity.adviser_id, AdviserActivity.jurisdiction_id,
                                column).where(AdviserActivity.kind == kind, *within)
                         .group_by(AdviserActivity.adviser_id, AdviserActivity.jurisdiction_id,
                                   column))
            for adviser_id, village_id, period in db.session.execute(query):
                met.setdefault((adviser_id, village_id, kind), set()).add(period)
    owed = {kind: due_periods(unit, start, end, as_of) for kind, unit in DUTIES.items()}
    result = []
    for _assignment, user, village in rows:
        duties = {}
        for kind in DUTIES:
            done = met.get((user.id, village.id, kind), set())
            missed = [period for period in owed[kind] if period not in done]
            duties[kind] = (len(owed[kind]), len(owed[kind]) - len(missed), missed)
        result.append(Compliance(user, village, duties))
    return result, total
