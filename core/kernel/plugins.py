"""Loading plugins and calling their hooks, for the deployment or one jurisdiction.

Plugins are packages registered in the entry point group ``xieshang.plugins``.
The deployment's ``XS_PLUGINS`` setting names those it loads; each
jurisdiction then runs the plugins enabled on it or on its nearest ancestor
that says anything about them (a town's setting reaches its villages, and a
village may switch a plugin off for itself). Plugins whose module sets
``ALWAYS_ON = True`` run everywhere.
"""

import logging
import os
from dataclasses import dataclass

import pluggy
from flask import current_app, has_request_context, request
from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session

from core.kernel import hookspecs
from core.kernel.extensions import read_rows
from core.models import Jurisdiction, PluginSetting

GROUP = "xieshang.plugins"
log = logging.getLogger(__name__)


@dataclass
class PluginInfo:
    name: str
    module: object
    version: str
    always_on: bool
    hooks: list
    #: What the admin pages call it, and one line on what it adds (the module's
    #: ``__title__`` and ``__description__``; the name and nothing without them).
    title: object = ""
    description: object = ""

    def folder(self, sub):
        """A folder shipped inside the plugin package, if it exists."""
        base = os.path.dirname(getattr(self.module, "__file__", "") or "")
        path = os.path.join(base, sub)
        return path if base and os.path.isdir(path) else None


class PluginRegistry:
    """The application's plugin manager, kept in ``app.extensions``."""

    def __init__(self):
        self.pm = pluggy.PluginManager("xieshang")
        self.pm.add_hookspecs(hookspecs)
        #: name → reason, for every configured plugin that did not load.
        self.failures = {}
        self._info = {}

    # -- loading

    def load_configured(self, names):
        for name in names:
            if self.pm.has_plugin(name) or name in self.failures:
                continue
            try:
                found = self.pm.load_setuptools_entrypoints(GROUP, name=name)
            except Exception as error:  # a broken plugin must not take the core down
                self._fail(name, f"{type(error).__name__}: {error}")
                continue
            if not found:
                self._fail(name, f"no entry point named {name!r} in group {GROUP}")
                continue
            self._validate(name)

    def register(self, module, name):
        """Register a plugin object directly (tests, embedded plugins)."""
        try:
            self.pm.register(module, name=name)
        except Exception as error:
            self._fail(name, f"{type(error).__name__}: {error}")
            return False
        return self._validate(name)

    def _validate(self, name):
        self._info.clear()
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as error:
            self.pm.unregister(name=name)
            self._fail(name, str(error))
            return False
        return True

    def _fail(self, name, reason):
        self.failures[name] = reason
        log.error("plugin %s failed to load: %s", name, reason)

    # -- what is loaded

    def names(self):
        return sorted(name for name, plugin in self.pm.list_name_plugin() if plugin is not None)

    def info(self, name):
        if name not in self._info:
            self._info[name] = self._read_info(name)
        return self._info[name]

    def _read_info(self, name):
        module = self.pm.get_plugin(name)
        versions = {
            self.pm.get_name(plugin): dist.version
            for plugin, dist in self.pm.list_plugin_distinfo()
        }
        return PluginInfo(
            name=name,
            module=module,
            version=getattr(module, "__version__", None) or versions.get(name, "-"),
            always_on=bool(getattr(module, "ALWAYS_ON", False)),
            hooks=sorted(caller.name for caller in self.pm.get_hookcallers(module) or []),
            title=getattr(module, "__title__", None) or name,
            description=getattr(module, "__description__", None) or "",
        )

    def all_info(self):
        return [self.info(name) for name in self.names()]

    @property
    def hook(self):
        """Hooks called on every loaded plugin (app set-up hooks)."""
        return self.pm.hook

    # -- per jurisdiction

    def enabled_names(self, jurisdiction):
        """Names of the plugins that run at ``jurisdiction``."""
        return set(self.enabled_depths(jurisdiction))

    def enabled_depths(self, jurisdiction):
        """Plugin name → the depth of the node whose setting switched it on here (-1 for
        always-on plugins), for the plugins that run at ``jurisdiction``.

        One query reads the settings on the node and its ancestors; the
        nearest setting for each plugin wins.
        """
        loaded = set(self.names())
        enabled = {name: -1 for name in loaded if self.info(name).always_on}
        if jurisdiction is None:
            return enabled
        nearest = {}
        for plugin, is_enabled, depth in _settings_above(jurisdiction):
            nearest[plugin] = (is_enabled, depth)  # deeper rows come later and win
        for plugin, (is_enabled, depth) in nearest.items():
            if plugin in loaded and not self.info(plugin).always_on:
                if is_enabled:
                    enabled[plugin] = depth
                else:
                    enabled.pop(plugin, None)
        return enabled

    def call_each(self, hook_name, at, **kwargs):
        """Call a hook on each plugin enabled at ``at`` (a jurisdiction), the most general
        first (always-on, then the city's, then the town's …); yield (name, result)."""
        depths = self.enabled_depths(at)
        for name in sorted(depths, key=lambda plugin: (depths[plugin], plugin)):
            others = [plugin for other, plugin in self.pm.list_name_plugin()
                      if plugin is not None and other != name]
            caller = self.pm.subset_hook_caller(hook_name, remove_plugins=others)
            for result in caller(**kwargs):
                yield name, result

    def hooks_for(self, jurisdiction):
        """Hook callers limited to the plugins enabled at ``jurisdiction``."""
        return _SubsetHooks(self.pm, self.enabled_names(jurisdiction))


_KEPT = "_xs_plugin_settings"
_SETTINGS_ABOVE = (
    select(PluginSetting.plugin, PluginSetting.enabled, Jurisdiction.depth)
    .join(Jurisdiction, PluginSetting.jurisdiction_id == Jurisdiction.id)
    .where(Jurisdiction.code.in_(bindparam("codes", expanding=True)))
    .order_by(Jurisdiction.depth))


def _settings_above(jurisdiction):
    """(plugin, enabled, depth) of the settings on ``jurisdiction`` and its ancestors, the
    nearest last, in one query; kept for the rest of a request (a page asks about the same
    place more than once), and forgotten as soon as any plugin setting is written."""
    kept = {}
    if has_request_context():  # kept on the request itself: never beyond it
        kept = request.__dict__.setdefault(_KEPT, {})
    key = jurisdiction.path
    if key not in kept:
        kept[key] = read_rows(_SETTINGS_ABOVE, {"codes": list(jurisdiction.ancestor_codes)})
    return kept[key]


@event.listens_for(Session, "after_flush")
def _forget_written_settings(session, _context):
    # A flush looks through what it wrote only when this request keeps settings.
    if has_request_context() and _KEPT in request.__dict__ and any(
            isinstance(changed, PluginSetting)
            for changed in (*session.new, *session.dirty, *session.deleted)):
        request.__dict__.pop(_KEPT, None)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(_session):
    if has_request_context():
        request.__dict__.pop(_KEPT, None)


class _SubsetHooks:
    def __init__(self, pm, names):
        self._pm = pm
        self._remove = [
            plugin
            for name, plugin in pm.list_name_plugin()
            if plugin is not None and name not in names
        ]

    def __getattr__(self, hook_name):
        return self._pm.subset_hook_caller(hook_name, remove_plugins=self._remove)


def registry():
    """The current application's :class:`PluginRegistry`."""
    return current_app.extensions["xieshang.plugins"]


def init_app(app, extra_plugins=()):
    """Load the configured plugins, then any given directly as ``(name, module)``."""
    plugin_registry = PluginRegistry()
    app.extensions["xieshang.plugins"] = plugin_registry
    plugin_registry.load_configured(app.config["XS_PLUGINS"])
    for name, module in extra_plugins:
        plugin_registry.register(module, name)
    return plugin_registry
