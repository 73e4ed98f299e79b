"""Quorum and majority at the boundaries, as the Villager Committee Organisation Law sets them."""

from datetime import timedelta

import pytest

from core.consultation import votes
from core.consultation.catalogue import DecidingBody
from core.consultation.votes import MORE_THAN_HALF, TWO_THIRDS, Rule, tally
from core.kernel.errors import DomainError
from core.models.types import local_today
from core.places import settings, tree
from tests import lifecycle_helpers as h

VILLAGER = Rule(quorum=MORE_THAN_HALF, majority=MORE_THAN_HALF, households=TWO_THIRDS)
REPRESENTATIVES = Rule(quorum=TWO_THIRDS, majority=MORE_THAN_HALF)


@pytest.mark.parametrize("present, expected", [(50, "no_quorum"), (51, "passed")])
def test_villager_meeting_needs_more_than_half_of_adult_villagers(present, expected):
    result, _why = tally(VILLAGER, eligible=100, present=present, votes_for=present)
    assert result == expected


@pytest.mark.parametrize("represented, expected", [(66, "no_quorum"), (67, "passed")])
def test_or_representatives_of_two_thirds_of_households(represented, expected):
    # 40 of 100 villagers: too few, unless two thirds of the 100 households are represented.
    result, reasoning = tally(VILLAGER, eligible=100, present=40, votes_for=40,
                              households_total=100, households_represented=represented)
    assert result == expected
    assert f"households {represented}/100 ≥ 2/3" in reasoning


@pytest.mark.parametrize("members, present, expected", [
    (30, 19, "no_quorum"), (30, 20, "passed"),  # two thirds or more ("以上" includes 20)
    (31, 20, "no_quorum"), (31, 21, "passed"),
])
def test_representative_meeting_needs_two_thirds_of_members(members, present, expected):
    result, _why = tally(REPRESENTATIVES, eligible=members, present=present, votes_for=present)
    assert result == expected


@pytest.mark.parametrize("present, votes_for, expected", [
    (20, 10, "failed"),  # exactly half is not more than half
    (20, 11, "passed"),
    (21, 10, "failed"), (21, 11, "passed"),
])
def test_decisions_need_more_than_half_of_those_present(present, votes_for, expected):
    result, reasoning = tally(REPRESENTATIVES, eligible=30, present=present, votes_for=votes_for)
    assert result == expected
    assert f"{votes_for}/{present} > 1/2" in reasoning


def test_a_failed_vote_says_why(app, demo):
    topic, _meeting = h.confirmed("national.legal_requirement")
    vote = h.vote(topic, eligible=30, present=20, votes_for=10, against=10)
    assert vote.result == "failed"
    assert "10/20 > 1/2: no" in vote.reasoning


def test_villager_meeting_needs_ten_days_notice(app, demo):
    topic, _meeting = h.confirmed("national.legal_requirement")
    organiser = h.user("luoma-organiser")
    with pytest.raises(DomainError, match="10"):
        votes.record(organiser, topic, body=DecidingBody.VILLAGER_MEETING,
                     noticed_on=local_today() - timedelta(days=9), held_on=local_today(),
                     eligible=100, present=60, votes_for=40, votes_against=10, votes_abstain=0)
    vote = votes.record(organiser, topic, body=DecidingBody.VILLAGER_MEETING,
                        noticed_on=local_today() - timedelta(days=10), held_on=local_today(),
                        eligible=100, present=60, votes_for=40, votes_against=10,
                        votes_abstain=0)
    assert vote.result == "passed"


@pytest.mark.parametrize("counts, message", [
    ({"eligible": 30, "present": 31, "votes_for": 20}, "多于有表决权"),
    ({"eligible": 30, "present": 20, "votes_for": 15, "against": 6}, "只有享有表决权"),
    ({"eligible": 0, "present": 0, "votes_for": 0}, "须有享有表决权"),
    ({"eligible": -1, "present": 0, "votes_for": 0}, "0 到 10,000,000"),
])
def test_impossible_counts_are_refused_and_nothing_is_recorded(app, demo, counts, message):
    topic, _meeting = h.confirmed("national.legal_requirement")
    with pytest.raises(DomainError, match=message):
        h.vote(topic, **counts)
    assert votes.votes(topic) == []


def test_only_participants_with_a_vote_count_when_held_with_the_meeting(app, demo):
    # 陈志强, 陈美玲 and the committee vote; an expert attends without a vote (列席).
    organiser = h.user("luoma-organiser")
    topic = h.with_subjects("national.legal_requirement")
    from core.consultation import subjects

    subjects.invite_guest(organiser, topic, kind="expert", name="王工程师")
    topic, meeting = _through_consensus(topic)
    vote = h.vote(topic, eligible=3, present=None, votes_for=2, against=1, meeting=meeting)
    assert vote.present == 3  # four attended; the expert's attendance does not count
    with pytest.raises(DomainError):
        h.vote(topic, eligible=3, present=None, votes_for=3, against=1, meeting=meeting)


def _through_consensus(topic):
    from datetime import timedelta as td

    from core.consultation import meetings, outcomes, subjects, topics
    from core.models import utcnow

    organiser = h.user("luoma-organiser")
    topics.advance(organiser, topic)
    meeting = meetings.schedule(organiser, topic, form="council", mode="offline",
                                starts_at=utcnow() - td(days=1), place="村委", host="陈书记")
    meetings.publish_notice(organiser, topic, meeting, channels=["board"],
                            at=utcnow() - td(days=10))
    topics.advance(organiser, topic)
    for participant in subjects.participants(topic):
        meetings.sign_in(organiser, topic, meeting, participant)
    meetings.record_result(organiser, topic, meeting, held_at=utcnow() - td(hours=2),
                           minutes="讨论。", outcome="consensus", consensus_text="同意。")
    outcome = outcomes.current(topic)
    for participant in subjects.participants(topic):
        outcomes.record_paper_signature(organiser, topic, outcome, participant,
                                        filename="s.png", data=h.PNG)
    outcomes.confirm(organiser, topic, outcome)
    return topic, meeting


def test_shareholder_meeting_follows_the_charter_set_for_the_village(app, demo):
    from core.kernel import permissions

    luoma = tree.by_code("441900121201")
    settings.put(permissions.SYSTEM, luoma, "shareholder_quorum", "1/2")
    rule = votes.rule_for(DecidingBody.SHAREHOLDER_MEETING, luoma)
    assert rule.quorum.met(50, 100) and not rule.quorum.met(49, 100)
    with pytest.raises(DomainError):
        settings.put(permissions.SYSTEM, luoma, "shareholder_quorum", "3/2")


def test_a_topic_implemented_directly_takes_no_vote(app, demo):
    topic, _meeting = h.confirmed("national.public_affairs")
    with pytest.raises(DomainError, match="无需表决"):
        h.vote(topic)


def test_vote_before_the_consensus_is_confirmed_is_refused(app, demo):
    topic, _meeting = h.held("national.legal_requirement")
    with pytest.raises(DomainError, match="签名确认"):
        h.vote(topic)
