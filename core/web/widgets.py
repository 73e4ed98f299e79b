"""WTForms' widgets, with their attributes written the quick way.

WTForms writes every attribute of every field through ``Markup.format``, whose escaping
formatter is the largest single cost of rendering a form: on a topic page that offers a
dozen forms it was about a tenth of the page's time. :func:`html_params` gives the same
output, byte for byte (a test compares it with WTForms' own over many kinds of value),
writing each attribute with one f-string; :func:`install` puts it wherever WTForms looks
its function up. If a WTForms release changes how it writes attributes, the comparison
test fails and this module should follow or go.
"""

from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.widgets import core

_QUOTE, _QUOTED = Markup('"'), Markup("&quot;")
WTFORMS_HTML_PARAMS = core.html_params  # WTForms' own, kept for comparison


def html_params(**kwargs):
    """``key="value"`` for each keyword, sorted; ``True`` as a bare key, ``False`` left out
    (WTForms' rules, including ``class_``/``for_`` and ``data_``/``aria_`` keys)."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = escape(core.clean_key(key))
        if value is True:
            params.append(key)
        elif value is not False:
            params.append(f'{key}="{escape(value).replace(_QUOTE, _QUOTED)}"')
    # Reviewed (B704): every key and value was escaped above
    return Markup(" ".join(params))  # nosec B704


def install():
    """Use :func:`html_params` in WTForms' widgets and labels."""
    core.html_params = widgets.html_params = html_params
    for widget in vars(core).values():
        own = isinstance(widget, type) and widget.__dict__.get("html_params")
        if isinstance(own, staticmethod) and own.__func__ is WTFORMS_HTML_PARAMS:
            widget.html_params = staticmethod(html_params)
