"""Legal advisers (驻村/社区法律顾问): review requests with versions and threaded
comments, and the "四个一" service record."""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.kernel.extensions import db
from core.models.types import UTCDateTime, utcnow


class ReviewSubject:
    """What a legal adviser is asked to review."""

    TOPIC = "topic"  # 议题
    OUTCOME = "outcome"  # 协商成果（草案）
    VILLAGE_RULES = "village_rules"  # 村规民约、居民公约
    CHARTER = "charter"  # 村（居）民自治章程
    ARTICLES = "articles"  # 集体经济组织章程
    REGULATION = "regulation"  # 其他管理规定

    ON_TOPIC = (TOPIC, OUTCOME)
    DOCUMENTS = (VILLAGE_RULES, CHARTER, ARTICLES, REGULATION)
    ALL = ON_TOPIC + DOCUMENTS

    @staticmethod
    def labels():
        return {
            ReviewSubject.TOPIC: _l("Topic"),
            ReviewSubject.OUTCOME: _l("Draft outcome"),
            ReviewSubject.VILLAGE_RULES: _l("Village rules (村规民约 / 居民公约)"),
            ReviewSubject.CHARTER: _l("Self-governance charter (自治章程)"),
            ReviewSubject.ARTICLES: _l("Articles of the collective (章程)"),
            ReviewSubject.REGULATION: _l("Other management rules"),
        }


class LegalOpinion:
    """The opinion a review comment gives."""

    NO_ISSUE = "no_issue"
    REVISE = "revise"
    UNLAWFUL = "unlawful"
    ALL = (NO_ISSUE, REVISE, UNLAWFUL)

    @staticmethod
    def labels():
        return {
            LegalOpinion.NO_ISSUE: _l("No legal issue"),
            LegalOpinion.REVISE: _l("Revise"),
            LegalOpinion.UNLAWFUL: _l("Unlawful"),
        }


class ReviewStatus:
    AWAITING = "awaiting"  # the latest version waits for the adviser's opinion
    ANSWERED = "answered"
    CLOSED = "closed"

    @staticmethod
    def labels():
        return {
            ReviewStatus.AWAITING: _l("Awaiting the adviser"),
            ReviewStatus.ANSWERED: _l("Answered"),
            ReviewStatus.CLOSED: _l("Closed"),
        }


class LegalReview(db.Model):  # 法律审查
    """A request for the village's legal adviser to review a topic or a draft (法律审查)."""

    __tablename__ = "legal_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The village/community whose adviser reviews it.
    jurisdiction_id: Mapped[int] = mapped_column(
        ForeignKey("jurisdiction.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(20))
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("outcome.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default=ReviewStatus.AWAITING)
    due_on: Mapped[date] = mapped_column(Date)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_legal_review_jurisdiction_id_status_due_on",
              "jurisdiction_id", "status", "due_on"),
    )

    @property
    def subject_label(self):
        return ReviewSubject.labels().get(self.subject, self.subject)

    @property
    def status_label(self):
        return ReviewStatus.labels().get(self.status, self.status)


#: Which earlier comments a new version answers.
version_answer = Table(
    "review_version_answer",
    db.metadata,
    Column("version_id", ForeignKey("review_version.id", ondelete="CASCADE"), primary_key=True),
    Column("comment_id", ForeignKey("review_comment.id", ondelete="CASCADE"), primary_key=True),
)


class ReviewVersion(db.Model):  # 送审稿
    __tablename__ = "review_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("legal_review.id", ondelete="CASCADE"))
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(String(2000), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    answers: Mapped[list["ReviewComment"]] = relationship(
        secondary=version_answer, lazy="raise", order_by="ReviewComment.id")

    __table_args__ = (UniqueConstraint("review_id", "number"),)


class ReviewComment(db.Model):  # 审查意见与回复
    """An adviser's opinion on a version, or a reply in its thread."""

    __tablename__ = "review_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("legal_review.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("review_version.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_comment.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    author_name: Mapped[str] = mapped_column(String(100))
    #: "adviser" (the assigned adviser or an outside service) or "organiser".
    side: Mapped[str] = mapped_column(String(10))
    #: Set on opinions (LegalOpinion); None on replies.
    opinion: Mapped[str | None] = mapped_column(String(10))
    reasoning: Mapped[str] = mapped_column(Text)
    provisions: Mapped[str] = mapped_column(Text, default="")
    #: The outside service's delivery id: a delivery is taken once.
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    overridden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    overridden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    override_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def opinion_label(self):
        return LegalOpinion.labels().get(self.opinion, self.opinion)


class ServiceKind:
    """The "四个一" duties of a village legal adviser (003)."""

    PHONE = "phone"  # 每周至少1次电话沟通
    ONSITE = "onsite"  # 每月至少到村服务1天(不少于8小时)
    LECTURE = "lecture"  # 每季度至少1次法治讲座
    OUTREACH = "outreach"  # 每年至少1次户外宣传活动
    ALL = (PHONE, ONSITE, LECTURE, OUTREACH)

    @staticmethod
    def labels():
        return {
            ServiceKind.PHONE: _l("Phone contact"),
            ServiceKind.ONSITE: _l("On-site service day"),
            ServiceKind.LECTURE: _l("Law lecture"),
            ServiceKind.OUTREACH: _l("Outdoor outreach event"),
        }


class AdviserActivity(db.Model):  # 法律顾问服务记录
    __tablename__ = "adviser_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    jurisdiction_id: Mapped[int] = mapped_column(
        ForeignKey("jurisdiction.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    note: Mapped[str] = mapped_column(String(500), default="")
    #: The week (its Monday), month, quarter and year the day falls in, so compliance
    #: groups by plain columns on every database.
    week: Mapped[date] = mapped_column(Date)
    month: Mapped[date] = mapped_column(Date)
    quarter: Mapped[date] = mapped_column(Date)
    year: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_adviser_activity_adviser_id_jurisdiction_id_on",
              "adviser_id", "jurisdiction_id", "on"),
    )

    @property
    def kind_label(self):
        return ServiceKind.labels().get(self.kind, self.kind)
