"""The public disclosure board: entries with permanent URLs, filters, Atom feed,
verification, printable notices (HTML and PDF), and 回音壁 questions."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import escape
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from core.board import chain as disclosure
from core.board import entries as board_service
from core.board import printing, subscriptions
from core.consultation import topics
from core.implementation import tracking as implementation
from core.kernel import permissions
from core.kernel.errors import DomainError, NotFound
from core.kernel.extensions import db
from core.kernel.web import LazyForms, page_number
from core.models import EntryKind
from core.models.types import EARLIEST_DAY, LATEST_DAY
from core.places import tree

bp = Blueprint("board", __name__, url_prefix="/board", template_folder="templates")


class QuestionForm(FlaskForm):
    text = TextAreaField(_l("Your question"), validators=[DataRequired(), Length(max=2000)],
                         render_kw={"rows": 3})
    submit = SubmitField(_l("Ask"))


class AnswerForm(FlaskForm):
    text = TextAreaField(_l("Answer"), validators=[DataRequired(), Length(max=5000)],
                         render_kw={"rows": 3})
    submit = SubmitField(_l("Answer"))


class CorrectionForm(FlaskForm):
    reason = TextAreaField(_l("Reason for the correction"),
                           validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 2})
    text = TextAreaField(_l("Corrected text"), validators=[DataRequired(), Length(max=20_000)],
                         render_kw={"rows": 5})
    submit = SubmitField(_l("Publish correction"))


def _board(code):
    try:
        return tree.by_code(code)
    except NotFound:
        abort(404)


def _entry(node, seq):
    try:
        return board_service.entry(node, seq)
    except NotFound:
        abort(404)


def _day(text, end=False):
    """A yyyy-mm-dd filter value as the start (or end) of that local day, in UTC; or None."""
    try:
        day = date.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    day = min(max(day, EARLIEST_DAY), LATEST_DAY)  # a filter outside the calendar: its edge
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    moment = datetime.combine(day + timedelta(days=1) if end else day, time(), zone)
    return moment.astimezone(ZoneInfo("UTC"))


class _Names(dict):
    """Names looked up by key, as markup; a key without a name shows as itself."""

    def __missing__(self, key):
        return escape(key)


def _kinds():
    """Entry kinds and their names, translated and escaped once for a list (the board's
    rows are written without autoescaping)."""
    return _Names((kind, escape(str(label))) for kind, label in EntryKind.labels().items())


@bp.route("/<code>")
def index(code):
    node = _board(code)
    args = request.args
    kind = args.get("kind") if args.get("kind") in EntryKind.ALL else None
    unit = None
    if args.get("unit"):
        try:
            unit = tree.by_code(args["unit"])
        except NotFound:
            unit = None
    per_page = current_app.config["XS_PAGE_SIZE"]
    rows, total = board_service.entries_page(
        node, kind=kind, date_from=_day(args.get("from")), date_to=_day(args.get("to"), True),
        item=(args.get("item") or "").strip()[:80] or None, unit=unit,
        page_number=page_number(), per_page=per_page)

    ancestors, units = tree.lineage(node)
    return render_template(
        "board/index.html", node=node, rows=rows, total=total, per_page=per_page,
        subscribed=subscriptions.of(current_user, node),
        channel_options=subscriptions.options(current_user, node),
        kinds=_kinds(), catalogue=topics.catalogue_at(node),
        units=units, ancestors=ancestors)


@bp.route("/<code>/<int:seq>")
def entry(code, seq, status=200, **forms):
    node = _board(code)
    found = _entry(node, seq)
    corrected_by = board_service.corrections_of(found)
    original = board_service.original_of(found)
    page_forms = LazyForms({"question": lambda: QuestionForm(prefix="q"),
                            "answer": lambda: AnswerForm(prefix="a"),
                            "correction": lambda: CorrectionForm(prefix="c"),
                            "order": lambda: CorrectionForm(prefix="o")})
    page_forms.update(forms)
    return render_template(
        "board/entry.html", node=node, entry=found, payload=found.content.get("payload", {}),
        corrected_by=corrected_by, original=original,
        questions=board_service.questions(found, current_user),
        can_answer=permissions.can(current_user, "board.answer", node),
        can_correct=permissions.can(current_user, "board.correct", node),
        can_order=permissions.can(current_user, "board.order_correction", node),
        body_labels=board_service.body_labels(), forms=page_forms,
        permanent_url=url_for("board.entry", code=code, seq=seq, _external=True),
    ), status


def _entry_form(code, seq, key, form, operation, done):
    """Run ``operation()`` (which returns the entry to show next, or None for this one) if the
    form is valid; otherwise, or when the service refuses, show the entry with the reason."""
    if form.validate_on_submit():
        try:
            shown = operation()
        except DomainError as error:
            db.session.rollback()
            if error.status == 403:
                abort(403)
            form.form_errors.append(error.message)
        else:
            flash(done, "success")
            return redirect(url_for("board.entry", code=code,
                                    seq=shown.seq if shown is not None else seq))
    return entry(code, seq, status=400, **{key: form})


@bp.route("/<code>/<int:seq>/ask", methods=["POST"])
def ask(code, seq):
    found = _entry(_board(code), seq)
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=url_for("board.entry", code=code, seq=seq)))
    form = QuestionForm(prefix="q")

    def send():
        board_service.ask(current_user, found, form.text.data)  # back to this entry

    return _entry_form(code, seq, "question", form, send,
                       _l("Your question is sent; it becomes public with its answer."))


@bp.route("/<code>/<int:seq>/questions/<int:question_id>/answer", methods=["POST"])
def answer(code, seq, question_id):
    node = _board(code)
    found = _entry(node, seq)
    try:
        question = board_service.question_of(found, question_id)
    except NotFound:
        abort(404)
    if not permissions.can(current_user, "board.answer", node):
        abort(403)
    form = AnswerForm(prefix="a")
    return _entry_form(code, seq, "answer", form,
                       lambda: board_service.answer(current_user, question, form.text.data),
                       _l("The answer is published."))


def _correction(code, seq, action, key, prefix, publish):
    """Publish a correction of entry ``seq`` with ``publish(entry, reason, text)``; anyone
    without ``action`` on this board is refused before the form is read."""
    node = _board(code)
    found = _entry(node, seq)
    if not permissions.can(current_user, action, node):
        abort(403)
    form = CorrectionForm(prefix=prefix)
    return _entry_form(code, seq, key, form,
                       lambda: publish(found, form.reason.data, form.text.data),
                       _l("The correction is published."))


@bp.route("/<code>/<int:seq>/correct", methods=["POST"])
def correct(code, seq):
    return _correction(code, seq, "board.correct", "correction", "c",
                       lambda found, reason, text: board_service.correct(
                           current_user, found, reason=reason, text=text))


@bp.route("/<code>/<int:seq>/order-correction", methods=["POST"])
def order_correction(code, seq):
    """The town orders an unlawful result corrected."""

    return _correction(code, seq, "board.order_correction", "order", "o",
                       lambda found, reason, text: implementation.order_correction(
                           current_user, found, reason=reason, text=text))


@bp.route("/<code>/subscribe", methods=["POST"])
def subscribe(code):

    node = _board(code)
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=url_for("board.index", code=code)))
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            subscriptions.toggle(current_user, node, request.form.get("channel", ""))
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_l("Saved."), "success")
    return redirect(url_for("board.index", code=code))


@bp.route("/<code>/verify")
def verify(code):
    node = _board(code)
    result = disclosure.verify(node)
    return render_template("board/verify.html", node=node, result=result), (
        200 if result.ok else 409)


@bp.route("/<code>/verify.json")
def verify_json(code):
    """The same check as the verify page, for machines."""

    node = _board(code)
    result = disclosure.verify(node)
    body = {"board": node.code, "ok": result.ok, "checked": result.checked,
            "bad_seq": result.bad_seq, "reason": str(result.reason) if result.reason else None}
    return jsonify(body), 200 if result.ok else 409


@bp.route("/<code>/feed.atom")
def feed(code):
    node = _board(code)
    rows, _total = board_service.entries_page(node, per_page=50)
    body = render_template("board/feed.xml", node=node, rows=rows, kinds=_kinds(),
                           updated=rows[0].published_at if rows else None)
    return Response(body, mimetype="application/atom+xml")


@bp.route("/<code>/<int:seq>.pdf")
def pdf(code, seq):

    node = _board(code)
    found = _entry(node, seq)
    document = printing.notice_pdf(node, found, url_for("board.entry", code=code, seq=seq,
                                                        _external=True))
    return Response(document, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{code}-{seq}.pdf"'})
