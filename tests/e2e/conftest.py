"""Browser tests: the app served on 127.0.0.1, driven by Debian's Chromium through Playwright.

A failing test leaves a screenshot of the page in ``tests/e2e/artifacts/``.
"""

import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
ARTIFACTS = Path(__file__).parent / "artifacts"


@contextmanager
def _serving(app):
    """``app`` served over real HTTP on a free loopback port, in a thread, while open."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def live_server(app, demo):
    """The test app served over real HTTP on a free loopback port."""
    with _serving(app) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


ALL_PLUGINS = ["national", "qingxi", "tianjin", "dongguan", "anhui", "legal_service",
               "message_gateway"]


@pytest.fixture
def world_server(make_app):
    """The demo deployment with every plugin, served over real HTTP on a loopback port."""
    from core import demo

    app = make_app({"XS_PLUGINS": ALL_PLUGINS})
    with app.app_context():
        demo.load(with_topics=False)
        with _serving(app) as url:
            yield url
