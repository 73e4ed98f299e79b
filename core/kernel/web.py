"""The web kernel: error pages, security headers, sessions, template helpers."""

import hmac
import json
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import g, jsonify, render_template, request, session
from flask_babel import format_datetime, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import bindparam, select
from sqlalchemy.exc import InterfaceError, OperationalError

from core.kernel import permissions, widgets
from core.kernel.errors import DomainError
from core.kernel.extensions import db, login_manager
from core.models import Jurisdiction, Level, Role, User

#: Sent with every response. No inline script or style is used anywhere, so
#: the policy needs no 'unsafe-inline'.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

ERRORS = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Forbidden"), _l("You do not have permission to see this page.")),
    404: (_l("Not found"), _l("There is no page at this address.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("Too large"), _l("What you sent is larger than the site accepts.")),
    429: (_l("Too many requests"), _l("Please wait a little and try again.")),
    500: (_l("Server error"), _l("Something went wrong on our side. It has been logged.")),
}


def render_error(status, message=None):
    if status >= 500:
        db.session.rollback()
    title, default_message = ERRORS.get(status, ERRORS[500])
    if request.path.startswith("/api/"):

        return jsonify({"error": str(message or default_message)}), status
    return (
        render_template("errors/error.html", status=status, title=title,
                        message=message or default_message),
        status,
    )


_ACTIVE_USER = select(User).where(User.id == bindparam("user_id"), User.active.is_(True))


@login_manager.user_loader
def _load_user(session_id):
    """The account a session names, if the session is still its current one (the token
    changes on logout and on a password change, ending every older session)."""
    user_id, _colon, token = str(session_id).partition(":")
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    if not -2**31 <= user_id < 2**31:  # not an id a column holds
        return None
    user = db.session.scalar(_ACTIVE_USER, {"user_id": user_id})
    if user is None or not user.session_token or not hmac.compare_digest(
            user.session_token, token):
        return None
    return user


def current_jurisdiction():
    """The jurisdiction chosen in the switcher, if any (and still existing)."""
    if "current_jurisdiction" not in g:
        code = session.get("jurisdiction")
        # None as well when it was removed since it was chosen.
        g.current_jurisdiction = (db.session.scalar(
            select(Jurisdiction).where(Jurisdiction.code == code)) if code else None)
    return g.current_jurisdiction


def safe_next(default):
    """The ``next`` argument if it is a path on this site, else ``default``.

    Browsers drop tabs and line breaks from a URL and read a backslash as a slash, so
    ``/\t/evil.example`` would leave the site as ``//evil.example``: any control character
    or backslash, a scheme, a host or a leading ``//`` sends the user to ``default``."""
    target = request.values.get("next", "")
    if (not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ord(character) < 32 or ord(character) == 127 for character in target)):
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target


def page_number():
    """The ``page`` query argument as a positive integer (1 for anything else)."""
    try:
        return max(1, min(int(request.args.get("page", 1)), 1_000_000))
    except ValueError:
        return 1


class LazyForms(dict):
    """A page's forms by name, each made (with any queries for its choices) only when the
    page shows it: a topic at its first step never builds the vote form, and a visitor
    who may not answer never gets the answer form (nor the CSRF token in a cookie that
    comes with making one)."""

    def __init__(self, factories):
        super().__init__()
        self._factories = factories

    def __missing__(self, key):
        form = self[key] = self._factories[key]()
        return form


def _localtime_in(zone):
    """The ``localtime`` filter for a deployment in ``zone``: a timestamp in a fixed numeric
    pattern, the same in every language, so long lists need not go through Babel row by
    row (the zone is the app's, so no row looks it up)."""
    def localtime(value, pattern="%Y-%m-%d %H:%M"):
        return "" if value is None else value.astimezone(zone).strftime(pattern)
    return localtime


def _isodate(value, pattern="yyyy-MM-dd HH:mm"):
    """Format an ISO timestamp kept in a snapshot, in the deployment's time zone."""

    if not value:
        return ""
    try:
        return format_datetime(datetime.fromisoformat(value), pattern)
    except (TypeError, ValueError):
        return value


def init_app(app):

    widgets.install()

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.session_protection = "strong"

    @app.before_request
    def steady_anonymous_session():
        """Flask-Login's strong protection rewrites any session that carries no ``_id`` on
        every request; two requests at once (a page and its icon, two tabs) would then race
        to set the cookie and could drop the form's CSRF token. A visitor's session gets
        its ``_id`` once, and is left alone after that."""
        if session and "_id" not in session:
            session["_id"] = login_manager._session_identifier_generator()
        return None

    @app.before_request
    def refuse_nul_characters():
        """No text a person types contains NUL; PostgreSQL refuses it, so refuse it first."""
        if "\x00" in request.path or any(
                "\x00" in value for source in (request.args, request.form)
                for value in source.values()):
            return render_error(400, _l("The request contains characters that are not "
                                        "allowed."))
        return None

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.endpoint and not request.endpoint.endswith("static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _l("The form has expired or was not sent from this site. "
                                    "Reload the page and try again."))

    @app.errorhandler(DomainError)
    def domain_error(error):
        return render_error(error.status, error.message)

    for status in ERRORS:
        app.register_error_handler(status, lambda error, status=status: render_error(status))

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unreachable(error):
        """The database is down or unreachable: a clear 503 that needs no database."""

        app.logger.error("database unavailable: %s", type(error.orig).__name__)
        try:
            db.session.rollback()
        except Exception:  # the connection may be gone altogether
            db.session.remove()
        g._login_user = login_manager.anonymous_user()  # no account lookup
        message = gettext("The database cannot be reached just now. Please try again in a "
                          "moment.")
        headers = {"Retry-After": "30"}
        if request.path.startswith("/api/"):

            return jsonify({"error": message}), 503, headers
        return render_template("errors/unavailable.html", message=message), 503, headers

    app.jinja_env.globals.update(field=widgets.field, csrf_field=widgets.csrf_field,
                                 small_form=widgets.small_form, form_errors=widgets.form_errors,
                                 action_button=widgets.action_button)
    app.add_template_filter(lambda value: json.dumps(value, ensure_ascii=False), "json_text")
    app.add_template_filter(_isodate, "isodate")

    app.add_template_filter(_localtime_in(ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])),
                            "localtime")

    @app.context_processor
    def helpers():
        return {
            "can": lambda action, jurisdiction=None: permissions.can(
                current_user, action, jurisdiction),
            "current_jurisdiction": current_jurisdiction,
            "home_jurisdictions": lambda: permissions.home_jurisdictions(current_user),
            "level_label": Level.label,
            "role_label": Role.label,
        }
