"""A topic's complete file as a zip (存档建册): printed entries, minutes, signatures,
attachments, every record as JSON, and the chain proof of its board entries."""

import io
import json
import os
import zipfile

from sqlalchemy import select

from core.board.chain import GENESIS, canonical
from core.consultation import attachments
from core.kernel.extensions import db
from core.models import (
    Attachment,
    Attendance,
    AuditEvent,
    BoardEntry,
    BoardHead,
    Explanation,
    Jurisdiction,
    Meeting,
    Opinion,
    Outcome,
    Participant,
    Signature,
    SupervisionComment,
    Task,
    TaskUpdate,
    TownReport,
    Vote,
)

README = """本档案由城乡社区协商平台导出。
entries/     公开栏条目的打印版（PDF）
minutes/     各轮协商会议记录与意见
attachments/ 议题材料与纸质签名扫描件（文件名前为 SHA-256 前 12 位）
records.json 全部记录
chain.json   公开栏哈希链证明：每条的 entry_hash = sha256(prev_hash + content 的规范 JSON)，
             规范 JSON 为键排序、无空格、UTF-8；可据此独立校验。
"""


def _rows(model, *conditions):
    return db.session.scalars(select(model).where(*conditions).order_by(model.id)).all()


def _plain(row):
    """A row as JSON-ready data: every column, dates and times as ISO text."""
    data = {}
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        data[column.key] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def build(topic, notice_pdf):
    """The zip file's bytes for ``topic``; ``notice_pdf(board, entry)`` gives the printed
    notice of each of its board entries (the web layer renders it)."""
    meetings = _rows(Meeting, Meeting.topic_id == topic.id)
    meeting_ids = [meeting.id for meeting in meetings]
    outcomes = _rows(Outcome, Outcome.topic_id == topic.id)
    tasks = _rows(Task, Task.topic_id == topic.id)
    entries = _rows(BoardEntry, BoardEntry.topic_id == topic.id)
    files = _rows(Attachment, Attachment.topic_id == topic.id)
    participants = _rows(Participant, Participant.topic_id == topic.id)
    names = {participant.id: participant.name for participant in participants}
    records = {
        "topic": _plain(topic),
        "participants": [_plain(row) for row in participants],
        "meetings": [_plain(row) for row in meetings],
        "attendance": [_plain(row) for row in _rows(Attendance,
                                                    Attendance.meeting_id.in_(meeting_ids))],
        "opinions": [_plain(row) for row in _rows(Opinion, Opinion.meeting_id.in_(meeting_ids))],
        "outcomes": [_plain(row) for row in outcomes],
        "signatures": [_plain(row) for row in _rows(
            Signature, Signature.outcome_id.in_([outcome.id for outcome in outcomes]))],
        "votes": [_plain(row) for row in _rows(Vote, Vote.topic_id == topic.id)],
        "tasks": [_plain(row) for row in tasks],
        "task_updates": [_plain(row) for row in _rows(
            TaskUpdate, TaskUpdate.task_id.in_([task.id for task in tasks]))],
        "town_reports": [_plain(row) for row in _rows(TownReport, TownReport.topic_id == topic.id)],
        "supervision": [_plain(row) for row in _rows(SupervisionComment,
                                                     SupervisionComment.topic_id == topic.id)],
        "explanations": [_plain(row) for row in _rows(Explanation,
                                                      Explanation.topic_id == topic.id)],
        "attachments": [_plain(row) for row in files],
        "history": [_plain(row) for row in _rows(
            AuditEvent, AuditEvent.object_type == "topic", AuditEvent.object_id == str(topic.id))],
    }
    board = db.session.get(Jurisdiction, topic.jurisdiction_id)
    head = db.session.get(BoardHead, board.id)
    chain = {
        "board": board.code,
        "genesis": GENESIS,
        "head": None if head is None else {"seq": head.last_seq, "hash": head.last_hash},
        "entries": [{"seq": entry.seq, "prev_hash": entry.prev_hash,
                     "entry_hash": entry.entry_hash,
                     "canonical_content": canonical(entry.content).decode("utf-8")}
                    for entry in entries],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        archive.writestr("records.json", json.dumps(records, ensure_ascii=False, indent=1))
        archive.writestr("chain.json", json.dumps(chain, ensure_ascii=False, indent=1))
        for entry in entries:
            archive.writestr(f"entries/{entry.seq:05d}-{entry.kind}.pdf",
                             notice_pdf(board, entry))
        for meeting in meetings:
            said = "\n".join(f"{names.get(o.participant_id, '?')}（{o.position}）：{o.text}"
                             for o in _rows(Opinion, Opinion.meeting_id == meeting.id))
            archive.writestr(f"minutes/round-{meeting.round_no}.txt",
                             f"{meeting.minutes}\n\n{said}\n")
        written = set()
        for attachment in files:
            name = f"attachments/{attachment.sha256[:12]}-{attachment.filename}"
            path = attachments.path_of(attachment)
            if name not in written and os.path.exists(path):
                archive.write(path, name)
                written.add(name)
    return buffer.getvalue()
