"""`flask plugins new` writes a package that installs with pip and loads through its entry
point."""

import os
import subprocess
import sys

from core import create_app


def test_scaffolded_plugin_installs_and_loads(runner, tmp_path, monkeypatch):
    result = runner.invoke(args=["plugins", "new", "pilot_town", "--folder", str(tmp_path)])
    assert result.exit_code == 0, result.output
    package = tmp_path / "xs-pilot-town"
    assert (package / "xs_pilot_town" / "__init__.py").exists()
    site = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(site), str(package)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    monkeypatch.syspath_prepend(str(site))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/t.db",
                      "XS_PLUGINS": ["national", "pilot_town"]})
    plugins = app.extensions["xieshang.plugins"]
    assert "pilot_town" in plugins.names() and not plugins.failures
    assert plugins.info("pilot_town").version == "0.1.0"
    # Its own test passes too.
    check = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            str(package / "tests")], capture_output=True, text=True,
                           env=dict(os.environ, PYTHONPATH=f"{site}:{os.getcwd()}"),
                           cwd=str(package))
    assert check.returncode == 0, check.stdout[-2000:]
    sys.modules.pop("xs_pilot_town", None)


def test_bad_names_and_existing_folders_are_refused(runner, tmp_path):
    result = runner.invoke(args=["plugins", "new", "Bad-Name", "--folder", str(tmp_path)])
    assert result.exit_code == 1 and "小写字母" in result.output
    runner.invoke(args=["plugins", "new", "twice", "--folder", str(tmp_path)])
    result = runner.invoke(args=["plugins", "new", "twice", "--folder", str(tmp_path)])
    assert result.exit_code == 1 and "已存在" in result.output
