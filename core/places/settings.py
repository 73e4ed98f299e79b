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
    for _name, values in registry().call_each("xs_register_default_settings", at=jurisdiction,
                                              jurisdiction=jurisdiction):
        merged.update(values or {})
    return merged


def get(jurisdiction, key):
    """The value stored nearest to ``jurisdiction`` (itself, then up the tree), else the
    plugins' default."""
    value = _nearest(jurisdiction, key)
    if value is not None:
        return value
    return plugin_defaults(jurisdiction).get(key)


def _nearest(jurisdiction, key):
    """The value stored for ``key`` at ``jurisdiction`` or the nearest node above, or None."""
    return db.session.execute(
        select(JurisdictionSetting.value)
        .join(Jurisdiction, JurisdictionSetting.jurisdiction_id == Jurisdiction.id)
        .where(Jurisdiction.code.in_(jurisdiction.ancestor_codes),
               JurisdictionSetting.key == key)
        .order_by(Jurisdiction.depth.desc()).limit(1)
    ).scalar_one_or_none()


def _store(jurisdiction, key, value):
    """Store ``value`` for ``key`` at ``jurisdiction`` (None removes it); return what was
    stored before. The caller audits and commits."""
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
    return before


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
    before = _store(jurisdiction, key, value)
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


class PluginSettings:
    """One plugin's own settings at each jurisdiction, like Indico's settings proxy: read
    with inheritance down the tree, written in one place with a permission check and the
    audit log. A plugin makes one at import and uses it wherever it keeps data per place::

        settings = PluginSettings("dongguan", defaults={"discuss": DEFAULT_DISCUSS})
        settings.get(community, "discuss")      # the nearest node's value, else the default
        settings.set(actor, town, permission="settings.manage", discuss=[...])

    Values are stored as ``"<plugin>.<key>"`` in the jurisdictions' settings, apart from
    the core's own keys, and may be any JSON value.
    """

    def __init__(self, plugin, defaults=None):
        self.plugin = plugin
        self.defaults = dict(defaults or {})

    def _key(self, key):
        return f"{self.plugin}.{key}"

    def get(self, jurisdiction, key):
        """The value stored nearest to ``jurisdiction`` (itself, then up the tree), else
        this plugin's default for ``key`` (None without one)."""
        value = _nearest(jurisdiction, self._key(key))
        return self.defaults.get(key) if value is None else value

    def own(self, jurisdiction, key, default=None):
        """The value stored at ``jurisdiction`` itself, else ``default`` (nothing inherited)."""
        value = own(jurisdiction, self._key(key))
        return default if value is None else value

    def set(self, actor, jurisdiction, *, permission, action=None, commit=True, **values):
        """Store ``values`` (key=value; None removes a key, to inherit again) at
        ``jurisdiction`` as ``actor``, who must hold ``permission`` there; one audit event
        ``action`` (``"<plugin>.settings"`` by default) records them before and after."""
        permissions.require(actor, permission, jurisdiction)
        before = {key: _store(jurisdiction, self._key(key), value)
                  for key, value in values.items()}
        audit.record(actor, action or f"{self.plugin}.settings", jurisdiction,
                     jurisdiction=jurisdiction, before=before, after=values)
        if commit:
            db.session.commit()
