"""Outcomes (协商成果): signatures, witness for major matters, confirmation."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.consultation import attachments
from core.consultation.procedures import (
    Phase,
    latest_outcome,
    latest_outcome_row,
    unsigned_attendees,
)
from core.consultation.topics import area, require_manage, require_phase
from core.kernel import audit, permissions
from core.kernel.errors import DomainError
from core.kernel.extensions import db
from core.legal import opinions, reviews
from core.models import Attendance, Outcome, Signature, Topic, utcnow

WITNESS_KINDS = ("notary", "lawyer")
#: The witness kind when the village's own legal adviser witnesses from their account.
ADVISER = "legal_adviser"


def witness_labels():
    """Kinds staff may record; the adviser's own witness is recorded by the adviser."""
    return {"notary": _l("Notary"), "lawyer": _l("Lawyer")}


def witness_kind_labels():
    return dict(witness_labels(), **{ADVISER: _l("The village's legal adviser")})


def current(topic):
    return latest_outcome(topic)


def current_row(topic):
    """The latest outcome as a row of its columns, for showing it (never for changing it:
    the services that sign, witness and confirm take the outcome itself)."""
    return latest_outcome_row(topic)


def _require_open(topic, outcome):
    require_phase(topic, Phase.CONFIRM)
    if outcome is None or outcome.id != getattr(latest_outcome(topic), "id", None):
        raise DomainError(_l("There is no outcome of the latest round to sign."))
    if outcome.confirmed_at is not None:
        raise DomainError(_l("The outcome is confirmed; it can no longer change."))


def _attended(outcome, participant):
    return db.session.scalar(select(Attendance.id).where(
        Attendance.meeting_id == outcome.meeting_id,
        Attendance.participant_id == participant.id)) is not None


def _record_signature(actor, topic, outcome, participant, method, attachment=None):
    if participant.topic_id != topic.id or not _attended(outcome, participant):
        raise DomainError(_l("Only participants who attended the meeting sign its outcome."))
    if db.session.scalar(select(Signature.id).where(Signature.outcome_id == outcome.id,
                                                    Signature.participant_id == participant.id)):
        raise DomainError(_l("%(name)s has already signed.", name=participant.name))
    signature = Signature(outcome_id=outcome.id, participant_id=participant.id, method=method,
                          attachment_id=attachment.id if attachment else None,
                          recorded_by_id=actor.id)
    db.session.add(signature)
    audit.record(actor, "outcome.sign", signature, jurisdiction=area(topic),
                 after={"participant": participant.name, "method": method})
    db.session.commit()
    return signature


def sign_electronically(actor, topic, outcome, participant):
    """A logged-in participant signs the consensus text themselves."""
    _require_open(topic, outcome)
    if participant.user_id is None or participant.user_id != actor.id:
        raise DomainError(_l("You can only sign for yourself."))
    return _record_signature(actor, topic, outcome, participant, "electronic")


def record_paper_signature(actor, topic, outcome, participant, *, filename, data):
    """Staff record a signature given on paper, with the scan attached."""
    require_manage(actor, topic)
    _require_open(topic, outcome)
    if not data:
        raise DomainError(_l("Attach the scan of the signed paper."))
    attachment = attachments.store(actor, topic, filename, data, purpose="signature")
    db.session.flush()
    return _record_signature(actor, topic, outcome, participant, "paper", attachment)


def require_witness(actor, topic, outcome, required):
    """Mark the outcome a major matter that a notary or lawyer must witness."""
    require_manage(actor, topic)
    _require_open(topic, outcome)
    outcome.witness_required = bool(required)
    audit.record(actor, "outcome.witness_required", outcome, jurisdiction=area(topic),
                 after={"required": outcome.witness_required})
    db.session.commit()


def record_witness(actor, topic, outcome, *, kind, name):
    require_manage(actor, topic)
    _require_open(topic, outcome)
    if kind not in WITNESS_KINDS:
        raise DomainError(_l("Choose a notary or a lawyer."))
    name = " ".join((name or "").split())
    if not name or len(name) > 100:
        raise DomainError(_l("The name must be 1 to 100 characters."))
    outcome.witness_kind, outcome.witness_name, outcome.witnessed_at = kind, name, utcnow()
    audit.record(actor, "outcome.witness", outcome, jurisdiction=area(topic),
                 after={"kind": kind, "name": name})
    db.session.commit()


def witness_as_adviser(actor, topic, outcome):
    """The village's legal adviser records, from their own account, that they witnessed
    the signatures of a major matter; it goes into the published result."""
    permissions.require(actor, "legal.witness", reviews.village_of_topic(topic))
    _require_open(topic, outcome)
    if not outcome.witness_required:
        raise DomainError(_l("Only a major matter needs a witness."))
    if not signatures(outcome):
        raise DomainError(_l("There are no signatures to witness yet."))
    outcome.witness_kind, outcome.witness_name = ADVISER, actor.display_name[:100]
    outcome.witness_user_id, outcome.witnessed_at = actor.id, utcnow()
    audit.record(actor, "outcome.witness", outcome, jurisdiction=area(topic),
                 after={"kind": ADVISER, "name": outcome.witness_name})
    db.session.commit()


def missing_for_confirmation(outcome):
    """What still stands between the outcome and its confirmation."""
    gaps = []
    unsigned = unsigned_attendees(outcome)
    if unsigned:
        gaps.append(_l("Not yet signed: %(names)s", names="、".join(p.name for p in unsigned)))
    if outcome.witness_required and outcome.witnessed_at is None:
        gaps.append(_l("A notary or lawyer must witness this major matter"))
    if opinions.blocks_confirmation(db.session.get(Topic, outcome.topic_id)):
        gaps.append(_l("The legal adviser found it unlawful: revise it until the adviser "
                       "agrees, or the town overrides the opinion with a reason"))
    return gaps


def confirm(actor, topic, outcome):
    """Confirm the outcome once every attendee signed (and the witness, if required)."""
    require_manage(actor, topic)
    _require_open(topic, outcome)
    gaps = missing_for_confirmation(outcome)
    if gaps:
        raise DomainError(_l("Cannot confirm yet: %(missing)s.",
                             missing="; ".join(str(gap) for gap in gaps)))
    outcome.confirmed_at, outcome.confirmed_by_id = utcnow(), actor.id
    audit.record(actor, "outcome.confirm", outcome, jurisdiction=area(topic),
                 after={"confirmed_at": outcome.confirmed_at.isoformat()})
    db.session.commit()


def signatures(outcome):
    return db.session.scalars(
        select(Signature).where(Signature.outcome_id == outcome.id)
        .options(selectinload(Signature.participant)).order_by(Signature.id)
    ).all()


def get(topic, outcome_id):
    outcome = db.session.get(Outcome, outcome_id)
    if outcome is None or outcome.topic_id != topic.id:
        raise DomainError(_l("No such outcome on this topic."))
    return outcome
