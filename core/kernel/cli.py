"""What every command shares, and ``flask outbox``: queued notifications delivered and
listed."""

import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import select

from core.kernel import notifications
from core.kernel.extensions import db
from core.models import Notification

outbox_cli = AppGroup("outbox", help="Deliver and inspect queued notifications.")


def fail(message):
    """Say why on standard error and stop with status 1."""
    click.echo(str(message), err=True)
    sys.exit(1)


@outbox_cli.command("deliver")
def outbox_deliver_command():
    """Deliver every queued message whose time has come (run this from a timer)."""

    sent, failed = notifications.deliver_due(limit=10_000)
    click.echo(_("Sent %(sent)s, failed %(failed)s (they are retried later).", sent=sent,
                 failed=failed))


@outbox_cli.command("list")
@click.option("--status", type=click.Choice(["pending", "sent", "failed"]), default=None)
def outbox_list_command(status):
    """List queued, sent or failed messages, newest first."""

    query = select(Notification).order_by(Notification.id.desc()).limit(200)
    if status:
        query = query.where(Notification.status == status)
    for message in db.session.scalars(query):
        click.echo(f"{message.id} {message.status} {message.channel} {message.recipient} "
                   f"{message.attempts} {message.last_error or ''} {message.subject}")
