"""Languages: zh_CN by default, English on request, per user or per request."""

import os
from functools import lru_cache

import flask_babel
from babel import Locale
from flask import current_app, g, has_app_context, request, session
from flask_babel import Babel, Domain, force_locale, get_locale
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from core.kernel.config import TRANSLATIONS


def _translated(self, variables):
    """A lazy message in the request's language, formatted with ``variables``.

    Flask-Babel's module-level ``gettext`` (what ``lazy_gettext`` messages call) finds the
    request's domain through ``g`` three times a message; the domain it chose for this
    request is asked directly instead (the same domain, so the same text)."""
    translate = self._func
    if translate is flask_babel.gettext:
        try:
            chosen = g._get_current_object().__dict__.get("_flask_babel")
        except RuntimeError:  # no application context: Flask-Babel's own way
            chosen = None
        domain = getattr(chosen, "babel_domain", None)
        if domain is not None:
            translate = domain.gettext
    return translate(*self._args, **variables)


def _text(self):
    return str(_translated(self, self._kwargs))


def _escaping_html(self):
    """A lazy message in a template: its text is ours, its variables are not.

    Flask-Babel's lazy strings tell Jinja they are already HTML (``__html__``), so a
    message like "%(name)s has already signed." would print a name someone typed without
    escaping it. Here the translated template is taken as markup and every variable is
    escaped into it (``Markup % values`` escapes each value).
    """
    variables = self._kwargs
    if not variables:
        return _text(self)
    template = _translated(self, {})  # translated, not yet formatted
    # Reviewed (B704): our catalogue text; values escaped
    return Markup(template) % variables  # nosec B704


LazyString.__str__ = _text
LazyString.__html__ = _escaping_html


class _RequestDomain(Domain):
    """Flask-Babel's message domain, with the request's catalogue found once per locale.

    Flask-Babel finds the catalogue again for every message (naming the locale each time,
    which costs more than the lookup); a page prints hundreds. Here the catalogue found is
    kept in Flask-Babel's own per-request namespace beside the locale it is for, so
    ``force_locale`` and a changed language still get theirs; ``g`` is resolved once a
    message, not once per attribute.
    """

    def get_translations(self):
        try:
            found_g = g._get_current_object()
        except RuntimeError:  # no application context
            return super().get_translations()
        babel_ctx = found_g.__dict__.get("_flask_babel")
        locale = getattr(babel_ctx, "babel_locale", None)
        if locale is None:
            locale = get_locale()
            babel_ctx = found_g._flask_babel
        kept = babel_ctx.__dict__.setdefault("xs_catalogues", {})
        found = kept.get((id(locale), id(self)))
        if found is not None and found[0] is locale:
            return found[1]
        translations = super().get_translations()
        kept[id(locale), id(self)] = (locale, translations)  # the locale kept keeps its id
        return translations


@lru_cache(maxsize=16)
def _locale(name):
    """A parsed locale: Babel's parsing searches every locale it knows, each time."""
    return Locale.parse(name)


def languages():
    return current_app.config["XS_LANGUAGES"]


def _chosen_language():
    if request:
        asked = request.args.get("lang")
        if asked in languages():
            return asked
        chosen = session.get("lang")
        if chosen in languages():
            return chosen
        if getattr(current_user, "is_authenticated", False) and current_user.locale in languages():
            return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_locale():
    """The request's ``lang`` argument, then the session's choice, then the user's, then zh_CN.

    Babel reads ``zh_CN`` as ``zh_Hans_CN``, which is why the Chinese
    catalogues live in ``translations/zh_Hans_CN``.
    """
    g.xs_language = _chosen_language()
    return _locale(g.xs_language)


def current_language():
    """The language of this request as the deployment names it (``zh_CN``, ``en``)."""
    get_locale()
    return g.get("xs_language") or current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app):
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", TRANSLATIONS)
    # One Babel per app: its translation cache then holds this app's plugins' catalogues.
    babel = Babel(app, locale_selector=select_locale)
    domain = babel.domain_instance = _RequestDomain(
        domain=app.config.get("BABEL_DOMAIN", "messages"))
    app.extensions["xieshang.core_domain"] = domain
    # Templates ask the app's domain directly (Flask-Babel's callables look it up again
    # for every message; nothing here switches domains within a request).
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: domain.get_translations().ugettext(text),
        ngettext=lambda one, many, n: domain.get_translations().ungettext(one, many, n),
        pgettext=lambda context, text: domain.get_translations().upgettext(context, text),
        npgettext=lambda context, one, many, n: domain.get_translations().unpgettext(
            context, one, many, n),
        newstyle=True)

    @pass_context
    def template_gettext(context, text, **variables):
        """``_()`` and ``gettext()`` in templates: what Jinja's newstyle gettext does (the
        text as markup where the template escapes, every variable escaped into it), called
        directly; Jinja's own reaches it through two more calls made by the template's
        context, each inspecting what it calls, and a page says ``_()`` many times."""
        texts = app.extensions.get("xieshang.texts")
        plugin = texts.templates.get(context.name) if texts is not None else None
        if plugin is None:
            translated = domain.get_translations().ugettext(text)
        else:  # a plugin's page: its own catalogue first
            translated = _core_then(texts.domains.get(plugin), text)
        if context.eval_ctx.autoescape:
            # Reviewed (B704): our catalogue text; values escaped by Markup's %
            translated = Markup(translated)  # nosec B704
        if not variables and "%" not in translated:  # nothing to format: the same text
            return translated
        return translated % variables

    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)

    @app.context_processor
    def language_context():
        language = current_language()
        return {"current_language": language, "html_lang": language.replace("_", "-")}


def in_deployment_language():
    """A context in which lazy strings render in the deployment's default language."""

    return force_locale(_locale(current_app.config["BABEL_DEFAULT_LOCALE"]))


def frozen(text):
    """``text`` (a lazy string) rendered in the deployment's default language.

    Whatever is stored for good — a topic's catalogue title, a board entry — is written in
    the deployment's language, not in the language of whoever happened to click. Many
    texts at once: render them within one :func:`in_deployment_language`.
    """
    with in_deployment_language():
        return str(text)


# ------------------------------------------------------------ plugins' own domains


class _PluginTexts:
    """Each plugin's message catalogue, a Babel domain of its own named after the plugin
    (``translations/<locale>/LC_MESSAGES/<plugin>.po``): two plugins never collide on a
    message id, and none changes the core's words. A text a plugin's catalogue does not
    translate is looked up in the core's, so a plugin's page may use the core's words."""

    def __init__(self):
        self.domains = {}  # plugin name → Domain
        self.modules = {}  # the plugin's package name → plugin name
        self.templates = {}  # a template name found in a plugin's folder → plugin name

    def add(self, name, package, translations, templates):
        if translations:
            self.domains[name] = _RequestDomain(translation_directories=[translations],
                                                domain=name)
        self.modules[package] = name
        for folder, _dirs, files in os.walk(templates) if templates else ():
            for file in files:
                relative = os.path.relpath(os.path.join(folder, file), templates)
                self.templates[relative.replace(os.sep, "/")] = name

    def domain_of_module(self, module):
        package = module
        while package:
            if package in self.modules:
                return self.domains.get(self.modules[package])
            package = package.rpartition(".")[0]
        return None


def add_plugin_texts(app, name, package, translations, templates):
    """Give plugin ``name`` (whose code is the package ``package``) its own catalogue from
    its ``translations`` folder, for its code and for the templates in ``templates``."""
    app.extensions.setdefault("xieshang.texts", _PluginTexts()).add(
        name, package, translations, templates)


def _core_then(domain, text):
    """``text`` translated by ``domain``, else by the core's catalogue."""
    core = current_app.extensions["xieshang.core_domain"]
    if domain is None:
        return core.get_translations().ugettext(text)
    translated = domain.get_translations().ugettext(text)
    return translated if translated != text else core.get_translations().ugettext(text)


def plugin_gettext(module, text, **variables):
    """``text`` in the request's language from the catalogue of the plugin whose code is
    ``module`` (the core's when it has none), formatted with ``variables``."""
    if not has_app_context():
        return text % variables if variables else text
    texts = current_app.extensions.get("xieshang.texts")
    domain = texts.domain_of_module(module) if texts is not None else None
    translated = _core_then(domain, text)
    return translated % variables if variables else translated
