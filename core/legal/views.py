"""Legal advisers' pages: the review queue, a review with its versions and threads,
requests from the topic page, witness, the "四个一" service log and its compliance."""

from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from core.consultation import outcomes, topics
from core.consultation.forms import ActionForm, CheckboxList
from core.consultation.views import readable_topic
from core.consultation.views.topic_page import topic_page
from core.kernel import permissions
from core.kernel.actions import attempt, form_action
from core.kernel.errors import DomainError, NotFound
from core.kernel.options import options
from core.kernel.web import page_number
from core.legal import advisers, opinions, service_record
from core.legal import reviews as legal
from core.models import (
    LegalOpinion,
    ReviewStatus,
    ReviewSubject,
    ServiceKind,
)
from core.models.types import local_today, within_calendar
from core.places import tree

bp = Blueprint("legal", __name__, url_prefix="/legal", template_folder="templates")


# --------------------------------------------------------------------- forms


class TopicReviewForm(FlaskForm):
    subject = SelectField(_l("Review"), choices=[])
    due_on = DateField(_l("Answer by"), validators=[Optional()])
    note = TextAreaField(_l("Note for the adviser"), validators=[Length(max=2000)],
                         render_kw={"rows": 2})
    submit = SubmitField(_l("Ask for legal review"))


class DocumentReviewForm(FlaskForm):
    village = SelectField(_l("Village or community"), choices=[])
    subject = SelectField(_l("Document"), choices=[])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    text = TextAreaField(_l("Draft"), validators=[DataRequired(), Length(max=legal.MAX_TEXT)],
                         render_kw={"rows": 12})
    due_on = DateField(_l("Answer by"), validators=[Optional()])
    note = TextAreaField(_l("Note for the adviser"), validators=[Length(max=2000)],
                         render_kw={"rows": 2})
    submit = SubmitField(_l("Ask for legal review"))


class OpinionForm(FlaskForm):
    version = SelectField(_l("On version"), choices=[], coerce=int)
    opinion = SelectField(_l("Opinion"), choices=[])
    reasoning = TextAreaField(_l("Reasoning"), validators=[DataRequired(), Length(max=10_000)],
                              render_kw={"rows": 5})
    provisions = TextAreaField(_l("Provisions cited"), validators=[Length(max=2000)],
                               render_kw={"rows": 2},
                               description=_l("e.g. 《村民委员会组织法》第二十四条"))
    submit = SubmitField(_l("Give the opinion"))


class ReplyForm(FlaskForm):
    text = TextAreaField(_l("Reply"), validators=[DataRequired(), Length(max=10_000)],
                         render_kw={"rows": 2})
    submit = SubmitField(_l("Reply"))


class VersionForm(FlaskForm):
    text = TextAreaField(_l("Revised draft"), validators=[Length(max=legal.MAX_TEXT)],
                         render_kw={"rows": 10})
    note = TextAreaField(_l("What changed"), validators=[Length(max=2000)],
                         render_kw={"rows": 2})
    answers = CheckboxList(_l("This version answers"), choices=[], coerce=int)
    due_on = DateField(_l("Answer by"), validators=[Optional()])
    submit = SubmitField(_l("Submit the new version"))


class OverrideForm(FlaskForm):
    reason = TextAreaField(_l("The town's reason"), validators=[DataRequired(),
                                                               Length(min=10, max=2000)],
                           render_kw={"rows": 3})
    submit = SubmitField(_l("Override and let the outcome be confirmed"))


class ActivityForm(FlaskForm):
    village = SelectField(_l("Village or community"), choices=[])
    kind = SelectField(_l("Service"), choices=[])
    on = DateField(_l("Date"), validators=[DataRequired()])
    hours = DecimalField(_l("Hours"), places=1, validators=[Optional()],
                         description=_l("On-site days count when they last 8 hours or more."))
    note = StringField(_l("Note"), validators=[Length(max=500)])
    submit = SubmitField(_l("Record"))


def topic_review_form():
    form = TopicReviewForm(prefix="legal")
    labels = ReviewSubject.labels()
    form.subject.choices = options((key, labels[key]) for key in ReviewSubject.ON_TOPIC)
    return form


# ------------------------------------------------------------------- helpers


def _act(form, operation, done, success_url, show_again):
    """A legal page's form action: a refused permission is its own error page here."""
    return form_action(form, operation, done, success_url, show_again, show_refusals=False)


def _review(review_id):
    try:
        review = legal.get(review_id)
        legal.require_read(current_user, review)
    except NotFound:
        abort(404)
    return review


def _village_choice(field, action):
    field.choices = options([(node.code, node.name)
                             for node in tree.villages_where(current_user, action)])


def _chosen_village(code):
    try:
        return tree.by_code(code or "")
    except NotFound:
        return None


# --------------------------------------------------------------------- queue


@bp.route("/")
@login_required
def queue():
    if not permissions.can(current_user, "legal.read"):
        abort(403)
    status = request.args.get("status", "")
    rows, total = legal.queue(current_user, status=status, page_number=page_number())
    return render_template("legal/queue.html", rows=rows, total=total, status=status,
                           today=local_today(), statuses=ReviewStatus.labels(),
                           can_request=permissions.can(current_user, "legal.request"),
                           can_log=permissions.can(current_user, "legal.log"))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_document():
    if not permissions.can(current_user, "legal.request"):
        abort(403)
    form = DocumentReviewForm()
    _village_choice(form.village, "legal.request")
    form.subject.choices = options(
        (key, ReviewSubject.labels()[key]) for key in ReviewSubject.DOCUMENTS)
    if request.method == "GET":
        form.village.data = request.args.get("j")
        return render_template("legal/new.html", form=form)
    made, review = attempt(form, show_refusals=False, operation=lambda: legal.request_review(
        current_user, subject=form.subject.data, village=_chosen_village(form.village.data),
        title=form.title.data, text=form.text.data, note=form.note.data,
        due_on=form.due_on.data))
    if made:
        flash(_l("The draft is sent to the legal adviser."), "success")
        return redirect(url_for("legal.show", review_id=review.id))
    return render_template("legal/new.html", form=form), 400


# ------------------------------------------------------------ from the topic


def _topic(topic_id):
    return readable_topic(topic_id, refused=404)  # an adviser elsewhere learns nothing


def _back_to_topic(topic_id, key, form, operation, done):
    topic = _topic(topic_id)
    return _act(form, lambda: operation(topic), done,
                   url_for("topics.show", topic_id=topic.id) + "#legal-h",
                   lambda: topic_page(topics.get(topic_id), 400, **{key: form}))


@bp.route("/topics/<int:topic_id>/request", methods=["GET", "POST"])
@login_required
def request_on_topic(topic_id):
    """Asking the village's legal adviser to review the topic or its draft outcome, on a
    page of its own that shows the reviews asked for so far."""
    topic = _topic(topic_id)
    if not permissions.can_manage_topic(current_user, topic):
        abort(403)
    form = topic_review_form()

    def page(status=200):
        return render_template(
            "legal/request.html", topic=topic, form=form,
            reviews=opinions.reviews_readable_by(current_user, topic) or [],
            subjects=ReviewSubject.labels(),
            statuses=ReviewStatus.labels(), opinions=LegalOpinion.labels()), status

    if request.method == "GET":
        return page()
    return _act(form, lambda: legal.request_review(
        current_user, subject=form.subject.data, topic=topic, note=form.note.data,
        due_on=form.due_on.data), _l("The legal adviser is asked to review it."),
        url_for("topics.show", topic_id=topic.id) + "#legal-h", lambda: page(400))


@bp.route("/topics/<int:topic_id>/witness", methods=["POST"])
@login_required
def witness(topic_id):
    form = ActionForm()
    return _back_to_topic(
        topic_id, "action", form,
        lambda topic: outcomes.witness_as_adviser(current_user, topic, outcomes.current(topic)),
        _l("Your witness is recorded."))


# -------------------------------------------------------------- one review


def _review_forms(review, versions):
    latest = versions[-1] if versions else None
    opinion = OpinionForm(prefix="opinion")
    opinion.version.choices = options([(v.id, _l("Version %(n)s", n=v.number)) for v in versions])
    opinion.opinion.choices = options(LegalOpinion.labels().items())
    if latest is not None and not opinion.is_submitted():
        opinion.version.data = latest.id
    version = VersionForm(prefix="version")
    version.answers.choices = options(
        (comment.id, f"#{comment.id} {comment.opinion_label} · {comment.reasoning[:60]}")
        for comment in legal.answerable(review))
    if latest is not None and not version.is_submitted():
        version.text.data = latest.text
    return {"opinion": opinion, "version": version, "action": ActionForm()}


def _show(review, status=200, **failed):
    versions = legal.versions(review)
    forms = _review_forms(review, versions)
    forms.update(failed)
    topic = legal.topic_of(review)
    village = legal.village_of(review)
    threads = legal.threads_by_version(review)
    return render_template(
        "legal/show.html", review=review, village=village, topic=topic, versions=versions,
        threads=threads, forms=forms, failed=failed,
        adviser=advisers.adviser_of(village), today=local_today(),
        can_review=permissions.can(current_user, "legal.review", village),
        can_organise=legal.can_organise(current_user, review),
        can_override=permissions.can(current_user, "legal.override", village),
        blocks=bool(topic) and opinions.blocks_confirmation(topic),
        reply_form=lambda comment_id: failed.get(f"r{comment_id}") or ReplyForm(
            prefix=f"r{comment_id}", formdata=None),
        override_form=lambda comment_id: failed.get(f"o{comment_id}") or OverrideForm(
            prefix=f"o{comment_id}", formdata=None),
        LegalOpinion=LegalOpinion,
    ), status


@bp.route("/reviews/<int:review_id>")
@login_required
def show(review_id):
    return _show(_review(review_id))


def _on_review(review, key, form, operation, done):
    return _act(form, lambda: operation(review), done,
                   url_for("legal.show", review_id=review.id),
                   lambda: _show(legal.get(review.id), 400, **{key: form}))


@bp.route("/reviews/<int:review_id>/opinion", methods=["POST"])
@login_required
def opinion(review_id):
    review = _review(review_id)
    form = _review_forms(review, legal.versions(review))["opinion"]
    return _on_review(review, "opinion", form,
                      lambda r: legal.give_opinion(current_user, r, version_id=form.version.data,
                                                   opinion=form.opinion.data,
                                                   reasoning=form.reasoning.data,
                                                   provisions=form.provisions.data),
                      _l("Your opinion is recorded."))


@bp.route("/reviews/<int:review_id>/reply/<int:comment_id>", methods=["POST"])
@login_required
def reply(review_id, comment_id):
    form = ReplyForm(prefix=f"r{comment_id}")
    return _on_review(_review(review_id), f"r{comment_id}", form,
                      lambda r: legal.reply(current_user, r, parent_id=comment_id,
                                            text=form.text.data),
                      _l("Your reply is recorded."))


@bp.route("/reviews/<int:review_id>/versions", methods=["POST"])
@login_required
def new_version(review_id):
    review = _review(review_id)
    form = _review_forms(review, legal.versions(review))["version"]
    return _on_review(review, "version", form,
                      lambda r: legal.add_version(current_user, r, text=form.text.data,
                                                  note=form.note.data,
                                                  answers=form.answers.data or (),
                                                  due_on=form.due_on.data),
                      _l("The new version is sent to the legal adviser."))


@bp.route("/reviews/<int:review_id>/close", methods=["POST"])
@login_required
def close(review_id):
    return _on_review(_review(review_id), "action", ActionForm(),
                      lambda r: legal.close(current_user, r), _l("The review is closed."))


@bp.route("/reviews/<int:review_id>/override/<int:comment_id>", methods=["POST"])
@login_required
def override(review_id, comment_id):
    form = OverrideForm(prefix=f"o{comment_id}")
    review = _review(review_id)
    if legal.get_comment(comment_id, review) is None:
        abort(404)
    return _on_review(_review(review_id), f"o{comment_id}", form,
                      lambda r: opinions.override(current_user, comment_id,
                                               reason=form.reason.data),
                      _l("The override is recorded."))


# ------------------------------------------------- the "四个一" service record


@bp.route("/service", methods=["GET", "POST"])
@login_required
def service():
    if not permissions.can(current_user, "legal.log"):
        abort(403)
    form = ActivityForm()
    _village_choice(form.village, "legal.log")
    form.kind.choices = options(ServiceKind.labels().items())
    status = 200
    if request.method == "POST":
        if attempt(form, show_refusals=False, operation=lambda: service_record.log_activity(
                current_user, _chosen_village(form.village.data), kind=form.kind.data,
                on=form.on.data, hours=form.hours.data, note=form.note.data))[0]:
            flash(_l("Recorded."), "success")
            return redirect(url_for("legal.service"))
        status = 400
    elif not form.on.data:
        form.on.data = local_today()
    rows, total = service_record.activities(current_user, page_number=page_number())
    return render_template("legal/service.html", form=form, rows=rows, total=total,
                           villages=tree.villages_where(current_user, "legal.log")), status


def _period(args):
    today = local_today()
    try:
        start = date.fromisoformat(args.get("from") or today.replace(month=1, day=1).isoformat())
        end = date.fromisoformat(args.get("to") or (today - timedelta(days=1)).isoformat())
    except ValueError:
        return None, None
    if not (within_calendar(start) and within_calendar(end)):
        return None, None
    return start, end


@bp.route("/compliance/<code>")
@login_required
def compliance(code):
    try:
        node = tree.by_code(code)
    except NotFound:
        abort(404)
    oversee = permissions.can(current_user, "legal.oversee", node)
    if not oversee and not permissions.can(current_user, "legal.log"):
        abort(403)
    start, end = _period(request.args)
    error, rows, total = None, [], 0
    if start is None:
        error = _l("Dates are written YYYY-MM-DD, between 1900 and 2199.")
    else:
        try:
            rows, total = service_record.compliance(node, start, end,
                                           adviser=None if oversee else current_user,
                                           page_number=page_number())
        except DomainError as refused:
            error = refused.message
    return render_template("legal/compliance.html", node=node, rows=rows, total=total,
                           start=start, end=end, error=error, kinds=ServiceKind.labels(),
                           without=advisers.villages_without_adviser(node) if oversee else [],
                           oversee=oversee), 400 if error else 200
