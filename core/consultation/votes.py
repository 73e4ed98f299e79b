"""Votes of the deciding bodies: quorum and majority as the law sets them.

Villager Committee Organisation Law (2018): a villager meeting needs more than
half of the adult villagers, or representatives of two thirds of the
households (Art. 22), and ten days' notice (Art. 21); a representative
meeting needs two thirds of its members (Art. 26); decisions need more than
half of those present. "以上" counts the figure itself ("two thirds or more");
"过半数" does not ("more than half"). Shareholder meetings follow their
charter: the deployment sets the fractions per jurisdiction.
"""

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select

from core.consultation.catalogue import DecidingBody
from core.consultation.procedures import Phase, latest_outcome
from core.consultation.topics import require_manage, require_phase
from core.kernel import audit
from core.kernel.errors import DomainError
from core.kernel.extensions import db, read_rows
from core.models import Attendance, Jurisdiction, Participant, Vote, VoteResult
from core.models.types import local_today, require_within_calendar
from core.places import settings

VILLAGER_MEETING_NOTICE_DAYS = 10


@dataclass(frozen=True)
class Threshold:
    share: Fraction
    #: True: more than the share (过半数); False: the share or more (三分之二以上).
    strict: bool

    def met(self, part, whole):
        if whole <= 0:
            return False
        scaled, needed = part * self.share.denominator, whole * self.share.numerator
        return scaled > needed if self.strict else scaled >= needed

    def describe(self, part, whole):
        sign = ">" if self.strict else "≥"
        return f"{part}/{whole} {sign} {self.share}"


@dataclass(frozen=True)
class Rule:
    quorum: Threshold
    majority: Threshold
    #: Villager meetings may instead be quorate by households represented.
    households: Threshold | None = None


MORE_THAN_HALF = Threshold(Fraction(1, 2), strict=True)
TWO_THIRDS = Threshold(Fraction(2, 3), strict=False)


def parse_fraction(text):
    try:
        value = Fraction(str(text).strip())
    except (ValueError, ZeroDivisionError):
        raise DomainError(_l("%(value)s is not a fraction such as 2/3.", value=text)) from None
    if not 0 < value <= 1:
        raise DomainError(_l("A share must be more than 0 and at most 1."))
    return value


settings.declare_check("shareholder_quorum", lambda _jurisdiction, value: parse_fraction(value))
settings.declare_check("shareholder_majority", lambda _jurisdiction, value: parse_fraction(value))


def rule_for(body, jurisdiction):
    if body == DecidingBody.VILLAGER_MEETING:
        return Rule(quorum=MORE_THAN_HALF, majority=MORE_THAN_HALF, households=TWO_THIRDS)
    if body == DecidingBody.REPRESENTATIVE_MEETING:
        return Rule(quorum=TWO_THIRDS, majority=MORE_THAN_HALF)
    if body == DecidingBody.SHAREHOLDER_MEETING:
        quorum = settings.get(jurisdiction, "shareholder_quorum") or "2/3"
        majority = settings.get(jurisdiction, "shareholder_majority") or "1/2"
        return Rule(quorum=Threshold(parse_fraction(quorum), strict=False),
                    majority=Threshold(parse_fraction(majority), strict=True))
    if body == DecidingBody.OWNERS_MEETING:
        return Rule(quorum=TWO_THIRDS, majority=MORE_THAN_HALF)
    raise DomainError(_l("Choose the body that decides."))


def tally(rule, *, eligible, present, votes_for, households_total=None,
          households_represented=None):
    """(result, reasoning) for the counts under ``rule``."""
    quorate = rule.quorum.met(present, eligible)
    reasons = [f"quorum {rule.quorum.describe(present, eligible)}: {'yes' if quorate else 'no'}"]
    if not quorate and rule.households is not None and households_total:
        represented = households_represented or 0
        quorate = rule.households.met(represented, households_total)
        described = rule.households.describe(represented, households_total)
        reasons.append(f"households {described}: {'yes' if quorate else 'no'}")
    if not quorate:
        return VoteResult.NO_QUORUM, "; ".join(reasons)
    passed = rule.majority.met(votes_for, present)
    reasons.append(f"for {rule.majority.describe(votes_for, present)}: "
                   f"{'yes' if passed else 'no'}")
    return (VoteResult.PASSED if passed else VoteResult.FAILED), "; ".join(reasons)


def _count(value, label):
    if value is None:
        return None
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise DomainError(_l("%(field)s must be a whole number.", field=label)) from None
    if value < 0 or value > 10_000_000:
        raise DomainError(_l("%(field)s must be between 0 and 10,000,000.", field=label))
    return value


def voters_present(meeting):
    """Participants with a vote who attended ``meeting`` (列席 attendees do not count)."""
    return db.session.scalar(
        select(func.count()).select_from(Attendance)
        .join(Participant, Attendance.participant_id == Participant.id)
        .where(Attendance.meeting_id == meeting.id, Participant.votes.is_(True))
    )


def record(actor, topic, *, body, noticed_on, held_on, eligible, present, votes_for,
           votes_against, votes_abstain, households_total=None, households_represented=None,
           meeting=None):
    """Record a deciding body's vote on the topic and work out its result."""
    require_manage(actor, topic)
    require_phase(topic, Phase.CONFIRM)
    allowed = [topic.referred_to] if topic.referred_to else topic.deciding_body_list
    if body not in allowed:
        if not allowed:
            raise DomainError(_l("This topic's consensus is implemented directly; no vote is "
                                 "needed."))
        labels = DecidingBody.labels()
        raise DomainError(_l("This topic is decided by: %(bodies)s.",
                             bodies="、".join(str(labels[b]) for b in allowed)))
    if not topic.referred_to:
        outcome = latest_outcome(topic)
        if outcome is None or outcome.confirmed_at is None:
            raise DomainError(_l("Confirm the signed consensus before it goes to the vote."))
    if db.session.scalar(select(Vote.id).where(Vote.topic_id == topic.id, Vote.body == body,
                                               Vote.result == VoteResult.PASSED)):
        raise DomainError(_l("This body has already passed the topic."))
    if isinstance(noticed_on, date) and isinstance(held_on, date):
        require_within_calendar(noticed_on, held_on)
    if not isinstance(noticed_on, date) or not isinstance(held_on, date):
        raise DomainError(_l("Give the dates of the notice and of the vote."))
    if held_on > local_today() or noticed_on > held_on:
        raise DomainError(_l("The vote cannot be in the future, nor before its notice."))
    if (body == DecidingBody.VILLAGER_MEETING
            and (held_on - noticed_on).days < VILLAGER_MEETING_NOTICE_DAYS):
        raise DomainError(_l("A villager meeting must be announced %(days)s days ahead "
                             "(Villager Committee Organisation Law, Art. 21).",
                             days=VILLAGER_MEETING_NOTICE_DAYS))
    eligible = _count(eligible, _l("Members with a vote"))
    votes_for = _count(votes_for, _l("For"))
    votes_against = _count(votes_against, _l("Against"))
    votes_abstain = _count(votes_abstain, _l("Abstain"))
    households_total = _count(households_total, _l("Households"))
    households_represented = _count(households_represented, _l("Households represented"))
    if meeting is not None:
        if meeting.topic_id != topic.id or meeting.held_at is None:
            raise DomainError(_l("Choose a meeting of this topic that has been held."))
        present = voters_present(meeting)
    else:
        present = _count(present, _l("Present"))
    if None in (eligible, present, votes_for, votes_against, votes_abstain):
        raise DomainError(_l("Fill in every count."))
    if eligible == 0:
        raise DomainError(_l("The body must have members with a vote."))
    if present > eligible:
        raise DomainError(_l("More present (%(present)s) than members with a vote "
                             "(%(eligible)s).", present=present, eligible=eligible))
    if votes_for + votes_against + votes_abstain > present:
        raise DomainError(_l("More votes cast than voters present (%(present)s); only people "
                             "with a vote count.", present=present))
    if body == DecidingBody.VILLAGER_MEETING and households_total is not None:
        if households_represented is None or households_represented > households_total:
            raise DomainError(_l("Households represented must be between 0 and the number "
                                 "of households."))
    jurisdiction = db.session.get(Jurisdiction, topic.jurisdiction_id)
    result, reasoning = tally(rule_for(body, jurisdiction), eligible=eligible, present=present,
                              votes_for=votes_for, households_total=households_total,
                              households_represented=households_represented)
    vote = Vote(topic_id=topic.id, body=body, meeting_id=meeting.id if meeting else None,
                noticed_on=noticed_on, held_on=held_on, eligible=eligible,
                households_total=households_total,
                households_represented=households_represented, present=present,
                votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain,
                result=result, reasoning=reasoning, recorded_by_id=actor.id)
    db.session.add(vote)
    audit.record(actor, "vote.record", vote, jurisdiction=jurisdiction,
                 after={"body": body, "present": present, "for": votes_for,
                        "against": votes_against, "abstain": votes_abstain, "result": result})
    db.session.commit()
    return vote


_VOTES = select(Vote).where(Vote.topic_id == bindparam("topic_id")).order_by(Vote.id)


def votes(topic):
    return db.session.scalars(_VOTES, {"topic_id": topic.id}).all()


_VOTE_ROWS = (select(Vote.body, Vote.held_on, Vote.eligible, Vote.present, Vote.votes_for,
                     Vote.votes_against, Vote.votes_abstain, Vote.result, Vote.reasoning)
              .where(Vote.topic_id == bindparam("topic_id")).order_by(Vote.id))


def rows(topic):
    """The topic's votes as rows, in the order they were recorded."""
    return read_rows(_VOTE_ROWS, {"topic_id": topic.id})
