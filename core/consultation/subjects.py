"""Subjects (协商主体): invitations, applications to join, eligibility, voting rights."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from core.consultation.catalogue import SubjectRule
from core.consultation.procedures import Phase
from core.consultation.topics import area, require_manage, require_phase
from core.kernel import audit
from core.kernel.errors import DomainError
from core.kernel.extensions import db, read_rows
from core.models import (
    Jurisdiction,
    Organisation,
    OrganisationKind,
    Participant,
    ParticipantKind,
    ParticipantStatus,
    Person,
    User,
)
from core.places.tree import like_prefix

#: Organisations that may take part where only registered residents are subjects
#: (collective assets, land, membership: 000 §四(二)).
REGISTERED_ONLY_ORGANISATIONS = (
    OrganisationKind.TOWN_GOVERNMENT,
    OrganisationKind.PARTY_ORGANISATION,
    OrganisationKind.RESIDENTS_COMMITTEE,
    OrganisationKind.SUPERVISION_COMMITTEE,
    OrganisationKind.VILLAGER_GROUP,
    OrganisationKind.COLLECTIVE_ECONOMY,
    OrganisationKind.COOPERATIVE,
)


def person_eligible(topic, person):
    """None if ``person`` may be a subject of ``topic``, else the reason why not."""
    home_area = area(topic)
    home = db.session.get(Jurisdiction, person.jurisdiction_id)
    if not home_area.contains(home):
        return _l("%(name)s is not registered in %(area)s.", name=person.name, area=home_area.name)
    if topic.subject_rule == SubjectRule.REGISTERED_ONLY and not person.registered:
        return _l("Only registered residents (户籍) are subjects of this item; %(name)s is "
                  "not registered.", name=person.name)
    return None


def organisation_eligible(topic, organisation):
    home_area = area(topic)
    home = db.session.get(Jurisdiction, organisation.jurisdiction_id)
    if not (home_area.contains(home) or home.contains(home_area)):
        return _l("%(name)s is outside %(area)s.", name=organisation.name, area=home_area.name)
    if (topic.subject_rule == SubjectRule.REGISTERED_ONLY
            and organisation.kind not in REGISTERED_ONLY_ORGANISATIONS):
        return _l("This item is for registered residents; %(kind)s cannot take part.",
                  kind=organisation.kind_label)
    return None


def _check_open(actor, topic):
    require_manage(actor, topic)
    require_phase(topic, Phase.SUBJECTS)


def _add(actor, topic, participant, action):
    db.session.add(participant)
    audit.record(actor, action, participant, jurisdiction=area(topic),
                 after={"topic": topic.id, "name": participant.name, "kind": participant.kind,
                        "votes": participant.votes, "status": participant.status})
    db.session.commit()
    return participant


def _already(topic, **match):
    return db.session.scalar(select(Participant).where(Participant.topic_id == topic.id,
                                                       *(getattr(Participant, key) == value
                                                         for key, value in match.items())))


def invite_person(actor, topic, person, *, votes=True):
    _check_open(actor, topic)
    reason = person_eligible(topic, person)
    if reason:
        raise DomainError(reason)
    existing = _already(topic, person_id=person.id)
    if existing is not None and existing.status != ParticipantStatus.REJECTED:
        raise DomainError(_l("%(name)s is already a subject of this topic.", name=person.name))
    user_id = db.session.scalar(select(User.id).where(User.person_id == person.id).limit(1))
    if existing is not None:
        existing.status, existing.votes = ParticipantStatus.INVITED, bool(votes)
        return _add(actor, topic, existing, "participant.invite")
    return _add(actor, topic, Participant(
        topic_id=topic.id, kind=ParticipantKind.RESIDENT, person_id=person.id,
        user_id=user_id, name=person.name, votes=bool(votes)), "participant.invite")


def invite_organisation(actor, topic, organisation, *, representative=""):
    _check_open(actor, topic)
    reason = organisation_eligible(topic, organisation)
    if reason:
        raise DomainError(reason)
    if _already(topic, organisation_id=organisation.id):
        raise DomainError(_l("%(name)s is already a subject of this topic.",
                             name=organisation.name))
    representative = " ".join((representative or "").split())[:100]
    name = f"{organisation.name}（{representative}）" if representative else organisation.name
    return _add(actor, topic, Participant(
        topic_id=topic.id, kind=ParticipantKind.ORGANISATION, organisation_id=organisation.id,
        name=name), "participant.invite")


def invite_guest(actor, topic, *, kind, name, note="", user=None):
    """Invite an expert, the legal adviser or an official: they speak, they do not vote."""
    _check_open(actor, topic)
    if kind not in ParticipantKind.NON_VOTING:
        raise DomainError(_l("Invite residents and organisations from the register."))
    name = " ".join((name or "").split())
    if not name or len(name) > 100:
        raise DomainError(_l("The name must be 1 to 100 characters."))
    return _add(actor, topic, Participant(
        topic_id=topic.id, kind=kind, name=name, note=(note or "").strip()[:300] or None,
        user_id=user.id if user else None, votes=False), "participant.invite")


def set_votes(actor, topic, participant, votes):
    """Give or withdraw a vote (列席 attendees keep the right to speak)."""
    _check_open(actor, topic)
    if votes and participant.kind in ParticipantKind.NON_VOTING:
        raise DomainError(_l("Invited experts, advisers and officials attend without a vote."))
    before = participant.votes
    participant.votes = bool(votes)
    audit.record(actor, "participant.votes", participant, jurisdiction=area(topic),
                 before={"votes": before}, after={"votes": participant.votes})
    db.session.commit()


def apply(actor, topic):
    """A resident with an account asks to take part (经班子联席会议同意后可参与)."""
    require_phase(topic, Phase.SUBJECTS)
    person = db.session.get(Person, actor.person_id) if actor.person_id else None
    if person is None:
        raise DomainError(_l("Your account is not linked to the resident register; ask the "
                             "committee to link it."))
    reason = person_eligible(topic, person)
    if reason:
        raise DomainError(reason)
    if _already(topic, person_id=person.id):
        raise DomainError(_l("You have already asked to take part, or are invited."))
    return _add(actor, topic, Participant(
        topic_id=topic.id, kind=ParticipantKind.RESIDENT, person_id=person.id, user_id=actor.id,
        name=person.name, status=ParticipantStatus.APPLIED), "participant.apply")


def decide_application(actor, topic, participant, approve):
    _check_open(actor, topic)
    if participant.status != ParticipantStatus.APPLIED:
        raise DomainError(_l("There is no open application from %(name)s.",
                             name=participant.name))
    if approve:
        person = db.session.get(Person, participant.person_id)
        reason = person_eligible(topic, person)
        if reason:
            raise DomainError(reason)
    participant.status = ParticipantStatus.INVITED if approve else ParticipantStatus.REJECTED
    audit.record(actor, "participant.decide", participant, jurisdiction=area(topic),
                 before={"status": ParticipantStatus.APPLIED},
                 after={"status": participant.status})
    db.session.commit()


def remove(actor, topic, participant):
    _check_open(actor, topic)
    audit.record(actor, "participant.remove", participant, jurisdiction=area(topic),
                 before={"name": participant.name, "status": participant.status})
    db.session.delete(participant)
    db.session.commit()


_PARTICIPANTS = (
    select(Participant).where(Participant.topic_id == bindparam("topic_id"),
                              Participant.status.in_(bindparam("statuses", expanding=True)))
    # Joined, not select-in: each participant has at most one of each, and a select-in
    # load builds its second statement anew on every execution.
    .options(joinedload(Participant.person), joinedload(Participant.organisation))
    .order_by(Participant.kind, Participant.id))


def participants(topic, statuses=(ParticipantStatus.INVITED,)):
    return db.session.scalars(_PARTICIPANTS, {"topic_id": topic.id,
                                              "statuses": list(statuses)}).all()


def counts(topic):
    """status → number of participants, in one aggregate query."""
    return dict(db.session.execute(
        select(Participant.status, func.count()).where(Participant.topic_id == topic.id)
        .group_by(Participant.status)).all())


def get(topic, participant_id):
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.topic_id != topic.id:
        raise DomainError(_l("No such participant on this topic."))
    return participant


def participant_of(user, topic, among=None):
    """The participant record of the logged-in ``user`` on ``topic``, if any: found in
    ``among`` (the topic's participants, invited ones included) when the caller has them."""
    if not getattr(user, "is_authenticated", False):
        return None
    if among is not None:
        return next((participant for participant in among if participant.user_id == user.id
                     and participant.status == ParticipantStatus.INVITED), None)
    return db.session.scalar(select(Participant).where(
        Participant.topic_id == topic.id, Participant.user_id == user.id,
        Participant.status == ParticipantStatus.INVITED))


#: How many not yet invited the invitation forms offer at most.
ELIGIBLE_LIMIT = 200


def _eligible(columns, entity, taken_column, registered_only):
    """The statements for who may still be invited, built once: ``entity`` rows of the
    topic's area (its path a LIKE prefix, ``area``) not yet on ``topic_id``, for a topic
    open to anyone and for one whose subjects are registered residents only."""
    taken = select(taken_column).where(Participant.topic_id == bindparam("topic_id"),
                                       taken_column.is_not(None))
    base = (select(*columns).join(Jurisdiction, entity.jurisdiction_id == Jurisdiction.id)
            .where(Jurisdiction.path.startswith(bindparam("area"), escape="/"),
                   entity.id.not_in(taken))
            .order_by(entity.name).limit(ELIGIBLE_LIMIT))
    return {False: base, True: base.where(registered_only)}


_ELIGIBLE_PEOPLE = _eligible((Person.id, Person.name, Person.registered), Person,
                             Participant.person_id, Person.registered.is_(True))
_ELIGIBLE_ORGANISATIONS = _eligible(
    (Organisation.id, Organisation.name, Organisation.kind), Organisation,
    Participant.organisation_id, Organisation.kind.in_(REGISTERED_ONLY_ORGANISATIONS))


def _eligible_rows(statements, topic):
    registered_only = topic.subject_rule == SubjectRule.REGISTERED_ONLY
    return read_rows(statements[registered_only], {
        "topic_id": topic.id, "area": like_prefix(area(topic).path)})


def eligible_people(topic):
    """Register entries of the topic's area who may be invited and are not yet, by name,
    as rows of (id, name, registered)."""
    return _eligible_rows(_ELIGIBLE_PEOPLE, topic)


def eligible_organisations(topic):
    """Organisations of the topic's area that may be invited and are not yet, by name, as
    rows of (id, name, kind)."""
    return _eligible_rows(_ELIGIBLE_ORGANISATIONS, topic)


# The topic's subjects (invited and applying), with whether a resident is registered (户籍)
# and needs an offline channel: the columns the pages show and use, as rows.
_PARTICIPANT_ROWS = (
    select(Participant.id, Participant.kind, Participant.user_id, Participant.name,
           Participant.votes, Participant.status, Person.registered, Person.needs_offline)
    .outerjoin(Person, Participant.person_id == Person.id)
    .where(Participant.topic_id == bindparam("topic_id"),
           Participant.status.in_(bindparam("statuses", expanding=True)))
    .order_by(Participant.kind, Participant.id))


def rows(topic, statuses=(ParticipantStatus.INVITED, ParticipantStatus.APPLIED)):
    """The topic's subjects with ``statuses`` (the invited and the applying), as rows."""
    return read_rows(_PARTICIPANT_ROWS, {"topic_id": topic.id, "statuses": list(statuses)})


def person_to_invite(person_id):
    """The resident chosen in an invitation form, or a refusal the form shows."""
    person = db.session.get(Person, person_id)
    if person is None:
        raise DomainError(_l("Choose a resident from the register."))
    return person


def organisation_to_invite(organisation_id):
    """The organisation chosen in an invitation form, or a refusal the form shows."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise DomainError(_l("Choose an organisation."))
    return organisation
