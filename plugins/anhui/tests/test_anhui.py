"""Anhui: the community work consultation committee, its forms, the consultation file."""

import io
import zipfile

import pytest

from core.consultation import topics
from core.kernel.errors import DomainError
from core.models.types import local_today
from core.places import tree
from plugins import anhui
from tests import lifecycle_helpers as h

SHENGLI = "340102001003"


@pytest.fixture
def province(make_app):
    from core import demo

    app = make_app({"XS_PLUGINS": ["national", "anhui"]})
    with app.app_context():
        demo.load(with_topics=False)
        yield app


MEMBERS = "周书记, 村（社区）党组织书记\n吴主任, 村（居）民委员会成员\n陈代表, 村（居）民代表"


def test_the_committee_is_chaired_by_the_secretary_or_director(province):
    node = tree.by_code(SHENGLI)
    organiser = h.user("shengli-organiser")
    with pytest.raises(DomainError, match="主任"):
        anhui.save(organiser, node,
                   members="王某, 村（居）民代表\n李某, 网格负责人\n赵某, 村（居）民代表",
                   rules="", mechanism="", year=2026, plan="")
    with pytest.raises(DomainError, match="第 3 行"):
        anhui.save(organiser, node, members=MEMBERS.replace("村（居）民代表", "路人"),
                   rules="", mechanism="", year=2026, plan="")
    anhui.save(organiser, node, members=MEMBERS, rules="每月第一个周三议事。",
               mechanism="党组织领导、居委会负责。", year=2026, plan="全年开展协商12次。")
    assert anhui.committee(node)[0] == {"name": "周书记", "role": "村（社区）党组织书记"}


def test_the_consultation_file_has_its_six_parts(province):
    node = tree.by_code(SHENGLI)
    anhui.save(h.user("shengli-organiser"), node, members=MEMBERS, rules="每月第一个周三议事。",
               mechanism="党组织领导。", year=local_today().year, plan="全年开展协商12次。")
    data = anhui.consultation_file(node, local_today().year)
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = [name.rsplit("/", 1)[-1] for name in archive.namelist()]
    assert names == ["1-工作制度.txt", "2-工作机制.txt", "3-协商内容.txt", "4-协商程序.txt",
                     "5-年度工作计划.txt", "6-会议记录.txt"]
    texts = {name.rsplit("/", 1)[-1]: archive.read(name).decode() for name in archive.namelist()}
    assert "周书记" in texts["2-工作机制.txt"] and "全年开展协商12次" in texts["5-年度工作计划.txt"]
    assert "提出议题和协商主体" in texts["4-协商程序.txt"]


def test_forms_and_pages_only_where_enabled(province):
    from tests.conftest import AuthActions

    assert "anhui.7" in topics.meeting_forms_at(tree.by_code(SHENGLI))
    assert "anhui.7" not in topics.meeting_forms_at(tree.by_code("441900121201"))
    client = province.test_client()
    auth = AuthActions(client)
    auth.login("shengli-organiser")
    assert client.get(f"/anhui/{SHENGLI}/committee").status_code == 200
    page = auth.post(f"/anhui/{SHENGLI}/committee", {"members": "x", "year": "2026"})
    assert page.status_code == 400
    response = client.get(f"/anhui/{SHENGLI}/file/{local_today().year}.zip")
    assert response.mimetype == "application/zip"
    assert client.get("/anhui/441900121201/committee").status_code == 404
