"""``flask board``: checking the disclosure boards' chains."""

import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import select

from core.board import chain as disclosure
from core.kernel.cli import fail
from core.kernel.errors import DomainError
from core.kernel.extensions import db
from core.models import BoardHead, Jurisdiction
from core.places import tree

board_cli = AppGroup("board", help="Check the disclosure boards.")

@board_cli.command("verify")
@click.argument("jurisdiction", required=False)
def board_verify_command(jurisdiction):
    """Verify one board (a code) or every board; exit 1 if any fails."""

    if jurisdiction:
        try:
            nodes = [tree.by_code(jurisdiction)]
        except DomainError as error:
            fail(error.message)
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
