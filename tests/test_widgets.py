"""Form attributes are written exactly as WTForms writes them, only faster."""

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired
from wtforms.widgets import core

from core.kernel import widgets
from core.kernel.options import options

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


class _LegacySelect(core.Select):
    @classmethod
    def render_option(cls, value, label, selected, **kwargs):  # the pre-3.3 signature
        return Markup(f'<option value="{value}">legacy {label}</option>')


class _SelectForm(FlaskForm):
    plain = SelectField("Plain", choices=options([("a", "A <1>"), ("b", "B")]), default="b")
    legacy = SelectField("Legacy", choices=options([("x", "X")]), widget=_LegacySelect())


def test_selects_are_written_as_wtforms_writes_them_with_the_renderer_found_once(app):
    with app.test_request_context("/"):
        form = _SelectForm(meta={"csrf": False})
        ours = str(form.plain())
        assert core.Select._dispatch_render_option() is \
            core.Select._dispatch_render_option()  # found once for the class
        found = widgets.WTFORMS_OPTION_RENDERER
        core.Select._dispatch_render_option = classmethod(found)
        try:
            assert ours == str(form.plain())  # WTForms' own lookup: the same markup
        finally:
            core.Select._dispatch_render_option = classmethod(widgets._option_renderer)
        assert ours == ('<select id="plain" name="plain"><option value="a">A &lt;1&gt;'
                        '</option><option selected value="b">B</option></select>')
        # A subclass with the old signature still gets WTForms' adapter, its own.
        import pytest

        with pytest.warns(DeprecationWarning):
            assert "legacy X" in form.legacy()
        assert "legacy X" in form.legacy()  # the adapter is kept, not looked up again


class _FieldForm(FlaskForm):
    name = StringField(lazy_gettext("Name"), description="Say <who> you are",
                       validators=[DataRequired()])
    agree = BooleanField("Agree")
    hidden_label = StringField("Hidden")


def test_a_field_carries_its_label_help_and_escaped_errors(app):
    with app.test_request_context("/", method="POST", data={"name": ""}):
        form = _FieldForm(meta={"csrf": False})
        form.validate()
        form.name.errors = ["<script>alert(1)</script>"]
        html = widgets.field(form.name)
        assert isinstance(html, Markup)
        assert html.startswith('<div class="field has-error">')
        assert '<label for="name">' in html
        assert 'aria-describedby="name-help name-errors"' in html
        assert 'aria-invalid="true"' in html
        assert '<small id="name-help">Say &lt;who&gt; you are</small>' in html
        assert '<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>' in html
        assert "<script>" not in html


def test_a_field_without_help_or_errors_carries_no_aria_references(app):
    with app.test_request_context("/"):
        form = _FieldForm(meta={"csrf": False})
        html = widgets.field(form.hidden_label, show_label=False, id="hidden-3")
        assert html == ('<div class="field"><input id="hidden-3" name="hidden_label" '
                        'type="text" value=""></div>')
        check = widgets.field(form.agree)
        assert check.startswith('<div class="field check"><input id="agree" name="agree" '
                                'type="checkbox" value="y"> <label for="agree">')


def test_a_csrf_field_has_the_forms_token_name_and_no_id(app):
    with app.test_request_context("/"):
        from flask_wtf.csrf import generate_csrf

        form = _FieldForm(prefix="q")
        token = widgets.csrf_field(form)
        assert token == Markup(f'<input type="hidden" name="q-csrf_token" '
                               f'value="{generate_csrf()}">')
        assert widgets.csrf_field().startswith('<input type="hidden" name="csrf_token" ')
        assert " id=" not in token


class _SmallForm(FlaskForm):
    name = StringField("Name")
    send = SubmitField("Send")


def test_a_small_form_has_its_errors_token_fields_and_primary_submit(app):
    with app.test_request_context("/"):
        from flask_wtf.csrf import generate_csrf

        form = _SmallForm(prefix="s")
        form.form_errors = ["<b>refused</b>"]
        html = widgets.small_form(form, '/topics/1/x?a=1&b="2"', multipart=True)
        assert isinstance(html, Markup)
        assert html.startswith('<div class="flash flash-error" role="alert">'
                               "<p>&lt;b&gt;refused&lt;/b&gt;</p></div>")
        assert ('<form method="post" action="/topics/1/x?a=1&amp;b=&#34;2&#34;" '
                'class="narrow" novalidate enctype="multipart/form-data">') in html
        assert f'name="s-csrf_token" value="{generate_csrf()}"' in html
        assert widgets.field(form.name) in html
        assert html.endswith(f'{form.send(class_="primary")}</form>')
        assert html.count("<input") == 3  # token, name, submit: each once
        plain = widgets.small_form(_SmallForm(), "/x")
        assert plain.startswith('<form method="post" action="/x" class="narrow" novalidate>')


def test_an_action_button_is_a_form_with_one_escaped_button(app):
    from flask_wtf.csrf import generate_csrf

    with app.test_request_context("/"):
        html = widgets.action_button("/topics/1/screen", "<Screen>", "primary")
        assert html.startswith('<form method="post" action="/topics/1/screen" class="inline">'
                               '<input type="hidden" name="csrf_token" '
                               f'value="{generate_csrf()}">')
        assert html.endswith('<button type="submit" class="primary">&lt;Screen&gt;</button>'
                             "</form>")
        assert widgets.form_errors(_SmallForm()) == ""


def test_a_fields_flags_are_listed_as_dir_lists_them(app):
    from wtforms.fields.core import Flags

    with app.test_request_context("/"):
        form = _FieldForm(meta={"csrf": False})
        flags = form.name.flags
        assert dir(flags) == sorted(name for name in object.__dir__(flags)
                                    if name in vars(flags))
        assert "required" in dir(flags) and flags.required is True
        assert 'required' in str(form.name())  # the widget still finds it
        assert dir(Flags()) == [] and "required" not in str(form.hidden_label())


def _every_form_class():
    from flask_wtf import FlaskForm as Base

    found, todo = [], list(Base.__subclasses__())
    while todo:
        form = todo.pop()
        todo.extend(form.__subclasses__())
        if form.__module__.startswith(("core.", "plugins.")):
            found.append(form)
    return found


def _written(form_class):
    """Every field of a form and its label, written with given values and choices."""
    form = form_class(meta={"csrf": False})
    out = []
    for field in form:
        if hasattr(field, "choices") and not field.choices:
            field.choices = options([("1", 'A & "quoted" <b>'), ("2", "二")])
        out.append(str(field(class_="wide", data_row="3", placeholder='say "hi"')))
        out.append(str(field.label(class_="visually-hidden")))
    return out


def test_every_form_of_the_platform_is_written_exactly_as_wtforms_writes_it(app):
    forms = _every_form_class()
    assert len(forms) >= 30  # the platform's forms, its plugins' included
    with app.test_request_context("/"):
        ours = {form.__name__: _written(form) for form in forms}
        with widgets.wtforms_own():
            assert core.html_params is widgets.WTFORMS_HTML_PARAMS
            theirs = {form.__name__: _written(form) for form in forms}
        assert core.html_params is widgets.html_params
    assert ours == theirs
    assert any('data-row="3"' in field for fields in ours.values() for field in fields)
