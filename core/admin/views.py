"""Administration: the jurisdiction tree, plugins, accounts and roles, the register, audit."""

import io

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.admin.forms import (
    GrantRoleForm,
    ImportForm,
    JurisdictionForm,
    OrganisationForm,
    PasswordResetForm,
    PersonForm,
    RenameForm,
    SettingsForm,
    UserEditForm,
    UserForm,
)
from core.consultation import topics
from core.kernel import audit, notifications, permissions
from core.kernel.actions import EmptyForm
from core.kernel.errors import DomainError, NotFound
from core.kernel.extensions import db
from core.kernel.options import options
from core.kernel.plugins import registry
from core.kernel.web import page_number
from core.models import DeputyRole, Role
from core.people import accounts, register
from core.places import plugin_settings, settings, tree

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.before_request
@login_required
def staff_only():
    if not permissions.can(current_user, "admin.enter"):
        abort(403)


def _node(code, action):
    """The node with ``code``, after checking the current user may do ``action`` there."""
    try:
        node = tree.by_code(code)
    except NotFound:
        abort(404)
    permissions.require(current_user, action, node)
    return node


def _per_page():
    return current_app.config["XS_PAGE_SIZE"]


@bp.route("/")
def home():
    return render_template("admin/home.html", homes=permissions.home_jurisdictions(current_user),
                           failures=registry().failures)


# ------------------------------------------------------------ jurisdictions


@bp.route("/jurisdictions/")
def jurisdictions():
    code = request.args.get("code")
    search = request.args.get("q", "").strip()[:100]
    node = _node(code, "jurisdiction.manage") if code else None
    if node is None and not permissions.is_platform_admin(current_user):
        homes = [home for home in permissions.home_jurisdictions(current_user)
                 if permissions.can(current_user, "jurisdiction.manage", home)]
        if not homes:
            abort(403)
        return redirect(url_for("admin.jurisdictions", code=homes[0].code))
    rows, total = tree.children_page(node, page_number=page_number(), per_page=_per_page(),
                                     search=search)
    return render_template(
        "admin/jurisdictions.html", node=node, rows=rows, total=total, per_page=_per_page(),
        search=search, ancestors=tree.ancestors(node) if node else [],
        rename_form=RenameForm(obj=node) if node else None,
    )


@bp.route("/jurisdictions/new", methods=["GET", "POST"])
def new_jurisdiction():
    code = request.args.get("parent")
    parent = _node(code, "jurisdiction.manage") if code else None
    if parent is None and not permissions.is_platform_admin(current_user):
        abort(403)
    form = JurisdictionForm(parent=parent)
    if form.validate_on_submit():
        try:
            node = tree.create(current_user, code=form.code.data, name=form.name.data,
                               level=form.level.data, parent=parent)
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            flash(_l("%(name)s has been added.", name=node.name), "success")
            return redirect(url_for("admin.jurisdictions", code=parent.code if parent else None))
    return render_template("admin/jurisdiction_new.html", form=form, parent=parent)


@bp.route("/jurisdictions/<code>/rename", methods=["POST"])
def rename_jurisdiction(code):
    node = _node(code, "jurisdiction.manage")
    form = RenameForm()
    if form.validate_on_submit():
        try:
            tree.rename(current_user, node, form.name.data)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_l("Saved."), "success")
    else:
        flash(_l("The name must be 1 to 100 characters."), "error")
    return redirect(url_for("admin.jurisdictions", code=code))


@bp.route("/jurisdictions/import", methods=["GET", "POST"])
def import_jurisdictions():
    if not permissions.is_platform_admin(current_user):
        abort(403)
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        raw = form.file.data.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.file.errors.append(_l("The file must be UTF-8 text."))
        else:
            try:
                result = tree.import_csv(io.StringIO(text), current_user)
            except DomainError as error:
                form.file.errors.append(error.message)
            else:
                if result.ok:
                    flash(_l("Imported %(created)s nodes; %(unchanged)s were already stored.",
                             created=result.created, unchanged=result.unchanged), "success")
                    return redirect(url_for("admin.jurisdictions"))
    return render_template("admin/jurisdiction_import.html", form=form, result=result)


# ------------------------------------------------------------------ plugins


@bp.route("/plugins")
def plugins():
    if not permissions.can(current_user, "plugin.manage"):
        abort(403)
    return render_template("admin/plugins.html", plugins=registry().all_info(),
                           failures=registry().failures,
                           where=plugin_settings.where_enabled())


@bp.route("/jurisdictions/<code>/plugins", methods=["GET", "POST"])
def jurisdiction_plugins(code):
    node = _node(code, "plugin.manage")
    form = EmptyForm()
    if form.validate_on_submit():
        name = request.form.get("plugin", "")
        state = request.form.get("state", "")
        try:
            plugin_settings.set_state(current_user, name, node, state)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_l("Saved."), "success")
        return redirect(url_for("admin.jurisdiction_plugins", code=code))
    return render_template("admin/jurisdiction_plugins.html", node=node, form=form,
                           states=plugin_settings.states(node),
                           infos={info.name: info for info in registry().all_info()})


@bp.route("/jurisdictions/<code>/settings", methods=["GET", "POST"])
def jurisdiction_settings(code):
    node = _node(code, "settings.manage")
    available = topics.procedures_at(node)
    form = SettingsForm()
    form.procedure.choices = options([("", _l("as above"))] + [
        (key, procedure.title) for key, procedure in available.items()])
    if request.method == "GET":
        for key in settings.KNOWN:
            own = settings.own(node, key)
            getattr(form, key).data = "" if own is None else str(own)
    status = 200
    if form.validate_on_submit():
        try:
            for key in settings.KNOWN:
                value = (getattr(form, key).data or "").strip() or None
                own = settings.own(node, key)
                if value != (None if own is None else str(own)):
                    settings.put(current_user, node, key, value, commit=False)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
            status = 400
        else:
            flash(_l("Saved."), "success")
            return redirect(url_for("admin.jurisdiction_settings", code=code))
    elif request.method == "POST":
        status = 400
    effective = {key: settings.get(node, key) for key in settings.KNOWN}
    return render_template("admin/jurisdiction_settings.html", node=node, form=form,
                           effective=effective, procedures=available), status


# ------------------------------------------------------------------- users


def _user(user_id):
    try:
        user = accounts.get_user(user_id)
    except NotFound:
        abort(404)
    accounts.require_manageable(current_user, user)
    return user


@bp.route("/users/")
def users():
    search = request.args.get("q", "").strip()[:64]
    rows, total = accounts.users_page(current_user, page_number=page_number(),
                                      per_page=_per_page(), search=search)
    return render_template("admin/users.html", rows=rows, total=total, per_page=_per_page(),
                           search=search)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    if not permissions.can(current_user, "user.manage"):
        abort(403)
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(current_user, username=form.username.data,
                                        display_name=form.display_name.data,
                                        password=form.password.data)
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            flash(_l("The account %(name)s has been created.", name=user.username), "success")
            return redirect(url_for("admin.user", user_id=user.id))
    return render_template("admin/user_new.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id):
    account = _user(user_id)
    edit_form = UserEditForm(obj=account, prefix="edit")
    reset_form = PasswordResetForm(prefix="reset")
    grantable = [role for role in Role.ALL
                 if role not in permissions.RESERVED_ROLES
                 or permissions.is_platform_admin(current_user)]
    grant_form = GrantRoleForm(roles=grantable, prefix="grant")
    try:
        if edit_form.submit.data and edit_form.validate_on_submit():
            accounts.update_user(current_user, account, display_name=edit_form.display_name.data,
                                 active=edit_form.active.data, email=edit_form.email.data)
            flash(_l("Saved."), "success")
            return redirect(url_for("admin.user", user_id=user_id))
        if reset_form.reset.data and reset_form.validate_on_submit():
            accounts.reset_password(current_user, account, reset_form.password.data)
            flash(_l("The password has been set."), "success")
            return redirect(url_for("admin.user", user_id=user_id))
        if grant_form.grant.data and grant_form.validate_on_submit():
            code = (grant_form.jurisdiction_code.data or "").strip()
            node = tree.by_code(code) if code else None
            accounts.grant_role(current_user, account, grant_form.role.data, node)
            flash(_l("The role has been granted."), "success")
            return redirect(url_for("admin.user", user_id=user_id))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    return render_template("admin/user.html", account=account, edit_form=edit_form,
                           reset_form=reset_form, grant_form=grant_form,
                           revoke_form=EmptyForm(prefix="revoke"),
                           roles=accounts.roles_of(account))


@bp.route("/users/<int:user_id>/roles/<int:assignment_id>/revoke", methods=["POST"])
def revoke_role(user_id, assignment_id):
    account = _user(user_id)
    try:
        assignment = accounts.assignment_of(account, assignment_id)
    except NotFound:
        abort(404)
    if EmptyForm(prefix="revoke").validate_on_submit():
        try:
            accounts.revoke_role(current_user, assignment)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_l("The role has been revoked."), "success")
    return redirect(url_for("admin.user", user_id=user_id))


# ---------------------------------------------------------------- register


@bp.route("/jurisdictions/<code>/people", methods=["GET", "POST"])
def people(code):
    village = _node(code, "register.read")
    form = PersonForm()
    if request.method == "POST":
        permissions.require(current_user, "register.manage", village)
        if form.validate_on_submit():
            try:
                sub_code = (form.sub_unit_code.data or "").strip()
                sub_unit = tree.by_code(sub_code) if sub_code else None
                register.add_person(
                    current_user, village, name=form.name.data, phone=form.phone.data,
                    sub_unit=sub_unit, registered=form.registered.data,
                    collective_member=form.collective_member.data,
                    shareholder=form.shareholder.data, party_member=form.party_member.data,
                    deputy_roles=[role for role in DeputyRole.ALL if form[role].data],
                    needs_offline=form.needs_offline.data,
                )
            except DomainError as error:
                form.form_errors.append(error.message)
            else:
                flash(_l("Saved."), "success")
                return redirect(url_for("admin.people", code=code))
    search = request.args.get("q", "").strip()[:100]
    try:
        rows, total = register.people_page(current_user, village, page_number=page_number(),
                                           per_page=_per_page(), search=search)
    except DomainError:
        rows, total = [], 0
    return render_template("admin/people.html", node=village, form=form, rows=rows, total=total,
                           per_page=_per_page(), search=search,
                           deputy_labels=DeputyRole.labels())


@bp.route("/jurisdictions/<code>/organisations", methods=["GET", "POST"])
def organisations(code):
    node = _node(code, "register.read")
    form = OrganisationForm()
    if request.method == "POST":
        permissions.require(current_user, "register.manage", node)
        if form.validate_on_submit():
            try:
                register.add_organisation(current_user, node, name=form.name.data,
                                          kind=form.kind.data)
            except DomainError as error:
                form.form_errors.append(error.message)
            else:
                flash(_l("Saved."), "success")
                return redirect(url_for("admin.organisations", code=code))
    rows, total = register.organisations_page(current_user, node, page_number=page_number(),
                                              per_page=_per_page())
    return render_template("admin/organisations.html", node=node, form=form, rows=rows,
                           total=total, per_page=_per_page())


# ------------------------------------------------------------------- outbox


@bp.route("/outbox")
def outbox():
    """Queued, sent and failed notifications: the deployment's, so platform administrators
    only (messages name residents' addresses across every town)."""

    if not permissions.is_platform_admin(current_user):
        abort(403)
    status = request.args.get("status") if request.args.get("status") in (
        "pending", "sent", "failed") else None
    rows, total = notifications.outbox_page(status, page_number=page_number(),
                                            per_page=_per_page())
    return render_template("admin/outbox.html", rows=rows, total=total, per_page=_per_page(),
                           status=status)


# ------------------------------------------------------------------- audit


@bp.route("/audit")
def audit_log():
    if not permissions.can(current_user, "audit.read"):
        abort(403)
    code = request.args.get("code")
    node = _node(code, "audit.read") if code else None
    rows, total = audit.page(current_user, jurisdiction=node, page_number=page_number(),
                             per_page=_per_page())
    return render_template("admin/audit.html", rows=rows, total=total, per_page=_per_page(),
                           node=node)
