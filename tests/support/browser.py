"""A real browser for the tests: headless Chromium from Debian driven by Selenium.

Debian's ``chromium`` and ``chromium-driver`` (``/usr/bin/chromium``, ``/usr/bin/chromedriver``,
installed by ``scripts/install.sh --test``) and ``selenium`` (the ``test`` extra). Selenium Manager
is kept offline: nothing is ever downloaded. The browser reaches loopback only (every other host
fails at once), so a page asking for a CDN font does not wait on the network.

:class:`Browser` starts one Chromium with a throw-away profile and, on :meth:`Browser.quit`, stops
it and kills whatever it started that is still alive (only its own processes, found under the
chromedriver's process id). :meth:`Browser.login` logs a user in through ``wp-login.php`` once and
keeps that user's cookies, so switching back to them later costs no form. :class:`BlockEditor`
opens a post in the block editor and waits for its store, saves it and waits for the save (and the
meta boxes' save) to finish.

Also used by ``scripts/check_block_editor.py``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
INSTALL_HINT = "run `sudo bash scripts/install.sh --test` (Debian packages chromium and chromium-driver, and selenium)"

PAGE_LOAD_TIMEOUT = 60.0  # s: one page (the block editor's first load is the slowest)
EDITOR_READY_TIMEOUT = 30.0  # s: until the block editor's store holds the post
SAVE_TIMEOUT = 30.0  # s: until a save (REST request + meta boxes' form) is over
LOGIN_TIMEOUT = 30.0  # s

# Selenium Manager must never go online (we give it the driver and the browser anyway).
os.environ.setdefault("SE_OFFLINE", "true")
os.environ.setdefault("SE_AVOID_STATS", "true")


class BrowserUnavailable(Exception):
    """Chromium, chromedriver or selenium is not installed, or Chromium did not start."""


def missing() -> list[str]:
    """What the browser tests need and is not there (empty when everything is)."""
    found = []
    if not os.access(CHROMIUM, os.X_OK):
        found.append(f"{CHROMIUM} (Debian package chromium)")
    if not os.access(CHROMEDRIVER, os.X_OK):
        found.append(f"{CHROMEDRIVER} (Debian package chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        found.append("the Python package selenium (test extra)")
    return found


def _descendants(pid: int) -> list[int]:
    """PIDs of the processes below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(driver, script: str, timeout: float, what: str, *args: Any, interval: float = 0.1):
    """Run ``script`` until it returns something truthy; return that. TimeoutError names ``what``."""
    from selenium.common.exceptions import WebDriverException

    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            value = driver.execute_script(script, *args)
            if value:
                return value
        except WebDriverException as exc:  # page still loading, wp not defined yet...
            last_error = exc
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"timed out after {timeout:g} s waiting for {what} (page {driver.current_url})"
                + (f"; last error: {last_error.msg}" if last_error is not None else "")
            )
        time.sleep(interval)


class Browser:
    """Headless Chromium through the system chromedriver; quits and reaps its own processes."""

    def __init__(self, *, window: tuple[int, int] = (1400, 1000), console_log: bool = False) -> None:
        """``console_log``: keep the page's console messages for ``driver.get_log("browser")``."""
        absent = missing()
        if absent:
            raise BrowserUnavailable(f"Missing for the browser tests: {', '.join(absent)}; {INSTALL_HINT}.")
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="wpsb-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in (
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", f"--user-data-dir={self.profile}",
            f"--window-size={window[0]},{window[1]}", "--no-proxy-server", "--disable-extensions",
            "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=en-US",
            # No internet here: fail every other host at once instead of waiting on it.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        ):
            options.add_argument(arg)
        options.page_load_strategy = "eager"
        if console_log:
            options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.service = Service(CHROMEDRIVER)
        self.driver = None
        self._pids: set[int] = set()
        self._cookies: dict[tuple[str, str], list[dict]] = {}
        self.user: str | None = None
        #: The site ``user`` is logged in to (two sites may each have a user of that name).
        self.site_url: str | None = None
        try:
            self.driver = webdriver.Chrome(service=self.service, options=options)
        except WebDriverException as exc:
            self.quit()
            raise BrowserUnavailable(f"Chromium did not start: {exc.msg}") from None
        except BaseException:
            self.quit()
            raise
        self.driver.set_page_load_timeout(PAGE_LOAD_TIMEOUT)
        self.driver.set_script_timeout(30)
        self._remember_pids()

    # -- processes ----------------------------------------------------------- #

    def _remember_pids(self) -> None:
        process = getattr(self.service, "process", None)
        if process is not None:
            self._pids.add(process.pid)
            self._pids.update(_descendants(process.pid))

    def alive_pids(self) -> list[int]:
        """Processes this browser started that are still running (empty after :meth:`quit`)."""
        with contextlib.suppress(Exception):
            self._remember_pids()
        return sorted(p for p in self._pids if _alive(p))

    def quit(self) -> None:
        """Close Chromium and chromedriver; kill what is left of them; delete the profile. Idempotent."""
        with contextlib.suppress(Exception):
            self._remember_pids()
        if self.driver is not None:
            with contextlib.suppress(Exception):
                self.driver.quit()
            self.driver = None
        with contextlib.suppress(Exception):
            self.service.stop()
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in self._pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in self._pids:  # only the processes this browser started
            if _alive(pid):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.profile, ignore_errors=True)

    # -- pages ---------------------------------------------------------------- #

    def get(self, url: str) -> None:
        """Load ``url`` and wait until its DOM is parsed (the page load strategy is "eager")."""
        self.driver.get(url)
        wait_for(self.driver, "return document.readyState !== 'loading'", PAGE_LOAD_TIMEOUT, f"{url} to load")

    def click(self, css: str) -> None:
        """Click the first element matching ``css``, scrolled to the middle of the window first."""
        from selenium.webdriver.common.by import By

        element = self.driver.find_element(By.CSS_SELECTOR, css)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def text(self, css: str) -> str:
        """The visible text of the first element matching ``css`` ("" when there is none)."""
        return self.driver.execute_script(
            "var e = document.querySelector(arguments[0]); return e ? e.innerText : ''", css
        )

    def screenshot(self, path: Path, css: str | None = None) -> Path:
        """A PNG of the window, or of the element matching ``css`` only (scrolled into view first)."""
        from selenium.webdriver.common.by import By

        path.parent.mkdir(parents=True, exist_ok=True)
        if css is None:
            self.driver.save_screenshot(os.fspath(path))
        else:
            element = self.driver.find_element(By.CSS_SELECTOR, css)
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
            time.sleep(0.2)  # let the editor's scroll containers settle
            element.screenshot(os.fspath(path))
        return path

    # -- users ---------------------------------------------------------------- #

    def login(self, site, user: str, password: str) -> None:
        """Be ``user`` on ``site``: the first time through the ``wp-login.php`` form, then with the cookies
        WordPress gave that user (no page load). RuntimeError with WordPress's own message on failure."""
        if (self.site_url, self.user) == (site.url, user):
            return
        self.driver.delete_all_cookies()
        cookies = self._cookies.get((site.url, user))
        if cookies:
            if not self.driver.current_url.startswith(site.url):
                self.get(f"{site.url}/wp-login.php")  # cookies can be set only on the site's own pages
                self.driver.delete_all_cookies()
            for cookie in cookies:
                self.driver.add_cookie(cookie)
            self.site_url, self.user = site.url, user
            return
        # Land on the posts list, not the dashboard (slower, and nothing the tests look at).
        self.get(f"{site.url}/wp-login.php?redirect_to={quote(site.url + '/wp-admin/edit.php', safe='')}")
        self.driver.execute_script(
            "document.getElementById('user_login').value = arguments[0];"
            "document.getElementById('user_pass').value = arguments[1];"
            "document.getElementById('wp-submit').click();",
            user, password,
        )
        wait_for(
            self.driver,
            "return document.readyState !== 'loading' && (location.pathname.indexOf('/wp-admin') === 0"
            " || location.search.indexOf('confirm_admin_email') !== -1 || !!document.getElementById('login_error'))",
            LOGIN_TIMEOUT, f"the dashboard after logging in as {user}",
        )
        error = self.text("#login_error")
        if error:
            raise RuntimeError(f"logging in as {user} failed: {error.strip()}")
        self._cookies[(site.url, user)] = [
            {k: v for k, v in c.items() if k in ("name", "value", "path", "secure", "httpOnly")}
            for c in self.driver.get_cookies()
        ]
        self.site_url, self.user = site.url, user


_EDITOR_READY_JS = """
try {
  return wp.data.select('core/editor').getCurrentPostId() === arguments[0]
    && document.querySelector('.edit-post-layout') !== null;
} catch (e) { return false; }
"""

_NEW_POST_READY_JS = """
try {
  var editor = wp.data.select('core/editor');
  return document.querySelector('.edit-post-layout') !== null && editor.isEditedPostNew()
    && editor.getCurrentPostId();
} catch (e) { return false; }
"""

_DISMISS_GUIDE_JS = """
try {
  var ep = wp.data.select('core/edit-post');
  if (ep && ep.isFeatureActive && ep.isFeatureActive('welcomeGuide')) {
    wp.data.dispatch('core/edit-post').toggleFeature('welcomeGuide');
  }
} catch (e) {}
"""

# Watches the stores from before the click: a save (REST request, then the meta boxes' form) can be
# over before a poll would have seen it start.
_WATCH_SAVE_JS = """
var editor = wp.data.select('core/editor'), post = wp.data.select('core/edit-post');
var started = false;
window.__wpsbSave = null;
var stop = wp.data.subscribe(function () {
  var busy = editor.isSavingPost() || editor.isAutosavingPost() || (post.isSavingMetaBoxes && post.isSavingMetaBoxes());
  if (busy) { started = true; return; }
  if (!started) return;
  window.__wpsbSave = editor.didPostSaveRequestFail() ? 'failed' : 'saved';
  stop();
});
"""


class BlockEditor:
    """The block editor (``post.php?post=ID&action=edit``) of one post, in a :class:`Browser`."""

    def __init__(self, browser: Browser, site, post_id: int) -> None:
        self.browser, self.site, self.post_id = browser, site, post_id

    def open(self) -> "BlockEditor":
        """Load the editor and wait until its store holds this post (RuntimeError if WordPress refused)."""
        driver = self.browser.driver
        self.browser.get(f"{self.site.url}/wp-admin/post.php?post={self.post_id}&action=edit")
        refusal = driver.execute_script(
            "return document.body && document.body.id === 'error-page' ? document.body.innerText : ''"
        )
        if refusal:
            raise RuntimeError(f"WordPress did not open post {self.post_id} for {self.browser.user}: {refusal.strip()}")
        wait_for(driver, _EDITOR_READY_JS, EDITOR_READY_TIMEOUT, f"the block editor to hold post {self.post_id}", self.post_id)
        driver.execute_script(_DISMISS_GUIDE_JS)
        return self

    @classmethod
    def new(cls, browser: Browser, site) -> "BlockEditor":
        """A new post: load ``post-new.php`` and wait until the editor holds the auto-draft WordPress made."""
        browser.get(f"{site.url}/wp-admin/post-new.php")
        post_id = wait_for(browser.driver, _NEW_POST_READY_JS, EDITOR_READY_TIMEOUT, "the block editor of a new post")
        browser.driver.execute_script(_DISMISS_GUIDE_JS)
        return cls(browser, site, int(post_id))

    def edit(self, *, content_html: str | None = None, **attributes: Any) -> None:
        """Change the post in the editor's own stores, as the editor's controls do: ``content_html`` (block
        markup) replaces the blocks, ``attributes`` go to ``core/editor``'s ``editPost`` (e.g. ``title``,
        ``categories``). Nothing is saved."""
        self.browser.driver.execute_script(
            "if (arguments[0] !== null) {"
            "  wp.data.dispatch('core/block-editor').resetBlocks(wp.blocks.parse(arguments[0]));"
            "}"
            "wp.data.dispatch('core/editor').editPost(arguments[1]);",
            content_html, attributes,
        )

    def edited(self, attribute: str) -> Any:
        """An attribute of the post as the editor holds it (edits included), ``content`` as it would be saved."""
        return self.browser.driver.execute_script(
            "return wp.data.select('core/editor').getEditedPostAttribute(arguments[0])", attribute
        )

    def title(self) -> str:
        """The title as the editor holds it (edits included)."""
        return self.browser.driver.execute_script(
            "return wp.data.select('core/editor').getEditedPostAttribute('title')"
        )

    def type_title(self, text: str) -> None:
        """Type ``text`` at the end of the title field, with the keyboard."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys

        driver = self.browser.driver
        css = ".editor-post-title__input"
        frames = driver.find_elements(By.CSS_SELECTOR, "iframe[name='editor-canvas']")
        if not driver.find_elements(By.CSS_SELECTOR, css) and frames:
            driver.switch_to.frame(frames[0])  # the editor's canvas is an iframe with some themes
        try:
            field = driver.find_element(By.CSS_SELECTOR, css)
            field.click()
            field.send_keys(Keys.END, text)
        finally:
            driver.switch_to.default_content()

    def save_draft(self) -> None:
        """Click "Save draft" (as a person would) and wait until the post and its meta boxes are saved."""
        from selenium.webdriver.common.by import By

        driver = self.browser.driver
        buttons = driver.find_elements(By.CSS_SELECTOR, "button.editor-post-save-draft")
        if not buttons:
            raise RuntimeError(f'no "Save draft" button in the editor of post {self.post_id}')
        driver.execute_script(_WATCH_SAVE_JS)
        buttons[0].click()
        outcome = wait_for(driver, "return window.__wpsbSave", SAVE_TIMEOUT, f"the save of post {self.post_id}")
        if outcome != "saved":
            notices = driver.execute_script(
                "return wp.data.select('core/notices').getNotices().map(function (n) { return n.content; }).join('; ')"
            )
            raise RuntimeError(f"saving post {self.post_id} in the block editor failed: {notices or 'no notice'}")

    def close(self) -> None:
        """Leave the editor the way a person does (the editor releases its post lock on the way out)."""
        self.browser.get(f"{self.site.url}/wp-admin/edit.php")
