"""Browser end-to-end tests: Debian's Chromium, driven by Playwright, against a live server.

The app runs in a thread (werkzeug) on a free 127.0.0.1 port with a database of
its own (the browser cannot see a test's uncommitted transaction), CSRF
protection on, jobs inline and a real local SMTP server. One browser serves all
the browser tests (package scope: Playwright's event loop must be gone before
the tests after them run); each user of a test gets a fresh browser context. Every page a
test visits is watched for JavaScript errors, console errors and
Content-Security-Policy violations, and every step's screenshot is kept under
``test-artifacts/e2e/`` (or ``QUANTRAC_E2E_ARTIFACTS``).

Without Chromium (``apt-get install chromium``) or the playwright package the
tests skip — and fail in CI (``QUANTRAC_REQUIRE_SERVICES=1``). A browser is
never downloaded: ``QUANTRAC_CHROMIUM`` names the executable, /usr/bin/chromium
by default.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from app import ROOT, create_app
from app.audit.actor import acting_as
from app.auth.services import create_user
from app.db import commit
from app.extensions import db
from tests.conftest import PASSWORD, app_config, own_database_at, require_service
from tests.notices.test_delivery_helpers import Handler, smtp_server

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
ROLES = ("admin", "inspector", "leader", "enterprise")
ENTERPRISE_NAME = "Công ty TNHH Thủy sản Mê Kông E2E"
ENTERPRISE_TAX_CODE = "1800000001"

# Reported to the test when a page breaks its Content-Security-Policy (the listener
# is injected by the browser driver, which the page's policy does not govern).
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.qtReportViolation(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
    " at " + e.documentURI + ":" + e.lineNumber);
});
"""


# What this run's browser tests looked at, for the summary line.
CHECKED = {"pages": 0, "screenshots": 0}


def chromium_path() -> str:
    """The Chromium executable of the machine (never a downloaded one)."""
    return os.environ.get("QUANTRAC_CHROMIUM", "/usr/bin/chromium")


def artifacts_folder() -> Path:
    """Where screenshots and downloads are kept (git-ignored)."""
    return Path(os.environ.get("QUANTRAC_E2E_ARTIFACTS") or Path(ROOT) / "test-artifacts" / "e2e")


@pytest.fixture(scope="package")
def artifacts() -> Path:
    """The folder of this run's screenshots and downloads, emptied at the start."""
    folder = artifacts_folder()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Say where the screenshots are when browser tests ran."""
    folder = artifacts_folder()
    if CHECKED["screenshots"]:
        terminalreporter.write_line(
            f"browser tests: {CHECKED['pages']} pages checked for script errors and policy violations,"
            f" {CHECKED['screenshots']} screenshots in {folder}"
        )


@pytest.fixture(scope="package")
def browser():
    """Debian's Chromium through Playwright, one for the whole session."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_service("the playwright package")
    if not os.access(executable, os.X_OK):
        require_service(f"Chromium at {executable} (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class LiveServer:
    """The app served on 127.0.0.1, its seeded users' e-mails by role, and the mail it sent."""

    app: Any
    url: str
    mail: Handler
    emails: dict[str, str] = field(default_factory=dict)
    enterprise_id: int = 0


def _seed_users(application) -> tuple[dict[str, str], int]:
    """One user of each role; the enterprise user belongs to the test enterprise."""
    from app.facilities.models import Enterprise

    with application.app_context(), acting_as("test"):
        enterprise = Enterprise(name=ENTERPRISE_NAME, tax_code=ENTERPRISE_TAX_CODE)
        db.session.add(enterprise)
        db.session.flush()
        emails = {}
        for role in ROLES:
            email = f"{role}@e2e.example.vn"
            create_user(
                email,
                role,
                full_name=f"Người dùng {role}",
                enterprise_id=enterprise.id if role == "enterprise" else None,
                password=PASSWORD,
            )
            emails[role] = email
        commit()
        return emails, enterprise.id


@pytest.fixture(scope="package")
def live(tmp_path_factory) -> Iterator[LiveServer]:
    """The app in a server thread on a database of its own, with a local SMTP server."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    folder = tmp_path_factory.mktemp("e2e")
    with own_database_at(folder) as url:
        config = app_config(url, str(folder / "instance"), WTF_CSRF_ENABLED=True, SERVER_NAME=None)
        application = create_app(config)
        with application.app_context():
            upgrade()
            db.session.remove()
        server = make_server("127.0.0.1", 0, application, threaded=True)
        base = f"http://127.0.0.1:{server.server_port}"
        application.config["PUBLIC_BASE_URL"] = base
        thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
        thread.start()
        try:
            with smtp_server(application) as mail:
                emails, enterprise_id = _seed_users(application)
                yield LiveServer(application, base, mail, emails, enterprise_id)
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
            with application.app_context():
                db.session.remove()
                db.engine.dispose()


class Visit:
    """One user's browser context: its page, what went wrong on the pages seen, a screenshot per step."""

    def __init__(self, browser, live: LiveServer, folder: Path, prefix: str) -> None:
        self.live = live
        self.folder = folder
        self.prefix = prefix
        self.steps = 0
        self.problems: list[str] = []
        self.context = browser.new_context(base_url=live.url, locale="vi-VN", accept_downloads=True)
        self.context.expose_function("qtReportViolation", lambda text: self.problems.append(f"CSP: {text}"))
        self.context.add_init_script(CSP_WATCH)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        self.page.on("dialog", self._dialog)
        self.page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _dialog(self, dialog) -> None:
        """No page of the app opens a dialog: one would be injected script."""
        self.problems.append(f"dialog opened: {dialog.message}")
        dialog.dismiss()

    def _response(self, response) -> None:
        """Every HTML page carries a policy without inline code and refuses framing."""
        if response.request.resource_type != "document" or response.status >= 300:
            return
        CHECKED["pages"] += 1
        headers = response.headers
        if headers.get("content-type", "").startswith("text/html"):
            policy = headers.get("content-security-policy", "")
            if "script-src 'self'" not in policy or "unsafe-inline" in policy:
                self.problems.append(f"weak Content-Security-Policy on {response.url}: {policy!r}")
            if "frame-ancestors 'none'" not in policy:
                self.problems.append(f"framing allowed on {response.url}")

    def _answered(self, response, status: int, what: str) -> None:
        assert response is not None and response.status == status, (what, response and response.status)
        if status >= 400:
            # The refusal the test asked for is not a problem of the page.
            refused = f"Failed to load resource: the server responded with a status of {status}"
            self.problems = [p for p in self.problems if refused not in p]

    def goto(self, path: str, status: int = 200):
        """Open a path of the app; it must answer ``status`` (after any redirect)."""
        response = self.page.goto(path)
        self._answered(response, status, path)
        return response

    def click(self, selector: str, status: int = 200) -> None:
        """Click something that loads a new page, which must answer ``status`` (after any redirect)."""
        with self.page.expect_navigation() as navigation:
            self.page.click(selector)
        self._answered(navigation.value, status, selector)

    def step(self, name: str) -> Path:
        """Keep a screenshot of the page as it is now; no page so far had a problem, this one fits the window."""
        self.page.wait_for_load_state("load")
        self.steps += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        path = self.folder / f"{self.prefix}-{self.steps:02d}-{slug}.png"
        self.page.screenshot(path=str(path), full_page=True)
        CHECKED["screenshots"] += 1
        overflow = self.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            self.problems.append(f"{self.page.url} is {overflow}px wider than the window")
        assert self.problems == [], self.problems
        return path

    def flash(self) -> str:
        """The messages shown at the top of the page."""
        flashes = self.page.locator(".flashes")
        return flashes.inner_text() if flashes.count() else ""

    def log_in(self, role: str) -> None:
        """Log in through the form as the seeded user of ``role``."""
        self.goto("/login")
        self.page.fill("#email", self.live.emails[role])
        self.page.fill("#password", PASSWORD)
        self.click("button[type=submit].primary")

    def download(self, selector: str, name: str) -> Path:
        """Click a link that downloads a file; keep the file with the artifacts."""
        with self.page.expect_download() as info:
            self.page.click(selector)
        path = self.folder / f"{self.prefix}-{name}"
        info.value.save_as(str(path))
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, live, artifacts, request) -> Iterator[Any]:
    """Open browser contexts for the test: ``visit("inspector")`` is the inspector, logged in."""
    opened: list[Visit] = []
    test = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")

    def open_as(role: str | None = None) -> Visit:
        prefix = f"{test}-{len(opened) + 1}-{role or 'anonymous'}"
        session = Visit(browser, live, artifacts, prefix)
        opened.append(session)
        if role:
            session.log_in(role)
        return session

    try:
        yield open_as
    finally:
        for session in opened:
            session.close()
    # Pages opened after a test's last step are held to the same checks.
    assert [p for session in opened for p in session.problems] == []
