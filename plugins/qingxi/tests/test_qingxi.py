"""Qingxi's plugin drives the lifecycle: its catalogue routes, subject rules and five steps."""

import pytest
from sqlalchemy import select

from core.board import entries as board
from core.consultation import screening, subjects, topics
from core.kernel import permissions
from core.kernel.errors import DomainError
from core.kernel.extensions import db
from core.models import Topic
from core.models.types import local_today
from core.places import plugin_settings, tree
from tests import lifecycle_helpers as h


@pytest.fixture
def qingxi(make_app):
    from core import demo

    app = make_app({"XS_PLUGINS": ["national", "qingxi"]})
    with app.app_context():
        demo.load(with_topics=False)
        yield app


def drive_to_confirm(item):
    """A 罗马村 topic on Qingxi item ``item``, consulted with consensus and confirmed."""
    from datetime import timedelta

    from core.consultation import meetings, outcomes
    from core.models import utcnow

    organiser = h.user("luoma-organiser")
    topic = h.proposed()
    assert topic.procedure == "qingxi" and topic.step == "define"
    screening.screen(organiser, topic)
    topics.classify(organiser, topic, f"qingxi.{item}")
    topics.accept(organiser, topic)
    for name in ("陈志强", "陈美玲"):
        subjects.invite_person(organiser, topic, h.person(name))
    topics.advance(organiser, topic)
    assert topic.step == "announce"
    meeting = meetings.schedule(organiser, topic, form="qingxi.joint", mode="offline",
                                starts_at=utcnow() - timedelta(days=1), place="村委",
                                host="陈书记")
    meetings.publish_notice(organiser, topic, meeting, channels=["board"],
                            at=utcnow() - timedelta(days=10))
    topics.advance(organiser, topic)
    for participant in subjects.participants(topic):
        meetings.sign_in(organiser, topic, meeting, participant)
    meetings.record_result(organiser, topic, meeting, held_at=utcnow() - timedelta(hours=2),
                           minutes="讨论", outcome="consensus", consensus_text="同意方案。")
    topics.advance(organiser, topic)
    assert topic.step == "confirm"
    outcome = outcomes.current(topic)
    assert outcome.witness_required == (2 <= item <= 12)  # major matters (§四(四)4)
    for participant in subjects.participants(topic):
        outcomes.record_paper_signature(organiser, topic, outcome, participant,
                                        filename="s.png", data=h.PNG)
    if outcome.witness_required:
        with pytest.raises(DomainError, match="见证"):
            outcomes.confirm(organiser, topic, outcome)
        outcomes.record_witness(organiser, topic, outcome, kind="lawyer", name="李律师")
    outcomes.confirm(organiser, topic, outcome)
    return topic


def test_item_7_topic_goes_to_a_representative_or_shareholder_vote(qingxi):
    topic = drive_to_confirm(7)
    assert topic.deciding_body_list == ["representative_meeting", "villager_meeting",
                                        "shareholder_meeting"]
    with pytest.raises(DomainError, match="表决"):
        topics.advance(h.user("luoma-organiser"), topic)
    h.vote(topic, body="shareholder_meeting", eligible=90, present=60, votes_for=40)
    topics.advance(h.user("luoma-organiser"), topic)
    assert topic.step == "publish"
    board.publish_result(h.user("luoma-organiser"), topic)


def test_item_15_topic_goes_straight_to_implementation(qingxi):
    topic = drive_to_confirm(15)
    assert topic.deciding_body_list == []
    topics.advance(h.user("luoma-organiser"), topic)
    assert topic.step == "publish"
    entry = board.publish_result(h.user("luoma-organiser"), topic)
    assert entry.content["payload"]["votes"] == []


def test_item_2_goes_to_the_villager_meeting_only(qingxi):
    topic = drive_to_confirm(2)
    with pytest.raises(DomainError, match="村（居）民会议表决"):
        h.vote(topic, body="representative_meeting")


def test_collective_items_take_registered_residents_public_welfare_invites_others(qingxi):
    organiser = h.user("luoma-organiser")
    for item, allowed in ((3, False), (13, False), (4, True), (15, True)):
        topic = h.proposed(title=f"第{item}项议题")
        screening.screen(organiser, topic)
        topics.classify(organiser, topic, f"qingxi.{item}")
        topics.accept(organiser, topic)
        if allowed:
            subjects.invite_person(organiser, topic, h.person("李建国"))
        else:
            with pytest.raises(DomainError, match="户籍"):
                subjects.invite_person(organiser, topic, h.person("李建国"))


def test_the_five_steps_in_order(qingxi):
    from core.consultation.topics import procedure_of

    topic = h.proposed()
    steps = [str(step.title) for step in procedure_of(topic).steps]
    assert steps == ["提出和确定协商议题", "公布协商信息", "组织开展协商", "确认协商成果",
                     "公布协商结果"]


def test_qingxi_forms_and_catalogue_only_where_enabled(qingxi, client=None):
    luoma, xinjin = tree.by_code("441900121201"), tree.by_code("120101001001")
    assert "qingxi.joint" in topics.meeting_forms_at(luoma)
    assert "qingxi.joint" not in topics.meeting_forms_at(xinjin)
    assert any(item.code == "qingxi.7" for item in topics.catalogue_at(luoma))
    assert not any(item.plugin == "qingxi" for item in topics.catalogue_at(xinjin))
    other = topics.propose(h.user("xinjin-organiser"), xinjin, title="天津的议题")
    assert other.procedure == "national"
    # Switching the plugin off for one village returns it to the national procedure.
    plugin_settings.disable(permissions.SYSTEM, "qingxi", tree.by_code("441900121202"))
    later = topics.propose(h.user("qingxicun-organiser"), tree.by_code("441900121202"),
                           title="清溪村的议题")
    assert later.procedure == "national"
    assert db.session.scalar(select(Topic.procedure).where(Topic.id == other.id)) == "national"


def test_pilot_review_counts_topics_by_route(qingxi):
    from datetime import timedelta

    from core.reports import figures
    from core.reports import saved as reporting

    drive_to_confirm(7)
    drive_to_confirm(15)
    period = figures.Period(local_today() - timedelta(days=1), local_today())
    sections = {s.key: s for s in reporting.sections(tree.by_code("441900121000"), period)}
    routes = [value for _label, value in sections["qingxi.routes"].rows]
    assert routes == [0, 1, 1]
