"""Demo topics: every demo village gets a topic standing at every step of its procedure."""

from datetime import timedelta

from sqlalchemy import select

from core.board import entries as board
from core.consultation import meetings, outcomes, screening, subjects, topics
from core.consultation.procedures import Phase
from core.implementation import tracking as implementation
from core.kernel.extensions import db
from core.legal import reviews as legal
from core.legal import service_record
from core.models import MeetingOutcome, Organisation, Person, Topic, TopicStatus, User, utcnow
from core.models.types import local_today
from core.places import tree

#: village code → (organiser account, titles and descriptions: enough for one topic on
#: each step of the longest procedure, plus a fresh proposal)
VILLAGES = {
    "441900121201": ("luoma-organiser", [
        ("村道路灯维修", "村道路灯坏了半年，晚上出行不安全。"),
        ("村民活动广场改造", "广场地面破损，希望重新铺设并增加健身器材。"),
        ("生活垃圾分类收集点设置", "按照镇里部署，确定各经济社的垃圾分类收集点。"),
        ("村口小桥护栏加固", "护栏松动，存在安全隐患。"),
        ("村卫生站周边绿化", "卫生站门口杂草丛生。"),
        ("村史馆布展方案", "征集村史资料，确定布展方案。"),
        ("村口公交站候车亭", "村民等车没有遮阳避雨的地方。"),
    ]),
    "441900121202": ("qingxicun-organiser", [
        ("祠堂周边环境整治", "祠堂周边杂物堆放，影响村容村貌。"),
        ("农田灌溉水渠清淤", "水渠淤塞，影响春耕灌溉。"),
        ("村卫生站搬迁选址", "卫生站房屋老旧，需选址新建。"),
        ("老人饭堂运营方式", "老人饭堂由谁运营、如何收费。"),
        ("村道限速标志设置", "过境车辆车速过快。"),
        ("村篮球场照明", "晚上打球没有灯光。"),
        ("村道排水沟改造", "雨季积水严重。"),
    ]),
    "441900101002": ("zsd-organiser", [
        ("中山东花园停车管理", "小区车位紧张，外来车辆占用消防通道。"),
        ("旧楼加装电梯意见征集", "1栋居民希望加装电梯，需协调低层住户意见。"),
        ("文明养犬公约", "小区犬只扰民，拟制定文明养犬公约。"),
        ("社区长者饭堂开设", "为辖区长者提供午餐服务。"),
        ("小区绿化带改造", "绿化带杂草丛生，拟改造为口袋公园。"),
        ("快递柜选址", "快递柜占用消防通道。"),
        ("小区儿童游乐设施", "游乐设施老化，存在安全隐患。"),
    ]),
    "441900003005": ("zhushan-organiser", [
        ("主山市场周边交通秩序", "早晚高峰拥堵，摊贩占道。"),
        ("网格内出租屋消防安全", "出租屋电动车充电隐患多。"),
        ("社区图书室开放时间", "希望延长周末开放时间。"),
        ("主山公园公厕改造", "公厕老旧、无障碍设施缺失。"),
        ("夜市噪音扰民", "夜市营业到凌晨，影响居民休息。"),
        ("社区食堂菜价", "希望公开菜价。"),
        ("网格员联系方式公开", "居民不知道找谁。"),
    ]),
    "120101001001": ("xinjin-organiser", [
        ("新津里3号楼楼道堆物清理", "楼道堆放杂物，影响通行和消防安全。"),
        ("小区非机动车充电棚建设", "电动自行车无处充电，存在入户充电隐患。"),
        ("楼门口无障碍坡道修建", "2门有坐轮椅的老人出入不便。"),
        ("社区邻里节活动方案", "组织邻里节，增进邻里关系。"),
        ("小区垃圾桶点位调整", "垃圾桶离住户太近，夏天有异味。"),
        ("楼顶防水维修", "顶楼住户反映漏雨。"),
        ("楼门禁系统更换", "门禁经常损坏。"),
    ]),
    "340102001003": ("shengli-organiser", [
        ("社区茶馆议事时间", "希望固定每月议事时间。"),
        ("老旧小区改造意见征集", "征集改造内容意见。"),
        ("社区停车收费", "停车收费标准需协商。"),
        ("垃圾分类督导员", "招募志愿督导员。"),
        ("社区食堂开设", "为老人提供午餐。"),
        ("楼道照明维修", "感应灯损坏。"),
        ("社区广场舞时间", "广场舞音量和时间。"),
    ]),
}


def _user(name):
    return db.session.scalar(select(User).where(User.username == name))


def _direct_item(topic):
    """A catalogue item in effect here whose consensus is implemented directly, preferring
    the local plugins' items to the national ones."""
    items = [item for item in topics.catalogue_at(topics.area(topic))
             if item.implemented_directly and item.subject_rule == "open"
             and not item.witness_required]
    local = [item for item in items if item.plugin != "national"]
    return (local or items)[0].code


def _work_through(actor, topic, village, phase, when):
    """Do what ``phase`` needs so the topic may leave a step covering it."""
    if phase in (Phase.COLLECT, Phase.DEFINE):
        if topic.screened_at is None:
            screening.screen(actor, topic)
        if not topic.item_code:
            topics.classify(actor, topic, _direct_item(topic))
        if phase == Phase.DEFINE and topic.status == "proposed":
            topics.accept(actor, topic)
    elif phase == Phase.SUBJECTS and not subjects.participants(topic):
        for person in db.session.scalars(select(Person).where(
                Person.jurisdiction_id == village.id).order_by(Person.id).limit(4)):
            subjects.invite_person(actor, topic, person)
        for organisation in db.session.scalars(select(Organisation).where(
                Organisation.jurisdiction_id == village.id).order_by(Organisation.id).limit(2)):
            subjects.invite_organisation(actor, topic, organisation)
    elif phase == Phase.NOTIFY:
        # A community that consults through its 8+X council meets as that council.
        form = "dongguan.council" if topic.procedure == "dongguan.council" else "council"
        meeting = meetings.schedule(actor, topic, form=form, mode="offline",
                                    starts_at=when, place="村（社区）议事厅", host="党组织书记")
        meetings.publish_notice(actor, topic, meeting, channels=["board", "wechat"],
                                at=when - timedelta(days=5))
    elif phase == Phase.CONSULT:
        meeting = meetings.meetings(topic)[-1]
        for participant in subjects.participants(topic):
            meetings.sign_in(actor, topic, meeting, participant)
        meetings.record_result(actor, topic, meeting, held_at=when,
                               minutes="与会各方充分发表意见。", outcome=MeetingOutcome.CONSENSUS,
                               consensus_text="按讨论形成的方案实施，由“两委”牵头落实。")
    elif phase == Phase.CONFIRM:
        outcome = outcomes.current(topic)
        if outcome.confirmed_at is None:
            for participant in subjects.participants(topic):
                outcomes.record_paper_signature(actor, topic, outcome, participant,
                                                filename="签字表.pdf", data=b"%PDF-1.4 demo")
            outcomes.confirm(actor, topic, outcome)
    elif phase == Phase.PUBLISH and board.published_result(topic) is None:
        board.publish_result(actor, topic)


def _drive(actor, topic, village, target_index, when):
    """Move ``topic`` forward until it stands on step ``target_index`` of its procedure."""
    procedure = topics.procedure_of(topic)
    while procedure.index(topic.step) < target_index:
        for phase in procedure.step(topic.step).phases:
            _work_through(actor, topic, village, phase, when)
        topics.advance(actor, topic)


def load_topics():
    now = utcnow()
    for code, (organiser_name, entries) in VILLAGES.items():
        village = tree.by_code(code)
        actor = _user(organiser_name)
        made = [topics.propose(actor, village, title=title, description=description)
                for title, description in entries]
        procedure = topics.procedure_of(made[0])
        # The first stays a fresh proposal; the others stand on each step in turn.
        screening.screen(actor, made[0])
        for index, topic in enumerate(made[1:len(procedure.steps) + 1]):
            _drive(actor, topic, village, index, now - timedelta(days=20))
        last = made[len(procedure.steps)]
        if procedure.next_step(last.step) is None:
            for phase in procedure.step(last.step).phases:
                _work_through(actor, last, village, phase, now - timedelta(days=20))
            _add_implementation(actor, last, code)
    _add_legal_work()


def _add_legal_work():
    """罗马村's legal adviser: a village-rules draft in its second version, an opinion on a
    topic, and ten weeks of the "四个一" record with one missed call."""

    organiser, lawyer = _user("luoma-organiser"), _user("luoma-lawyer")
    luoma = tree.by_code("441900121201")
    rules = legal.request_review(
        organiser, subject="village_rules", village=luoma, title="罗马村村规民约（修订稿）",
        text="第一条 村民应当遵守宪法、法律、法规和国家政策。\n"
             "第二条 爱护集体财产，保护生态环境。\n"
             "第三条 违反本公约乱倒垃圾的，罚款二百元。")
    first = legal.latest_version(rules)
    opinion = legal.give_opinion(
        lawyer, rules, version_id=first.id, opinion="revise",
        reasoning="村规民约可以规定批评教育、公开检讨等措施，但不得设定罚款。",
        provisions="《中华人民共和国村民委员会组织法》第二十七条")
    legal.reply(organiser, rules, parent_id=opinion.id,
                text="第三条是村民代表会议提出的，请法律顾问给出替代写法。")
    legal.add_version(organiser, rules,
                      text=first.text.replace("罚款二百元", "由村民委员会批评教育，并在公开栏公示"),
                      note="第三条删去罚款", answers=[opinion.id])
    topic = db.session.scalar(select(Topic).where(Topic.jurisdiction_id == luoma.id,
                                                  Topic.status == TopicStatus.ACCEPTED)
                                 .order_by(Topic.id).limit(1))
    if topic is not None and topic.is_open:
        review = legal.request_review(organiser, subject="topic", topic=topic,
                                      note="请审查议题是否属于村民会议表决事项。")
        legal.give_opinion(lawyer, review, version_id=legal.latest_version(review).id,
                           opinion="no_issue", reasoning="属于村务协商事项，程序合法。")
    today = local_today()
    for weeks_ago in range(10, 0, -1):
        day = today - timedelta(weeks=weeks_ago)
        if weeks_ago != 4:
            service_record.log_activity(lawyer, luoma, kind="phone", on=day, note="电话了解村务")
        if weeks_ago % 4 == 1:
            service_record.log_activity(lawyer, luoma, kind="onsite", on=day, hours=8,
                               note="驻村坐班，解答法律咨询")
    service_record.log_activity(lawyer, luoma, kind="lecture", on=today - timedelta(days=20),
                       note="民法典进农村法治讲座")


def _add_implementation(actor, topic, code):
    """The topic at the last step is being carried out, with progress on the board."""
    task = implementation.add_task(actor, topic, title="按协商方案组织实施",
                                   responsible="村（社区）“两委”",
                                   deadline=local_today() + timedelta(days=30))
    implementation.report_progress(actor, topic, task, text="已完成方案细化和费用测算。",
                                   progress=30)
    if code == "441900121201":
        result = board.published_result(topic)
        board.correct(actor, result, reason="协商结果中牵头单位表述有误",
                      text="按讨论形成的方案实施，由村委会和罗马股份经济合作社共同牵头落实。")
        question = board.ask(_user("luoma-resident"), result, "实施期间会影响通行吗？")
        board.answer(actor, question, "施工分段进行，不会封闭主路。")
