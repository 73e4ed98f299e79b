"""Reports as they were generated: parameters, content and digest, kept for later proof."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.kernel.extensions import db
from core.models.types import UTCDateTime, utcnow


class SavedReport(db.Model):
    __tablename__ = "saved_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdiction.id"))
    kind: Mapped[str] = mapped_column(String(30))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    #: Title, jurisdiction, period, narrative and sections, exactly as reported.
    content: Mapped[dict] = mapped_column(JSON)
    #: SHA-256 of the canonical JSON of ``content``.
    digest: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_saved_report_jurisdiction_id_created_at", "jurisdiction_id",
                            "created_at"),)
