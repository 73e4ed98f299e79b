"""Logging in and out, throttling, CSRF, session handling, passwords."""

import pytest
from sqlalchemy import select

from core.kernel.extensions import db
from core.models import User
from tests.conftest import csrf_token


def test_login_and_logout(client, demo, auth):
    response = auth.login("luoma-organiser")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    assert "罗马村两委" in client.get("/admin/").get_data(as_text=True)
    auth.logout()
    assert client.get("/admin/").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, demo, auth):
    response = auth.login("luoma-organiser", "wrong-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_login_is_throttled_after_repeated_failures(app, client, demo, auth):
    limit = app.config["XS_LOGIN_MAX_FAILURES"]
    for _attempt in range(limit):
        assert auth.login("luoma-organiser", "wrong-password").status_code == 401
    refused = auth.login("luoma-organiser")  # right password, but throttled
    assert refused.status_code == 429
    assert "登录失败次数过多" in refused.get_data(as_text=True)
    # Another account from elsewhere is not affected by this user's lock.
    assert auth.login("luoma-supervisor").status_code == 302


def test_disabled_account_cannot_log_in(client, demo, auth):
    user = db.session.scalar(select(User).where(User.username == "luoma-resident"))
    user.active = False
    db.session.commit()
    assert auth.login("luoma-resident").status_code == 401


def test_post_without_csrf_token_is_rejected(client, demo):
    response = client.post("/auth/login", data={"username": "admin",
                                                "password": "xieshang-demo"})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302  # not logged in


def test_post_with_a_forged_csrf_token_is_rejected(client, demo, auth):
    auth.login("admin")
    response = client.post("/admin/users/new", data={
        "csrf_token": "forged", "username": "intruder", "display_name": "x",
        "password": "long-enough-1"})
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.username == "intruder")) is None


def test_login_starts_a_fresh_session(client, demo, auth):
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
        session["lang"] = "en"
    auth.login("admin")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "en"
        assert session["_user_id"]


def test_session_cookie_is_http_only_and_same_site(client, demo, auth):
    response = auth.login("admin")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_password_change(client, demo, auth):
    auth.login("luoma-resident")
    page = auth.post("/auth/password", {"current": "wrong", "new": "new-password-1",
                                        "confirm": "new-password-1"})
    assert page.status_code == 200 and "当前密码不正确" in page.get_data(as_text=True)
    page = auth.post("/auth/password", {"current": "xieshang-demo", "new": "short",
                                        "confirm": "short"})
    assert page.status_code == 200
    response = auth.post("/auth/password", {"current": "xieshang-demo",
                                            "new": "new-password-1", "confirm": "new-password-1"})
    assert response.status_code == 302
    auth.logout()
    assert auth.login("luoma-resident").status_code == 401
    assert auth.login("luoma-resident", "new-password-1").status_code == 302


def test_redirect_after_login_stays_on_site(client, demo):
    token = csrf_token(client)
    response = client.post("/auth/login?next=//evil.example/x", data={
        "username": "admin", "password": "xieshang-demo", "csrf_token": token})
    assert response.headers["Location"] == "/admin/"


def test_a_refused_login_checks_a_password_whether_or_not_the_name_exists(app, demo,
                                                                          monkeypatch):
    """How long a refusal takes must not tell whether a user name is someone's: an
    unknown name costs one password check, like a known name with a wrong password."""
    import werkzeug.security

    from core.kernel.errors import DomainError
    from core.people import accounts

    checks = []
    real = werkzeug.security.check_password_hash

    def counted(hashed, password):
        checks.append(hashed.split("$", 1)[0])
        return real(hashed, password)

    monkeypatch.setattr(accounts, "check_password_hash", counted, raising=False)
    monkeypatch.setattr("core.models.people.check_password_hash", counted)
    for name in ("luoma-resident", "no-such-person"):
        with pytest.raises(DomainError):
            accounts.authenticate(name, "wrong-password", "127.0.0.9")
    assert len(checks) == 2 and checks[0] == checks[1] == app.config["XS_PASSWORD_HASH"]


def _copied(app, client):
    """Another browser holding a copy of ``client``'s session cookie."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def test_a_copied_session_cookie_stops_working_at_logout(app, demo, client, auth):
    auth.login("luoma-organiser")
    copy = _copied(app, client)
    assert copy.get("/dashboard").status_code == 200
    auth.logout()
    assert copy.get("/dashboard").status_code == 302  # to the login page
    assert client.get("/dashboard").status_code == 302


def test_changing_a_password_ends_other_sessions_and_tokens_but_not_this_one(app, demo, client,
                                                                             auth):
    from core.people import tokens
    from tests import lifecycle_helpers as h

    _row, token = tokens.create(h.user("luoma-organiser"), "对接系统")
    auth.login("luoma-organiser")
    copy = _copied(app, client)
    response = auth.post("/auth/password", {"current": "xieshang-demo",
                                            "new": "a-much-longer-secret-9",
                                            "confirm": "a-much-longer-secret-9"})
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200  # the session that changed it
    assert copy.get("/dashboard").status_code == 302
    api = app.test_client().get("/api/v1/topics", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401


def test_a_reset_by_an_administrator_ends_the_accounts_sessions(app, demo, client, auth):
    from core.kernel import permissions
    from core.people import accounts
    from tests import lifecycle_helpers as h

    auth.login("luoma-resident")
    assert client.get("/my/topics").status_code == 200
    accounts.reset_password(permissions.SYSTEM, h.user("luoma-resident"), "reset-by-the-town-7")
    assert client.get("/my/topics").status_code == 302
