"""The disclosure board: frozen snapshots, append-only, verifiable, printable, correctable."""

import re
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest
from sqlalchemy import delete, select, text, update

from core.board import chain as disclosure
from core.board import entries as board
from core.kernel.errors import DomainError
from core.kernel.extensions import db
from core.models import AppendOnlyError, BoardEntry
from core.places import tree
from tests import lifecycle_helpers as h
from tests.conftest import duplicate_ids

LUOMA = "441900121201"


def luoma():
    return tree.by_code(LUOMA)


def test_notice_and_result_are_published_and_the_chain_verifies(app, demo, client):
    _topic, _meeting, result = h.published()
    entries = db.session.scalars(select(BoardEntry).order_by(BoardEntry.seq)).all()
    assert [(e.seq, e.kind) for e in entries] == [(1, "notice"), (2, "result")]
    assert entries[1].prev_hash == entries[0].entry_hash
    payload = result.content["payload"]
    assert payload["outcome"] == "由村集体出资更换路灯20盏。"
    assert {s["method"] for s in payload["signatures"]} == {"paper"}
    assert all(len(f["sha256"]) == 64 for f in payload["attachments"])
    assert disclosure.verify(luoma()).ok
    page = client.get(f"/board/{LUOMA}/2").get_data(as_text=True)
    assert "由村集体出资更换路灯20盏。" in page and result.entry_hash in page
    assert client.get(f"/board/{LUOMA}/verify").status_code == 200


def test_later_edits_to_the_topic_never_change_the_published_entry(app, demo):
    topic, _meeting, result = h.published()
    hash_before = result.entry_hash
    topic.title = "改过的标题"
    db.session.commit()
    db.session.expire_all()
    again = db.session.get(BoardEntry, result.id)
    assert again.content["payload"]["topic_title"] == "修缮罗马村道路路灯"
    assert again.entry_hash == hash_before and disclosure.verify(luoma()).ok


def test_the_orm_refuses_to_change_or_delete_an_entry(app, demo):
    _topic, _meeting, result = h.published()
    result.title = "篡改"
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.delete(db.session.get(BoardEntry, result.id))
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.execute(update(BoardEntry).values(title="篡改"))
    with pytest.raises(AppendOnlyError):
        db.session.execute(delete(BoardEntry))
    db.session.rollback()


def test_the_database_refuses_update_delete_and_truncate(app, demo):
    h.published()
    engine = db.engine
    statements = ["UPDATE board_entry SET title = 'x'", "DELETE FROM board_entry"]
    if engine.dialect.name == "postgresql":
        statements.append("TRUNCATE board_entry CASCADE")
    for statement in statements:
        with pytest.raises(Exception, match="append-only"):
            with engine.begin() as connection:
                connection.execute(text(statement))
    assert db.session.scalar(select(db.func.count()).select_from(BoardEntry)) == 2


def _tamper(statement):
    """Change a row behind the guards' back, as someone with the database's keys could."""
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            connection.execute(text(statement))
        else:
            guards = connection.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
            for name, _sql in guards:
                connection.execute(text(f'DROP TRIGGER "{name}"'))
            connection.execute(text(statement))
            for _name, sql in guards:
                connection.execute(text(sql))


@pytest.mark.parametrize("statement, reason", [
    ("UPDATE board_entry SET content = REPLACE(CAST(content AS TEXT), '\"round\": 1', "
     "'\"round\": 2') WHERE seq = 2", "内容与哈希值不符"),
    ("UPDATE board_entry SET title = '改标题' WHERE seq = 1", "不一致"),
    ("UPDATE board_entry SET prev_hash = entry_hash WHERE seq = 2", "前一条"),
    ("DELETE FROM board_entry WHERE seq = 1", "缺失"),
    ("DELETE FROM board_entry WHERE seq = 2", "缺失"),
])
def test_tampering_through_raw_sql_makes_verify_name_the_entry(app, demo, runner, statement,
                                                               reason):
    h.published()
    if db.engine.dialect.name == "postgresql":
        statement = statement.replace("'\"round\": 2')", "'\"round\": 2')::json")
    _tamper(statement)
    db.session.expire_all()
    result = disclosure.verify(luoma())
    assert not result.ok and reason in str(result.reason)
    assert result.bad_seq == int(statement.rsplit("=", 1)[1].strip().split()[0])
    output = runner.invoke(args=["board", "verify", LUOMA])
    assert output.exit_code == 1 and "第 " in output.output


def test_verify_command_passes_every_intact_board(app, demo, runner):
    h.published()
    result = runner.invoke(args=["board", "verify"])
    assert result.exit_code == 0 and "罗马村" in result.output and "2" in result.output


def test_correction_points_at_the_original_which_shows_it(app, demo, client, auth):
    _topic, _meeting, result = h.published()
    auth.login("luoma-organiser")
    url = f"/board/{LUOMA}/{result.seq}"
    response = auth.post(f"{url}/correct", {"reason": "盏数笔误", "text": "更换路灯22盏。"},
                         form_url=url, prefix="c")
    assert response.status_code == 302
    correction = db.session.scalar(select(BoardEntry).where(BoardEntry.kind == "correction"))
    assert correction.corrects_id == result.id
    assert correction.content["payload"]["corrects_hash"] == result.entry_hash
    original = client.get(url).get_data(as_text=True)
    assert "已更正" in original and "盏数笔误" in original
    listing = client.get(f"/board/{LUOMA}").get_data(as_text=True)
    assert f"已由第 {correction.seq} 号更正" in listing
    assert disclosure.verify(luoma()).ok
    # Without a reason, nothing is published; and not by someone outside the village.
    page = auth.post(f"{url}/correct", {"reason": "", "text": "x"}, form_url=url, prefix="c")
    assert page.status_code == 400
    auth.logout()
    auth.login("zsd-organiser")
    assert auth.post(f"{url}/correct", {"reason": "恶意", "text": "x"},
                     form_url="/dashboard", prefix="c").status_code == 403


def test_result_is_published_only_when_confirmed_and_once(app, demo):
    topic, _meeting = h.held()
    with pytest.raises(DomainError, match="已确认"):
        board.publish_result(h.user("luoma-organiser"), topic)
    topic, _meeting, _entry = h.published(title="另一个议题")
    with pytest.raises(DomainError, match="已公布"):
        board.publish_result(h.user("luoma-organiser"), topic)


def test_board_filters_and_feed(app, demo, client):
    _topic, _meeting, result = h.published()
    assert "协商结果" in client.get(f"/board/{LUOMA}?kind=result").get_data(as_text=True)
    assert result.title not in client.get(f"/board/{LUOMA}?kind=correction").get_data(
        as_text=True)
    assert result.title in client.get(
        f"/board/{LUOMA}?item=national.public_affairs").get_data(as_text=True)
    assert result.title not in client.get(
        f"/board/{LUOMA}?from=2999-01-01").get_data(as_text=True)
    assert client.get(f"/board/{LUOMA}?from=garbage&to=2026-99-99&kind=x").status_code == 200
    feed = client.get(f"/board/{LUOMA}/feed.atom")
    assert feed.mimetype == "application/atom+xml"
    root = ElementTree.fromstring(feed.data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    links = [e.find("a:link", ns).get("href") for e in root.findall("a:entry", ns)]
    assert links[0].endswith(f"/board/{LUOMA}/2") and len(links) == 2
    assert client.get("/board/nope").status_code == 404
    assert client.get(f"/board/{LUOMA}/99").status_code == 404


def test_sub_unit_filter(app, demo, client):
    from datetime import timedelta

    from core.consultation import meetings, scope, screening, subjects, topics
    from core.models import utcnow

    organiser = h.user("luoma-organiser")
    topic = h.proposed(title="第二经济社鱼塘清淤")
    scope.set_scope(organiser, topic, [tree.by_code("LM-JJS-02")])
    screening.screen(organiser, topic)
    topics.classify(organiser, topic, "national.public_affairs")
    topics.accept(organiser, topic)
    for name in ("叶伯", "黄小红"):
        subjects.invite_person(organiser, topic, h.person(name))
    topics.advance(organiser, topic)
    meeting = meetings.schedule(organiser, topic, form="council", mode="offline",
                                starts_at=utcnow() + timedelta(days=5), place="二社祠堂",
                                host="陈书记")
    meetings.publish_notice(organiser, topic, meeting, channels=["board"])
    h.noticed(title="全村的议题")
    second = client.get(f"/board/{LUOMA}?unit=LM-JJS-02").get_data(as_text=True)
    assert "第二经济社鱼塘清淤" in second and "全村的议题" not in second
    first = client.get(f"/board/{LUOMA}?unit=LM-JJS-01").get_data(as_text=True)
    assert "第二经济社鱼塘清淤" not in first


def test_printed_notice_has_the_chinese_text_hash_and_qr(app, demo, client, tmp_path):
    _topic, _meeting, result = h.published()
    response = client.get(f"/board/{LUOMA}/{result.seq}.pdf")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    path = tmp_path / "notice.pdf"
    path.write_bytes(response.data)
    extracted = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                               check=True).stdout
    flat = "".join(extracted.split())
    assert "修缮罗马村道路路灯" in flat and "由村集体出资更换路灯20盏。" in flat
    assert result.entry_hash[:12] in flat and "罗马村" in flat
    assert "/board/441900121201/2" in flat


def test_questions_become_public_once_answered(app, demo, client, auth):
    _topic, _meeting, result = h.published()
    url = f"/board/{LUOMA}/{result.seq}"
    auth.login("luoma-resident")
    assert auth.post(f"{url}/ask", {"text": "路灯什么时候装好？"}, form_url=url,
                     prefix="q").status_code == 302
    assert "路灯什么时候装好" in client.get(url).get_data(as_text=True)  # the asker sees it
    auth.logout()
    assert "路灯什么时候装好" not in client.get(url).get_data(as_text=True)  # the public not yet
    auth.login("luoma-organiser")
    from core.models import Question

    question = db.session.scalar(select(Question))
    assert auth.post(f"{url}/questions/{question.id}/answer", {"text": "预计下月底完工。"},
                     form_url=url, prefix="a").status_code == 302
    auth.logout()
    page = client.get(url).get_data(as_text=True)
    assert "路灯什么时候装好" in page and "预计下月底完工" in page
    assert client.post(f"{url}/ask", data={}).status_code in (302, 400)


def test_each_open_question_gets_its_own_answer_field(app, demo, client, auth):
    from core.models import Question

    _topic, _meeting, result = h.published()
    url = f"/board/{LUOMA}/{result.seq}"
    for asked in ("路灯什么时候装好？", "费用从哪里出？"):
        board.ask(h.user("luoma-resident"), result, asked)
    auth.login("luoma-organiser")
    page = client.get(url).get_data(as_text=True)
    assert duplicate_ids(page) == []
    for question in db.session.scalars(select(Question)):
        answer = f"a-text-{question.id}"
        assert f'for="{answer}"' in page and f'id="{answer}"' in page
    assert page.count('name="a-text"') == 2  # the same form each time, posted by name
    question = db.session.scalars(select(Question).order_by(Question.id)).all()[1]
    assert auth.post(f"{url}/questions/{question.id}/answer", {"text": "村集体出资。"},
                     form_url=url, prefix="a").status_code == 302
    assert "村集体出资" in client.get(url).get_data(as_text=True)


def test_the_board_counts_its_entries_on_every_page_even_past_the_end(app, demo, client):
    h.published()  # the notice and the result: two entries
    app.config["XS_PAGE_SIZE"] = 1
    for page, shown in (("1", 1), ("2", 1), ("9", 0)):
        body = client.get(f"/board/{LUOMA}?page={page}").get_data(as_text=True)
        assert "共 2 条" in body, page
        assert len(re.findall(rf'href="/board/{LUOMA}/\d+"', body)) == shown, page
    filtered = client.get(f"/board/{LUOMA}?kind=result").get_data(as_text=True)
    assert "共 1 条" in filtered


def test_reading_the_public_board_leaves_no_cookie(app, demo, client, auth):
    """A visitor who only reads is given nothing to carry: no session, no CSRF token, no
    remember-me clearing; the forms that would need a token are not made for them."""
    _topic, _meeting, result = h.published()
    for path in (f"/board/{LUOMA}", f"/board/{LUOMA}/{result.seq}", f"/j/{LUOMA}",
                 f"/board/{LUOMA}/feed.atom", f"/board/{LUOMA}/verify"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers.getlist("Set-Cookie") == [], path
    auth.login("luoma-resident")  # a resident who may ask still gets the question form
    page = client.get(f"/board/{LUOMA}/{result.seq}").get_data(as_text=True)
    assert 'name="q-text"' in page and 'name="q-csrf_token"' in page
    assert 'name="a-text"' not in page  # and not the committee's answer form


def test_only_the_village_committee_answers_its_questions(app, demo, client, auth):
    from core.models import Question

    _topic, _meeting, result = h.published()
    url = f"/board/{LUOMA}/{result.seq}"
    board.ask(h.user("luoma-resident"), result, "问题？")
    question = db.session.scalar(select(Question))
    auth.login("zsd-organiser")
    response = auth.post(f"{url}/questions/{question.id}/answer", {"text": "越权答复"},
                         form_url="/dashboard", prefix="a")
    assert response.status_code == 403
    db.session.refresh(question)
    assert question.answer is None


def test_verify_json_for_machines(app, demo, client):
    h.published()
    body = client.get(f"/board/{LUOMA}/verify.json").get_json()
    assert body == {"board": LUOMA, "ok": True, "checked": 2, "bad_seq": None, "reason": None}


def test_every_listing_has_the_columns_the_template_unpacks(app, demo):
    h.published()
    whole, total = board.entries_page(luoma())
    filtered, filtered_total = board.entries_page(luoma(), kind="result")
    assert whole and filtered and total == 2 and filtered_total == 1
    assert whole[0]._fields == filtered[0]._fields == board.ROW
    assert whole[0].board_size == 2 and filtered[0].board_size is None
