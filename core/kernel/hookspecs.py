"""The hooks through which plugins extend the platform.

Every hook is prefixed ``xs_`` and named for what the plugin does (``register_*``,
``render_*``, ``screen_*``) or for the event it hears (``legal_review_requested``).
The core calls each with keyword arguments only; a plugin's implementation may take
any of the parameters it needs, by name. Hooks that take a ``jurisdiction`` are called
only on the plugins enabled on that jurisdiction or an ancestor, unless the docstring
says otherwise. The types named below are all exported by :mod:`core.toolkit`.
"""

import pluggy

hookspec = pluggy.HookspecMarker("xieshang")
hookimpl = pluggy.HookimplMarker("xieshang")


# ---------------------------------------------------------------- app set-up


@hookspec
def xs_register_blueprints(app):
    """Return the Flask blueprints this plugin adds to the application.

    Called once while the application is created, for every loaded plugin: routes exist
    for the whole deployment, so a page that serves one place looks it up with
    ``toolkit.node_where_enabled(code, plugin)``, which answers 404 where the plugin is
    off. Name the blueprint after the plugin.

    :param app: the Flask application being created.
    :returns: a list of :class:`flask.Blueprint`.
    """


@hookspec
def xs_register_commands(cli):
    """Add this plugin's commands to the ``flask`` command line.

    Called once while the application is created, for every loaded plugin.

    :param cli: the application's root :class:`click.Group`; add commands or groups to
        it with ``cli.add_command``.
    :returns: nothing.
    """


# ----------------------------------------------------------------- catalogue


@hookspec
def xs_register_catalogue_items(jurisdiction):
    """Return the consultation catalogue items (协商目录) this plugin offers.

    Called whenever the catalogue in effect at a jurisdiction is needed (its public page,
    classifying a topic), only for plugins enabled there.

    :param jurisdiction: the :class:`Jurisdiction` asking.
    :returns: a list of :class:`CatalogueItem`.
    """


@hookspec
def xs_register_meeting_forms(jurisdiction):
    """Return the meeting forms (协商形式) this plugin offers at a jurisdiction.

    Called when a meeting is scheduled or shown, only for plugins enabled there.

    :param jurisdiction: the :class:`Jurisdiction` that owns the topic.
    :returns: a list of :class:`MeetingForm`.
    """


# ----------------------------------------------------------------- lifecycle


@hookspec
def xs_register_procedures(jurisdiction):
    """Return the procedures (ordered steps with guards) this plugin offers.

    Called when a jurisdiction chooses its procedure and when a topic starts, only for
    plugins enabled at that jurisdiction; a topic keeps the procedure it started under.
    Called with ``jurisdiction=None`` on every loaded plugin when every known procedure
    is listed (the dashboard names the steps of topics under any procedure).

    :param jurisdiction: the :class:`Jurisdiction` asking, or None.
    :returns: a list of :class:`Procedure`.
    """


@hookspec
def xs_register_default_settings(jurisdiction):
    """Return default settings for a jurisdiction, e.g. ``{"procedure": "national",
    "notice_days": 3}``.

    Called when a setting has no value stored at the jurisdiction or above, only for
    plugins enabled there; the values of a plugin enabled nearer the jurisdiction (a
    town's) override those of one enabled further up (a city's), and all override the
    always-on national plugin's.

    :param jurisdiction: the :class:`Jurisdiction` asking.
    :returns: a dict of setting name to value.
    """


@hookspec
def xs_screen_topic(topic, jurisdiction):
    """Return what screening finds about a proposed topic.

    Called when the committee screens a proposal, only for plugins enabled at the
    topic's jurisdiction; the findings are saved with the topic and shown to the
    committee (e.g. a "五议五不议" match, out of scope, needs legal review).

    :param topic: the :class:`Topic` being screened.
    :param jurisdiction: the :class:`Jurisdiction` that owns the topic.
    :returns: a list of :class:`Finding`.
    """


@hookspec
def xs_render_topic_panels(topic, user):
    """Return HTML panels (``markupsafe.Markup``) this plugin adds to a topic's page.

    Called when the topic page is shown, only for plugins enabled at the topic's
    jurisdiction; e.g. Dongguan's "invite the 8+X council" panel. Render them with
    ``render_template`` (autoescaped), never by joining strings.

    :param topic: the :class:`Topic` shown.
    :param user: the :class:`User` looking at it.
    :returns: a list of ``Markup`` fragments.
    """


# ------------------------------------------------------------------ reports


@hookspec
def xs_register_report_sections(jurisdiction, period, figures):
    """Return report sections this plugin adds (e.g. Dongguan's city statistics).

    Called when a report is previewed or generated, only for plugins enabled at the
    reported jurisdiction.

    :param jurisdiction: the :class:`Jurisdiction` at the root of the reported subtree.
    :param period: the :class:`Period` reported (``start``, ``end`` inclusive;
        ``bounds()`` gives them as UTC instants).
    :param figures: the core's figures for that subtree and period (a dict by name).
    :returns: a list of :class:`Section`.
    """


# ------------------------------------------------------------- integrations


@hookspec
def xs_register_notification_channels(jurisdiction):
    """Return the notification channels this plugin offers.

    Called when a message is queued (meeting notices to invitees, new board entries to
    subscribers), only for plugins enabled at the jurisdiction concerned; called with
    ``jurisdiction=None`` on every loaded plugin when the outbox delivers, since a
    queued message names its channel only. The core offers ``email`` (SMTP).

    :param jurisdiction: the :class:`Jurisdiction` concerned, or None.
    :returns: a list of :class:`Channel`.
    """


@hookspec
def xs_legal_review_requested(review, version):
    """Hear that a legal review was asked for, or a new version of its draft submitted.

    Called after the change is committed, only for plugins enabled at the review's
    village; an outside legal-adviser service plugin sends the draft on (with
    ``queue_message``, so a service that is down loses nothing).

    :param review: the :class:`LegalReview`.
    :param version: the new version of its draft (``number``, ``text``, ``sha256``).
    :returns: nothing.
    """
