"""No consensus: another round (history kept) or referral to the deciding body."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.consultation import meetings, subjects, topics, votes
from core.kernel.errors import DomainError
from core.kernel.extensions import db
from core.models import Meeting, utcnow
from core.models.types import local_today
from tests import lifecycle_helpers as h


def organiser():
    return h.user("luoma-organiser")


def test_no_consensus_then_a_second_round_reaches_it(app, demo):
    topic, _first = h.held(outcome="no_consensus")
    with pytest.raises(DomainError, match="一致意见"):
        topics.advance(organiser(), topic)
    meetings.new_round(organiser(), topic)
    assert topic.step == "notify"
    second = meetings.schedule(organiser(), topic, form="dialogue", mode="offline",
                               starts_at=utcnow() - timedelta(hours=12), place="村委",
                               host="陈书记")
    assert second.round_no == 2
    meetings.publish_notice(organiser(), topic, second, channels=["board", "phone"],
                            at=utcnow() - timedelta(days=4))
    topics.advance(organiser(), topic)
    for participant in subjects.participants(topic):
        meetings.sign_in(organiser(), topic, second, participant)
    meetings.record_result(organiser(), topic, second, held_at=utcnow() - timedelta(hours=1),
                           minutes="修改方案后再议。", outcome="consensus",
                           consensus_text="修改后的方案：分两期更换路灯。")
    rounds = db.session.scalars(select(Meeting.outcome).where(Meeting.topic_id == topic.id)
                                .order_by(Meeting.round_no)).all()
    assert rounds == ["no_consensus", "consensus"]  # the history is kept
    assert "consensus" not in [str(m) for m in topics.progress(topic)["missing"]]


def test_a_consensus_round_needs_no_new_round(app, demo):
    topic, _meeting = h.held()
    with pytest.raises(DomainError, match="无需再次协商"):
        meetings.new_round(organiser(), topic)


def test_major_divergence_is_referred_and_decided_by_the_vote(app, demo):
    topic, _meeting = h.held(outcome="major_divergence")
    with pytest.raises(DomainError):
        meetings.refer(organiser(), topic, "no_such_body")
    meetings.refer(organiser(), topic, "villager_meeting")
    assert topic.referred_to == "villager_meeting"
    with pytest.raises(DomainError, match="本议题由村（居）民会议表决"):
        h.vote(topic, body="representative_meeting")
    vote = votes.record(organiser(), topic, body="villager_meeting",
                        noticed_on=local_today() - timedelta(days=10), held_on=local_today(),
                        eligible=400, present=150, votes_for=120, votes_against=20,
                        votes_abstain=10, households_total=120, households_represented=90)
    assert vote.result == "passed"  # 150/400 is no quorum, but 90/120 households are
    from core.board import entries as board

    entry = board.publish_result(organiser(), topic)
    assert entry.content["payload"]["referred_to"] == "villager_meeting"
    following = topics.advance(organiser(), topic)
    assert following.key == "implement"


def test_a_consensus_cannot_be_referred(app, demo):
    topic, _meeting = h.held()
    with pytest.raises(DomainError, match="未达成一致"):
        meetings.refer(organiser(), topic, "villager_meeting")


def test_a_failed_vote_leads_to_another_round_or_closing(app, demo):
    topic, _meeting = h.confirmed("national.legal_requirement")
    h.vote(topic, eligible=30, present=20, votes_for=9, against=11)
    with pytest.raises(DomainError):
        topics.advance(organiser(), topic)
    meetings.new_round(organiser(), topic)
    assert topic.step == "notify"
