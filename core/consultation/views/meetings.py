"""Meetings: scheduling the next round, referring for a decision, and the meeting's own
page (notice, sign-in, opinions, result)."""

from flask import abort, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.consultation import (
    forms,
    meetings,
    procedures,
    subjects,
    topics,
)
from core.consultation.views import (
    bp,
    managed_topic,
    topic_or_404,
)
from core.consultation.views.topic_page import act_on_topic, topic_forms
from core.kernel import permissions
from core.kernel.actions import form_action
from core.kernel.errors import DomainError
from core.kernel.options import options
from core.models import MeetingOutcome, ParticipantStatus


def _schedule_page(topic, form, status=200):
    """The scheduling form, with the notice the meeting needs and the invited subjects
    who need an offline channel (the elderly, the disabled: 002 第六条)."""
    invited = subjects.rows(topic, [ParticipantStatus.INVITED])
    return render_template("topics/schedule.html", topic=topic, form=form,
                           notice_days=meetings.notice_days(topic),
                           offline_needed=[p.name for p in invited if p.needs_offline]), status


@bp.route("/topics/<int:topic_id>/meetings/new")
@login_required
def schedule_page(topic_id):
    """The next round's meeting is planned on a page of its own, at the notify step."""
    topic = managed_topic(topic_id, procedures.Phase.NOTIFY)
    return _schedule_page(topic, topic_forms(topic)["schedule"])


@bp.route("/topics/<int:topic_id>/meetings", methods=["POST"])
@login_required
def schedule(topic_id):
    """Plan the meeting; then its page, where its notice is published."""
    topic = topic_or_404(topic_id)
    form = topic_forms(topic)["schedule"]
    return form_action(form, lambda: meetings.schedule(
        current_user, topic, form=form.form.data, mode=form.mode.data,
        starts_at=forms.to_utc(form.starts_at.data), place=form.place.data,
        host=form.host.data, agenda=form.agenda.data,
        offline_channel=form.offline_channel.data),
        _l("The meeting is scheduled; publish its notice next."),
        lambda made: url_for("topics.meeting", topic_id=topic_id, meeting_id=made.id),
        lambda: _schedule_page(topic, form, 400))


@bp.route("/topics/<int:topic_id>/refer", methods=["POST"])
@login_required
def refer(topic_id):
    return act_on_topic(topic_id, "refer", forms.ReferForm(prefix="refer"),
                lambda topic, f: meetings.refer(current_user, topic, f.body.data),
                _l("Referred for a decision."))




# ------------------------------------------------------------------ meetings


def _meeting_page(topic, meeting, status=200, **failed):
    invited = subjects.participants(topic)
    present = meetings.attendance(meeting)
    present_ids = {row.participant_id for row in present}
    page_forms = {
        "action": forms.ActionForm(),
        "notice": forms.NoticeForm(prefix="notice"),
        "sign_in": forms.SignInForm(prefix="signin"),
        "opinion": forms.OpinionForm(prefix="opinion"),
        "result": forms.ResultForm(prefix="result"),
        "reschedule": forms.RescheduleForm(prefix="move", place=meeting.place),
    }
    page_forms["notice"].channels.choices = options(meetings.notice_channel_labels().items())
    page_forms["sign_in"].participant.choices = options(
        (p.id, p.name) for p in invited if p.id not in present_ids)
    page_forms["opinion"].participant.choices = options([(p.id, p.name) for p in invited])
    page_forms.update(failed)
    forms_at = topics.meeting_forms_at(topics.area(topic))
    return render_template(
        "topics/meeting.html", topic=topic, meeting=meeting, attendance=present,
        opinions=meetings.opinions(meeting), manage=permissions.can_manage_topic(
            current_user, topic),
        me=subjects.participant_of(current_user, topic, among=invited), present_ids=present_ids,
        form_title=getattr(forms_at.get(meeting.form), "title", meeting.form),
        notice_days=meetings.notice_days(topic), channel_labels=meetings.notice_channel_labels(),
        phases=set(topics.current_step(topic).phases) if topic.is_open else set(),
        Phase=procedures.Phase, MeetingOutcome=MeetingOutcome, forms=page_forms,
    ), status


def _meeting(topic_id, meeting_id):
    topic = topic_or_404(topic_id)
    try:
        return topic, meetings.get(topic, meeting_id)
    except DomainError:
        abort(404)


@bp.route("/topics/<int:topic_id>/meetings/<int:meeting_id>")
@login_required
def meeting(topic_id, meeting_id):
    return _meeting_page(*_meeting(topic_id, meeting_id))


def _meeting_act(topic_id, meeting_id, key, form, operation, done, choices=None):
    """Run ``operation(topic, meeting, form)`` from the meeting page."""
    topic, found = _meeting(topic_id, meeting_id)
    if choices:
        choices(topic, form)
    return form_action(form, lambda: operation(topic, found, form), done,
                   url_for("topics.meeting", topic_id=topic_id, meeting_id=meeting_id),
                   lambda: _meeting_page(*_meeting(topic_id, meeting_id), 400, **{key: form}))


def _participant_choices(field_name):
    def fill(topic, form):
        getattr(form, field_name).choices = options(
            (p.id, p.name) for p in subjects.participants(topic))
    return fill


@bp.route("/topics/<int:topic_id>/meetings/<int:meeting_id>/notice", methods=["POST"])
@login_required
def notice(topic_id, meeting_id):
    form = forms.NoticeForm(prefix="notice")
    form.channels.choices = options(meetings.notice_channel_labels().items())
    return _meeting_act(topic_id, meeting_id, "notice", form, lambda topic, m, f:
                        meetings.publish_notice(current_user, topic, m, channels=f.channels.data,
                                                at=forms.to_utc(f.notice_at.data)),
                        _l("The notice is published."))


@bp.route("/topics/<int:topic_id>/meetings/<int:meeting_id>/reschedule", methods=["POST"])
@login_required
def reschedule(topic_id, meeting_id):
    return _meeting_act(topic_id, meeting_id, "reschedule", forms.RescheduleForm(prefix="move"),
                        lambda topic, m, f: meetings.reschedule(
                            current_user, topic, m, starts_at=forms.to_utc(f.starts_at.data),
                            place=f.place.data),
                        _l("The meeting has been moved."))


@bp.route("/topics/<int:topic_id>/meetings/<int:meeting_id>/sign-in", methods=["POST"])
@login_required
def sign_in(topic_id, meeting_id):
    return _meeting_act(
        topic_id, meeting_id, "sign_in", forms.SignInForm(prefix="signin"),
        lambda topic, m, f: meetings.sign_in(current_user, topic, m,
                                             subjects.get(topic, f.participant.data)),
        _l("Signed in."), choices=_participant_choices("participant"))


@bp.route("/topics/<int:topic_id>/meetings/<int:meeting_id>/self-sign-in", methods=["POST"])
@login_required
def self_sign_in(topic_id, meeting_id):
    def operation(topic, m, _f):
        me = subjects.participant_of(current_user, topic)
        if me is None:
            raise DomainError(_l("You are not a participant of this topic."))
        meetings.sign_in(current_user, topic, m, me, by_self=True)

    return _meeting_act(topic_id, meeting_id, "action", forms.ActionForm(), operation,
                        _l("You are signed in."))


@bp.route("/topics/<int:topic_id>/meetings/<int:meeting_id>/opinions", methods=["POST"])
@login_required
def opinion(topic_id, meeting_id):
    def operation(topic, m, f):
        participant = subjects.get(topic, f.participant.data)
        meetings.add_opinion(current_user, topic, m, participant, position=f.position.data,
                             text=f.text.data,
                             on_behalf=participant.user_id != current_user.id)

    return _meeting_act(topic_id, meeting_id, "opinion", forms.OpinionForm(prefix="opinion"),
                        operation, _l("The opinion is recorded."),
                        choices=_participant_choices("participant"))


@bp.route("/topics/<int:topic_id>/meetings/<int:meeting_id>/result", methods=["POST"])
@login_required
def result(topic_id, meeting_id):
    return _meeting_act(
        topic_id, meeting_id, "result", forms.ResultForm(prefix="result"),
        lambda topic, m, f: meetings.record_result(
            current_user, topic, m, held_at=forms.to_utc(f.held_at.data), minutes=f.minutes.data,
            outcome=f.outcome.data, consensus_text=f.consensus_text.data),
        _l("The result is recorded."))
