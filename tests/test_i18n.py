"""Languages: Chinese by default, English per request and per user; complete catalogues."""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

from core.kernel.extensions import db
from core.models import User

ROOT = Path(__file__).resolve().parents[1]


def test_chinese_is_the_default(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page and "登录" in page


def test_english_per_request(client):
    page = client.get("/auth/login?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page and "Log in" in page
    assert "登录" in client.get("/auth/login").get_data(as_text=True)


def test_language_switch_sticks_for_the_session_and_the_user(client, demo, auth):
    response = client.get("/lang/en?next=/auth/login")
    assert response.headers["Location"] == "/auth/login"
    assert "Log in" in client.get("/auth/login").get_data(as_text=True)
    auth.login("luoma-organiser")
    client.get("/lang/en")
    assert db.session.scalar(select(User.locale).where(User.username == "luoma-organiser")) == "en"
    auth.logout()
    client.get("/lang/zh_CN")
    with client.session_transaction() as session:
        session.clear()
    auth.login("luoma-organiser")  # a new session: the user's own choice applies
    assert "Administration" in client.get("/admin/").get_data(as_text=True)


def test_unknown_language_is_404_and_offsite_next_is_ignored(client):
    assert client.get("/lang/fr").status_code == 404
    assert client.get("/lang/en?next=https://evil.example/").headers["Location"] == "/"


def test_error_pages_speak_the_users_language(client):
    assert "页面不存在" in client.get("/no-such-page").get_data(as_text=True)
    assert "There is no page" in client.get("/no-such-page?lang=en").get_data(as_text=True)


def _catalogue_ids(folder):
    mapping = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.do"}}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        folder, mapping, options_map=options,
        keywords={"_": None, "_l": None, "gettext": None, "lazy_gettext": None,
                  "ngettext": (1, 2)},
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_core_message_has_a_compiled_chinese_translation():
    po_path = ROOT / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
    with open(po_path, "rb") as po_file:
        catalogue = read_po(po_file)
    with open(po_path.with_suffix(".mo"), "rb") as mo_file:
        compiled = read_mo(mo_file)
    needed = _catalogue_ids(ROOT / "core")
    missing = sorted(msgid for msgid in needed
                     if not (catalogue.get(msgid) and catalogue.get(msgid).string))
    assert not missing, f"untranslated: {missing[:10]}"
    stale = sorted(msgid for msgid in needed
                   if compiled.get(msgid) is None
                   or compiled.get(msgid).string != catalogue.get(msgid).string)
    assert not stale, f"the .mo file is out of date: {stale[:10]}"


def _plugin_catalogues():
    """Every plugin package's catalogue, found the way ``make translations`` finds them."""
    return sorted([*ROOT.glob("plugins/*/translations/zh_Hans_CN/LC_MESSAGES/*.po"),
                   *ROOT.glob("examples/*/*/translations/zh_Hans_CN/LC_MESSAGES/*.po")])


def test_every_plugin_message_has_a_chinese_translation_in_its_own_domain():
    catalogues = _plugin_catalogues()
    assert {po.stem for po in catalogues} >= {"national", "qingxi", "tianjin", "dongguan",
                                              "anhui", "message_gateway", "legal_service",
                                              "village_notes"}
    for po_path in catalogues:
        package = po_path.parents[3]
        needed = _catalogue_ids(package)
        with open(po_path, "rb") as po_file:
            catalogue = read_po(po_file)
        missing = sorted(m for m in needed if not (catalogue.get(m) and catalogue.get(m).string))
        assert not missing, f"{package.name} untranslated: {missing[:10]}"
        with open(po_path.with_suffix(".mo"), "rb") as mo_file:
            compiled = read_mo(mo_file)
        stale = [m for m in needed if compiled.get(m) is None
                 or compiled.get(m).string != catalogue.get(m).string]
        assert not stale, f"{package.name}: the .mo file is out of date: {stale[:10]}"


def _plugin_package(root, name, plugin, translation):
    """A plugin package under ``root`` whose own catalogue says "Council" is ``translation``,
    in its code and in its template."""
    package = root / name
    (package / "templates" / name).mkdir(parents=True)
    (package / "__init__.py").write_text(
        "from core.toolkit import _, _l\n"
        "LABEL = _l('Council')\n"
        "def now():\n    return _('Council')\n", encoding="utf-8")
    (package / "templates" / name / "page.html").write_text("{{ _('Council') }}",
                                                             encoding="utf-8")
    catalogue = Catalog(locale="zh_Hans_CN")
    catalogue.add("Council", translation)
    messages = package / "translations" / "zh_Hans_CN" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    with open(messages / f"{plugin}.mo", "wb") as handle:  # the domain is the plugin's name
        write_mo(handle, catalogue)


def test_two_plugins_keep_their_own_words_for_the_same_message(make_app, tmp_path,
                                                                monkeypatch):
    import importlib

    from flask import render_template

    _plugin_package(tmp_path, "xs_test_hall", "test_hall", "议事厅")
    _plugin_package(tmp_path, "xs_test_board", "test_board", "理事会")
    monkeypatch.syspath_prepend(str(tmp_path))
    hall = importlib.import_module("xs_test_hall")
    board = importlib.import_module("xs_test_board")
    app = make_app(plugins=[("test_hall", hall), ("test_board", board)])
    with app.test_request_context("/?lang=zh_CN"):
        assert (str(hall.LABEL), str(board.LABEL)) == ("议事厅", "理事会")
        assert (hall.now(), board.now()) == ("议事厅", "理事会")
        assert render_template("xs_test_hall/page.html") == "议事厅"
        assert render_template("xs_test_board/page.html") == "理事会"
        # The core's words are the core's: its catalogue has no "Council" of either plugin.
        assert render_template_string_of(app, "{{ _('Council') }}") == "Council"
    with app.test_request_context("/?lang=en"):
        assert str(hall.LABEL) == "Council"


def render_template_string_of(app, source):
    from flask import render_template_string

    return render_template_string(source)


def test_plugin_catalogue_is_merged_with_the_core(client, demo):
    page = client.get("/j/441900121201").get_data(as_text=True)
    assert "涉及群众切身利益的公共事务和公益事业" in page  # from plugins/national's catalogue
    assert "协商目录" in page  # from the core's catalogue


def test_what_is_stored_for_good_is_in_the_deployments_language(app, demo):
    from core.consultation import screening, topics
    from tests import lifecycle_helpers as h

    topic = h.proposed()
    with app.test_request_context("/?lang=en"):
        from flask_babel import get_locale

        assert str(get_locale()) == "en"
        screening.screen(h.user("luoma-organiser"), topic)
        topics.classify(h.user("luoma-organiser"), topic, "national.public_affairs")
    assert topic.item_title == "涉及群众切身利益的公共事务和公益事业"


def test_the_catalogue_kept_for_a_request_follows_a_change_of_language(app):
    from flask import request
    from flask_babel import force_locale, gettext, refresh

    with app.test_request_context("/"):
        assert gettext("Log in") == "登录"
        with force_locale("en"):
            assert gettext("Log in") == "Log in"
        assert gettext("Log in") == "登录"
        request.args = {"lang": "en"}
        refresh()  # as after a change of language within a request
        assert gettext("Log in") == "Log in"


def test_a_lazy_message_speaks_the_language_of_the_moment_it_is_shown(app):
    """Shown through the domain Flask-Babel chose for the request, not its module-level
    gettext; outside any application context it is the message itself."""
    from flask_babel import force_locale, lazy_gettext
    from markupsafe import escape

    message = lazy_gettext("Log in")
    named = lazy_gettext("%(name)s has already signed.", name="<b>")
    with app.test_request_context("/"):
        assert str(message) == "登录"
        with force_locale("en"):
            assert str(message) == "Log in"
            assert escape(named) == "&lt;b&gt; has already signed."
        assert str(message) == "登录"
    with app.app_context(), app.test_request_context("/?lang=en"):  # a request of its own
        assert str(message) == "Log in"


def test_select_labels_are_translated_when_the_choices_are_made(app):
    from flask_babel import lazy_gettext

    from core.kernel.options import options

    with app.test_request_context("/"):
        [choice] = options([("x", lazy_gettext("Log in"))])
    assert choice.label == "登录" and type(choice.label) is str


def test_a_lazy_message_outside_an_application_is_the_message_itself():
    from flask_babel import lazy_gettext

    assert str(lazy_gettext("Log in")) == "Log in"


def test_templates_translate_as_jinja_newstyle_gettext_does(app):
    """``_()`` in a template: the request's language, variables escaped into the text
    where the template escapes and left as they are where it does not, ``%%`` read as
    a format string even without variables (Jinja's own newstyle rules)."""
    with app.test_request_context("/?lang=en"):
        html = app.jinja_env.from_string(
            '{{ _("proposed by %(name)s", name=who) }}|{{ _("Log in") }}|{{ _("100%%") }}')
        assert html.render(who="<b>x</b>") == "proposed by &lt;b&gt;x&lt;/b&gt;|Log in|100%"
        text = app.jinja_env.from_string(
            '{% autoescape false %}{{ _("proposed by %(name)s", name=who) }}'
            '{% endautoescape %}')
        assert text.render(who="<b>x</b>") == "proposed by <b>x</b>"
    with app.app_context(), app.test_request_context("/"):  # a request of its own
        assert app.jinja_env.from_string('{{ _("Log in") }}').render() == "登录"
        trans = app.jinja_env.from_string('{% trans name=who %}proposed by {{ name }}'
                                          '{% endtrans %}')
        assert "&lt;i&gt;" in trans.render(who="<i>")
