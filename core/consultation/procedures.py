"""The procedure engine: ordered steps with guards, contributed by plugins.

A procedure (national 4 steps, Qingxi 5, Dongguan 6, Tianjin 4 …) is an
ordered list of steps. Each step names the phases of the work it covers
(define the topic, choose subjects, notify, consult, confirm, publish,
implement). The phases decide which actions are allowed while a topic stands
on the step, and what must hold before it may move on; a plugin adds guards
of its own to a step with ``requirements``. Topics move one step at a time,
forwards only (a new round of consultation goes back to the notice step),
and every move is checked here and audited by the service that makes it.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select

from core.kernel.extensions import db, read_rows
from core.models import (
    Attendance,
    BoardEntry,
    EntryKind,
    Meeting,
    MeetingOutcome,
    Outcome,
    Participant,
    ParticipantStatus,
    Signature,
    TopicStatus,
    Vote,
    VoteResult,
)


class Phase:
    """The phases every procedure is made of, in their legal order (a step covers one or
    more; the core's rules attach to phases, so any town's steps get them)."""

    COLLECT = "collect"  # 征集议题
    DEFINE = "define"  # 确定议题 (screen, classify, accept)
    SUBJECTS = "subjects"  # 确定协商主体 (and form)
    NOTIFY = "notify"  # 公布协商信息 / 提前通报
    CONSULT = "consult"  # 组织开展协商
    CONFIRM = "confirm"  # 确认协商成果 (signatures, witness, vote)
    PUBLISH = "publish"  # 公布协商结果
    IMPLEMENT = "implement"  # 组织实施与反馈

    ALL = (COLLECT, DEFINE, SUBJECTS, NOTIFY, CONSULT, CONFIRM, PUBLISH, IMPLEMENT)


@dataclass(frozen=True)
class Requirement:
    """Something that must hold before a topic leaves a step."""

    key: str
    label: object
    check: object  # callable(topic) -> bool


@dataclass(frozen=True)
class Step:
    key: str
    title: object
    phases: tuple
    #: Days a topic may stand on this step before the dashboard calls it overdue.
    due_days: int = 14
    #: Extra guards a plugin adds to this step.
    requirements: tuple = ()


@dataclass(frozen=True)
class Procedure:
    key: str
    title: object
    steps: tuple
    plugin: str = ""
    #: Whether micro-consultation levels (楼栋, 楼门 …) may use it.
    light: bool = False
    description: object = ""
    step_keys: tuple = field(init=False, repr=False, default=())

    def __post_init__(self):
        object.__setattr__(self, "step_keys", tuple(step.key for step in self.steps))

    def step(self, key):
        return self.steps[self.step_keys.index(key)]

    def index(self, key):
        return self.step_keys.index(key)

    def next_step(self, key):
        position = self.index(key) + 1
        return self.steps[position] if position < len(self.steps) else None

    def first_step_with(self, phase):
        return next((step for step in self.steps if phase in step.phases), None)

    def has_phase(self, phase):
        return any(phase in step.phases for step in self.steps)


# ------------------------------------------------------------ the checks


_LATEST_MEETING = (select(Meeting).where(Meeting.topic_id == bindparam("topic_id"))
                   .order_by(Meeting.round_no.desc()).limit(1))
_LATEST_OUTCOME = (select(Outcome).join(Meeting, Outcome.meeting_id == Meeting.id)
                   .where(Outcome.topic_id == bindparam("topic_id"))
                   .order_by(Meeting.round_no.desc()).limit(1))


def latest_meeting(topic):
    """The meeting of ``topic``'s latest round, or None before one is planned."""
    return db.session.scalar(_LATEST_MEETING, {"topic_id": topic.id})


# What the steps' checks read of the latest meeting, as a row (no entity to build).
_LATEST_MEETING_STATE = _LATEST_MEETING.with_only_columns(
    Meeting.id, Meeting.notice_at, Meeting.held_at, Meeting.outcome)


# What the later steps' checks read, as rows: whether a meeting has its outcome (the
# consensus text), whether the latest outcome is confirmed, and whether the topic's
# result is on the board.
_MEETING_OUTCOME = select(Outcome.id).where(Outcome.meeting_id == bindparam("meeting_id"))
_LATEST_OUTCOME_CONFIRMED = _LATEST_OUTCOME.with_only_columns(Outcome.confirmed_at)
_RESULT_ENTRY = (select(BoardEntry.id).where(BoardEntry.topic_id == bindparam("topic_id"),
                                             BoardEntry.kind == EntryKind.RESULT).limit(1))


def _latest_meeting_state(topic):
    """(id, notice_at, held_at, outcome) of the topic's latest meeting, or None."""
    rows = read_rows(_LATEST_MEETING_STATE, {"topic_id": topic.id})
    return rows[0] if rows else None


def latest_outcome(topic):
    return db.session.scalar(_LATEST_OUTCOME, {"topic_id": topic.id})


_LATEST_OUTCOME_ROW = _LATEST_OUTCOME.with_only_columns(*Outcome.__table__.columns)


def latest_outcome_row(topic):
    """The latest outcome's columns as a row (or None), for a page that only shows it."""
    rows = read_rows(_LATEST_OUTCOME_ROW, {"topic_id": topic.id})
    return rows[0] if rows else None


# Whether one of the bodies passed the topic: built once, read as a row.
_PASSED_VOTE = (select(Vote.id).where(Vote.topic_id == bindparam("topic_id"),
                                      Vote.body.in_(bindparam("bodies", expanding=True)),
                                      Vote.result == VoteResult.PASSED).limit(1))


def passed_vote(topic, bodies):
    return bool(read_rows(_PASSED_VOTE, {"topic_id": topic.id, "bodies": list(bodies)}))


def unsigned_attendees(outcome):
    """Participants who attended the outcome's meeting and have not signed it."""
    signed = select(Signature.participant_id).where(Signature.outcome_id == outcome.id)
    return db.session.scalars(
        select(Participant)
        .join(Attendance, Attendance.participant_id == Participant.id)
        .where(Attendance.meeting_id == outcome.meeting_id, Participant.id.not_in(signed))
        .order_by(Participant.id)
    ).all()


def _screened(topic):
    return topic.screened_at is not None


def _classified(topic):
    return bool(topic.item_code)


def _accepted(topic):
    return topic.status == TopicStatus.ACCEPTED


# How many of a topic's subjects have a status: the subjects step's two checks, built
# once and read as a row.
_PARTICIPANTS_WITH_STATUS = (select(func.count()).select_from(Participant)
                             .where(Participant.topic_id == bindparam("topic_id"),
                                    Participant.status == bindparam("status")))


def _participants_with(topic, status):
    return read_rows(_PARTICIPANTS_WITH_STATUS, {"topic_id": topic.id, "status": status})[0][0]


def _subjects_invited(topic):
    return _participants_with(topic, ParticipantStatus.INVITED) >= 2


def _no_pending_applications(topic):
    return _participants_with(topic, ParticipantStatus.APPLIED) == 0


def _meeting_noticed(topic):
    meeting = _latest_meeting_state(topic)
    return meeting is not None and meeting.notice_at is not None


def _meeting_held(topic):
    meeting = _latest_meeting_state(topic)
    return meeting is not None and meeting.held_at is not None and meeting.outcome is not None


def _consensus_or_referral(topic):
    meeting = _latest_meeting_state(topic)
    if meeting is None or meeting.outcome is None:
        return False
    if meeting.outcome == MeetingOutcome.CONSENSUS:
        return bool(read_rows(_MEETING_OUTCOME, {"meeting_id": meeting.id}))
    return topic.referred_to is not None


def _outcome_confirmed(topic):
    if topic.referred_to:
        return True  # decided by the body it was referred to (checked below)
    rows = read_rows(_LATEST_OUTCOME_CONFIRMED, {"topic_id": topic.id})
    return bool(rows) and rows[0].confirmed_at is not None


def decided(topic):
    if topic.referred_to:
        return passed_vote(topic, [topic.referred_to])
    bodies = topic.deciding_body_list
    return not bodies or passed_vote(topic, bodies)


def _result_published(topic):
    return bool(read_rows(_RESULT_ENTRY, {"topic_id": topic.id}))


#: What each phase requires before a topic leaves a step that covers it.
PHASE_REQUIREMENTS = {
    Phase.COLLECT: (
        Requirement("screened", _l("The proposal has been screened"), _screened),
    ),
    Phase.DEFINE: (
        Requirement("screened", _l("The proposal has been screened"), _screened),
        Requirement("classified", _l("The topic is classified in the catalogue"), _classified),
        Requirement("accepted", _l("The committee has accepted the topic (立项)"), _accepted),
    ),
    Phase.SUBJECTS: (
        Requirement("subjects", _l("At least two subjects are invited"), _subjects_invited),
        Requirement("applications", _l("Every application to join has been decided"),
                    _no_pending_applications),
    ),
    Phase.NOTIFY: (
        Requirement("noticed", _l("A meeting is scheduled and its notice published"),
                    _meeting_noticed),
    ),
    Phase.CONSULT: (
        Requirement("held", _l("The meeting has been held and its result recorded"),
                    _meeting_held),
        Requirement("consensus", _l("A consensus text is drafted, or the topic is referred "
                                    "to a deciding body"), _consensus_or_referral),
    ),
    Phase.CONFIRM: (
        Requirement("confirmed", _l("The outcome is signed by the participants and confirmed"),
                    _outcome_confirmed),
        Requirement("decided", _l("The deciding body has passed it, where a vote is required"),
                    decided),
    ),
    Phase.PUBLISH: (
        Requirement("published", _l("The result is published on the disclosure board"),
                    _result_published),
    ),
    Phase.IMPLEMENT: (),
}


def requirements(step):
    """Every guard of ``step``: its phases' requirements, then the plugin's own."""
    seen, found = set(), []
    for phase in step.phases:
        for requirement in PHASE_REQUIREMENTS.get(phase, ()):
            if requirement.key not in seen:
                seen.add(requirement.key)
                found.append(requirement)
    found.extend(step.requirements)
    return found


def missing(topic, step):
    """Labels of the guards of ``step`` that ``topic`` does not meet yet."""
    return [requirement.label for requirement in requirements(step)
            if not requirement.check(topic)]
