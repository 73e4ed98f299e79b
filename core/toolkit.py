"""What plugins import: one stable door, so the core can move its insides.

A plugin imports from ``core.toolkit`` and from nothing else of ``core`` (a test parses
every shipped plugin and fails on any other ``core.`` import)::

    from core.toolkit import CatalogueItem, ContentKind, Procedure, Step, Phase, _l, hookimpl

Texts: ``_l`` marks a text translated when it is shown (labels, titles made at import);
``_`` translates at once (inside a request). Each plugin's texts come from its own
catalogue (its own Babel domain), so two plugins never collide on a message.

Everything here keeps its name and meaning across releases; what is not here may move.
The sections follow what a plugin does: declare hooks and texts; contribute catalogue
items, procedures and meeting forms; screen topics; add report sections; reach people
through notification channels; keep its own settings per place; serve its own pages
(forms, permissions, the audit log); and read the core's records.
"""

import sys

from flask import abort
from flask_babel.speaklater import LazyString

from core.board.chain import append as publish_on_board
from core.consultation.catalogue import (
    CatalogueItem,
    ContentKind,
    DecidingBody,
    Finding,
    FindingLevel,
    MeetingForm,
    SubjectRule,
)
from core.consultation.procedures import Phase, Procedure, Requirement, Step, latest_meeting
from core.consultation.subjects import invite_guest
from core.consultation.topics import (
    area as topic_area,
)
from core.consultation.topics import (
    catalogue_at,
    current_step,
    meeting_forms_at,
    procedures_at,
    require_manage,
    require_phase,
)
from core.consultation.topics import (
    get as get_topic,
)
from core.kernel import permissions
from core.kernel.actions import attempt, form_action
from core.kernel.audit import record as record_audit
from core.kernel.errors import DomainError, NotFound, PermissionDenied
from core.kernel.extensions import csrf, db
from core.kernel.hookspecs import hookimpl
from core.kernel.i18n import frozen, plugin_gettext
from core.kernel.notifications import Channel, http_url, post
from core.kernel.notifications import deliver_inline as deliver_queued
from core.kernel.notifications import enqueue as queue_message
from core.kernel.plugins import registry
from core.legal.reviews import DuplicateDelivery, record_external_opinion
from core.legal.reviews import village_of as village_of_review
from core.models import (
    BoardEntry,
    EntryKind,
    Jurisdiction,
    LegalReview,
    Level,
    Meeting,
    Participant,
    Person,
    Role,
    RoleAssignment,
    Topic,
    User,
    UTCDateTime,
    local_today,
    utcnow,
)
from core.people import register
from core.places import tree
from core.places.settings import PluginSettings
from core.places.settings import get as setting
from core.reports.figures import Period
from core.reports.sections import Section


def _(text, **variables):
    """``text`` translated now, into the request's language, from the calling plugin's own
    catalogue (the core's words for what it does not translate), formatted with
    ``variables``."""
    return plugin_gettext(sys._getframe(1).f_globals.get("__name__", ""), text, **variables)


def _l(text, **variables):
    """``text`` to be translated when it is shown, from the calling plugin's own catalogue
    (labels and titles made at import, before any request)."""
    return LazyString(plugin_gettext, sys._getframe(1).f_globals.get("__name__", ""), text,
                      **variables)


def node_where_enabled(code, plugin):
    """For a plugin's pages: the jurisdiction with ``code`` if ``plugin`` runs there, else a
    404 (a plugin's pages do not exist where it is off)."""
    try:
        node = tree.by_code(code)
    except NotFound:
        abort(404)
    if plugin not in registry().enabled_names(node):
        abort(404)
    return node


def jurisdiction_by_code(code):
    """The jurisdiction with ``code``, or :class:`NotFound` (with a message to show)."""
    return tree.by_code(code)


def csrf_exempt(blueprint):
    """Take ``blueprint`` out of the CSRF check, for an endpoint that another service calls
    and that authenticates each request itself (a signed webhook)."""
    csrf.exempt(blueprint)
    return blueprint


__all__ = [  # noqa: RUF022  (grouped by what a plugin does, as the docstring says)
    # hooks, texts, errors, the database
    "hookimpl", "_", "_l", "frozen", "DomainError", "NotFound", "PermissionDenied", "db",
    "UTCDateTime", "utcnow", "local_today", "registry",
    # catalogue, procedures, meeting forms, screening
    "CatalogueItem", "ContentKind", "DecidingBody", "SubjectRule", "MeetingForm",
    "Finding", "FindingLevel", "Procedure", "Step", "Phase", "Requirement",
    # reports and notifications
    "Section", "Period", "Channel", "post", "http_url", "queue_message", "deliver_queued",
    # settings, pages, permissions, audit
    "PluginSettings", "setting", "node_where_enabled", "jurisdiction_by_code", "form_action",
    "attempt", "csrf_exempt", "permissions", "record_audit",
    # the core's records and what plugins may do with them
    "Jurisdiction", "Level", "Role", "RoleAssignment", "User", "Person", "register",
    "Topic", "Participant", "Meeting", "BoardEntry", "EntryKind", "LegalReview",
    "get_topic", "topic_area", "current_step", "require_manage", "require_phase",
    "procedures_at", "catalogue_at", "meeting_forms_at", "latest_meeting", "invite_guest",
    "publish_on_board", "record_external_opinion", "DuplicateDelivery", "village_of_review",
]
