"""The plugin platform: discovery, failures, per-jurisdiction enablement, the CLI."""

import ast
import re
import sys
from pathlib import Path

import pytest

from core.kernel import hookspecs, permissions
from core.places import plugin_settings, tree
from tests.conftest import ROOT, install_distribution


def test_plugin_is_discovered_through_its_entry_point(make_app, example_plugin):
    app = make_app({"XS_PLUGINS": ["national", "village_notes"]})
    plugins = app.extensions["xieshang.plugins"]
    assert plugins.names() == ["national", "village_notes"]
    info = plugins.info("village_notes")
    assert info.version == "1.2.0"
    assert info.hooks == ["xs_register_blueprints", "xs_register_catalogue_items",
                          "xs_register_commands"]
    assert not plugins.failures


def test_example_plugin_page_command_and_table_work_where_enabled(make_app, example_plugin):
    app = make_app({"XS_PLUGINS": ["national", "village_notes"]})
    client = app.test_client()
    with app.app_context():
        from core import demo

        demo.load()
        assert client.get("/village-notes/441900121201").status_code == 404
        plugin_settings.enable(permissions.SYSTEM, "village_notes", tree.by_code("441900121201"))
    page = client.get("/village-notes/441900121201")
    assert page.status_code == 200 and "罗马村" in page.get_data(as_text=True)
    assert client.get("/village-notes/441900121202").status_code == 404
    assert "修缮村里的水井" in client.get("/j/441900121201").get_data(as_text=True)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["village-notes", "441900121201", "井口加盖"])
    assert result.output.strip() == "note added"
    page = client.get("/village-notes/441900121201").get_data(as_text=True)
    assert "井口加盖" in page and "村务笔记" in page  # the plugin's own translation
    assert "/plugins/village_notes/static/notes.css" in page
    assert b"village-notes" in client.get("/plugins/village_notes/static/notes.css").data
    result = runner.invoke(args=["village-notes", "441900121202", "x"])
    assert result.exit_code == 1 and "not enabled" in result.output


def test_unconfigured_plugin_is_not_loaded(make_app, example_plugin):
    app = make_app({"XS_PLUGINS": ["national"]})
    assert "village_notes" not in app.extensions["xieshang.plugins"].names()


def test_broken_plugin_is_reported_and_the_app_still_starts(make_app, tmp_path, monkeypatch):
    package = tmp_path / "code"
    package.mkdir()
    (package / "xs_broken_plugin.py").write_text("raise RuntimeError('missing town config')\n")
    monkeypatch.syspath_prepend(str(package))
    monkeypatch.setattr(sys, "path", list(sys.path))  # undo the distribution below afterwards
    install_distribution(tmp_path / "site", "xs-broken", "0.1", {"broken": "xs_broken_plugin"})
    app = make_app({"XS_PLUGINS": ["national", "broken", "absent"]})
    plugins = app.extensions["xieshang.plugins"]
    assert plugins.names() == ["national"]
    assert "RuntimeError: missing town config" in plugins.failures["broken"]
    assert "no entry point named 'absent'" in plugins.failures["absent"]
    client = app.test_client()
    assert client.get("/").status_code == 200
    result = app.test_cli_runner().invoke(args=["plugins", "list"])
    assert "broken 加载失败：RuntimeError: missing town config" in result.output
    sys.modules.pop("xs_broken_plugin", None)


@pytest.mark.plugins("unknown_hook")
def test_plugin_with_an_unknown_hook_is_refused_by_name(app):
    plugins = app.extensions["xieshang.plugins"]
    assert "unknown_hook" not in plugins.names()
    assert "xs_no_such_hook" in plugins.failures["unknown_hook"]


@pytest.mark.plugins("town_rules")
def test_plugin_enabled_on_a_town_acts_for_its_villages_not_a_sibling_town(app, demo, client):
    qingxi = tree.by_code("441900121000")
    plugin_settings.enable(permissions.SYSTEM, "town_rules", qingxi)
    plugins = app.extensions["xieshang.plugins"]
    luoma, zhongshandong = tree.by_code("441900121201"), tree.by_code("441900101002")
    assert "town_rules" in plugins.enabled_names(luoma)
    assert "town_rules" not in plugins.enabled_names(zhongshandong)
    assert "集体土地出租方案" in client.get("/j/441900121201").get_data(as_text=True)
    assert "集体土地出租方案" not in client.get("/j/441900101002").get_data(as_text=True)
    # The hook is not even called for a plugin that is off there.
    calls = plugins.hooks_for(zhongshandong).xs_register_catalogue_items(
        jurisdiction=zhongshandong)
    assert all(item.plugin != "town_rules" for items in calls for item in items)


@pytest.mark.plugins("town_rules")
def test_a_village_may_switch_off_what_its_town_enabled(app, demo, runner):
    runner.invoke(args=["plugins", "enable", "town_rules", "441900121000"])
    result = runner.invoke(args=["plugins", "disable", "town_rules", "441900121201"])
    assert result.exit_code == 0, result.output
    plugins = app.extensions["xieshang.plugins"]
    assert "town_rules" not in plugins.enabled_names(tree.by_code("441900121201"))
    assert "town_rules" in plugins.enabled_names(tree.by_code("441900121202"))
    assert plugin_settings.states(tree.by_code("441900121201"))["town_rules"] == ("off", False)
    runner.invoke(args=["plugins", "disable", "town_rules", "441900121000"])
    assert "town_rules" not in plugins.enabled_names(tree.by_code("441900121202"))


@pytest.mark.plugins("town_rules")
def test_a_request_reads_a_places_plugin_settings_once_and_sees_its_own_change(app, demo):
    from core.kernel.extensions import db
    from tests.statement_counter import count_statements

    plugins = app.extensions["xieshang.plugins"]
    with app.test_request_context("/"):
        luoma = tree.by_code("441900121201")
        assert "town_rules" not in plugins.enabled_names(luoma)
        with count_statements(db.engine) as seen:
            assert "town_rules" not in plugins.enabled_names(luoma)
        assert seen == []  # kept for the rest of the request
        plugin_settings.enable(permissions.SYSTEM, "town_rules", tree.by_code("441900121000"))
        assert "town_rules" in plugins.enabled_names(luoma)  # the write is seen at once
        plugin_settings.set_state(permissions.SYSTEM, "town_rules", luoma, "off")
        assert "town_rules" not in plugins.enabled_names(luoma)
    with app.test_request_context("/"):  # a new request reads them again
        with count_statements(db.engine) as seen:
            assert "town_rules" not in plugins.enabled_names(tree.by_code("441900121201"))
        assert any("plugin_setting" in statement for statement in seen)


@pytest.mark.plugins("town_rules")
def test_plugins_list_shows_version_hooks_and_where_enabled(app, demo, runner):
    runner.invoke(args=["plugins", "enable", "town_rules", "441900121000"])
    output = runner.invoke(args=["plugins", "list"]).output
    assert re.search(r"national 1\.0\.0: 全国通用规则（2015年）\n.*xs_register_catalogue_items",
                     output)
    assert "清溪镇 (441900121000)" in output


def test_plugin_commands_refuse_bad_names_with_a_message(app, demo, runner):
    result = runner.invoke(args=["plugins", "enable", "nosuch", "441900121000"])
    assert result.exit_code == 1 and "nosuch" in result.output
    result = runner.invoke(args=["plugins", "enable", "national", "441900121000"])
    assert result.exit_code == 1
    result = runner.invoke(args=["plugins", "enable", "national", "999"])
    assert result.exit_code == 1 and "999" in result.output


def test_always_on_plugin_runs_everywhere(app, demo):
    plugins = app.extensions["xieshang.plugins"]
    assert "national" in plugins.enabled_names(tree.by_code("120101001001"))


def test_every_hook_is_documented_with_each_of_its_parameters():
    import inspect

    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    hooks = [name for name in dir(hookspecs) if name.startswith("xs_")]
    assert len(hooks) >= 11
    for name in hooks:
        spec = getattr(hookspecs, name)
        parameters = list(inspect.signature(spec).parameters)
        docstring = inspect.getdoc(spec) or ""
        for parameter in parameters:
            assert f":param {parameter}:" in docstring, f"{name}'s docstring skips {parameter}"
        heading = f"### `{name}({', '.join(parameters)})`"
        assert heading in docs, f"docs/plugins.md has no {heading}"
        section = docs.split(heading, 1)[1].split("\n### ", 1)[0]
        for parameter in parameters:
            assert f"- `{parameter}`:" in section, f"docs/plugins.md: {name} skips {parameter}"
    assert re.search(r"^### `xs_\w+\(", docs, re.M)
    documented = set(re.findall(r"^### `(xs_\w+)\(", docs, re.M))
    assert documented == set(hooks), f"documented but not a hook: {documented - set(hooks)}"


def _core_imports_past_the_door(source):
    """(line, module) for every import of ``core`` other than ``core.toolkit`` in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module] + ([f"core.{a.name}" for a in node.names]
                                       if node.module == "core" else [])
            if node.module == "core":
                modules = modules[1:]
        else:
            continue
        found += [(node.lineno, module) for module in modules
                  if (module == "core" or module.startswith("core."))
                  and module != "core.toolkit"]
    return found


def _plugin_sources(tmp_path):
    """Every module of the shipped plugins, the example plugin and a scaffolded one, tests and
    migrations left out (tests build apps; migrations are Alembic's)."""
    from core.kernel import scaffold

    made = scaffold.create("door_check", tmp_path)
    for root in (ROOT / "plugins", ROOT / "examples", Path(made)):
        for path in sorted(root.rglob("*.py")):
            if not {"tests", "migrations"} & set(path.relative_to(root).parts):
                yield path


def test_the_door_check_sees_an_import_past_the_toolkit():
    assert _core_imports_past_the_door(
        "from core.toolkit import db\nfrom core.models import Topic\n"
        "def f():\n    import core.kernel.audit\n    from core import permissions\n") == [
        (2, "core.models"), (4, "core.kernel.audit"), (5, "core.permissions")]


def test_plugins_import_nothing_of_core_but_the_toolkit(tmp_path):
    sources = list(_plugin_sources(tmp_path))
    assert any(path.parts[-2] == "dongguan" for path in sources)
    assert any(path.parts[-2] == "xs_door_check" for path in sources)
    offences = {str(path): found for path in sources
                if (found := _core_imports_past_the_door(path.read_text(encoding="utf-8")))}
    assert not offences, f"plugins reach past core.toolkit: {offences}"


def test_everything_the_toolkit_exports_is_documented():
    import core.toolkit as toolkit

    undocumented = [name for name in toolkit.__all__ if not getattr(toolkit, name).__doc__]
    assert not undocumented, f"no docstring: {undocumented}"
    assert "``_l``" in toolkit.__doc__ and "``_``" in toolkit.__doc__


def test_the_admin_pages_name_plugins_by_their_title_in_the_users_language(make_app):
    from core import demo
    from tests.conftest import AuthActions

    app = make_app({"XS_PLUGINS": ["national", "qingxi", "dongguan"]})
    with app.app_context():
        demo.load(with_topics=False)
    client = app.test_client()
    AuthActions(client).login("admin")
    page = client.get("/admin/plugins").get_data(as_text=True)
    assert "东莞协商六步走与“8+X”议事会" in page and "<code>dongguan</code>" in page
    assert "六步走程序" in page  # its one-line description
    page = client.get("/admin/jurisdictions/441900121000/plugins?lang=en").get_data(
        as_text=True)
    assert "Qingxi 18 items (清溪)" in page
    assert "<td><strong>qingxi</strong>" not in page


@pytest.mark.plugins("town_rules")
def test_admin_sets_plugins_per_jurisdiction_in_scope_only(app, demo, client, auth):
    auth.login("qingxi-it")
    response = auth.post("/admin/jurisdictions/441900121201/plugins",
                         {"plugin": "town_rules", "state": "on"})
    assert response.status_code == 302
    assert "town_rules" in app.extensions["xieshang.plugins"].enabled_names(
        tree.by_code("441900121201"))
    response = auth.post("/admin/jurisdictions/441900101002/plugins",
                         {"plugin": "town_rules", "state": "on"},
                         form_url="/admin/jurisdictions/441900121201/plugins")
    assert response.status_code == 403
    assert client.get("/admin/jurisdictions/441900101002/plugins").status_code == 403
