"""Whole journeys in the browser, in both languages: 罗马村's land-compensation topic
(清溪 item 7) from a resident's proposal to the shareholders' vote and the public board."""

import subprocess

import pytest
from playwright.sync_api import expect

from tests.e2e.journeys import (
    Journey,
    advance,
    advance_until,
    day,
    hold,
    invite,
    run,
    schedule_and_notice,
    sign_on_paper,
)
from tests.lifecycle_helpers import PNG

LUOMA = "441900121201"
TEXT = {
    "zh_CN": {"no_issue": "无法律问题", "adviser": "本村法律顾问", "intact": "公开栏完整",
              "passed": "通过"},
    "en": {"no_issue": "No legal issue", "adviser": "the village's legal adviser",
           "intact": "The board is intact", "passed": "Passed"},
}


def _qr_url(pdf_bytes, folder):
    """The URL the printed notice's QR code carries, read back from the rendered page."""
    pdf = folder / "notice.pdf"
    pdf.write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(folder / "notice")], check=True)
    image = next(folder.glob("notice*.png"))
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True,
                             text=True, check=True).stdout.strip()
    return decoded


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_qingxi_item_7_from_proposal_to_the_board(browser, world_server, language, tmp_path):
    text = TEXT[language]
    title = "征地补偿款分配方案" if language == "zh_CN" else "Land compensation plan"

    def steps(j):
        resident = j.person("luoma-resident", phone=True)
        j.step(resident, "propose")
        topic_url = _propose_as(j, resident, title, "高速公路征地补偿款约三百万元，如何分配？")

        organiser = j.person("luoma-organiser")
        j.step(organiser, "screen, classify as item 7, accept")
        organiser.goto(topic_url)
        j.press(organiser, "/screen")
        organiser.locator("#classify-item").select_option("qingxi.7")
        j.press(organiser, "/classify")
        j.press(organiser, "/accept")
        j.done(organiser)

        j.step(organiser, "invite registered residents")
        invite(j, organiser, ("陈志强", "陈美玲"))
        advance(j, organiser, topic_url)

        j.step(organiser, "schedule and notice the meeting")
        meeting_url = schedule_and_notice(j, organiser, topic_url, place="罗马村委会议室",
                                          host="陈书记")
        advance(j, organiser, topic_url)

        j.step(organiser, "hold the meeting: sign-in, opinions, consensus")
        hold(j, organiser, meeting_url, ("陈志强", "陈美玲"),
             "补偿款百分之八十按人口分配，百分之二十留作集体发展。",
             opinion="按人口平均分配，预留集体部分。")
        advance(j, organiser, topic_url)

        j.step(organiser, "ask the legal adviser; collect signatures")
        with organiser.expect_navigation():
            organiser.locator('a[href$="/request"]').click()
        organiser.locator("#legal-subject").select_option("outcome")
        j.press(organiser, "/request")
        j.done(organiser)
        sign_on_paper(j, organiser, ("陈志强", "陈美玲"), PNG)

        adviser = j.person("luoma-lawyer")
        j.step(adviser, "the adviser reviews and witnesses")
        adviser.goto(f"{j.base}/legal/")
        adviser.locator('a[href^="/legal/reviews/"]').first.click()
        adviser.locator("#opinion-opinion").select_option("no_issue")
        adviser.locator("#opinion-reasoning").fill("分配方案经村民代表协商，程序合法。")
        j.press(adviser, "/opinion")
        j.done(adviser)
        expect(adviser.get_by_text(text["no_issue"]).first).to_be_visible()
        adviser.goto(topic_url)
        j.press(adviser, "/witness")
        j.done(adviser)

        j.step(organiser, "confirm, the shareholders' vote, publish")
        organiser.goto(topic_url)
        expect(organiser.get_by_text(text["no_issue"]).first).to_be_visible()
        j.press(organiser, "/outcome/confirm")
        j.done(organiser)
        organiser.locator("#vote-body").select_option("shareholder_meeting")
        organiser.locator("#vote-noticed_on").fill(day(-12))
        organiser.locator("#vote-held_on").fill(day(0))
        for field, value in (("eligible", "30"), ("present", "21"), ("votes_for", "15"),
                             ("votes_against", "3"), ("votes_abstain", "3")):
            organiser.locator(f"#vote-{field}").fill(value)
        j.press(organiser, "/votes")
        j.done(organiser)
        expect(organiser.get_by_text(text["passed"]).first).to_be_visible()
        j.press(organiser, "/advance")
        j.done(organiser)
        j.press(organiser, "/publish-result")
        j.done(organiser)

        public = j.person()
        j.step(public, "the public board, the printed notice's QR, verification")
        public.goto(f"{j.base}/board/{LUOMA}")
        public.get_by_role("link", name=title).first.click()
        expect(public.get_by_text(text["no_issue"])).to_be_visible()
        expect(public.get_by_text(text["adviser"])).to_be_visible()
        expect(public.get_by_text("百分之二十留作集体发展")).to_be_visible()
        notice_seq = 1
        pdf = public.request.get(f"{j.base}/board/{LUOMA}/{notice_seq}.pdf")
        assert pdf.ok and pdf.body().startswith(b"%PDF")
        url = _qr_url(pdf.body(), tmp_path)
        assert url.endswith(f"/board/{LUOMA}/{notice_seq}"), url
        public.goto(j.base + url[url.index("/board/"):])
        expect(public.get_by_text(title).first).to_be_visible()
        public.goto(f"{j.base}/board/{LUOMA}/verify")
        expect(public.get_by_text(text["intact"])).to_be_visible()

    run(Journey(browser, world_server, language, "qingxi-item-7"), steps)


def _propose_as(j, page, title, description):
    page.goto(f"{j.base}/topics/propose")
    page.locator("#title").fill(title)
    page.locator("#description").fill(description)
    j.press(page, "#title")
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    return page.url


def _hold_sign_publish(j, organiser, topic_url, meeting_url, people, consensus):
    """Hold the meeting with ``people``, sign its consensus on paper, confirm, publish."""
    hold(j, organiser, meeting_url, people, consensus)
    advance_until(j, organiser, topic_url, "/outcome/paper")
    sign_on_paper(j, organiser, people, PNG)
    j.press(organiser, "/outcome/confirm")
    j.done(organiser)
    advance_until(j, organiser, topic_url, "/publish-result")
    j.press(organiser, "/publish-result")
    j.done(organiser)


def _published(j, code, title, consensus):
    public = j.person()
    j.step(public, "the public board")
    public.goto(f"{j.base}/board/{code}")
    public.get_by_role("link", name=title).first.click()
    expect(public.get_by_text(consensus)).to_be_visible()
    return public


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_tianjin_building_micro_consultation(browser, world_server, language):
    """A 楼栋-level micro-consultation in 新津社区: lighter steps, a day's notice."""
    title = "3号楼楼道堆物清理" if language == "zh_CN" else "Clearing building 3's stairs"
    consensus = "周六上午由楼长组织清理，物业清运。"

    def steps(j):
        organiser = j.person("xinjin-organiser")
        j.step(organiser, "propose and scope to building 3")
        topic_url = _propose_as(j, organiser, title, "楼道堆放杂物，影响消防通道。")
        j.press(organiser, "/screen")
        organiser.locator('input[name="scope-units"][value="XJ-XQ-01-03"]').check()
        j.press(organiser, "/scope")
        j.done(organiser)
        expect(organiser.locator("#procedure-h")).to_contain_text(
            "微协商" if language == "zh_CN" else "icro")
        organiser.locator("#classify-item").select_option("tianjin.property")
        j.press(organiser, "/classify")
        j.press(organiser, "/accept")
        j.done(organiser)
        invite(j, organiser, ("王淑珍", "刘洋"))

        j.step(organiser, "one day's notice is enough")
        advance_until(j, organiser, topic_url, "/meetings/new")
        meeting_url = schedule_and_notice(j, organiser, topic_url, form="tianjin.building",
                                          starts=-1, noticed=-3, place="3号楼门口",
                                          host="楼长")
        organiser.goto(meeting_url)
        if not organiser.locator('form[action$="/result"]').count():
            advance(j, organiser, topic_url)
        _hold_sign_publish(j, organiser, topic_url, meeting_url, ("王淑珍", "刘洋"), consensus)
        _published(j, "120101001001", title, consensus)

    run(Journey(browser, world_server, language, "tianjin-micro"), steps)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_dongguan_eight_plus_x_council(browser, world_server, language):
    """中山东社区 seats its 8 standing members, adds an X seat for the topic, and the
    council itself meets, consents and publishes."""
    title = "旧楼加装电梯" if language == "zh_CN" else "Lifts for the old blocks"
    consensus = "同意加装电梯，低层住户补偿方案另行公示。"
    standing = [f"委员{number}" for number in range(1, 9)]

    def steps(j):
        organiser = j.person("zsd-organiser")
        j.step(organiser, "seat the eight standing members")
        organiser.goto(f"{j.base}/dongguan/441900101002/council")
        for name in standing:
            organiser.locator("#seat-name").fill(name)
            organiser.locator("#seat-sector").fill("居民代表")
            j.press(organiser, "#seat-name")
        expect(organiser.get_by_text("委员8")).to_be_visible()

        j.step(organiser, "the topic, the council invited, an X seat")
        topic_url = _propose_as(j, organiser, title, "1栋居民希望加装电梯，需要协调低层住户。")
        j.press(organiser, "/screen")
        organiser.locator("#classify-item").select_option("national.public_affairs")
        j.press(organiser, "/classify")
        advance(j, organiser, topic_url)
        j.press(organiser, "/accept")
        j.done(organiser)
        j.press(organiser, "/council")
        j.done(organiser)
        invite(j, organiser, ("何伟",))
        advance(j, organiser, topic_url)

        j.step(organiser, "the council meets")
        meeting_url = schedule_and_notice(j, organiser, topic_url, form="dongguan.council",
                                          place="社区议事厅")
        advance(j, organiser, topic_url)
        _hold_sign_publish(j, organiser, topic_url, meeting_url, [*standing, "何伟"],
                           consensus)
        _published(j, "441900101002", title, consensus)

    run(Journey(browser, world_server, language, "dongguan-8x"), steps)
