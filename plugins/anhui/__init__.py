"""Anhui province's 2015 implementation opinion (seed 001): the community work consultation
committee (社区工作协商委员会), its forms and platforms, and the community's consultation
file (工作制度, 工作机制, 协商内容, 协商程序, 年度工作计划, 会议记录) as one export."""

import io
import zipfile
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select

from core.toolkit import (
    DomainError,
    Jurisdiction,
    Meeting,
    MeetingForm,
    PluginSettings,
    Topic,
    _l,
    catalogue_at,
    db,
    hookimpl,
    local_today,
    node_where_enabled,
    permissions,
    procedures_at,
    setting,
)

__version__ = "1.0.0"
__title__ = _l("Anhui villager consultation (安徽)")
__description__ = _l("The consultation committee, its rules and yearly plan, and the "
                     "community's consultation file.")

#: Who chairs the committee (主任): the party secretary or the committee's director.
CHAIRS = ("村（社区）党组织书记", "村（居）民委员会主任")
#: The groups members are chosen from (seed 001 §(三)).
GROUPS = ("村（社区）党组织成员", "村（居）民委员会成员", "农村集体经济组织负责人",
          "村（社区）妇联负责人", "村（居）民代表", "网格负责人", "业主委员会成员",
          "优秀共产党员", "党代表、人大代表、政协委员")
TEXTS = ("rules", "mechanism")

bp = Blueprint("anhui", __name__, url_prefix="/anhui")


@hookimpl
def xs_register_meeting_forms(jurisdiction):
    """§(四) forms beyond the national ones."""
    forms = ["社区党员议事会", "农村集体经济组织成员议事会", "网格协商", "楼栋协商",
             "民主访谈", "社区民情民意恳谈会", "社区茶馆会议", "居民开放空间", "社区论坛",
             "社区工作坊"]
    return [MeetingForm(key=f"anhui.{number}", title=title, plugin="anhui")
            for number, title in enumerate(forms, start=1)]


@hookimpl
def xs_register_blueprints(app):
    return [bp]


# ------------------------------------------------------------ the committee


#: The committee, its rules, its mechanism and each year's plan, kept per community.
settings = PluginSettings("anhui")


def committee(node):
    return settings.own(node, "committee", [])


def parse_committee(text):
    """Lines of "name, role or group" → members; the first line is the chair."""
    members = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.replace("，", ",").split(",", 1)]
        if len(parts) != 2 or not parts[0] or len(parts[0]) > 50:
            raise DomainError(_l("Line %(n)s: write name, role.", n=number))
        allowed = CHAIRS if not members else GROUPS + CHAIRS
        if parts[1] not in allowed:
            raise DomainError(
                _l("Line %(n)s: the chair is the party secretary or the committee's director; "
                   "members come from the listed groups.", n=number))
        members.append({"name": parts[0], "role": parts[1]})
    if len(members) < 3:
        raise DomainError(_l("The committee needs a chair and at least two members."))
    return members


def save(actor, node, *, members, rules, mechanism, year, plan):
    permissions.require(actor, "register.manage", node)
    parsed = parse_committee(members)
    for label, text in (("rules", rules), ("mechanism", mechanism), ("plan", plan)):
        if len((text or "").strip()) > 20_000:
            raise DomainError(_l("%(part)s is longer than 20000 characters.", part=label))
    if not 2000 <= int(year) <= 2100:
        raise DomainError(_l("Give the plan's year."))
    settings.set(actor, node, permission="register.manage", action="anhui.save",
                 committee=parsed, rules=(rules or "").strip(),
                 mechanism=(mechanism or "").strip(), **{f"plan.{int(year)}": (plan or "").strip()})


def text_of(node, key):
    return settings.own(node, key, "")


# ------------------------------------------------------- the consultation file


def consultation_file(node, year):
    """The community's file for ``year`` as a zip of UTF-8 text files."""

    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    start = datetime.combine(date(year, 1, 1), time(), zone)
    end = datetime.combine(date(year + 1, 1, 1), time(), zone)
    procedure_key = setting(node, "procedure")
    procedure = procedures_at(node).get(procedure_key)
    members = committee(node)
    held = db.session.execute(
        select(Meeting, Topic.title).join(Topic, Meeting.topic_id == Topic.id)
        .join(Jurisdiction, Topic.jurisdiction_id == Jurisdiction.id)
        .where(Jurisdiction.path.startswith(node.path, autoescape=True),
               Meeting.held_at >= start, Meeting.held_at < end)
        .order_by(Meeting.held_at)).all()
    parts = {
        "1-工作制度.txt": text_of(node, "rules") or "（尚未填写）",
        "2-工作机制.txt": "社区工作协商委员会\n" + "\n".join(
            f"{'主任' if index == 0 else '委员'}：{m['name']}（{m['role']}）"
            for index, m in enumerate(members)) + "\n\n" + text_of(node, "mechanism"),
        "3-协商内容.txt": "\n".join(str(item.title) for item in catalogue_at(node)),
        "4-协商程序.txt": "" if procedure is None else str(procedure.title) + "\n" + "\n".join(
            f"{index}. {step.title}" for index, step in enumerate(procedure.steps, start=1)),
        "5-年度工作计划.txt": text_of(node, f"plan.{year}") or "（尚未填写）",
        "6-会议记录.txt": "\n\n".join(
            f"【{title}】第{meeting.round_no}轮 "
            f"{meeting.held_at.astimezone(zone):%Y-%m-%d %H:%M} {meeting.place}\n"
            f"{meeting.minutes}" for meeting, title in held) or "（本年度暂无会议记录）",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(f"{node.name}协商档案{year}/{name}", text)
    return buffer.getvalue()


# ------------------------------------------------------------------- pages


def _community(code):
    node = node_where_enabled(code, "anhui")
    if not permissions.can(current_user, "register.read", node):
        abort(403)
    return node


@bp.route("/<code>/committee", methods=["GET", "POST"])
@login_required
def committee_page(code):
    from flask_wtf.csrf import validate_csrf
    from wtforms import ValidationError

    node = _community(code)
    year = local_today().year
    error = None
    if request.method == "POST":
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            abort(400)
        try:
            save(current_user, node, members=request.form.get("members"),
                 rules=request.form.get("rules"), mechanism=request.form.get("mechanism"),
                 year=request.form.get("year") or year, plan=request.form.get("plan"))
        except (DomainError, ValueError) as refused:
            db.session.rollback()
            if getattr(refused, "status", 400) == 403:
                abort(403)
            error = getattr(refused, "message", _l("Give the plan's year."))
        else:
            flash(_l("Saved."), "success")
            return redirect(url_for("anhui.committee_page", code=code))
    members = "\n".join(f"{m['name']}, {m['role']}" for m in committee(node))
    return render_template("anhui/committee.html", node=node, members=members,
                           rules=text_of(node, "rules"),
                           mechanism=text_of(node, "mechanism"), year=year,
                           plan=text_of(node, f"plan.{year}"), chairs=CHAIRS,
                           groups=GROUPS, error=error), 400 if error else 200


@bp.route("/<code>/file/<int:year>.zip")
@login_required
def file(code, year):
    node = _community(code)
    if not 2000 <= year <= 2100:
        abort(404)
    return Response(consultation_file(node, year), mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{code}-{year}.zip"'})
