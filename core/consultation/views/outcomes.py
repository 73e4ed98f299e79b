"""The outcome: signing it, witnessing it, confirming it; recording a vote; the topic's
files and archive."""

from flask import Response, abort, send_file, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.board import printing
from core.consultation import archive as archives
from core.consultation import (
    attachments,
    forms,
    outcomes,
    procedures,
    subjects,
    topics,
    votes,
)
from core.consultation.views import (
    bp,
    topic_or_404,
)
from core.consultation.views.topic_page import act_on_topic, bound_form
from core.kernel import permissions
from core.kernel.errors import DomainError, NotFound
from core.kernel.options import options

# ------------------------------------------------------------------ outcome


def _current_outcome(topic):
    outcome = outcomes.current(topic)
    if outcome is None:
        raise DomainError(_l("There is no outcome to sign yet."))
    return outcome


@bp.route("/topics/<int:topic_id>/outcome/sign", methods=["POST"])
@login_required
def sign(topic_id):
    def operation(topic, _f):
        me = subjects.participant_of(current_user, topic)
        if me is None:
            raise DomainError(_l("You are not a participant of this topic."))
        outcomes.sign_electronically(current_user, topic, _current_outcome(topic), me)

    return act_on_topic(topic_id, "action", forms.ActionForm(), operation, _l("You have signed."))


@bp.route("/topics/<int:topic_id>/outcome/paper", methods=["POST"])
@login_required
def paper_signature(topic_id):
    form = bound_form(topic_id, "paper")
    topic = topic_or_404(topic_id)
    form.participant.choices = options(
        (p.id, p.name) for p in subjects.participants(topic))

    def operation(topic, f):
        scan = f.scan.data
        outcomes.record_paper_signature(
            current_user, topic, _current_outcome(topic), subjects.get(topic, f.participant.data),
            filename=getattr(scan, "filename", ""), data=scan.read() if scan else b"")

    return act_on_topic(topic_id, "paper", form, operation, _l("The paper signature is recorded."))


@bp.route("/topics/<int:topic_id>/outcome/witness-required", methods=["POST"])
@login_required
def witness_required(topic_id):
    return act_on_topic(topic_id, "witness_required", forms.WitnessRequiredForm(prefix="wr"),
                lambda topic, f: outcomes.require_witness(current_user, topic,
                                                          _current_outcome(topic), f.required.data),
                _l("Saved."))


@bp.route("/topics/<int:topic_id>/outcome/witness", methods=["POST"])
@login_required
def witness(topic_id):
    form = bound_form(topic_id, "witness")
    return act_on_topic(topic_id, "witness", form, lambda topic, f: outcomes.record_witness(
        current_user, topic, _current_outcome(topic), kind=f.kind.data, name=f.name.data),
        _l("The witness is recorded."))


@bp.route("/topics/<int:topic_id>/outcome/confirm", methods=["POST"])
@login_required
def confirm(topic_id):
    return act_on_topic(topic_id, "action", forms.ActionForm(),
                lambda topic, _f: outcomes.confirm(current_user, topic, _current_outcome(topic)),
                _l("The outcome is confirmed."))


@bp.route("/topics/<int:topic_id>/votes", methods=["POST"])
@login_required
def vote(topic_id):
    form = bound_form(topic_id, "vote")

    def operation(topic, f):
        meeting = procedures.latest_meeting(topic) if f.with_meeting.data else None
        votes.record(current_user, topic, body=f.body.data, noticed_on=f.noticed_on.data,
                     held_on=f.held_on.data, eligible=f.eligible.data, present=f.present.data,
                     votes_for=f.votes_for.data, votes_against=f.votes_against.data,
                     votes_abstain=f.votes_abstain.data,
                     households_total=f.households_total.data,
                     households_represented=f.households_represented.data, meeting=meeting)

    return act_on_topic(topic_id, "vote", form, operation, _l("The vote is recorded."))


@bp.route("/topics/<int:topic_id>/archive.zip")
@login_required
def archive(topic_id):
    topic = topic_or_404(topic_id)
    if not permissions.can(current_user, "topic.read", topics.area(topic)):
        abort(403)

    def notice_pdf(board, entry):
        return printing.notice_pdf(board, entry, url_for("board.entry", code=board.code,
                                                         seq=entry.seq, _external=True))

    return Response(archives.build(topic, notice_pdf), mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="topic-{topic.id}.zip"'})


@bp.route("/topics/<int:topic_id>/files/<int:attachment_id>")
@login_required
def attachment(topic_id, attachment_id):
    topic = topic_or_404(topic_id)
    try:
        found = attachments.of_topic(topic, attachment_id)
    except NotFound:
        abort(404)
    return send_file(attachments.path_of(found), mimetype=found.content_type,
                     as_attachment=True, download_name=found.filename)
