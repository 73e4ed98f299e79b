"""Qingxi town (清溪镇, Dongguan), 2018 pilot plan (seed 000): its 18-item catalogue with a
decision route and subject rule per item, its five-step procedure and its forms."""

from core.toolkit import (
    CatalogueItem,
    ContentKind,
    DecidingBody,
    Jurisdiction,
    MeetingForm,
    Phase,
    Procedure,
    Section,
    Step,
    SubjectRule,
    Topic,
    _l,
    hookimpl,
)

__version__ = "1.0.0"
__title__ = _l("Qingxi 18 items (清溪)")
__description__ = _l("The town's 18-item catalogue with a decision route per item, and "
                     "its pilot report.")

VILLAGER = (DecidingBody.VILLAGER_MEETING,)
#: "报请村（居）民（代表）会议或股东（代表）会议表决" (§四(一), items 3–12).
REPRESENTATIVE_OR_SHAREHOLDER = (DecidingBody.REPRESENTATIVE_MEETING,
                                 DecidingBody.VILLAGER_MEETING,
                                 DecidingBody.SHAREHOLDER_MEETING)
DIRECT = ()
REGISTERED, OPEN = SubjectRule.REGISTERED_ONLY, SubjectRule.OPEN

#: (number, title, kind, deciding bodies, subject rule). Subject rules follow §四(二):
#: collective income, land, projects, compensation, property, homesteads, subsidies,
#: membership, land rights and forest land take registered residents; public welfare
#: and services may invite non-registered residents and other stakeholders.
ITEMS = [
    (1, _l("Carrying out party and government policies and key tasks in the village"),
     ContentKind.POLICY, DIRECT, OPEN),
    (2, _l("The town's plan to set up, abolish or redraw a villagers' committee"),
     ContentKind.LEGAL_REQUIREMENT, VILLAGER, REGISTERED),
    (3, _l("Use of income from the collective economy"), ContentKind.PUBLIC_AFFAIRS,
     REPRESENTATIVE_OR_SHAREHOLDER, REGISTERED),
    (4, _l("Public-welfare undertakings: funding, labour and construction contracts"),
     ContentKind.PUBLIC_AFFAIRS, REPRESENTATIVE_OR_SHAREHOLDER, OPEN),
    (5, _l("Land contracting plans"), ContentKind.PUBLIC_AFFAIRS,
     REPRESENTATIVE_OR_SHAREHOLDER, REGISTERED),
    (6, _l("Collective economic projects: approval and contracting"),
     ContentKind.PUBLIC_AFFAIRS, REPRESENTATIVE_OR_SHAREHOLDER, REGISTERED),
    (7, _l("Use and distribution of land-requisition compensation"),
     ContentKind.PUBLIC_AFFAIRS, REPRESENTATIVE_OR_SHAREHOLDER, REGISTERED),
    (8, _l("Disposal of collective property by loan, lease or otherwise"),
     ContentKind.PUBLIC_AFFAIRS, REPRESENTATIVE_OR_SHAREHOLDER, REGISTERED),
    (9, _l("Allocation of homestead land"), ContentKind.PUBLIC_AFFAIRS,
     REPRESENTATIVE_OR_SHAREHOLDER, REGISTERED),
    (10, _l("Who receives lost-work subsidies, and how much"), ContentKind.PUBLIC_AFFAIRS,
     REPRESENTATIVE_OR_SHAREHOLDER, REGISTERED),
    (11, _l("Membership of the collective economic organisation"),
     ContentKind.PUBLIC_AFFAIRS, REPRESENTATIVE_OR_SHAREHOLDER, REGISTERED),
    (12, _l("Confirming land rights"), ContentKind.PUBLIC_AFFAIRS,
     REPRESENTATIVE_OR_SHAREHOLDER, REGISTERED),
    (13, _l("Developing and using forest land"), ContentKind.PUBLIC_AFFAIRS, DIRECT,
     REGISTERED),
    (14, _l("Use and distribution of donated goods"), ContentKind.PUBLIC_AFFAIRS, DIRECT,
     OPEN),
    (15, _l("Services, health, environment, facilities, property management and other public "
            "affairs"), ContentKind.PUBLIC_AFFAIRS, DIRECT, OPEN),
    (16, _l("Sewers, refuse, restaurant pollution, lifts in old buildings, care for those left "
            "behind, pets and other pressing difficulties and disputes"),
     ContentKind.DIFFICULTIES, DIRECT, OPEN),
    (17, _l("Matters that laws, regulations and policies require to be consulted"),
     ContentKind.LEGAL_REQUIREMENT, DIRECT, OPEN),
    (18, _l("Other matters subjects ask to consult on"), ContentKind.SUBJECT_REQUEST, DIRECT,
     OPEN),
]

#: 提出和确定议题 → 公布协商信息 → 组织开展协商 → 确认协商成果 → 公布协商结果 (§四(四)).
PROCEDURE = Procedure(
    key="qingxi",
    title=_l("Qingxi five-step procedure"),
    plugin="qingxi",
    steps=(
        Step("define", _l("Propose and settle the topic"), (Phase.DEFINE, Phase.SUBJECTS),
             due_days=15),
        Step("announce", _l("Announce the consultation"), (Phase.NOTIFY,), due_days=10),
        Step("consult", _l("Hold the consultation"), (Phase.CONSULT,), due_days=20),
        Step("confirm", _l("Confirm the outcome"), (Phase.CONFIRM,), due_days=20),
        Step("publish", _l("Publish the result"), (Phase.PUBLISH, Phase.IMPLEMENT),
             due_days=90),
    ),
)


#: Major matters (重大事项) whose outcome is notarised or witnessed by a lawyer by default
#: (§四(四)4): the village's organisation and its collective assets, items 2–12.
MAJOR = range(2, 13)


@hookimpl
def xs_register_catalogue_items(jurisdiction):
    return [CatalogueItem(code=f"qingxi.{number}",
                          title=_l("Item %(n)s: %(title)s", n=number, title=title), kind=kind,
                          deciding_bodies=bodies, subject_rule=rule,
                          witness_required=number in MAJOR, plugin="qingxi")
            for number, title, kind, bodies, rule in ITEMS]


@hookimpl
def xs_register_procedures(jurisdiction):
    return [PROCEDURE]


@hookimpl
def xs_register_meeting_forms(jurisdiction):
    """The platforms §四(三) names."""
    forms = [
        ("qingxi.joint", _l("Party-masses joint meeting (党群联席会议)")),
        ("qingxi.council", _l("Villagers' council (村（居）民议事会)")),
        ("qingxi.board", _l("Villagers' board (村（居）民理事会)")),
        ("qingxi.hearing", _l("Decision hearing (决策听证会)")),
        ("qingxi.dialogue", _l("People's dialogue (民情恳谈会)")),
        ("qingxi.owners", _l("Owners' general meeting (业主大会)")),
    ]
    return [MeetingForm(key=key, title=title, plugin="qingxi") for key, title in forms]


@hookimpl
def xs_register_default_settings(jurisdiction):
    return {"procedure": "qingxi"}


@hookimpl
def xs_register_report_sections(jurisdiction, period, figures):
    """For the pilot review (试点总结, §五(三)): topics by the 18 items and by route."""
    from sqlalchemy import func, select

    from core.toolkit import db

    first, after = period.bounds()
    rows = db.session.execute(
        select(Topic.item_code, func.count())
        .join(Jurisdiction, Topic.jurisdiction_id == Jurisdiction.id)
        .where(Jurisdiction.path.startswith(jurisdiction.path, autoescape=True),
               Topic.item_code.like("qingxi.%"), Topic.created_at >= first,
               Topic.created_at < after)
        .group_by(Topic.item_code)).all()
    counts = {int(code.split(".")[1]): number for code, number in rows}
    routes = [
        (_l("Item 2: to the villager meeting"), counts.get(2, 0)),
        (_l("Items 3–12: to a representative or shareholder vote"),
         sum(counts.get(n, 0) for n in range(3, 13))),
        (_l("Items 1, 13–18: implemented directly"),
         sum(counts.get(n, 0) for n in (1, *range(13, 19)))),
    ]
    return [Section("qingxi.routes", _l("Qingxi catalogue: topics by decision route"), routes,
                    chart=True)]
