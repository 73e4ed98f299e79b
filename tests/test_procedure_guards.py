"""Every guard refuses an out-of-order move, with the reason, and changes nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.consultation import meetings, outcomes, screening, subjects, topics
from core.kernel.errors import DomainError, PermissionDenied
from core.kernel.extensions import db
from core.models import AuditEvent, Meeting, utcnow
from tests import lifecycle_helpers as h


def organiser():
    return h.user("luoma-organiser")


def audit_count():
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def refused(operation, match):
    before = audit_count()
    with pytest.raises(DomainError, match=match):
        operation()
    db.session.rollback()
    assert audit_count() == before


def test_a_proposal_cannot_move_on_unscreened_unclassified_unaccepted(app, demo):
    topic = h.proposed()
    refused(lambda: topics.advance(organiser(), topic), "已完成筛查")
    refused(lambda: topics.accept(organiser(), topic), "先筛查并归类")
    screening.screen(organiser(), topic)
    refused(lambda: topics.accept(organiser(), topic), "先筛查并归类")
    topics.classify(organiser(), topic, "national.public_affairs")
    refused(lambda: topics.advance(organiser(), topic), "立项")
    topics.accept(organiser(), topic)
    refused(lambda: topics.advance(organiser(), topic), "至少邀请两个协商主体")
    assert topic.step == "propose"


def test_subjects_cannot_be_invited_after_their_step(app, demo):
    topic = h.with_subjects()
    topics.advance(organiser(), topic)
    refused(lambda: subjects.invite_person(organiser(), topic, h.person("黄小红")),
            "当前步骤不允许")


def test_a_pending_application_holds_the_topic_back(app, demo):
    from core.models import Person, User

    topic = h.with_subjects()
    applicant = db.session.scalar(select(User).where(User.username == "luoma-supervisor"))
    applicant.person_id = db.session.scalar(select(Person.id).where(Person.name == "黄小红"))
    db.session.commit()
    subjects.apply(applicant, topic)
    refused(lambda: topics.advance(organiser(), topic), "参与申请均已处理")


def test_no_notice_without_a_meeting_and_no_meeting_before_its_step(app, demo):
    topic = h.with_subjects()
    refused(lambda: meetings.schedule(organiser(), topic, form="council", mode="offline",
                                      starts_at=utcnow() + timedelta(days=5), place="村委",
                                      host="陈书记"), "当前步骤不允许")
    topics.advance(organiser(), topic)
    refused(lambda: topics.advance(organiser(), topic), "发布通知")


def test_notice_must_come_the_set_number_of_days_ahead(app, demo):
    topic = h.with_subjects()
    topics.advance(organiser(), topic)
    meeting = meetings.schedule(organiser(), topic, form="council", mode="offline",
                                starts_at=utcnow() + timedelta(days=2), place="村委",
                                host="陈书记")
    refused(lambda: meetings.publish_notice(organiser(), topic, meeting, channels=["board"]),
            "提前 3 天通知")
    assert db.session.get(Meeting, meeting.id).notice_at is None


def test_a_meeting_cannot_be_held_before_its_notice_period_passed(app, demo):
    topic = h.with_subjects()
    topics.advance(organiser(), topic)
    meeting = meetings.schedule(organiser(), topic, form="council", mode="offline",
                                starts_at=utcnow() + timedelta(days=4), place="村委",
                                host="陈书记")
    meetings.publish_notice(organiser(), topic, meeting, channels=["board"])
    topics.advance(organiser(), topic)
    for participant in subjects.participants(topic):
        meetings.sign_in(organiser(), topic, meeting, participant)
    refused(lambda: meetings.record_result(organiser(), topic, meeting, held_at=utcnow(),
                                           minutes="讨论", outcome="consensus",
                                           consensus_text="同意"), "通知发布满 3 天")


def test_no_result_without_attendance_and_no_consensus_without_text(app, demo):
    topic, meeting = h.noticed()
    topics.advance(organiser(), topic)
    refused(lambda: meetings.record_result(organiser(), topic, meeting,
                                           held_at=utcnow() - timedelta(hours=1), minutes="x",
                                           outcome="consensus", consensus_text="x"), "签到")
    for participant in subjects.participants(topic):
        meetings.sign_in(organiser(), topic, meeting, participant)
    refused(lambda: meetings.record_result(organiser(), topic, meeting,
                                           held_at=utcnow() - timedelta(hours=1), minutes="x",
                                           outcome="consensus", consensus_text=""), "一致意见")


def test_the_outcome_is_confirmed_only_when_everyone_present_signed(app, demo):
    topic, _meeting = h.held()
    outcome = outcomes.current(topic)
    refused(lambda: topics.advance(organiser(), topic), "签名确认")
    refused(lambda: outcomes.confirm(organiser(), topic, outcome), "尚未签名")
    first, *rest = subjects.participants(topic)
    outcomes.record_paper_signature(organiser(), topic, outcome, first, filename="s.png",
                                    data=h.PNG)
    refused(lambda: outcomes.record_paper_signature(organiser(), topic, outcome, first,
                                                    filename="s.png", data=h.PNG), "已签名")
    refused(lambda: outcomes.confirm(organiser(), topic, outcome), rest[0].name)


def test_major_matter_needs_its_witness(app, demo):
    topic, _meeting = h.held()
    outcome = outcomes.current(topic)
    outcomes.require_witness(organiser(), topic, outcome, True)
    for participant in subjects.participants(topic):
        outcomes.record_paper_signature(organiser(), topic, outcome, participant,
                                        filename="s.png", data=h.PNG)
    refused(lambda: outcomes.confirm(organiser(), topic, outcome), "公证或律师见证")
    outcomes.record_witness(organiser(), topic, outcome, kind="lawyer", name="李律师")
    outcomes.confirm(organiser(), topic, outcome)
    refused(lambda: outcomes.record_witness(organiser(), topic, outcome, kind="notary",
                                            name="x"), "已确认")


def test_a_participant_signs_only_for_themselves(app, demo):
    topic, _meeting = h.held()
    outcome = outcomes.current(topic)
    others = [p for p in subjects.participants(topic) if p.name != "陈美玲"]
    refused(lambda: outcomes.sign_electronically(h.user("luoma-resident"), topic, outcome,
                                                 others[0]), "只能为自己签名")


def test_the_result_is_published_before_implementation(app, demo):
    topic, _meeting = h.confirmed()
    refused(lambda: topics.advance(organiser(), topic), "公开栏")


def test_the_last_step_is_the_last(app, demo):
    topic, _meeting, _entry = h.published()
    topics.advance(organiser(), topic)
    refused(lambda: topics.advance(organiser(), topic), "最后一步")


def test_wrong_jurisdiction_and_wrong_role_are_refused(app, demo):
    topic = h.proposed()
    with pytest.raises(PermissionDenied):
        screening.screen(h.user("zsd-organiser"), topic)
    with pytest.raises(PermissionDenied):
        screening.screen(h.user("luoma-resident"), topic)
    with pytest.raises(PermissionDenied):
        screening.screen(h.user("luoma-supervisor"), topic)
    assert topic.screened_at is None


def test_closed_and_declined_topics_take_no_more_actions(app, demo):
    topic = h.proposed()
    topics.decline(organiser(), topic, "属于政府职能范围，已转交镇城建办。")
    refused(lambda: screening.screen(organiser(), topic), "不予立项")
    other = h.with_subjects(title="另一个议题")
    topics.close(organiser(), other, "提议人撤回。")
    refused(lambda: topics.advance(organiser(), other), "已终止")


def test_offline_required_item_refuses_an_online_meeting(app, demo):
    topic = h.with_subjects()
    topic.offline_required = True  # as a catalogue item marked offline-only would set it
    db.session.commit()
    topics.advance(organiser(), topic)
    refused(lambda: meetings.schedule(organiser(), topic, form="online_hall", mode="online",
                                      starts_at=utcnow() + timedelta(days=5), place="线上",
                                      host="陈书记", offline_channel="村委会"), "线下协商")


def test_an_online_meeting_keeps_an_offline_channel(app, demo):
    topic = h.with_subjects()
    topics.advance(organiser(), topic)
    refused(lambda: meetings.schedule(organiser(), topic, form="online_hall", mode="online",
                                      starts_at=utcnow() + timedelta(days=5), place="网上议事厅",
                                      host="陈书记"), "线下渠道")
    refused(lambda: meetings.schedule(organiser(), topic, form="online_hall", mode="offline",
                                      starts_at=utcnow() + timedelta(days=5), place="村委",
                                      host="陈书记"), "线上进行")
    meeting = meetings.schedule(organiser(), topic, form="online_hall", mode="online",
                                starts_at=utcnow() + timedelta(days=5), place="网上议事厅",
                                host="陈书记", offline_channel="村委会一楼设线下参与点")
    assert meeting.offline_channel == "村委会一楼设线下参与点"


def test_a_noticed_meeting_moves_only_as_far_as_its_notice_allows(app, demo, client, auth):
    topic = h.with_subjects()
    topics.advance(organiser(), topic)
    meeting = meetings.schedule(organiser(), topic, form="council", mode="offline",
                                starts_at=utcnow() + timedelta(days=6), place="村委",
                                host="陈书记")
    meetings.publish_notice(organiser(), topic, meeting, channels=["board"])
    refused(lambda: meetings.reschedule(organiser(), topic, meeting,
                                        starts_at=utcnow() + timedelta(days=1), place="村委"),
            "太近")
    auth.login("luoma-organiser")
    url = f"/topics/{topic.id}/meetings/{meeting.id}"
    from datetime import datetime
    from zoneinfo import ZoneInfo

    later = (datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=8)).strftime(
        "%Y-%m-%dT%H:%M")
    response = auth.post(f"{url}/reschedule", {"starts_at": later, "place": "村文化室"},
                         form_url=url, prefix="move")
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.place == "村文化室"
