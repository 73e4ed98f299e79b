"""Topic intake: online proposals, offline records, town assignments, attachments,
duplicates, declining with a reply, scope and lead."""

import io

import pytest
from sqlalchemy import func, select

from core.consultation import attachments, scope, screening, topics
from core.kernel.errors import DomainError
from core.kernel.extensions import db
from core.models import Attachment, Topic
from core.places import tree
from tests import lifecycle_helpers as h


def topic_count():
    return db.session.scalar(select(func.count()).select_from(Topic))


def test_staff_record_an_offline_proposal_on_behalf_of_a_resident(app, demo, client, auth):
    auth.login("luoma-organiser")
    response = auth.post("/topics/record", {
        "village": "441900121201", "channel": "door_to_door", "on_behalf_of": "叶伯",
        "title": "村口小桥护栏松动", "description": "入户走访时叶伯反映。"})
    assert response.status_code == 302
    topic = db.session.scalar(select(Topic).where(Topic.title == "村口小桥护栏松动"))
    assert topic.channel == "door_to_door" and topic.on_behalf_of == "叶伯"
    assert topic.recorded_by_id == h.user("luoma-organiser").id
    # A channel or a source left out is refused with a message.
    page = auth.post("/topics/record", {"village": "441900121201", "channel": "online",
                                        "on_behalf_of": "x", "title": "y"})
    assert page.status_code == 400
    page = auth.post("/topics/record", {"village": "441900121201", "channel": "hotline",
                                        "on_behalf_of": "", "title": "y"})
    assert page.status_code == 400 and "该字段是必填字段" in page.get_data(as_text=True)


def test_the_town_assigns_a_topic_with_materials(app, demo, client, auth):
    auth.login("qingxi-official")
    response = auth.post("/topics/assign", {
        "village": "441900121201", "title": "落实垃圾分类工作部署",
        "files": (io.BytesIO(b"%PDF-1.7 plan"), "垃圾分类实施方案.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    topic = db.session.scalar(select(Topic).where(Topic.title == "落实垃圾分类工作部署"))
    assert topic.channel == "town" and topic.jurisdiction_id == tree.by_code("441900121201").id
    stored = db.session.scalar(select(Attachment).where(Attachment.topic_id == topic.id))
    assert stored.filename == "垃圾分类实施方案.pdf" and stored.size == len(b"%PDF-1.7 plan")
    download = client.get(f"/topics/{topic.id}/files/{stored.id}")
    assert download.data == b"%PDF-1.7 plan"
    page = client.get(f"/topics/{topic.id}").get_data(as_text=True)  # listed on its page
    assert (f'<a href="/topics/{topic.id}/files/{stored.id}">垃圾分类实施方案.pdf</a> '
            f'<span class="muted">0.0 KB</span>') in page
    assert client.get("/topics/assign").status_code == 200
    auth.logout()
    auth.login("shilong-it")
    assert client.get("/topics/assign").status_code == 403


@pytest.mark.parametrize("name, data, message", [
    ("x.exe", b"MZ", "不接受此类文件"),
    ("photo.png", b"not a png", "扩展名"),
    ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "10 MB"),
    ("empty.txt", b"", "空"),
    ("notes.txt", "备注".encode("gbk"), "UTF-8"),
])
def test_bad_attachments_are_refused_and_no_topic_is_created(app, demo, name, data, message):
    before = topic_count()
    with pytest.raises(DomainError, match=message):
        topics.propose(h.user("luoma-resident"), tree.by_code("441900121201"),
                       title="有附件的议题", files=[(name, data)])
    db.session.rollback()
    assert topic_count() == before


def test_a_path_in_the_file_name_is_dropped(app):
    assert attachments.clean_name("../../etc/passwd.txt") == "passwd.txt"
    assert attachments.clean_name("C:\\Users\\x\\..\\报告.pdf") == "报告.pdf"
    assert attachments.clean_name("..") == "file"


def test_duplicate_looking_proposals_are_shown_to_the_organiser(app, demo, client, auth):
    first = h.proposed(title="罗马村村道路灯不亮")
    second = h.proposed(title="村道路灯不亮，请维修")
    h.proposed(title="垃圾分类宣传")
    similar = screening.similar(second)
    assert [row[1] for row in similar] == [first.id]
    auth.login("luoma-organiser")
    page = client.get(f"/topics/{second.id}").get_data(as_text=True)
    assert "相似的提议" in page and f"#{first.id}" in page
    findings = screening.screen(h.user("luoma-organiser"), second)
    assert any(f"#{first.id}" in str(f.message) for f in findings)


def test_a_declined_proposal_tells_the_proposer_why(app, demo, client, auth):
    topic = h.proposed()
    organiser = h.user("luoma-organiser")
    with pytest.raises(DomainError, match="理由"):
        topics.decline(organiser, topic, "")
    topics.decline(organiser, topic, "路灯属于镇市政维护范围，已转交镇城建办处理。")
    auth.login("luoma-resident")
    mine = client.get("/my/topics").get_data(as_text=True)
    assert "不予立项" in mine and "已转交镇城建办处理" in mine
    assert "已转交镇城建办处理" in client.get(f"/topics/{topic.id}").get_data(as_text=True)


def test_one_sub_unit_is_led_by_the_village_with_that_units_head(app, demo):
    topic = h.proposed()
    scope.set_scope(h.user("luoma-organiser"), topic, [tree.by_code("LM-JJS-02")])
    assert topic.lead == "village_with_unit"
    assert topic.lead_unit_id == tree.by_code("LM-JJS-02").id


def test_several_sub_units_are_led_by_the_village(app, demo):
    topic = h.proposed()
    scope.set_scope(h.user("luoma-organiser"), topic,
                     [tree.by_code("LM-JJS-01"), tree.by_code("LM-JJS-02")])
    assert topic.lead == "village" and topic.lead_unit_id is None


def test_several_villages_make_the_town_lead_and_own_the_topic(app, demo, client, auth):
    topic = h.proposed()
    scope.set_scope(h.user("luoma-organiser"), topic,
                     [tree.by_code("441900121201"), tree.by_code("441900121202")])
    assert topic.lead == "town"
    assert topic.jurisdiction_id == tree.by_code("441900121000").id
    # The village organiser no longer runs it; the town official does.
    with pytest.raises(DomainError):
        screening.screen(h.user("luoma-organiser"), topic)
    screening.screen(h.user("qingxi-official"), topic)
    auth.login("luoma-organiser")
    assert client.get(f"/topics/{topic.id}").status_code == 200  # still reads it


def test_scope_outside_the_town_is_refused(app, demo):
    topic = h.proposed()
    with pytest.raises(DomainError, match="不在本议题所属乡镇"):
        scope.set_scope(h.user("luoma-organiser"), topic, [tree.by_code("441900101002")])
    assert topic.lead == "village"


def test_a_proposal_needs_a_title(app, demo, client, auth):
    auth.login("luoma-resident")
    before = topic_count()
    page = auth.post("/topics/propose", {"village": "441900121201", "title": " "})
    assert page.status_code == 400
    page = auth.post("/topics/propose", {"village": "441900101002", "title": "别村的事"})
    assert page.status_code == 400  # not a village the resident belongs to
    assert topic_count() == before
