"""The resident register (居民登记) and the subject organisations of a village or community."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core.kernel import audit, permissions
from core.kernel.errors import DomainError
from core.kernel.extensions import db
from core.models import DeputyRole, Jurisdiction, Level, Organisation, OrganisationKind, Person


def _require_village(jurisdiction):
    if jurisdiction.level != Level.VILLAGE:
        raise DomainError(_l("The register is kept by a village or community."))


def add_person(actor, village, *, name, phone=None, sub_unit=None, registered=True,
               collective_member=False, shareholder=False, party_member=False,
               deputy_roles=(), needs_offline=False):
    permissions.require(actor, "register.manage", village)
    _require_village(village)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError(_l("The name must be 1 to 100 characters."))
    if sub_unit is not None and (sub_unit.id == village.id or not village.contains(sub_unit)):
        raise DomainError(_l("The sub-unit must lie within %(village)s.", village=village.name))
    unknown = set(deputy_roles) - set(DeputyRole.ALL)
    if unknown:
        raise DomainError(_l("Unknown deputy role %(role)s.", role=", ".join(sorted(unknown))))
    if shareholder and not collective_member:
        raise DomainError(_l("A shareholder must be a member of the collective economic "
                             "organisation."))
    person = Person(
        jurisdiction_id=village.id, sub_unit_id=sub_unit.id if sub_unit else None,
        name=name, phone=(phone or "").strip() or None, registered=registered,
        collective_member=collective_member, shareholder=shareholder,
        party_member=party_member, deputy_roles=",".join(sorted(set(deputy_roles))),
        needs_offline=needs_offline,
    )
    db.session.add(person)
    audit.record(actor, "person.create", person, jurisdiction=village,
                 after={"name": name, "registered": registered})
    db.session.commit()
    return person


def people_page(actor, village, *, page_number=1, per_page=50, search=""):
    permissions.require(actor, "register.read", village)
    query = select(Person).where(Person.jurisdiction_id == village.id)
    if search:
        query = query.where(Person.name.contains(search, autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.options(selectinload(Person.sub_unit)).order_by(Person.name, Person.id)
        .limit(per_page).offset((page_number - 1) * per_page)
    ).all()
    return rows, total


def add_organisation(actor, jurisdiction, *, name, kind):
    permissions.require(actor, "register.manage", jurisdiction)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise DomainError(_l("The name must be 1 to 200 characters."))
    if kind not in OrganisationKind.labels():
        raise DomainError(_l("Unknown kind of organisation."))
    organisation = Organisation(jurisdiction_id=jurisdiction.id, name=name, kind=kind)
    db.session.add(organisation)
    audit.record(actor, "organisation.create", organisation, jurisdiction=jurisdiction,
                 after={"name": name, "kind": kind})
    db.session.commit()
    return organisation


def organisations_page(actor, jurisdiction, *, page_number=1, per_page=50):
    permissions.require(actor, "register.read", jurisdiction)
    query = (
        select(Organisation)
        .join(Jurisdiction, Organisation.jurisdiction_id == Jurisdiction.id)
        .where(Jurisdiction.path.startswith(jurisdiction.path, autoescape=True))
    )
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.options(selectinload(Organisation.jurisdiction))
        .order_by(Organisation.kind, Organisation.name)
        .limit(per_page).offset((page_number - 1) * per_page)
    ).all()
    return rows, total
