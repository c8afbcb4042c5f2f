"""Pytest fixtures for the browser tests (imported by tests/conftest.py).

- ``browser``: one headless Chromium for the whole session (started by the first test asking for it,
  stopped at the end; the session fails if one of its processes is still alive then). Skipped when
  Chromium, chromedriver or selenium is missing, except under CI=true where that is a failure.
- ``page``: that browser for one test; when the test fails, a screenshot of the page goes to
  ``<pytest's temporary folder>/browser-failures/<test>.png`` and its path is printed with the failure.
- ``browser_users``: an editor, an author and a contributor of the test site whose passwords are known (the
  site's own users have application passwords only, which ``wp-login.php`` refuses), the same users
  as tests/support/wp_admin.py's.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Iterator

import pytest

from tests.support.browser import Browser, BrowserUnavailable


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    try:
        started = Browser()
    except BrowserUnavailable as exc:
        if _in_ci():
            pytest.fail(f"CI=true, so this is a failure, not a skip. {exc}", pytrace=False)
        pytest.skip(str(exc))
    try:
        yield started
    finally:
        started.quit()
    left = started.alive_pids()
    if left:
        pytest.fail(f"Chromium processes still running after the browser was closed: {left}", pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so a fixture's teardown knows whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"_report_{report.when}", report)


@pytest.fixture
def page(browser, request, tmp_path_factory) -> Iterator[Browser]:
    yield browser
    report = getattr(request.node, "_report_call", None)
    if report is None or not report.failed or browser.driver is None:
        return
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)[:120]
    path = tmp_path_factory.getbasetemp() / "browser-failures" / f"{name}.png"
    try:
        browser.screenshot(path)
        print(f"\nScreenshot of the browser when {request.node.name} failed: {path} (page {browser.driver.current_url})")
    except Exception as exc:  # the browser itself may be what broke
        print(f"\nNo screenshot of the browser after {request.node.name} failed: {exc}")


@dataclass(frozen=True)
class BrowserUser:
    login: str
    password: str
    id: int
    role: str


@dataclass(frozen=True)
class BrowserUsers:
    editor: BrowserUser
    author: BrowserUser
    contributor: BrowserUser


@pytest.fixture(scope="session")
def browser_users(wordpress) -> BrowserUsers:
    from tests.support.wp_admin import user_with_password

    made = {}
    for role in ("editor", "author", "contributor"):
        user_id, login, password = user_with_password(wordpress, role)
        made[role] = BrowserUser(login, password, user_id, role)
    return BrowserUsers(**made)
