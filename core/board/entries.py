"""What goes on the disclosure board: notices, results, corrections; and 回音壁 questions."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, null, or_, select
from sqlalchemy.orm import aliased

from core.board import chain as disclosure
from core.consultation.catalogue import DecidingBody
from core.consultation.procedures import Phase, decided, latest_meeting, latest_outcome
from core.consultation.topics import area, require_manage, require_phase
from core.kernel import audit, permissions
from core.kernel.errors import DomainError, NotFound, PermissionDenied
from core.kernel.extensions import db, read_rows
from core.kernel.i18n import frozen
from core.legal import opinions
from core.models import (
    Attachment,
    BoardEntry,
    BoardHead,
    EntryKind,
    Jurisdiction,
    Meeting,
    Participant,
    ParticipantStatus,
    Question,
    Signature,
    Topic,
    TopicScope,
    Vote,
    utcnow,
)
from core.models.types import is_row_id


def _iso(value):
    return value.isoformat() if value is not None else None


# ------------------------------------------------------------------ publishing


def publish_meeting_notice(actor, topic, meeting):
    """Put a meeting's notice on the board (公布协商信息); called when the notice goes out."""
    participants = db.session.execute(
        select(Participant.name, Participant.kind, Participant.votes)
        .where(Participant.topic_id == topic.id, Participant.status == ParticipantStatus.INVITED)
        .order_by(Participant.id)).all()
    payload = {
        "topic_title": topic.title,
        "description": topic.description,
        "item": topic.item_title,
        "round": meeting.round_no,
        "form": meeting.form,
        "mode": meeting.mode,
        "offline_channel": meeting.offline_channel,
        "starts_at": _iso(meeting.starts_at),
        "place": meeting.place,
        "host": meeting.host,
        "agenda": meeting.agenda,
        "notice_at": _iso(meeting.notice_at),
        "participants": [{"name": name, "kind": kind, "votes": votes}
                         for name, kind, votes in participants],
    }
    return disclosure.append(area(topic), kind=EntryKind.NOTICE, title=topic.title,
                             payload=payload, author=actor, topic=topic,
                             item_code=topic.item_code)


_LOOK = object()


def result_ready(topic, outcome=_LOOK):
    """Whether the topic has a result that may be published: confirmed and decided.
    ``outcome``, when the caller has looked it up, is the topic's latest (or None)."""
    if topic.referred_to:
        return decided(topic)
    if outcome is _LOOK:
        outcome = latest_outcome(topic)
    return outcome is not None and outcome.confirmed_at is not None and decided(topic)


def published_result(topic):
    return db.session.scalar(select(BoardEntry).where(
        BoardEntry.topic_id == topic.id, BoardEntry.kind == EntryKind.RESULT)
        .order_by(BoardEntry.seq.desc()).limit(1))


def result_snapshot(topic):
    """Everything decided, frozen: text, participants, signatures, tallies, file digests."""
    outcome = latest_outcome(topic)
    meeting = latest_meeting(topic)
    participants = db.session.execute(
        select(Participant.id, Participant.name, Participant.kind, Participant.votes)
        .where(Participant.topic_id == topic.id, Participant.status == ParticipantStatus.INVITED)
        .order_by(Participant.id)).all()
    names = {row.id: row.name for row in participants}
    signatures = [] if outcome is None else [
        {"name": names.get(participant_id, "?"), "method": method, "signed_at": _iso(at)}
        for participant_id, method, at in db.session.execute(
            select(Signature.participant_id, Signature.method, Signature.signed_at)
            .where(Signature.outcome_id == outcome.id).order_by(Signature.id))]
    votes = [{"body": vote.body, "noticed_on": vote.noticed_on.isoformat(),
              "held_on": vote.held_on.isoformat(), "eligible": vote.eligible,
              "present": vote.present, "for": vote.votes_for, "against": vote.votes_against,
              "abstain": vote.votes_abstain, "households_total": vote.households_total,
              "households_represented": vote.households_represented, "result": vote.result,
              "reasoning": vote.reasoning}
             for vote in db.session.scalars(select(Vote).where(Vote.topic_id == topic.id)
                                            .order_by(Vote.id))]
    files = [{"filename": name, "sha256": digest, "size": size, "purpose": purpose}
             for name, digest, size, purpose in db.session.execute(
                 select(Attachment.filename, Attachment.sha256, Attachment.size,
                        Attachment.purpose).where(Attachment.topic_id == topic.id)
                 .order_by(Attachment.id))]
    rounds = db.session.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.topic_id == topic.id))
    return {
        "topic_title": topic.title,
        "description": topic.description,
        "item": topic.item_title,
        "deciding_bodies": topic.deciding_body_list,
        "referred_to": topic.referred_to,
        "lead": topic.lead,
        "rounds": rounds,
        "meeting": None if meeting is None else {
            "round": meeting.round_no, "form": meeting.form, "mode": meeting.mode,
            "held_at": _iso(meeting.held_at), "place": meeting.place, "host": meeting.host,
            "outcome": meeting.outcome},
        "outcome": None if outcome is None else outcome.text,
        "confirmed_at": _iso(outcome.confirmed_at) if outcome else None,
        "witness": None if outcome is None or not outcome.witness_required else {
            "kind": outcome.witness_kind, "name": outcome.witness_name,
            "at": _iso(outcome.witnessed_at)},
        # That a legal review happened and the opinion in force; never its discussion.
        "legal_review": opinions.published_summary(topic),
        "participants": [{"name": row.name, "kind": row.kind, "votes": row.votes}
                         for row in participants],
        "signatures": signatures,
        "votes": votes,
        "attachments": files,
    }


def publish_result(actor, topic):
    """Publish the consultation result (公布协商结果), once confirmed and decided."""
    require_manage(actor, topic)
    require_phase(topic, Phase.PUBLISH)
    if not result_ready(topic):
        raise DomainError(_l("Only a confirmed result, passed where a vote is required, is "
                             "published."))
    if published_result(topic) is not None:
        raise DomainError(_l("The result is already published; publish a correction to "
                             "change it."))
    audit.record(actor, "board.publish_result", topic, jurisdiction=area(topic))
    return disclosure.append(area(topic), kind=EntryKind.RESULT, title=topic.title,
                             payload=result_snapshot(topic), author=actor, topic=topic,
                             item_code=topic.item_code)


def correct(actor, entry, *, reason, text, action="board.correct"):
    """Publish a correction of ``entry``: a new entry pointing at it, with reason and author."""
    board = db.session.get(Jurisdiction, entry.jurisdiction_id)
    if action == "board.correct":
        permissions.require(actor, "board.correct", board)
    reason, text = (reason or "").strip(), (text or "").strip()
    if not 2 <= len(reason) <= 2000:
        raise DomainError(_l("Give the reason for the correction (2 to 2000 characters)."))
    if not 1 <= len(text) <= 20_000:
        raise DomainError(_l("Write the corrected text (1 to 20000 characters)."))
    if entry.kind == EntryKind.CORRECTION:
        raise DomainError(_l("Correct the original entry, not a correction."))
    audit.record(actor, action, entry, jurisdiction=board, after={"reason": reason})
    return disclosure.append(board, kind=EntryKind.CORRECTION,
                             title=frozen(_l("Correction: %(title)s", title=entry.title)),
                             payload={"reason": reason, "text": text,
                                      "corrects_hash": entry.entry_hash},
                             author=actor, topic=_topic_of(entry), item_code=entry.item_code,
                             corrects=entry)


def _topic_of(entry):

    return db.session.get(Topic, entry.topic_id) if entry.topic_id else None


# ------------------------------------------------------------------ reading


def entry(board, seq):
    found = db.session.scalar(select(BoardEntry).where(BoardEntry.jurisdiction_id == board.id,
                                                       BoardEntry.seq == seq))
    if found is None:
        raise NotFound(_l("There is no entry %(seq)s on this board.", seq=seq))
    return found


def corrections_of(entry):
    return db.session.scalars(select(BoardEntry).where(BoardEntry.corrects_id == entry.id)
                              .order_by(BoardEntry.seq)).all()


_CORRECTION = aliased(BoardEntry, name="correction")
LISTED = (BoardEntry.id, BoardEntry.seq, BoardEntry.kind, BoardEntry.title,
          BoardEntry.published_at, BoardEntry.entry_hash)
# What a listed row holds, in order (templates unpack it: a Row's names cost a lookup each).
ROW = (*(column.key for column in LISTED), "corrected_by", "board_size")
# The whole board's size is its head's last seq.
_SIZE = select(BoardHead.last_seq).where(BoardHead.jurisdiction_id == bindparam("board_id"))


def _listing(query, *, with_size):
    """``query``'s rows newest first, a page at a time (``limit``, ``offset``), each with the
    seq of its latest correction, if any (through corrects_id's index), and, ``with_size``,
    the board's size (one lookup of its head, the same in each row; NULL otherwise, so
    that every listing has the same columns, ``ROW``)."""
    corrected_by = (select(func.max(_CORRECTION.seq))
                    .where(_CORRECTION.corrects_id == BoardEntry.id).scalar_subquery())
    listed = query.add_columns(corrected_by.label("corrected_by"))
    listed = listed.add_columns(
        (_SIZE.scalar_subquery() if with_size else null()).label("board_size"))
    return (listed.order_by(BoardEntry.seq.desc())
            .limit(bindparam("limit")).offset(bindparam("offset")))


_ENTRIES = select(*LISTED).where(BoardEntry.jurisdiction_id == bindparam("board_id"))
_WHOLE_BOARD = _listing(_ENTRIES, with_size=True)  # the page nearly everyone reads


def entries_page(board, *, kind=None, date_from=None, date_to=None, item=None, unit=None,
                 page_number=1, per_page=50):
    """Entries of a board, newest first, filtered, as rows of the columns a list shows
    (``ROW``: never an entry's content), each with the seq of its latest correction; and
    how many entries the filter finds."""
    query = _ENTRIES
    if kind:
        query = query.where(BoardEntry.kind == kind)
    if date_from:
        query = query.where(BoardEntry.published_at >= date_from)
    if date_to:
        query = query.where(BoardEntry.published_at < date_to)
    if item:
        query = query.where(BoardEntry.item_code == item)
    if unit is not None:
        scoped = (select(TopicScope.topic_id)
                  .join(Jurisdiction, TopicScope.jurisdiction_id == Jurisdiction.id)
                  .where(or_(Jurisdiction.path.startswith(unit.path, autoescape=True),
                             Jurisdiction.id == unit.id)))
        query = query.where(BoardEntry.topic_id.in_(scoped))
    filtered = kind or date_from or date_to or item or unit is not None
    page = {"board_id": board.id, "limit": per_page, "offset": (page_number - 1) * per_page}
    rows = read_rows(_listing(query, with_size=False) if filtered else _WHOLE_BOARD, page)
    if filtered:
        total = db.session.scalar(select(func.count()).select_from(query.subquery()),
                                  {"board_id": board.id})
    else:  # the size came with the rows, or is read on its own past the last page
        total = (rows[0].board_size if rows else db.session.scalar(_SIZE, page)) or 0
    return rows, total


# ------------------------------------------------------------------ 回音壁


def ask(actor, entry, text):
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_l("Log in to ask a question."))
    text = (text or "").strip()
    if not 2 <= len(text) <= 2000:
        raise DomainError(_l("The question must be 2 to 2000 characters."))
    question = Question(entry_id=entry.id, asker_id=actor.id, text=text)
    db.session.add(question)
    audit.record(actor, "question.ask", question,
                 jurisdiction=db.session.get(Jurisdiction, entry.jurisdiction_id))
    db.session.commit()
    return question


def answer(actor, question, text):
    entry = db.session.get(BoardEntry, question.entry_id)
    board = db.session.get(Jurisdiction, entry.jurisdiction_id)
    permissions.require(actor, "board.answer", board)
    if question.answered_at is not None:
        raise DomainError(_l("This question is already answered."))
    text = (text or "").strip()
    if not 2 <= len(text) <= 5000:
        raise DomainError(_l("The answer must be 2 to 5000 characters."))
    question.answer, question.answered_by_id, question.answered_at = text, actor.id, utcnow()
    audit.record(actor, "question.answer", question, jurisdiction=board)
    db.session.commit()


def questions(entry, viewer=None):
    """Answered questions (public), plus the viewer's own unanswered ones."""
    condition = Question.answered_at.is_not(None)
    if getattr(viewer, "is_authenticated", False):
        condition = or_(condition, Question.asker_id == viewer.id)
        board = db.session.get(Jurisdiction, entry.jurisdiction_id)
        if permissions.can(viewer, "board.answer", board):
            condition = True
    return db.session.scalars(select(Question).where(Question.entry_id == entry.id)
                              .where(condition).order_by(Question.id)).all()


def body_labels():
    return DecidingBody.labels()


# A topic's board entries: the columns its page lists, never an entry's content.
_TOPIC_ENTRIES = (select(BoardEntry.seq, BoardEntry.kind, BoardEntry.published_at,
                         BoardEntry.entry_hash, Jurisdiction.code.label("board"))
                  .join(Jurisdiction, BoardEntry.jurisdiction_id == Jurisdiction.id)
                  .where(BoardEntry.topic_id == bindparam("topic_id"))
                  .order_by(BoardEntry.seq))


def of_topic(topic):
    """The entries published for ``topic`` on any board, as rows."""
    return read_rows(_TOPIC_ENTRIES, {"topic_id": topic.id})


# The columns a list shows (the content JSON stays unread), newest first; ``entries``
# unpacks its rows in this order.
_NEWEST_ENTRIES = select(
    BoardEntry.seq, BoardEntry.kind, BoardEntry.title, BoardEntry.published_at,
    BoardEntry.topic_id, BoardEntry.item_code, BoardEntry.prev_hash, BoardEntry.entry_hash,
).where(BoardEntry.jurisdiction_id == bindparam("board_id")).order_by(
    BoardEntry.seq.desc()).limit(bindparam("limit"))


def newest(board, *, limit, before=None, kind=None):
    """A board's entries, newest first: at most ``limit``, below seq ``before``, of ``kind``;
    rows of (seq, kind, title, published_at, topic_id, item_code, prev_hash, entry_hash)."""
    statement = _NEWEST_ENTRIES
    if before:
        statement = statement.where(BoardEntry.seq < before)
    if kind:
        statement = statement.where(BoardEntry.kind == kind)
    return read_rows(statement, {"board_id": board.id, "limit": limit})


def correction_seqs(entry):
    """The seqs of the entries that correct ``entry``, in order."""
    return db.session.scalars(select(BoardEntry.seq).where(
        BoardEntry.corrects_id == entry.id).order_by(BoardEntry.seq)).all()


def original_of(entry):
    """The entry ``entry`` corrects, or None."""
    return db.session.get(BoardEntry, entry.corrects_id) if entry.corrects_id else None


def question_of(entry, question_id):
    """The question ``question_id`` asked about ``entry``, or NotFound."""
    question = db.session.get(Question, question_id) if is_row_id(question_id) else None
    if question is None or question.entry_id != entry.id:
        raise NotFound(_l("There is no such question on this entry."))
    return question
