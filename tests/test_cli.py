"""The commands IT staff run."""

import os

from sqlalchemy import func, select

from core.kernel.extensions import db
from core.models import Jurisdiction, RoleAssignment, User


def test_init_writes_a_private_config_with_a_random_secret(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("XS_INSTANCE_PATH", str(tmp_path / "inst"))
    app = make_app()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["xs", "init"]).exit_code == 0
    path = tmp_path / "inst" / "config.py"
    text = path.read_text()
    assert "SECRET_KEY = '" in text and "dev-only" not in text
    assert oct(os.stat(path).st_mode)[-3:] == "600"
    again = runner.invoke(args=["xs", "init"])
    assert "--force" in again.output and path.read_text() == text


def test_create_admin(app, runner):
    result = runner.invoke(args=["xs", "create-admin", "it-chief", "--password", "chief-pass-1"])
    assert result.exit_code == 0, result.output
    chief = db.session.scalar(select(User).where(User.username == "it-chief"))
    assert chief.check_password("chief-pass-1")
    assert db.session.scalar(select(RoleAssignment.role).where(
        RoleAssignment.user_id == chief.id)) == "platform_admin"
    result = runner.invoke(args=["xs", "create-admin", "it-chief", "--password", "chief-pass-1"])
    assert result.exit_code == 1


def test_demo_loads_once(app, runner):
    assert runner.invoke(args=["xs", "demo"]).exit_code == 0
    nodes = db.session.scalar(select(func.count()).select_from(Jurisdiction))
    result = runner.invoke(args=["xs", "demo"])
    assert result.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Jurisdiction)) == nodes
    names = {node.name for node in db.session.scalars(select(Jurisdiction))}
    assert {"东莞市", "清溪镇", "罗马村", "石龙镇", "中山东社区", "东城街道", "主山社区",
            "天津市", "和平区", "劝业场街道", "新津社区"} <= names
    roles = set(db.session.scalars(select(RoleAssignment.role)))
    assert roles == {"platform_admin", "town_admin", "organiser", "supervisor",
                     "legal_adviser", "town_official", "resident"}


def test_demo_villages_have_topics_at_every_step(make_app):
    """With the deployment's default plugins: Qingxi's villages follow its five steps."""
    from core.kernel.config import Defaults

    app = make_app({"XS_PLUGINS": Defaults.XS_PLUGINS})
    with app.app_context():
        check_demo(app)


def check_demo(app):
    from core.consultation import topics
    from core.models import Topic

    result = app.test_cli_runner().invoke(args=["xs", "demo"])
    assert result.exit_code == 0, result.output
    procedures = {}
    for code in ["441900121201", "441900121202", "441900101002", "441900003005",
                 "120101001001"]:
        village = db.session.scalar(select(Jurisdiction).where(Jurisdiction.code == code))
        rows = db.session.scalars(select(Topic).where(Topic.jurisdiction_id == village.id)).all()
        steps = {topic.step for topic in rows}
        procedure = topics.procedure_of(rows[0])
        procedures[code] = procedure.key
        assert steps == set(procedure.step_keys), (village.name, steps)
        assert {topic.status for topic in rows} == {"proposed", "accepted"}
    assert procedures["441900121201"] == "qingxi" and procedures["120101001001"] == "tianjin"
    from core.board import chain as disclosure
    from core.models import BoardEntry

    kinds = set(db.session.scalars(select(BoardEntry.kind)))
    assert kinds == {"notice", "result", "implementation", "correction"}
    luoma = db.session.scalar(select(Jurisdiction).where(Jurisdiction.code == "441900121201"))
    assert disclosure.verify(luoma).ok
