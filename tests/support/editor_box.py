"""What a person sees of the companion plugin's "wp-seo-bridge" box and "SEO bridge" column, read from the
page in the browser (tests/support/browser.py), and the README's screenshots of them.

The screenshots are taken only when ``WP_SEO_BRIDGE_SCREENSHOTS`` names a folder, e.g.::

    WP_SEO_BRIDGE_SCREENSHOTS=docs/screenshots .venv/bin/python -m pytest tests/test_editor_browser.py
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.support.browser import Browser, wait_for

BOX = "#wp-seo-bridge"

_READ_BOX_JS = """
var box = document.querySelector(arguments[0]);
if (!box) return null;
var inner = box.querySelector('.wp-seo-bridge-box');
function text(css) { var e = box.querySelector(css); return e ? e.innerText.trim() : null; }
function light(cell) {
  var l = cell && cell.querySelector('.wp-seo-bridge-light');
  if (!l) return null;
  var m = /wp-seo-bridge-light-(\\w+)/.exec(l.className);
  return m ? m[1] : '';
}
function row(css) {
  var r = box.querySelector(css);
  return r ? [1, 2].map(function (i) { return light(r.cells[i]); }) : null;
}
var words = box.querySelector('.wp-seo-bridge-words');
var checked = box.querySelector('input[name="wp_seo_bridge_request"]:checked');
return {
  visible: box.offsetParent !== null && box.getBoundingClientRect().height > 0,
  // Nothing of the box is cut off by the editor's sidebar (280 px wide in the block editor).
  fits: box.scrollWidth <= box.clientWidth,
  title: text('.hndle, h2'),
  state: inner ? inner.getAttribute('data-state') : null,
  stateText: text('.wp-seo-bridge-state strong'),
  when: text('.wp-seo-bridge-when'),
  model: text('.wp-seo-bridge-model'),
  seo: row('.wp-seo-bridge-seo'),
  readability: row('.wp-seo-bridge-readability'),
  words: words ? [words.cells[1].innerText.trim(), words.cells[2].innerText.trim()] : null,
  reasons: Array.prototype.map.call(box.querySelectorAll('.wp-seo-bridge-reasons li'), function (li) { return li.innerText.trim(); }),
  compare: (box.querySelector('a.wp-seo-bridge-compare') || {}).href || null,
  choices: Array.prototype.map.call(box.querySelectorAll('input[name="wp_seo_bridge_request"]'), function (i) { return i.value; }),
  checked: checked ? checked.value : null,
  text: box.innerText
};
"""


def read_box(browser: Browser) -> dict | None:
    """The box on the current edit screen as a person sees it, or None when the page has no box."""
    return browser.driver.execute_script(_READ_BOX_JS, BOX)


def wait_for_box(browser: Browser) -> dict:
    """The box, once the editor has put it on screen (the block editor moves meta boxes into its sidebar)."""
    wait_for(
        browser.driver,
        "var b = document.querySelector(arguments[0]); return !!b && b.offsetParent !== null",
        10, "the wp-seo-bridge box to be on screen", BOX,
    )
    return read_box(browser)


def choose(browser: Browser, value: str) -> None:
    """Click the control's radio button ``value`` ("", "rewrite", "skip" or "again")."""
    css = f'{BOX} input[name="wp_seo_bridge_request"][value="{value}"]'
    browser.click(css)
    assert browser.driver.execute_script("return document.querySelector(arguments[0]).checked", css), (
        f"the radio button {value!r} of the box did not get selected"
    )


_READ_COLUMN_JS = """
var out = {header: !!document.querySelector('th#wp_seo_bridge, th.column-wp_seo_bridge'), rows: {}};
document.querySelectorAll('#the-list tr[id^="post-"]').forEach(function (tr) {
  var cell = tr.querySelector('td.column-wp_seo_bridge');
  var state = cell && cell.querySelector('.wp-seo-bridge-column');
  out.rows[tr.id.slice(5)] = {
    title: (tr.querySelector('.row-title') || tr.querySelector('strong') || {}).innerText || '',
    cell: cell ? cell.innerText.trim() : null,
    state: state ? state.getAttribute('data-state') : null,
    html: cell ? cell.innerHTML : null
  };
});
return out;
"""


def read_column(browser: Browser) -> dict:
    """The posts list on screen: whether it has the "SEO bridge" column, and each row's cell, by post ID."""
    data = browser.driver.execute_script(_READ_COLUMN_JS)
    data["rows"] = {int(k): v for k, v in data["rows"].items()}
    return data


def screenshot_for_readme(browser: Browser, name: str, css: str) -> Path | None:
    """Save the element ``css`` as ``<WP_SEO_BRIDGE_SCREENSHOTS>/<name>`` when that folder is asked for.

    The window is made taller for the shot, so that a long box is not cut by the editor's sidebar."""
    folder = os.environ.get("WP_SEO_BRIDGE_SCREENSHOTS", "").strip()
    if not folder:
        return None
    size = browser.driver.get_window_size()
    browser.driver.set_window_size(size["width"], 2000)
    try:
        return browser.screenshot(Path(folder) / name, css)
    finally:
        browser.driver.set_window_size(size["width"], size["height"])
