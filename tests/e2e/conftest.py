"""A live server on a file SQLite database with the demo city, and Debian's Chromium driven by Playwright.

Chromium is never downloaded: the tests use /usr/bin/chromium and are skipped when it is missing, unless
E2E_REQUIRED=1 (as in CI), where a missing browser fails the run. Screenshots go to $SCREENSHOT_DIR (a temporary
folder when unset; never the repository).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.conftest import screenshot_dir

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = screenshot_dir()
TABLET_SIZES = {"landscape": {"width": 1024, "height": 768}, "portrait": {"width": 768, "height": 1024}}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def pytest_collection_modifyitems(config, items):
    # The live server's threads see the browser drop connections mid-response (a navigation cancels a
    # stylesheet request); Werkzeug then leaves the static file to the garbage collector. That is the dev
    # server's business, not the app's, and must not fail a browser test.
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))
            item.add_marker(pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"))
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("E2E_REQUIRED") == "1":
        raise pytest.UsageError(f"E2E_REQUIRED=1 but {CHROMIUM} is missing (apt-get install chromium)")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed")
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from supermarket import create_app
    from supermarket.demo import load_demo

    db_path = tmp_path_factory.mktemp("e2e") / "e2e.db"
    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=f"sqlite:///{db_path}",
                     WTF_CSRF_ENABLED=True, TESTING=False)
    with app.app_context():
        upgrade(directory=str(Path(app.root_path).parent / "migrations"))
        load_demo()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app}
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(TABLET_SIZES), ids=list(TABLET_SIZES))
def page(request, browser):
    """A fresh browser context at tablet size, in landscape and in portrait."""
    context = browser.new_context(viewport=TABLET_SIZES[request.param], locale="zh-CN", has_touch=True)
    page = context.new_page()
    page.orientation = request.param
    page.set_default_timeout(10000)
    # Whatever the Content-Security-Policy blocked (an inline style or script left in a template) fails the test.
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert blocked == [], blocked


def wait_js(page, expression: str, timeout_s: float = 10.0) -> None:
    """Wait until the JavaScript `expression` is true on the page. Playwright's wait_for_function compiles its
    expression inside the page, which the Content-Security-Policy (no 'unsafe-eval') forbids; page.evaluate goes
    through the DevTools protocol, which the policy does not govern."""
    import time

    from playwright.sync_api import Error as PlaywrightError

    def holds() -> bool:
        try:
            return bool(page.evaluate(expression))
        except PlaywrightError as e:  # the page navigated (a reload after an upload): ask the new one
            if "context was destroyed" not in str(e):
                raise
            page.wait_for_load_state("load")
            return False

    deadline = time.monotonic() + timeout_s
    while not holds():
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_s} s: {expression}")
        page.wait_for_timeout(50)


def has_focus(page, element_id: str) -> None:
    """Wait until `element_id` has the keyboard focus (pages move it from script after load); times out when
    it never does."""
    wait_js(page, f"document.activeElement && document.activeElement.id === {element_id!r}")


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{page.orientation}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, base_url: str, username: str, password: str = "changsha2023"):
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")


def till_ready(page) -> None:
    """The till page is there and its scripts have run (the last thing till.js does is focus the scan field): a
    scanner's keystrokes sent before that would land on a page that does not listen yet."""
    page.wait_for_selector("#scan")
    wait_js(page, "document.activeElement !== null && document.activeElement.id === 'scan'")
