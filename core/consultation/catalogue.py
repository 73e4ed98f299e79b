"""Catalogue items (协商目录条目) and the decision routes they lead to."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l


class ContentKind:
    """The five kinds of consultation content of the 2015 national opinion (004 §二(一))."""

    PUBLIC_AFFAIRS = "public_affairs"  # 公共事务和公益事业
    DIFFICULTIES = "difficulties"  # 迫切需要解决的实际困难问题和矛盾纠纷
    POLICY = "policy"  # 党和政府方针政策、重点工作部署的落实
    LEGAL_REQUIREMENT = "legal_requirement"  # 法律法规和政策明确要求协商的事项
    SUBJECT_REQUEST = "subject_request"  # 各类协商主体提出协商需求的事项

    ALL = (PUBLIC_AFFAIRS, DIFFICULTIES, POLICY, LEGAL_REQUIREMENT, SUBJECT_REQUEST)


class DecidingBody:
    """Bodies a consensus may be referred to for a vote."""

    VILLAGER_MEETING = "villager_meeting"  # 村(居)民会议
    REPRESENTATIVE_MEETING = "representative_meeting"  # 村(居)民代表会议
    SHAREHOLDER_MEETING = "shareholder_meeting"  # 股东(代表)会议 / 集体经济组织成员(代表)大会
    OWNERS_MEETING = "owners_meeting"  # 业主大会

    @staticmethod
    def labels():
        return {
            DecidingBody.VILLAGER_MEETING: _l("Villager (resident) meeting"),
            DecidingBody.REPRESENTATIVE_MEETING: _l("Villager (resident) representative meeting"),
            DecidingBody.SHAREHOLDER_MEETING: _l("Shareholder (representative) meeting"),
            DecidingBody.OWNERS_MEETING: _l("Owners' meeting"),
        }


class SubjectRule:
    """Who may be a subject (协商主体) for an item."""

    REGISTERED_ONLY = "registered_only"  # 户籍居民
    OPEN = "open"  # 可邀请非户籍常住人口、驻区单位等利益相关方

    @staticmethod
    def labels():
        return {
            SubjectRule.REGISTERED_ONLY: _l("Registered residents only"),
            SubjectRule.OPEN: _l("Residents, non-registered residents and other stakeholders"),
        }


@dataclass(frozen=True)
class CatalogueItem:
    """One entry of a jurisdiction's consultation catalogue.

    ``deciding_bodies`` empty means consensus is implemented directly;
    otherwise the consensus goes to a vote in one of the bodies named.
    """

    code: str
    title: str
    kind: str
    deciding_bodies: tuple = field(default=())
    subject_rule: str = SubjectRule.OPEN
    offline_required: bool = False
    #: A major matter: its outcome asks for a notary's or lawyer's witness by default.
    witness_required: bool = False
    plugin: str = ""

    @property
    def implemented_directly(self):
        return not self.deciding_bodies


@dataclass(frozen=True)
class MeetingForm:
    """A form of consultation meeting (协商形式): 议事会, 恳谈会, 听证会, 网上议事厅 …

    ``online`` forms are held online (an offline channel is then required);
    ``body`` names the deciding body the form is a meeting of, if any.
    """

    key: str
    title: str
    online: bool = False
    body: str = ""
    plugin: str = ""


class FindingLevel:
    """How much a screening finding weighs: ``info``, ``warning``, or ``block`` (the topic
    cannot be accepted)."""

    INFO = "info"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """What screening a topic found (五议五不议, out of scope, needs legal review …).

    ``message`` may be a lazy string; it is stored in the deployment's language.
    """

    message: str
    level: str = FindingLevel.INFO
    source: str = ""
