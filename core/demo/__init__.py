"""The demo deployment: Dongguan (清溪镇 with 罗马村, 石龙镇 with 中山东社区, 东城街道)
and a Tianjin district, with an account for every role."""

import io

from sqlalchemy import select

from core.demo.topics import load_topics
from core.kernel import permissions
from core.kernel.extensions import db
from core.kernel.plugins import registry
from core.models import DeputyRole, Jurisdiction, OrganisationKind, Person, Role, User
from core.people import accounts, register
from core.places import plugin_settings, settings, tree

# Reviewed (B105): the demo's published password
PASSWORD = "xieshang-demo"  # nosec B105

TREE = """code,name,level,parent_code
440000000000,广东省,province,
441900000000,东莞市,city,440000000000
441900121000,清溪镇,town,441900000000
441900121201,罗马村,village,441900121000
LM-JJS-01,罗马第一经济社,economic_coop,441900121201
LM-JJS-02,罗马第二经济社,economic_coop,441900121201
LM-XZ-01,罗马第一村民小组,villager_group,441900121201
441900121202,清溪村,village,441900121000
441900101000,石龙镇,town,441900000000
441900101002,中山东社区,village,441900101000
ZSD-XQ-01,中山东花园小区,compound,441900101002
ZSD-XQ-01-01,中山东花园1栋,building,ZSD-XQ-01
441900003000,东城街道,town,441900000000
441900003005,主山社区,village,441900003000
ZS-WG-01,主山第一网格,grid,441900003005
120000000000,天津市,province,
120101000000,和平区,district,120000000000
120101001000,劝业场街道,town,120101000000
120101001001,新津社区,village,120101001000
XJ-XQ-01,新津里小区,compound,120101001001
XJ-XQ-01-03,新津里3号楼,building,XJ-XQ-01
XJ-XQ-01-03-2,新津里3号楼2门,entrance,XJ-XQ-01-03
340000000000,安徽省,province,
340100000000,合肥市,city,340000000000
340102000000,瑶海区,district,340100000000
340102001000,明光路街道,town,340102000000
340102001003,胜利路社区,village,340102001000
"""

#: (user name, display name, role, jurisdiction code or None)
ACCOUNTS = [
    ("admin", "平台管理员", Role.PLATFORM_ADMIN, None),
    ("qingxi-it", "清溪镇信息管理员", Role.TOWN_ADMIN, "441900121000"),
    ("qingxi-official", "清溪镇干部", Role.TOWN_OFFICIAL, "441900121000"),
    ("luoma-organiser", "罗马村两委", Role.ORGANISER, "441900121201"),
    ("luoma-supervisor", "罗马村监委会", Role.SUPERVISOR, "441900121201"),
    ("luoma-lawyer", "罗马村法律顾问", Role.LEGAL_ADVISER, "441900121201"),
    ("luoma-resident", "罗马村居民", Role.RESIDENT, "441900121201"),
    ("shilong-it", "石龙镇信息管理员", Role.TOWN_ADMIN, "441900101000"),
    ("zsd-organiser", "中山东社区两委", Role.ORGANISER, "441900101002"),
    ("zhushan-organiser", "主山社区两委", Role.ORGANISER, "441900003005"),
    ("tianjin-it", "劝业场街道信息管理员", Role.TOWN_ADMIN, "120101001000"),
    ("xinjin-organiser", "新津社区两委", Role.ORGANISER, "120101001001"),
    ("qingxicun-organiser", "清溪村两委", Role.ORGANISER, "441900121202"),
    ("shengli-organiser", "胜利路社区两委", Role.ORGANISER, "340102001003"),
]

#: Plugins the demo switches on, where they are loaded: (plugin, jurisdiction code).
PLUGINS = [
    ("dongguan", "441900000000"),
    ("qingxi", "441900121000"),
    ("tianjin", "120000000000"),
    ("anhui", "340000000000"),
]

RESIDENTS = [
    # village, name, sub-unit, registered, member, shareholder, party member, deputies, offline
    ("441900121201", "陈志强", "LM-JJS-01", True, True, True, True,
     (DeputyRole.PEOPLES_CONGRESS,), False),
    ("441900121201", "陈美玲", "LM-JJS-01", True, True, True, False, (), False),
    ("441900121201", "叶伯", "LM-JJS-02", True, True, True, True, (), True),
    ("441900121201", "黄小红", "LM-JJS-02", True, True, False, False, (), False),
    ("441900121201", "李建国", "LM-XZ-01", False, False, False, False, (), False),
    ("441900121202", "叶志明", None, True, True, True, True, (), False),
    ("441900121202", "叶秀英", None, True, True, False, False, (), True),
    ("441900101002", "何伟", "ZSD-XQ-01", True, False, False, True, (), False),
    ("441900101002", "梁婷", "ZSD-XQ-01-01", False, False, False, False, (), False),
    ("441900003005", "袁建华", "ZS-WG-01", True, False, False, True, (DeputyRole.CPPCC,), False),
    ("441900003005", "邓丽", "ZS-WG-01", False, False, False, False, (), False),
    ("120101001001", "王淑珍", "XJ-XQ-01-03", True, False, False, True, (), True),
    ("120101001001", "刘洋", "XJ-XQ-01-03-2", True, False, False, False, (), False),
    ("340102001003", "周建国", None, True, False, False, True, (), False),
    ("340102001003", "吴秀兰", None, True, False, False, False, (), True),
]

ORGANISATIONS = [
    ("441900121201", "中共罗马村委员会", OrganisationKind.PARTY_ORGANISATION),
    ("441900121201", "罗马村民委员会", OrganisationKind.RESIDENTS_COMMITTEE),
    ("441900121201", "罗马村务监督委员会", OrganisationKind.SUPERVISION_COMMITTEE),
    ("441900121201", "罗马股份经济合作社", OrganisationKind.COLLECTIVE_ECONOMY),
    ("441900101002", "中山东花园业主委员会", OrganisationKind.OWNERS_COMMITTEE),
    ("441900101002", "中山东花园物业服务中心", OrganisationKind.PROPERTY_COMPANY),
    ("120101001001", "新津社区居民委员会", OrganisationKind.RESIDENTS_COMMITTEE),
    ("441900121202", "清溪村民委员会", OrganisationKind.RESIDENTS_COMMITTEE),
    ("441900003005", "主山社区居民委员会", OrganisationKind.RESIDENTS_COMMITTEE),
    ("441900101002", "中山东社区居民委员会", OrganisationKind.RESIDENTS_COMMITTEE),
    ("340102001003", "胜利路社区居民委员会", OrganisationKind.RESIDENTS_COMMITTEE),
]


def load(with_topics=True):
    """Load the demo; return False (and change nothing) if it is already there.

    ``with_topics`` adds topics at every step in every demo village.
    """
    if db.session.scalar(select(Jurisdiction.id).where(Jurisdiction.code == "441900121201")):
        return False
    system = permissions.SYSTEM
    result = tree.import_csv(io.StringIO(TREE), system)
    if not result.ok:
        raise RuntimeError(f"demo tree rejected: {result.errors}")
    for username, display_name, role, code in ACCOUNTS:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = accounts.create_user(system, username=username, display_name=display_name,
                                        password=PASSWORD)
        accounts.grant_role(system, user, role, tree.by_code(code) if code else None)
    loaded = set(registry().names())
    for plugin, code in PLUGINS:
        if plugin in loaded:
            plugin_settings.enable(system, plugin, tree.by_code(code))
    for code, name, sub, registered, member, shareholder, party, deputies, offline in RESIDENTS:
        register.add_person(system, tree.by_code(code), name=name,
                            sub_unit=tree.by_code(sub) if sub else None,
                            registered=registered, collective_member=member,
                            shareholder=shareholder, party_member=party,
                            deputy_roles=deputies, needs_offline=offline)
    resident = db.session.scalar(select(User).where(User.username == "luoma-resident"))
    resident.person_id = db.session.scalar(select(Person.id).where(Person.name == "陈美玲"))
    db.session.commit()
    for code, name, kind in ORGANISATIONS:
        register.add_organisation(system, tree.by_code(code), name=name, kind=kind)
    if "dongguan" in loaded:
        # 中山东社区 runs its consultations through its 8+X council.

        settings.put(system, tree.by_code("441900101002"), "procedure", "dongguan.council")
    if with_topics:

        load_topics()
    return True
