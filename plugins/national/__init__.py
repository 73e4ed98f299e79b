"""The national defaults (中办/国办《关于加强城乡社区协商的意见》, 2015): always on.

Every jurisdiction inherits them; town and provincial plugins add to them:
the five kinds of content as a catalogue, the general four-step procedure,
the standard meeting forms, and default settings.
"""

from core.toolkit import (
    CatalogueItem,
    ContentKind,
    DecidingBody,
    Finding,
    FindingLevel,
    MeetingForm,
    Phase,
    Procedure,
    Step,
    _l,
    hookimpl,
)

ALWAYS_ON = True
__version__ = "1.0.0"
__title__ = _l("National rules (2015)")
__description__ = _l("The national catalogue, procedure, meeting forms and defaults; always on.")

#: The general procedure of the national opinion (004 §二(四)): propose the topic
#: and its subjects, notify in advance, consult, implement and feed back.
PROCEDURE = Procedure(
    key="national",
    title=_l("National general procedure (4 steps)"),
    plugin="national",
    steps=(
        Step("propose", _l("Propose the topic and its subjects"),
             (Phase.DEFINE, Phase.SUBJECTS), due_days=15),
        Step("notify", _l("Notify the subjects in advance"), (Phase.NOTIFY,), due_days=10),
        Step("consult", _l("Consult, confirm and publish the outcome"),
             (Phase.CONSULT, Phase.CONFIRM, Phase.PUBLISH), due_days=30),
        Step("implement", _l("Implement and report back"), (Phase.IMPLEMENT,), due_days=90),
    ),
)


#: The five kinds of consultation content of the national opinion (seed 004 §二(一)); the
#: same items wherever the plugin runs, made once.
CATALOGUE = tuple(
    CatalogueItem(code=f"national.{key}", title=title, kind=kind, deciding_bodies=bodies,
                  plugin="national")
    for key, title, kind, bodies in (
        ("public_affairs", _l("Public affairs and public-welfare undertakings that touch "
                              "residents' interests"), ContentKind.PUBLIC_AFFAIRS, ()),
        ("difficulties", _l("Pressing practical difficulties and disputes residents raise"),
         ContentKind.DIFFICULTIES, ()),
        ("policy", _l("Carrying out the policies and key tasks of the party and government"),
         ContentKind.POLICY, ()),
        ("legal_requirement",
         _l("Matters that laws, regulations and policies require to be consulted"),
         ContentKind.LEGAL_REQUIREMENT,
         (DecidingBody.VILLAGER_MEETING, DecidingBody.REPRESENTATIVE_MEETING)),
        ("subject_request", _l("Other matters that subjects ask to consult on"),
         ContentKind.SUBJECT_REQUEST, ()),
    ))


@hookimpl
def xs_register_catalogue_items(jurisdiction):
    """The five kinds of consultation content of the national opinion (seed 004 §二(一))."""
    return list(CATALOGUE)


@hookimpl
def xs_register_procedures(jurisdiction):
    return [PROCEDURE]


#: The forms the national opinion and Tianjin's 第六条 name, made once.
MEETING_FORMS = tuple(
    MeetingForm(key=key, title=title, online=online, body=body, plugin="national")
    for key, title, online, body in (
        ("villager_meeting", _l("Villager (resident) meeting"), False,
         DecidingBody.VILLAGER_MEETING),
        ("representative_meeting", _l("Villager (resident) representative meeting"), False,
         DecidingBody.REPRESENTATIVE_MEETING),
        ("members_meeting", _l("Collective economic organisation members' (representative) "
                               "meeting"), False, DecidingBody.SHAREHOLDER_MEETING),
        ("council", _l("Residents' council (议事会)"), False, ""),
        ("board", _l("Residents' board (理事会)"), False, ""),
        ("property_joint", _l("Property joint meeting (物业联席会)"), False, ""),
        ("dialogue", _l("Dialogue meeting (恳谈会)"), False, ""),
        ("hearing", _l("Hearing (听证会)"), False, ""),
        ("review", _l("Democratic review (民主评议会)"), False, ""),
        ("online_hall", _l("Online consultation hall (网上议事厅)"), True, ""),
        ("video", _l("Video meeting"), True, ""),
        ("wechat_group", _l("WeChat group consultation"), True, ""),
    ))


@hookimpl
def xs_register_meeting_forms(jurisdiction):
    """The forms the national opinion and Tianjin's 第六条 name."""
    return list(MEETING_FORMS)


@hookimpl
def xs_register_default_settings(jurisdiction):
    # The adviser's opinion informs; where a plugin (or the town) says so, an open
    # "unlawful" opinion stops confirmation until the town overrides it.
    return {"procedure": "national", "notice_days": 3, "legal_unlawful_blocks": False,
            "legal_review_days": 7}


@hookimpl
def xs_screen_topic(topic, jurisdiction):
    """Flag what the national opinion asks committees to watch for."""
    findings = []
    if topic.item_kind == ContentKind.LEGAL_REQUIREMENT:
        findings.append(Finding(
            message=(_l("A matter the law requires to be consulted: ask the legal adviser "
                           "to review it.")),
            level=FindingLevel.WARNING, source="national"))
    if len(topic.description or "") < 10:
        findings.append(Finding(
            message=(_l("The proposal says little; ask the proposer for details before "
                           "deciding.")),
            level=FindingLevel.INFO, source="national"))
    return findings
