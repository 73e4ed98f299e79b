"""Every route, walked with every role, in and out of scope.

``PAGES`` says, for each page, which accounts may open it; every other account must be
sent to the login page (when anonymous) or refused (403/404). Every route of the
application must appear here, so a new route cannot go unchecked. State-changing routes
are posted to by every account that may not use them: none may change anything.
"""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core import demo as demo_module
from core.board import entries as board
from core.consultation import attachments
from core.kernel.extensions import db
from core.models import (
    Attachment,
    AuditEvent,
    BoardEntry,
    LegalReview,
    Meeting,
    Question,
    SavedReport,
    Topic,
)
from core.models.types import local_today
from core.places import tree
from core.reports import saved as reporting
from tests import lifecycle_helpers as h
from tests.conftest import AuthActions, csrf_token, duplicate_ids

LUOMA, QINGXICUN, TOWN = "441900121201", "441900121202", "441900121000"
XINJIN, SHENGLI, ZSD = "120101001001", "340102001003", "441900101002"

ACCOUNTS = ("anonymous", "admin", "qingxi-it", "qingxi-official", "luoma-organiser",
            "luoma-supervisor", "luoma-lawyer", "luoma-resident", "qingxicun-organiser",
            "shilong-it", "tianjin-it", "xinjin-organiser", "shengli-organiser",
            "zsd-organiser")
EVERYONE = set(ACCOUNTS)
LOGGED_IN = EVERYONE - {"anonymous"}
QINGXI_STAFF = {"admin", "qingxi-it", "qingxi-official", "luoma-organiser", "luoma-supervisor",
                "luoma-lawyer"}
ADMIN_STAFF = LOGGED_IN - {"luoma-resident"}
TOWN_ADMINS = {"admin", "qingxi-it", "shilong-it", "tianjin-it"}

#: Python's None rendered into a page: as an attribute value or as a cell's text.
NONE_SHOWN = re.compile(r'="None"|>\s*None\s*<')


def pages(ids):
    """(label, url, who may open it) for every GET route."""
    t, t2, m, a = ids["topic"], ids["other_topic"], ids["meeting"], ids["attachment"]
    seq, r, r2, s, u = ids["seq"], ids["review"], ids["other_review"], ids["saved"], ids["user"]
    luoma_readers = QINGXI_STAFF - {"qingxi-it"} | {"qingxi-it"}
    return [
        # Public
        ("index", "/", EVERYONE),
        ("jurisdiction", f"/j/{LUOMA}", EVERYONE),
        ("board", f"/board/{LUOMA}", EVERYONE),
        ("board entry", f"/board/{LUOMA}/{seq}", EVERYONE),
        ("board pdf", f"/board/{LUOMA}/{seq}.pdf", EVERYONE),
        ("board feed", f"/board/{LUOMA}/feed.atom", EVERYONE),
        ("board verify", f"/board/{LUOMA}/verify", EVERYONE),
        ("board verify json", f"/board/{LUOMA}/verify.json", EVERYONE),
        ("login", "/auth/login", EVERYONE),
        ("icon", "/favicon.ico", EVERYONE),
        ("api jurisdictions", "/api/v1/jurisdictions", EVERYONE),
        ("api jurisdiction", f"/api/v1/jurisdictions/{LUOMA}", EVERYONE),
        ("api entries", f"/api/v1/boards/{LUOMA}/entries", EVERYONE),
        ("api entry", f"/api/v1/boards/{LUOMA}/entries/{seq}", EVERYONE),
        ("api verify", f"/api/v1/boards/{LUOMA}/verify", EVERYONE),
        ("openapi", "/api/v1/openapi.json", EVERYONE),
        # Any account
        ("dashboard", "/dashboard", ADMIN_STAFF),
        ("my proposals", "/my/topics", LOGGED_IN),
        ("password", "/auth/password", LOGGED_IN),
        ("tokens", "/auth/tokens", LOGGED_IN),
        ("propose", "/topics/propose", LOGGED_IN),
        ("record", "/topics/record", {"admin", "qingxi-official", "luoma-organiser",
                                      "qingxicun-organiser", "xinjin-organiser",
                                      "shengli-organiser", "zsd-organiser"}),
        ("assign", "/topics/assign", {"admin", "qingxi-official"}),
        # A topic of 罗马村, and one of 清溪村
        # Residents follow the accepted topics of their village.
        ("topic", f"/topics/{t}", luoma_readers | {"luoma-resident"}),
        ("meeting", f"/topics/{t}/meetings/{m}", luoma_readers | {"luoma-resident"}),
        ("attachment", f"/topics/{t}/files/{a}", luoma_readers | {"luoma-resident"}),
        ("archive", f"/topics/{t}/archive.zip", luoma_readers),
        # Those who run the topic's consultation
        ("close topic", f"/topics/{t}/close", {"admin", "luoma-organiser"}),
        ("change the classification", f"/topics/{t}/classify", {"admin", "luoma-organiser"}),
        ("invite subjects", f"/topics/{t}/participants/new", {"admin", "luoma-organiser"}),
        ("schedule a meeting", f"/topics/{t}/meetings/new", {"admin", "luoma-organiser"}),
        ("add a task", f"/topics/{t}/tasks/new", {"admin", "luoma-organiser"}),
        ("explain", f"/topics/{t}/explanations/new", {"admin", "luoma-organiser"}),
        ("ask for legal review", f"/legal/topics/{t}/request", {"admin", "luoma-organiser"}),
        ("other village's topic", f"/topics/{t2}",
         {"admin", "qingxi-it", "qingxi-official", "qingxicun-organiser"}),
        # Administration
        ("admin home", "/admin/", ADMIN_STAFF),
        ("audit", "/admin/audit", {"admin", "qingxi-it", "qingxi-official", "luoma-supervisor",
                                   "shilong-it", "tianjin-it"}),
        # Town administrators are sent on to their own town's subtree.
        ("tree", "/admin/jurisdictions/", TOWN_ADMINS),
        ("organisations", f"/admin/jurisdictions/{LUOMA}/organisations",
         {"admin", "qingxi-it", "qingxi-official", "luoma-organiser", "luoma-supervisor"}),
        ("people", f"/admin/jurisdictions/{LUOMA}/people",
         {"admin", "qingxi-it", "qingxi-official", "luoma-organiser", "luoma-supervisor"}),
        ("plugins here", f"/admin/jurisdictions/{LUOMA}/plugins", {"admin", "qingxi-it"}),
        ("settings here", f"/admin/jurisdictions/{LUOMA}/settings", {"admin", "qingxi-it"}),
        ("import", "/admin/jurisdictions/import", {"admin"}),
        ("new top-level unit", "/admin/jurisdictions/new", {"admin"}),
        ("outbox", "/admin/outbox", {"admin"}),
        ("plugins", "/admin/plugins", TOWN_ADMINS),
        ("users", "/admin/users/", TOWN_ADMINS),
        ("a resident's account", f"/admin/users/{u}", {"admin", "qingxi-it"}),
        ("new user", "/admin/users/new", TOWN_ADMINS),
        # Legal advisers
        # Everyone on the staff has a queue; it lists their own subtree's reviews only.
        ("legal queue", "/legal/", ADMIN_STAFF),
        ("compliance", f"/legal/compliance/{TOWN}",
         {"admin", "qingxi-it", "qingxi-official", "luoma-lawyer"}),
        ("new document review", "/legal/new",
         {"admin", "qingxi-official", "luoma-organiser", "qingxicun-organiser",
          "xinjin-organiser", "shengli-organiser", "zsd-organiser"}),
        ("review", f"/legal/reviews/{r}",
         {"admin", "qingxi-it", "qingxi-official", "luoma-organiser", "luoma-supervisor",
          "luoma-lawyer"}),
        ("other village's review", f"/legal/reviews/{r2}",
         {"admin", "qingxi-it", "qingxi-official", "qingxicun-organiser"}),
        ("service record", "/legal/service", {"luoma-lawyer"}),
        # Reports
        ("town report", f"/reports/{TOWN}",
         {"admin", "qingxi-it", "qingxi-official"}),
        ("village report", f"/reports/{LUOMA}",
         {"admin", "qingxi-it", "qingxi-official", "luoma-organiser", "luoma-supervisor"}),
        ("saved report", f"/reports/saved/{s}", {"admin", "qingxi-it", "qingxi-official"}),
        ("saved report pdf", f"/reports/saved/{s}.pdf",
         {"admin", "qingxi-it", "qingxi-official"}),
        ("saved report xlsx", f"/reports/saved/{s}.xlsx",
         {"admin", "qingxi-it", "qingxi-official"}),
        # Plugins' pages, where they are enabled
        ("anhui committee", f"/anhui/{SHENGLI}/committee", {"admin", "shengli-organiser"}),
        ("anhui file", f"/anhui/{SHENGLI}/file/{local_today().year}.zip",
         {"admin", "shengli-organiser"}),
        ("tianjin awards", f"/tianjin/{XINJIN}/awards", {"admin", "xinjin-organiser"}),
        ("tianjin catalogue", f"/tianjin/{XINJIN}/catalogue", {"admin", "tianjin-it",
                                                               "xinjin-organiser"}),
        ("tianjin five haves", f"/tianjin/{XINJIN}/five-haves",
         {"admin", "tianjin-it", "xinjin-organiser"}),
        ("dongguan council", f"/dongguan/{ZSD}/council", {"admin", "shilong-it",
                                                          "zsd-organiser"}),
        # Token only: a session is not enough
        ("api topics", "/api/v1/topics", set()),
        ("api topic", f"/api/v1/topics/{t}", set()),
        ("api meetings", f"/api/v1/topics/{t}/meetings", set()),
        ("api outcome", f"/api/v1/topics/{t}/outcome", set()),
    ]


#: GET routes the walk leaves out, with the reason.
NOT_PAGES = {
    "public.switch_language": "redirects back wherever it is called from",
    "static": "files",
}


@pytest.fixture
def world(make_app):
    app = make_app({"XS_PLUGINS": ["national", "qingxi", "tianjin", "dongguan", "anhui",
                                   "legal_service", "message_gateway"]})
    with app.app_context():
        demo_module.load(with_topics=True)
        organiser = h.user("luoma-organiser")
        luoma = tree.by_code(LUOMA)
        topic = db.session.scalar(select(Topic).join(Meeting, Meeting.topic_id == Topic.id)
                                  .where(Topic.jurisdiction_id == luoma.id).limit(1))
        attachment = attachments.store(organiser, topic, "plan.png", h.PNG, purpose="material")
        db.session.commit()
        entry = db.session.scalar(select(BoardEntry).where(BoardEntry.jurisdiction_id == luoma.id)
                                  .order_by(BoardEntry.seq).limit(1))
        board.ask(h.user("luoma-resident"), entry, "什么时候开工？")
        other_topic = db.session.scalar(select(Topic).where(
            Topic.jurisdiction_id == tree.by_code(QINGXICUN).id).limit(1))
        from core.legal import reviews as legal

        other_review = legal.request_review(h.user("qingxicun-organiser"),
                                            subject="village_rules",
                                            village=tree.by_code(QINGXICUN), title="清溪村公约",
                                            text="第一条")
        saved = reporting.generate(h.user("qingxi-official"), tree.by_code(TOWN),
                                   kind="assessment", start=local_today() - timedelta(days=30),
                                   end=local_today())
        ids = {
            "topic": topic.id,
            "other_topic": other_topic.id,
            "meeting": db.session.scalar(select(Meeting.id).where(Meeting.topic_id == topic.id)
                                         .limit(1)),
            "attachment": attachment.id,
            "seq": entry.seq,
            "question": db.session.scalar(select(Question.id)),
            "review": db.session.scalar(select(LegalReview.id).where(
                LegalReview.jurisdiction_id == luoma.id).limit(1)),
            "other_review": other_review.id,
            "saved": saved.id,
            "user": h.user("luoma-resident").id,
        }
        assert db.session.get(Attachment, attachment.id) and db.session.get(SavedReport, saved.id)
        yield app, ids


def _clients(app):
    clients = {}
    for account in ACCOUNTS:
        client = app.test_client()
        if account != "anonymous":
            assert AuthActions(client).login(account).status_code == 302, account
        clients[account] = client
    return clients


def _opened(response):
    """A page, or a redirect to another page of the site (not to the login)."""
    if response.status_code == 302:
        return "/auth/login" not in response.headers["Location"]
    return response.status_code == 200


def _refused(account, response):
    if account == "anonymous" and response.status_code == 302:
        return "/auth/login" in response.headers["Location"]
    return response.status_code in (401, 403, 404)


def test_every_page_opens_for_exactly_those_who_may_see_it(world):
    app, ids = world
    clients = _clients(app)
    listed = pages(ids)
    unexpected, leaks = [], []
    for label, url, allowed in listed:
        for account, client in clients.items():
            response = client.get(url)
            if account in allowed:
                if not _opened(response):
                    unexpected.append(f"{label} {url}: {account} got {response.status_code}")
                elif response.mimetype == "text/html":
                    page = response.get_data(as_text=True)
                    leaks += [f"{label} {url} ({account}): {found.group(0)}"
                              for found in NONE_SHOWN.finditer(page)]
                    leaks += [f"{label} {url} ({account}): id {twice} twice"
                              for twice in duplicate_ids(page)]
            elif not _refused(account, response):
                unexpected.append(f"{label} {url}: {account} got {response.status_code}")
    assert unexpected == []
    # No page shows Python's None as text or as an attribute value, and no element id is
    # used twice on a page (labels, aria references and links to it would be ambiguous).
    assert leaks == []
    # Every GET route of the application is walked.
    walked = {_endpoint(app, url) for _label, url, _allowed in listed}
    gets = {rule.endpoint for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and not rule.endpoint.endswith("static")}
    assert gets - walked - set(NOT_PAGES) == set()


def _endpoint(app, url):
    adapter = app.url_map.bind("localhost")
    return adapter.match(url.split("?")[0], method="GET")[0]


def _post_urls(app, ids):
    """Every POST route, filled in with objects of 罗马村 (or its town)."""
    values = {"topic_id": ids["topic"], "meeting_id": ids["meeting"], "code": LUOMA,
              "seq": ids["seq"], "question_id": ids["question"] or 1,
              "review_id": ids["review"], "comment_id": 1, "user_id": ids["user"],
              "assignment_id": 1, "token_id": 1, "participant_id": 1, "task_id": 1,
              "expert_id": 1, "attachment_id": ids["attachment"], "year": local_today().year,
              "decision": "approve", "report_id": ids["saved"]}
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        arguments = {name: values[name] for name in rule.arguments}
        urls.append((rule.endpoint, rule.build(arguments)[1]))
    return urls


#: POST routes open to everyone by design.
OPEN_POSTS = {"auth.login", "auth.logout", "public.switch_jurisdiction",
              "legal_service.webhook"}


def test_no_one_changes_anything_through_a_route_they_may_not_use(world):
    """Anonymous visitors and residents post, with a valid CSRF token, to every
    state-changing route of 罗马村's staff: nothing changes."""
    app, ids = world
    clients = {account: client for account, client in _clients(app).items()
               if account in ("anonymous", "luoma-resident", "shilong-it")}
    before = db.session.scalar(select(func.max(AuditEvent.id)))
    wrong = []
    for endpoint, url in _post_urls(app, ids):
        if endpoint in OPEN_POSTS or endpoint.startswith("api."):
            continue
        for account, client in clients.items():
            token = csrf_token(client, "/auth/login" if account == "anonymous"
                               else "/auth/tokens")
            prefixed = {"csrf_token": token}
            prefixed.update({f"{p}-csrf_token": token for p in _prefixes()})
            response = client.post(url, data=prefixed)
            if response.status_code >= 500:
                wrong.append(f"{url}: {account} got {response.status_code}")
            elif account == "anonymous" and not _refused(account, response):
                wrong.append(f"{url}: anonymous got {response.status_code}")
    db.session.expire_all()
    changed = db.session.scalars(select(AuditEvent.action).where(AuditEvent.id > before)).all()
    # With a button and no fields, a resident may apply to join a topic of their village,
    # sign themselves in to a meeting they are invited to, or sign its outcome themselves;
    # nothing else.
    assert wrong == []
    assert [action for action in changed
            if action not in ("participant.apply", "meeting.sign_in", "outcome.sign")] == []


def _prefixes():
    return ("classify", "decline", "close", "scope", "person", "org", "guest", "meeting",
            "refer", "paper", "wr", "witness", "vote", "task", "progress", "report",
            "respond", "comment", "explain", "legal", "opinion", "version")


def test_the_walk_covers_every_route(world):
    app, ids = world
    posts = {endpoint for endpoint, _url in _post_urls(app, ids)}
    assert {"topics.advance", "legal.override", "board.correct", "admin.revoke_role"} <= posts
    assert all(re.match(r"^[a-z_]+\.[a-z_]+$", endpoint) for endpoint in posts)
