"""The application factory, configuration sources, headers and error pages."""

from core import create_app
from core.kernel.config import _normalise_database_url, apply_environment


def test_settings_come_from_defaults_instance_environment_then_overrides(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        'XS_PAGE_SIZE = 7\nSECRET_KEY = "from-file"\nXS_LOGIN_MAX_FAILURES = 9\n')
    monkeypatch.setenv("XS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("XS_LOGIN_MAX_FAILURES", "3")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"XS_LOGIN_MAX_FAILURES": 4})
    assert app.config["XS_PAGE_SIZE"] == 7  # file over default
    assert app.config["SECRET_KEY"] == "from-env"  # environment over file
    assert app.config["XS_LOGIN_MAX_FAILURES"] == 4  # overrides over environment
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/xieshang.db"


def test_environment_values_are_read_as_json_when_they_are_json():
    config = {}
    apply_environment(config, {"XS_PLUGINS": '["national", "qingxi"]', "XS_NAME": "罗马",
                               "DATABASE_URL": "postgres://u@h/db"})
    assert config["XS_PLUGINS"] == ["national", "qingxi"]
    assert config["XS_NAME"] == "罗马"
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgres://u@h/db"


def test_postgres_urls_use_psycopg_3():
    assert _normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert _normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert _normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_comma_separated_plugin_list_from_the_environment(make_app):
    app = make_app({"XS_PLUGINS": "national, absent"})
    assert app.config["XS_PLUGINS"] == ["national", "absent"]


def test_security_headers_on_every_response(client):
    for url in ["/", "/auth/login", "/no-such-page", "/static/xs.css"]:
        headers = client.get(url).headers
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"


def test_pages_use_no_inline_script_or_style_and_no_remote_assets(client, demo, auth):
    auth.login("admin")
    for url in ["/", "/j/441900121201", "/admin/", "/admin/users/", "/admin/plugins",
                "/admin/jurisdictions/?code=441900121201", "/admin/audit"]:
        page = client.get(url).get_data(as_text=True)
        assert "<script" not in page and "style=" not in page, url
        assert "http://" not in page and "https://" not in page, url


def test_method_not_allowed_and_too_large_get_friendly_pages(make_app):
    app = make_app({"MAX_CONTENT_LENGTH": 100})
    client = app.test_client()
    response = client.get("/auth/logout")
    assert response.status_code == 405 and "不接受" in response.get_data(as_text=True)
    response = client.post("/auth/login", data={"x": "y" * 1000})
    assert response.status_code == 413 and "超过" in response.get_data(as_text=True)


def test_pages_render_on_a_phone_width(client):
    page = client.get("/").get_data(as_text=True)
    assert 'name="viewport"' in page


def test_the_icon_is_a_file_that_leaves_the_session_alone(client):
    client.get("/lang/en?next=/")
    client.get("/")  # the visitor's session settles
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "Set-Cookie" not in response.headers
    assert 'rel="icon"' in client.get("/").get_data(as_text=True)


def test_a_visitors_session_is_written_once_not_on_every_request(client):
    client.get("/lang/en?next=/")
    client.get("/")  # the session settles
    for path in ("/nothing-here", "/", "/auth/login"):
        response = client.get(path)
        cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
        if path != "/auth/login":  # the login form adds its CSRF token, once
            assert cookies == [], path
    assert client.get("/auth/login").headers.get("Set-Cookie") is None
