"""An example plugin: adds a catalogue item and a page to the villages that enable it."""

import click
from flask import Blueprint, abort, render_template

from core.services import jurisdictions
from core.toolkit import CatalogueItem, ContentKind, NotFound, _l, hookimpl, registry

__version__ = "1.2.0"

bp = Blueprint("village_notes", __name__, url_prefix="/village-notes",
               template_folder="templates")


@bp.route("/<code>")
def notes(code):
    try:
        node = jurisdictions.by_code(code)
    except NotFound:
        abort(404)
    if "village_notes" not in registry().enabled_names(node):
        abort(404)
    return render_template("village_notes.html", node=node)


@hookimpl
def xs_register_catalogue_items(jurisdiction):
    return [CatalogueItem(code="village_notes.well", title=_l("Repairing the village well"),
                          kind=ContentKind.PUBLIC_AFFAIRS, plugin="village_notes")]


@hookimpl
def xs_register_blueprints(app):
    return [bp]


@hookimpl
def xs_register_commands(cli):
    @cli.command("village-notes")
    def village_notes():
        """Say hello from the example plugin."""
        click.echo("village notes ready")
