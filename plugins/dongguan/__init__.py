"""Dongguan city (seed 003): the city's six-step procedure (六步走), "五议五不议" screening
with a list each jurisdiction edits, and Zhongshan East community's "8+X" democratic
consultation council (8 standing seats, X seats per topic) and "红色智囊团" expert pool."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import func, select

from core.toolkit import (
    DomainError,
    Finding,
    FindingLevel,
    Jurisdiction,
    MeetingForm,
    Participant,
    Phase,
    PluginSettings,
    Procedure,
    Requirement,
    Section,
    Step,
    _l,
    current_step,
    db,
    frozen,
    get_topic,
    hookimpl,
    invite_guest,
    latest_meeting,
    node_where_enabled,
    permissions,
    record_audit,
    require_manage,
    require_phase,
    topic_area,
)
from plugins.dongguan.models import CouncilSeat, Expert

__version__ = "1.0.0"
__title__ = _l("Dongguan six steps and 8+X council (东莞)")
__description__ = _l("Six-step procedure, 五议五不议 screening lists, the 8+X council and the "
                     "expert pool.")

STANDING_SEATS = 8

#: 征集和提出议题 → 确定议题 → 公布协商信息 → 组织开展协商 → 确认协商成果 → 公布协商结果.
PROCEDURE = Procedure(
    key="dongguan",
    title=_l("Dongguan six steps (六步走)"),
    plugin="dongguan",
    steps=(
        Step("collect", _l("Collect and raise topics"), (Phase.COLLECT,), due_days=15),
        Step("settle", _l("Settle the topic"), (Phase.DEFINE, Phase.SUBJECTS), due_days=15),
        Step("announce", _l("Announce the consultation"), (Phase.NOTIFY,), due_days=10),
        Step("consult", _l("Hold the consultation"), (Phase.CONSULT,), due_days=20),
        Step("confirm", _l("Confirm the outcome"), (Phase.CONFIRM,), due_days=20),
        Step("publish", _l("Publish the result"), (Phase.PUBLISH, Phase.IMPLEMENT),
             due_days=90),
    ),
)

def _council_meeting(topic):

    meeting = latest_meeting(topic)
    return meeting is not None and meeting.form == "dongguan.council"


#: 中山东社区's "协商议事六步法". The seed names it without its steps; these follow the
#: community's council practice and the city's six steps, and the consultation step requires
#: the 8+X council itself to meet.
COUNCIL_PROCEDURE = Procedure(
    key="dongguan.council",
    title=_l("Council six-step method (协商议事六步法)"),
    plugin="dongguan",
    steps=(
        Step("collect", _l("Collect topics"), (Phase.COLLECT,), due_days=15),
        Step("review", _l("Review the topic and seat the council"),
             (Phase.DEFINE, Phase.SUBJECTS), due_days=15),
        Step("announce", _l("Announce before the meeting"), (Phase.NOTIFY,), due_days=10),
        Step("council", _l("The council consults and resolves"), (Phase.CONSULT, Phase.CONFIRM),
             due_days=20, requirements=(
                 Requirement("council_meeting", _l("The 8+X council itself has met"),
                             _council_meeting),)),
        Step("publish", _l("Publish the resolution"), (Phase.PUBLISH,), due_days=10),
        Step("follow", _l("Follow up the implementation"), (Phase.IMPLEMENT,), due_days=90),
    ),
)

#: "五议五不议": the seed names it but not its items. These defaults are labelled as such
#: and every jurisdiction edits its own (name | keywords).
DEFAULT_DISCUSS = [
    "公共事务|环境,卫生,道路,路灯,停车,绿化,设施,电梯",
    "公益事业|公益,捐赠,文化,体育,长者,饭堂",
    "集体经济|集体,收益,承包,租赁,股份,分红",
    "民生诉求|养老,医疗,教育,困难,救助",
    "矛盾纠纷|纠纷,矛盾,噪音,扰民,邻里",
]
DEFAULT_NOT_DISCUSS = [
    "违反法律法规和政策的事项|违法,赌博,传销",
    "宗教事务|宗教,教会,寺庙",
    "应由政府依法决定或执法的事项|执法,罚款,拆违,审批",
    "涉及个人隐私的事项|隐私,个人信息,身份证",
    "已进入司法程序的事项|诉讼,判决,仲裁,起诉",
]
#: Each jurisdiction's own 五议 and 五不议 lists; the nearest one's are in effect.
settings = PluginSettings("dongguan")

bp = Blueprint("dongguan", __name__, url_prefix="/dongguan")


@hookimpl
def xs_register_procedures(jurisdiction):
    return [PROCEDURE, COUNCIL_PROCEDURE]


@hookimpl
def xs_register_default_settings(jurisdiction):
    # One legal adviser per village (003): an "unlawful" opinion holds the outcome
    # until it is resolved or the town overrides it with a recorded reason.
    return {"procedure": PROCEDURE.key, "legal_unlawful_blocks": True}


@hookimpl
def xs_register_meeting_forms(jurisdiction):
    return [MeetingForm(key="dongguan.council",
                        title=_l("8+X democratic consultation council meeting"),
                        plugin="dongguan")]


@hookimpl
def xs_register_blueprints(app):
    return [bp]


@hookimpl
def xs_register_report_sections(jurisdiction, period, figures):
    """The city's statistics as Dongguan reports them (seed 003): meetings held, topics,
    topics sent to a vote, topics implemented directly."""

    return [Section("dongguan.statistics", _l("Dongguan statistics"), [
        (_l("Consultation meetings held"), figures["meetings_held"]),
        (_l("Consultation topics"), figures["topics"]),
        (_l("Sent to a representative or shareholder vote"), figures["sent_to_vote"]),
        (_l("Implemented directly (topics)"), figures["implemented_directly"]),
    ], chart=True)]


# ------------------------------------------------------------ 五议五不议


def lists_for(jurisdiction):
    """(五议, 五不议) in effect: the nearest jurisdiction's own lists, else the defaults."""
    return (settings.get(jurisdiction, "discuss") or DEFAULT_DISCUSS,
            settings.get(jurisdiction, "not_discuss") or DEFAULT_NOT_DISCUSS)


def parse_list(text):
    """Lines of "name|keyword,keyword" → the stored list; refuse a bad line by number."""
    entries = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _bar, words = line.partition("|")
        keywords = [word.strip() for word in words.replace("，", ",").split(",") if word.strip()]
        if not name.strip() or not keywords or len(line) > 300:
            raise DomainError(_l("Line %(n)s: write a name, then | and comma-separated keywords.",
                                 n=number))
        entries.append(f"{name.strip()}|{','.join(keywords)}")
    if not 1 <= len(entries) <= 20:
        raise DomainError(_l("Give 1 to 20 lines."))
    return entries


def save_lists(actor, jurisdiction, discuss, not_discuss):

    settings.set(actor, jurisdiction, permission="settings.manage", action="dongguan.lists",
                 discuss=parse_list(discuss), not_discuss=parse_list(not_discuss))


def _matches(entries, text):
    for entry in entries:
        name, _bar, words = entry.partition("|")
        hits = [word for word in words.split(",") if word and word in text]
        if hits:
            yield name, hits


@hookimpl
def xs_screen_topic(topic, jurisdiction):
    """Say which of the "五议" the topic falls under, and warn on any of the "五不议"."""
    discuss, not_discuss = lists_for(jurisdiction)
    text = f"{topic.title} {topic.description}"
    findings = [Finding(message=(_l("五不议: %(name)s (%(words)s) — not to be consulted.",
                                       name=name, words="、".join(hits))),
                        level=FindingLevel.WARNING, source="dongguan")
                for name, hits in _matches(not_discuss, text)]
    findings += [Finding(message=(_l("五议: %(name)s (%(words)s).", name=name,
                                        words="、".join(hits))),
                         level=FindingLevel.INFO, source="dongguan")
                 for name, hits in _matches(discuss, text)]
    return findings


# ------------------------------------------------------------ 8+X council


def seats(community):
    return db.session.scalars(select(CouncilSeat).where(
        CouncilSeat.jurisdiction_id == community.id).order_by(CouncilSeat.id)).all()


def add_seat(actor, community, *, name, sector):
    permissions.require(actor, "register.manage", community)
    name, sector = " ".join((name or "").split()), " ".join((sector or "").split())
    if not name or not sector or len(name) > 100 or len(sector) > 100:
        raise DomainError(_l("Give the member's name and whom the seat speaks for."))
    taken = db.session.scalar(select(func.count()).select_from(CouncilSeat).where(
        CouncilSeat.jurisdiction_id == community.id))
    if taken >= STANDING_SEATS:
        raise DomainError(_l("The council has %(n)s standing seats; the X seats are chosen per "
                             "topic.", n=STANDING_SEATS))
    seat = CouncilSeat(jurisdiction_id=community.id, name=name, sector=sector)
    db.session.add(seat)
    record_audit(actor, "dongguan.seat", seat, jurisdiction=community,
                 after={"name": name, "sector": sector})
    db.session.commit()
    return seat


def seat_council(actor, topic):
    """Invite the 8 standing members to a topic, with votes; the organiser then invites the X
    members chosen for this topic; anyone else attends without a vote (列席)."""

    community = topic_area(topic)
    members = seats(community)
    if len(members) != STANDING_SEATS:
        raise DomainError(_l("Fill the council's %(n)s standing seats first.", n=STANDING_SEATS))
    present = set(db.session.scalars(select(Participant.name).where(
        Participant.topic_id == topic.id)))
    added = 0
    for seat in members:
        label = f"{seat.name}（{seat.sector}，常设席位）"
        if label not in present:
            participant = invite_guest(actor, topic, kind="official", name=label,
                                                note=frozen(_l("8+X council standing seat")))
            participant.votes = True  # a council seat carries a vote
            db.session.commit()
            added += 1
    return added


# ------------------------------------------------------------ expert pool


def experts(community):
    return db.session.scalars(select(Expert).where(
        Expert.jurisdiction_id == community.id).order_by(Expert.field, Expert.name)).all()


def add_expert(actor, community, *, name, title, field, party_member):

    permissions.require(actor, "register.manage", community)
    if not party_member:
        raise DomainError(_l("The 红色智囊团 is made of party members."))
    values = [" ".join((value or "").split()) for value in (name, title, field)]
    if not all(values) or any(len(value) > 100 for value in values):
        raise DomainError(_l("Give the name, the professional title and the field."))
    expert = Expert(jurisdiction_id=community.id, name=values[0], title=values[1],
                    field=values[2])
    db.session.add(expert)
    record_audit(actor, "dongguan.expert", expert, jurisdiction=community,
                 after={"name": values[0], "title": values[1]})
    db.session.commit()
    return expert


def invite_expert(actor, topic, expert):

    if not topic_area(topic).contains(db.session.get(Jurisdiction, expert.jurisdiction_id)) \
            and not db.session.get(Jurisdiction, expert.jurisdiction_id).contains(
                topic_area(topic)):
        raise DomainError(_l("This expert serves another community."))
    return invite_guest(actor, topic, kind="expert", name=expert.name,
                                 note=f"{expert.title} · {expert.field}")


@hookimpl
def xs_render_topic_panels(topic, user):
    """On a topic being defined: invite the 8+X council and experts from the pool."""

    if not permissions.can_manage_topic(user, topic) or not topic.is_open:
        return []
    if Phase.SUBJECTS not in current_step(topic).phases:
        return []
    community = topic_area(topic)
    # Safe markup: the template autoescapes everything it prints.
    return [Markup(render_template("dongguan/topic_panel.html", topic=topic,  # nosec B704
                                   seats=seats(community), experts=experts(community),
                                   standing=STANDING_SEATS, community=community))]


# ------------------------------------------------------------ pages


def _community(code):
    node = node_where_enabled(code, "dongguan")
    if not permissions.can(current_user, "register.read", node):
        abort(403)
    return node


def _form_action(node, operation, done):
    from flask_wtf.csrf import validate_csrf
    from wtforms import ValidationError

    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        abort(400)
    try:
        operation()
    except DomainError as refused:
        db.session.rollback()
        if refused.status == 403:
            abort(403)
        return refused.message
    flash(done, "success")
    return None


@bp.route("/<code>/council", methods=["GET", "POST"])
@login_required
def council(code):
    node = _community(code)
    error = None
    if request.method == "POST":
        form = request.form
        if "discuss" in form:
            error = _form_action(node, lambda: save_lists(
                current_user, node, form.get("discuss"), form.get("not_discuss")), _l("Saved."))
        elif "party_member" in form or "title" in form:
            error = _form_action(node, lambda: add_expert(
                current_user, node, name=form.get("name"), title=form.get("title"),
                field=form.get("field"), party_member=form.get("party_member") == "y"),
                _l("Saved."))
        else:
            error = _form_action(node, lambda: add_seat(
                current_user, node, name=form.get("name"), sector=form.get("sector")),
                _l("Saved."))
        if error is None:
            return redirect(url_for("dongguan.council", code=code))
    discuss, not_discuss = lists_for(node)
    return render_template("dongguan/council.html", node=node, seats=seats(node),
                           experts=experts(node), discuss="\n".join(discuss),
                           not_discuss="\n".join(not_discuss), error=error,
                           standing=STANDING_SEATS), (400 if error else 200)


@bp.route("/topics/<int:topic_id>/council", methods=["POST"])
@login_required
def topic_council(topic_id):

    topic = get_topic(topic_id)
    error = _form_action(None, lambda: _seat(topic), _l("The council's standing members are "
                                                          "invited."))
    if error:
        flash(error, "error")
    return redirect(url_for("topics.show", topic_id=topic_id))


def _seat(topic):

    require_manage(current_user, topic)
    require_phase(topic, Phase.SUBJECTS)
    seat_council(current_user, topic)


@bp.route("/topics/<int:topic_id>/experts/<int:expert_id>", methods=["POST"])
@login_required
def topic_expert(topic_id, expert_id):

    topic = get_topic(topic_id)
    expert = db.session.get(Expert, expert_id)
    if expert is None:
        abort(404)
    error = _form_action(None, lambda: invite_expert(current_user, topic, expert),
                         _l("Invited."))
    if error:
        flash(error, "error")
    return redirect(url_for("topics.show", topic_id=topic_id))
