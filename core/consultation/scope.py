"""A topic's scope (the units it concerns) and who leads it: the village, or the town when
it spans villages."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from core.consultation import procedures, topics
from core.kernel import audit, permissions
from core.kernel.errors import DomainError
from core.kernel.extensions import db
from core.models import (
    Jurisdiction,
    Lead,
    Level,
    Meeting,
    TopicScope,
    TopicStatus,
    utcnow,
)
from core.places import settings, tree


def lead_for(units):
    """(lead, lead unit, owning jurisdiction) for a scope, as the rules set it.

    One sub-unit: the village committee with that unit's head. Several
    sub-units, or the whole village: the village committee. Two or more
    villages: the town party committee, which then owns the topic.
    """
    villages = {}
    for unit in units:
        villages.setdefault(_village_of(unit).id, []).append(unit)
    if len(villages) > 1:
        towns = {(tree.town_of(unit) or unit).id for unit in units}
        if len(towns) > 1:
            raise DomainError(_l("A matter across several towns is beyond a town-led "
                                 "consultation; raise it with the district."))
        return Lead.TOWN, None, tree.town_of(units[0])
    (village_id, members), = villages.items()
    village = db.session.get(Jurisdiction, village_id)
    if len(members) == 1 and members[0].level in Level.SUB_UNITS:
        return Lead.VILLAGE_WITH_UNIT, members[0], village
    return Lead.VILLAGE, None, village


def _village_of(unit):
    if unit.level == Level.VILLAGE:
        return unit
    codes = unit.ancestor_codes
    village = db.session.scalar(select(Jurisdiction).where(
        Jurisdiction.code.in_(codes), Jurisdiction.level == Level.VILLAGE))
    if village is None:
        raise DomainError(_l("%(name)s is not part of a village or community.", name=unit.name))
    return village


def set_scope(actor, topic, units):
    """Record which units the topic affects; this decides who leads and who owns it."""
    topics.require_manage(actor, topic)
    topics.require_phase(topic, procedures.Phase.COLLECT, procedures.Phase.DEFINE)
    if topic.status != TopicStatus.PROPOSED:
        raise DomainError(_l("The scope is set before the topic is accepted."))
    if not units:
        raise DomainError(_l("Choose at least one affected unit."))
    origin = db.session.get(Jurisdiction, topic.origin_id)
    town = tree.town_of(origin)
    for unit in units:
        if not (origin.contains(unit) or (town is not None and town.contains(unit)
                                          and unit.level not in (Level.TOWN,))):
            raise DomainError(_l("%(name)s is outside this topic's town.", name=unit.name))
    lead, lead_unit, owner = lead_for(units)
    previous = db.session.scalars(select(TopicScope.jurisdiction_id).where(
        TopicScope.topic_id == topic.id)).all()
    before = {"lead": topic.lead, "owner": topic.jurisdiction_id, "scope": sorted(previous)}
    db.session.execute(delete(TopicScope).where(TopicScope.topic_id == topic.id))
    db.session.add_all(TopicScope(topic_id=topic.id, jurisdiction_id=unit.id)
                       for unit in {unit.id: unit for unit in units}.values())
    topic.lead, topic.lead_unit_id = lead, lead_unit.id if lead_unit else None
    # The procedure comes from where the consultation is led: the town sets it for a
    # cross-village topic (004 §二(四)); a single building or compound may have a lighter
    # one of its own (micro-consultation).
    home = lead_unit if lead_unit is not None else owner
    procedure_key = settings.get(home, "procedure")
    available = topics.procedures_at(home)
    if procedure_key not in available:
        raise DomainError(_l("No procedure is set for %(name)s.", name=home.name))
    topic.jurisdiction_id = owner.id
    db.session.execute(update(Meeting).where(Meeting.topic_id == topic.id)
                       .values(jurisdiction_id=owner.id))
    if procedure_key != topic.procedure:
        topic.procedure = procedure_key
        topic.step = available[procedure_key].steps[0].key
        topic.step_entered_at = utcnow()
    audit.record(actor, "topic.scope", topic, jurisdiction=owner, before=before,
                 after={"lead": lead, "owner": owner.id,
                        "scope": sorted(unit.id for unit in units)})
    db.session.commit()
    permissions.forget(actor)




def scope_options(topic):
    """(code, label) for every unit a topic's scope may cover: its village, each sub-unit
    indented under its parent (经济社, 小区 › 楼栋 › 楼门), then the town's other villages."""
    origin = db.session.get(Jurisdiction, topic.origin_id)
    town = tree.town_of(origin)
    units = db.session.scalars(
        select(Jurisdiction).where(Jurisdiction.path.startswith(origin.path, autoescape=True),
                                   Jurisdiction.id != origin.id)
        .order_by(Jurisdiction.path).limit(300)).all()
    choices = [(origin.code, origin.name)] + [
        (unit.code, "\u3000" * (unit.depth - origin.depth - 1) + unit.name) for unit in units]
    if town is not None:
        choices += [(village.code, village.name) for village in db.session.scalars(
            select(Jurisdiction).where(Jurisdiction.parent_id == town.id,
                                       Jurisdiction.id != origin.id)
            .order_by(Jurisdiction.code).limit(200))]
    return choices
