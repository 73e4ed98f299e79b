"""Generating, saving and reading assessment reports."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.kernel import audit, permissions
from core.kernel.errors import DomainError, NotFound
from core.kernel.extensions import db
from core.kernel.i18n import frozen
from core.kernel.plugins import registry
from core.models import Jurisdiction, SavedReport
from core.models.types import require_within_calendar
from core.reports import figures
from core.reports import sections as reports


def sections(root, period):
    """The core's sections, then every enabled plugin's, for ``root`` and ``period``."""
    found = figures.compute(root, period)
    parts = reports.core_sections(found)
    for contributed in registry().hooks_for(root).xs_register_report_sections(
            jurisdiction=root, period=period, figures=found):
        parts.extend(contributed or ())
    return parts


def check_period(start, end):
    if start is None or end is None or end < start:
        raise DomainError(_l("Give a period whose end is not before its start."))
    require_within_calendar(start, end)
    if (end - start).days > 3660:
        raise DomainError(_l("A report covers at most ten years."))
    return figures.Period(start, end)


def generate(actor, root, *, kind, start, end, narrative=None):
    """Compute the report, save it with its parameters and digest, and return it."""
    permissions.require(actor, "report.make", root)
    if kind not in reports.KINDS:
        raise DomainError(_l("Unknown kind of report."))
    period = check_period(start, end)
    title, parts = reports.KINDS[kind]
    texts = {}
    for key, label in parts:
        text = ((narrative or {}).get(key) or "").strip()
        if len(text) > 20_000:
            raise DomainError(_l("%(part)s is longer than 20000 characters.", part=label))
        texts[frozen(label)] = text
    content = {
        "title": frozen(title), "kind": kind, "jurisdiction": root.name, "code": root.code,
        "from": start.isoformat(), "to": end.isoformat(), "narrative": texts,
        "sections": reports.frozen_sections(sections(root, period)),
    }
    digest = reports.digest(content)
    content["digest"] = digest
    saved = SavedReport(jurisdiction_id=root.id, kind=kind, period_start=start, period_end=end,
                        content=content, digest=digest, created_by_id=getattr(actor, "id", None))
    db.session.add(saved)
    audit.record(actor, "report.generate", saved, jurisdiction=root,
                 after={"kind": kind, "from": start.isoformat(), "to": end.isoformat(),
                        "digest": digest})
    db.session.commit()
    return saved


def get(actor, report_id):
    saved = db.session.get(SavedReport, report_id)
    if saved is None:
        raise NotFound(_l("There is no report %(id)s.", id=report_id))
    permissions.require(actor, "report.make", db.session.get(Jurisdiction, saved.jurisdiction_id))
    return saved


def verify(saved):
    """Whether the stored content still matches its digest."""
    content = dict(saved.content)
    content.pop("digest", None)
    return reports.digest(content) == saved.digest


def saved_for(root, limit=50):
    return db.session.scalars(select(SavedReport).where(SavedReport.jurisdiction_id == root.id)
                              .order_by(SavedReport.id.desc()).limit(limit)).all()
