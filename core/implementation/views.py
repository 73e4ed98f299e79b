"""Implementation pages: tasks, progress, reports to the town, supervision comments and
explanations to those who disagreed."""

from flask import Blueprint, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.consultation import (
    forms,
    procedures,
)
from core.consultation.views import (
    managed_topic,
)
from core.consultation.views.topic_page import act_on_topic, bound_form, topic_forms
from core.implementation import tracking as implementation
from core.kernel.actions import form_action

#: Its own pages and forms; the topic page shows the implementation section.
bp = Blueprint("implementation", __name__)


#: The implementing step's occasional forms, each on a page of its own: the view it
#: posts to, its heading, and what it is for.
_IMPLEMENTING_PAGES = {
    "task": ("implementation.add_task", _l("Add a task"),
             _l("A task names who is responsible and by when; its progress is published "
                "on the topic page as it goes.")),
    "explain": ("implementation.explanation", _l("Explain to someone who disagreed"),
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
    topic = managed_topic(topic_id, procedures.Phase.IMPLEMENT)
    return _implementing_page(topic, key, topic_forms(topic)[key])


def _implementing(topic_id, key, form, operation, done):
    """Run ``operation(topic)`` from the page of ``key``; then the topic's implementation
    section, or the page again (400) with what was posted and the reason."""
    topic = managed_topic(topic_id)
    return form_action(form, lambda: operation(topic), done,
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
    form = bound_form(topic_id, "progress")

    def operation(topic, f):
        task = implementation.task_of(topic, f.task.data)
        implementation.report_progress(current_user, topic, task, text=f.text.data,
                                       progress=f.progress.data, done=f.done.data)

    return act_on_topic(topic_id, "progress", form, operation,
                _l("The progress is published on the disclosure board."))


@bp.route("/topics/<int:topic_id>/town-report", methods=["POST"])
@login_required
def town_report(topic_id):
    return act_on_topic(topic_id, "report", forms.TextForm(prefix="report"),
                lambda topic, f: implementation.report_to_town(current_user, topic, f.text.data),
                _l("The report is sent to the town."))


@bp.route("/topics/<int:topic_id>/town-report/<int:report_id>/respond", methods=["POST"])
@login_required
def town_respond(topic_id, report_id):
    def operation(topic, f):
        report = implementation.report_of(topic, report_id)
        implementation.respond(current_user, topic, report, response=f.response.data,
                               feedback=f.feedback.data)

    return act_on_topic(topic_id, "respond", forms.TownResponseForm(prefix="respond"), operation,
                _l("The town's feedback is recorded."))


@bp.route("/topics/<int:topic_id>/supervision", methods=["POST"])
@login_required
def supervision(topic_id):
    return act_on_topic(topic_id, "comment", forms.TextForm(prefix="comment"),
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
