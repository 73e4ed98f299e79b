"""What plugins import: one stable facade, so the core can move its insides.

    from core.toolkit import hookimpl, _l, CatalogueItem, ContentKind
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core import permissions
from core.catalogue import CatalogueItem, ContentKind, DecidingBody, SubjectRule
from core.errors import DomainError, NotFound, PermissionDenied
from core.extensions import db
from core.hookspecs import hookimpl
from core.i18n import frozen
from core.models import Jurisdiction, Level, Role, User, UTCDateTime, utcnow
from core.plugins import registry

__all__ = [
    "CatalogueItem",
    "ContentKind",
    "DecidingBody",
    "DomainError",
    "Jurisdiction",
    "Level",
    "NotFound",
    "PermissionDenied",
    "Role",
    "SubjectRule",
    "UTCDateTime",
    "User",
    "_",
    "_l",
    "db",
    "frozen",
    "hookimpl",
    "permissions",
    "registry",
    "utcnow",
]
