"""Meetings (协商会议): scheduling, notice, holding, attendance, opinions, result, rounds."""

from datetime import timedelta

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from core.board import entries as board
from core.consultation.catalogue import DecidingBody
from core.consultation.procedures import Phase, decided, latest_meeting, latest_outcome
from core.consultation.topics import (
    area,
    go_back_to,
    meeting_forms_at,
    require_manage,
    require_phase,
)
from core.kernel import audit, notifications
from core.kernel.errors import DomainError
from core.kernel.extensions import db, read_rows
from core.models import (
    Attendance,
    Jurisdiction,
    Meeting,
    MeetingMode,
    MeetingOutcome,
    Opinion,
    Outcome,
    Participant,
    ParticipantStatus,
    Position,
    utcnow,
)
from core.places import settings

NOTICE_CHANNELS = ("board", "phone", "sms", "wechat", "web")


def notice_channel_labels():
    return {
        "board": _l("Notice board"),
        "phone": _l("Phone"),
        "sms": _l("SMS"),
        "wechat": _l("WeChat"),
        "web": _l("Website"),
    }


def notice_days(topic):
    """Days of notice where the consultation is led: a building's micro-consultation may
    need less than its community."""
    home = db.session.get(Jurisdiction, topic.lead_unit_id) if topic.lead_unit_id else area(topic)
    days = settings.get(home, "notice_days")
    return int(days if days is not None else 0)


def get(topic, meeting_id):
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.topic_id != topic.id:
        raise DomainError(_l("No such meeting on this topic."))
    return meeting


_MEETINGS = (select(Meeting).where(Meeting.topic_id == bindparam("topic_id"))
             .order_by(Meeting.round_no))


def meetings(topic):
    return db.session.scalars(_MEETINGS, {"topic_id": topic.id}).all()


def _clean(value, limit, message):
    value = " ".join((value or "").split())
    if not value or len(value) > limit:
        raise DomainError(message)
    return value


def _check_time(starts_at):
    """Meetings are planned ahead, or recorded afterwards when held offline, within a year."""
    if starts_at is None or starts_at.tzinfo is None:
        raise DomainError(_l("Give the meeting's date and time."))
    if abs(starts_at - utcnow()) > timedelta(days=366):
        raise DomainError(_l("The meeting must be within a year of today."))


def schedule(actor, topic, *, form, mode, starts_at, place, host, agenda="",
             offline_channel=""):
    """Plan the next round's meeting. The catalogue item and the form decide whether it
    may be online; an online meeting must keep an offline channel (002 第六条)."""
    require_manage(actor, topic)
    require_phase(topic, Phase.NOTIFY)
    forms = meeting_forms_at(area(topic))
    if form not in forms:
        raise DomainError(_l("Choose one of the meeting forms in effect here."))
    if mode not in MeetingMode.ALL:
        raise DomainError(_l("Choose offline, online, or both."))
    if forms[form].online and mode == MeetingMode.OFFLINE:
        raise DomainError(_l("%(form)s is held online.", form=forms[form].title))
    if topic.offline_required and mode != MeetingMode.OFFLINE:
        raise DomainError(_l("The law requires this matter to be consulted offline."))
    offline_channel = " ".join((offline_channel or "").split())
    if mode == MeetingMode.ONLINE and not offline_channel:
        raise DomainError(_l("An online meeting must keep an offline channel for the elderly "
                             "and disabled: say where and how."))
    _check_time(starts_at)
    previous = latest_meeting(topic)
    if previous is not None and previous.held_at is None:
        raise DomainError(_l("Round %(n)s is still planned; change it instead of adding one.",
                             n=previous.round_no))
    meeting = Meeting(
        topic_id=topic.id, jurisdiction_id=topic.jurisdiction_id,
        round_no=(previous.round_no + 1) if previous else 1, form=form,
        mode=mode, offline_channel=offline_channel or None, starts_at=starts_at,
        place=_clean(place, 200, _l("The place must be 1 to 200 characters.")),
        host=_clean(host, 100, _l("The host must be 1 to 100 characters.")),
        agenda=(agenda or "").strip()[:5000], created_by_id=actor.id,
    )
    db.session.add(meeting)
    audit.record(actor, "meeting.schedule", meeting, jurisdiction=area(topic),
                 after={"topic": topic.id, "round": meeting.round_no, "form": form,
                        "mode": mode, "starts_at": starts_at.isoformat()})
    db.session.commit()
    return meeting


def publish_notice(actor, topic, meeting, *, channels, at=None):
    """Publish the meeting notice to every participant, far enough ahead.

    ``at`` records a notice already posted (on the board, by phone) earlier.
    """
    require_manage(actor, topic)
    require_phase(topic, Phase.NOTIFY)
    if meeting.notice_at is not None:
        raise DomainError(_l("The notice of this meeting is already out."))
    now = utcnow()
    at = at or now
    if at > now:
        raise DomainError(_l("A notice cannot be dated in the future."))
    channels = [channel for channel in channels if channel in NOTICE_CHANNELS]
    if not channels:
        raise DomainError(_l("Choose at least one channel for the notice."))
    invited = db.session.scalar(select(func.count()).select_from(Participant).where(
        Participant.topic_id == topic.id, Participant.status == ParticipantStatus.INVITED))
    if invited == 0:
        raise DomainError(_l("Invite the subjects before giving notice."))
    days = notice_days(topic)
    earliest = at + timedelta(days=days)
    if meeting.starts_at < earliest:
        raise DomainError(_l("With %(days)s days' notice the meeting can be no earlier than "
                             "%(date)s; move it or give notice earlier.", days=days,
                             date=format_datetime(earliest, "yyyy-MM-dd HH:mm")))
    meeting.notice_at, meeting.notice_channels = at, ",".join(channels)
    audit.record(actor, "meeting.notice", meeting, jurisdiction=area(topic),
                 after={"notice_at": at.isoformat(), "channels": channels,
                        "participants": invited})
    # Invitees are told, and the notice goes on the disclosure board (公布协商信息), in
    # the same transaction.

    notifications.meeting_noticed(topic, meeting)
    board.publish_meeting_notice(actor, topic, meeting)


def reschedule(actor, topic, meeting, *, starts_at, place):
    """Move a planned meeting; a notice already out must still be early enough."""
    require_manage(actor, topic)
    require_phase(topic, Phase.NOTIFY, Phase.CONSULT)
    if meeting.held_at is not None:
        raise DomainError(_l("The meeting has been held."))
    _check_time(starts_at)
    if meeting.notice_at is not None and starts_at < meeting.notice_at + timedelta(
            days=notice_days(topic)):
        raise DomainError(_l("The new time is too soon after the notice; publish the notice "
                             "again for a later time."))
    before = {"starts_at": meeting.starts_at.isoformat(), "place": meeting.place}
    meeting.starts_at = starts_at
    meeting.place = _clean(place, 200, _l("The place must be 1 to 200 characters."))
    audit.record(actor, "meeting.reschedule", meeting, jurisdiction=area(topic),
                 before=before, after={"starts_at": starts_at.isoformat(), "place": meeting.place})
    db.session.commit()


def _require_consulting(actor, topic, meeting):
    require_manage(actor, topic)
    require_phase(topic, Phase.CONSULT)
    if meeting.notice_at is None:
        raise DomainError(_l("The meeting's notice has not been published."))


def sign_in(actor, topic, meeting, participant, *, by_self=False):
    """Record a participant present: by staff, or by the participant (self sign-in)."""
    if by_self:
        require_phase(topic, Phase.CONSULT)
        if participant.user_id != actor.id:
            raise DomainError(_l("You can only sign yourself in."))
        if meeting.notice_at is None:
            raise DomainError(_l("The meeting's notice has not been published."))
    else:
        _require_consulting(actor, topic, meeting)
    if participant.topic_id != topic.id or participant.status != ParticipantStatus.INVITED:
        raise DomainError(_l("%(name)s is not a subject of this topic.", name=participant.name))
    if meeting.outcome is not None:
        raise DomainError(_l("The meeting's result is recorded; attendance is closed."))
    if db.session.scalar(select(Attendance.id).where(
            Attendance.meeting_id == meeting.id, Attendance.participant_id == participant.id)):
        raise DomainError(_l("%(name)s is already signed in.", name=participant.name))
    attendance = Attendance(meeting_id=meeting.id, participant_id=participant.id,
                            method="self" if by_self else "staff", recorded_by_id=actor.id)
    db.session.add(attendance)
    audit.record(actor, "meeting.sign_in", attendance, jurisdiction=area(topic),
                 after={"meeting": meeting.id, "participant": participant.name,
                        "method": attendance.method})
    db.session.commit()


def attendance(meeting):
    return db.session.scalars(
        select(Attendance).where(Attendance.meeting_id == meeting.id)
        .options(selectinload(Attendance.participant)).order_by(Attendance.id)
    ).all()


def add_opinion(actor, topic, meeting, participant, *, position, text, on_behalf=False):
    """Record what a participant said. Staff may record for a participant who cannot do
    it online (elderly, offline): marked as recorded on behalf."""
    own = participant.user_id is not None and participant.user_id == getattr(actor, "id", None)
    if own and not on_behalf:
        require_phase(topic, Phase.CONSULT)
    else:
        _require_consulting(actor, topic, meeting)
        on_behalf = True
    if participant.topic_id != topic.id or participant.status != ParticipantStatus.INVITED:
        raise DomainError(_l("%(name)s is not a subject of this topic.", name=participant.name))
    if meeting.outcome is not None:
        raise DomainError(_l("The meeting's result is recorded; opinions are closed."))
    if position not in Position.ALL:
        raise DomainError(_l("Choose a position."))
    text = (text or "").strip()
    if not text or len(text) > 5000:
        raise DomainError(_l("The opinion must be 1 to 5000 characters."))
    opinion = Opinion(meeting_id=meeting.id, participant_id=participant.id, position=position,
                      text=text, on_behalf=on_behalf, recorded_by_id=actor.id)
    db.session.add(opinion)
    audit.record(actor, "meeting.opinion", opinion, jurisdiction=area(topic),
                 after={"participant": participant.name, "position": position,
                        "on_behalf": on_behalf})
    db.session.commit()
    return opinion


def opinions(meeting):
    return db.session.scalars(
        select(Opinion).where(Opinion.meeting_id == meeting.id)
        .options(selectinload(Opinion.participant)).order_by(Opinion.id)
    ).all()


def record_result(actor, topic, meeting, *, held_at, minutes, outcome, consensus_text=""):
    """Record that the meeting was held, its minutes and result. It cannot have been held
    before its notice period passed; a consensus comes with its text."""
    _require_consulting(actor, topic, meeting)
    if meeting.outcome is not None:
        raise DomainError(_l("The result of this meeting is already recorded."))
    if held_at is None or held_at.tzinfo is None or held_at > utcnow():
        raise DomainError(_l("Give when the meeting was held; it cannot be in the future."))
    days = notice_days(topic)
    if held_at < meeting.notice_at + timedelta(days=days):
        raise DomainError(_l("The meeting cannot be held before its %(days)s days' notice "
                             "has passed (%(date)s).", days=days,
                             date=format_datetime(meeting.notice_at + timedelta(days=days),
                                                  "yyyy-MM-dd HH:mm")))
    if outcome not in MeetingOutcome.ALL:
        raise DomainError(_l("Choose the meeting's result."))
    present = db.session.scalar(select(func.count()).select_from(Attendance).where(
        Attendance.meeting_id == meeting.id))
    if present == 0:
        raise DomainError(_l("Sign in the participants who attended first."))
    minutes = (minutes or "").strip()
    if not minutes or len(minutes) > 50_000:
        raise DomainError(_l("The minutes must be 1 to 50000 characters."))
    consensus_text = (consensus_text or "").strip()
    if outcome == MeetingOutcome.CONSENSUS and not consensus_text:
        raise DomainError(_l("Write down the consensus that was reached."))
    meeting.held_at, meeting.minutes, meeting.outcome = held_at, minutes, outcome
    if outcome == MeetingOutcome.CONSENSUS:
        db.session.add(Outcome(topic_id=topic.id, meeting_id=meeting.id,
                               text=consensus_text[:20_000],
                               witness_required=topic.witness_required))
    audit.record(actor, "meeting.result", meeting, jurisdiction=area(topic),
                 after={"held_at": held_at.isoformat(), "outcome": outcome,
                        "present": present})
    db.session.commit()


def new_round(actor, topic):
    """No consensus (or the vote failed): consult again, back at the notice step."""
    require_manage(actor, topic)
    require_phase(topic, Phase.CONSULT, Phase.CONFIRM)
    meeting = latest_meeting(topic)
    if meeting is None or meeting.outcome is None:
        raise DomainError(_l("Record the result of the current round first."))
    outcome = latest_outcome(topic)
    settled = (meeting.outcome == MeetingOutcome.CONSENSUS and outcome is not None
               and outcome.meeting_id == meeting.id and decided(topic))
    if settled:
        raise DomainError(_l("This round reached a consensus; there is no need for another."))
    topic.referred_to = None
    go_back_to(actor, topic, Phase.NOTIFY, "topic.new_round")
    db.session.commit()


def refer(actor, topic, body):
    """Without consensus, refer the matter to the body that decides it (000 §四(四)4)."""
    require_manage(actor, topic)
    require_phase(topic, Phase.CONSULT)
    meeting = latest_meeting(topic)
    if meeting is None or meeting.outcome not in (MeetingOutcome.NO_CONSENSUS,
                                                   MeetingOutcome.MAJOR_DIVERGENCE):
        raise DomainError(_l("Only a matter without consensus is referred for a decision."))
    if body not in DecidingBody.labels():
        raise DomainError(_l("Choose the body that decides."))
    before = topic.referred_to
    topic.referred_to = body
    audit.record(actor, "topic.refer", topic, jurisdiction=area(topic),
                 before={"referred_to": before}, after={"referred_to": body})
    db.session.commit()


_MEETING_ROWS = (select(Meeting.id, Meeting.round_no, Meeting.starts_at, Meeting.place,
                        Meeting.mode, Meeting.notice_at, Meeting.held_at, Meeting.outcome)
                 .where(Meeting.topic_id == bindparam("topic_id")).order_by(Meeting.round_no))


def rows(topic):
    """The topic's meetings as rows, by round."""
    return read_rows(_MEETING_ROWS, {"topic_id": topic.id})
