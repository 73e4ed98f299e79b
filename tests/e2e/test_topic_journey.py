"""A resident proposes in the browser; the committee screens, classifies and accepts it."""

from playwright.sync_api import expect

from tests.e2e.test_shell import log_in_as


def test_resident_proposes_and_the_committee_accepts(browser, live_server):
    resident = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True)
    page = resident.new_page()
    log_in_as(page, live_server, "luoma-resident")
    page.goto(f"{live_server}/topics/propose")
    page.get_by_label("标题").fill("村口垃圾桶太少")
    page.get_by_label("说明").fill("村口只有一个垃圾桶，节假日经常满溢。")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="村口垃圾桶太少")).to_be_visible()
    topic_url = page.url
    resident.close()

    committee = browser.new_context(viewport={"width": 1200, "height": 900})
    page = committee.new_page()
    log_in_as(page, live_server, "luoma-organiser")
    page.get_by_role("link", name="工作台").click()
    page.get_by_role("link", name="村口垃圾桶太少").click()
    assert page.url == topic_url
    expect(page.get_by_text("已完成筛查")).to_be_visible()  # what is still missing
    page.get_by_role("button", name="筛查议题").click()
    page.get_by_label("目录事项").select_option("national.public_affairs")
    page.get_by_role("button", name="归类").click()
    page.get_by_role("button", name="立项").click()
    expect(page.get_by_text("议题已立项。")).to_be_visible()
    expect(page.get_by_text("至少邀请两个协商主体")).to_be_visible()
    page.get_by_role("link", name="邀请协商主体").click()
    page.get_by_label("居民", exact=True).select_option(label="陈志强")
    page.get_by_role("button", name="邀请", exact=True).first.click()
    expect(page.get_by_text("已邀请。")).to_be_visible()
    expect(page.get_by_role("heading", name="已邀请（1）")).to_be_visible()
    page.get_by_role("link", name="返回议题").click()
    expect(page.get_by_role("cell", name="陈志强")).to_be_visible()
    committee.close()
