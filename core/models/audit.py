"""The audit log: who changed what, when, before and after."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.kernel.extensions import db
from core.models.jurisdiction import Jurisdiction
from core.models.people import User
from core.models.types import UTCDateTime, utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: A dotted verb, e.g. ``role.grant`` or ``topic.advance``.
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64))
    jurisdiction_id: Mapped[int | None] = mapped_column(
        ForeignKey("jurisdiction.id", ondelete="SET NULL")
    )
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship(lazy="raise")
    jurisdiction: Mapped[Jurisdiction | None] = relationship(lazy="raise")

    __table_args__ = (
        Index("ix_audit_event_jurisdiction_id_at", "jurisdiction_id", "at"),
        Index("ix_audit_event_object", "object_type", "object_id"),
    )
