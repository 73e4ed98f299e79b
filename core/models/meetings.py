"""Meetings (协商会议): attendance, opinions, outcomes and their signatures, votes."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.kernel.extensions import db
from core.models.topics import Participant, Topic
from core.models.types import UTCDateTime, utcnow


class MeetingMode:
    OFFLINE = "offline"
    ONLINE = "online"
    HYBRID = "hybrid"
    ALL = (OFFLINE, ONLINE, HYBRID)

    @staticmethod
    def labels():
        return {
            MeetingMode.OFFLINE: _l("Offline"),
            MeetingMode.ONLINE: _l("Online meeting"),
            MeetingMode.HYBRID: _l("Online and offline"),
        }


class MeetingOutcome:
    CONSENSUS = "consensus"  # 达成一致
    NO_CONSENSUS = "no_consensus"  # 未达成一致
    MAJOR_DIVERGENCE = "major_divergence"  # 存在较大分歧
    ALL = (CONSENSUS, NO_CONSENSUS, MAJOR_DIVERGENCE)

    @staticmethod
    def labels():
        return {
            MeetingOutcome.CONSENSUS: _l("Consensus"),
            MeetingOutcome.NO_CONSENSUS: _l("No consensus"),
            MeetingOutcome.MAJOR_DIVERGENCE: _l("Major divergence"),
        }


class Meeting(db.Model):  # 协商会议
    """A consultation meeting (协商会议): one per round of a topic."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    #: The topic's owning unit, kept here so figures for a subtree and a period read the
    #: meetings held through one index (jurisdiction, held_at) instead of every topic.
    jurisdiction_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdiction.id"))
    round_no: Mapped[int] = mapped_column(default=1)
    form: Mapped[str] = mapped_column(String(60))
    mode: Mapped[str] = mapped_column(String(10), default=MeetingMode.OFFLINE)
    #: For online meetings: how people without the internet take part.
    offline_channel: Mapped[str | None] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(200))
    host: Mapped[str] = mapped_column(String(100))
    agenda: Mapped[str] = mapped_column(Text, default="")
    notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notice_channels: Mapped[str] = mapped_column(String(200), default="")
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str | None] = mapped_column(String(20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    topic: Mapped[Topic] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("topic_id", "round_no"),
        # A unit's meetings by when they were held, with what the figures count of them
        # (their topic, round and notice), so the figures read the index alone.
        Index("ix_meeting_jurisdiction_id_held_at_topic", "jurisdiction_id", "held_at",
              "topic_id", "round_no", "starts_at", "notice_at"),
    )

    @property
    def mode_label(self):
        return MeetingMode.labels().get(self.mode, self.mode)

    @property
    def outcome_label(self):
        return MeetingOutcome.labels().get(self.outcome, self.outcome or "")


class Attendance(db.Model):  # 签到
    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    #: "staff" (signed in by staff) or "self".
    method: Mapped[str] = mapped_column(String(10))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    participant: Mapped[Participant] = relationship(lazy="raise")

    __table_args__ = (UniqueConstraint("meeting_id", "participant_id"),)


class Position:
    SUPPORT = "support"
    OPPOSE = "oppose"
    ABSTAIN = "abstain"
    SUGGESTION = "suggestion"
    ALL = (SUPPORT, OPPOSE, ABSTAIN, SUGGESTION)

    @staticmethod
    def labels():
        return {
            Position.SUPPORT: _l("Supports"),
            Position.OPPOSE: _l("Opposes"),
            Position.ABSTAIN: _l("No position"),
            Position.SUGGESTION: _l("Suggestion"),
        }


class Opinion(db.Model):  # 协商意见
    __tablename__ = "opinion"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"),
                                            index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    position: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    #: Recorded by staff for a participant (elderly, offline): 代为记录.
    on_behalf: Mapped[bool] = mapped_column(default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    participant: Mapped[Participant] = relationship(lazy="raise")

    @property
    def position_label(self):
        return Position.labels().get(self.position, self.position)


class Outcome(db.Model):  # 协商成果
    __tablename__ = "outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"),
                                            unique=True)
    text: Mapped[str] = mapped_column(Text)
    #: Major matters: a notary or a lawyer witnesses before confirmation.
    witness_required: Mapped[bool] = mapped_column(default=False)
    witness_kind: Mapped[str | None] = mapped_column(String(20))  # notary|lawyer|legal_adviser
    witness_name: Mapped[str | None] = mapped_column(String(100))
    witnessed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The village's legal adviser, when it is they who witnessed (an account).
    witness_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Signature(db.Model):  # 签名确认
    __tablename__ = "signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcome.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    #: "electronic" (by the participant, logged in) or "paper" (recorded by staff).
    method: Mapped[str] = mapped_column(String(12))
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    participant: Mapped[Participant] = relationship(lazy="raise")

    __table_args__ = (UniqueConstraint("outcome_id", "participant_id"),)


class VoteResult:
    PASSED = "passed"
    FAILED = "failed"
    NO_QUORUM = "no_quorum"

    @staticmethod
    def labels():
        return {
            VoteResult.PASSED: _l("Passed"),
            VoteResult.FAILED: _l("Not passed"),
            VoteResult.NO_QUORUM: _l("No quorum"),
        }


class Vote(db.Model):  # 表决
    """A vote of a deciding body, with the counts the law's quorum and majority need."""

    __tablename__ = "vote"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(String(40))
    #: When held together with a consultation meeting (000 §四(四)4), the
    #: voters present are that meeting's attending participants who vote.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"))
    noticed_on: Mapped[date] = mapped_column(Date)
    held_on: Mapped[date] = mapped_column(Date)
    #: Members of the body who may vote (adult villagers, representatives,
    #: shareholders, owners).
    eligible: Mapped[int]
    households_total: Mapped[int | None]
    households_represented: Mapped[int | None]
    present: Mapped[int]
    votes_for: Mapped[int]
    votes_against: Mapped[int]
    votes_abstain: Mapped[int]
    result: Mapped[str] = mapped_column(String(12))
    #: How the result was reached, e.g. "quorum: 60/100 > 1/2; for: 40/60 > 1/2".
    reasoning: Mapped[str] = mapped_column(String(300), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def result_label(self):
        return VoteResult.labels().get(self.result, self.result)
