"""Dongguan's own tables: the 8+X council's standing seats and the 红色智囊团 expert pool."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.toolkit import UTCDateTime, db, utcnow


class CouncilSeat(db.Model):  # "8+X" 民主协商理事会常设席位
    __tablename__ = "dongguan_council_seat"

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_id: Mapped[int] = mapped_column(
        ForeignKey("jurisdiction.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    #: Whom the seat speaks for (党委, 居委会, 业委会, 物业, 驻区单位 …).
    sector: Mapped[str] = mapped_column(String(100))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Expert(db.Model):  # 红色智囊团
    """A party member with a professional title whom organisers invite to technical topics."""

    __tablename__ = "dongguan_expert"

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_id: Mapped[int] = mapped_column(
        ForeignKey("jurisdiction.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(100))  # 专业职称
    field: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
