"""Per-jurisdiction settings (procedure, notice days …): stored, inherited, defaulted by plugins."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.kernel import audit, permissions
from core.kernel.errors import DomainError
from core.kernel.extensions import db
from core.kernel.plugins import registry
from core.models import Jurisdiction, JurisdictionSetting

#: Settings a town may make, with how to read a value typed by a person.
KNOWN = {
    "procedure": str,
    "notice_days": int,
    "shareholder_quorum": str,
    "shareholder_majority": str,
    "progress_publish_days": int,
    # Whether an open "unlawful" legal opinion stops the outcome's confirmation.
    "legal_unlawful_blocks": lambda value: _flag(value),
    "legal_review_days": int,
}


#: Checks that need what another area knows, declared by that area (see :func:`declare_check`):
#: settings stand below the areas that read them, so they never import them.
_CHECKS = {}


def declare_check(key, check):
    """Have ``check(jurisdiction, value)`` vet every value stored for ``key``; it raises a
    :class:`DomainError` to refuse one. The area that reads the setting declares it (the
    consultation area checks that a procedure exists where it is chosen)."""
    _CHECKS[key] = check


def _flag(value):
    """Read a yes/no setting ("1"/"0", "yes"/"no", true/false)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "yes", "true", "on"):
        return True
    if text in ("0", "no", "false", "off"):
        return False
    raise ValueError(value)


def plugin_defaults(jurisdiction):
    """Defaults from the plugins enabled here; a plugin enabled nearer (a town's) overrides
    one enabled further up (a city's), and every plugin overrides the national ones."""
    merged = {}
    for _name, values in registry().call_each("xs_default_settings", at=jurisdiction,
                                              jurisdiction=jurisdiction):
        merged.update(values or {})
    return merged


def get(jurisdiction, key):
    """The value stored nearest to ``jurisdiction`` (itself, then up the tree), else the
    plugins' default."""
    codes = jurisdiction.ancestor_codes
    value = db.session.execute(
        select(JurisdictionSetting.value)
        .join(Jurisdiction, JurisdictionSetting.jurisdiction_id == Jurisdiction.id)
        .where(Jurisdiction.code.in_(codes), JurisdictionSetting.key == key)
        .order_by(Jurisdiction.depth.desc()).limit(1)
    ).scalar_one_or_none()
    if value is not None:
        return value
    return plugin_defaults(jurisdiction).get(key)


def own(jurisdiction, key):
    """The value stored at ``jurisdiction`` itself, or None when it inherits."""
    return db.session.scalar(select(JurisdictionSetting.value).where(
        JurisdictionSetting.jurisdiction_id == jurisdiction.id, JurisdictionSetting.key == key))


def put(actor, jurisdiction, key, value, *, commit=True):
    """Store ``value`` for ``key`` at ``jurisdiction`` (None removes it: inherit again).

    With ``commit=False`` the caller commits several settings together.
    """
    permissions.require(actor, "settings.manage", jurisdiction)
    if key not in KNOWN:
        raise DomainError(_l("Unknown setting %(key)s.", key=key))
    if value is not None:
        try:
            value = KNOWN[key](value)
        except (TypeError, ValueError):
            raise DomainError(_l("%(value)s is not a valid value for %(key)s.",
                                 value=value, key=key)) from None
        _validate(jurisdiction, key, value)
    row = db.session.scalar(select(JurisdictionSetting).where(
        JurisdictionSetting.jurisdiction_id == jurisdiction.id, JurisdictionSetting.key == key))
    before = row.value if row else None
    if value is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(JurisdictionSetting(jurisdiction_id=jurisdiction.id, key=key, value=value))
    else:
        row.value = value
    audit.record(actor, "setting.put", jurisdiction, jurisdiction=jurisdiction,
                 before={key: before}, after={key: value})
    if commit:
        db.session.commit()


def _validate(jurisdiction, key, value):
    if key == "notice_days" and not 0 <= value <= 60:
        raise DomainError(_l("Notice must be between 0 and 60 days."))
    if key == "legal_review_days" and not 1 <= value <= 90:
        raise DomainError(_l("The review period must be between 1 and 90 days."))
    if key == "progress_publish_days" and not 1 <= value <= 365:
        raise DomainError(_l("The publication period must be between 1 and 365 days."))
    if key in _CHECKS:
        _CHECKS[key](jurisdiction, value)
