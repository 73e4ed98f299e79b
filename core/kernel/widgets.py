"""WTForms' widgets, with their attributes written the quick way.

WTForms writes every attribute of every field through ``Markup.format``, whose escaping
formatter is the largest single cost of rendering a form: on a topic page that offers a
dozen forms it was about a tenth of the page's time. :func:`html_params` gives the same
output, byte for byte (a test compares it with WTForms' own over many kinds of value),
writing each attribute with one f-string; :func:`install` puts it wherever WTForms looks
its function up. If a WTForms release changes how it writes attributes, the comparison
test fails and this module should follow or go.
"""

from contextlib import contextmanager
from functools import lru_cache

from flask import g
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.fields.core import Flags
from wtforms.widgets import core

_QUOTE, _QUOTED = Markup('"'), Markup("&quot;")
WTFORMS_HTML_PARAMS = core.html_params  # WTForms' own, kept for comparison


@lru_cache(maxsize=512)
def _attribute_name(key):
    """An attribute's name as WTForms writes it (``class_`` → ``class``, ``data_x`` →
    ``data-x``); names come from the code, so the few there are are kept."""
    return str(escape(core.clean_key(key)))


def html_params(**kwargs):
    """``key="value"`` for each keyword, sorted; ``True`` as a bare key, ``False`` left out
    (WTForms' rules, including ``class_``/``for_`` and ``data_``/``aria_`` keys)."""
    params = []
    for key, value in sorted(kwargs.items()):
        if value is True:
            params.append(_attribute_name(key))
        elif value is not False:
            text = escape(value)
            if '"' in text:  # only markup passed in as it is can still hold a quote
                text = text.replace(_QUOTE, _QUOTED)
            params.append(f'{_attribute_name(key)}="{text}"')
    # Reviewed (B704): every key and value was escaped above
    return Markup(" ".join(params))  # nosec B704


WTFORMS_OPTION_RENDERER = core.Select._dispatch_render_option.__func__


@lru_cache(maxsize=64)
def _option_renderer(widget_class):
    """What WTForms' select widget writes each option with, found once per widget class:
    WTForms finds it again for every select it writes, reading ``render_option``'s
    signature (it depends on the class alone), about as long as writing a short select."""
    return WTFORMS_OPTION_RENDERER(widget_class)


def _flag_names(flags):
    """The flags a field carries, sorted, as ``dir()`` lists them: WTForms' widgets look
    through ``dir(field.flags)`` for the ones that become attributes (``required``,
    ``maxlength`` …) every time they write a field, and the default ``dir()`` walks the
    class and its bases each time for the handful of names set on the instance."""
    return sorted(flags.__dict__)


def install():
    """Use :func:`html_params` in WTForms' widgets and labels, find each select widget's
    option renderer once, and list a field's flags without walking their class."""
    core.html_params = widgets.html_params = html_params
    for widget in vars(core).values():
        own = isinstance(widget, type) and widget.__dict__.get("html_params")
        if isinstance(own, staticmethod) and own.__func__ is WTFORMS_HTML_PARAMS:
            widget.html_params = staticmethod(html_params)
    core.Select._dispatch_render_option = classmethod(_option_renderer)
    Flags.__dir__ = _flag_names


@contextmanager
def wtforms_own():
    """Within this block, WTForms writes with its own functions again (what :func:`install`
    replaced), so a test can compare every form's output with WTForms' own."""
    replaced = [(owner, name, owner.__dict__[name]) for owner, name in (
        (core, "html_params"), (widgets, "html_params"), (core.Select, "_dispatch_render_option"),
        (Flags, "__dir__"))] + [
        (widget, "html_params", widget.__dict__["html_params"]) for widget in vars(core).values()
        if isinstance(widget, type) and isinstance(widget.__dict__.get("html_params"),
                                                   staticmethod)]
    core.html_params = widgets.html_params = WTFORMS_HTML_PARAMS
    for owner, name, _value in replaced[4:]:
        setattr(owner, name, staticmethod(WTFORMS_HTML_PARAMS))
    core.Select._dispatch_render_option = classmethod(WTFORMS_OPTION_RENDERER)
    del Flags.__dir__
    try:
        yield
    finally:
        for owner, name, value in replaced:
            setattr(owner, name, value)


# ------------------------------------------------------------------ template helpers


def field(f, show_label=True, id=None):
    """A form field with its label, help and errors, the way every form of the platform
    shows one (a template global: a macro costs several times as much to call). ``id``
    names the field when the same form appears more than once on a page (one per
    question, one per report); help and errors are tied to the field for screen readers."""
    fid = id or f.id
    help_id = f"{fid}-help" if f.description else ""
    errors_id = f"{fid}-errors" if f.errors else ""
    refs = f"{help_id} {errors_id}".strip() or False
    check = f.type == "BooleanField"
    html = ['<div class="field', " has-error" if f.errors else "", " check" if check else "",
            '">']
    if check:
        html += [f(id=fid, **{"aria-describedby": refs}), " ", f.label(for_=fid)]
    else:
        if show_label:
            html.append(f.label(for_=fid))
        html.append(f(id=fid, **{"aria-describedby": refs,
                                 "aria-invalid": "true" if f.errors else False}))
    if f.description:
        html += ['<small id="', escape(help_id), '">', escape(f.description), "</small>"]
    if f.errors:
        html += ['<ul class="errors" id="', escape(errors_id), '">',
                 *(f"<li>{escape(error)}</li>" for error in f.errors), "</ul>"]
    html.append("</div>")
    # Reviewed (B704): fields and labels are WTForms markup; everything else escaped
    return Markup("".join(html))  # nosec B704


def csrf_field(form=None):
    """A form's CSRF token, without an id: a page may hold the same form many times (and
    a list one button per row), so each field name's input is written once a request."""
    token = getattr(form, "csrf_token", None) if form is not None else None
    name = token.name if token is not None else "csrf_token"
    written = g.setdefault("_xs_csrf_inputs", {})
    if name not in written:

        # Reviewed (B704): both values escaped
        written[name] = Markup(f'<input type="hidden" name="{escape(name)}" '  # nosec B704
                               f'value="{escape(generate_csrf())}">')
    return written[name]


def form_errors(form):
    """The errors of a form as a whole (not of one field), as an alert; or nothing."""
    if not getattr(form, "form_errors", None):
        return Markup("")
    paragraphs = "".join(f"<p>{escape(error)}</p>" for error in form.form_errors)
    # Reviewed (B704): every error escaped
    return Markup(f'<div class="flash flash-error" role="alert">{paragraphs}</div>')  # nosec B704


def small_form(form, action, multipart=False):
    """A short form posted to ``action``: its errors, its token, each field as
    :func:`field` writes it, then its submit buttons, marked primary."""
    html = [form_errors(form), '<form method="post" action="', escape(action),
            '" class="narrow" novalidate', ' enctype="multipart/form-data"' if multipart else "",
            ">", csrf_field(form)]
    html += [field(each) for each in form
             if each.type not in ("CSRFTokenField", "SubmitField")]
    html += [each(class_="primary") for each in form if each.type == "SubmitField"]
    html.append("</form>")
    # Reviewed (B704): the parts are markup made above or by WTForms; the URL escaped
    return Markup("".join(html))  # nosec B704


def action_button(action, label, cls=""):
    """A button alone in a form posted to ``action``, with the request's CSRF token (the
    view validates it with a form of no fields but the token, named as written here)."""
    # Reviewed (B704): every value escaped
    return Markup(f'<form method="post" action="{escape(action)}" class="inline">'  # nosec B704
                  f'{csrf_field()}<button type="submit" class="{escape(cls)}">'
                  f'{escape(label)}</button></form>')
