"""The UI shell in a real browser: logging in, working in both languages, on a phone."""

from playwright.sync_api import expect

UNLABELLED_CONTROLS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && el.type !== 'submit')
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.name || el.id)"""


def log_in_as(page, base, username):
    page.goto(f"{base}/auth/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("xieshang-demo")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("link", name="我的提议")).to_be_visible()


def log_in(page, base, username):
    """Log a staff member in; they land on the administration page."""
    log_in_as(page, base, username)
    expect(page.get_by_role("heading", name="管理")).to_be_visible()


def test_town_admin_adds_a_grid_to_a_village_then_works_in_english(page, live_server):
    log_in(page, live_server, "qingxi-it")
    page.get_by_role("link", name="地区层级").first.click()
    page.get_by_role("link", name="罗马村").click()
    page.get_by_role("link", name="添加下级单元").click()
    assert page.evaluate(UNLABELLED_CONTROLS) == []
    page.get_by_label("层级").select_option("grid")
    page.get_by_label("代码").fill("LM-WG-07")
    page.get_by_label("名称").fill("罗马第七网格")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("link", name="罗马第七网格")).to_be_visible()

    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="罗马村")).to_be_visible()
    expect(page.get_by_role("link", name="Add a unit below")).to_be_visible()
    page.goto(f"{live_server}/admin/")
    expect(page.get_by_role("heading", name="Administration")).to_be_visible()


def test_bad_code_shows_a_message_next_to_the_form(page, live_server):
    log_in(page, live_server, "qingxi-it")
    page.goto(f"{live_server}/admin/jurisdictions/new?parent=441900121201")
    page.get_by_label("层级").select_option("grid")
    page.get_by_label("代码").fill("坏 代码")
    page.get_by_label("名称").fill("x")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("子单元代码")


def test_pages_fit_a_phone_screen(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    for path in ["/", "/j/441900121201", "/auth/login"]:
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide on a 360px screen"
        assert page.evaluate(UNLABELLED_CONTROLS) == [], path
    context.close()
