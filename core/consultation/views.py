"""Topic pages and the forms that move a consultation along. Views are thin: parse the
form, call a service, show the page again (with the reason when a service refuses)."""


from functools import cache

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import bindparam, select

from core.board import entries as board
from core.consultation import (
    attachments,
    dashboard,
    forms,
    meetings,
    outcomes,
    procedures,
    subjects,
    topics,
    votes,
)
from core.consultation.catalogue import DecidingBody, SubjectRule
from core.implementation import tracking as implementation
from core.kernel import permissions
from core.kernel.errors import DomainError, NotFound
from core.kernel.extensions import db, read_rows
from core.kernel.options import options
from core.kernel.plugins import registry
from core.kernel.web import LazyForms, page_number
from core.legal import reviews as legal
from core.models import (
    Attachment,
    AuditEvent,
    BoardEntry,
    EntryKind,
    Jurisdiction,
    Lead,
    LegalOpinion,
    Level,
    Meeting,
    MeetingMode,
    MeetingOutcome,
    Organisation,
    OrganisationKind,
    Participant,
    ParticipantKind,
    ParticipantStatus,
    Person,
    ReviewStatus,
    ReviewSubject,
    Task,
    TopicStatus,
    TownReport,
    TownResponse,
    User,
    Vote,
    VoteResult,
)
from core.models.types import local_today
from core.places import tree

bp = Blueprint("topics", __name__, template_folder="templates")


def readable_topic(topic_id, refused=403):
    """The topic if the current user may read it; otherwise abort with 404 when there is no
    such topic, and ``refused`` when there is one they may not read."""
    try:
        topic = topics.get(topic_id)
    except NotFound:
        abort(404)
    if not permissions.can_read_topic(current_user, topic):
        abort(refused)
    return topic


def _topic(topic_id):
    return readable_topic(topic_id)


def _topic_run_by_me(topic_id, *phases):
    """The topic for a page of one of its forms: 403 unless the user runs it; with
    ``phases``, the topic page with the reason unless its step covers one of them."""
    topic = _topic(topic_id)
    if not permissions.can_manage_topic(current_user, topic):
        abort(403)
    if phases:
        try:
            topics.require_phase(topic, *phases)
        except DomainError as error:
            flash(error.message, "error")
            abort(redirect(url_for("topics.show", topic_id=topic.id)))
    return topic


def _files(field):
    """(filename, bytes) for every file chosen in a file field."""
    return [(upload.filename, upload.read()) for upload in (field.data or [])
            if upload and upload.filename]


def _villages(action):
    """Villages where the current user may perform ``action``, for a select field."""
    query = select(Jurisdiction).where(Jurisdiction.level == Level.VILLAGE)
    if permissions.scope_paths(current_user, action) is not None:
        query = query.where(permissions.scope_clause(current_user, action))
    return db.session.scalars(query.order_by(Jurisdiction.path).limit(500)).all()


def _choose(field, nodes):
    field.choices = options([(node.code, node.name) for node in nodes])


def _node_or_error(code):
    try:
        return tree.by_code(code)
    except NotFound as error:
        raise DomainError(error.message) from None


# ---------------------------------------------------------------- intake


def _intake(form, template, action, create, **extra):
    if form.validate_on_submit():
        try:
            topic = create(form)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            flash(_l("The topic has been recorded."), "success")
            return redirect(url_for("topics.show", topic_id=topic.id))
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, **extra), status


@bp.route("/topics/propose", methods=["GET", "POST"])
@login_required
def propose():
    form = forms.ProposeForm()
    villages = _villages("topic.propose")
    if not villages:
        abort(403)
    _choose(form.village, villages)
    return _intake(form, "topics/propose.html", "topic.propose", lambda f: topics.propose(
        current_user, _node_or_error(f.village.data), title=f.title.data,
        description=f.description.data, files=_files(f.files)))


@bp.route("/topics/record", methods=["GET", "POST"])
@login_required
def record():
    form = forms.RecordForm()
    villages = _villages("topic.record")
    if not villages:
        abort(403)
    _choose(form.village, villages)
    return _intake(form, "topics/record.html", "topic.record", lambda f: topics.record(
        current_user, _node_or_error(f.village.data), title=f.title.data,
        description=f.description.data, channel=f.channel.data,
        on_behalf_of=f.on_behalf_of.data, files=_files(f.files)))


@bp.route("/topics/assign", methods=["GET", "POST"])
@login_required
def assign():
    form = forms.AssignForm()
    villages = _villages("topic.assign")
    if not villages:
        abort(403)
    _choose(form.village, villages)

    def create(f):
        village = _node_or_error(f.village.data)
        return topics.assign(current_user, topics._town_of(village), village,
                             title=f.title.data, description=f.description.data,
                             files=_files(f.files))

    return _intake(form, "topics/assign.html", "topic.assign", create)


# ---------------------------------------------------------------- topic page


def _with_choices(form, field, choices):
    getattr(form, field).choices = options(choices() if callable(choices) else choices)
    return form


def _scope_choices(topic):
    origin = db.session.get(Jurisdiction, topic.origin_id)
    town = topics._town_of(origin)
    # Every sub-unit of the village, indented under its parent (经济社, 小区 › 楼栋 › 楼门).
    units = db.session.scalars(
        select(Jurisdiction).where(Jurisdiction.path.startswith(origin.path, autoescape=True),
                                   Jurisdiction.id != origin.id)
        .order_by(Jurisdiction.path).limit(300)).all()
    choices = [(origin.code, origin.name)] + [
        (unit.code, "\u3000" * (unit.depth - origin.depth - 1) + unit.name) for unit in units]
    if town is not None:
        choices += [(village.code, village.name) for village, _n in
                    tree.children_page(town, per_page=200)[0] if village.id != origin.id]
    return choices


def _topic_forms(topic, participants=None, tasks=None):
    """Every form the topic page may offer, made when first used; ``participants`` and
    ``tasks``, when the page has them loaded, are the topic's subjects (the invited among
    them sign) and its tasks (the open ones take progress)."""
    def jurisdiction():
        return db.session.get(Jurisdiction, topic.jurisdiction_id)

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
                                       lambda: _scope_choices(topic)),
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


# The columns the history shows, as rows the template unpacks in this order.
_HISTORY = (select(AuditEvent.at, AuditEvent.action, AuditEvent.after, User.display_name)
            .outerjoin(User, AuditEvent.actor_id == User.id)
            .where(AuditEvent.object_type == "topic",
                   AuditEvent.object_id == bindparam("topic_key"))
            .order_by(AuditEvent.id))
# The topic page's lists of its files and of its board entries: the columns they show,
# read as rows (the template unpacks them in this order); never an entry's content.
_FILES = (select(Attachment.id, Attachment.filename, Attachment.size)
          .where(Attachment.topic_id == bindparam("topic_id")).order_by(Attachment.id))
# Its subjects (invited and applying), with whether a resident is registered (户籍) and
# needs an offline channel; its tasks; its meetings and votes: likewise the columns the
# page shows and uses, as rows (the template reads their columns by name).
_PARTICIPANT_ROWS = (
    select(Participant.id, Participant.kind, Participant.user_id, Participant.name,
           Participant.votes, Participant.status, Person.registered, Person.needs_offline)
    .outerjoin(Person, Participant.person_id == Person.id)
    .where(Participant.topic_id == bindparam("topic_id"),
           Participant.status.in_(bindparam("statuses", expanding=True)))
    .order_by(Participant.kind, Participant.id))

_TASK_ROWS = (select(Task.id, Task.title, Task.responsible, Task.deadline, Task.done_at,
                     Task.last_update_at, Task.created_at)
              .where(Task.topic_id == bindparam("topic_id")).order_by(Task.deadline, Task.id))
_MEETING_ROWS = (select(Meeting.id, Meeting.round_no, Meeting.starts_at, Meeting.place,
                        Meeting.mode, Meeting.notice_at, Meeting.held_at, Meeting.outcome)
                 .where(Meeting.topic_id == bindparam("topic_id")).order_by(Meeting.round_no))
_VOTE_ROWS = (select(Vote.body, Vote.held_on, Vote.eligible, Vote.present, Vote.votes_for,
                     Vote.votes_against, Vote.votes_abstain, Vote.result, Vote.reasoning)
              .where(Vote.topic_id == bindparam("topic_id")).order_by(Vote.id))
_BOARD_ENTRIES = (select(BoardEntry.seq, BoardEntry.kind, BoardEntry.published_at,
                         BoardEntry.entry_hash, Jurisdiction.code.label("board"))
                  .join(Jurisdiction, BoardEntry.jurisdiction_id == Jurisdiction.id)
                  .where(BoardEntry.topic_id == bindparam("topic_id"))
                  .order_by(BoardEntry.seq))


def _subject_rows(topic, statuses=(ParticipantStatus.INVITED, ParticipantStatus.APPLIED)):
    """The topic's subjects with ``statuses`` (the invited and the applying), as rows."""
    return read_rows(_PARTICIPANT_ROWS, {"topic_id": topic.id, "statuses": list(statuses)})


@cache
def _page_labels():
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


def _show(topic, status=200, **failed):
    """Render the topic page; ``failed`` forms keep what the user typed."""
    user = current_user._get_current_object()  # read many times below
    participants = _subject_rows(topic)
    tasks = read_rows(_TASK_ROWS, {"topic_id": topic.id})
    page_forms = _topic_forms(topic, participants, tasks)
    page_forms.update(failed)
    outcome = outcomes.current_row(topic)
    phases = set(topics.current_step(topic).phases) if topic.is_open else set()
    # The implementation section (with its updates, reports, comments and explanations)
    # shows once there are tasks or the step is about implementing: read it only then.
    implementing = bool(tasks) or procedures.Phase.IMPLEMENT in phases
    history = read_rows(_HISTORY, {"topic_key": str(topic.id)})
    area = topics.area(topic)
    return render_template(
        "topics/show.html",
        topic=topic,
        progress=topics.progress(topic),
        manage=permissions.can_manage_topic(user, topic),
        participants=participants,
        me=subjects.participant_of(user, topic, among=participants),
        meetings=read_rows(_MEETING_ROWS, {"topic_id": topic.id}),
        outcome=outcome,
        signatures=outcomes.signatures(outcome) if outcome else [],
        outcome_gaps=outcomes.missing_for_confirmation(outcome) if outcome else [],
        votes=read_rows(_VOTE_ROWS, {"topic_id": topic.id}),
        files=read_rows(_FILES, {"topic_id": topic.id}),
        similar=topics.similar(topic) if topic.status == TopicStatus.PROPOSED else [],
        board_entries=read_rows(_BOARD_ENTRIES, {"topic_id": topic.id}),
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
        legal_reviews=legal.reviews_readable_by(user, topic),
        can_witness=permissions.can(user, "legal.witness",
                                    legal.village_of_topic(topic)),
        panels=[panel for panels in registry().hooks_for(area).xs_topic_panels(
            topic=topic, user=user) for panel in panels or ()],
        # Town reports show in the implementation section, for topics the town assigned.
        can_respond=implementing and topic.channel == "town" and permissions.can(
            user, "town.feedback",
            topics._town_of(area) or area),
        history=history,
        phases=phases,
        Phase=procedures.Phase,
        forms=page_forms,
        **_page_labels(),
    ), status



@bp.route("/topics/<int:topic_id>")
@login_required
def show(topic_id):
    return _show(_topic(topic_id))


def _submit(form, operation, done, success_url, show_again):
    """Run ``operation()`` if ``form`` is valid and redirect to ``success_url`` (or to
    ``success_url(result)`` when it is callable); otherwise, or when the service refuses,
    call ``show_again()`` to show the page with the reason."""
    if form.validate_on_submit():
        try:
            result = operation()
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            flash(done, "success")
            return redirect(success_url(result) if callable(success_url) else success_url)
    elif not form.errors:
        form.form_errors.append(_l("The form could not be read; try again."))
    return show_again()


def _act(topic_id, form_key, form, operation, done):
    """Run ``operation(topic, form)`` from the topic page (status 400 with the reason)."""
    topic = _topic(topic_id)
    return _submit(form, lambda: operation(topic, form), done,
                   url_for("topics.show", topic_id=topic.id),
                   lambda: _show(topics.get(topic_id), 400, **{form_key: form}))


def _simple(name, operation, done):
    """Register a POST route for a button with no fields but the CSRF token."""
    def view(topic_id):
        return _act(topic_id, "action", forms.ActionForm(),
                    lambda topic, _form: operation(current_user, topic), done)
    view.__name__ = name.replace("-", "_")
    bp.add_url_rule(f"/topics/<int:topic_id>/{name}", view.__name__,
                    login_required(view), methods=["POST"])


_simple("screen", topics.screen, _l("Screened."))
_simple("accept", topics.accept, _l("The topic is accepted."))
_simple("advance", topics.advance, _l("The topic moved to the next step."))
_simple("new-round", meetings.new_round, _l("A new round of consultation begins."))
_simple("publish-result", board.publish_result,
        _l("The result is published on the disclosure board."))


def _classify_page(topic, form, status=200):
    """Re-classifying an accepted topic, on a page of its own: the item decides who takes
    part and how the topic is decided, so the page says what it is now."""
    return render_template("topics/classify.html", topic=topic, form=form,
                           **_page_labels()), status


@bp.route("/topics/<int:topic_id>/classify", methods=["GET", "POST"])
@login_required
def classify(topic_id):
    """A proposed topic is classified from its page; an accepted one, whose subjects may
    be invited under the item's rule already, on the classification page. A refused
    classification comes back where it was posted from."""
    if request.method == "GET":
        topic = _topic_run_by_me(topic_id, procedures.Phase.COLLECT, procedures.Phase.DEFINE)
        form = _topic_forms(topic)["classify"]
        form.item.data = topic.item_code  # the page opens on the item it has now
        return _classify_page(topic, form)
    topic = _topic(topic_id)
    form = _topic_forms(topic)["classify"]
    if topic.status == TopicStatus.PROPOSED:
        def show_again():
            return _show(topics.get(topic_id), 400, classify=form)
    else:
        def show_again():
            return _classify_page(topic, form, 400)
    return _submit(form, lambda: topics.classify(current_user, topic, form.item.data),
                   _l("Classified."), url_for("topics.show", topic_id=topic.id), show_again)


@bp.route("/topics/<int:topic_id>/decline", methods=["POST"])
@login_required
def decline(topic_id):
    return _act(topic_id, "decline", forms.ReasonForm(prefix="decline"),
                lambda topic, f: topics.decline(current_user, topic, f.reason.data),
                _l("The topic is declined; the proposer sees the reason."))


@bp.route("/topics/<int:topic_id>/close", methods=["GET", "POST"])
@login_required
def close(topic_id):
    """Closing a topic, on a page of its own: it ends the consultation for good, and the
    reason is shown to everyone who reads the topic."""
    topic = _topic_run_by_me(topic_id)
    if topic.status != TopicStatus.ACCEPTED:
        flash(_l("Only an accepted topic can be closed."), "error")
        return redirect(url_for("topics.show", topic_id=topic.id))
    form = forms.ReasonForm(prefix="close")

    def show_again():
        return render_template("topics/close.html", topic=topic, form=form), 400

    if request.method == "GET":
        return render_template("topics/close.html", topic=topic, form=form)
    return _submit(form, lambda: topics.close(current_user, topic, form.reason.data),
                   _l("The topic is closed."), url_for("topics.show", topic_id=topic.id),
                   show_again)


def _bound(topic_id, key):
    """The page's form ``key`` with its choices, bound to the posted data."""
    topic = _topic(topic_id)
    return _topic_forms(topic)[key]


@bp.route("/topics/<int:topic_id>/scope", methods=["POST"])
@login_required
def scope(topic_id):
    form = _bound(topic_id, "scope")

    def operation(topic, f):
        units = [_node_or_error(code) for code in f.units.data]
        topics.set_scope(current_user, topic, units)

    return _act(topic_id, "scope", form, operation, _l("The scope is set."))


def _invite_page(topic, status=200, **failed):
    """The invitation forms, on a page of their own: who the item says takes part, who
    is invited so far, and a form for each kind of subject; ``failed`` keeps what was
    typed in a refused one."""
    page_forms = _topic_forms(topic)
    page_forms.update(failed)
    invited = _subject_rows(topic)
    return render_template("topics/invite.html", topic=topic, forms=page_forms,
                           participants=invited,
                           invited_count=sum(p.status == ParticipantStatus.INVITED
                                             for p in invited),
                           **_page_labels()), status


@bp.route("/topics/<int:topic_id>/participants/new")
@login_required
def invite_page(topic_id):
    return _invite_page(_topic_run_by_me(topic_id, procedures.Phase.SUBJECTS))


def _invite(topic_id, key, operation):
    """Run ``operation(topic, form)`` from the invitation page; then that page again, to
    invite the next subject, or (400) with what was posted and the reason."""
    topic = _topic_run_by_me(topic_id)
    form = _topic_forms(topic)[key]
    return _submit(form, lambda: operation(topic, form), _l("Invited."),
                   url_for("topics.invite_page", topic_id=topic.id),
                   lambda: _invite_page(topic, 400, **{key: form}))


@bp.route("/topics/<int:topic_id>/participants/person", methods=["POST"])
@login_required
def invite_person(topic_id):
    def operation(topic, f):
        person = db.session.get(Person, f.person.data)
        if person is None:
            raise DomainError(_l("Choose a resident from the register."))
        subjects.invite_person(current_user, topic, person, votes=f.votes.data)

    return _invite(topic_id, "person", operation)


@bp.route("/topics/<int:topic_id>/participants/organisation", methods=["POST"])
@login_required
def invite_organisation(topic_id):
    def operation(topic, f):
        organisation = db.session.get(Organisation, f.organisation.data)
        if organisation is None:
            raise DomainError(_l("Choose an organisation."))
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
    return _act(topic_id, "action", forms.ActionForm(),
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
    return _act(topic_id, "action", forms.ActionForm(),
                lambda topic, _f: operations[decision](
                    topic, subjects.get(topic, participant_id)), _l("Saved."))


def _schedule_page(topic, form, status=200):
    """The scheduling form, with the notice the meeting needs and the invited subjects
    who need an offline channel (the elderly, the disabled: 002 第六条)."""
    invited = _subject_rows(topic, [ParticipantStatus.INVITED])
    return render_template("topics/schedule.html", topic=topic, form=form,
                           notice_days=meetings.notice_days(topic),
                           offline_needed=[p.name for p in invited if p.needs_offline]), status


@bp.route("/topics/<int:topic_id>/meetings/new")
@login_required
def schedule_page(topic_id):
    """The next round's meeting is planned on a page of its own, at the notify step."""
    topic = _topic_run_by_me(topic_id, procedures.Phase.NOTIFY)
    return _schedule_page(topic, _topic_forms(topic)["schedule"])


@bp.route("/topics/<int:topic_id>/meetings", methods=["POST"])
@login_required
def schedule(topic_id):
    """Plan the meeting; then its page, where its notice is published."""
    topic = _topic(topic_id)
    form = _topic_forms(topic)["schedule"]
    return _submit(form, lambda: meetings.schedule(
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
    return _act(topic_id, "refer", forms.ReferForm(prefix="refer"),
                lambda topic, f: meetings.refer(current_user, topic, f.body.data),
                _l("Referred for a decision."))


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

    return _act(topic_id, "action", forms.ActionForm(), operation, _l("You have signed."))


@bp.route("/topics/<int:topic_id>/outcome/paper", methods=["POST"])
@login_required
def paper_signature(topic_id):
    form = _bound(topic_id, "paper")
    topic = _topic(topic_id)
    form.participant.choices = options(
        (p.id, p.name) for p in subjects.participants(topic))

    def operation(topic, f):
        scan = f.scan.data
        outcomes.record_paper_signature(
            current_user, topic, _current_outcome(topic), subjects.get(topic, f.participant.data),
            filename=getattr(scan, "filename", ""), data=scan.read() if scan else b"")

    return _act(topic_id, "paper", form, operation, _l("The paper signature is recorded."))


@bp.route("/topics/<int:topic_id>/outcome/witness-required", methods=["POST"])
@login_required
def witness_required(topic_id):
    return _act(topic_id, "witness_required", forms.WitnessRequiredForm(prefix="wr"),
                lambda topic, f: outcomes.require_witness(current_user, topic,
                                                          _current_outcome(topic), f.required.data),
                _l("Saved."))


@bp.route("/topics/<int:topic_id>/outcome/witness", methods=["POST"])
@login_required
def witness(topic_id):
    form = _bound(topic_id, "witness")
    return _act(topic_id, "witness", form, lambda topic, f: outcomes.record_witness(
        current_user, topic, _current_outcome(topic), kind=f.kind.data, name=f.name.data),
        _l("The witness is recorded."))


@bp.route("/topics/<int:topic_id>/outcome/confirm", methods=["POST"])
@login_required
def confirm(topic_id):
    return _act(topic_id, "action", forms.ActionForm(),
                lambda topic, _f: outcomes.confirm(current_user, topic, _current_outcome(topic)),
                _l("The outcome is confirmed."))


@bp.route("/topics/<int:topic_id>/votes", methods=["POST"])
@login_required
def vote(topic_id):
    form = _bound(topic_id, "vote")

    def operation(topic, f):
        meeting = procedures.latest_meeting(topic) if f.with_meeting.data else None
        votes.record(current_user, topic, body=f.body.data, noticed_on=f.noticed_on.data,
                     held_on=f.held_on.data, eligible=f.eligible.data, present=f.present.data,
                     votes_for=f.votes_for.data, votes_against=f.votes_against.data,
                     votes_abstain=f.votes_abstain.data,
                     households_total=f.households_total.data,
                     households_represented=f.households_represented.data, meeting=meeting)

    return _act(topic_id, "vote", form, operation, _l("The vote is recorded."))


@bp.route("/topics/<int:topic_id>/archive.zip")
@login_required
def archive(topic_id):
    from flask import Response

    from core.consultation import archive as archives

    topic = _topic(topic_id)
    if not permissions.can(current_user, "topic.read", topics.area(topic)):
        abort(403)
    return Response(archives.build(topic), mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="topic-{topic.id}.zip"'})


@bp.route("/topics/<int:topic_id>/files/<int:attachment_id>")
@login_required
def attachment(topic_id, attachment_id):
    topic = _topic(topic_id)
    found = db.session.get(Attachment, attachment_id)
    if found is None or found.topic_id != topic.id:
        abort(404)
    return send_file(attachments.path_of(found), mimetype=found.content_type,
                     as_attachment=True, download_name=found.filename)


# ------------------------------------------------------------ implementation


#: The implementing step's occasional forms, each on a page of its own: the view it
#: posts to, its heading, and what it is for.
_IMPLEMENTING_PAGES = {
    "task": ("topics.add_task", _l("Add a task"),
             _l("A task names who is responsible and by when; its progress is published "
                "on the topic page as it goes.")),
    "explain": ("topics.explanation", _l("Explain to someone who disagreed"),
                _l("Record how the outcome was explained to someone whose opinion it did "
                   "not follow; the explanation shows in the topic's implementation "
                   "section.")),
}


def _implementing_page(topic, key, form, status=200):
    """The page of one of the implementing step's forms."""
    endpoint, heading, intro = _IMPLEMENTING_PAGES[key]
    return render_template("topics/form_page.html", topic=topic, form=form, heading=heading,
                           intro=intro, action=url_for(endpoint, topic_id=topic.id)), status


def _implementing_form(topic_id, key):
    topic = _topic_run_by_me(topic_id, procedures.Phase.IMPLEMENT)
    return _implementing_page(topic, key, _topic_forms(topic)[key])


def _implementing(topic_id, key, form, operation, done):
    """Run ``operation(topic)`` from the page of ``key``; then the topic's implementation
    section, or the page again (400) with what was posted and the reason."""
    topic = _topic_run_by_me(topic_id)
    return _submit(form, lambda: operation(topic), done,
                   url_for("topics.show", topic_id=topic_id) + "#impl-h",
                   lambda: _implementing_page(topic, key, form, 400))


@bp.route("/topics/<int:topic_id>/tasks/new")
@login_required
def task_page(topic_id):
    return _implementing_form(topic_id, "task")


@bp.route("/topics/<int:topic_id>/tasks", methods=["POST"])
@login_required
def add_task(topic_id):
    form = forms.TaskForm(prefix="task")
    return _implementing(topic_id, "task", form, lambda topic: implementation.add_task(
        current_user, topic, title=form.title.data, responsible=form.responsible.data,
        deadline=form.deadline.data), _l("The task is added."))


@bp.route("/topics/<int:topic_id>/progress", methods=["POST"])
@login_required
def progress(topic_id):
    form = _bound(topic_id, "progress")

    def operation(topic, f):
        task = db.session.get(Task, f.task.data)
        if task is None:
            raise DomainError(_l("No such task on this topic."))
        implementation.report_progress(current_user, topic, task, text=f.text.data,
                                       progress=f.progress.data, done=f.done.data)

    return _act(topic_id, "progress", form, operation,
                _l("The progress is published on the disclosure board."))


@bp.route("/topics/<int:topic_id>/town-report", methods=["POST"])
@login_required
def town_report(topic_id):
    return _act(topic_id, "report", forms.TextForm(prefix="report"),
                lambda topic, f: implementation.report_to_town(current_user, topic, f.text.data),
                _l("The report is sent to the town."))


@bp.route("/topics/<int:topic_id>/town-report/<int:report_id>/respond", methods=["POST"])
@login_required
def town_respond(topic_id, report_id):
    def operation(topic, f):
        report = db.session.get(TownReport, report_id)
        if report is None:
            raise DomainError(_l("No such report on this topic."))
        implementation.respond(current_user, topic, report, response=f.response.data,
                               feedback=f.feedback.data)

    return _act(topic_id, "respond", forms.TownResponseForm(prefix="respond"), operation,
                _l("The town's feedback is recorded."))


@bp.route("/topics/<int:topic_id>/supervision", methods=["POST"])
@login_required
def supervision(topic_id):
    return _act(topic_id, "comment", forms.TextForm(prefix="comment"),
                lambda topic, f: implementation.comment(current_user, topic, f.text.data),
                _l("The comment is recorded."))


@bp.route("/topics/<int:topic_id>/explanations/new")
@login_required
def explanation_page(topic_id):
    return _implementing_form(topic_id, "explain")


@bp.route("/topics/<int:topic_id>/explanations", methods=["POST"])
@login_required
def explanation(topic_id):
    form = forms.ExplanationForm(prefix="explain")
    return _implementing(topic_id, "explain", form, lambda topic: implementation.explain(
        current_user, topic, person=form.person.data, concern=form.concern.data,
        explanation=form.explanation.data), _l("The explanation is recorded."))


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
    forms_at = topics.meeting_forms_at(db.session.get(Jurisdiction, topic.jurisdiction_id))
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
    topic = _topic(topic_id)
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
    return _submit(form, lambda: operation(topic, found, form), done,
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


# ------------------------------------------------------------------ dashboard


@bp.route("/dashboard")
@login_required
def dashboard_page():
    if not permissions.can(current_user, "topic.read"):
        abort(403)
    form = forms.DashboardFilterForm(request.args)
    form.status.choices = options([("", "—"), *list(TopicStatus.labels().items())])
    root = None
    if form.validate() and form.code.data:
        try:
            root = tree.by_code(form.code.data.strip())
        except NotFound:
            abort(404)
        permissions.require(current_user, "topic.read", root)
    per_page = current_app.config["XS_PAGE_SIZE"]
    data = dashboard.summary(
        current_user, root, status=form.status.data or None, item=form.item.data or None,
        overdue=request.args.get("overdue") == "1", mine=request.args.get("mine") == "1",
        page_number=page_number(), per_page=per_page)
    # Each label translated once for the page, not once a row.
    step_titles = {(key, step.key): str(step.title)
                   for key, procedure in data["procedures"].items() for step in procedure.steps}
    statuses = {key: str(label) for key, label in TopicStatus.labels().items()}
    return render_template("topics/dashboard.html", form=form, root=root, per_page=per_page,
                           step_titles=step_titles, statuses=statuses, **data)


@bp.route("/my/topics")
@login_required
def my_topics():
    rows, total = dashboard.my_proposals(current_user, page_number=page_number(),
                                         per_page=current_app.config["XS_PAGE_SIZE"])
    return render_template("topics/mine.html", rows=rows, total=total,
                           per_page=current_app.config["XS_PAGE_SIZE"])
