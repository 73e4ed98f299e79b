"""What plugins import: one stable facade, so the core can move its insides.

    from core.toolkit import hookimpl, _l, CatalogueItem, ContentKind
"""

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.consultation.catalogue import CatalogueItem, ContentKind, DecidingBody, SubjectRule
from core.consultation.procedures import Phase, Procedure, Step
from core.kernel import permissions
from core.kernel.errors import DomainError, NotFound, PermissionDenied
from core.kernel.extensions import db
from core.kernel.hookspecs import hookimpl
from core.kernel.i18n import frozen
from core.kernel.plugins import registry
from core.models import Jurisdiction, Level, Role, User, UTCDateTime, utcnow
from core.places import tree as jurisdictions


def node_where_enabled(code, plugin):
    """For a plugin's pages: the jurisdiction with ``code`` if ``plugin`` runs there, else a
    404 (a plugin's pages do not exist where it is off)."""

    try:
        node = jurisdictions.by_code(code)
    except NotFound:
        abort(404)
    if plugin not in registry().enabled_names(node):
        abort(404)
    return node


__all__ = [
    "CatalogueItem",
    "ContentKind",
    "DecidingBody",
    "DomainError",
    "Jurisdiction",
    "Level",
    "NotFound",
    "PermissionDenied",
    "Phase",
    "Procedure",
    "Role",
    "Step",
    "SubjectRule",
    "UTCDateTime",
    "User",
    "_",
    "_l",
    "db",
    "frozen",
    "hookimpl",
    "node_where_enabled",
    "permissions",
    "registry",
    "utcnow",
]
