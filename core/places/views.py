"""Public pages: the home page, jurisdiction pages, language and jurisdiction switching."""

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_login import current_user

from core.consultation.catalogue import SubjectRule
from core.kernel.errors import NotFound
from core.kernel.plugins import registry
from core.kernel.web import page_number, safe_next
from core.people import accounts
from core.places import tree

bp = Blueprint("public", __name__, template_folder="templates")


@bp.route("/")
def index():
    return render_template("public/index.html", roots=tree.roots())


def catalogue_at(jurisdiction):
    """The catalogue items in effect at ``jurisdiction``, from the plugins enabled there."""
    hooks = registry().hooks_for(jurisdiction)
    items = []
    for contributed in hooks.xs_register_catalogue_items(jurisdiction=jurisdiction):
        items.extend(contributed or ())
    return items


@bp.route("/j/<code>")
def jurisdiction(code):
    try:
        node = tree.by_code(code)
    except NotFound:
        abort(404)
    per_page = current_app.config["XS_PAGE_SIZE"]
    children, total = tree.children_page(node, page_number=page_number(), per_page=per_page)
    return render_template(
        "public/jurisdiction.html",
        node=node,
        ancestors=tree.ancestors(node),
        children=children,
        total=total,
        per_page=per_page,
        catalogue=catalogue_at(node),
        subject_rules=SubjectRule.labels(),
        plugins=sorted(registry().enabled_names(node)),
    )


@bp.route("/lang/<language>")
def switch_language(language):
    if language not in current_app.config["XS_LANGUAGES"]:
        abort(404)
    session["lang"] = language
    if current_user.is_authenticated:
        accounts.set_locale(current_user, language)
    return redirect(safe_next(url_for("public.index")))


@bp.route("/switch", methods=["POST"])
def switch_jurisdiction():
    code = request.form.get("code", "")
    try:
        tree.by_code(code)
    except NotFound:
        abort(404)
    session["jurisdiction"] = code
    return redirect(safe_next(url_for("public.jurisdiction", code=code)))


@bp.route("/favicon.ico")
def favicon():
    """The icon, as a file: browsers ask for it beside every first page, and it must not
    run the page machinery (which would write the visitor's session at the same time as
    the page, and could lose the form's CSRF token)."""

    return send_from_directory(current_app.static_folder, "favicon.svg",
                               mimetype="image/svg+xml", max_age=86400)
