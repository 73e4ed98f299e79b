"""Running a form's action the same way on every page: the form is checked (its CSRF
token included), the service is called, a refusal is shown on the form in the user's
language and undoes whatever was written; success is flashed and redirected."""

from flask import flash, redirect
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField

from core.kernel.errors import DomainError
from core.kernel.extensions import db


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change state."""

    submit = SubmitField(_l("Confirm"))


def attempt(form, operation, *, show_refusals=True):
    """Run ``operation()`` if ``form`` validates; return ``(True, result)``, or
    ``(False, None)`` with the reason added to ``form.form_errors``.

    :param show_refusals: also show a refused permission (403) or a missing record (404) on
        the form; when false, those propagate to their own error page and only the 400s a
        person can put right are shown on the form.
    """
    if form.validate_on_submit():
        try:
            return True, operation()
        except DomainError as error:
            db.session.rollback()
            if not show_refusals and error.status != 400:
                raise
            form.form_errors.append(error.message)
    elif not form.errors:
        form.form_errors.append(_l("The form could not be read; try again."))
    return False, None


def form_action(form, operation, done, success_url, show_again, *, show_refusals=True):
    """Run ``operation()`` from a posted ``form`` and redirect to ``success_url`` (or to
    ``success_url(result)`` when it is callable) with ``done`` flashed; otherwise, or when
    the service refuses, return ``show_again()``: the page again, with the reason on the
    form and what was typed kept. Services write the audit log; nothing is written when
    they refuse.

    :param form: a Flask-WTF form (its CSRF token is checked).
    :param operation: a callable taking no arguments that calls the service.
    :param done: the message flashed on success (a lazy text).
    :param success_url: a URL, or a callable given the operation's result.
    :param show_again: a callable returning the response that shows the form again.
    :param show_refusals: see :func:`attempt`.
    """
    ok, result = attempt(form, operation, show_refusals=show_refusals)
    if ok:
        flash(done, "success")
        return redirect(success_url(result) if callable(success_url) else success_url)
    return show_again()
