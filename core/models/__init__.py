"""The core's tables. Plugins define theirs with the same ``db`` (``core.toolkit``)."""

from core.models.audit import AuditEvent
from core.models.jurisdiction import Jurisdiction, Level, PluginSetting
from core.models.people import (
    DeputyRole,
    LoginAttempt,
    Organisation,
    OrganisationKind,
    Person,
    Role,
    RoleAssignment,
    User,
)
from core.models.types import UTCDateTime, utcnow

__all__ = [
    "AuditEvent",
    "DeputyRole",
    "Jurisdiction",
    "Level",
    "LoginAttempt",
    "Organisation",
    "OrganisationKind",
    "Person",
    "PluginSetting",
    "Role",
    "RoleAssignment",
    "UTCDateTime",
    "User",
    "utcnow",
]
