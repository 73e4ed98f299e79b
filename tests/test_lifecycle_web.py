"""The whole national procedure, end to end, through the web forms a committee uses."""

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from core.kernel.extensions import db
from core.models import (
    AuditEvent,
    BoardEntry,
    Meeting,
    Participant,
    Signature,
    Topic,
    Vote,
)
from core.models.types import local_today
from tests.lifecycle_helpers import PNG, organisation, person

LOCAL = ZoneInfo("Asia/Shanghai")


def local(delta):
    return (datetime.now(LOCAL) + delta).strftime("%Y-%m-%dT%H:%M")


def flashes(response):
    return response.get_data(as_text=True)


def test_national_lifecycle_through_the_web_forms(app, demo, client, auth):
    # A resident proposes a topic online.
    auth.login("luoma-resident")
    response = auth.post("/topics/propose", {
        "village": "441900121201", "title": "罗马村道路路灯维修",
        "description": "村道路灯坏了半年，晚上出行不安全，希望尽快维修。",
        "files": (io.BytesIO(b"%PDF-1.4 photo list"), "现场照片说明.pdf"),
    }, content_type="multipart/form-data")
    assert response.status_code == 302
    topic = db.session.scalar(select(Topic).where(Topic.title == "罗马村道路路灯维修"))
    assert topic.channel == "online" and topic.step == "propose"
    url = f"/topics/{topic.id}"
    assert "现场照片说明.pdf" in client.get(url).get_data(as_text=True)
    auth.logout()

    # The committee screens, classifies, scopes and accepts it.
    auth.login("luoma-organiser")
    assert auth.post(f"{url}/screen", {}, form_url=url).status_code == 302
    assert auth.post(f"{url}/classify", {"item": "national.legal_requirement"},
                     form_url=url, prefix="classify").status_code == 302
    assert auth.post(f"{url}/scope", {"units": ["LM-JJS-01"]}, form_url=url,
                     prefix="scope").status_code == 302
    assert auth.post(f"{url}/accept", {}, form_url=url).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "罗马第一经济社" in page and "该单元负责人" in page

    # Subjects: two residents, the villagers' committee, and an expert without a vote.
    for name in ("陈志强", "陈美玲"):
        response = auth.post(f"{url}/participants/person",
                             {"person": person(name).id, "votes": "y"}, form_url=url,
                             prefix="person")
        assert response.status_code == 302, name
    auth.post(f"{url}/participants/organisation",
              {"organisation": organisation("罗马村民委员会").id, "representative": "陈主任"},
              form_url=url, prefix="org")
    auth.post(f"{url}/participants/guest", {"kind": "expert", "name": "王工程师",
                                            "note": "电气工程师"}, form_url=url, prefix="guest")
    expert = db.session.scalar(select(Participant).where(Participant.name == "王工程师"))
    assert expert.votes is False
    assert auth.post(f"{url}/advance", {}, form_url=url).status_code == 302
    db.session.refresh(topic)
    assert topic.step == "notify"

    # The meeting is scheduled and noticed.
    response = auth.post(f"{url}/meetings", {
        "form": "council", "mode": "offline", "starts_at": local(timedelta(days=-1)),
        "place": "罗马村委会议室", "host": "陈书记", "agenda": "路灯维修方案",
    }, form_url=url, prefix="meeting")
    assert response.status_code == 302
    meeting_url = re.search(r'href="(/topics/\d+/meetings/\d+)"',
                            client.get(url).get_data(as_text=True)).group(1)
    response = auth.post(f"{meeting_url}/notice", {
        "channels": ["board", "wechat"], "notice_at": local(timedelta(days=-9)),
    }, form_url=meeting_url, prefix="notice")
    assert response.status_code == 302
    assert auth.post(f"{url}/advance", {}, form_url=url).status_code == 302

    # At the meeting: sign-in, opinions (one recorded on behalf), the result.
    chen = db.session.scalar(select(Participant).where(Participant.name == "陈志强"))
    for participant in db.session.scalars(select(Participant).where(
            Participant.topic_id == topic.id, Participant.name != "陈美玲")):
        response = auth.post(f"{meeting_url}/sign-in", {"participant": participant.id},
                             form_url=meeting_url, prefix="signin")
        assert response.status_code == 302
    response = auth.post(f"{meeting_url}/opinions", {
        "participant": chen.id, "position": "support", "text": "同意由集体出资。"},
        form_url=meeting_url, prefix="opinion")
    assert response.status_code == 302
    auth.logout()
    auth.login("luoma-resident")  # 陈美玲 signs herself in and speaks for herself
    assert auth.post(f"{meeting_url}/self-sign-in", {}, form_url=meeting_url).status_code == 302
    meilin = db.session.scalar(select(Participant).where(Participant.name == "陈美玲"))
    assert auth.post(f"{meeting_url}/opinions", {
        "participant": meilin.id, "position": "suggestion", "text": "建议用节能灯。"},
        form_url=meeting_url, prefix="opinion").status_code == 302
    auth.logout()
    auth.login("luoma-organiser")
    page = client.get(meeting_url).get_data(as_text=True)
    assert "代为记录" in page  # 陈志强's opinion was recorded on his behalf
    response = auth.post(f"{meeting_url}/result", {
        "held_at": local(timedelta(hours=-20)), "minutes": "与会人员充分讨论。",
        "outcome": "consensus", "consensus_text": "由村集体出资更换节能路灯20盏。"},
        form_url=meeting_url, prefix="result")
    assert response.status_code == 302

    # Signatures: paper for everyone but 陈美玲, who signs electronically.
    for participant in db.session.scalars(select(Participant).where(
            Participant.topic_id == topic.id, Participant.name != "陈美玲")):
        response = auth.post(f"{url}/outcome/paper", {
            "participant": participant.id, "scan": (io.BytesIO(PNG), "scan.png")},
            form_url=url, prefix="paper", content_type="multipart/form-data")
        assert response.status_code == 302, participant.name
    response = auth.post(f"{url}/outcome/confirm", {}, form_url=url)
    assert response.status_code == 400 and "陈美玲" in response.get_data(as_text=True)
    auth.logout()
    auth.login("luoma-resident")
    assert auth.post(f"{url}/outcome/sign", {}, form_url=url).status_code == 302
    auth.logout()
    auth.login("luoma-organiser")
    assert auth.post(f"{url}/outcome/confirm", {}, form_url=url).status_code == 302
    methods = sorted(db.session.scalars(select(Signature.method)))
    assert methods == ["electronic", "paper", "paper", "paper"]

    # The item goes to a vote: the representative meeting passes it.
    response = auth.post(f"{url}/advance", {}, form_url=url)
    assert response.status_code == 400 and "表决" in response.get_data(as_text=True)
    response = auth.post(f"{url}/votes", {
        "body": "representative_meeting", "noticed_on": (local_today() - timedelta(days=5))
        .isoformat(), "held_on": local_today().isoformat(), "eligible": "30", "present": "20",
        "votes_for": "11", "votes_against": "9", "votes_abstain": "0"},
        form_url=url, prefix="vote")
    assert response.status_code == 302
    assert db.session.scalar(select(Vote.result)) == "passed"
    response = auth.post(f"{url}/advance", {}, form_url=url)
    assert response.status_code == 400 and "公开栏" in response.get_data(as_text=True)
    assert auth.post(f"{url}/publish-result", {}, form_url=url).status_code == 302
    assert auth.post(f"{url}/advance", {}, form_url=url).status_code == 302
    db.session.refresh(topic)
    assert topic.step == "implement"

    # Every transition is in the audit log, and the topic page tells the story.
    steps = [event.after["step"] for event in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "topic.advance",
                                 AuditEvent.object_id == str(topic.id))
        .order_by(AuditEvent.id))]
    assert steps == ["notify", "consult", "implement"]
    page = client.get(url).get_data(as_text=True)
    assert "由村集体出资更换节能路灯20盏。" in page
    # The vote, with its counts and result; the meeting's round, mode and result.
    votes = page[page.index('id="votes-h"'):page.index('id="board-h"')]
    assert "应到 30 人，实到 20 人；赞成 11，反对 9，弃权 0" in votes
    assert "— <strong>通过</strong>" in votes
    start = page.index('id="meetings-h"')
    rounds = page[start:page.index("</table>", start)]
    assert "第 1 轮</a>" in rounds and " · 线下</td>" in rounds and ">达成一致</td>" in rounds
    from core.consultation import topics as topic_service

    procedure = topic_service.procedure_of(topic)
    history = page[page.index('<ol class="history">'):]
    assert [f"→ {procedure.step(step).title}" in history for step in steps] == [True] * 3
    # Its board entries link to the village board, each with the start of its hash.
    for entry in db.session.scalars(select(BoardEntry).where(BoardEntry.topic_id == topic.id)):
        assert f'href="/board/441900121201/{entry.seq}"' in page
        assert f"<code>{entry.entry_hash[:12]}</code>" in page
    # The board carries the notice and the result, both public.
    auth.logout()
    board_page = client.get("/board/441900121201").get_data(as_text=True)
    assert "会议通知" in board_page and "协商结果" in board_page


def test_the_topic_page_says_what_is_missing(app, demo, client, auth):
    from tests.lifecycle_helpers import proposed

    topic = proposed()
    auth.login("luoma-organiser")
    page = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    assert "已完成筛查" in page and "已在协商目录中归类" in page and "至少邀请两个协商主体" in page
    response = auth.post(f"/topics/{topic.id}/advance", {}, form_url=f"/topics/{topic.id}")
    assert response.status_code == 400
    assert "尚不能进入下一步" in response.get_data(as_text=True)


def test_closing_a_topic_asks_for_the_reason_on_its_own_page(app, demo, client, auth):
    from tests import lifecycle_helpers as h

    topic, _meeting = h.noticed()
    auth.login("luoma-organiser")
    url = f"/topics/{topic.id}/close"
    shown = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    assert f'href="{url}"' in shown and 'id="close-reason"' not in shown
    assert 'id="close-reason"' in client.get(url).get_data(as_text=True)
    for reason in ("", "短", "长" * 2001):  # the page again, with the reason; still open
        refused = auth.post(url, {"reason": reason}, prefix="close")
        page = refused.get_data(as_text=True)
        assert refused.status_code == 400 and 'id="close-reason"' in page
        assert 'class="errors"' in page, reason
        db.session.refresh(topic)
        assert topic.status == "accepted"
    closed = auth.post(url, {"reason": "村民代表会议表决未通过。"}, prefix="close")
    assert closed.status_code == 302 and closed.headers["Location"].endswith(f"/topics/{topic.id}")
    db.session.refresh(topic)
    assert topic.status == "closed" and topic.closed_reason == "村民代表会议表决未通过。"
    page = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    assert "村民代表会议表决未通过。" in page and f'href="{url}"' not in page
    # Once closed, the page sends the organiser back with the reason it cannot be closed.
    again = client.get(url, follow_redirects=True).get_data(as_text=True)
    assert "只有已立项的议题才能终止。" in again and "村民代表会议表决未通过。" in again


def test_a_planned_round_is_opened_not_scheduled_again(app, demo, client, auth):
    """While a round is planned, the notify step links to its page (where it is moved or
    noticed) instead of to scheduling another, which the service would refuse; a schedule
    posted anyway is refused on the scheduling page, with the form and its reason."""
    from tests import lifecycle_helpers as h

    topic, meeting = h.noticed()
    auth.login("luoma-organiser")
    url = f"/topics/{topic.id}"
    page = client.get(url).get_data(as_text=True)
    assert f'href="{url}/meetings/{meeting.id}"' in page and "打开第 1 轮会议" in page
    assert f'href="{url}/meetings/new"' not in page
    refused = auth.post(f"{url}/meetings", {
        "form": "council", "mode": "offline",
        "starts_at": (local_today() + timedelta(days=30)).strftime("%Y-%m-%dT09:00"),
        "place": "村委会", "host": "陈书记"}, form_url=url, prefix="meeting")
    shown = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'id="meeting-form"' in shown
    assert "第 1 轮会议尚未召开，请修改它而不是新增会议。" in shown
    assert db.session.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.topic_id == topic.id)) == 1


def test_the_meeting_is_scheduled_on_its_own_page_then_noticed_on_its_page(
        app, demo, client, auth):
    from core.consultation import topics
    from tests import lifecycle_helpers as h

    early = h.accepted()  # still defining the topic: no meeting to plan yet
    auth.login("luoma-organiser")
    sent_back = client.get(f"/topics/{early.id}/meetings/new", follow_redirects=True)
    assert "当前步骤不允许此操作" in sent_back.get_data(as_text=True)
    assert sent_back.request.path == f"/topics/{early.id}"
    from core.consultation import subjects

    topic = h.with_subjects()
    subjects.invite_person(h.user("luoma-organiser"), topic, h.person("叶伯"))
    topics.advance(h.user("luoma-organiser"), topic)
    url = f"/topics/{topic.id}"
    assert f'href="{url}/meetings/new"' in client.get(url).get_data(as_text=True)
    page = client.get(f"{url}/meetings/new").get_data(as_text=True)
    assert 'id="meeting-form"' in page and "会议通知须至少提前 3 天发布" in page
    # Of the invited, only 叶伯 needs an offline channel, and the page names him alone.
    assert "已邀请且需要线下渠道的：叶伯。" in page
    made = auth.post(f"{url}/meetings", {
        "form": "council", "mode": "offline",
        "starts_at": (local_today() + timedelta(days=10)).strftime("%Y-%m-%dT09:00"),
        "place": "村委会", "host": "陈书记"}, form_url=f"{url}/meetings/new", prefix="meeting")
    meeting = db.session.scalar(select(Meeting).where(Meeting.topic_id == topic.id))
    assert made.status_code == 302
    assert made.headers["Location"].endswith(f"{url}/meetings/{meeting.id}")


def test_the_history_names_every_action_recorded_on_the_topic(app, demo, client, auth):
    from core.consultation.views.topic_page import action_labels
    from tests import lifecycle_helpers as h

    topic, _meeting, _entry = h.published()
    recorded = set(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "topic", AuditEvent.object_id == str(topic.id))))
    assert "board.publish_result" in recorded and recorded <= set(action_labels())
    auth.login("luoma-organiser")
    history = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    history = history[history.index('id="history-h"'):]
    assert "协商结果已在公开栏公布" in history
    assert not any(action in history for action in recorded)  # no raw action names


def test_an_accepted_topic_is_classified_again_on_its_own_page(app, demo, client, auth):
    """Once accepted, the topic page links to the classification page, which says what
    the item decides now; a refused classification comes back where it was posted."""
    from tests import lifecycle_helpers as h

    topic = h.accepted(item="national.public_affairs")
    auth.login("luoma-organiser")
    url = f"/topics/{topic.id}"
    shown = client.get(url).get_data(as_text=True)
    assert f'href="{url}/classify"' in shown and 'id="classify-item"' not in shown
    page = client.get(f"{url}/classify").get_data(as_text=True)
    assert 'id="classify-item"' in page and "涉及群众切身利益的公共事务和公益事业" in page
    assert '<option selected value="national.public_affairs">' in page
    assert "已邀请的协商主体不会被移出" in page
    refused = auth.post(f"{url}/classify", {"item": "national.nothing"},
                        form_url=f"{url}/classify", prefix="classify")
    shown = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'id="classify-item"' in shown
    assert 'id="subjects-h"' not in shown  # the classification page, not the topic page
    db.session.refresh(topic)
    assert topic.item_code == "national.public_affairs"
    done = auth.post(f"{url}/classify", {"item": "national.legal_requirement"},
                     form_url=f"{url}/classify", prefix="classify")
    assert done.status_code == 302 and done.headers["Location"].endswith(url)
    db.session.refresh(topic)
    assert topic.item_code == "national.legal_requirement"
    assert topic.deciding_body_list == ["villager_meeting", "representative_meeting"]
    # A proposed topic is classified from its own page, and a refusal shows there.
    proposed = h.proposed(title="罗马村新建篮球场")
    refused = auth.post(f"/topics/{proposed.id}/classify", {"item": "national.nothing"},
                        form_url=f"/topics/{proposed.id}", prefix="classify")
    assert refused.status_code == 400 and 'id="subjects-h"' in refused.get_data(as_text=True)
    # Past the step that settles the topic, the page sends the organiser back.
    noticed, _meeting = h.noticed()
    sent_back = client.get(f"/topics/{noticed.id}/classify", follow_redirects=True)
    assert sent_back.request.path == f"/topics/{noticed.id}"
    assert "当前步骤不允许此操作" in sent_back.get_data(as_text=True)
    refused = auth.post(f"/topics/{noticed.id}/classify", {"item": "national.legal_requirement"},
                        form_url=url, prefix="classify")
    assert refused.status_code == 400 and "当前步骤不允许此操作" in refused.get_data(as_text=True)
    db.session.refresh(noticed)
    assert noticed.item_code == "national.public_affairs"
    auth.logout()
    auth.login("luoma-supervisor")
    assert client.get(f"{url}/classify").status_code == 403


def test_the_topic_page_shows_the_latest_outcome_and_what_it_still_lacks(
        app, demo, client, auth):
    import re

    from core.consultation import outcomes, subjects
    from tests import lifecycle_helpers as h

    topic, _meeting = h.held()
    auth.login("luoma-organiser")
    page = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    assert "由村集体出资更换路灯20盏。" in page
    assert "尚未签名：陈志强、陈美玲、罗马村民委员会" in page
    assert "确认协商成果" in page and "纸质签名" in page
    assert not re.search(r"\d{4}-\d{2}-\d{2} 已确认", page)

    organiser = h.user("luoma-organiser")
    outcome = outcomes.current(topic)
    first, *others = sorted(subjects.participants(topic), key=lambda p: p.name != "陈志强")
    outcomes.record_paper_signature(organiser, topic, outcome, first, filename="sign.png",
                                    data=h.PNG)
    page = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    assert "尚未签名：陈美玲、罗马村民委员会" in page

    for participant in others:
        outcomes.record_paper_signature(organiser, topic, outcome, participant,
                                        filename="sign.png", data=h.PNG)
    outcomes.confirm(organiser, topic, outcome)
    page = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    assert re.search(r"\d{4}-\d{2}-\d{2} 已确认", page)
    assert "尚未签名" not in page and "确认协商成果" not in page
