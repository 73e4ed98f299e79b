"""Report pages: preview with charts, generate and save, saved reports as HTML, XLSX, PDF."""

from datetime import date, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from core.kernel import permissions
from core.kernel.errors import DomainError, NotFound
from core.kernel.extensions import db
from core.models.types import local_today
from core.places import tree
from core.reports import saved as reporting
from core.reports import sections as reports

bp = Blueprint("reports", __name__, url_prefix="/reports", template_folder="templates")


def _dates(args):
    today = local_today()
    try:
        start = date.fromisoformat(args.get("from") or (today - timedelta(days=365)).isoformat())
        end = date.fromisoformat(args.get("to") or today.isoformat())
    except ValueError:
        return None, None
    return start, end


def _root(code):
    try:
        node = tree.by_code(code)
    except NotFound:
        abort(404)
    if not permissions.can(current_user, "report.make", node):
        abort(403)
    return node


@bp.route("/<code>", methods=["GET", "POST"])
@login_required
def preview(code):
    node = _root(code)
    source = request.form if request.method == "POST" else request.args
    kind = source.get("kind") if source.get("kind") in reports.KINDS else "assessment"
    start, end = _dates(source)
    error, status = None, 200
    if request.method == "POST":

        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            abort(400)
        narrative = {key: request.form.get(f"narrative-{key}", "")
                     for key, _label in reports.KINDS[kind][1]}
        try:
            saved = reporting.generate(current_user, node, kind=kind, start=start, end=end,
                                       narrative=narrative)
        except DomainError as refused:
            db.session.rollback()
            error, status = refused.message, 400
        else:
            flash(_l("The report is saved."), "success")
            return redirect(url_for("reports.saved", report_id=saved.id))
    sections = []
    if start is not None and end is not None and start <= end:
        sections = reports.frozen_sections(
            reporting.sections(node, reporting.check_period(start, end)))
    elif error is None:
        error, status = _l("Give a period whose end is not before its start."), 400
    return render_template("reports/preview.html", node=node, kind=kind, kinds=reports.KINDS,
                           start=start, end=end, sections=sections, error=error,
                           chart=reports.bar_chart, saved=reporting.saved_for(node)), status


def _saved(report_id):
    try:
        return reporting.get(current_user, report_id)
    except NotFound:
        abort(404)


@bp.route("/saved/<int:report_id>")
@login_required
def saved(report_id):
    report = _saved(report_id)
    return render_template("reports/saved.html", report=report, content=report.content,
                           intact=reporting.verify(report), chart=reports.bar_chart)


@bp.route("/saved/<int:report_id>.xlsx")
@login_required
def saved_xlsx(report_id):
    report = _saved(report_id)
    return Response(reports.xlsx(report.content), headers={
        "Content-Disposition": f'attachment; filename="report-{report.id}.xlsx"'},
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.route("/saved/<int:report_id>.pdf")
@login_required
def saved_pdf(report_id):
    report = _saved(report_id)
    return Response(pdf(report), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="report-{report.id}.pdf"'})


def pdf(report):
    # Imported when a PDF is made: WeasyPrint takes about a second to import, and most
    # processes (every worker serving pages) never print one.
    from weasyprint import HTML

    html = render_template("reports/print.html", content=report.content, chart=reports.bar_chart)
    return HTML(string=html).write_pdf()


def html(report):
    return render_template("reports/print.html", content=report.content, chart=reports.bar_chart)
