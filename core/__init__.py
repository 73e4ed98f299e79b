"""xieshang (协商): a platform for urban-rural community consultation."""

import os

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader

from core.kernel import config as settings
from core.kernel.config import MIGRATIONS
from core.kernel.extensions import csrf, db, login_manager, migrate

__version__ = "0.1.0"



def create_app(overrides=None, *, plugins=()):
    """Create the application.

    The factory is a list of small steps, each importing what it wires in when it runs:
    every module of the package imports ``core`` first, so importing ``core`` itself (as
    Alembic's environment and the ``flask`` command do) loads no area.

    Settings come from :class:`core.config.Defaults`, then
    ``instance/config.py``, then the environment, then ``overrides``.
    ``plugins`` registers extra ``(name, module)`` plugins directly (tests).
    """
    app = Flask(__name__, instance_relative_config=True,
                instance_path=os.environ.get("XS_INSTANCE_PATH") or None)
    _configure(app, overrides)
    _init_extensions(app)
    plugin_registry = _load_plugins(app, plugins)
    _register_web(app)
    _register_plugin_assets(app, plugin_registry)
    _register_commands(app, plugin_registry)
    return app


def _configure(app, overrides):
    app.config.from_object(settings.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    settings.apply_environment(app.config)
    if overrides:
        app.config.from_mapping(overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    settings.finalise(app)
    if app.config["SECRET_KEY"] == settings.Defaults.DEVELOPMENT_KEY and not app.testing:
        app.logger.warning("SECRET_KEY is the development placeholder: run `flask xs init` "
                           "or set SECRET_KEY before serving anyone.")


def _init_extensions(app):
    from core.kernel import i18n, transactions

    db.init_app(app)
    transactions.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS)
    csrf.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    import core.models  # noqa: F401  (tables known to Alembic and create_all)


def _load_plugins(app, plugins):
    from core.kernel import plugins as plugin_platform

    return plugin_platform.init_app(app, plugins)


def _register_web(app):
    """The kernel's web set-up, then one blueprint an area."""
    from core import api
    from core.admin import views as admin
    from core.board import views as board
    from core.consultation import views as consultation
    from core.implementation import views as implementation
    from core.kernel import web
    from core.legal import views as legal
    from core.people import views as people
    from core.places import views as places
    from core.reports import views as reports

    web.init_app(app)
    for area in (places, people, admin, consultation, implementation, board, reports, legal,
                 api):
        app.register_blueprint(area.bp)


def _register_plugin_assets(app, plugin_registry):
    """Templates, static files, translations and migrations found by convention,
    then the blueprints plugins register."""
    from flask import Blueprint

    from core.kernel import i18n

    template_dirs = []
    for info in plugin_registry.all_info():
        if info.folder("templates"):
            template_dirs.append(info.folder("templates"))
        if info.folder("static"):
            app.register_blueprint(Blueprint(
                f"plugin_static_{info.name}", info.module.__name__,
                static_folder=info.folder("static"),
                static_url_path=f"/plugins/{info.name}/static",
            ))
        package = getattr(info.module, "__name__", None) or type(info.module).__module__
        i18n.add_plugin_texts(app, info.name, package, info.folder("translations"),
                              info.folder("templates"))
        if info.folder("migrations"):
            app.config.setdefault("XS_MIGRATION_LOCATIONS", []).append(info.folder("migrations"))
    if template_dirs:
        app.jinja_loader = ChoiceLoader([app.jinja_loader, FileSystemLoader(template_dirs)])
    for blueprints in plugin_registry.hook.xs_register_blueprints(app=app):
        for blueprint in blueprints or ():
            app.register_blueprint(blueprint)


def _register_commands(app, plugin_registry):
    from core import cli

    cli.init_app(app)
    plugin_registry.hook.xs_register_commands(cli=app.cli)


@migrate.configure
def _plugin_migration_locations(alembic_config):
    """Let Alembic find the plugins' own migration scripts beside the core's."""
    from flask import current_app

    extra = current_app.config.get("XS_MIGRATION_LOCATIONS", [])
    if extra:
        locations = [os.path.join(MIGRATIONS, "versions"), *extra]
        alembic_config.set_main_option("version_locations", os.pathsep.join(locations))
    return alembic_config
