"""The committee's dashboard of topics, and a resident's own proposals."""

from flask import abort, current_app, render_template, request
from flask_login import current_user, login_required

from core.consultation import (
    dashboard,
    forms,
)
from core.consultation.views import (
    bp,
)
from core.kernel import permissions
from core.kernel.errors import NotFound
from core.kernel.options import options
from core.kernel.web import page_number
from core.models import TopicStatus
from core.places import tree

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
