"""Commands for the IT staff who install and run a deployment."""

import os
import secrets
import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from core.kernel import permissions
from core.kernel.errors import DomainError
from core.people import accounts
from core.places import plugin_settings, tree

xs = AppGroup("xs", help="Set up a deployment: configuration, first administrator, demo data.")
plugins_cli = AppGroup("plugins", help="List plugins and switch them on or off per jurisdiction.")
jurisdictions_cli = AppGroup("jurisdictions", help="Import and export the jurisdiction tree.")
settings_cli = AppGroup("settings", help="Show and change a jurisdiction's settings.")
board_cli = AppGroup("board", help="Check the disclosure boards.")
outbox_cli = AppGroup("outbox", help="Deliver and inspect queued notifications.")
reports_cli = AppGroup("reports", help="Generate assessment reports.")


@reports_cli.command("build")
@click.option("--jurisdiction", "code", required=True, help="The reported subtree's code.")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--kind", default="assessment",
              type=click.Choice(["assessment", "self_inspection", "pilot_review"]))
@click.option("--format", "form", default="html", type=click.Choice(["xlsx", "pdf", "html"]))
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True))
def reports_build_command(code, start, end, kind, form, output):
    """Generate a report, save it with its digest, and write it as XLSX, PDF or HTML."""
    from core.reports import saved as reporting
    from core.reports import sections as reports
    from core.reports import views as report_pages

    try:
        saved = reporting.generate(permissions.SYSTEM, tree.by_code(code), kind=kind,
                                   start=start.date(), end=end.date())
    except DomainError as error:
        _fail(error.message)
    if form == "xlsx":
        data = reports.xlsx(saved.content)
    elif form == "pdf":
        data = report_pages.pdf(saved)
    else:
        data = report_pages.html(saved).encode("utf-8")
    with open(output, "wb") as handle:
        handle.write(data)
    click.echo(_("Saved report %(id)s (digest %(digest)s) to %(path)s.", id=saved.id,
                 digest=saved.digest[:12], path=output))


@outbox_cli.command("deliver")
def outbox_deliver_command():
    """Deliver every queued message whose time has come (run this from a timer)."""
    from core.kernel import notifications

    sent, failed = notifications.deliver_due(limit=10_000)
    click.echo(_("Sent %(sent)s, failed %(failed)s (they are retried later).", sent=sent,
                 failed=failed))


@outbox_cli.command("list")
@click.option("--status", type=click.Choice(["pending", "sent", "failed"]), default=None)
def outbox_list_command(status):
    """List queued, sent or failed messages, newest first."""
    from sqlalchemy import select

    from core.kernel.extensions import db
    from core.models import Notification

    query = select(Notification).order_by(Notification.id.desc()).limit(200)
    if status:
        query = query.where(Notification.status == status)
    for message in db.session.scalars(query):
        click.echo(f"{message.id} {message.status} {message.channel} {message.recipient} "
                   f"{message.attempts} {message.last_error or ''} {message.subject}")


@board_cli.command("verify")
@click.argument("jurisdiction", required=False)
def board_verify_command(jurisdiction):
    """Verify one board (a code) or every board; exit 1 if any fails."""
    from sqlalchemy import select

    from core.board import chain as disclosure
    from core.kernel.extensions import db
    from core.models import BoardHead, Jurisdiction

    if jurisdiction:
        try:
            nodes = [tree.by_code(jurisdiction)]
        except DomainError as error:
            _fail(error.message)
    else:
        nodes = db.session.scalars(select(Jurisdiction).join(
            BoardHead, BoardHead.jurisdiction_id == Jurisdiction.id).order_by(Jurisdiction.path))
    failed = 0
    for node in nodes:
        result = disclosure.verify(node)
        if result.ok:
            click.echo(_("%(name)s (%(code)s): intact, %(n)s entries.", name=node.name,
                         code=node.code, n=result.checked))
        else:
            failed += 1
            click.echo(_("%(name)s (%(code)s): FAILS at entry no. %(seq)s: %(reason)s",
                         name=node.name, code=node.code, seq=result.bad_seq,
                         reason=result.reason), err=True)
    if failed:
        sys.exit(1)


def _fail(message):
    click.echo(str(message), err=True)
    sys.exit(1)


CONFIG_TEMPLATE = '''\
# Deployment settings for xieshang; see core/config.py for every setting.
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
    from core.models import Role

    try:
        user = accounts.create_user(permissions.SYSTEM, username=username,
                                    display_name=display_name or username, password=password)
        accounts.grant_role(permissions.SYSTEM, user, Role.PLATFORM_ADMIN, None)
    except DomainError as error:
        _fail(error.message)
    click.echo(_("Created the platform administrator %(name)s.", name=username))


@xs.command("demo")
def demo_command():
    """Load the demo deployment (Dongguan and Tianjin, an account for every role)."""
    from core import demo

    if not demo.load():
        click.echo(_("The demo deployment is already loaded."))
        return
    click.echo(_("Loaded the demo deployment. Every demo account's password is %(pw)s.",
                 pw=demo.PASSWORD))


@plugins_cli.command("list")
def plugins_list_command():
    """Show every plugin: version, hooks, where it is switched on; and those that failed."""
    plugins = current_app.extensions["xieshang.plugins"]
    where = plugin_settings.where_enabled()
    for info in plugins.all_info():
        places = (_("everywhere (always on)") if info.always_on
                  else ", ".join(f"{name} ({code})" for code, name in where.get(info.name, []))
                  or "-")
        click.echo(f"{info.name} {info.version}")
        click.echo("  " + _("hooks: %(hooks)s", hooks=", ".join(info.hooks) or "-"))
        click.echo("  " + _("enabled on: %(places)s", places=places))
    for name, reason in sorted(plugins.failures.items()):
        click.echo(_("%(name)s FAILED: %(reason)s", name=name, reason=reason), err=True)


@plugins_cli.command("new")
@click.argument("name")
@click.option("--folder", default=".", type=click.Path(file_okay=False),
              help="Where to create the package (default: here).")
def plugins_new_command(name, folder):
    """Create a package for a new plugin NAME: hooks, translations and a test."""
    from core.kernel import scaffold

    try:
        root = scaffold.create(name, folder)
    except ValueError:
        _fail(_("A plugin name is 2 to 31 lower-case letters, digits or underscores, starting "
                "with a letter."))
    except FileExistsError as error:
        _fail(_("%(path)s exists already.", path=str(error)))
    click.echo(_("Created %(path)s. Install it with: pip install -e %(path)s", path=root))


def _set_plugin(name, code, action):
    try:
        node = tree.by_code(code)
        action(permissions.SYSTEM, name, node)
    except DomainError as error:
        _fail(error.message)
    return node


@plugins_cli.command("enable")
@click.argument("name")
@click.argument("jurisdiction")
def plugins_enable_command(name, jurisdiction):
    """Switch plugin NAME on at JURISDICTION (a code) and below."""
    node = _set_plugin(name, jurisdiction, plugin_settings.enable)
    click.echo(_("%(plugin)s is on at %(name)s and below.", plugin=name, name=node.name))


@plugins_cli.command("disable")
@click.argument("name")
@click.argument("jurisdiction")
def plugins_disable_command(name, jurisdiction):
    """Switch plugin NAME off at JURISDICTION (a code) and below."""
    node = _set_plugin(name, jurisdiction, plugin_settings.disable)
    click.echo(_("%(plugin)s is off at %(name)s and below.", plugin=name, name=node.name))


@jurisdictions_cli.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
def jurisdictions_import_command(file):
    """Import FILE (CSV: code,name,level,parent_code): every row or none."""
    started = time.perf_counter()
    try:
        result = tree.import_csv(file)
    except DomainError as error:
        _fail(error.message)
    except UnicodeDecodeError:
        _fail(_("The file must be UTF-8 text."))
    if not result.ok:
        for line, reason in result.errors:
            click.echo(_("line %(line)s: %(reason)s", line=line, reason=reason), err=True)
        _fail(_("Nothing was imported: %(n)s bad rows.", n=len(result.errors)))
    click.echo(_("Imported %(created)s nodes; %(unchanged)s were already stored (%(s).1f s).",
                 created=result.created, unchanged=result.unchanged,
                 s=time.perf_counter() - started))


@jurisdictions_cli.command("export")
@click.argument("file", type=click.File("w", encoding="utf-8"), default="-")
@click.option("--root", default=None, help="Export only this code's subtree.")
def jurisdictions_export_command(file, root):
    """Write the tree as CSV to FILE (standard output by default)."""
    try:
        node = tree.by_code(root) if root else None
    except DomainError as error:
        _fail(error.message)
    count = tree.export_csv(file, node)
    if file is not sys.stdout and getattr(file, "name", "-") != "<stdout>":
        click.echo(_("Exported %(n)s nodes.", n=count))


@settings_cli.command("show")
@click.argument("jurisdiction")
def settings_show_command(jurisdiction):
    """Show the settings in effect at JURISDICTION (a code), and which are its own."""
    from core.places import settings

    try:
        node = tree.by_code(jurisdiction)
    except DomainError as error:
        _fail(error.message)
    for key in settings.KNOWN:
        own = settings.own(node, key)
        marker = "" if own is None else " *"
        click.echo(f"{key} = {settings.get(node, key)}{marker}")


@settings_cli.command("set")
@click.argument("jurisdiction")
@click.argument("key")
@click.argument("value")
def settings_set_command(jurisdiction, key, value):
    """Set KEY to VALUE at JURISDICTION and below ("-" removes it: inherit again)."""
    from core.places import settings

    try:
        node = tree.by_code(jurisdiction)
        settings.put(permissions.SYSTEM, node, key, None if value == "-" else value)
    except DomainError as error:
        _fail(error.message)
    click.echo(f"{key} = {settings.get(node, key)}")


def _upgrade_all_heads_by_default():
    """Make ``flask db upgrade`` mean every head: the core's and each plugin's branch.

    Plugins keep their migrations on branches of their own, so a deployment
    has one head per plugin with tables; Flask-Migrate's default is a single
    ``head``.
    """
    from flask_migrate import cli as migrate_cli

    for param in migrate_cli.upgrade.params:
        if param.name == "revision":
            param.default = "heads"


def init_app(app):
    _upgrade_all_heads_by_default()
    app.cli.add_command(xs)
    app.cli.add_command(plugins_cli)
    app.cli.add_command(jurisdictions_cli)
    app.cli.add_command(settings_cli)
    app.cli.add_command(board_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(reports_cli)
