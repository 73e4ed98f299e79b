"""Accounts and role assignment through the admin pages; the audit log."""

import pytest
from sqlalchemy import select

from core.kernel.errors import DomainError
from core.kernel.extensions import db
from core.models import AuditEvent, Organisation, Person, RoleAssignment, User
from core.people import accounts
from tests import lifecycle_helpers as h


def test_admin_creates_an_account_and_grants_a_role(client, demo, auth):
    auth.login("qingxi-it")
    response = auth.post("/admin/users/new", {"username": "luoma-clerk",
                                              "display_name": "罗马村文书",
                                              "password": "clerk-password"})
    assert response.status_code == 302
    clerk = db.session.scalar(select(User).where(User.username == "luoma-clerk"))
    url = f"/admin/users/{clerk.id}"
    response = auth.post(url, {"grant-role": "organiser",
                               "grant-jurisdiction_code": "441900121201",
                               "grant-grant": "1"})
    assert response.status_code == 302
    assert db.session.scalar(select(RoleAssignment.role).where(
        RoleAssignment.user_id == clerk.id)) == "organiser"
    # The grant was audited with who and where.
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "role.grant",
                                                       AuditEvent.object_id != ""
                                                       ).order_by(AuditEvent.id.desc()))
    assert event.after["user"] == "luoma-clerk" and event.actor_id is not None
    # Granting outside the town is refused with a message and changes nothing.
    page = client.get(url)
    response = auth.post(url, {"grant-role": "organiser",
                               "grant-jurisdiction_code": "441900101002", "grant-grant": "1"})
    assert response.status_code == 200 and "没有权限" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(RoleAssignment).where(
        RoleAssignment.user_id == clerk.id)).all()) == 1
    assert page.status_code == 200


def test_bad_account_input_gets_messages_and_changes_nothing(client, demo, auth):
    auth.login("admin")
    before = db.session.scalar(select(db.func.count()).select_from(User))
    for data, message in [
        ({"username": "x", "display_name": "x", "password": "long-enough-1"}, "3 到 64"),
        ({"username": "admin", "display_name": "x", "password": "long-enough-1"}, "已被使用"),
        ({"username": "newbie", "display_name": "x", "password": "short"}, "8"),
    ]:
        page = auth.post("/admin/users/new", data)
        assert page.status_code == 200 and message in page.get_data(as_text=True), data
    assert db.session.scalar(select(db.func.count()).select_from(User)) == before


def test_revoke_and_unknown_jurisdiction(client, demo, auth):
    auth.login("admin")
    resident = db.session.scalar(select(User).where(User.username == "luoma-resident"))
    url = f"/admin/users/{resident.id}"
    page = auth.post(url, {"grant-role": "supervisor", "grant-jurisdiction_code": "999",
                           "grant-grant": "1"})
    assert "999" in page.get_data(as_text=True)
    assignment = db.session.scalar(select(RoleAssignment).where(
        RoleAssignment.user_id == resident.id))
    assignment_id = assignment.id
    response = auth.post(f"{url}/roles/{assignment_id}/revoke", {}, form_url=url)
    assert response.status_code == 302
    assert db.session.scalar(select(RoleAssignment.id).where(
        RoleAssignment.id == assignment_id)) is None


def test_register_forms_validate(client, demo, auth):
    auth.login("luoma-organiser")
    url = "/admin/jurisdictions/441900121201/people"
    page = auth.post(url, {"name": "王五", "sub_unit_code": "ZSD-XQ-01"})
    assert "必须在罗马村" in page.get_data(as_text=True)
    page = auth.post(url, {"name": "王五", "shareholder": "y"})
    assert "股东必须是集体经济组织成员" in page.get_data(as_text=True)
    page = auth.post(url, {"name": "王五", "phone": "call me"})
    assert page.status_code == 200
    assert db.session.scalar(select(Person).where(Person.name == "王五")) is None
    response = auth.post(url, {"name": "王五", "sub_unit_code": "LM-JJS-01", "registered": "y",
                               "collective_member": "y", "shareholder": "y",
                               "needs_offline": "y", "cppcc": "y"})
    assert response.status_code == 302
    person = db.session.scalar(select(Person).where(Person.name == "王五"))
    assert person.shareholder and person.deputy_role_list == ["cppcc"] and person.needs_offline
    org_url = "/admin/jurisdictions/441900121201/organisations"
    page = auth.post(org_url, {"name": "罗马老年协会", "kind": "no_such_kind"})
    assert page.status_code == 200
    response = auth.post(org_url, {"name": "罗马老年协会", "kind": "social_organisation"})
    assert response.status_code == 302
    assert db.session.scalar(select(Organisation).where(Organisation.name == "罗马老年协会"))


def test_supervisor_reads_the_audit_log_of_its_village_only(client, demo, auth):
    auth.login("luoma-supervisor")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "罗马村" in page and "中山东" not in page
    assert client.get("/admin/audit?code=441900121201").status_code == 200
    assert client.get("/admin/audit?code=441900101002").status_code == 403


@pytest.mark.parametrize("password", ["12345678", "password1", "qwertyuiop", "20261208",
                                      "luoma-clerk", "Luoma-Clerk", "罗马村文书1234"])
def test_an_easily_guessed_password_is_refused_saying_why(app, demo, password):
    with pytest.raises(DomainError) as refused:
        accounts.create_user(h.user("admin"), username="luoma-clerk",
                             display_name="罗马村文书", password=password)
    with app.test_request_context("/"):
        assert "太容易被猜到" in str(refused.value.message)
    assert accounts.create_user(h.user("admin"), username="luoma-clerk",
                                display_name="罗马村文书", password="村口老榕树下-议事-7").id
