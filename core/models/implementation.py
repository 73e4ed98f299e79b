"""Carrying out what was decided (成果运用): tasks, progress, reports to the town,
supervision, explanations to dissenters."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.kernel.extensions import db
from core.models.types import UTCDateTime, utcnow


class Task(db.Model):  # 实施任务
    __tablename__ = "task"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    #: Who carries it out: the committee, a collective organisation, a stakeholder.
    responsible: Mapped[str] = mapped_column(String(100))
    deadline: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When progress was last published, for the publication-period check.
    last_update_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_task_topic_id", "topic_id"),
        Index("ix_task_deadline_done_at", "deadline", "done_at"),
    )


class TaskUpdate(db.Model):  # 实施进展
    __tablename__ = "task_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    progress: Mapped[int]
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("board_entry.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TownResponse:
    ADOPTED = "adopted"  # 采纳
    NOTED = "noted"  # 研究后反馈
    RETURNED = "returned"  # 退回补充

    ALL = (ADOPTED, NOTED, RETURNED)

    @staticmethod
    def labels():
        return {
            TownResponse.ADOPTED: _l("Adopted"),
            TownResponse.NOTED: _l("Studied, with feedback"),
            TownResponse.RETURNED: _l("Returned for more work"),
        }


class TownReport(db.Model):  # 向乡镇报告协商成果
    __tablename__ = "town_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    response: Mapped[str | None] = mapped_column(String(20))
    feedback: Mapped[str | None] = mapped_column(Text)
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SupervisionComment(db.Model):  # 监督委员会意见
    __tablename__ = "supervision_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Explanation(db.Model):  # 对持不同意见群众的解释说明
    __tablename__ = "explanation"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    person: Mapped[str] = mapped_column(String(100))
    concern: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text)
    explained_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
