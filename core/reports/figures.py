"""Figures for a jurisdiction subtree and a period, computed in the database with aggregate
queries (no loops over rows): what Dongguan reports, and what reviews and assessments use."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import bindparam, case, distinct, extract, func, select

from core.kernel.extensions import db, read_rows
from core.legal import advisers, service_record
from core.models import (
    BoardEntry,
    EntryKind,
    Jurisdiction,
    LegalReview,
    Meeting,
    Opinion,
    Outcome,
    Participant,
    ParticipantStatus,
    Person,
    ReviewComment,
    Task,
    Topic,
    Vote,
)
from core.models.types import local_today
from core.places.tree import like_prefix


@dataclass(frozen=True)
class Period:
    """A reported period: ``start`` and ``end``, both days included."""

    start: date
    end: date  # inclusive

    def bounds(self):
        """The period as [start, end) UTC instants, in the deployment's time zone."""
        zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
        first = datetime.combine(self.start, time(), zone)
        after = datetime.combine(self.end + timedelta(days=1), time(), zone)
        return first, after


def _days(dialect, later, earlier):
    """Days between two timestamps, as the database computes them."""
    if dialect == "postgresql":
        return extract("epoch", later - earlier) / 86400.0
    return func.julianday(later) - func.julianday(earlier)


def _most_first(counter):
    """(key, count) pairs, largest count first, ties in key order."""
    return sorted(counter.items(), key=lambda pair: (-pair[1], str(pair[0])))


@lru_cache(maxsize=4)
def _statements(dialect):
    """Every statement of :func:`compute`, built once per database dialect with bound
    parameters: the subtree's path as a LIKE prefix (``subtree``), the period as UTC
    instants (``first``, ``after``) and as days (``start``, ``end``), and the day before
    which an unfinished task is overdue (``overdue_before``).

    Building them for every report cost about as long as the database takes for the
    small ones; they are plain columns and aggregates, so they are read as rows."""
    in_subtree = Jurisdiction.path.startswith(bindparam("subtree"), escape="/")
    units = select(Jurisdiction.id).where(in_subtree)
    topics_here = select(Topic.id).where(Topic.jurisdiction_id.in_(units))
    first, after = bindparam("first"), bindparam("after")
    found = {}

    # One pass over the meetings held, by topic: how many, their notice lead time, and the
    # rounds each topic took.
    lead = _days(dialect, Meeting.starts_at, Meeting.notice_at)
    per_topic = (select(func.count().label("held"), func.sum(lead).label("lead_sum"),
                        func.count(lead).label("lead_n"),
                        func.max(Meeting.round_no).label("rounds"))
                 .where(Meeting.jurisdiction_id.in_(units), Meeting.held_at >= first,
                        Meeting.held_at < after)
                 .group_by(Meeting.topic_id).subquery())
    found["meetings"] = select(
        func.coalesce(func.sum(per_topic.c.held), 0), func.sum(per_topic.c.lead_sum),
        func.coalesce(func.sum(per_topic.c.lead_n), 0), func.avg(per_topic.c.rounds))
    # The period's new topics counted by item and channel in one pass.
    found["topics"] = (select(Topic.item_title, Topic.channel, func.count())
                       .where(Topic.jurisdiction_id.in_(units), Topic.created_at >= first,
                              Topic.created_at < after)
                       .group_by(Topic.item_title, Topic.channel))
    found["sent_to_vote"] = select(func.count(distinct(Vote.topic_id))).where(
        Vote.topic_id.in_(topics_here), Vote.held_on >= bindparam("start"),
        Vote.held_on <= bindparam("end"))
    confirmed = (select(Outcome.topic_id, Meeting.round_no)
                 .join(Meeting, Outcome.meeting_id == Meeting.id)
                 .where(Outcome.topic_id.in_(topics_here), Outcome.confirmed_at >= first,
                        Outcome.confirmed_at < after).subquery())
    found["implemented_directly"] = (
        select(func.count()).select_from(confirmed)
        .join(Topic, Topic.id == confirmed.c.topic_id)
        .where(Topic.deciding_bodies == "", Topic.referred_to.is_(None)))
    found["rounds"] = select(
        func.coalesce(func.sum(case((confirmed.c.round_no == 1, 1), else_=0)), 0),
        func.coalesce(func.sum(case((confirmed.c.round_no > 1, 1), else_=0)), 0))
    consulted = select(Meeting.topic_id).where(Meeting.jurisdiction_id.in_(units),
                                               Meeting.held_at >= first, Meeting.held_at < after)
    found["participants"] = (
        select(func.count(), func.count(Person.id),
               func.coalesce(func.sum(case((Person.registered.is_(False), 1), else_=0)), 0))
        .select_from(Participant).outerjoin(Person, Participant.person_id == Person.id)
        .where(Participant.topic_id.in_(consulted),
               Participant.status == ParticipantStatus.INVITED))
    found["on_behalf"] = (select(func.count()).select_from(Opinion)
                          .join(Meeting, Opinion.meeting_id == Meeting.id)
                          .where(Meeting.jurisdiction_id.in_(units),
                                 Opinion.on_behalf.is_(True),
                                 Meeting.held_at >= first, Meeting.held_at < after))
    found["to_publication"] = (
        select(func.avg(_days(dialect, BoardEntry.published_at, Outcome.confirmed_at)))
        .select_from(BoardEntry).join(Outcome, Outcome.topic_id == BoardEntry.topic_id)
        .where(BoardEntry.kind == EntryKind.RESULT, BoardEntry.topic_id.in_(topics_here),
               BoardEntry.published_at >= first, BoardEntry.published_at < after,
               Outcome.confirmed_at.is_not(None)))
    found["tasks_done"] = select(
        func.count(Task.id),
        func.coalesce(func.sum(case((func.date(Task.done_at) <= Task.deadline, 1), else_=0)),
                      0)).where(Task.topic_id.in_(topics_here), Task.done_at >= first,
                                Task.done_at < after)
    found["overdue"] = select(func.count()).select_from(Task).where(
        Task.topic_id.in_(topics_here), Task.done_at.is_(None),
        Task.deadline < bindparam("overdue_before"))
    found["corrections"] = (
        select(func.count()).select_from(BoardEntry)
        .where(BoardEntry.jurisdiction_id.in_(units),
               BoardEntry.kind == EntryKind.CORRECTION,
               BoardEntry.published_at >= first, BoardEntry.published_at < after))
    latest_opinion = (select(ReviewComment.review_id, func.max(ReviewComment.id).label("last"))
                      .where(ReviewComment.opinion.is_not(None))
                      .group_by(ReviewComment.review_id).subquery())
    found["reviews_by_opinion"] = (
        select(ReviewComment.opinion, func.count(LegalReview.id))
        .select_from(LegalReview)
        .join(Jurisdiction, LegalReview.jurisdiction_id == Jurisdiction.id)
        .outerjoin(latest_opinion, latest_opinion.c.review_id == LegalReview.id)
        .outerjoin(ReviewComment, ReviewComment.id == latest_opinion.c.last)
        .where(in_subtree, LegalReview.requested_at >= first,
               LegalReview.requested_at < after)
        .group_by(ReviewComment.opinion))
    found["overrides"] = (
        select(func.count()).select_from(ReviewComment)
        .join(LegalReview, ReviewComment.review_id == LegalReview.id)
        .join(Jurisdiction, LegalReview.jurisdiction_id == Jurisdiction.id)
        .where(in_subtree, ReviewComment.overridden_at >= first,
               ReviewComment.overridden_at < after))
    return found


def compute(root, period):
    """Every figure for ``root``'s subtree in ``period``, as a plain dict."""
    first, after = period.bounds()
    statements = _statements(db.session.get_bind().dialect.name)
    parameters = {"subtree": like_prefix(root.path), "first": first, "after": after,
                  "start": period.start, "end": period.end,
                  "overdue_before": min(period.end, local_today())}

    def rows(name):
        return read_rows(statements[name], parameters)

    def one(name):
        return rows(name)[0]

    def number(name):
        return one(name)[0]

    meetings_held, lead_sum, lead_n, average_rounds = one("meetings")
    meetings_held = int(meetings_held)
    notice_lead = float(lead_sum) / int(lead_n) if lead_n else None
    by_item, by_channel = Counter(), Counter()  # each split from one count, in Python
    for item_title, channel, count in rows("topics"):
        by_item[item_title or "—"] += count
        by_channel[channel] += count
    by_item, by_channel = _most_first(by_item), _most_first(by_channel)
    topics_total = sum(count for _channel, count in by_channel)  # every topic has a channel
    first_round, later_rounds = one("rounds")
    participants, residents, non_registered = one("participants")
    tasks_done, tasks_on_time = one("tasks_done")
    to_publication = number("to_publication")
    return {
        "meetings_held": meetings_held,
        "topics": topics_total,
        "topics_by_item": [(str(label), count) for label, count in by_item],
        "topics_by_channel": list(map(tuple, by_channel)),
        "sent_to_vote": number("sent_to_vote"),
        "implemented_directly": number("implemented_directly"),
        "consensus_first_round": int(first_round),
        "consensus_later_rounds": int(later_rounds),
        "average_rounds": round(float(average_rounds), 2) if average_rounds else 0.0,
        "participants": participants,
        "residents": residents,
        "non_registered": int(non_registered),
        "recorded_on_behalf": number("on_behalf"),
        "average_notice_days": round(float(notice_lead), 1) if notice_lead else 0.0,
        "average_days_to_publication": round(float(to_publication), 1) if to_publication
        else 0.0,
        "tasks_done": tasks_done,
        "tasks_on_time": int(tasks_on_time),
        "overdue_tasks": number("overdue"),
        "corrections": number("corrections"),
        "legal_reviews_by_opinion": {opinion or "pending": count
                                     for opinion, count in rows("reviews_by_opinion")},
        "legal_overrides": number("overrides"),
        **_advisers(root, period),
    }


def _advisers(root, period):
    """The legal advisers' "四个一" over the subtree: periods owed and met per duty, and
    how many advisers fell short of each."""

    rows, total = service_record.compliance(root, period.start, period.end, per_page=100_000)
    duties = {}
    for kind in service_record.DUTIES:
        owed = sum(row.duties[kind][0] for row in rows)
        met = sum(row.duties[kind][1] for row in rows)
        short = sum(1 for row in rows if row.duties[kind][2])
        duties[kind] = [owed, met, short]
    return {"advisers_assigned": total,
            "villages_without_adviser": advisers.count_villages_without_adviser(root),
            "adviser_duties": duties}


