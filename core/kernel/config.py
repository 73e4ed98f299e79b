"""Settings: defaults here, then ``instance/config.py``, then the environment.

Every setting is a documented class attribute; the environment may override
``DATABASE_URL``, ``SECRET_KEY`` and any ``XS_*`` setting.
"""

import json
import os

#: Where the checkout is, and the core's migrations and message catalogues in it.
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MIGRATIONS = os.path.join(PROJECT_ROOT, "migrations")
TRANSLATIONS = os.path.join(PROJECT_ROOT, "translations")


class Defaults:
    #: Signs the session cookie and CSRF tokens. ``flask xs init`` writes a
    #: random one into ``instance/config.py``; never run production on this.
    # Reviewed (B105): a known placeholder
    SECRET_KEY = DEVELOPMENT_KEY = "dev-only-change-me"  # nosec B105

    #: SQLAlchemy URL; empty means the SQLite file ``instance/xieshang.db``.
    SQLALCHEMY_DATABASE_URI = ""

    #: Plugins (entry point names in group ``xieshang.plugins``) this
    #: deployment loads. Loading a plugin does not enable it anywhere except
    #: for plugins marked ``always_on``; enablement is per jurisdiction.
    XS_PLUGINS = ["national", "message_gateway", "qingxi", "tianjin", "dongguan", "anhui",
                  "legal_service"]

    #: The default UI language and the languages a user may choose.
    BABEL_DEFAULT_LOCALE = "zh_CN"
    XS_LANGUAGES = ["zh_CN", "en"]
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"

    #: Failed logins allowed per user name, and per client address, inside
    #: the window, before further attempts are refused until it passes.
    XS_LOGIN_MAX_FAILURES = 5
    XS_LOGIN_WINDOW_SECONDS = 15 * 60

    #: How passwords are hashed (werkzeug's method string).
    # Reviewed (B105): a method name, not a password
    XS_PASSWORD_HASH = "scrypt"  # nosec B105

    #: SMTP for e-mail notifications; without a host, e-mail is off.
    XS_SMTP_HOST = ""
    XS_SMTP_PORT = 25
    XS_SMTP_USER = ""
    # Reviewed (B105): empty: no SMTP login
    XS_SMTP_PASSWORD = ""  # nosec B105
    XS_SMTP_STARTTLS = False
    XS_SMTP_SENDER = "xieshang@localhost"

    #: Deliver queued notifications right after queuing them (the embedded
    #: default); at scale set False and run ``flask outbox deliver`` on a timer.
    XS_NOTIFY_INLINE = True
    #: Which channel carries a personal notice when several reach the same address
    #: (a phone: SMS before WeChat).
    XS_NOTIFY_PREFERENCE = ["email", "sms", "wechat"]
    #: Attempts before a message is given up (the delay doubles each time).
    XS_NOTIFY_MAX_ATTEMPTS = 8

    #: The message_gateway plugin's HTTP gateways (SMS, WeChat) and their token.
    XS_SMS_GATEWAY_URL = ""
    XS_WECHAT_GATEWAY_URL = ""
    # Reviewed (B105): empty: set by the deployment
    XS_GATEWAY_TOKEN = ""  # nosec B105
    # An outside legal-adviser service (plugin legal_service, enabled per town).
    XS_LEGAL_SERVICE_URL = ""
    # Reviewed (B105): empty: set by the deployment
    XS_LEGAL_SERVICE_SECRET = ""  # nosec B105
    XS_LEGAL_SERVICE_CALLBACK = ""

    #: Rows per page on every list.
    XS_PAGE_SIZE = 50

    #: Largest accepted attachment, in bytes.
    XS_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024

    #: Largest accepted request body (uploads included), in bytes.
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024

    #: Cookie settings: HttpOnly and SameSite always; set
    #: ``SESSION_COOKIE_SECURE = True`` when the site is served over HTTPS.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600

    #: CSRF tokens live as long as the session.
    WTF_CSRF_TIME_LIMIT = None

    #: Connections are checked before use; the one used last is used next, so it is the one
    #: whose prepared statements are warm (and idle ones can time out).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_use_lifo": True}


def _normalise_database_url(url):
    """Let ``postgres://`` and ``postgresql://`` URLs use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _parse_env_value(raw):
    """Read an ``XS_*`` variable as JSON when it is JSON, else as text."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def apply_environment(config, environ=os.environ):
    if environ.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = environ["DATABASE_URL"]
    if environ.get("SECRET_KEY"):
        config["SECRET_KEY"] = environ["SECRET_KEY"]
    for key, raw in environ.items():
        if key.startswith("XS_"):
            config[key] = _parse_env_value(raw)


def finalise(app):
    """Fill in what depends on other settings once all sources are read."""
    uri = app.config.get("SQLALCHEMY_DATABASE_URI") or (
        "sqlite:///" + os.path.join(app.instance_path, "xieshang.db")
    )
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_database_url(uri)
    if uri.startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {}
    if isinstance(app.config["XS_PLUGINS"], str):
        app.config["XS_PLUGINS"] = [
            name.strip() for name in app.config["XS_PLUGINS"].split(",") if name.strip()
        ]
