"""Switching plugins on and off per jurisdiction."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.kernel import audit, permissions
from core.kernel.errors import DomainError
from core.kernel.extensions import db
from core.kernel.plugins import registry
from core.models import Jurisdiction, PluginSetting

ON, OFF, INHERIT = "on", "off", "inherit"


def _loaded(name):
    plugins = registry()
    if name not in plugins.names():
        raise DomainError(_l("No plugin named %(name)s is loaded.", name=name))
    if plugins.info(name).always_on:
        raise DomainError(_l("The plugin %(name)s is always on.", name=name))


def setting_at(name, jurisdiction):
    return db.session.scalar(
        select(PluginSetting).where(
            PluginSetting.plugin == name, PluginSetting.jurisdiction_id == jurisdiction.id
        )
    )


def set_state(actor, name, jurisdiction, state):
    """Set ``name`` to on, off or inherit (no setting of its own) at ``jurisdiction``."""
    permissions.require(actor, "plugin.manage", jurisdiction)
    _loaded(name)
    if state not in (ON, OFF, INHERIT):
        raise DomainError(_l("Unknown state %(state)s.", state=state))
    setting = setting_at(name, jurisdiction)
    before = None if setting is None else (ON if setting.enabled else OFF)
    if state == INHERIT:
        if setting is not None:
            db.session.delete(setting)
    elif setting is None:
        db.session.add(PluginSetting(plugin=name, jurisdiction_id=jurisdiction.id,
                                     enabled=state == ON))
    else:
        setting.enabled = state == ON
    audit.record(actor, "plugin.set", jurisdiction, jurisdiction=jurisdiction,
                 before={"plugin": name, "state": before or INHERIT},
                 after={"plugin": name, "state": state})
    db.session.commit()


def enable(actor, name, jurisdiction):
    set_state(actor, name, jurisdiction, ON)


def disable(actor, name, jurisdiction):
    """Switch ``name`` off here: drop the node's own setting, or override an inherited one."""
    parent = jurisdiction.parent_id and db.session.get(Jurisdiction, jurisdiction.parent_id)
    inherited = parent is not None and name in registry().enabled_names(parent)
    set_state(actor, name, jurisdiction, OFF if inherited else INHERIT)


def states(jurisdiction):
    """name → (own state, effective on/off) for every loaded plugin at ``jurisdiction``."""
    plugins = registry()
    own = {
        plugin: ON if enabled else OFF
        for plugin, enabled in db.session.execute(
            select(PluginSetting.plugin, PluginSetting.enabled).where(
                PluginSetting.jurisdiction_id == jurisdiction.id
            )
        )
    }
    effective = plugins.enabled_names(jurisdiction)
    return {name: (own.get(name, INHERIT), name in effective) for name in plugins.names()}


def where_enabled():
    """plugin name → codes and names of the nodes where it is switched on explicitly."""
    found = {}
    for plugin, code, name in db.session.execute(
        select(PluginSetting.plugin, Jurisdiction.code, Jurisdiction.name)
        .join(Jurisdiction, PluginSetting.jurisdiction_id == Jurisdiction.id)
        .where(PluginSetting.enabled.is_(True))
        .order_by(Jurisdiction.path)
    ):
        found.setdefault(plugin, []).append((code, name))
    return found
