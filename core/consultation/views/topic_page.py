"""The topic page, and the forms posted from it: screening, classifying, accepting,
declining, scoping, moving on."""

from functools import cache

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.board import entries as board
from core.consultation import (
    attachments,
    forms,
    meetings,
    outcomes,
    procedures,
    screening,
    subjects,
    topics,
    votes,
)
from core.consultation import scope as scopes
from core.consultation.catalogue import DecidingBody, SubjectRule
from core.consultation.views import (
    bp,
    managed_topic,
    node_or_error,
    topic_or_404,
)
from core.implementation import tracking as implementation
from core.kernel import audit, permissions
from core.kernel.actions import form_action
from core.kernel.options import options
from core.kernel.plugins import registry
from core.kernel.web import LazyForms
from core.legal import opinions
from core.legal import reviews as legal
from core.models import (
    EntryKind,
    Lead,
    LegalOpinion,
    MeetingMode,
    MeetingOutcome,
    OrganisationKind,
    ParticipantKind,
    ParticipantStatus,
    ReviewStatus,
    ReviewSubject,
    TopicStatus,
    TownResponse,
    VoteResult,
)
from core.models.types import local_today
from core.places import tree


def _with_choices(form, field, choices):
    getattr(form, field).choices = options(choices() if callable(choices) else choices)
    return form


def topic_forms(topic, participants=None, tasks=None):
    """Every form the topic page may offer, made when first used; ``participants`` and
    ``tasks``, when the page has them loaded, are the topic's subjects (the invited among
    them sign) and its tasks (the open ones take progress)."""
    def jurisdiction():
        return topics.area(topic)

    def vote_bodies():
        labels = DecidingBody.labels()
        bodies = [topic.referred_to] if topic.referred_to else topic.deciding_body_list
        return [(body, labels[body]) for body in bodies]

    def organisation_choices():
        kinds = OrganisationKind.labels()
        return [(row.id, f"{row.name}（{kinds.get(row.kind, row.kind)}）")
                for row in subjects.eligible_organisations(topic)]

    def paper_choices():
        invited = (subjects.participants(topic) if participants is None else
                   [p for p in participants if p.status == ParticipantStatus.INVITED])
        return [(p.id, p.name) for p in invited]

    return LazyForms({
        "classify": lambda: _with_choices(
            forms.ClassifyForm(prefix="classify"), "item",
            lambda: [(item.code, item.title) for item in topics.catalogue_at(jurisdiction())]),
        "decline": lambda: forms.ReasonForm(prefix="decline"),
        "scope": lambda: _with_choices(forms.ScopeForm(prefix="scope"), "units",
                                       lambda: scopes.scope_options(topic)),
        "person": lambda: _with_choices(
            forms.InvitePersonForm(prefix="person"), "person",
            lambda: [(person.id, person.name + ("" if person.registered else "（非户籍）"))
                     for person in subjects.eligible_people(topic)]),
        "organisation": lambda: _with_choices(
            forms.InviteOrganisationForm(prefix="org"), "organisation",
            organisation_choices),
        "guest": lambda: forms.InviteGuestForm(prefix="guest"),
        "schedule": lambda: _with_choices(
            forms.ScheduleForm(prefix="meeting"), "form",
            lambda: [(form.key, form.title)
                     for form in topics.meeting_forms_at(jurisdiction()).values()]),
        "refer": lambda: forms.ReferForm(prefix="refer"),
        "paper": lambda: _with_choices(forms.PaperSignatureForm(prefix="paper"), "participant",
                                       paper_choices),
        "witness_required": lambda: forms.WitnessRequiredForm(prefix="wr"),
        "witness": lambda: _with_choices(forms.WitnessForm(prefix="witness"), "kind",
                                         lambda: list(outcomes.witness_labels().items())),
        "vote": lambda: _with_choices(forms.VoteForm(prefix="vote"), "body", vote_bodies),
        "task": lambda: forms.TaskForm(prefix="task"),
        "progress": lambda: _with_choices(
            forms.ProgressForm(prefix="progress"), "task",
            lambda: [(task.id, task.title)
                     for task in (implementation.tasks(topic) if tasks is None else tasks)
                     if task.done_at is None]),
        "report": lambda: forms.TextForm(prefix="report"),
        "respond": lambda: forms.TownResponseForm(prefix="respond"),
        "comment": lambda: forms.TextForm(prefix="comment"),
        "explain": lambda: forms.ExplanationForm(prefix="explain"),
    })


def action_labels():
    """What the topic's history calls each recorded action."""
    return {
        "topic.create": _l("Recorded"),
        "topic.screen": _l("Screened"),
        "topic.classify": _l("Classified"),
        "topic.accept": _l("Accepted (立项)"),
        "topic.decline": _l("Declined"),
        "topic.scope": _l("Scope set"),
        "topic.advance": _l("Moved on"),
        "topic.new_round": _l("New round"),
        "topic.refer": _l("Referred for a decision"),
        "topic.close": _l("Closed"),
        "board.publish_result": _l("Result published on the board"),
    }


@cache
def page_labels():
    """The labels the topic page shows, by name: lazy texts, so made once and translated
    as each page shows them (a page would otherwise make some seventy of them)."""
    return {
        "entry_kinds": EntryKind.labels(),
        "subject_rules": SubjectRule.labels(),
        "body_labels": DecidingBody.labels(),
        "lead_labels": Lead.labels(),
        "participant_kinds": ParticipantKind.labels(),
        "participant_statuses": ParticipantStatus.labels(),
        "meeting_modes": MeetingMode.labels(),
        "meeting_outcomes": MeetingOutcome.labels(),
        "vote_results": VoteResult.labels(),
        "town_responses": TownResponse.labels(),
        "review_subjects": ReviewSubject.labels(),
        "review_statuses": ReviewStatus.labels(),
        "legal_opinions": LegalOpinion.labels(),
        "action_labels": action_labels(),
    }


def topic_page(topic, status=200, **failed):
    """Render the topic page; ``failed`` forms keep what the user typed."""
    user = current_user._get_current_object()  # read many times below
    participants = subjects.rows(topic)
    tasks = implementation.task_rows(topic)
    page_forms = topic_forms(topic, participants, tasks)
    page_forms.update(failed)
    outcome = outcomes.current_row(topic)
    phases = set(topics.current_step(topic).phases) if topic.is_open else set()
    # The implementation section (with its updates, reports, comments and explanations)
    # shows once there are tasks or the step is about implementing: read it only then.
    implementing = bool(tasks) or procedures.Phase.IMPLEMENT in phases
    history = audit.history_rows("topic", topic.id)
    area = topics.area(topic)
    return render_template(
        "topics/show.html",
        topic=topic,
        progress=topics.progress(topic),
        manage=permissions.can_manage_topic(user, topic),
        participants=participants,
        me=subjects.participant_of(user, topic, among=participants),
        meetings=meetings.rows(topic),
        outcome=outcome,
        signatures=outcomes.signatures(outcome) if outcome else [],
        outcome_gaps=outcomes.missing_for_confirmation(outcome) if outcome else [],
        votes=votes.rows(topic),
        files=attachments.rows(topic),
        similar=screening.similar(topic) if topic.status == TopicStatus.PROPOSED else [],
        board_entries=board.of_topic(topic),
        result_ready=board.result_ready(topic, outcome),
        tasks=tasks,
        # Progress is published on an open task: its form is built only when there is one.
        open_tasks=any(task.done_at is None for task in tasks),
        task_updates=implementation.updates_by_task(topic) if tasks else {},
        late={task.id for task in tasks
              if implementation.publication_late(task, area)},
        today=local_today(),
        reports=implementation.reports(topic) if implementing else [],
        comments=implementation.comments(topic) if implementing else [],
        explanations=implementation.explanations(topic) if implementing else [],
        can_comment=permissions.can(user, "supervision.comment", area),
        legal_reviews=opinions.reviews_readable_by(user, topic),
        can_witness=permissions.can(user, "legal.witness",
                                    legal.village_of_topic(topic)),
        panels=[panel for panels in registry().hooks_for(area).xs_render_topic_panels(
            topic=topic, user=user) for panel in panels or ()],
        # Town reports show in the implementation section, for topics the town assigned.
        can_respond=implementing and topic.channel == "town" and permissions.can(
            user, "town.feedback",
            tree.town_of(area) or area),
        history=history,
        phases=phases,
        Phase=procedures.Phase,
        forms=page_forms,
        **page_labels(),
    ), status



@bp.route("/topics/<int:topic_id>")
@login_required
def show(topic_id):
    return topic_page(topic_or_404(topic_id))


def act_on_topic(topic_id, form_key, form, operation, done):
    """Run ``operation(topic, form)`` from the topic page (status 400 with the reason)."""
    topic = topic_or_404(topic_id)
    return form_action(form, lambda: operation(topic, form), done,
                   url_for("topics.show", topic_id=topic.id),
                   lambda: topic_page(topics.get(topic_id), 400, **{form_key: form}))


def _simple(name, operation, done):
    """Register a POST route for a button with no fields but the CSRF token."""
    def view(topic_id):
        return act_on_topic(topic_id, "action", forms.ActionForm(),
                    lambda topic, _form: operation(current_user, topic), done)
    view.__name__ = name.replace("-", "_")
    bp.add_url_rule(f"/topics/<int:topic_id>/{name}", view.__name__,
                    login_required(view), methods=["POST"])


_simple("screen", screening.screen, _l("Screened."))
_simple("accept", topics.accept, _l("The topic is accepted."))
_simple("advance", topics.advance, _l("The topic moved to the next step."))
_simple("new-round", meetings.new_round, _l("A new round of consultation begins."))
_simple("publish-result", board.publish_result,
        _l("The result is published on the disclosure board."))


def _classify_page(topic, form, status=200):
    """Re-classifying an accepted topic, on a page of its own: the item decides who takes
    part and how the topic is decided, so the page says what it is now."""
    return render_template("topics/classify.html", topic=topic, form=form,
                           **page_labels()), status


@bp.route("/topics/<int:topic_id>/classify", methods=["GET", "POST"])
@login_required
def classify(topic_id):
    """A proposed topic is classified from its page; an accepted one, whose subjects may
    be invited under the item's rule already, on the classification page. A refused
    classification comes back where it was posted from."""
    if request.method == "GET":
        topic = managed_topic(topic_id, procedures.Phase.COLLECT, procedures.Phase.DEFINE)
        form = topic_forms(topic)["classify"]
        form.item.data = topic.item_code  # the page opens on the item it has now
        return _classify_page(topic, form)
    topic = topic_or_404(topic_id)
    form = topic_forms(topic)["classify"]
    if topic.status == TopicStatus.PROPOSED:
        def show_again():
            return topic_page(topics.get(topic_id), 400, classify=form)
    else:
        def show_again():
            return _classify_page(topic, form, 400)
    return form_action(form, lambda: topics.classify(current_user, topic, form.item.data),
                   _l("Classified."), url_for("topics.show", topic_id=topic.id), show_again)


@bp.route("/topics/<int:topic_id>/decline", methods=["POST"])
@login_required
def decline(topic_id):
    return act_on_topic(topic_id, "decline", forms.ReasonForm(prefix="decline"),
                lambda topic, f: topics.decline(current_user, topic, f.reason.data),
                _l("The topic is declined; the proposer sees the reason."))


@bp.route("/topics/<int:topic_id>/close", methods=["GET", "POST"])
@login_required
def close(topic_id):
    """Closing a topic, on a page of its own: it ends the consultation for good, and the
    reason is shown to everyone who reads the topic."""
    topic = managed_topic(topic_id)
    if topic.status != TopicStatus.ACCEPTED:
        flash(_l("Only an accepted topic can be closed."), "error")
        return redirect(url_for("topics.show", topic_id=topic.id))
    form = forms.ReasonForm(prefix="close")

    def show_again():
        return render_template("topics/close.html", topic=topic, form=form), 400

    if request.method == "GET":
        return render_template("topics/close.html", topic=topic, form=form)
    return form_action(form, lambda: topics.close(current_user, topic, form.reason.data),
                   _l("The topic is closed."), url_for("topics.show", topic_id=topic.id),
                   show_again)


def bound_form(topic_id, key):
    """The page's form ``key`` with its choices, bound to the posted data."""
    topic = topic_or_404(topic_id)
    return topic_forms(topic)[key]


@bp.route("/topics/<int:topic_id>/scope", methods=["POST"])
@login_required
def scope(topic_id):
    form = bound_form(topic_id, "scope")

    def operation(topic, f):
        units = [node_or_error(code) for code in f.units.data]
        scopes.set_scope(current_user, topic, units)

    return act_on_topic(topic_id, "scope", form, operation, _l("The scope is set."))
