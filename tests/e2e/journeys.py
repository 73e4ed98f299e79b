"""Helpers for whole journeys in the browser: several people, each in a browser context of
their own, in either language; every step's screenshot kept, and saved when a step fails.

Forms are found by their action and fields by their ids (``classify-item``), which do not
change with the language; what people read is checked in the language they chose.
"""

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from core.models.types import local_today

ARTIFACTS = Path(__file__).parent / "artifacts"
LOCAL = ZoneInfo("Asia/Shanghai")


def local(delta):
    return (datetime.now(LOCAL) + delta).strftime("%Y-%m-%dT%H:%M")


def day(delta_days):
    return (local_today() + timedelta(days=delta_days)).isoformat()


class Journey:
    """People at their browsers; ``step`` names what happens next, for the screenshots."""

    def __init__(self, browser, base, language, name):
        self.browser, self.base, self.language, self.name = browser, base, language, name
        self.contexts, self.shots, self.current = [], [], "start"

    def person(self, username=None, *, phone=False):
        options = {"viewport": {"width": 390, "height": 844}, "is_mobile": True} if phone \
            else {"viewport": {"width": 1280, "height": 900}}
        context = self.browser.new_context(**options)
        self.contexts.append(context)
        page = context.new_page()
        page.goto(f"{self.base}/lang/{self.language}?next=/", wait_until="networkidle")
        if username:
            page.goto(f"{self.base}/auth/login", wait_until="networkidle")
            page.locator("#username").fill(username)
            page.locator("#password").fill("xieshang-demo")
            self.press(page, "#username")
            expect(page.locator('form[action$="/auth/logout"]')).to_have_count(1)
            expect(page.locator("html")).to_have_attribute(
                "lang", "en" if self.language == "en" else "zh-CN")
        return page

    def step(self, page, name):
        """Remember the page as it stands after the previous step, then name the next."""
        self.shots.append((f"{len(self.shots):02d}-{self.current}", page.screenshot(
            full_page=True)))
        self.current = name

    def press(self, page, action, nth=0):
        """Submit the form whose action ends with ``action``, or (``#id``) the form that
        holds that field, for forms that post back to their own page."""
        form = f"form:has({action})" if action.startswith("#") else f'form[action$="{action}"]'
        with page.expect_navigation():
            page.locator(f"{form} [type=submit]").nth(nth).click()

    def done(self, page):
        """The last action worked: the page says so and shows no error."""
        expect(page.locator(".flash-success").first).to_be_visible()
        expect(page.locator(".flash-error")).to_have_count(0)

    def fail(self):
        ARTIFACTS.mkdir(exist_ok=True)
        folder = ARTIFACTS / f"{self.name}-{self.language}"
        folder.mkdir(exist_ok=True)
        for name, data in self.shots:
            (folder / f"{name}.png").write_bytes(data)
        for number, context in enumerate(self.contexts):
            for page in context.pages:
                page.screenshot(path=str(folder / f"failed-{self.current}-{number}.png"),
                                full_page=True)

    def close(self):
        for context in self.contexts:
            context.close()


def run(journey, steps):
    """Run ``steps(journey)``; on any failure, save every step's screenshot."""
    try:
        steps(journey)
    except BaseException:
        journey.fail()
        raise
    finally:
        journey.close()


# ------------------------------------------------- what committees do, step by step


def pick(page, select, name):
    """Choose the option of ``select`` that begins with ``name`` (options may add a role)."""
    options = page.locator(f"{select} option")
    texts = options.all_inner_texts()
    index = next(number for number, text in enumerate(texts) if text.strip().startswith(name))
    page.locator(select).select_option(options.nth(index).get_attribute("value"))


def invite(j, page, names):
    """From the topic page, open the invitation page and invite ``names`` one after the
    other: each comes back to that page, which lists them as invited."""
    with page.expect_navigation():
        page.locator('a[href$="/participants/new"]').click()
    for name in names:
        pick(page, "#person-person", name)
        j.press(page, "/participants/person")
        j.done(page)
        expect(page.locator("section[aria-labelledby=invited-h]")).to_contain_text(name)


def schedule_and_notice(j, page, topic_url, *, form=None, starts=-1, noticed=-9,
                        place="议事厅", host="书记"):
    """Plan the meeting (``starts`` days from now) on its page, opened from the topic
    page, and record its notice, posted ``noticed`` days from now; returns the meeting
    page's URL."""
    page.goto(topic_url)
    with page.expect_navigation():
        page.locator('a[href$="/meetings/new"]').click()
    if form:
        page.locator("#meeting-form").select_option(form)
    page.locator("#meeting-mode").select_option("offline")
    page.locator("#meeting-starts_at").fill(local(timedelta(days=starts)))
    page.locator("#meeting-place").fill(place)
    page.locator("#meeting-host").fill(host)
    j.press(page, "/meetings")
    j.done(page)  # on the new meeting's page
    meeting_url = page.url
    page.locator('input[name="notice-channels"][value="board"]').check()
    page.locator("#notice-notice_at").fill(local(timedelta(days=noticed)))
    j.press(page, "/notice")
    j.done(page)
    return meeting_url


def hold(j, page, meeting_url, names, consensus, opinion=None):
    """Sign everyone in, record an opinion, and the consensus reached."""
    page.goto(meeting_url)
    for name in names:
        pick(page, "#signin-participant", name)
        j.press(page, "/sign-in")
        j.done(page)
    if opinion:
        pick(page, "#opinion-participant", names[0])
        page.locator("#opinion-position").select_option("support")
        page.locator("#opinion-text").fill(opinion)
        j.press(page, "/opinions")
        j.done(page)
    page.locator("#result-held_at").fill(local(timedelta(hours=-2)))
    page.locator("#result-minutes").fill("与会人员充分讨论。")
    page.locator("#result-outcome").select_option("consensus")
    page.locator("#result-consensus_text").fill(consensus)
    j.press(page, "/result")
    j.done(page)


def sign_on_paper(j, page, names, png):
    for name in names:
        pick(page, "#paper-participant", name)
        page.locator("#paper-scan").set_input_files(
            files=[{"name": "sign.png", "mimeType": "image/png", "buffer": png}])
        j.press(page, "/outcome/paper")
        j.done(page)


def advance(j, page, topic_url):
    page.goto(topic_url)
    j.press(page, "/advance")
    j.done(page)


def advance_until(j, page, topic_url, action, most=4):
    """Move the topic on until the form posting to ``action``, or a link to the page
    ending with it, is offered."""
    page.goto(topic_url)
    for _ in range(most):
        if page.locator(f'form[action$="{action}"], a[href$="{action}"]').count():
            return
        j.press(page, "/advance")
        j.done(page)
    raise AssertionError(f"no form for {action} after {most} steps")
