"""Tianjin's guidance norms (天津市城乡社区协商指导规范, 2023, seed 002): the content list, the
four-step procedure, micro-consultation (微协商) with a lighter procedure for compounds,
grids, villager groups, buildings and entrances, the "five haves" checklist, and lost-work
subsidies and governance points publicised on the board."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from core import disclosure
from core.catalogue import MeetingForm
from core.procedures import Phase, Procedure, Step
from core.toolkit import (
    CatalogueItem,
    ContentKind,
    DomainError,
    Jurisdiction,
    Level,
    _l,
    db,
    hookimpl,
    permissions,
    registry,
)

__version__ = "1.0.0"

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
    return [CatalogueItem(code=code, title=title, kind=kind, plugin="tianjin")
            for code, title, kind in ITEMS]


@hookimpl
def xs_register_procedures(jurisdiction):
    return [PROCEDURE, MICRO]


@hookimpl
def xs_default_settings(jurisdiction):
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
    from core.models import BoardEntry, EntryKind, Meeting, Role, RoleAssignment, Topic
    from core.services import settings

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
        ("rules", _l("Rules: a procedure is set"), bool(settings.get(community, "procedure"))),
        ("results", _l("Results: outcomes are published"), results > 0),
        ("records", _l("Records: meetings have minutes"), records > 0),
    ]


def _community(code):
    from core.services import jurisdictions

    try:
        node = jurisdictions.by_code(code)
    except DomainError:
        abort(404)
    if "tianjin" not in registry().enabled_names(node):
        abort(404)
    return node


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
    return disclosure.append(community, kind="announcement", title=str(title),
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
