"""Carrying out results: tasks, progress on the board, overdue, the town, supervision, dissent."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.board import chain as disclosure
from core.consultation import topics
from core.implementation import tracking as implementation
from core.kernel.errors import DomainError, PermissionDenied
from core.kernel.extensions import db
from core.models import BoardEntry, Task, utcnow
from core.models.types import local_today
from core.places import tree
from tests import lifecycle_helpers as h
from tests.conftest import duplicate_ids


def organiser():
    return h.user("luoma-organiser")


def implementing(**kwargs):
    topic, _meeting, _entry = h.published(**kwargs)
    topics.advance(organiser(), topic)
    return topic


def test_progress_is_published_on_the_board_and_the_chain_holds(app, demo, client, auth):
    topic = implementing()
    auth.login("luoma-organiser")
    url = f"/topics/{topic.id}"
    assert auth.post(f"{url}/tasks", {"title": "采购路灯", "responsible": "村委会",
                                      "deadline": (local_today() + timedelta(days=30))
                                      .isoformat()}, form_url=url,
                     prefix="task").status_code == 302
    task = db.session.scalar(select(Task))
    assert auth.post(f"{url}/progress", {"task": task.id, "text": "已完成招标。",
                                         "progress": "40"}, form_url=url,
                     prefix="progress").status_code == 302
    entry = db.session.scalar(select(BoardEntry).where(BoardEntry.kind == "implementation"))
    assert entry.content["payload"]["progress"] == 40
    assert "已完成招标" in client.get(f"/board/441900121201/{entry.seq}").get_data(as_text=True)
    assert disclosure.verify(tree.by_code("441900121201")).ok
    implementation.report_progress(organiser(), topic, task, text="已安装完毕。", progress=90,
                                   done=True)
    with pytest.raises(DomainError, match="已完成"):
        implementation.report_progress(organiser(), topic, task, text="再报", progress=100)
    for bad in (-1, 101, "x"):
        other = implementation.add_task(organiser(), topic, title="验收", responsible="监委会",
                                        deadline=local_today())
        with pytest.raises(DomainError, match="百分比"):
            implementation.report_progress(organiser(), topic, other, text="进展", progress=bad)


def test_tasks_only_in_the_implementation_step(app, demo):
    topic, _meeting = h.confirmed()
    with pytest.raises(DomainError, match="当前步骤不允许"):
        implementation.add_task(organiser(), topic, title="x", responsible="y",
                                deadline=local_today())


def test_overdue_tasks_show_on_the_dashboard(app, demo, client, auth):
    topic = implementing()
    late = implementation.add_task(organiser(), topic, title="清理路面", responsible="一社",
                                   deadline=local_today() - timedelta(days=1))
    implementation.add_task(organiser(), topic, title="按期任务", responsible="二社",
                            deadline=local_today() + timedelta(days=3))
    rows, total = implementation.overdue_tasks(organiser())
    assert total == 1 and rows[0][0].id == late.id
    auth.login("qingxi-official")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "清理路面" in page and "按期任务" not in page
    auth.logout()
    auth.login("zsd-organiser")
    assert "清理路面" not in client.get("/dashboard").get_data(as_text=True)


def test_progress_not_published_within_the_set_period_is_flagged(app, demo):
    topic = implementing()
    task = implementation.add_task(organiser(), topic, title="修路", responsible="村委会",
                                   deadline=local_today() + timedelta(days=90))
    village = tree.by_code("441900121201")
    assert not implementation.publication_late(task, village)
    assert implementation.publication_late(task, village, now=utcnow() + timedelta(days=31))
    implementation.report_progress(organiser(), topic, task, text="开工", progress=10)
    assert not implementation.publication_late(task, village, now=utcnow() + timedelta(days=29))


def test_the_town_answers_reports_on_matters_it_entrusted(app, demo, client, auth):
    assigned = topics.assign(h.user("qingxi-official"), tree.by_code("441900121000"),
                             tree.by_code("441900121201"), title="落实秸秆禁烧")
    with pytest.raises(DomainError, match="已立项"):
        implementation.report_to_town(organiser(), assigned, "报告")
    topic = implementing()
    with pytest.raises(DomainError, match="交办"):
        implementation.report_to_town(organiser(), topic, "报告")
    topic.channel = "town"  # as if the town had assigned it
    db.session.commit()
    report = implementation.report_to_town(organiser(), topic, "协商一致，按方案实施。")
    second = implementation.report_to_town(organiser(), topic, "第二期工程已开工。")
    with pytest.raises(PermissionDenied):
        implementation.respond(organiser(), topic, report, response="adopted", feedback="好")
    auth.login("qingxi-official")
    url = f"/topics/{topic.id}"
    page = client.get(url).get_data(as_text=True)  # one answer form per report
    assert duplicate_ids(page) == []
    assert f'id="respond-feedback-{report.id}"' in page
    assert f'id="respond-feedback-{second.id}"' in page
    response = auth.post(f"{url}/town-report/{report.id}/respond",
                         {"response": "adopted", "feedback": "同意，镇里给予经费支持。"},
                         form_url=url, prefix="respond")
    assert response.status_code == 302
    db.session.refresh(report)
    page = client.get(url).get_data(as_text=True)
    assert report.response == "adopted"
    assert "<strong>采纳</strong>: 同意，镇里给予经费支持。" in page  # the response, by its label


def test_supervision_comments_and_explanations(app, demo, client, auth):
    topic = implementing()
    with pytest.raises(PermissionDenied):
        implementation.comment(organiser(), topic, "自己监督自己")
    auth.login("luoma-supervisor")
    url = f"/topics/{topic.id}"
    assert auth.post(f"{url}/supervision", {"text": "请公开采购价格。"}, form_url=url,
                     prefix="comment").status_code == 302
    auth.logout()
    implementation.explain(organiser(), topic, person="叶伯", concern="担心费用摊派",
                           explanation="费用由集体收益支出，不向村民摊派。")
    auth.login("luoma-organiser")
    page = client.get(url).get_data(as_text=True)
    assert "请公开采购价格" in page and "不向村民摊派" in page


def test_the_town_orders_an_unlawful_result_corrected(app, demo, client, auth):
    _topic, _meeting, result = h.published()
    url = f"/board/441900121201/{result.seq}"
    auth.login("luoma-organiser")  # the village cannot use the town's order
    assert auth.post(f"{url}/order-correction", {"reason": "x理由", "text": "y"},
                     form_url=url, prefix="o").status_code == 403
    auth.logout()
    auth.login("qingxi-official")
    response = auth.post(f"{url}/order-correction", {
        "reason": "违反《土地管理法》规定", "text": "撤销原方案，重新协商。"},
        form_url=url, prefix="o")
    assert response.status_code == 302
    correction = db.session.scalar(select(BoardEntry).where(BoardEntry.kind == "correction"))
    assert correction.corrects_id == result.id
    assert correction.content["payload"]["reason"].startswith("清溪镇依法纠正")
    assert disclosure.verify(tree.by_code("441900121201")).ok


def test_the_topic_page_lists_tasks_with_their_flags_and_offers_progress_on_open_ones(
        app, demo, client, auth):
    topic = implementing()
    overdue = implementation.add_task(organiser(), topic, title="清理路面", responsible="一社",
                                      deadline=local_today() - timedelta(days=1))
    quiet = implementation.add_task(organiser(), topic, title="安装路灯", responsible="二社",
                                    deadline=local_today() + timedelta(days=60))
    done = implementation.add_task(organiser(), topic, title="采购路灯", responsible="村委会",
                                   deadline=local_today() + timedelta(days=90))
    implementation.report_progress(organiser(), topic, done, text="已到货。", progress=100,
                                   done=True)
    quiet.created_at = utcnow() - timedelta(days=40)  # nothing published for 40 days
    db.session.commit()
    auth.login("luoma-organiser")
    page = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    section = page[page.index('id="impl-h"'):]
    rows = {row.split("<td>")[1].split(" ")[0].split("<")[0]: row
            for row in section[:section.index("</tbody>")].split("<tr>")[2:]}
    assert list(rows) == ["清理路面", "安装路灯", "采购路灯"]  # by deadline
    assert "已超期" in rows["清理路面"] and "进展未按期公开" not in rows["清理路面"]
    assert "进展未按期公开" in rows["安装路灯"] and "已超期" not in rows["安装路灯"]
    assert "已完成" in rows["采购路灯"] and "已到货。" in rows["采购路灯"]
    progress = section[section.index('name="progress-task"'):]
    progress = progress[:progress.index("</select>")]
    assert f'value="{overdue.id}"' in progress and f'value="{quiet.id}"' in progress
    assert f'value="{done.id}"' not in progress
    for task in (overdue, quiet):  # every task finished: no progress left to publish
        implementation.report_progress(organiser(), topic, task, text="完成。", progress=100,
                                       done=True)
    page = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    assert 'name="progress-task"' not in page
    assert f'href="/topics/{topic.id}/tasks/new"' in page  # a task can still be added


def test_tasks_and_explanations_are_added_on_pages_of_their_own(app, demo, client, auth):
    early, _meeting = h.noticed()  # not implementing yet: sent back with the reason
    topic = implementing()
    auth.login("luoma-organiser")
    url = f"/topics/{topic.id}"
    shown = client.get(url).get_data(as_text=True)
    assert f'href="{url}/tasks/new"' in shown and f'href="{url}/explanations/new"' in shown
    assert 'id="task-title"' not in shown and 'id="explain-explanation"' not in shown
    sent_back = client.get(f"/topics/{early.id}/tasks/new", follow_redirects=True)
    assert sent_back.request.path == f"/topics/{early.id}"
    assert "当前步骤不允许此操作" in sent_back.get_data(as_text=True)
    page = client.get(f"{url}/tasks/new").get_data(as_text=True)
    assert 'id="task-title"' in page and f'action="{url}/tasks"' in page
    refused = auth.post(f"{url}/tasks", {"title": "", "responsible": "村委会",
                                         "deadline": "2020-01-01"},
                        form_url=f"{url}/tasks/new", prefix="task")
    assert refused.status_code == 400 and 'id="task-title"' in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Task)) == 0
    added = auth.post(f"{url}/tasks", {"title": "采购路灯", "responsible": "村委会",
                                       "deadline": (local_today() + timedelta(days=30))
                                       .isoformat()}, form_url=f"{url}/tasks/new", prefix="task")
    assert added.status_code == 302 and added.headers["Location"].endswith(f"{url}#impl-h")
    assert db.session.scalar(select(func.count()).select_from(Task)) == 1
    page = client.get(f"{url}/explanations/new").get_data(as_text=True)
    assert 'id="explain-explanation"' in page and f'action="{url}/explanations"' in page
    assert auth.post(f"{url}/explanations", {"person": "陈志强", "concern": "担心费用。",
                                             "explanation": "费用由集体承担。"},
                     form_url=f"{url}/explanations/new",
                     prefix="explain").status_code == 302
    assert "费用由集体承担。" in client.get(url).get_data(as_text=True)
