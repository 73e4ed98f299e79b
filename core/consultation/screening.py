"""Screening a proposal: the plugins' findings (五议五不议 …) and the core's own look for
topics that look alike."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.consultation import procedures, topics
from core.consultation.catalogue import Finding, FindingLevel
from core.kernel import audit
from core.kernel.extensions import db
from core.kernel.i18n import frozen
from core.kernel.plugins import registry
from core.models import (
    Jurisdiction,
    Topic,
    utcnow,
)


def _bigrams(text):
    text = "".join(text.split()).lower()
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def similar(topic, limit=5, threshold=0.35, window=500):
    """Open or recent topics of the same village whose titles look alike (shared
    character pairs, which suits Chinese titles), most alike first."""
    mine = _bigrams(topic.title)
    candidates = db.session.execute(
        select(Topic.id, Topic.title, Topic.status).where(
            Topic.origin_id == topic.origin_id, Topic.id != topic.id)
        .order_by(Topic.id.desc()).limit(window)
    ).all()
    scored = []
    for topic_id, title, status in candidates:
        theirs = _bigrams(title)
        score = len(mine & theirs) / len(mine | theirs)
        if score >= threshold:
            scored.append((score, topic_id, title, status))
    scored.sort(reverse=True)
    return scored[:limit]


def screen(actor, topic):
    """Run the plugins' screening and the core's own checks; keep the findings."""
    topics.require_manage(actor, topic)
    topics.require_phase(topic, procedures.Phase.COLLECT, procedures.Phase.DEFINE)
    jurisdiction = db.session.get(Jurisdiction, topic.jurisdiction_id)
    findings = topics.collect(registry().hooks_for(jurisdiction).xs_screen_topic(
        topic=topic, jurisdiction=jurisdiction))
    for _score, other_id, other_title, _status in similar(topic):
        findings.append(Finding(
            message=frozen(_l("Looks like topic #%(id)s “%(title)s”.", id=other_id,
                              title=other_title)),
            level=FindingLevel.WARNING, source="core"))
    topic.screening = [{"message": frozen(f.message), "level": f.level, "source": f.source}
                       for f in findings]
    topic.screened_at = utcnow()
    audit.record(actor, "topic.screen", topic, jurisdiction=jurisdiction,
                 after={"findings": len(findings)})
    db.session.commit()
    return findings
