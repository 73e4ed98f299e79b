"""Assessment reports: sections of figures (the core's and the plugins'), narrative a town
writes, saved with their parameters and a digest, and rendered as HTML (with SVG charts),
XLSX and PDF."""

import hashlib
import io
import json
from dataclasses import asdict, dataclass, field

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from core.kernel import exports
from core.kernel.i18n import in_deployment_language
from core.models import Channel, LegalOpinion, ServiceKind


@dataclass
class Section:
    """A part of a report: labelled numbers (and an optional bar chart of them)."""

    key: str
    title: object
    rows: list = field(default_factory=list)  # [(label, number)]
    chart: bool = False
    note: object = ""


#: kind → (title, the narrative parts the town writes)
KINDS = {
    "assessment": (_l("Annual assessment"), ()),
    "self_inspection": (_l("Self-inspection report (自查报告)"),
                        (("situation", _l("How consultation is done")),
                         ("problems", _l("Problems found")),
                         ("measures", _l("Corrective measures")))),
    "pilot_review": (_l("Pilot review (试点总结)"),
                     (("done", _l("What was done")), ("worked", _l("What worked")),
                      ("problems", _l("Problems")), ("next", _l("Next steps")))),
}


def core_sections(figures):

    f = figures
    channels = Channel.labels()
    opinions = dict(LegalOpinion.labels(), pending=_l("No opinion yet"))
    duties = ServiceKind.labels()
    return [
        Section("overview", _l("Overview"), [
            (_l("Meetings held"), f["meetings_held"]),
            (_l("Topics raised"), f["topics"]),
            (_l("Topics sent to a vote"), f["sent_to_vote"]),
            (_l("Topics implemented directly"), f["implemented_directly"]),
        ], chart=True),
        Section("by_item", _l("Topics by catalogue item"),
                [(label if label != "—" else _l("not classified yet"), count)
                 for label, count in f["topics_by_item"]], chart=True),
        Section("by_channel", _l("Topics by channel"),
                [(channels.get(code, code), count) for code, count in f["topics_by_channel"]],
                chart=True),
        Section("consensus", _l("Consensus and rounds"), [
            (_l("Consensus in the first round"), f["consensus_first_round"]),
            (_l("Consensus after several rounds"), f["consensus_later_rounds"]),
            (_l("Average rounds per topic"), f["average_rounds"]),
        ]),
        Section("participation", _l("Participation"), [
            (_l("Subjects invited"), f["participants"]),
            (_l("Residents among them"), f["residents"]),
            (_l("Non-registered residents"), f["non_registered"]),
            (_l("Opinions recorded on behalf"), f["recorded_on_behalf"]),
        ]),
        Section("timeliness", _l("Timeliness"), [
            (_l("Average days of notice"), f["average_notice_days"]),
            (_l("Average days from confirmation to publication"),
             f["average_days_to_publication"]),
            (_l("Tasks finished"), f["tasks_done"]),
            (_l("Tasks finished on time"), f["tasks_on_time"]),
            (_l("Overdue tasks"), f["overdue_tasks"]),
            (_l("Corrections published"), f["corrections"]),
        ]),
        Section("legal_review", _l("Legal review"), [
            (opinions.get(key, key), f["legal_reviews_by_opinion"].get(key, 0))
            for key in ("no_issue", "revise", "unlawful", "pending")
        ] + [(_l("Unlawful opinions overridden by the town"), f["legal_overrides"])],
            chart=True),
        Section("legal_advisers", _l("Legal advisers' \"four ones\""), [
            (_l("Legal advisers assigned"), f["advisers_assigned"]),
            (_l("Villages without a legal adviser"), f["villages_without_adviser"]),
        ] + [row for kind, label in duties.items() for row in (
            (_l("%(duty)s: periods owed", duty=label), f["adviser_duties"][kind][0]),
            (_l("%(duty)s: periods met", duty=label), f["adviser_duties"][kind][1]),
            (_l("%(duty)s: advisers short", duty=label), f["adviser_duties"][kind][2]))],
            note=_l("Weekly phone contact, a monthly on-site day of at least 8 hours, a "
                    "quarterly lecture, a yearly outreach event; a period counts when it lies "
                    "wholly within the report's dates and has ended.")),
    ]


def frozen_sections(sections):
    """Sections as plain data in the deployment's language, ready to store and to hash
    (every text rendered within one switch of language, not one each)."""
    with in_deployment_language():
        return [{"key": s.key, "title": str(s.title), "chart": s.chart,
                 "note": str(s.note),
                 "rows": [[str(label), value] for label, value in s.rows]} for s in sections]


def digest(content):
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def bar_chart(rows, width=560, bar=22, gap=8):
    """A horizontal bar chart as inline SVG markup (no script, no external files)."""

    numbers = [value for _label, value in rows if isinstance(value, (int, float))]
    top = max(numbers or [1]) or 1
    label_width, height = 220, (bar + gap) * max(len(rows), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">']
    for index, (label, value) in enumerate(rows):
        y = index * (bar + gap)
        label = str(label) if len(str(label)) <= 16 else str(label)[:15] + "…"
        length = 0 if not isinstance(value, (int, float)) else (width - label_width - 60) * (
            value / top)
        parts.append(f'<text x="0" y="{y + bar * 0.7}" font-size="12">{escape(label)}</text>'
                     f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar}" '
                     f'fill="#b3261e"></rect>'
                     f'<text x="{label_width + length + 6:.1f}" y="{y + bar * 0.7}" '
                     f'font-size="12">{escape(value)}</text>')
    parts.append("</svg>")
    # Reviewed (B704): labels and values are escaped above
    return Markup("".join(parts))  # nosec B704


def xlsx(report):
    """The saved report as a workbook: one sheet per section, numbers as numbers."""
    # Imported when a workbook is made: only report downloads need openpyxl.
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    summary = book.create_sheet("报告")
    summary.append(exports.row(["报告", report["title"]]))
    summary.append(exports.row(["地区", report["jurisdiction"]]))
    summary.append(exports.row(["期间", f"{report['from']} — {report['to']}"]))
    summary.append(exports.row(["摘要", report["digest"]]))
    for key, text in report.get("narrative", {}).items():
        summary.append(exports.row([key, text]))
    for index, section in enumerate(report["sections"], start=1):
        sheet = book.create_sheet(f"{index}-{section['title']}"[:31])
        sheet.append(exports.row([section["title"], ""]))
        for label, value in section["rows"]:
            sheet.append(exports.row([label, value]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_dict(section):
    return asdict(section)
