"""Per-jurisdiction settings: procedure and notice days, inherited down the tree."""

from datetime import timedelta

import pytest

from core.consultation import meetings, topics
from core.consultation.procedures import Phase, Procedure, Step
from core.kernel import permissions
from core.kernel.errors import DomainError
from core.models import utcnow
from core.places import settings, tree
from core.toolkit import hookimpl
from tests import lifecycle_helpers as h

THREE_STEPS = Procedure(key="short", title="三步法", plugin="short_procedure", steps=(
    Step("define", "确定议题和主体", (Phase.DEFINE, Phase.SUBJECTS)),
    Step("consult", "公布信息并协商", (Phase.NOTIFY, Phase.CONSULT, Phase.CONFIRM)),
    Step("implement", "实施", (Phase.IMPLEMENT,)),
))


class ShortProcedure:
    @hookimpl
    def xs_register_procedures(self, jurisdiction):
        return [THREE_STEPS]

    @hookimpl
    def xs_register_default_settings(self, jurisdiction):
        return {"notice_days": 7}


def test_notice_days_are_inherited_and_overridden(app, demo, runner):
    town, village = tree.by_code("441900121000"), tree.by_code("441900121201")
    assert settings.get(village, "notice_days") == 3  # the national default
    runner.invoke(args=["settings", "set", "441900121000", "notice_days", "5"])
    assert settings.get(village, "notice_days") == 5
    settings.put(permissions.SYSTEM, village, "notice_days", "2")
    assert settings.get(village, "notice_days") == 2 and settings.get(town, "notice_days") == 5
    output = runner.invoke(args=["settings", "show", "441900121201"]).output
    assert "notice_days = 2 *" in output
    runner.invoke(args=["settings", "set", "441900121201", "notice_days", "-"])
    assert settings.get(village, "notice_days") == 5


def test_bad_settings_are_refused(app, demo, runner):
    village = tree.by_code("441900121201")
    for key, value in [("notice_days", "99"), ("notice_days", "abc"), ("procedure", "nope"),
                       ("colour", "red")]:
        with pytest.raises(DomainError):
            settings.put(permissions.SYSTEM, village, key, value)
    result = runner.invoke(args=["settings", "set", "441900121201", "procedure", "nope"])
    assert result.exit_code == 1 and "nope" in result.output


def test_longer_notice_changes_when_a_meeting_may_be_held(app, demo):
    settings.put(permissions.SYSTEM, tree.by_code("441900121201"), "notice_days", "7")
    topic = h.with_subjects()
    organiser = h.user("luoma-organiser")
    topics.advance(organiser, topic)
    meeting = meetings.schedule(organiser, topic, form="council", mode="offline",
                                starts_at=utcnow() + timedelta(days=5), place="村委",
                                host="陈书记")
    with pytest.raises(DomainError, match="7 天"):
        meetings.publish_notice(organiser, topic, meeting, channels=["board"])


def test_a_town_chooses_a_plugin_procedure_and_its_topics_follow_it(make_app):
    from core import demo
    from core.places import plugin_settings

    app = make_app(plugins=[("short_procedure", ShortProcedure())])
    with app.app_context():
        demo.load(with_topics=False)
        town = tree.by_code("441900121000")
        with pytest.raises(DomainError):  # not available before the plugin is on there
            settings.put(permissions.SYSTEM, town, "procedure", "short")
        plugin_settings.enable(permissions.SYSTEM, "short_procedure", town)
        settings.put(permissions.SYSTEM, town, "procedure", "short")
        assert settings.get(tree.by_code("441900121201"), "notice_days") == 7
        topic = h.proposed()
        assert (topic.procedure, topic.step) == ("short", "define")
        # Another town keeps the national procedure.
        other = topics.propose(h.user("zsd-organiser"), tree.by_code("441900101002"),
                               title="别的议题")
        assert other.procedure == "national"


def test_town_admin_sets_the_procedure_on_the_admin_page(app, demo, client, auth):
    auth.login("qingxi-it")
    url = "/admin/jurisdictions/441900121000/settings"
    page = client.get(url).get_data(as_text=True)
    assert "全国通用程序（四步）" in page
    response = auth.post(url, {"procedure": "national", "notice_days": "4",
                               "shareholder_quorum": "", "shareholder_majority": ""})
    assert response.status_code == 302
    assert settings.get(tree.by_code("441900121201"), "notice_days") == 4
    page = auth.post(url, {"procedure": "", "notice_days": "4", "shareholder_quorum": "5/4",
                           "shareholder_majority": ""})
    assert page.status_code == 400 and "不超过 1" in page.get_data(as_text=True)
    assert settings.own(tree.by_code("441900121000"), "procedure") == "national"  # unchanged
    assert client.get("/admin/jurisdictions/441900101000/settings").status_code == 403


def test_a_plugins_own_settings_inherit_down_the_tree_and_are_written_with_audit(app, demo):
    from sqlalchemy import select

    from core.kernel.errors import PermissionDenied
    from core.kernel.extensions import db
    from core.models import AuditEvent
    from core.toolkit import PluginSettings

    town, village = tree.by_code("441900121000"), tree.by_code("441900121201")
    notes = PluginSettings("town_notes", defaults={"motto": "协商于民"})
    assert notes.get(village, "motto") == "协商于民" and notes.own(village, "motto") is None
    notes.set(h.user("qingxi-it"), town, permission="settings.manage", motto="有事好商量")
    assert notes.get(village, "motto") == "有事好商量"  # the town's reaches its villages
    assert notes.own(village, "motto") is None and notes.own(town, "motto") == "有事好商量"
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "town_notes.settings")).one()
    assert event.before == {"motto": None} and event.after == {"motto": "有事好商量"}
    # the core's settings do not see a plugin's keys, and a village's own value wins below it
    assert settings.own(town, "motto") is None
    notes.set(permissions.SYSTEM, village, permission="settings.manage", motto="村里的话")
    assert (notes.get(village, "motto"), notes.get(town, "motto")) == ("村里的话", "有事好商量")
    with pytest.raises(PermissionDenied):
        notes.set(h.user("luoma-resident"), village, permission="settings.manage", motto="x")
    db.session.rollback()
    assert notes.get(village, "motto") == "村里的话"
    notes.set(permissions.SYSTEM, village, permission="settings.manage", motto=None)
    assert notes.get(village, "motto") == "有事好商量"  # removed: inherits again
