"""Topics (议题): intake, screening, classification, acceptance, scope and lead, the
procedure's steps."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from core.consultation import attachments, procedures
from core.kernel import audit, permissions
from core.kernel.errors import DomainError, NotFound, PermissionDenied
from core.kernel.extensions import db
from core.kernel.i18n import frozen
from core.kernel.plugins import registry
from core.models import (
    Channel,
    Jurisdiction,
    Level,
    Topic,
    TopicScope,
    TopicStatus,
    utcnow,
)
from core.places import settings

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000


# ------------------------------------------------------------ what plugins offer


def collect(hook_results):
    found = []
    for contributed in hook_results:
        found.extend(contributed or ())
    return found


def catalogue_at(jurisdiction):
    """The catalogue items in effect at ``jurisdiction``, from the plugins enabled there."""
    hooks = registry().hooks_for(jurisdiction)
    return collect(hooks.xs_register_catalogue_items(jurisdiction=jurisdiction))


def procedures_at(jurisdiction):
    """The procedures offered at ``jurisdiction`` by the plugins enabled there, by key."""
    hooks = registry().hooks_for(jurisdiction)
    return {p.key: p for p in collect(hooks.xs_register_procedures(jurisdiction=jurisdiction))}


def _check_procedure(jurisdiction, key):
    if key not in procedures_at(jurisdiction):
        raise DomainError(_l("No procedure %(key)s is available here.", key=key))


settings.declare_check("procedure", _check_procedure)


def meeting_forms_at(jurisdiction):
    """The meeting forms offered at ``jurisdiction`` by the plugins enabled there, by key."""
    hooks = registry().hooks_for(jurisdiction)
    return {form.key: form
            for form in collect(hooks.xs_register_meeting_forms(jurisdiction=jurisdiction))}


def procedure_of(topic):
    """The procedure a topic runs under: the one it was given, from any loaded plugin."""
    jurisdiction = db.session.get(Jurisdiction, topic.jurisdiction_id)
    found = {p.key: p
             for p in collect(registry().hook.xs_register_procedures(jurisdiction=jurisdiction))}
    try:
        return found[topic.procedure]
    except KeyError:
        raise DomainError(_l("The procedure %(key)s of this topic is no longer installed.",
                             key=topic.procedure)) from None


def area(topic):
    """The jurisdiction that owns ``topic`` (from the session's identity map when loaded)."""
    return db.session.get(Jurisdiction, topic.jurisdiction_id)


def current_step(topic):
    """The :class:`Step` of its procedure that ``topic`` is at."""
    return procedure_of(topic).step(topic.step)


# ------------------------------------------------------------------ reading


# The units, the proposer and the scope's few units joined in: one statement.
_TOPIC = select(Topic).where(Topic.id == bindparam("topic_id")).options(
    joinedload(Topic.jurisdiction), joinedload(Topic.origin),
    joinedload(Topic.lead_unit), joinedload(Topic.proposer),
    joinedload(Topic.scope).joinedload(TopicScope.jurisdiction))


def get(topic_id):
    """The topic with ``topic_id`` (its procedure and scope loaded), or NotFound."""
    topic = db.session.scalars(_TOPIC, {"topic_id": topic_id}).unique().first()
    if topic is None:
        raise NotFound(_l("There is no topic %(id)s.", id=topic_id))
    return topic


def require_read(actor, topic):
    if not permissions.can_read_topic(actor, topic):
        raise PermissionDenied(_l("You do not have permission to do this here."))


def require_manage(actor, topic):
    """Refuse (PermissionDenied) unless ``actor`` runs ``topic``."""
    if not permissions.can_manage_topic(actor, topic):
        raise PermissionDenied(_l("You do not have permission to do this here."))


def require_phase(topic, *phases):
    """Refuse unless the topic is open and its current step covers one of ``phases``."""
    if not topic.is_open:
        raise DomainError(_l("This topic is %(status)s; nothing more can be done on it.",
                             status=topic.status_label))
    step = current_step(topic)
    if not set(phases) & set(step.phases):
        raise DomainError(_l("Not at this step: the topic is at “%(step)s”.", step=step.title))
    return step


# ------------------------------------------------------------------ intake


def _clean_text(title, description):
    title = " ".join((title or "").split())
    description = (description or "").strip()
    if not title or len(title) > TITLE_MAX:
        raise DomainError(_l("The title must be 1 to %(n)s characters.", n=TITLE_MAX))
    if len(description) > DESCRIPTION_MAX:
        raise DomainError(_l("The description must be at most %(n)s characters.",
                             n=DESCRIPTION_MAX))
    return title, description


def _require_village(node):
    if node.level != Level.VILLAGE:
        raise DomainError(_l("Topics are raised in a village or community."))


def _new_topic(actor, village, *, title, description, channel, files=(), **fields):
    title, description = _clean_text(title, description)
    procedure_key = settings.get(village, "procedure")
    available = procedures_at(village)
    if procedure_key not in available:
        raise DomainError(_l("No procedure is set for %(name)s.", name=village.name))
    procedure = available[procedure_key]
    topic = Topic(jurisdiction_id=village.id, origin_id=village.id, title=title,
                  description=description, channel=channel, procedure=procedure.key,
                  step=procedure.steps[0].key, step_entered_at=utcnow(), **fields)
    db.session.add(topic)
    db.session.flush()
    for filename, data in files:
        attachments.store(actor, topic, filename, data)
    audit.record(actor, "topic.create", topic, jurisdiction=village,
                 after={"title": title, "channel": channel, "step": topic.step})
    db.session.commit()
    return topic


def propose(actor, village, *, title, description="", files=()):
    """A resident (or anyone holding a role there) proposes a topic online."""
    permissions.require(actor, "topic.propose", village)
    _require_village(village)
    return _new_topic(actor, village, title=title, description=description,
                      channel=Channel.ONLINE, files=files, proposer_id=actor.id)


def record(actor, village, *, title, description="", channel, on_behalf_of, files=()):
    """Staff record a proposal that arrived offline, for the resident or group it came from."""
    permissions.require(actor, "topic.record", village)
    _require_village(village)
    if channel not in Channel.OFFLINE:
        raise DomainError(_l("Choose the channel the proposal came through."))
    on_behalf_of = " ".join((on_behalf_of or "").split())
    if not on_behalf_of or len(on_behalf_of) > 100:
        raise DomainError(_l("Say whom the proposal comes from (1 to 100 characters)."))
    return _new_topic(actor, village, title=title, description=description, channel=channel,
                      files=files, on_behalf_of=on_behalf_of, recorded_by_id=actor.id)


def assign(actor, town, village, *, title, description="", files=()):
    """The town assigns a topic to one of its villages, with materials (交办)."""
    permissions.require(actor, "topic.assign", town)
    if town.level != Level.TOWN or not town.contains(village) or village.level != Level.VILLAGE:
        raise DomainError(_l("A town assigns topics to its own villages and communities."))
    return _new_topic(actor, village, title=title, description=description,
                      channel=Channel.TOWN, files=files, recorded_by_id=actor.id)


# ------------------------------------------------------------------ deciding


def classify(actor, topic, item_code):
    """Place the topic in the catalogue in effect at its jurisdiction."""
    require_manage(actor, topic)
    require_phase(topic, procedures.Phase.COLLECT, procedures.Phase.DEFINE)
    jurisdiction = db.session.get(Jurisdiction, topic.jurisdiction_id)
    items = {item.code: item for item in catalogue_at(jurisdiction)}
    item = items.get(item_code)
    if item is None:
        raise DomainError(_l("Choose an item of the catalogue in effect here."))
    before = {"item": topic.item_code}
    topic.item_code, topic.item_title, topic.item_kind = item.code, frozen(item.title), item.kind
    topic.deciding_bodies = ",".join(item.deciding_bodies)
    topic.subject_rule, topic.offline_required = item.subject_rule, item.offline_required
    topic.witness_required = item.witness_required
    audit.record(actor, "topic.classify", topic, jurisdiction=jurisdiction, before=before,
                 after={"item": item.code})
    db.session.commit()


def accept(actor, topic):
    """Accept the topic (立项); it must be screened and classified first."""
    require_manage(actor, topic)
    require_phase(topic, procedures.Phase.DEFINE)
    if topic.status != TopicStatus.PROPOSED:
        raise DomainError(_l("Only a proposed topic can be accepted."))
    if topic.screened_at is None or not topic.item_code:
        raise DomainError(_l("Screen and classify the topic before accepting it."))
    topic.status = TopicStatus.ACCEPTED
    audit.record(actor, "topic.accept", topic, jurisdiction=area(topic),
                 before={"status": TopicStatus.PROPOSED}, after={"status": topic.status})
    db.session.commit()


def decline(actor, topic, reason):
    """Decline the topic with a reason the proposer sees (回音壁)."""
    require_manage(actor, topic)
    require_phase(topic, procedures.Phase.COLLECT, procedures.Phase.DEFINE)
    if topic.status != TopicStatus.PROPOSED:
        raise DomainError(_l("Only a proposed topic can be declined."))
    reason = (reason or "").strip()
    if not 2 <= len(reason) <= 2000:
        raise DomainError(_l("Give the proposer a reason (2 to 2000 characters)."))
    topic.status, topic.decline_reason = TopicStatus.DECLINED, reason
    audit.record(actor, "topic.decline", topic, jurisdiction=area(topic),
                 before={"status": TopicStatus.PROPOSED},
                 after={"status": topic.status, "reason": reason})
    db.session.commit()


def close(actor, topic, reason):
    """End an accepted topic that will not go on (e.g. the deciding body voted it down)."""
    require_manage(actor, topic)
    if topic.status != TopicStatus.ACCEPTED:
        raise DomainError(_l("Only an accepted topic can be closed."))
    reason = (reason or "").strip()
    if not 2 <= len(reason) <= 2000:
        raise DomainError(_l("Say why the topic is closed (2 to 2000 characters)."))
    topic.status, topic.closed_reason = TopicStatus.CLOSED, reason
    audit.record(actor, "topic.close", topic, jurisdiction=area(topic),
                 before={"status": TopicStatus.ACCEPTED},
                 after={"status": topic.status, "reason": reason})
    db.session.commit()


# ------------------------------------------------------------------ steps


def advance(actor, topic):
    """Move the topic to the next step of its procedure, if every guard holds."""
    require_manage(actor, topic)
    if not topic.is_open:
        raise DomainError(_l("This topic is %(status)s; nothing more can be done on it.",
                             status=topic.status_label))
    procedure = procedure_of(topic)
    step = procedure.step(topic.step)
    following = procedure.next_step(topic.step)
    if following is None:
        raise DomainError(_l("This is the last step of the procedure."))
    gaps = procedures.missing(topic, step)
    if gaps:
        raise DomainError(_l("Cannot move on yet: %(missing)s.",
                             missing="; ".join(str(gap) for gap in gaps)))
    before = topic.step
    topic.step, topic.step_entered_at = following.key, utcnow()
    audit.record(actor, "topic.advance", topic, jurisdiction=area(topic),
                 before={"step": before}, after={"step": following.key})
    db.session.commit()
    return following


def go_back_to(actor, topic, phase, action):
    """Return the topic to the first step covering ``phase`` (a new round of consultation)."""
    procedure = procedure_of(topic)
    target = procedure.first_step_with(phase)
    if target is None or procedure.index(target.key) > procedure.index(topic.step):
        raise DomainError(_l("The procedure has no earlier step to return to."))
    before = topic.step
    topic.step, topic.step_entered_at = target.key, utcnow()
    audit.record(actor, action, topic, jurisdiction=area(topic),
                 before={"step": before}, after={"step": target.key})


def progress(topic):
    """The procedure's steps, each with its state, and what the current one still lacks."""
    procedure = procedure_of(topic)
    here = procedure.index(topic.step)
    steps = []
    for position, step in enumerate(procedure.steps):
        state = "done" if position < here else "current" if position == here else "todo"
        steps.append((step, state))
    step = procedure.step(topic.step)
    return {
        "procedure": procedure,
        "steps": steps,
        "missing": procedures.missing(topic, step) if topic.is_open else [],
        "is_last": procedure.next_step(topic.step) is None,
    }


def count_by_status(jurisdiction):
    return dict(db.session.execute(
        select(Topic.status, func.count()).join(Jurisdiction, Topic.jurisdiction_id ==
                                                Jurisdiction.id)
        .where(Jurisdiction.path.startswith(jurisdiction.path, autoescape=True))
        .group_by(Topic.status)).all())
