"""Commands for the IT staff who install and run a deployment: ``flask xs`` here, and each
area's own group (``plugins``, ``jurisdictions``, ``settings``, ``board``, ``outbox``,
``reports``) registered with it."""

import os
import secrets

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_migrate import cli as migrate_cli

from core import demo
from core.board import cli as board_cli
from core.kernel import cli as kernel_cli
from core.kernel import permissions
from core.kernel.cli import fail
from core.kernel.errors import DomainError
from core.models import Role
from core.people import accounts
from core.places import cli as places_cli
from core.reports import cli as reports_cli

xs = AppGroup("xs", help="Set up a deployment: configuration, first administrator, demo data.")


CONFIG_TEMPLATE = '''\
# Deployment settings for xieshang; see core/kernel/config.py for every setting.
SECRET_KEY = {secret!r}

# PostgreSQL instead of the SQLite file in instance/:
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://user@127.0.0.1/xieshang"

# Plugins this deployment loads (entry point names, group xieshang.plugins):
# XS_PLUGINS = ["national", "qingxi", "dongguan", "tianjin", "anhui"]

# Set to True when the site is served over HTTPS:
SESSION_COOKIE_SECURE = False
'''


@xs.command("init")
@click.option("--force", is_flag=True, help="Overwrite an existing instance/config.py.")
def init_command(force):
    """Write instance/config.py with a random secret key."""
    path = os.path.join(current_app.instance_path, "config.py")
    if os.path.exists(path) and not force:
        click.echo(_("%(path)s exists; use --force to overwrite it.", path=path))
        return
    os.makedirs(current_app.instance_path, exist_ok=True)
    with open(path, "w", encoding="utf-8") as config_file:
        config_file.write(CONFIG_TEMPLATE.format(secret=secrets.token_urlsafe(48)))
    os.chmod(path, 0o600)
    click.echo(_("Wrote %(path)s.", path=path))


@xs.command("create-admin")
@click.argument("username")
@click.option("--name", "display_name", default=None, help="Display name.")
@click.password_option(help="Password (asked for when omitted).")
def create_admin_command(username, display_name, password):
    """Create a platform administrator."""

    try:
        user = accounts.create_user(permissions.SYSTEM, username=username,
                                    display_name=display_name or username, password=password)
        accounts.grant_role(permissions.SYSTEM, user, Role.PLATFORM_ADMIN, None)
    except DomainError as error:
        fail(error.message)
    click.echo(_("Created the platform administrator %(name)s.", name=username))


@xs.command("demo")
def demo_command():
    """Load the demo deployment (Dongguan and Tianjin, an account for every role)."""

    if not demo.load():
        click.echo(_("The demo deployment is already loaded."))
        return
    click.echo(_("Loaded the demo deployment. Every demo account's password is %(pw)s.",
                 pw=demo.PASSWORD))


def _upgrade_all_heads_by_default():
    """Make ``flask db upgrade`` mean every head: the core's and each plugin's branch.

    Plugins keep their migrations on branches of their own, so a deployment
    has one head per plugin with tables; Flask-Migrate's default is a single
    ``head``.
    """

    for param in migrate_cli.upgrade.params:
        if param.name == "revision":
            param.default = "heads"


def init_app(app):
    _upgrade_all_heads_by_default()
    """``flask xs`` and each area's commands."""
    for group in (xs, places_cli.plugins_cli, places_cli.jurisdictions_cli,
                  places_cli.settings_cli, board_cli.board_cli, kernel_cli.outbox_cli,
                  reports_cli.reports_cli):
        app.cli.add_command(group)
