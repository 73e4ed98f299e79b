"""Tianjin: four steps, micro-consultation on a building, the online rule, five haves,
subsidies and points publicised on the board."""

from datetime import timedelta

import pytest

from core.board import chain as disclosure
from core.consultation import meetings, scope, screening, subjects, topics
from core.kernel.errors import DomainError
from core.models import utcnow
from core.models.types import local_today
from core.places import settings, tree
from tests import lifecycle_helpers as h

XINJIN = "120101001001"


@pytest.fixture
def tianjin(make_app):
    from core import demo

    app = make_app({"XS_PLUGINS": ["national", "qingxi", "tianjin"]})
    with app.app_context():
        demo.load(with_topics=False)
        yield app


def organiser():
    return h.user("xinjin-organiser")


def propose(title="楼道堆物清理"):
    return topics.propose(organiser(), tree.by_code(XINJIN), title=title,
                          description="3号楼楼道堆放杂物，影响消防通道。")


def test_community_topics_follow_the_four_steps(tianjin):
    topic = propose()
    assert topic.procedure == "tianjin"
    steps = [str(step.title) for step in topics.procedure_of(topic).steps]
    assert steps == ["确定协商议题", "确定协商主体和形式", "开展协商", "公开协商结果"]


def test_a_building_level_micro_consultation_is_lighter(tianjin):
    topic = propose()
    building = tree.by_code("XJ-XQ-01-03")
    scope.set_scope(organiser(), topic, [building])
    assert topic.lead == "village_with_unit" and topic.procedure == "tianjin.micro"
    assert len(topics.procedure_of(topic).steps) == 3
    assert settings.get(building, "notice_days") == 1
    screening.screen(organiser(), topic)
    topics.classify(organiser(), topic, "tianjin.property")
    topics.accept(organiser(), topic)
    for name in ("王淑珍", "刘洋"):
        subjects.invite_person(organiser(), topic, h.person(name))
    topics.advance(organiser(), topic)
    meeting = meetings.schedule(organiser(), topic, form="tianjin.building", mode="offline",
                                starts_at=utcnow() + timedelta(days=1, hours=1),
                                place="3号楼门口", host="楼长")
    meetings.publish_notice(organiser(), topic, meeting, channels=["board"])  # one day is enough
    assert meeting.notice_at is not None


def test_online_without_an_offline_channel_is_refused(tianjin):
    topic = propose()
    screening.screen(organiser(), topic)
    topics.classify(organiser(), topic, "tianjin.property")
    topics.accept(organiser(), topic)
    topics.advance(organiser(), topic)
    for name in ("王淑珍", "刘洋"):
        subjects.invite_person(organiser(), topic, h.person(name))
    with pytest.raises(DomainError, match="线下渠道"):
        meetings.schedule(organiser(), topic, form="tianjin.online_hall", mode="online",
                          starts_at=utcnow() + timedelta(days=5), place="网上", host="书记")


def browser_for(app):
    from tests.conftest import AuthActions

    client = app.test_client()
    return client, AuthActions(client)


def test_subsidies_are_publicised_and_bad_lines_refused(tianjin):
    client, auth = browser_for(tianjin)
    auth.login("xinjin-organiser")
    url = f"/tianjin/{XINJIN}/awards"
    page = auth.post(url, {"kind": "subsidy", "period": "2026年第三季度",
                           "rows": "王淑珍, 200, 组织楼门协商\n刘洋, abc, 记录"})
    assert page.status_code == 400 and "第 2 行" in page.get_data(as_text=True)
    response = auth.post(url, {"kind": "subsidy", "period": "2026年第三季度",
                               "rows": "王淑珍, 200, 组织楼门协商\n刘洋，100，会议记录"})
    assert response.status_code == 302
    entry = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "误工补贴" in entry and "王淑珍" in entry and "会议记录" in entry
    assert disclosure.verify(tree.by_code(XINJIN)).ok
    auth.logout()
    auth.login("luoma-organiser")
    assert client.get(url).status_code == 403


def test_five_haves_checklist(tianjin):
    client, auth = browser_for(tianjin)
    auth.login("luoma-organiser")
    assert client.get(f"/tianjin/{XINJIN}/five-haves").status_code == 403  # another city
    auth.logout()
    auth.login("xinjin-organiser")
    page = client.get(f"/tianjin/{XINJIN}/five-haves").get_data(as_text=True)
    assert "人员" in page and "规则" in page
    assert client.get("/tianjin/441900121201/five-haves").status_code == 404  # not Tianjin


def test_tianjin_items_never_show_in_qingxi(tianjin):
    assert not any(item.plugin == "tianjin"
                   for item in topics.catalogue_at(tree.by_code("441900121201")))
    assert not any(item.plugin == "qingxi" for item in topics.catalogue_at(tree.by_code(XINJIN)))


def test_a_community_catalogue_is_built_under_the_towns_guidance(tianjin):
    from plugins import tianjin as plugin

    _client, auth = browser_for(tianjin)
    auth.login("xinjin-organiser")
    url = f"/tianjin/{XINJIN}/catalogue"
    response = auth.post(url, {"title": "新津里停车位分配", "kind": "public_affairs"})
    assert response.status_code == 302
    community = tree.by_code(XINJIN)
    code = plugin.community_items(community)[0]["code"]
    assert code not in [item.code for item in topics.catalogue_at(community)]  # not yet
    assert auth.post(url, {"approve": code}).status_code == 403  # not the town
    auth.logout()
    auth.login("tianjin-it")  # the street's administrator is not its official either
    assert auth.post(url, {"approve": code}).status_code == 403
    plugin.approve_item(permissions_system(), community, code)
    assert code in [item.code for item in topics.catalogue_at(community)]
    assert code in [item.code for item in topics.catalogue_at(tree.by_code("XJ-XQ-01-03"))]


def permissions_system():
    from core.kernel import permissions

    return permissions.SYSTEM


def test_five_haves_in_the_community_report(tianjin):

    from core.reports import figures
    from core.reports import saved as reporting

    period = figures.Period(local_today(), local_today())
    sections = {s.key: s for s in reporting.sections(tree.by_code(XINJIN), period)}
    rows = dict((str(label), value) for label, value in sections["tianjin.five_haves"].rows)
    assert rows["有人员：有人负责组织协商"] == 1 and rows["有结果：协商结果已公开"] == 0
    assert "tianjin.five_haves" not in {
        s.key for s in reporting.sections(tree.by_code("120101001000"), period)}
