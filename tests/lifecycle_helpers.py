"""Shortcuts for tests that need a topic at a given point of its procedure (via services)."""

from datetime import timedelta

from sqlalchemy import select

from core.consultation import meetings, outcomes, screening, subjects, topics, votes
from core.kernel.extensions import db
from core.models import Organisation, Person, User, utcnow
from core.models.types import local_today
from core.places import tree

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def user(name):
    return db.session.scalar(select(User).where(User.username == name))


def person(name):
    return db.session.scalar(select(Person).where(Person.name == name))


def organisation(name):
    return db.session.scalar(select(Organisation).where(Organisation.name == name))


def proposed(title="修缮罗马村道路路灯", village="441900121201",
             description="路灯坏了半年，晚上出行不安全。"):
    return topics.propose(user("luoma-resident"), tree.by_code(village), title=title,
                          description=description)


def accepted(item="national.public_affairs", **kwargs):
    organiser = user("luoma-organiser")
    topic = proposed(**kwargs)
    screening.screen(organiser, topic)
    topics.classify(organiser, topic, item)
    topics.accept(organiser, topic)
    return topic


def with_subjects(item="national.public_affairs", **kwargs):
    organiser = user("luoma-organiser")
    topic = accepted(item, **kwargs)
    subjects.invite_person(organiser, topic, person("陈志强"))
    subjects.invite_person(organiser, topic, person("陈美玲"))
    subjects.invite_organisation(organiser, topic, organisation("罗马村民委员会"))
    return topic


def noticed(item="national.public_affairs", **kwargs):
    organiser = user("luoma-organiser")
    topic = with_subjects(item, **kwargs)
    topics.advance(organiser, topic)
    meeting = meetings.schedule(organiser, topic, form="council", mode="offline",
                                starts_at=utcnow() - timedelta(days=1), place="罗马村委会议室",
                                host="陈书记")
    meetings.publish_notice(organiser, topic, meeting, channels=["board"],
                            at=utcnow() - timedelta(days=10))
    return topic, meeting


def held(item="national.public_affairs", outcome="consensus", **kwargs):
    organiser = user("luoma-organiser")
    topic, meeting = noticed(item, **kwargs)
    topics.advance(organiser, topic)
    for participant in subjects.participants(topic):
        meetings.sign_in(organiser, topic, meeting, participant)
    meetings.record_result(organiser, topic, meeting, held_at=utcnow() - timedelta(hours=20),
                           minutes="与会人员充分讨论。", outcome=outcome,
                           consensus_text="由村集体出资更换路灯20盏。" if outcome == "consensus"
                           else "")
    return topic, meeting


def confirmed(item="national.public_affairs", **kwargs):
    organiser = user("luoma-organiser")
    topic, meeting = held(item, **kwargs)
    outcome = outcomes.current(topic)
    for participant in subjects.participants(topic):
        outcomes.record_paper_signature(organiser, topic, outcome, participant,
                                        filename="sign.png", data=PNG)
    outcomes.confirm(organiser, topic, outcome)
    return topic, meeting


def vote(topic, body="representative_meeting", eligible=30, present=21, votes_for=11,
         against=5, abstain=0, **kwargs):
    return votes.record(user("luoma-organiser"), topic, body=body,
                        noticed_on=local_today() - timedelta(days=12), held_on=local_today(),
                        eligible=eligible, present=present, votes_for=votes_for,
                        votes_against=against, votes_abstain=abstain, **kwargs)


def published(item="national.public_affairs", **kwargs):
    """A confirmed topic whose result is on the board (votes first where the item needs one)."""
    from core.board import entries as board

    topic, meeting = confirmed(item, **kwargs)
    if topic.deciding_body_list:
        vote(topic, body=topic.deciding_body_list[-1])
    entry = board.publish_result(user("luoma-organiser"), topic)
    return topic, meeting, entry
