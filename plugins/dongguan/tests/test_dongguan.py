"""Dongguan: six steps, "五议五不议" screening with a list each place edits, the 8+X council
and the 红色智囊团 expert pool."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.consultation import meetings, screening, subjects, topics, votes
from core.kernel.errors import DomainError
from core.kernel.extensions import db
from core.models import Participant, utcnow
from core.models.types import local_today
from core.places import tree
from plugins import dongguan
from tests import lifecycle_helpers as h

ZSD = "441900101002"


@pytest.fixture
def city(make_app):
    from core import demo

    app = make_app({"XS_PLUGINS": ["national", "qingxi", "dongguan"]})
    with app.app_context():
        demo.load(with_topics=False)
        yield app


def organiser():
    return h.user("zsd-organiser")


def propose(title="旧楼加装电梯", description="1栋居民希望加装电梯，需要协调低层住户。"):
    return topics.propose(organiser(), tree.by_code(ZSD), title=title, description=description)


def test_the_city_follows_six_steps_and_qingxi_keeps_its_own(city):
    topic = topics.propose(h.user("zhushan-organiser"), tree.by_code("441900003005"),
                           title="主山社区的议题")
    assert topic.procedure == "dongguan" and topic.step == "collect"
    assert propose().procedure == "dongguan.council"  # 中山东社区 chose its council's method
    assert [str(s.title) for s in topics.procedure_of(topic).steps] == [
        "征集和提出议题", "确定协商议题", "公布协商信息", "组织开展协商", "确认协商成果",
        "公布协商结果"]
    assert h.proposed().procedure == "qingxi"  # 清溪镇's own plugin is nearer


def test_five_discuss_five_not_discuss_screening_with_an_edited_list(city):
    topic = propose()
    findings = screening.screen(organiser(), topic)
    assert any("五议：公共事务" in str(f.message) for f in findings)
    bad = propose(title="社区教会活动场地", description="希望协商宗教活动安排。")
    assert any(f.level == "warning" and "五不议：宗教事务" in str(f.message)
               for f in screening.screen(organiser(), bad))
    # The community sets its own list; the new list decides from then on.
    dongguan.save_lists(h.user("shilong-it"), tree.by_code(ZSD), "停车管理|停车,车位",
                        "商业纠纷|商铺")
    assert not any("五议" in str(f.message) for f in screening.screen(organiser(), topic))
    with pytest.raises(DomainError, match="第 1 行"):
        dongguan.save_lists(h.user("shilong-it"), tree.by_code(ZSD), "没有竖线", "a|b")


def seat_eight(community):
    for number in range(8):
        dongguan.add_seat(organiser(), community, name=f"委员{number}", sector=f"界别{number}")


def test_eight_standing_seats_x_per_topic_and_attendees_without_a_seat_do_not_vote(city):
    community = tree.by_code(ZSD)
    with pytest.raises(DomainError):
        dongguan.seat_council(organiser(), propose())
    seat_eight(community)
    with pytest.raises(DomainError, match="8"):
        dongguan.add_seat(organiser(), community, name="第九人", sector="多余")
    topic = propose()
    screening.screen(organiser(), topic)
    topics.classify(organiser(), topic, "national.legal_requirement")
    topics.advance(organiser(), topic)  # 征集 → 确定议题
    topics.accept(organiser(), topic)
    assert dongguan.seat_council(organiser(), topic) == 8
    subjects.invite_person(organiser(), topic, h.person("何伟"))  # an X seat for this topic
    subjects.invite_guest(organiser(), topic, kind="official", name="街道干部")  # no seat
    voters = db.session.scalars(select(Participant.name).where(
        Participant.topic_id == topic.id, Participant.votes.is_(True))).all()
    assert len(voters) == 9 and "街道干部" not in voters
    topics.advance(organiser(), topic)
    meeting = meetings.schedule(organiser(), topic, form="dongguan.council", mode="offline",
                                starts_at=utcnow() - timedelta(days=1), place="社区议事厅",
                                host="书记")
    meetings.publish_notice(organiser(), topic, meeting, channels=["board"],
                            at=utcnow() - timedelta(days=9))
    topics.advance(organiser(), topic)
    for participant in subjects.participants(topic):
        meetings.sign_in(organiser(), topic, meeting, participant)
    meetings.record_result(organiser(), topic, meeting, held_at=utcnow() - timedelta(hours=1),
                           minutes="理事会议事", outcome="consensus", consensus_text="同意。")
    assert votes.voters_present(meeting) == 9  # ten attended; the official has no seat


def test_the_expert_pool_is_party_members_with_titles_invited_without_a_vote(city):
    community = tree.by_code(ZSD)
    with pytest.raises(DomainError, match="党员"):
        dongguan.add_expert(organiser(), community, name="张工", title="高级工程师",
                            field="建筑结构", party_member=False)
    expert = dongguan.add_expert(organiser(), community, name="张工", title="高级工程师",
                                 field="建筑结构", party_member=True)
    topic = propose()
    screening.screen(organiser(), topic)
    topics.classify(organiser(), topic, "national.public_affairs")
    topics.advance(organiser(), topic)
    topics.accept(organiser(), topic)
    participant = dongguan.invite_expert(organiser(), topic, expert)
    assert participant.kind == "expert" and not participant.votes
    assert "高级工程师" in participant.note


def test_council_page_in_scope_only(city):
    from tests.conftest import AuthActions

    client = city.test_client()
    auth = AuthActions(client)
    auth.login("zsd-organiser")
    url = f"/dongguan/{ZSD}/council"
    assert auth.post(url, {"name": "王委员", "sector": "业委会"}).status_code == 302
    assert "王委员" in client.get(url).get_data(as_text=True)
    page = auth.post(url, {"name": "", "sector": ""})
    assert page.status_code == 400
    auth.logout()
    auth.login("luoma-organiser")
    assert client.get(url).status_code == 403
    assert client.get("/dongguan/120101001001/council").status_code == 404  # not Dongguan


def test_the_topic_page_offers_the_council_and_the_experts(city):
    from tests.conftest import AuthActions

    community = tree.by_code(ZSD)
    seat_eight(community)
    dongguan.add_expert(organiser(), community, name="李工", title="工程师", field="给排水",
                        party_member=True)
    topic = propose()
    screening.screen(organiser(), topic)
    topics.classify(organiser(), topic, "national.public_affairs")
    topics.advance(organiser(), topic)
    topics.accept(organiser(), topic)
    client = city.test_client()
    auth = AuthActions(client)
    auth.login("zsd-organiser")
    url = f"/topics/{topic.id}"
    page = client.get(url).get_data(as_text=True)
    assert "邀请 8 位常设委员" in page and "李工" in page
    assert auth.post(f"/dongguan/topics/{topic.id}/council", {}, form_url=url).status_code == 302
    assert db.session.scalar(select(db.func.count()).select_from(Participant).where(
        Participant.topic_id == topic.id)) == 8


def test_the_city_statistics_section(city):
    from datetime import timedelta

    from core.reports import figures
    from core.reports import saved as reporting

    propose()
    period = figures.Period(local_today() - timedelta(days=1), local_today())
    sections = {s.key: s for s in reporting.sections(tree.by_code("441900000000"), period)}
    statistics = dict((str(label), value) for label, value in
                      sections["dongguan.statistics"].rows)
    assert statistics["协商议题（个）"] == 1
    assert "dongguan.statistics" not in {
        s.key for s in reporting.sections(tree.by_code("120000000000"), period)}


def test_the_council_six_step_method_requires_the_council_to_meet(city):
    community = tree.by_code(ZSD)  # the demo sets its procedure to the council's method
    seat_eight(community)
    topic = propose()
    assert topic.procedure == "dongguan.council"
    screening.screen(organiser(), topic)
    topics.classify(organiser(), topic, "national.public_affairs")
    topics.advance(organiser(), topic)
    topics.accept(organiser(), topic)
    dongguan.seat_council(organiser(), topic)
    topics.advance(organiser(), topic)
    meeting = meetings.schedule(organiser(), topic, form="dialogue", mode="offline",
                                starts_at=utcnow() - timedelta(days=1), place="社区", host="书记")
    meetings.publish_notice(organiser(), topic, meeting, channels=["board"],
                            at=utcnow() - timedelta(days=9))
    topics.advance(organiser(), topic)
    assert topic.step == "council"
    gaps = [str(gap) for gap in topics.progress(topic)["missing"]]
    assert "“8+X”理事会本身已召开会议" in gaps


def test_an_unlawful_legal_opinion_blocks_confirmation_in_dongguan(city):
    from core.legal import reviews as legal
    from core.places import settings

    assert settings.get(tree.by_code(ZSD), "legal_unlawful_blocks") is True
    # Outside the city the national default leaves the opinion advisory.
    assert settings.get(tree.by_code("120101001001"), "legal_unlawful_blocks") is False
    assert legal.default_due(tree.by_code(ZSD)) > local_today()
