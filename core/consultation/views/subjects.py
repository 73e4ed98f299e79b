"""Inviting the topic's subjects (协商主体) on a page of their own, and deciding on those
who apply."""

from flask import abort, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.consultation import (
    forms,
    procedures,
    subjects,
)
from core.consultation.views import (
    bp,
    managed_topic,
)
from core.consultation.views.topic_page import act_on_topic, page_labels, topic_forms
from core.kernel.actions import form_action
from core.models import ParticipantStatus


def _invite_page(topic, status=200, **failed):
    """The invitation forms, on a page of their own: who the item says takes part, who
    is invited so far, and a form for each kind of subject; ``failed`` keeps what was
    typed in a refused one."""
    page_forms = topic_forms(topic)
    page_forms.update(failed)
    invited = subjects.rows(topic)
    return render_template("topics/invite.html", topic=topic, forms=page_forms,
                           participants=invited,
                           invited_count=sum(p.status == ParticipantStatus.INVITED
                                             for p in invited),
                           **page_labels()), status


@bp.route("/topics/<int:topic_id>/participants/new")
@login_required
def invite_page(topic_id):
    return _invite_page(managed_topic(topic_id, procedures.Phase.SUBJECTS))


def _invite(topic_id, key, operation):
    """Run ``operation(topic, form)`` from the invitation page; then that page again, to
    invite the next subject, or (400) with what was posted and the reason."""
    topic = managed_topic(topic_id)
    form = topic_forms(topic)[key]
    return form_action(form, lambda: operation(topic, form), _l("Invited."),
                   url_for("topics.invite_page", topic_id=topic.id),
                   lambda: _invite_page(topic, 400, **{key: form}))


@bp.route("/topics/<int:topic_id>/participants/person", methods=["POST"])
@login_required
def invite_person(topic_id):
    def operation(topic, f):
        subjects.invite_person(current_user, topic, subjects.person_to_invite(f.person.data),
                               votes=f.votes.data)

    return _invite(topic_id, "person", operation)


@bp.route("/topics/<int:topic_id>/participants/organisation", methods=["POST"])
@login_required
def invite_organisation(topic_id):
    def operation(topic, f):
        organisation = subjects.organisation_to_invite(f.organisation.data)
        subjects.invite_organisation(current_user, topic, organisation,
                                     representative=f.representative.data)

    return _invite(topic_id, "organisation", operation)


@bp.route("/topics/<int:topic_id>/participants/guest", methods=["POST"])
@login_required
def invite_guest(topic_id):
    return _invite(topic_id, "guest", lambda topic, f: subjects.invite_guest(
        current_user, topic, kind=f.kind.data, name=f.name.data, note=f.note.data))


@bp.route("/topics/<int:topic_id>/apply", methods=["POST"])
@login_required
def apply(topic_id):
    return act_on_topic(topic_id, "action", forms.ActionForm(),
                lambda topic, _f: subjects.apply(current_user, topic),
                _l("Your request to take part has been sent to the committee."))


@bp.route("/topics/<int:topic_id>/participants/<int:participant_id>/<decision>",
          methods=["POST"])
@login_required
def participant_action(topic_id, participant_id, decision):
    operations = {
        "approve": lambda topic, p: subjects.decide_application(current_user, topic, p, True),
        "reject": lambda topic, p: subjects.decide_application(current_user, topic, p, False),
        "give-vote": lambda topic, p: subjects.set_votes(current_user, topic, p, True),
        "withdraw-vote": lambda topic, p: subjects.set_votes(current_user, topic, p, False),
        "remove": lambda topic, p: subjects.remove(current_user, topic, p),
    }
    if decision not in operations:
        abort(404)
    return act_on_topic(topic_id, "action", forms.ActionForm(),
                lambda topic, _f: operations[decision](
                    topic, subjects.get(topic, participant_id)), _l("Saved."))
