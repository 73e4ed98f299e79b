"""The disclosure board (公开栏): append-only entries in a hash chain per jurisdiction."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from core.kernel.extensions import db
from core.models.jurisdiction import Jurisdiction
from core.models.types import UTCDateTime, utcnow


class EntryKind:
    """The kinds of disclosure board entries (notice, result, progress, announcement …)."""

    NOTICE = "notice"  # 公布协商信息
    RESULT = "result"  # 公布协商结果
    IMPLEMENTATION = "implementation"  # 实施进展
    CORRECTION = "correction"  # 更正
    ANNOUNCEMENT = "announcement"  # 其他公示 (plugins: subsidies, points …)
    ALL = (NOTICE, RESULT, IMPLEMENTATION, CORRECTION, ANNOUNCEMENT)

    @staticmethod
    def labels():
        return {
            EntryKind.NOTICE: _l("Meeting notice"),
            EntryKind.RESULT: _l("Consultation result"),
            EntryKind.IMPLEMENTATION: _l("Implementation update"),
            EntryKind.CORRECTION: _l("Correction"),
            EntryKind.ANNOUNCEMENT: _l("Announcement"),
        }


class BoardEntry(db.Model):  # 公开栏条目
    """A published entry. Never updated, never deleted: a correction is a new entry.

    ``content`` is the frozen snapshot, in the form the hash covers;
    ``entry_hash`` = sha256(``prev_hash`` + canonical JSON of ``content``).
    The other columns repeat parts of ``content`` for filtering, and verify
    checks that they agree with it.
    """

    __tablename__ = "board_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdiction.id"))
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id"), index=True)
    item_code: Mapped[str | None] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("board_entry.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content: Mapped[dict] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)

    jurisdiction: Mapped[Jurisdiction] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("jurisdiction_id", "seq"),
        Index("ix_board_entry_jurisdiction_id_kind_published_at", "jurisdiction_id", "kind",
              "published_at"),
        Index("ix_board_entry_jurisdiction_id_item_code", "jurisdiction_id", "item_code"),
    )

    @property
    def kind_label(self):
        return EntryKind.labels().get(self.kind, self.kind)

    @property
    def short_hash(self):
        return self.entry_hash[:12]


class BoardHead(db.Model):
    """The last entry of a board; appends lock this row so the chain cannot fork."""

    __tablename__ = "board_head"

    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdiction.id"),
                                                 primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Question(db.Model):  # 回音壁
    """A resident's question on a published entry; public once the committee answers."""

    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("board_entry.id"), index=True)
    asker_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    text: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or remove a published board entry."""


@event.listens_for(BoardEntry, "before_update")
def _refuse_update(mapper, connection, target):
    raise AppendOnlyError(f"board entry {target.id} is published and cannot change")


@event.listens_for(BoardEntry, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise AppendOnlyError(f"board entry {target.id} is published and cannot be deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state):
    """Bulk ``update()``/``delete()`` statements bypass the mapper events above."""
    if (state.is_update or state.is_delete) and any(
            getattr(mapper, "class_", None) is BoardEntry for mapper in state.all_mappers):
        raise AppendOnlyError("board entries are append-only")
