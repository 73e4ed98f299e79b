"""The hooks through which plugins extend the platform.

Every hook is prefixed ``xs_``, is called with keyword arguments only, and
returns a value (usually a list) that the core merges across plugins.
Hooks that take a ``jurisdiction`` are called only on the plugins enabled on
that jurisdiction or an ancestor; the others run for every loaded plugin.
"""

import pluggy

hookspec = pluggy.HookspecMarker("xieshang")
hookimpl = pluggy.HookimplMarker("xieshang")


# ---------------------------------------------------------------- app set-up


@hookspec
def xs_register_blueprints(app):
    """Return the Flask blueprints this plugin adds to the application.

    Called once while the application is created, for every loaded plugin.
    A plugin's routes should check ``plugins.enabled_on(...)`` for the
    jurisdiction they serve, since routes exist for the whole deployment.

    :param app: the Flask application being created.
    :returns: a list of :class:`flask.Blueprint`.
    """


@hookspec
def xs_register_commands(cli):
    """Add this plugin's commands to the ``flask`` command line.

    Called once while the application is created, for every loaded plugin.

    :param cli: the application's root :class:`click.Group`; add commands or
        groups to it with ``cli.add_command``.
    :returns: nothing.
    """


# ----------------------------------------------------------------- catalogue


@hookspec
def xs_register_catalogue_items(jurisdiction):
    """Return the consultation catalogue items (协商目录) this plugin offers.

    Called whenever the catalogue in effect at a jurisdiction is needed (the
    jurisdiction page, classifying a topic), only for plugins enabled there.

    :param jurisdiction: the :class:`core.models.Jurisdiction` asking.
    :returns: a list of :class:`core.catalogue.CatalogueItem`.
    """
