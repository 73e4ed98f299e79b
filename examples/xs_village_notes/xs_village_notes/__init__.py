"""An example plugin: a catalogue item, a page with its own table, and a command,
for the villages that enable it."""

import click
from flask import Blueprint, abort, render_template
from sqlalchemy import select

from core.toolkit import (
    CatalogueItem,
    ContentKind,
    NotFound,
    _l,
    db,
    hookimpl,
    jurisdiction_by_code,
    registry,
)
from xs_village_notes.models import VillageNote

__version__ = "1.2.0"
__title__ = _l("Village notes")
__description__ = _l("Notes a village keeps on its own page.")

bp = Blueprint("village_notes", __name__, url_prefix="/village-notes")


def _enabled_village(code):
    try:
        node = jurisdiction_by_code(code)
    except NotFound:
        return None
    return node if "village_notes" in registry().enabled_names(node) else None


@bp.route("/<code>")
def notes(code):
    node = _enabled_village(code)
    if node is None:
        abort(404)
    rows = db.session.scalars(
        select(VillageNote).where(VillageNote.jurisdiction_id == node.id)
        .order_by(VillageNote.id.desc()).limit(50)
    ).all()
    return render_template("village_notes.html", node=node, notes=rows)


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
    @click.argument("code")
    @click.argument("text")
    def add_note(code, text):
        """Add a note to village CODE."""
        node = _enabled_village(code)
        if node is None:
            raise click.ClickException(f"village_notes is not enabled at {code}")
        db.session.add(VillageNote(jurisdiction_id=node.id, text=text[:500]))
        db.session.commit()
        click.echo("note added")
