"""Eligibility of subjects (协商主体) and voting rights."""

import pytest
from sqlalchemy import select

from core.consultation import subjects, topics
from core.kernel.errors import DomainError
from core.kernel.extensions import db
from core.models import Participant, Person, User
from core.places import tree
from tests import lifecycle_helpers as h


def organiser():
    return h.user("luoma-organiser")


@pytest.mark.plugins("town_rules")
def test_collective_asset_items_take_registered_residents_only(app, demo):
    from core.kernel import permissions
    from core.places import plugin_settings

    plugin_settings.enable(permissions.SYSTEM, "town_rules", tree.by_code("441900121000"))
    topic = h.accepted(item="town_rules.collective_land")
    assert topic.subject_rule == "registered_only"
    with pytest.raises(DomainError, match="户籍"):
        subjects.invite_person(organiser(), topic, h.person("李建国"))  # non-registered
    subjects.invite_person(organiser(), topic, h.person("陈志强"))
    with pytest.raises(DomainError, match="户籍居民"):
        subjects.invite_organisation(organiser(), topic, _property_company())
    subjects.invite_organisation(organiser(), topic, h.organisation("罗马股份经济合作社"))
    # The form offers only who may be invited.
    assert "李建国" not in [p.name for p in subjects.eligible_people(topic)]


def _property_company():
    from core.kernel import permissions
    from core.people import register

    return register.add_organisation(permissions.SYSTEM, tree.by_code("441900121201"),
                                     name="罗马物业公司", kind="property_company")


def test_public_welfare_items_may_invite_non_registered_residents(app, demo):
    topic = h.accepted(item="national.public_affairs")
    participant = subjects.invite_person(organiser(), topic, h.person("李建国"))
    assert participant.votes is True and participant.kind == "resident"
    assert "李建国" in [p.name for p in subjects.participants(topic)]


def test_people_of_another_village_are_not_subjects(app, demo):
    from core.kernel import permissions
    from core.people import register

    outsider = register.add_person(permissions.SYSTEM, tree.by_code("441900101002"),
                                   name="张外村")
    topic = h.accepted()
    with pytest.raises(DomainError, match="未登记在罗马村"):
        subjects.invite_person(organiser(), topic, outsider)


def test_experts_and_the_legal_adviser_speak_but_do_not_vote(app, demo):
    topic = h.accepted()
    expert = subjects.invite_guest(organiser(), topic, kind="expert", name="王工程师")
    lawyer = subjects.invite_guest(organiser(), topic, kind="legal_adviser", name="李律师")
    assert not expert.votes and not lawyer.votes
    with pytest.raises(DomainError, match="列席"):
        subjects.set_votes(organiser(), topic, expert, True)
    with pytest.raises(DomainError):
        subjects.invite_guest(organiser(), topic, kind="resident", name="x")


def test_a_resident_applies_and_the_committee_decides(app, demo, client, auth):
    topic = h.accepted()
    auth.login("luoma-resident")  # linked to 陈美玲 in the register
    url = f"/topics/{topic.id}"
    page = client.get(url).get_data(as_text=True)
    assert "申请参与协商" in page
    assert auth.post(f"{url}/apply", {}, form_url=url).status_code == 302
    applied = db.session.scalar(select(Participant).where(Participant.name == "陈美玲"))
    assert applied.status == "applied"
    assert auth.post(f"{url}/apply", {}, form_url=url).status_code == 400  # not twice
    auth.logout()
    auth.login("luoma-organiser")
    # The invitation page lists the applicant with that status, not among the invited.
    page = client.get(f"{url}/participants/new").get_data(as_text=True)
    assert "已邀请（0）" in page and "陈美玲" in _invited_section(page)
    assert "已申请" in _invited_section(page)
    response = auth.post(f"{url}/participants/{applied.id}/approve", {}, form_url=url)
    assert response.status_code == 302
    db.session.refresh(applied)
    assert applied.status == "invited"


def test_an_account_without_a_register_entry_cannot_apply(app, demo):
    topic = h.accepted()
    with pytest.raises(DomainError, match="关联居民登记"):
        subjects.apply(h.user("luoma-supervisor"), topic)


def test_inviting_the_same_person_twice_is_refused(app, demo):
    topic = h.accepted()
    subjects.invite_person(organiser(), topic, h.person("陈志强"))
    with pytest.raises(DomainError, match="已是本议题"):
        subjects.invite_person(organiser(), topic, h.person("陈志强"))


def test_residents_see_accepted_topics_of_their_village_only(app, demo, client, auth):
    topic = h.accepted()
    other = topics.propose(h.user("zsd-organiser"), tree.by_code("441900101002"),
                           title="中山东花园停车")
    auth.login("luoma-resident")
    assert client.get(f"/topics/{topic.id}").status_code == 200
    assert client.get(f"/topics/{other.id}").status_code == 403


def test_register_link_makes_invited_residents_able_to_sign_in(app, demo):
    topic = h.accepted()
    participant = subjects.invite_person(organiser(), topic, h.person("陈美玲"))
    resident = db.session.scalar(select(User).where(User.username == "luoma-resident"))
    assert participant.user_id == resident.id
    assert db.session.get(Person, participant.person_id).name == "陈美玲"


def _subject_rows(page):
    table = page[page.index('id="subjects-h"'):]
    table = table[:table.index("</tbody>")]
    return {row.split("</td>")[0].split("<td>")[-1]: row for row in table.split("<tr>")[2:]}


def test_the_topic_page_lists_each_subject_with_its_tags_role_and_status(
        app, demo, client, auth):
    topic = h.accepted(item="national.public_affairs")
    subjects.invite_person(organiser(), topic, h.person("李建国"))  # non-registered
    subjects.invite_person(organiser(), topic, h.person("叶伯"), votes=False)  # offline
    subjects.invite_guest(organiser(), topic, kind="expert", name="王律师")
    auth.login("luoma-organiser")
    rows = _subject_rows(client.get(f"/topics/{topic.id}").get_data(as_text=True))
    assert set(rows) == {"李建国 <span class=\"tag\">非户籍</span>",
                         "叶伯 <span class=\"tag\">线下渠道</span>", "王律师"}
    li = rows["李建国 <span class=\"tag\">非户籍</span>"]
    assert ">居民</td>" in li and ">有表决权</td>" in li and ">已邀请</td>" in li
    ye = rows["叶伯 <span class=\"tag\">线下渠道</span>"]
    assert ">列席，有议事权无表决权</td>" in ye and ">有表决权</td>" not in ye
    assert "非户籍" not in rows["王律师"] and "线下渠道" not in rows["王律师"]


def _invited_section(page):
    section = page[page.index('id="invited-h"'):]
    return section[:section.index("</section>")]


def test_subjects_are_invited_one_after_another_on_their_own_page(app, demo, client, auth):
    topic = h.accepted()
    auth.login("luoma-organiser")
    url = f"/topics/{topic.id}"
    shown = client.get(url).get_data(as_text=True)
    assert f'href="{url}/participants/new"' in shown and 'id="person-person"' not in shown
    page = client.get(f"{url}/participants/new").get_data(as_text=True)
    assert 'id="person-person"' in page and 'id="org-organisation"' in page
    assert 'id="guest-name"' in page and "尚无协商主体" in _invited_section(page)
    chen = h.person("陈志强")
    invited = auth.post(f"{url}/participants/person", {"person": chen.id, "votes": "y"},
                        form_url=f"{url}/participants/new", prefix="person")
    # Back to the invitation page, for the next one: 陈志强 is listed, and no longer offered.
    assert invited.status_code == 302
    assert invited.headers["Location"].endswith(f"{url}/participants/new")
    page = client.get(f"{url}/participants/new").get_data(as_text=True)
    assert "陈志强" in _invited_section(page) and "已邀请（1）" in page
    offered = page[page.index('id="person-person"'):]
    assert f'value="{chen.id}"' not in offered[:offered.index("</select>")]
    # A refused invitation shows that page again, with what was typed and the reason.
    count = len(subjects.participants(topic))
    refused = auth.post(f"{url}/participants/guest", {"kind": "expert", "name": "名" * 101,
                                                       "note": "给排水工程师"},
                        form_url=f"{url}/participants/new", prefix="guest")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'id="guest-name-errors"' in page
    assert "给排水工程师" in page and "陈志强" in _invited_section(page)
    refused = auth.post(f"{url}/participants/person", {"person": 999999},
                        form_url=f"{url}/participants/new", prefix="person")
    assert refused.status_code == 400 and 'id="person-person-errors"' in refused.get_data(
        as_text=True)
    assert len(subjects.participants(topic)) == count
    auth.post(f"{url}/participants/guest", {"kind": "expert", "name": "王工程师"},
              form_url=f"{url}/participants/new", prefix="guest")
    page = client.get(f"{url}/participants/new").get_data(as_text=True)
    assert "王工程师" in _invited_section(page) and "列席" in _invited_section(page)


def test_only_those_who_run_the_topic_invite_and_only_at_its_step(app, demo, client, auth):
    topic = h.accepted()
    url = f"/topics/{topic.id}"
    auth.login("luoma-supervisor")  # reads the topic, does not run it
    assert client.get(f"{url}/participants/new").status_code == 403
    refused = auth.post(f"{url}/participants/guest", {"kind": "expert", "name": "王工程师"},
                        form_url=url, prefix="guest")
    assert refused.status_code == 403 and subjects.participants(topic) == []
    auth.logout()
    topic, _meeting = h.noticed()  # subjects settled: the step is past inviting
    auth.login("luoma-organiser")
    sent_back = client.get(f"/topics/{topic.id}/participants/new", follow_redirects=True)
    assert sent_back.request.path == f"/topics/{topic.id}"
    assert "当前步骤不允许此操作" in sent_back.get_data(as_text=True)
    # Posted anyway, the service refuses: the invitation page again, with its reason.
    count = len(subjects.participants(topic))
    refused = auth.post(f"/topics/{topic.id}/participants/guest",
                        {"kind": "expert", "name": "王工程师"}, form_url=url, prefix="guest")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "当前步骤不允许此操作" in page
    assert 'id="invited-h"' in page and len(subjects.participants(topic)) == count
