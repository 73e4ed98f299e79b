"""Permission scoping: a role covers its subtree and nothing else, by service and by URL."""

import pytest
from sqlalchemy import select

from core.kernel import permissions
from core.kernel.errors import PermissionDenied
from core.kernel.extensions import db
from core.models import Person, Role, User
from core.people import accounts, register
from core.places import tree


def user(name):
    return db.session.scalar(select(User).where(User.username == name))


def test_town_role_covers_its_villages_never_a_sibling_town(app, demo):
    town_admin = user("qingxi-it")
    assert permissions.can(town_admin, "jurisdiction.manage", tree.by_code("441900121201"))
    assert permissions.can(town_admin, "jurisdiction.manage", tree.by_code("LM-JJS-01"))
    assert not permissions.can(town_admin, "jurisdiction.manage", tree.by_code("441900101000"))
    assert not permissions.can(town_admin, "jurisdiction.manage", tree.by_code("441900101002"))
    assert not permissions.can(town_admin, "jurisdiction.manage", tree.by_code("441900000000"))


def test_a_code_that_prefixes_another_does_not_leak_scope(app, demo):
    luoma = tree.by_code("441900121201")
    one = tree.create(permissions.SYSTEM, code="LM-1", name="一组", level="villager_group",
                      parent=luoma)
    ten = tree.create(permissions.SYSTEM, code="LM-10", name="十组", level="villager_group",
                      parent=luoma)
    accounts.grant_role(permissions.SYSTEM, user("luoma-resident"), Role.SUPERVISOR, one)
    assert permissions.can(user("luoma-resident"), "audit.read", one)
    assert not permissions.can(user("luoma-resident"), "audit.read", ten)


def test_platform_admin_acts_everywhere(app, demo):
    assert permissions.can(user("admin"), "plugin.manage", tree.by_code("120101001001"))


def test_organiser_of_village_a_is_refused_in_village_b_by_service(app, demo):
    with pytest.raises(PermissionDenied):
        register.add_person(user("luoma-organiser"), tree.by_code("441900101002"), name="张三")
    assert db.session.scalar(select(Person).where(Person.name == "张三")) is None


@pytest.mark.parametrize("url", [
    "/admin/jurisdictions/441900101002/people",
    "/admin/jurisdictions/441900101002/organisations",
    "/admin/jurisdictions/441900101002/plugins",
    "/admin/jurisdictions/?code=441900101002",
    "/admin/audit?code=441900101002",
    "/admin/jurisdictions/new?parent=441900101002",
])
def test_organiser_of_village_a_gets_403_on_village_b_pages(client, demo, auth, url):
    auth.login("luoma-organiser")
    assert client.get(url).status_code == 403


def test_organiser_of_village_a_gets_403_on_village_b_actions(client, demo, auth):
    auth.login("luoma-organiser")
    token_page = "/admin/jurisdictions/441900121201/people"
    response = auth.post("/admin/jurisdictions/441900101002/people", {"name": "张三"},
                         form_url=token_page)
    assert response.status_code == 403
    response = auth.post("/admin/jurisdictions/441900101002/organisations",
                         {"name": "某协会", "kind": "social_organisation"}, form_url=token_page)
    assert response.status_code == 403
    assert db.session.scalar(select(Person).where(Person.name == "张三")) is None
    # In its own village the same form works.
    response = auth.post(token_page, {"name": "张三", "registered": "y"})
    assert response.status_code == 302
    assert db.session.scalar(select(Person).where(Person.name == "张三")) is not None


def test_resident_and_public_cannot_enter_administration(client, demo, auth):
    assert client.get("/admin/users/").status_code == 302  # to the login page
    auth.login("luoma-resident")
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/users/").status_code == 403


def test_town_admin_grants_roles_only_in_its_town(app, demo):
    town_admin = user("qingxi-it")
    target = user("luoma-resident")
    accounts.grant_role(town_admin, target, Role.SUPERVISOR, tree.by_code("441900121202"))
    with pytest.raises(PermissionDenied):
        accounts.grant_role(town_admin, target, Role.SUPERVISOR, tree.by_code("441900101002"))
    with pytest.raises(PermissionDenied):
        accounts.grant_role(town_admin, target, Role.PLATFORM_ADMIN, None)


def test_town_admin_cannot_edit_accounts_holding_roles_elsewhere(client, demo, auth):
    auth.login("qingxi-it")
    other = user("zsd-organiser")
    assert client.get(f"/admin/users/{other.id}").status_code == 403
    own = user("luoma-organiser")
    assert client.get(f"/admin/users/{own.id}").status_code == 200
    listing = client.get("/admin/users/").get_data(as_text=True)
    assert "luoma-organiser" in listing and "zsd-organiser" not in listing


def test_unknown_action_is_a_programming_error(app, demo):
    with pytest.raises(LookupError):
        permissions.can(user("admin"), "no.such.action")


def test_the_switcher_lists_each_jurisdiction_a_user_holds_roles_on_once(app, demo, client,
                                                                         auth):
    from tests.statement_counter import count_statements

    resident = user("luoma-resident")
    luoma, town = tree.by_code("441900121201"), tree.by_code("441900121000")
    for role, node in ((Role.SUPERVISOR, luoma), (Role.ORGANISER, luoma),
                       (Role.TOWN_OFFICIAL, town)):
        accounts.grant_role(permissions.SYSTEM, resident, role, node)
    permissions.forget(resident)
    assert permissions.can(resident, "audit.read", luoma)  # reads the roles
    with count_statements(db.engine) as seen:
        homes = permissions.home_jurisdictions(resident)
    assert seen == []  # read with the roles
    assert [node.code for node in homes] == ["441900121000", "441900121201"]  # by path
    auth.login("luoma-resident")
    page = client.get("/").get_data(as_text=True)
    switcher = page[page.index('id="switch-code"'):page.index("</select>")]
    assert switcher.count("<option") == 2 and "罗马村" in switcher


def test_the_switcher_shows_the_jurisdiction_chosen_last(app, demo, client, auth):
    from tests.conftest import csrf_token

    official = user("qingxi-official")
    accounts.grant_role(permissions.SYSTEM, official, Role.SUPERVISOR,
                        tree.by_code("441900121201"))
    auth.login("qingxi-official")
    client.post("/switch", data={"code": "441900121201", "csrf_token": csrf_token(client, "/")})
    page = client.get("/").get_data(as_text=True)
    switcher = page[page.index('id="switch-code"'):page.index("</select>")]
    assert '<option value="441900121201" selected>' in switcher
    assert '<option value="441900121000" >' in switcher
