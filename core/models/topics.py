"""Topics (议题), their scope, files and subjects (协商主体)."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.kernel.extensions import db
from core.models.jurisdiction import Jurisdiction
from core.models.people import Organisation, Person, User
from core.models.types import UTCDateTime, utcnow


class Channel:
    """How a proposal reached the committee (议题征集渠道)."""

    ONLINE = "online"  # 网上提交
    DOOR_TO_DOOR = "door_to_door"  # 入户走访
    FORUM = "forum"  # 座谈会
    DEPUTIES = "deputies"  # "两代表一委员"接访
    WECHAT = "wechat"  # 微信群
    HOTLINE = "hotline"  # 热线
    TOWN = "town"  # 乡镇(街道)交办

    OFFLINE = (DOOR_TO_DOOR, FORUM, DEPUTIES, WECHAT, HOTLINE)

    @staticmethod
    def labels():
        return {
            Channel.ONLINE: _l("Submitted online"),
            Channel.DOOR_TO_DOOR: _l("Door-to-door visit"),
            Channel.FORUM: _l("Forum"),
            Channel.DEPUTIES: _l("Deputies' reception"),
            Channel.WECHAT: _l("WeChat group"),
            Channel.HOTLINE: _l("Hotline"),
            Channel.TOWN: _l("Assigned by the town"),
        }


class TopicStatus:
    PROPOSED = "proposed"  # 待研究
    ACCEPTED = "accepted"  # 已立项, moving through the procedure
    DECLINED = "declined"  # 不予立项 (reason shown to the proposer)
    CLOSED = "closed"  # 终止

    @staticmethod
    def labels():
        return {
            TopicStatus.PROPOSED: _l("Proposed"),
            TopicStatus.ACCEPTED: _l("Accepted"),
            TopicStatus.DECLINED: _l("Declined"),
            TopicStatus.CLOSED: _l("Closed"),
        }


class Lead:
    """Who leads a consultation, decided by its scope (000 §四(二), 002 第十条)."""

    VILLAGE_WITH_UNIT = "village_with_unit"  # 村(社区)两委会同该单元负责人
    VILLAGE = "village"  # 村(社区)两委
    TOWN = "town"  # 乡镇(街道)党(工)委

    @staticmethod
    def labels():
        return {
            Lead.VILLAGE_WITH_UNIT: _l("Village committee with the unit's head"),
            Lead.VILLAGE: _l("Village committee"),
            Lead.TOWN: _l("Town party committee"),
        }


class Topic(db.Model):  # 议题
    """A topic of consultation (议题), from proposal to implementation."""

    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The jurisdiction that owns and leads the topic: the village, or the
    #: town when the scope spans villages.
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdiction.id"), index=True)
    #: Where it was raised (the village a resident proposed it in).
    origin_id: Mapped[int] = mapped_column(ForeignKey("jurisdiction.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(20))
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    #: For proposals recorded by staff: the resident or group they came from.
    on_behalf_of: Mapped[str | None] = mapped_column(String(100))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(20), default=TopicStatus.PROPOSED)
    decline_reason: Mapped[str | None] = mapped_column(Text)

    #: The catalogue item, copied when the topic is classified so that later
    #: changes to a plugin never change a topic under way.
    item_code: Mapped[str | None] = mapped_column(String(80))
    item_title: Mapped[str | None] = mapped_column(String(300))
    item_kind: Mapped[str | None] = mapped_column(String(40))
    #: Comma-separated deciding bodies; empty means implemented directly.
    deciding_bodies: Mapped[str] = mapped_column(String(200), default="")
    subject_rule: Mapped[str | None] = mapped_column(String(30))
    offline_required: Mapped[bool] = mapped_column(default=False)
    #: The item is a major matter: outcomes ask for a witness unless the committee decides not.
    witness_required: Mapped[bool] = mapped_column(default=False, server_default=false())

    procedure: Mapped[str | None] = mapped_column(String(60))
    step: Mapped[str | None] = mapped_column(String(40))
    step_entered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    lead: Mapped[str] = mapped_column(String(30), default=Lead.VILLAGE)
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdiction.id"))

    screened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The findings of the last screening: [{"level", "message", "source"}].
    screening: Mapped[list | None] = mapped_column(JSON)
    #: The body a topic without consensus was referred to for a decision.
    referred_to: Mapped[str | None] = mapped_column(String(40))
    closed_reason: Mapped[str | None] = mapped_column(Text)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    jurisdiction: Mapped[Jurisdiction] = relationship(foreign_keys=[jurisdiction_id], lazy="raise")
    origin: Mapped[Jurisdiction] = relationship(foreign_keys=[origin_id], lazy="raise")
    lead_unit: Mapped[Jurisdiction | None] = relationship(foreign_keys=[lead_unit_id],
                                                          lazy="raise")
    proposer: Mapped[User | None] = relationship(foreign_keys=[proposer_id], lazy="raise")
    scope: Mapped[list["TopicScope"]] = relationship(lazy="raise", cascade="all, delete-orphan",
                                                     back_populates="topic")

    __table_args__ = (
        # A unit's topics counted by status, step and procedure (reports, the dashboard's
        # counts) from the index alone.
        Index("ix_topic_jurisdiction_id_counts", "jurisdiction_id", "status", "step",
              "procedure", "lead", "step_entered_at"),
        # A unit's topics in the order they have waited on their step (the dashboard list).
        Index("ix_topic_jurisdiction_id_waiting", "jurisdiction_id", "step_entered_at", "id"),
        # A unit's new topics in a period by channel and item (the figures), from the index.
        Index("ix_topic_jurisdiction_id_created_at", "jurisdiction_id", "created_at", "channel",
              "item_title"),
        Index("ix_topic_origin_id", "origin_id"),
    )

    @property
    def deciding_body_list(self):
        return [body for body in self.deciding_bodies.split(",") if body]

    @property
    def status_label(self):
        return TopicStatus.labels().get(self.status, self.status)

    @property
    def channel_label(self):
        return Channel.labels().get(self.channel, self.channel)

    @property
    def is_open(self):
        return self.status in (TopicStatus.PROPOSED, TopicStatus.ACCEPTED)


class TopicScope(db.Model):
    """A unit the topic affects (its scope decides who leads)."""

    __tablename__ = "topic_scope"

    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"),
                                          primary_key=True)
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdiction.id"), primary_key=True,
                                                 index=True)

    topic: Mapped[Topic] = relationship(back_populates="scope", lazy="raise")
    jurisdiction: Mapped[Jurisdiction] = relationship(lazy="raise")


class Attachment(db.Model):
    """A file kept with a topic: materials, meeting papers, scans of paper signatures."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20), default="material")
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ParticipantKind:
    RESIDENT = "resident"
    ORGANISATION = "organisation"
    EXPERT = "expert"  # 专家学者、专业技术人员
    LEGAL_ADVISER = "legal_adviser"  # 驻村(社区)法律顾问
    OFFICIAL = "official"  # 乡镇干部、"两代表一委员"等受邀人员

    #: Invited people who speak but never vote (列席).
    NON_VOTING = (EXPERT, LEGAL_ADVISER, OFFICIAL)

    @staticmethod
    def labels():
        return {
            ParticipantKind.RESIDENT: _l("Resident"),
            ParticipantKind.ORGANISATION: _l("Organisation"),
            ParticipantKind.EXPERT: _l("Expert"),
            ParticipantKind.LEGAL_ADVISER: _l("Legal adviser"),
            ParticipantKind.OFFICIAL: _l("Invited official or deputy"),
        }


class ParticipantStatus:
    INVITED = "invited"
    APPLIED = "applied"  # a resident asked to join; the committee decides
    REJECTED = "rejected"

    @staticmethod
    def labels():
        return {
            ParticipantStatus.INVITED: _l("Invited"),
            ParticipantStatus.APPLIED: _l("Applied"),
            ParticipantStatus.REJECTED: _l("Not admitted"),
        }


class Participant(db.Model):  # 协商主体
    """A subject of a topic's consultation (协商主体): a resident, an organisation, a guest."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    #: The account that may sign in, give opinions and sign electronically.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    name: Mapped[str] = mapped_column(String(200))
    #: Everyone speaks; only members of the body vote (列席 attendees do not).
    votes: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(20), default=ParticipantStatus.INVITED)
    note: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person | None] = relationship(lazy="raise")
    organisation: Mapped[Organisation | None] = relationship(lazy="raise")

    __table_args__ = (
        # A topic's subjects by status, with the person (the figures count residents from
        # the index alone).
        Index("ix_participant_topic_id_status_person", "topic_id", "status", "person_id"),
        Index("ix_participant_user_id", "user_id"),
        UniqueConstraint("topic_id", "person_id"),
        UniqueConstraint("topic_id", "organisation_id"),
    )

    @property
    def kind_label(self):
        return ParticipantKind.labels().get(self.kind, self.kind)

    @property
    def status_label(self):
        return ParticipantStatus.labels().get(self.status, self.status)
