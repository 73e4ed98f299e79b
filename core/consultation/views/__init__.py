"""Topic pages and the forms that move a consultation along. Views are thin: parse the
form, call a service, show the page again (with the reason when a service refuses).

One blueprint, ``topics``, in a module per part of the procedure: ``intake`` (bringing a
topic in), ``topic_page`` (the topic's page and its step's buttons), ``subjects``,
``meetings``, ``outcomes`` and ``dashboard``."""

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user

from core.consultation import topics
from core.kernel import permissions
from core.kernel.errors import DomainError, NotFound
from core.places import tree

bp = Blueprint("topics", __name__, template_folder="../templates")


def readable_topic(topic_id, refused=403):
    """The topic if the current user may read it; otherwise abort with 404 when there is no
    such topic, and ``refused`` when there is one they may not read."""
    try:
        topic = topics.get(topic_id)
    except NotFound:
        abort(404)
    if not permissions.can_read_topic(current_user, topic):
        abort(refused)
    return topic


def topic_or_404(topic_id):
    return readable_topic(topic_id)


def managed_topic(topic_id, *phases):
    """The topic for a page of one of its forms: 403 unless the user runs it; with
    ``phases``, the topic page with the reason unless its step covers one of them."""
    topic = topic_or_404(topic_id)
    if not permissions.can_manage_topic(current_user, topic):
        abort(403)
    if phases:
        try:
            topics.require_phase(topic, *phases)
        except DomainError as error:
            flash(error.message, "error")
            abort(redirect(url_for("topics.show", topic_id=topic.id)))
    return topic


def chosen_files(field):
    """(filename, bytes) for every file chosen in a file field."""
    return [(upload.filename, upload.read()) for upload in (field.data or [])
            if upload and upload.filename]


def node_or_error(code):
    """The jurisdiction with ``code``, or a refusal the form shows."""
    try:
        return tree.by_code(code)
    except NotFound as error:
        raise DomainError(error.message) from None


# The routes, one module a part of the procedure (imported for their registrations).
from core.consultation.views import (  # noqa: E402, F401
    dashboard,
    intake,
    meetings,
    outcomes,
    subjects,
    topic_page,
)
