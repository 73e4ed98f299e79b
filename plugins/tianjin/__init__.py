"""Tianjin's guidance norms (天津市城乡社区协商指导规范, 2023, seed 002): the content list, the
four-step procedure, micro-consultation (微协商) with a lighter procedure for compounds,
grids, villager groups, buildings and entrances, the "five haves" checklist, and lost-work
subsidies and governance points publicised on the board."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from core.toolkit import (
    BoardEntry,
    CatalogueItem,
    ContentKind,
    DomainError,
    EntryKind,
    Jurisdiction,
    Level,
    Meeting,
    MeetingForm,
    Phase,
    PluginSettings,
    Procedure,
    Role,
    RoleAssignment,
    Section,
    Step,
    Topic,
    _l,
    db,
    hookimpl,
    node_where_enabled,
    permissions,
    publish_on_board,
    setting,
)

__version__ = "1.0.0"
__title__ = _l("Tianjin micro-consultation (天津)")
__description__ = _l("Micro-consultation levels, community catalogues approved by the "
                     "town, the 五有 checklist.")

#: 第九条: micro-consultation below the community.
MICRO_LEVELS = (Level.COMPOUND, Level.GRID, Level.VILLAGER_GROUP, Level.BUILDING,
                Level.ENTRANCE)

#: 第七条: 确定议题 → 确定主体和形式 → 开展协商 → 公开结果 (and carry it out).
PROCEDURE = Procedure(
    key="tianjin",
    title=_l("Tianjin four-step procedure"),
    plugin="tianjin",
    steps=(
        Step("topic", _l("Settle the topic"), (Phase.DEFINE,), due_days=15),
        Step("subjects", _l("Settle the subjects and the form"),
             (Phase.SUBJECTS, Phase.NOTIFY), due_days=15),
        Step("consult", _l("Consult"), (Phase.CONSULT, Phase.CONFIRM), due_days=20),
        Step("publish", _l("Make the result public"), (Phase.PUBLISH, Phase.IMPLEMENT),
             due_days=60),
    ),
)

#: 微协商: precise and quick, for a building's or a compound's own matters.
MICRO = Procedure(
    key="tianjin.micro",
    title=_l("Micro-consultation (微协商)"),
    plugin="tianjin",
    light=True,
    steps=(
        Step("raise", _l("Raise the matter and gather the neighbours"),
             (Phase.DEFINE, Phase.SUBJECTS), due_days=7),
        Step("talk", _l("Talk it over and agree"),
             (Phase.NOTIFY, Phase.CONSULT, Phase.CONFIRM), due_days=10),
        Step("publish", _l("Post the result"), (Phase.PUBLISH, Phase.IMPLEMENT), due_days=30),
    ),
)

#: 第四条.
ITEMS = [
    ("tianjin.property", _l("Property management, parking, dogs, shared facilities, the "
                            "environment"), ContentKind.PUBLIC_AFFAIRS),
    ("tianjin.planning", _l("Village planning, collective economic development and disposal of "
                            "collective assets"), ContentKind.PUBLIC_AFFAIRS),
    ("tianjin.difficulties", _l("Pressing difficulties and disputes residents raise"),
     ContentKind.DIFFICULTIES),
    ("tianjin.rules", _l("Making and changing self-government charters, village rules, "
                         "residents' conventions and collective charters"),
     ContentKind.LEGAL_REQUIREMENT),
    ("tianjin.policy", _l("Carrying out party and government policies and key tasks"),
     ContentKind.POLICY),
    ("tianjin.requested", _l("Matters the law requires, and matters subjects ask to consult on"),
     ContentKind.SUBJECT_REQUEST),
]

bp = Blueprint("tianjin", __name__, url_prefix="/tianjin")


@hookimpl
def xs_register_catalogue_items(jurisdiction):
    """第四条's content list, then the community's own approved items (协商目录)."""
    items = [CatalogueItem(code=code, title=title, kind=kind, plugin="tianjin")
             for code, title, kind in ITEMS]
    community = _community_of(jurisdiction)
    if community is not None:
        items += [CatalogueItem(code=entry["code"], title=entry["title"], kind=entry["kind"],
                                plugin="tianjin")
                  for entry in community_items(community) if entry["approved"]]
    return items


# ------------------------------------------------ the community's own catalogue


#: Each community's own catalogue, drafted by it and approved by its town (第四条).
settings = PluginSettings("tianjin")


def _community_of(jurisdiction):
    if jurisdiction is None:
        return None
    if jurisdiction.level == Level.VILLAGE:
        return jurisdiction
    return db.session.scalar(select(Jurisdiction).where(
        Jurisdiction.code.in_(jurisdiction.ancestor_codes), Jurisdiction.level == Level.VILLAGE))


def community_items(community):
    return list(settings.own(community, "catalogue", []))


def _save_items(actor, community, items, action, permission):
    settings.set(actor, community, permission=permission, action=action, catalogue=items)


def propose_item(actor, community, *, title, kind):
    """The community drafts an item of its own catalogue (第四条: 在乡镇（街道）的指导下)."""
    permissions.require(actor, "register.manage", community)
    title = " ".join((title or "").split())
    if not 2 <= len(title) <= 200:
        raise DomainError(_l("The item must be 2 to 200 characters."))
    if kind not in ContentKind.ALL:
        raise DomainError(_l("Choose the kind of content."))
    items = community_items(community)
    items.append({"code": f"tianjin.{community.code}.{len(items) + 1}", "title": title,
                  "kind": kind, "approved": False})
    _save_items(actor, community, items, "tianjin.catalogue.propose", "register.manage")


def approve_item(actor, community, code):
    """The town approves a drafted item; from then on it is in the community's catalogue."""
    town = db.session.scalar(select(Jurisdiction).where(
        Jurisdiction.code.in_(community.ancestor_codes), Jurisdiction.level == Level.TOWN))
    permissions.require(actor, "town.feedback", town or community)
    items = community_items(community)
    for entry in items:
        if entry["code"] == code:
            entry["approved"] = True
            break
    else:
        raise DomainError(_l("No such item in this community's catalogue."))
    _save_items(actor, community, items, "tianjin.catalogue.approve", "town.feedback")


@hookimpl
def xs_register_procedures(jurisdiction):
    return [PROCEDURE, MICRO]


@hookimpl
def xs_register_default_settings(jurisdiction):
    if jurisdiction is not None and jurisdiction.level in MICRO_LEVELS:
        return {"procedure": MICRO.key, "notice_days": 1}
    return {"procedure": PROCEDURE.key}


@hookimpl
def xs_register_meeting_forms(jurisdiction):
    forms = [
        ("tianjin.building", _l("Building or entrance talk (楼栋、楼门议事)"), False),
        ("tianjin.neighbours", _l("Neighbours' talk (邻里协商)"), False),
        ("tianjin.online_hall", _l("Online hall with an offline point (网上议事厅)"), True),
    ]
    return [MeetingForm(key=key, title=title, online=online, plugin="tianjin")
            for key, title, online in forms]


@hookimpl
def xs_register_blueprints(app):
    return [bp]


# ------------------------------------------------------------ five haves


def five_haves(community):
    """第十一条 "五有": people, a place, rules, results and records, read from the data."""

    subtree = (select(Topic.id)
               .join(Jurisdiction, Topic.jurisdiction_id == Jurisdiction.id)
               .where(Jurisdiction.path.startswith(community.path, autoescape=True)))
    organisers = db.session.scalar(select(func.count()).select_from(RoleAssignment).where(
        RoleAssignment.jurisdiction_id == community.id, RoleAssignment.role == Role.ORGANISER))
    places = db.session.scalar(select(func.count(func.distinct(Meeting.place))).where(
        Meeting.topic_id.in_(subtree)))
    results = db.session.scalar(select(func.count()).select_from(BoardEntry).where(
        BoardEntry.jurisdiction_id == community.id, BoardEntry.kind == EntryKind.RESULT))
    records = db.session.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.topic_id.in_(subtree), Meeting.minutes != ""))
    return [
        ("people", _l("People: someone organises consultation"), organisers > 0),
        ("place", _l("A place: meetings have been held somewhere"), places > 0),
        ("rules", _l("Rules: a procedure is set"), bool(setting(community, "procedure"))),
        ("results", _l("Results: outcomes are published"), results > 0),
        ("records", _l("Records: meetings have minutes"), records > 0),
    ]


@hookimpl
def xs_register_report_sections(jurisdiction, period, figures):
    """The "five haves" (第十一条) of a community, for its reports."""

    if jurisdiction.level != Level.VILLAGE:
        return []
    return [Section("tianjin.five_haves", _l("Five haves"),
                    [(label, 1 if met else 0) for _key, label, met in five_haves(jurisdiction)],
                    note=_l("1 means the community has it."))]


def _community(code):
    return node_where_enabled(code, "tianjin")


@bp.route("/<code>/catalogue", methods=["GET", "POST"])
@login_required
def catalogue(code):
    from flask_wtf.csrf import validate_csrf
    from wtforms import ValidationError

    node = _community(code)
    if node.level != Level.VILLAGE:
        abort(404)
    if not permissions.can(current_user, "topic.read", node):
        abort(403)
    error = None
    if request.method == "POST":
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            abort(400)
        try:
            if request.form.get("approve"):
                approve_item(current_user, node, request.form["approve"])
            else:
                propose_item(current_user, node, title=request.form.get("title"),
                             kind=request.form.get("kind"))
        except DomainError as refused:
            db.session.rollback()
            if refused.status == 403:
                abort(403)
            error = refused.message
        else:
            flash(_l("Saved."), "success")
            return redirect(url_for("tianjin.catalogue", code=code))
    town = db.session.scalar(select(Jurisdiction).where(
        Jurisdiction.code.in_(node.ancestor_codes), Jurisdiction.level == Level.TOWN))
    return render_template(
        "tianjin/catalogue.html", node=node, items=community_items(node), error=error,
        kinds=ContentKind.ALL, can_propose=permissions.can(current_user, "register.manage", node),
        can_approve=permissions.can(current_user, "town.feedback", town or node),
    ), 400 if error else 200


@bp.route("/<code>/five-haves")
@login_required
def five_haves_page(code):
    node = _community(code)
    if not permissions.can(current_user, "topic.read", node):
        abort(403)
    return render_template("tianjin/five_haves.html", node=node, checks=five_haves(node))


# ------------------------------------------------------- subsidies and points


def parse_rows(text):
    """Lines of "name, amount or points, reason" → rows; refuse anything else with the line."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.replace("，", ",").split(",")]
        if len(parts) != 3 or not parts[0] or not parts[2]:
            raise DomainError(_l("Line %(n)s: write name, number, reason.", n=number))
        try:
            amount = float(parts[1])
        except ValueError:
            raise DomainError(_l("Line %(n)s: %(value)s is not a number.", n=number,
                                 value=parts[1])) from None
        if not 0 < amount <= 100_000:
            raise DomainError(_l("Line %(n)s: the number must be between 0 and 100000.",
                                 n=number))
        rows.append({"name": parts[0][:50], "amount": parts[1], "reason": parts[2][:200]})
    if not rows:
        raise DomainError(_l("List at least one person."))
    return rows


def publish_awards(actor, community, *, kind, period, text):
    """Publicise lost-work subsidies or governance points on the board (公示)."""
    permissions.require(actor, "board.publish", community)
    if kind not in ("subsidy", "points"):
        raise DomainError(_l("Choose subsidies or points."))
    period = " ".join((period or "").split())
    if not 1 <= len(period) <= 50:
        raise DomainError(_l("Name the period (1 to 50 characters)."))
    rows = parse_rows(text)
    title = (_l("Lost-work subsidies, %(period)s", period=period) if kind == "subsidy"
             else _l("Governance points, %(period)s", period=period))
    return publish_on_board(community, kind="announcement", title=str(title),
                             payload={"type": kind, "period": period, "rows": rows},
                             author=actor)


@bp.route("/<code>/awards", methods=["GET", "POST"])
@login_required
def awards(code):
    node = _community(code)
    if not permissions.can(current_user, "board.publish", node):
        abort(403)
    error, status = None, 200
    if request.method == "POST":
        from flask_wtf.csrf import validate_csrf
        from wtforms import ValidationError

        try:
            validate_csrf(request.form.get("csrf_token"))
            entry = publish_awards(current_user, node, kind=request.form.get("kind", ""),
                                   period=request.form.get("period", ""),
                                   text=request.form.get("rows", ""))
        except ValidationError:
            abort(400)
        except DomainError as refused:
            db.session.rollback()
            error, status = refused.message, 400
        else:
            flash(_l("Publicised on the board."), "success")
            return redirect(url_for("board.entry", code=node.code, seq=entry.seq))
    return render_template("tianjin/awards.html", node=node, error=error,
                           values=request.form), status
