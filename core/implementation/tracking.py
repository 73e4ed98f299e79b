"""Carrying out consultation results (成果运用): tasks and progress published to the board,
reports to the town and its feedback, supervision comments, explanations to dissenters,
and town-ordered corrections of unlawful results."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, func, select

from core.board import chain as disclosure
from core.board import entries as board
from core.consultation.procedures import Phase
from core.consultation.topics import area, require_manage, require_phase
from core.kernel import audit, notifications, permissions
from core.kernel.errors import DomainError, bounded_text
from core.kernel.extensions import db, read_rows
from core.kernel.i18n import frozen
from core.models import (
    Channel,
    EntryKind,
    Explanation,
    Jurisdiction,
    SupervisionComment,
    Task,
    TaskUpdate,
    Topic,
    TopicStatus,
    TownReport,
    TownResponse,
    utcnow,
)
from core.models.types import local_today, require_within_calendar
from core.places import settings, tree

DEFAULT_PUBLISH_DAYS = 30


def publish_days(jurisdiction):
    days = settings.get(jurisdiction, "progress_publish_days")
    return int(days) if days is not None else DEFAULT_PUBLISH_DAYS


def add_task(actor, topic, *, title, responsible, deadline):
    require_manage(actor, topic)
    require_phase(topic, Phase.IMPLEMENT)
    title = bounded_text(title, 1, 200, _l("The task must be 1 to 200 characters."))
    responsible = bounded_text(responsible, 1, 100,
                               _l("Say who is responsible (1 to 100 characters)."))
    if isinstance(deadline, date):
        require_within_calendar(deadline)
    if not isinstance(deadline, date) or deadline < local_today() - timedelta(days=365):
        raise DomainError(_l("Give a deadline."))
    task = Task(topic_id=topic.id, title=title, responsible=responsible, deadline=deadline,
                created_by_id=actor.id)
    db.session.add(task)
    audit.record(actor, "task.create", task, jurisdiction=area(topic),
                 after={"title": title, "responsible": responsible,
                        "deadline": deadline.isoformat()})
    db.session.commit()
    return task


def report_progress(actor, topic, task, *, text, progress, done=False):
    """Record progress and publish it on the board (实施进展), which also tells stakeholders."""
    require_manage(actor, topic)
    require_phase(topic, Phase.IMPLEMENT)
    if task.topic_id != topic.id:
        raise DomainError(_l("No such task on this topic."))
    if task.done_at is not None:
        raise DomainError(_l("This task is finished."))
    text = bounded_text(text, 2, 5000, _l("Describe the progress (2 to 5000 characters)."))
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        raise DomainError(_l("Progress is a percentage from 0 to 100.")) from None
    if not 0 <= progress <= 100:
        raise DomainError(_l("Progress is a percentage from 0 to 100."))
    if done:
        progress = 100
    now = utcnow()
    update = TaskUpdate(task_id=task.id, text=text, progress=progress, author_id=actor.id)
    db.session.add(update)
    task.last_update_at = now
    if done:
        task.done_at = now
    audit.record(actor, "task.progress", task, jurisdiction=area(topic),
                 after={"progress": progress, "done": done})
    entry = disclosure.append(
        area(topic), kind=EntryKind.IMPLEMENTATION,
        title=frozen(_l("Progress: %(title)s", title=topic.title)),
        payload={"task": task.title, "responsible": task.responsible,
                 "deadline": task.deadline.isoformat(), "progress": progress, "text": text,
                 "done": done},
        author=actor, topic=topic, item_code=topic.item_code)
    update.entry_id = entry.id
    # Feedback to the stakeholders who took part (反馈给利益相关方).

    notifications.notify_participants(
        topic, f"【实施进展】{topic.title}", f"{task.title}：{progress}%\n{text}",
        key=f"task-update:{update.id}")
    db.session.commit()
    notifications.deliver_inline()
    return update


_TASKS = (select(Task).where(Task.topic_id == bindparam("topic_id"))
          .order_by(Task.deadline, Task.id))


def tasks(topic):
    return db.session.scalars(_TASKS, {"topic_id": topic.id}).all()


# What the topic page shows of a topic's implementation, as rows (read by column name):
# each task's published progress, the reports to the town, the supervision committee's
# comments and the explanations given; each statement built once.
_UPDATE_ROWS = (select(TaskUpdate.task_id, TaskUpdate.progress, TaskUpdate.text)
                .join(Task, TaskUpdate.task_id == Task.id)
                .where(Task.topic_id == bindparam("topic_id")).order_by(TaskUpdate.id))
_REPORT_ROWS = (select(TownReport.id, TownReport.text, TownReport.reported_at,
                       TownReport.response, TownReport.feedback, TownReport.responded_at)
                .where(TownReport.topic_id == bindparam("topic_id")).order_by(TownReport.id))
_COMMENT_ROWS = (select(SupervisionComment.text, SupervisionComment.created_at)
                 .where(SupervisionComment.topic_id == bindparam("topic_id"))
                 .order_by(SupervisionComment.id))
_EXPLANATION_ROWS = (select(Explanation.person, Explanation.concern, Explanation.explanation)
                     .where(Explanation.topic_id == bindparam("topic_id"))
                     .order_by(Explanation.id))


def updates_by_task(topic):
    """task id → its published progress (task_id, progress, text), oldest first."""
    found = {}
    for update in read_rows(_UPDATE_ROWS, {"topic_id": topic.id}):
        found.setdefault(update.task_id, []).append(update)
    return found


def overdue_clause(today=None):
    """Open tasks past their deadline."""
    today = today or local_today()
    return and_(Task.done_at.is_(None), Task.deadline < today)


def overdue_tasks(user, root=None, limit=50):
    """(task, topic) for overdue tasks the user may read, oldest deadline first; and the total."""
    query = (select(Task, Topic).join(Topic, Task.topic_id == Topic.id)
             .join(Jurisdiction, Topic.jurisdiction_id == Jurisdiction.id)
             .where(overdue_clause(), Topic.status == TopicStatus.ACCEPTED))
    if permissions.scope_paths(user, "topic.read") is not None:
        query = query.where(permissions.scope_clause(user, "topic.read"))
    if root is not None:
        query = query.where(Jurisdiction.path.startswith(root.path, autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.order_by(Task.deadline, Task.id).limit(limit)).all()
    return rows, total


def publication_late(task, jurisdiction, now=None):
    """Whether an open task has gone longer than the set period without published progress."""
    if task.done_at is not None:
        return False
    now = now or utcnow()
    since = task.last_update_at or task.created_at
    return since < now - timedelta(days=publish_days(jurisdiction))


# -------------------------------------------------------------- the town


def report_to_town(actor, topic, text):
    """Report the outcome (or the disagreement) to the town, for matters it entrusted."""
    require_manage(actor, topic)
    if topic.status != TopicStatus.ACCEPTED:
        raise DomainError(_l("Only an accepted topic is reported to the town."))
    if topic.channel != Channel.TOWN:
        raise DomainError(_l("Only matters the town entrusted are reported to it."))
    text = bounded_text(text, 2, 10_000, _l("Write the report (2 to 10000 characters)."))
    report = TownReport(topic_id=topic.id, text=text, reported_by_id=actor.id)
    db.session.add(report)
    audit.record(actor, "town.report", report, jurisdiction=area(topic))
    db.session.commit()
    return report


def respond(actor, topic, report, *, response, feedback):
    town = tree.town_of(area(topic)) or area(topic)
    permissions.require(actor, "town.feedback", town)
    if report.topic_id != topic.id:
        raise DomainError(_l("No such report on this topic."))
    if report.responded_at is not None:
        raise DomainError(_l("The town has already answered this report."))
    if response not in TownResponse.ALL:
        raise DomainError(_l("Choose the town's response."))
    feedback = bounded_text(feedback, 2, 5000, _l("Write the feedback (2 to 5000 characters)."))
    report.response, report.feedback = response, feedback
    report.responded_by_id, report.responded_at = actor.id, utcnow()
    audit.record(actor, "town.respond", report, jurisdiction=town,
                 after={"response": response})
    db.session.commit()


def reports(topic):
    """The topic's reports to the town, as rows, with the town's response and feedback."""
    return read_rows(_REPORT_ROWS, {"topic_id": topic.id})


def order_correction(actor, entry, *, reason, text):
    """The town corrects a result that breaks the law (依法纠正): a correction entry on the
    village's board, marked as ordered by the town."""

    node = db.session.get(Jurisdiction, entry.jurisdiction_id)
    town = tree.town_of(node) or node
    permissions.require(actor, "board.order_correction", town)
    if entry.kind != EntryKind.RESULT:
        raise DomainError(_l("The town corrects published results."))
    reason = bounded_text(reason, 2, 2000, _l("Give the legal ground for the correction "
                                       "(2 to 2000 characters)."))
    return board.correct(actor, entry, reason=frozen(_l("Ordered by %(town)s: %(reason)s",
                                                        town=town.name, reason=reason)),
                         text=text, action="board.order_correction")


# -------------------------------------------------- supervision and dissent


def comment(actor, topic, text):
    permissions.require(actor, "supervision.comment", area(topic))
    text = bounded_text(text, 2, 5000, _l("The comment must be 2 to 5000 characters."))
    note = SupervisionComment(topic_id=topic.id, author_id=actor.id, text=text)
    db.session.add(note)
    audit.record(actor, "supervision.comment", note, jurisdiction=area(topic))
    db.session.commit()
    return note


def comments(topic):
    return read_rows(_COMMENT_ROWS, {"topic_id": topic.id})


def explain(actor, topic, *, person, concern, explanation):
    """Record the explanation given to someone who disagreed (解释说明)."""
    require_manage(actor, topic)
    person = bounded_text(person, 1, 100, _l("Name the person (1 to 100 characters)."))
    concern = bounded_text(concern, 2, 5000, _l("Describe the concern (2 to 5000 characters)."))
    explanation = bounded_text(explanation, 2, 5000,
                        _l("Write the explanation (2 to 5000 characters)."))
    record = Explanation(topic_id=topic.id, person=person, concern=concern,
                         explanation=explanation, explained_by_id=actor.id)
    db.session.add(record)
    audit.record(actor, "topic.explain", record, jurisdiction=area(topic),
                 after={"person": person})
    db.session.commit()
    return record


def explanations(topic):
    return read_rows(_EXPLANATION_ROWS, {"topic_id": topic.id})


_TASK_ROWS = (select(Task.id, Task.title, Task.responsible, Task.deadline, Task.done_at,
                     Task.last_update_at, Task.created_at)
              .where(Task.topic_id == bindparam("topic_id")).order_by(Task.deadline, Task.id))


def task_rows(topic):
    """The topic's tasks as rows, by deadline."""
    return read_rows(_TASK_ROWS, {"topic_id": topic.id})


def task_of(topic, task_id):
    """The topic's task ``task_id``, or a refusal the form shows."""
    task = db.session.get(Task, task_id)
    if task is None or task.topic_id != topic.id:
        raise DomainError(_l("No such task on this topic."))
    return task


def report_of(topic, report_id):
    """The topic's report to the town ``report_id``, or a refusal the form shows."""
    report = db.session.get(TownReport, report_id)
    if report is None or report.topic_id != topic.id:
        raise DomainError(_l("No such report on this topic."))
    return report
