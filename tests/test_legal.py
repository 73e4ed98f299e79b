"""Legal advisers: assignment and scoping, reviews with versions and threads, the blocking
rule and the town's override, witness in the published result, the "四个一" record."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.consultation import outcomes
from core.kernel.errors import DomainError, PermissionDenied
from core.kernel.extensions import db
from core.legal import advisers, opinions, service_record
from core.legal import reviews as legal
from core.models import (
    AdviserActivity,
    LegalReview,
    ReviewComment,
    ReviewStatus,
    Role,
    ServiceKind,
)
from core.models.types import local_today
from core.people import accounts
from core.places import settings, tree
from tests import lifecycle_helpers as h

LUOMA, QINGXICUN, TOWN = "441900121201", "441900121202", "441900121000"


def organiser():
    return h.user("luoma-organiser")


def lawyer():
    return h.user("luoma-lawyer")


def document(village=LUOMA, by="luoma-organiser", text="第一条 本村村民应当遵守法律。"):
    return legal.request_review(h.user(by), subject="village_rules", village=tree.by_code(village),
                                title="罗马村村规民约（修订稿）", text=text)


def blocking_on():
    settings.put(h.user("admin"), tree.by_code(TOWN), "legal_unlawful_blocks", "yes")


# ------------------------------------------------------------ assignment


def test_one_adviser_per_village_and_only_on_villages(app, demo):
    admin = h.user("admin")
    other = accounts.create_user(admin, username="li-lawyer", display_name="李律师",
                                 password="a-long-password-1")
    with pytest.raises(DomainError, match="已有法律顾问"):
        accounts.grant_role(admin, other, Role.LEGAL_ADVISER, tree.by_code(LUOMA))
    with pytest.raises(DomainError, match="村（社区）"):
        accounts.grant_role(admin, other, Role.LEGAL_ADVISER, tree.by_code(TOWN))
    # One adviser may serve several villages.
    accounts.grant_role(admin, lawyer(), Role.LEGAL_ADVISER, tree.by_code(QINGXICUN))
    assert advisers.adviser_of(tree.by_code(QINGXICUN)).username == "luoma-lawyer"
    assert accounts.roles_of(other) == []


def test_an_adviser_never_sees_an_unassigned_village(app, demo, client, auth):
    mine = document()
    theirs = document(QINGXICUN, by="qingxicun-organiser")
    auth.login("luoma-lawyer")
    queue = client.get("/legal/").get_data(as_text=True)
    assert f"/legal/reviews/{mine.id}" in queue and f"/legal/reviews/{theirs.id}" not in queue
    assert client.get(f"/legal/reviews/{mine.id}").status_code == 200
    assert client.get(f"/legal/reviews/{theirs.id}").status_code == 404
    url = f"/legal/reviews/{mine.id}"
    response = auth.post(f"/legal/reviews/{theirs.id}/opinion",
                         {"version": mine.id, "opinion": "no_issue", "reasoning": "合法"},
                         form_url=url, prefix="opinion")
    assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(ReviewComment)) == 0
    with pytest.raises(PermissionDenied):
        legal.give_opinion(lawyer(), theirs, version_id=legal.latest_version(theirs).id,
                           opinion="no_issue", reasoning="合法")
    # Nor does the other village's organiser see this one.
    auth.logout()
    auth.login("qingxicun-organiser")
    assert client.get(f"/legal/reviews/{mine.id}").status_code == 404


# ------------------------------------------------- versions and threads


def test_comments_anchor_to_a_version_and_a_new_version_names_what_it_answers(
        app, demo, client, auth):
    review = document()
    first = legal.latest_version(review)
    auth.login("luoma-lawyer")
    url = f"/legal/reviews/{review.id}"
    response = auth.post(f"{url}/opinion", {
        "version": first.id, "opinion": "revise", "reasoning": "第三条罚款规定缺乏法律依据。",
        "provisions": "《村民委员会组织法》第二十七条"}, form_url=url, prefix="opinion")
    assert response.status_code == 302
    opinion = db.session.scalar(select(ReviewComment))
    assert (opinion.version_id, opinion.opinion, opinion.side) == (first.id, "revise", "adviser")
    assert db.session.get(LegalReview, review.id).status == ReviewStatus.ANSWERED
    auth.logout()

    auth.login("luoma-organiser")
    reply = {"text": "罚款条款是村民会议提出的，请指导修改。"}
    assert auth.post(f"{url}/reply/{opinion.id}", reply, form_url=url,
                     prefix=f"r{opinion.id}").status_code == 302
    response = auth.post(f"{url}/versions", {
        "text": "第一条 本村村民应当遵守法律。\n第三条 删除罚款规定。", "note": "删除第三条罚款",
        "answers": opinion.id}, form_url=url, prefix="version")
    assert response.status_code == 302
    versions = legal.versions(db.session.get(LegalReview, review.id))
    assert [v.number for v in versions] == [1, 2]
    assert [c.id for c in versions[1].answers] == [opinion.id]
    assert db.session.get(LegalReview, review.id).status == ReviewStatus.AWAITING
    threads = legal.threads_by_version(review)
    assert [t.comment.id for t in threads[first.id]] == [opinion.id]
    assert [r.reasoning[:4] for r in threads[first.id][0].replies] == ["罚款条款"]
    assert versions[1].id not in threads
    page = client.get(url).get_data(as_text=True)
    assert f'href="#c{opinion.id}"' in page and "删除第三条罚款" in page

    # The same text again is not a new version; an unknown comment cannot be answered.
    with pytest.raises(DomainError):
        legal.add_version(organiser(), review, text=versions[1].text)
    with pytest.raises(DomainError):
        legal.add_version(organiser(), review, text="另一稿", answers=[999_999])
    assert len(legal.versions(review)) == 2


def test_bad_opinions_change_nothing(app, demo, client, auth):
    review = document()
    url = f"/legal/reviews/{review.id}"
    auth.login("luoma-lawyer")
    version = legal.latest_version(review).id
    for data in ({"version": version, "opinion": "maybe", "reasoning": "理由"},
                 {"version": version, "opinion": "no_issue", "reasoning": ""},
                 {"version": version, "opinion": "unlawful", "reasoning": "违法",
                  "provisions": ""},
                 {"version": 999_999, "opinion": "no_issue", "reasoning": "理由"}):
        response = auth.post(f"{url}/opinion", data, form_url=url, prefix="opinion")
        assert response.status_code == 400
        assert "flash-error" in response.get_data(as_text=True) or "errors" in \
            response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ReviewComment)) == 0
    # Organisers do not give opinions.
    auth.logout()
    auth.login("luoma-organiser")
    assert auth.post(f"{url}/opinion", {"version": version, "opinion": "no_issue",
                                        "reasoning": "理由"}, form_url=url,
                     prefix="opinion").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(ReviewComment)) == 0


# --------------------------------------------------- blocking and override


def _unlawful_on_outcome():
    topic, _meeting = h.held()
    outcome = outcomes.current(topic)
    for participant in h.subjects.participants(topic):
        outcomes.record_paper_signature(organiser(), topic, outcome, participant,
                                        filename="sign.png", data=h.PNG)
    review = legal.request_review(organiser(), subject="outcome", topic=topic)
    legal.give_opinion(lawyer(), review, version_id=legal.latest_version(review).id,
                       opinion="unlawful", reasoning="处分集体土地须经村民会议表决。",
                       provisions="《村民委员会组织法》第二十四条")
    return topic, outcome, review


def test_an_unlawful_opinion_blocks_confirmation_where_the_rule_is_on(app, demo, client, auth):
    blocking_on()
    topic, outcome, review = _unlawful_on_outcome()
    auth.login("luoma-organiser")
    url = f"/topics/{topic.id}"
    response = auth.post(f"{url}/outcome/confirm", {}, form_url=url)
    assert response.status_code == 400
    assert "法律顾问" in response.get_data(as_text=True)
    assert outcomes.current(topic).confirmed_at is None

    # A revised draft the adviser accepts lifts the block.
    legal.add_version(organiser(), review, text="提交村民会议表决后实施。",
                      answers=[c.id for c in legal.answerable(review)])
    legal.give_opinion(lawyer(), review, version_id=legal.latest_version(review).id,
                       opinion="no_issue", reasoning="已按程序修改。")
    assert opinions.blocks_confirmation(topic) is False
    outcomes.confirm(organiser(), topic, outcome)
    assert outcomes.current(topic).confirmed_at is not None


def test_without_the_rule_the_opinion_informs_but_does_not_block(app, demo):
    topic, outcome, _review = _unlawful_on_outcome()
    assert opinions.open_unlawful(topic) and not opinions.blocks_confirmation(topic)
    outcomes.confirm(organiser(), topic, outcome)


def test_the_town_overrides_with_a_reason_and_the_result_shows_review_not_discussion(
        app, demo, client, auth):
    blocking_on()
    topic, outcome, review = _unlawful_on_outcome()
    opinion = legal.answerable(review)[0]
    url = f"/legal/reviews/{review.id}"
    # The village committee cannot override; a short reason is refused.
    with pytest.raises(PermissionDenied):
        opinions.override(organiser(), opinion.id, reason="村里认为可以继续实施。")
    auth.login("qingxi-official")
    assert auth.post(f"{url}/override/{opinion.id}", {"reason": "太短"}, form_url=url,
                     prefix=f"o{opinion.id}").status_code == 400
    assert db.session.get(ReviewComment, opinion.id).overridden_at is None
    response = auth.post(f"{url}/override/{opinion.id}",
                         {"reason": "镇党委会议研究，该事项已另行报经村民会议表决通过。"},
                         form_url=url, prefix=f"o{opinion.id}")
    assert response.status_code == 302
    assert not opinions.blocks_confirmation(topic)
    outcomes.confirm(organiser(), topic, outcome)
    from core.board import entries as board

    entry = board.publish_result(organiser(), topic)
    summary = entry.content["payload"]["legal_review"]
    assert summary == [{"subject": "outcome", "opinion": "unlawful",
                        "at": summary[0]["at"], "adviser": "罗马村法律顾问",
                        "overridden_by_town": True}]
    public = client.get(f"/board/{LUOMA}/{entry.seq}").get_data(as_text=True)
    assert "法律审查" in public and "违法" in public
    assert "处分集体土地须经村民会议表决" not in public  # the reasoning stays internal
    assert "镇党委会议研究" not in public


def _review_items(page):
    section = page[page.index('id="legal-h"'):]
    return section[:section.index("</ul>")]


def test_the_topic_page_lists_each_review_with_its_opinion_and_any_override(
        app, demo, client, auth):
    topic, _outcome, review = _unlawful_on_outcome()
    other = legal.request_review(organiser(), subject="topic", topic=topic)
    auth.login("luoma-organiser")
    items = _review_items(client.get(f"/topics/{topic.id}").get_data(as_text=True))
    # Oldest first: the draft outcome, answered as unlawful; the topic, still waiting.
    assert items.index(f'href="/legal/reviews/{review.id}"') < items.index(
        f'href="/legal/reviews/{other.id}"')
    assert "协商成果（草案）</a> · 已答复 · <strong>违法</strong>" in items
    assert "议题</a> · 待法律顾问审查" in items and items.count("<strong>") == 1
    assert "镇已裁定继续" not in items
    opinions.override(h.user("qingxi-official"),
                   legal.answerable(review)[0].id,
                   reason="镇党委会议研究，该事项已另行报经村民会议表决通过。")
    items = _review_items(client.get(f"/topics/{topic.id}").get_data(as_text=True))
    assert "<strong>违法</strong> (镇已裁定继续)" in items


# -------------------------------------------------------------- witness


def test_the_adviser_witnesses_a_major_matter_and_it_is_published(app, demo, client, auth):
    topic, _meeting = h.held()
    outcome = outcomes.current(topic)
    outcomes.require_witness(organiser(), topic, outcome, True)
    auth.login("luoma-lawyer")
    url = f"/topics/{topic.id}"
    # Nothing signed yet: nothing to witness.
    assert auth.post(f"/legal/topics/{topic.id}/witness", {}, form_url=url).status_code == 400
    for participant in h.subjects.participants(topic):
        outcomes.record_paper_signature(organiser(), topic, outcome, participant,
                                        filename="sign.png", data=h.PNG)
    assert "我见证了签名" in client.get(url).get_data(as_text=True)
    assert auth.post(f"/legal/topics/{topic.id}/witness", {}, form_url=url).status_code == 302
    outcome = outcomes.current(topic)
    assert (outcome.witness_kind, outcome.witness_user_id) == ("legal_adviser", lawyer().id)
    outcomes.confirm(organiser(), topic, outcome)
    from core.board import entries as board

    entry = board.publish_result(organiser(), topic)
    assert entry.content["payload"]["witness"]["kind"] == "legal_adviser"
    assert entry.content["payload"]["witness"]["name"] == "罗马村法律顾问"
    assert "本村法律顾问" in client.get(f"/board/{LUOMA}/{entry.seq}").get_data(as_text=True)


def test_only_the_assigned_adviser_witnesses(app, demo):
    topic, _meeting = h.held()
    outcome = outcomes.current(topic)
    outcomes.require_witness(organiser(), topic, outcome, True)
    with pytest.raises(PermissionDenied):
        outcomes.witness_as_adviser(organiser(), topic, outcome)
    admin = h.user("admin")
    other = accounts.create_user(admin, username="li-lawyer", display_name="李律师",
                                 password="a-long-password-1")
    accounts.grant_role(admin, other, Role.LEGAL_ADVISER, tree.by_code(QINGXICUN))
    with pytest.raises(PermissionDenied):
        outcomes.witness_as_adviser(other, topic, outcome)


# --------------------------------------------------- the "四个一" record


def _activity(kind, day, hours=None, adviser="luoma-lawyer", village=LUOMA):
    db.session.add(AdviserActivity(adviser_id=h.user(adviser).id,
                                   jurisdiction_id=tree.by_code(village).id, kind=kind, on=day,
                                   hours=hours, note="", **service_record._periods(day)))
    db.session.commit()


def test_periods_owed_are_those_wholly_inside_the_dates_and_ended():
    as_of = date(2026, 11, 22)
    # 2026-01-01 is a Thursday: the first whole week starts on Monday 5 January.
    weeks = service_record.due_periods("week", date(2026, 1, 1), date(2026, 3, 31), as_of)
    assert weeks[0] == date(2026, 1, 5) and weeks[-1] == date(2026, 3, 23) and len(weeks) == 12
    assert service_record.due_periods("month", date(2026, 1, 1), date(2026, 3, 31), as_of) == [
        date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert service_record.due_periods("month", date(2026, 1, 2), date(2026, 3, 30), as_of) == [
        date(2026, 2, 1)]
    assert service_record.due_periods("quarter", date(2026, 1, 1), date(2026, 3, 31), as_of) == [
        date(2026, 1, 1)]
    assert service_record.due_periods("year", date(2026, 1, 1), date(2026, 3, 31), as_of) == []
    assert service_record.due_periods("year", date(2025, 1, 1), date(2025, 12, 31), as_of) == [
        date(2025, 1, 1)]
    # A month not yet over is not owed.
    assert service_record.due_periods("month", date(2026, 11, 1), date(2026, 11, 30), as_of) == []
    assert service_record.due_periods("quarter", date(2025, 10, 1), date(2026, 3, 31), as_of) == [
        date(2025, 10, 1), date(2026, 1, 1)]


def test_compliance_counts_duties_per_period_and_flags_shortfalls(app, demo):
    start, end, as_of = date(2026, 1, 1), date(2026, 3, 31), date(2026, 11, 22)
    # Phone: every whole week of the quarter but the week of 16 March.
    for monday in service_record.due_periods("week", start, end, as_of):
        if monday != date(2026, 3, 16):
            _activity(ServiceKind.PHONE, monday + timedelta(days=2))
    _activity(ServiceKind.PHONE, date(2025, 12, 31))  # before the period: does not count
    # On site: January one full day; February two half days on different days (not met);
    # March two 4-hour visits on the same day (met).
    _activity(ServiceKind.ONSITE, date(2026, 1, 15), Decimal("8"))
    _activity(ServiceKind.ONSITE, date(2026, 2, 10), Decimal("4"))
    _activity(ServiceKind.ONSITE, date(2026, 2, 11), Decimal("4"))
    _activity(ServiceKind.ONSITE, date(2026, 3, 15), Decimal("4"))
    _activity(ServiceKind.ONSITE, date(2026, 3, 15), Decimal("4"))
    # Lecture on the last day of the quarter; no outreach (no whole year is owed).
    _activity(ServiceKind.LECTURE, date(2026, 3, 31))
    # Another village's record does not count for 罗马村.
    accounts.grant_role(h.user("admin"), lawyer(), Role.LEGAL_ADVISER, tree.by_code(QINGXICUN))
    _activity(ServiceKind.ONSITE, date(2026, 2, 20), Decimal("9"), village=QINGXICUN)

    rows, total = service_record.compliance(tree.by_code(TOWN), start, end, as_of=as_of)
    assert total == 2
    by_village = {row.village.code: row for row in rows}
    luoma = by_village[LUOMA].duties
    assert luoma[ServiceKind.PHONE][:2] == (12, 11)
    assert luoma[ServiceKind.PHONE][2] == [date(2026, 3, 16)]
    assert luoma[ServiceKind.ONSITE] == (3, 2, [date(2026, 2, 1)])
    assert luoma[ServiceKind.LECTURE] == (1, 1, [])
    assert luoma[ServiceKind.OUTREACH] == (0, 0, [])
    other = by_village[QINGXICUN].duties
    assert other[ServiceKind.ONSITE] == (3, 1, [date(2026, 1, 1), date(2026, 3, 1)])
    assert other[ServiceKind.PHONE][1] == 0
    # A subtree that holds only 清溪村 sees only it.
    rows, total = service_record.compliance(tree.by_code(QINGXICUN), start, end, as_of=as_of)
    assert [row.village.code for row in rows] == [QINGXICUN] and total == 1


def test_the_adviser_logs_service_and_the_town_sees_everyone(app, demo, client, auth):
    auth.login("luoma-lawyer")
    today = local_today()
    good = {"village": LUOMA, "kind": "onsite", "on": today.isoformat(), "hours": "8",
            "note": "坐班答疑"}
    assert auth.post("/legal/service", good).status_code == 302
    for bad in (dict(good, on=(today + timedelta(days=1)).isoformat()),
                dict(good, hours="abc"), dict(good, hours=""), dict(good, hours="30"),
                dict(good, village=QINGXICUN), dict(good, kind="party")):
        assert auth.post("/legal/service", bad).status_code in (400, 403), bad
    assert db.session.scalar(select(func.count()).select_from(AdviserActivity)) == 1
    assert "坐班答疑" in client.get("/legal/service").get_data(as_text=True)
    auth.logout()
    auth.login("qingxi-official")
    page = client.get(f"/legal/compliance/{TOWN}?from=2026-01-01&to=2026-03-31")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "罗马村法律顾问" in text and "尚无法律顾问的村（社区）" in text
    assert client.get(f"/legal/compliance/{TOWN}?from=bad").status_code == 400
    auth.logout()
    auth.login("luoma-resident")
    assert client.get(f"/legal/compliance/{TOWN}").status_code == 403


# ------------------------------------------------------------- in reports


def test_reports_count_reviews_by_opinion_and_the_advisers_duties(app, demo):
    from core.reports import figures
    from core.reports import sections as reports

    blocking_on()
    _topic, _outcome, unlawful = _unlawful_on_outcome()
    opinions.override(h.user("qingxi-official"), legal.answerable(unlawful)[0].id,
                   reason="镇党委会议研究后决定继续实施。")
    revised = document()
    legal.give_opinion(lawyer(), revised, version_id=legal.latest_version(revised).id,
                       opinion="revise", reasoning="需修改", provisions="第二十七条")
    # A later opinion on the same review replaces the earlier one in the count.
    legal.add_version(organiser(), revised, text="修改后的文本")
    legal.give_opinion(lawyer(), revised, version_id=legal.latest_version(revised).id,
                       opinion="no_issue", reasoning="已修改")
    document(text="待审的草案")
    document(QINGXICUN, by="qingxicun-organiser", text="另一个村的草案")
    today = local_today()
    found = figures.compute(tree.by_code(LUOMA), figures.Period(today - timedelta(days=1), today))
    assert found["legal_reviews_by_opinion"] == {"unlawful": 1, "no_issue": 1, "pending": 1}
    assert found["legal_overrides"] == 1
    town = figures.compute(tree.by_code(TOWN), figures.Period(today - timedelta(days=1), today))
    assert town["legal_reviews_by_opinion"]["pending"] == 2
    assert town["advisers_assigned"] == 1 and town["villages_without_adviser"] == 1
    earlier = figures.compute(tree.by_code(TOWN), figures.Period(today - timedelta(days=30),
                                                                  today - timedelta(days=1)))
    assert earlier["legal_reviews_by_opinion"] == {} and earlier["legal_overrides"] == 0

    _activity(ServiceKind.ONSITE, today - timedelta(days=40), Decimal("8"))
    start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)  # last month
    month = figures.compute(tree.by_code(TOWN), figures.Period(start, today.replace(day=1)
                                                               - timedelta(days=1)))
    owed, met, short = month["adviser_duties"][ServiceKind.ONSITE]
    assert owed == 1 and met == (1 if start <= today - timedelta(days=40) else 0)
    assert short == owed - met
    section = {s.key: s for s in reports.core_sections(town)}["legal_review"]
    assert [number for _label, number in section.rows] == [1, 0, 1, 2, 1]


def test_the_town_sets_the_blocking_rule_on_its_settings_page(app, demo, client, auth):
    auth.login("qingxi-it")
    url = f"/admin/jurisdictions/{TOWN}/settings"
    assert "法律顾问的“违法”意见" in client.get(url).get_data(as_text=True)
    base = {"procedure": "", "notice_days": "", "legal_review_days": "10"}
    assert auth.post(url, dict(base, legal_unlawful_blocks="True")).status_code == 302
    assert settings.get(tree.by_code(LUOMA), "legal_unlawful_blocks") is True
    assert legal.default_due(tree.by_code(LUOMA)) == local_today() + timedelta(days=10)
    assert auth.post(url, dict(base, legal_unlawful_blocks="maybe")).status_code == 400
    assert auth.post(url, dict(base, legal_review_days="0")).status_code == 400
    assert settings.own(tree.by_code(TOWN), "legal_unlawful_blocks") is True
    assert settings.own(tree.by_code(TOWN), "legal_review_days") == 10


def test_the_saved_report_carries_the_legal_sheets_as_numbers(app, demo):
    import io

    from openpyxl import load_workbook

    from core.reports import saved as reporting
    from core.reports import sections as reports

    review = document()
    legal.give_opinion(lawyer(), review, version_id=legal.latest_version(review).id,
                       opinion="revise", reasoning="需修改", provisions="第二十七条")
    saved = reporting.generate(h.user("qingxi-official"), tree.by_code(TOWN),
                               kind="assessment", start=local_today() - timedelta(days=30),
                               end=local_today())
    book = load_workbook(io.BytesIO(reports.xlsx(saved.content)))
    [review_sheet] = [book[name] for name in book.sheetnames if name.endswith("-法律审查")]
    values = {row[0].value: row[1].value for row in review_sheet.iter_rows(min_row=2)}
    assert values["建议修改"] == 1 and values["违法"] == 0
    [duty_sheet] = [book[name] for name in book.sheetnames if "四个一" in name]
    values = {row[0].value: row[1].value for row in duty_sheet.iter_rows(min_row=2)}
    assert values["已指派法律顾问"] == 1 and values["尚无法律顾问的村（社区）"] == 1
    assert isinstance(values["电话沟通：应完成周期"], int)


def test_the_organiser_asks_for_a_review_on_its_own_page(app, demo, client, auth):
    topic, _meeting = h.noticed()
    earlier = legal.request_review(organiser(), subject="topic", topic=topic)
    auth.login("luoma-organiser")
    shown = client.get(f"/topics/{topic.id}").get_data(as_text=True)
    url = f"/legal/topics/{topic.id}/request"
    assert f'href="{url}"' in shown and 'id="legal-subject"' not in shown
    page = client.get(url).get_data(as_text=True)
    assert 'id="legal-subject"' in page and f'href="/legal/reviews/{earlier.id}"' in page
    before = db.session.scalar(select(func.count()).select_from(LegalReview))
    # An unknown subject, and a note too long: the page again, with the reason; nothing sent.
    for data in ({"subject": "village_rules"}, {"subject": "topic", "note": "长" * 2001}):
        refused = auth.post(url, data, prefix="legal")
        assert refused.status_code == 400 and 'id="legal-subject"' in refused.get_data(
            as_text=True) and 'class="errors"' in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(LegalReview)) == before
    sent = auth.post(url, {"subject": "topic", "note": "请看程序。"}, prefix="legal")
    assert sent.status_code == 302 and sent.headers["Location"].endswith(
        f"/topics/{topic.id}#legal-h")
    assert db.session.scalar(select(func.count()).select_from(LegalReview)) == before + 1
    auth.logout()
    auth.login("luoma-supervisor")  # reads the topic, does not run it
    assert client.get(url).status_code == 403
