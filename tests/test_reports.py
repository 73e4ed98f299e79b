"""Reports: figures against counts the test knows, period edges, subtree sums, XLSX and PDF
read back, the saved digest."""

import io
import subprocess
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from core.consultation import topics
from core.kernel import permissions
from core.kernel.errors import DomainError, PermissionDenied
from core.kernel.extensions import db
from core.models import Meeting, Topic
from core.models.types import local_today
from core.places import tree
from core.reports import figures
from core.reports import saved as reporting
from tests import lifecycle_helpers as h

TODAY = local_today()
YEAR = figures.Period(TODAY - timedelta(days=365), TODAY)


def test_figures_match_what_the_test_made(app, demo):
    h.published()                                           # direct, consensus first round
    h.published("national.legal_requirement", title="需要表决的议题")  # sent to a vote
    h.held(outcome="no_consensus", title="未达成一致的议题")   # a meeting, no outcome
    h.proposed(title="只是提出")
    other = topics.propose(h.user("zsd-organiser"), tree.by_code("441900101002"),
                           title="别镇的议题")                     # a sibling town
    found = figures.compute(tree.by_code("441900121000"), YEAR)
    assert found["topics"] == 4 and found["meetings_held"] == 3
    assert found["sent_to_vote"] == 1 and found["implemented_directly"] == 1
    assert found["consensus_first_round"] == 2 and found["consensus_later_rounds"] == 0
    assert found["participants"] == 9  # three subjects in each of three consulted topics
    assert dict(found["topics_by_channel"]) == {"online": 4}
    assert found["average_notice_days"] == 9.0  # noticed 10 days before a meeting 1 day ago
    assert found["average_rounds"] == 1.0  # each consulted topic met once
    by_item = dict(found["topics_by_item"])
    assert sum(by_item.values()) == 4 and by_item["—"] == 1  # the one not yet classified
    assert [count for _item, count in found["topics_by_item"]] == sorted(by_item.values(),
                                                                         reverse=True)
    city = figures.compute(tree.by_code("441900000000"), YEAR)
    assert city["topics"] == 5  # the city sums both towns
    assert other.id


def test_period_edges(app, demo):
    topic = h.proposed()
    held = h.held(title="开过会的议题")[1]
    local_day = TODAY
    assert figures.compute(tree.by_code("441900121201"),
                           figures.Period(local_day, local_day))["topics"] == 2
    later = figures.Period(local_day + timedelta(days=1), local_day + timedelta(days=30))
    assert figures.compute(tree.by_code("441900121201"), later)["topics"] == 0
    # The meeting was held 20 hours ago: inside a period ending today, outside one ending
    # two days ago.
    assert figures.compute(tree.by_code("441900121201"), figures.Period(
        TODAY - timedelta(days=5), TODAY))["meetings_held"] == 1
    assert figures.compute(tree.by_code("441900121201"), figures.Period(
        TODAY - timedelta(days=30), TODAY - timedelta(days=2)))["meetings_held"] == 0
    assert db.session.get(Meeting, held.id) and db.session.get(Topic, topic.id)


def test_the_subtree_prefix_is_escaped_for_like():
    """The figures' statements are built once, the subtree's path a parameter: its LIKE
    wildcards must be escaped in the value, as ``startswith``'s autoescape would."""
    assert tree.like_prefix("/44_0/%/") == "//44/_0///%//"
    assert tree.like_prefix("/441900000000/") == "//441900000000//"


def test_saved_report_keeps_its_digest_and_reads_back_as_xlsx_and_pdf(app, demo, client, auth,
                                                                      tmp_path):
    h.published()
    auth.login("qingxi-official")
    url = "/reports/441900121000"
    assert "召开协商会议" in client.get(url).get_data(as_text=True)
    response = auth.post(url, {
        "kind": "pilot_review", "from": (TODAY - timedelta(days=30)).isoformat(),
        "to": TODAY.isoformat(), "narrative-done": "建立了协商目录。",
        "narrative-next": "推广到全镇。"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "建立了协商目录" in page and "与内容一致" in page and "<svg" in page
    report_id = int(response.headers["Location"].rsplit("/", 1)[1])
    saved = reporting.get(h.user("qingxi-official"), report_id)
    assert reporting.verify(saved) and len(saved.digest) == 64
    book = load_workbook(io.BytesIO(client.get(f"/reports/saved/{report_id}.xlsx").data))
    overview = book[book.sheetnames[1]]
    values = {row[0].value: row[1].value for row in overview.iter_rows(min_row=2)}
    assert values["召开协商会议"] == 1 and isinstance(values["协商议题"], int)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(client.get(f"/reports/saved/{report_id}.pdf").data)
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "试点工作总结" in text and "建立了协商目录" in text


def test_the_report_command_writes_and_saves(app, demo, runner, tmp_path):
    h.published()
    output = tmp_path / "r.xlsx"
    result = runner.invoke(args=["reports", "build", "--jurisdiction", "441900000000",
                                 "--from", (TODAY - timedelta(days=7)).isoformat(),
                                 "--to", TODAY.isoformat(), "--format", "xlsx",
                                 "--output", str(output)])
    assert result.exit_code == 0, result.output
    book = load_workbook(output)
    assert "报告" in book.sheetnames
    bad = runner.invoke(args=["reports", "build", "--jurisdiction", "441900000000", "--from",
                              "2026-02-01", "--to", "2026-01-01", "--output", str(output)])
    assert bad.exit_code == 1 and "截止日期" in bad.output


def test_reports_in_scope_only(app, demo, client, auth):
    with pytest.raises(PermissionDenied):
        reporting.generate(h.user("luoma-organiser"), tree.by_code("441900101002"),
                           kind="assessment", start=TODAY, end=TODAY)
    with pytest.raises(DomainError):
        reporting.generate(permissions.SYSTEM, tree.by_code("441900101002"), kind="nope",
                           start=TODAY, end=TODAY)
    auth.login("luoma-organiser")
    assert client.get("/reports/441900101002").status_code == 403
    assert client.get("/reports/441900121201?from=x&to=y").status_code == 400
    auth.logout()
    auth.login("luoma-resident")
    assert client.get("/reports/441900121201").status_code == 403


def test_today_is_the_deployments_day_whatever_the_servers_clock(app, demo):
    """Periods are days of the deployment's time zone: a topic proposed now falls in the
    period that ends today there, even where that is another day than the server's (UTC)
    date. Of UTC+14 and UTC−12, one is always on another day than UTC."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from core.models.types import local_today

    utc_day = datetime.now(UTC).date()
    zone = next(name for name in ("Etc/GMT-14", "Etc/GMT+12")
                if datetime.now(ZoneInfo(name)).date() != utc_day)
    app.config["BABEL_DEFAULT_TIMEZONE"] = zone
    today = local_today()
    assert today == datetime.now(ZoneInfo(zone)).date() != utc_day
    h.proposed(title="今天提出")
    town = tree.by_code("441900121000")
    assert figures.compute(town, figures.Period(today, today))["topics"] == 1
    assert figures.compute(town, figures.Period(utc_day, utc_day))["topics"] == 0


def test_a_narrative_that_looks_like_a_formula_is_text_in_the_workbook(app, demo, client, auth):
    h.published()
    auth.login("qingxi-official")
    url = "/reports/441900121000"
    response = auth.post(url, {
        "kind": "pilot_review", "from": (TODAY - timedelta(days=30)).isoformat(),
        "to": TODAY.isoformat(), "narrative-done": '=HYPERLINK("http://evil.example","看")',
        "narrative-next": "@SUM(1+1)"})
    assert response.status_code == 302
    report_id = int(response.headers["Location"].rsplit("/", 1)[1])
    book = load_workbook(io.BytesIO(client.get(f"/reports/saved/{report_id}.xlsx").data))
    cells = [cell for row in book["报告"].iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert "'=HYPERLINK(\"http://evil.example\",\"看\")" in texts and "'@SUM(1+1)" in texts
    overview = book[book.sheetnames[1]]
    assert any(isinstance(row[1].value, int) for row in overview.iter_rows(min_row=2))

