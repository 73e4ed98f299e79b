"""``flask plugins``, ``flask jurisdictions`` and ``flask settings``: the tree, its settings
and the plugins switched on in it."""

import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from core.kernel import permissions, scaffold
from core.kernel.cli import fail
from core.kernel.errors import DomainError
from core.places import plugin_settings, settings, tree

plugins_cli = AppGroup("plugins", help="List plugins and switch them on or off per jurisdiction.")
jurisdictions_cli = AppGroup("jurisdictions", help="Import and export the jurisdiction tree.")
settings_cli = AppGroup("settings", help="Show and change a jurisdiction's settings.")

@plugins_cli.command("list")
def plugins_list_command():
    """Show every plugin: version, hooks, where it is switched on; and those that failed."""
    plugins = current_app.extensions["xieshang.plugins"]
    where = plugin_settings.where_enabled()
    for info in plugins.all_info():
        places = (_("everywhere (always on)") if info.always_on
                  else ", ".join(f"{name} ({code})" for code, name in where.get(info.name, []))
                  or "-")
        click.echo(f"{info.name} {info.version}: {info.title}")
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

    try:
        root = scaffold.create(name, folder)
    except ValueError:
        fail(_("A plugin name is 2 to 31 lower-case letters, digits or underscores, starting "
                "with a letter."))
    except FileExistsError as error:
        fail(_("%(path)s exists already.", path=str(error)))
    click.echo(_("Created %(path)s. Install it with: pip install -e %(path)s", path=root))


def _set_plugin(name, code, action):
    try:
        node = tree.by_code(code)
        action(permissions.SYSTEM, name, node)
    except DomainError as error:
        fail(error.message)
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
        fail(error.message)
    except UnicodeDecodeError:
        fail(_("The file must be UTF-8 text."))
    if not result.ok:
        for line, reason in result.errors:
            click.echo(_("line %(line)s: %(reason)s", line=line, reason=reason), err=True)
        fail(_("Nothing was imported: %(n)s bad rows.", n=len(result.errors)))
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
        fail(error.message)
    count = tree.export_csv(file, node)
    if file is not sys.stdout and getattr(file, "name", "-") != "<stdout>":
        click.echo(_("Exported %(n)s nodes.", n=count))


@settings_cli.command("show")
@click.argument("jurisdiction")
def settings_show_command(jurisdiction):
    """Show the settings in effect at JURISDICTION (a code), and which are its own."""

    try:
        node = tree.by_code(jurisdiction)
    except DomainError as error:
        fail(error.message)
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

    try:
        node = tree.by_code(jurisdiction)
        settings.put(permissions.SYSTEM, node, key, None if value == "-" else value)
    except DomainError as error:
        fail(error.message)
    click.echo(f"{key} = {settings.get(node, key)}")
