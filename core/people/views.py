"""Logging in and out, changing one's password, personal API tokens."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from core.kernel.actions import EmptyForm
from core.kernel.errors import DomainError
from core.kernel.web import safe_next
from core.people import accounts, tokens
from core.people.accounts import LoginThrottled
from core.people.forms import LoginForm, PasswordChangeForm

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.username.data, form.password.data,
                                         request.remote_addr or "-")
        except LoginThrottled as error:
            form.form_errors.append(error.message)
            status = 429
        except DomainError as error:
            form.form_errors.append(error.message)
            status = 401
        else:
            language = session.get("lang")
            session.clear()  # a fresh session on login: no fixation
            if language:
                session["lang"] = language
            login_user(user)
            flash(_l("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(safe_next(url_for("admin.home")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            accounts.end_sessions(current_user)  # a copied cookie ends here too
        logout_user()
        session.clear()
        flash(_l("You have logged out."), "success")
    return redirect(url_for("public.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            accounts.change_own_password(current_user, current=form.current.data,
                                         new=form.new.data)
        except DomainError as error:
            form.current.errors.append(error.message)
        else:
            login_user(current_user._get_current_object())  # this session goes on
            flash(_l("Your password has been changed; other sessions have ended."),
                  "success")
            return redirect(url_for("admin.home"))
    return render_template("auth/password.html", form=form)


class TokenForm(FlaskForm):
    name = StringField(_l("What the token is for"), validators=[DataRequired(),
                                                               Length(max=100)])
    submit = SubmitField(_l("Make a token"))


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    """Personal tokens for the JSON API: made here, shown once, revoked here."""
    form = TokenForm()
    made, status = None, 200
    if form.validate_on_submit():
        try:
            _row, made = tokens.create(current_user, form.name.data)
        except DomainError as error:
            form.form_errors.append(error.message)
            status = 400
    elif request.method == "POST":
        status = 400
    return render_template("auth/tokens.html", form=form, made=made,
                           rows=tokens.active(current_user), revoke=EmptyForm()), status


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id):
    if EmptyForm().validate_on_submit():
        tokens.revoke(current_user, token_id)
        flash(_l("The token is revoked."), "success")
    return redirect(url_for("auth.api_tokens"))
