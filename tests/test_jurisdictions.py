"""The jurisdiction tree: validation, CSV import all-or-nothing, export, admin pages."""

import io

from sqlalchemy import func, select

from core.kernel import permissions
from core.kernel.extensions import db
from core.models import AuditEvent, Jurisdiction
from core.places import tree

GOOD = """code,name,level,parent_code
440000000000,广东省,province,
441900000000,东莞市,city,440000000000
441900121201,罗马村,village,441900121000
441900121000,清溪镇,town,441900000000
LM-JJS-01,罗马第一经济社,economic_coop,441900121201
"""


def count():
    return db.session.scalar(select(func.count()).select_from(Jurisdiction))


def test_import_builds_paths_with_parents_later_in_the_file(app):
    result = tree.import_csv(io.StringIO(GOOD))
    assert result.ok and result.created == 5
    coop = tree.by_code("LM-JJS-01")
    assert coop.path == "/440000000000/441900000000/441900121000/441900121201/LM-JJS-01/"
    assert coop.depth == 4
    assert [node.name for node in tree.ancestors(coop)] == ["广东省", "东莞市", "清溪镇", "罗马村"]
    village = tree.by_code("441900121201")
    assert db.session.get(Jurisdiction, village.parent_id).code == "441900121000"


def test_import_is_all_or_nothing_and_names_every_bad_line(app):
    bad = GOOD + """\
441900121299,坏村,village,441800000000
441900121000,重复镇,town,441900000000
4419001212,短码村,village,441900121000
441900122201,错前缀村,village,441900121000
X-1,小区,compound,440000000000
441900121203,,village,441900121000
441900121204,某村,hamlet,441900121000
441900121205,只有三列,village
"""
    # Line 7: parent unknown; 8: duplicate of line 5; 9: not 12 digits; 10: wrong prefix;
    # 11: a compound under a province; 12: no name; 13: unknown level; 14: three columns.
    result = tree.import_csv(io.StringIO(bad))
    assert not result.ok
    lines = sorted({line for line, _reason in result.errors})
    assert lines == [7, 8, 9, 10, 11, 12, 13, 14]
    assert count() == 0
    reasons = {line: str(reason) for line, reason in result.errors}
    assert "441800000000" in reasons[7]
    assert "line 5" in reasons[8] or "第 5 行" in reasons[8]


def test_import_detects_a_parent_loop(app):
    looped = "code,name,level,parent_code\nA1,甲,building,B1\nB1,乙,building,A1\n"
    result = tree.import_csv(io.StringIO(looped))
    assert not result.ok and count() == 0


def test_reimport_counts_identical_rows_as_unchanged_and_refuses_changed_ones(app):
    tree.import_csv(io.StringIO(GOOD))
    again = tree.import_csv(io.StringIO(GOOD))
    assert again.ok and again.created == 0 and again.unchanged == 5
    changed = tree.import_csv(io.StringIO(GOOD.replace("罗马村", "罗马社区")))
    assert not changed.ok and changed.errors[0][0] == 4
    assert tree.by_code("441900121201").name == "罗马村"


def test_header_and_encoding_problems_are_reported(app, runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("编码,名称\n1,2\n", encoding="utf-8")
    result = runner.invoke(args=["jurisdictions", "import", str(path)])
    assert result.exit_code == 1 and "code,name,level,parent_code" in result.output
    path.write_bytes("code,name,level,parent_code\n440000000000,广东省,province,\n".encode("gbk"))
    result = runner.invoke(args=["jurisdictions", "import", str(path)])
    assert result.exit_code == 1 and "UTF-8" in result.output
    assert count() == 0


def test_cli_import_prints_bad_rows_and_export_round_trips(app, runner, tmp_path):
    source = tmp_path / "tree.csv"
    source.write_text(GOOD + "441900121206,坏村,village,441900999000\n", encoding="utf-8")
    result = runner.invoke(args=["jurisdictions", "import", str(source)])
    assert result.exit_code == 1
    assert "line 7" in result.output or "第 7 行" in result.output
    assert count() == 0
    source.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["jurisdictions", "import", str(source)])
    assert result.exit_code == 0, result.output
    exported = tmp_path / "out.csv"
    runner.invoke(args=["jurisdictions", "export", str(exported)])
    rows = exported.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "code,name,level,parent_code"
    assert sorted(rows[1:]) == sorted(GOOD.splitlines()[1:])
    # Parents come before children, so the export imports into an empty tree.
    assert rows.index("441900121000,清溪镇,town,441900000000") < rows.index(
        "441900121201,罗马村,village,441900121000")


def test_import_is_audited(app):
    tree.import_csv(io.StringIO(GOOD))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "jurisdiction.import"))
    assert event.after == {"created": 5, "unchanged": 0}


def test_create_checks_level_and_code(app, demo):
    luoma = tree.by_code("441900121201")
    node = tree.create(permissions.SYSTEM, code="LM-XQ-9", name="罗马新村小区", level="compound",
                       parent=luoma)
    assert node.path == luoma.path + "LM-XQ-9/"
    for code, level in [("441900121299", "town"), ("bad code", "grid"), ("LM-XQ-9", "grid")]:
        try:
            tree.create(permissions.SYSTEM, code=code, name="x", level=level, parent=luoma)
        except tree.DomainError:
            pass
        else:
            raise AssertionError(f"{code} {level} accepted")


def test_admin_adds_and_renames_in_scope(app, demo, client, auth):
    auth.login("qingxi-it")
    response = auth.post("/admin/jurisdictions/new?parent=441900121201",
                         {"code": "LM-WG-01", "name": "罗马第一网格", "level": "grid"})
    assert response.status_code == 302
    assert tree.by_code("LM-WG-01").name == "罗马第一网格"
    response = auth.post("/admin/jurisdictions/LM-WG-01/rename", {"name": "罗马一网格"},
                         form_url="/admin/jurisdictions/?code=LM-WG-01")
    assert tree.by_code("LM-WG-01").name == "罗马一网格"
    # A bad code is refused with a message, and nothing is added.
    before = count()
    page = auth.post("/admin/jurisdictions/new?parent=441900121201",
                     {"code": "坏 代码", "name": "x", "level": "grid"})
    assert page.status_code == 200 and "子单元代码" in page.get_data(as_text=True)
    assert count() == before
    # Outside the town: refused.
    assert client.get("/admin/jurisdictions/new?parent=441900101002").status_code == 403
    assert client.get("/admin/jurisdictions/?code=441900101002").status_code == 403


def test_admin_csv_upload_reports_errors(app, demo, client, auth):
    auth.login("admin")
    token_page = "/admin/jurisdictions/import"
    data = {"file": (io.BytesIO("code,name,level,parent_code\nZZ,坏,grid,441900999999\n"
                                .encode()), "tree.csv")}
    page = auth.post(token_page, data, content_type="multipart/form-data")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "441900999999" in text and "第 2 行" in text
    data = {"file": (io.BytesIO(b"\x00\xff\xfe"), "tree.csv")}
    page = auth.post(token_page, data, content_type="multipart/form-data")
    assert page.status_code == 200 and "UTF-8" in page.get_data(as_text=True)
    data = {"file": (io.BytesIO(b"x"), "tree.exe")}
    page = auth.post(token_page, data, content_type="multipart/form-data")
    assert page.status_code == 200 and ".csv" in page.get_data(as_text=True)


def test_public_jurisdiction_page_lists_children_with_counts(app, demo, client):
    page = client.get("/j/441900121201").get_data(as_text=True)
    assert "罗马第一经济社" in page and "罗马村" in page
    assert client.get("/j/000000000000").status_code == 404
    assert client.get("/j/441900121201?page=abc").status_code == 200


def test_lineage_gives_the_nodes_above_root_first_and_the_children_by_code(app, demo):
    town = tree.by_code("441900121000")
    above, children = tree.lineage(town)
    assert [node.code for node in above] == [node.code for node in tree.ancestors(town)]
    assert [node.level for node in above][-1] != town.level and above[0].parent_id is None
    expected = db.session.scalars(select(Jurisdiction.code).where(
        Jurisdiction.parent_id == town.id).order_by(Jurisdiction.code)).all()
    assert [node.code for node in children] == expected and len(expected) >= 2
    assert tree.lineage(town, children=1)[1] == children[:1]
    root_above, root_children = tree.lineage(tree.by_code(above[0].code))  # rows, not nodes
    assert root_above == [] and root_children[0].parent_id == above[0].id


def test_an_exported_name_is_never_read_as_a_formula_and_imports_back_as_typed(app, tmp_path):
    typed = "=HYPERLINK(\"http://evil.example\",\"点我\")"
    result = tree.import_csv(io.StringIO(
        "code,name,level,parent_code\n440000000000,广东省,province,\n"
        f"441900000000,\"{typed.replace(chr(34), chr(34) * 2)}\",city,440000000000\n"
        "441800000000,-1+2,city,440000000000\n"))
    assert not result.errors
    out = io.StringIO()
    tree.export_csv(out)
    exported = out.getvalue()
    assert "'=HYPERLINK" in exported and ",'-1+2," in exported
    assert not any(cell.startswith(("=", "+", "-", "@"))
                   for line in exported.splitlines() for cell in line.split(","))
    db.session.execute(Jurisdiction.__table__.delete())
    db.session.commit()
    assert not tree.import_csv(io.StringIO(exported)).errors
    assert tree.by_code("441900000000").name == typed
    assert tree.by_code("441800000000").name == "-1+2"
