"""Form attributes are written exactly as WTForms writes them, only faster."""

from flask_babel import lazy_gettext
from markupsafe import Markup
from wtforms.widgets import core

from core.web import widgets

VALUES = ["plain", 'a "quoted" <b>&amp;', Markup('<i class="x">'), 0, 12.5, None, "中文",
          "", True, False, lazy_gettext("Log in"), "It's"]
KEYS = ["name", "class_", "for_", "data_topic_id", "aria_describedby", "aria-invalid",
        "hx-post", "id"]


def test_the_same_attributes_as_wtforms_for_every_kind_of_value(app):
    with app.test_request_context("/"):
        for key in KEYS:
            for value in VALUES:
                assert widgets.html_params(**{key: value}) == \
                    widgets.WTFORMS_HTML_PARAMS(**{key: value}), (key, value)
        every = {key: value for key, value in zip(KEYS, VALUES, strict=False)}
        assert widgets.html_params(**every) == widgets.WTFORMS_HTML_PARAMS(**every)
        assert isinstance(widgets.html_params(name="x"), Markup)


def test_installed_where_wtforms_looks_it_up(app):
    assert core.html_params is widgets.html_params
    assert core.Input.html_params is widgets.html_params
    assert core.Button.html_params is widgets.html_params
    from wtforms import widgets as package

    assert package.html_params is widgets.html_params
