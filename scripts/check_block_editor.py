#!/usr/bin/env python3
"""Development check: does the REAL block editor accept the Gutenberg markup we write back?

Run from the repository root::

    .venv/bin/python scripts/check_block_editor.py [--keep-going] [--verbose]

What it does:

1. starts the throw-away local WordPress (``wp_seo_bridge.local_wordpress.start_site``);
2. builds markup: the rendered article of each fixture answer
   (``tests/fixtures/rewrites/article-{1,2}.json`` on ``../shared/seeds/article-{1,2}.txt``),
   a hand-made list of every kind of TextBlock the renderer emits, and the block-markup
   draft ``tests/fixtures/drafts/blocks.html`` read back through ``parse()`` + ``render()``;
3. stores each as a draft post (content verbatim);
4. opens each post in the block editor (``/wp-admin/post.php?post=ID&action=edit``) in
   headless Chromium driven by Selenium, logged in as the admin, and reads from the editor's
   own store every block (recursively), its validity, the validator's issues, the markup the
   editor would have saved (``wp.blocks.getSaveContent``) and the original markup, plus whether
   the page shows "This block contains unexpected or invalid content";
5. prints a report per post.

Every editor block is traced back to the ``render()`` part it came from (a TextBlock rendered by
``_render_block`` or a Placeholder copied verbatim), using the editor's own parser on each part.
Besides invalid blocks, it reports blocks that are valid only because a block deprecation
migrated them (no warning, but the editor rewrites them on save): in WordPress 6.1 the
paragraph block's oldest deprecation accepts almost any markup, so "no warning" alone is weak.

A control post (an image block without <img>: invalid; a paragraph saved as a <div>: migrated)
must be seen as such, or the check is blind.

Exit status: 0 when no block produced by our renderer (TextBlocks) is invalid; 1 when one is
(or when an invalid block cannot be traced back to its part; with ``--strict``, also when one
is valid only through a deprecation); 2 when the check could not run (missing tools, WordPress
or the editor did not start) or is blind (the control post was not reported as it must be).

Needs Debian's ``chromium`` and ``chromium-driver`` and ``selenium`` in the venv, all installed by
``bash scripts/install.sh --test`` (Chromium is also installed with apt-get when missing and running
as root). It drives /usr/bin/chromium through /usr/bin/chromedriver with the tests' browser
(``tests/support/browser.py``); nothing is downloaded.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from wp_seo_bridge.article import ArticleProposal, assemble
from tests.support.browser import CHROMEDRIVER, CHROMIUM, Browser, BrowserUnavailable, wait_for
from wp_seo_bridge.content import Placeholder, TextBlock, parse, render, sanitize_inline

SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = ROOT / "tests" / "fixtures"
INVALID_TEXT = "This block contains unexpected or invalid content"
CONTROL_TITLE = "control: deliberately broken blocks"

EDITOR_READY_TIMEOUT = 30.0  # s: until the editor store holds the post's blocks
RENDER_TIMEOUT = 10.0  # s: until every block of the store is in the DOM


# --------------------------------------------------------------------------- #
# What to check
# --------------------------------------------------------------------------- #


@dataclass
class Part:
    """One ``render()`` part: the markup of one Document block, and where it came from."""

    origin: str  # "ours" (TextBlock via _render_block) or "placeholder" (copied verbatim)
    label: str
    markup: str


@dataclass
class Case:
    title: str
    parts: list[Part]
    markup: str
    post_id: int = 0
    result: dict = field(default_factory=dict)


def _parts(blocks) -> list[Part]:
    parts = []
    for block in blocks:
        if isinstance(block, TextBlock):
            label = block.kind + (f" h{block.level}" if block.kind == "heading" else "")
            label += " (ordered)" if block.kind == "list" and block.ordered else ""
            label += " (with citation)" if block.kind == "quote" and block.citation else ""
            parts.append(Part("ours", label, render([block], "blocks")))
        else:
            assert isinstance(block, Placeholder)
            parts.append(Part("placeholder", f"{block.ref} {block.label}", render([block], "blocks")))
    return parts


def build_cases() -> list[Case]:
    cases: list[Case] = []

    # (a) the rendered articles of the fixture answers
    for n in (1, 2):
        proposal = ArticleProposal.model_validate_json(
            (FIXTURES / "rewrites" / f"article-{n}.json").read_text(encoding="utf-8")
        )
        source = parse((SEEDS / f"article-{n}.txt").read_text(encoding="utf-8"))
        article = assemble(proposal, source)
        markup = article.markup("blocks")
        cases.append(Case(f"check: article-{n} (fixture rewrite)", _parts(article.blocks), markup))

    # (b) every kind of TextBlock the renderer emits
    para = sanitize_inline(
        'Un paragraphe avec <strong>du gras</strong>, de l’<em>italique</em> et '
        '<a href="https://example.org/page?a=1&amp;b=2">un lien</a>.'
    )
    inline_all = sanitize_inline(
        'Tout l’inline : <b>b</b> <i>i</i> <code>code</code> x<sup>2</sup> H<sub>2</sub>O '
        '<abbr title="Organisation du traité de l’Atlantique nord">OTAN</abbr> <mark>marqué</mark> '
        '<s>barré</s> <a href="mailto:redaction@example.org" title="Écrire">écrire</a><br>ligne 2 '
        '« guillemets » &amp; &lt;chevrons&gt; "doubles"'
    )
    hand = [
        TextBlock("heading", "Un intertitre de niveau 2", level=2),
        TextBlock("heading", "Un intertitre de niveau 3", level=3),
        TextBlock("heading", sanitize_inline("Niveau 4 avec <em>emphase</em>"), level=4),
        TextBlock("paragraph", para),
        TextBlock("paragraph", inline_all),
        TextBlock("list", items=("premier point", sanitize_inline("deuxième <strong>point</strong>"), "troisième")),
        TextBlock("list", items=("étape un", sanitize_inline('étape <a href="https://example.org">deux</a>')), ordered=True),
        TextBlock("quote", "Une citation sans source."),
        TextBlock("quote", sanitize_inline("Une citation <em>avec</em> source."), citation="Janet Yellen"),
    ]
    cases.append(Case("check: hand-made TextBlocks", _parts(hand), render(hand, "blocks")))

    # (c) the block-markup draft, read and written back
    document = parse((FIXTURES / "drafts" / "blocks.html").read_text(encoding="utf-8"))
    cases.append(Case("check: drafts/blocks.html round trip", _parts(document.blocks), render(document.blocks, "blocks")))

    # (d) negative controls: the check must see these, or it proves nothing.
    control = [
        Part(
            "control", "image without <img> (must be INVALID)",
            '<!-- wp:image -->\n<figure class="wp-block-image"><span>pas une image</span></figure>\n<!-- /wp:image -->',
        ),
        Part(
            "control", "paragraph saved as a <div> (must be MIGRATED: the paragraph's deprecation accepts it)",
            "<!-- wp:paragraph -->\n<div>Ce paragraphe n’est pas un paragraphe.</div>\n<!-- /wp:paragraph -->",
        ),
        Part("control", "valid paragraph", "<!-- wp:paragraph -->\n<p>Témoin valide.</p>\n<!-- /wp:paragraph -->"),
    ]
    cases.append(Case(CONTROL_TITLE, control, "\n\n".join(p.markup for p in control)))

    for case in cases:
        assert "\n\n".join(p.markup for p in case.parts) == case.markup, case.title
    return cases


# --------------------------------------------------------------------------- #
# Tools
# --------------------------------------------------------------------------- #


def _give_up(message: str) -> NoReturn:
    """The check cannot run: exit 2 (not 1, which means "a block of ours is invalid")."""
    print(message, file=sys.stderr)
    sys.exit(2)


def ensure_chromium() -> None:
    if os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER):
        return
    if os.geteuid() != 0:
        _give_up("chromium/chromium-driver missing: run `sudo apt-get install --no-install-recommends chromium chromium-driver`")
    print("Installing chromium and chromium-driver (apt-get)...", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "--no-install-recommends", "chromium", "chromium-driver"],
            check=True, env=env,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        _give_up(f"could not install chromium and chromium-driver: {exc}")


# --------------------------------------------------------------------------- #
# The editor
# --------------------------------------------------------------------------- #


def login(driver, site) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{site.url}/wp-login.php")
    wait_for(driver, "return !!document.getElementById('user_login')", 20, "the login form")
    user = driver.find_element(By.ID, "user_login")
    user.clear()
    user.send_keys(site.admin_user)
    password = driver.find_element(By.ID, "user_pass")
    password.clear()
    password.send_keys(site.admin_password)
    driver.find_element(By.ID, "wp-submit").click()
    wait_for(
        driver,
        "return document.readyState !== 'loading' && location.pathname.indexOf('/wp-admin') === 0"
        " || !!document.getElementById('login_error')",
        30, "the dashboard after login",
    )
    handle_interstitials(driver, site)
    error = driver.execute_script("var e = document.getElementById('login_error'); return e ? e.innerText : null")
    if error:
        raise RuntimeError(f"login failed: {error.strip()}")
    if "/wp-admin" not in driver.current_url:
        raise RuntimeError(f"login failed: ended on {driver.current_url}")


def handle_interstitials(driver, site) -> None:
    """'Database update required' and the admin e-mail confirmation screen, if they show."""
    url = driver.current_url
    if "upgrade.php" in url:
        print("  wp-admin asked for a database update: running it", flush=True)
        driver.get(f"{site.url}/wp-admin/upgrade.php?step=1")
        wait_for(driver, "return document.readyState !== 'loading'", 60, "the database update")
    if "action=confirm_admin_email" in url:
        with contextlib.suppress(Exception):
            driver.execute_script("var b = document.getElementById('admin-email__later'); if (b) b.click();")


_READY_JS = """
try {
  return !!(window.wp && wp.data && wp.data.select('core/block-editor')
            && wp.data.select('core/block-editor').getBlocks().length > 0);
} catch (e) { return false; }
"""

_DISMISS_GUIDE_JS = """
try {
  var ep = wp.data.select('core/edit-post');
  if (ep && ep.isFeatureActive && ep.isFeatureActive('welcomeGuide')) {
    wp.data.dispatch('core/edit-post').toggleFeature('welcomeGuide');
    return 'dismissed';
  }
  return 'not shown';
} catch (e) { return 'error: ' + e; }
"""

_RENDERED_JS = """
var ids = [];
(function walk(blocks) { blocks.forEach(function (b) { ids.push(b.clientId); walk(b.innerBlocks || []); }); })(
  wp.data.select('core/block-editor').getBlocks());
var docs = [document];
document.querySelectorAll('iframe').forEach(function (f) { try { if (f.contentDocument) docs.push(f.contentDocument); } catch (e) {} });
var missing = ids.filter(function (id) {
  return !docs.some(function (d) { return d.querySelector('[data-block="' + id + '"]'); });
});
return missing.length === 0;
"""

_INSPECT_JS = """
var parts = arguments[0];
var WARNING = arguments[1];
function safe(value, depth) {
  depth = depth || 0;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'function') return '[function]';
  if (value && value.name && value.save && value.edit) return 'block type ' + value.name;  // %o of a block type
  try {
    return JSON.stringify(value, function (k, v) { return typeof v === 'function' ? undefined : v; });
  } catch (e) { return String(value); }
}
function format(args) {
  if (!args || !args.length) return '';
  var fmt = typeof args[0] === 'string' ? args[0] : safe(args[0]);
  var rest = Array.prototype.slice.call(args, 1);
  var out = fmt.replace(/%[sodif]/g, function () { return rest.length ? safe(rest.shift()) : ''; });
  if (rest.length) out += ' ' + rest.map(function (r) { return safe(r); }).join(' ');
  return out;
}
var docs = [document];
document.querySelectorAll('iframe').forEach(function (f) { try { if (f.contentDocument) docs.push(f.contentDocument); } catch (e) {} });
function element(id) {
  for (var i = 0; i < docs.length; i++) {
    var el = docs[i].querySelector('[data-block="' + id + '"]');
    if (el) return el;
  }
  return null;
}
function describe(block, depth) {
  var el = element(block.clientId);
  var text = el ? (el.innerText || '') : '';
  var info = {
    name: block.name,
    clientId: block.clientId,
    depth: depth,
    isValid: block.isValid,
    originalName: block.attributes && block.attributes.originalName || null,
    originalContent: block.originalContent || '',
    rendered: !!el,
    showsWarning: text.indexOf(WARNING) !== -1,
    text: text.slice(0, 200),
    issues: [],
    expected: null,
    migrated: false,
    created: false,
    inner: (block.innerBlocks || []).map(function (b) { return describe(b, depth + 1); })
  };
  // What save() makes of the block's attributes, inner blocks left out, as the validator compares it.
  function expected() {
    try { return wp.blocks.getSaveContent(block.name, block.attributes); }
    catch (e) { return 'getSaveContent failed: ' + e; }
  }
  if (!block.isValid) {
    (block.validationIssues || []).forEach(function (issue) { info.issues.push(format(issue.args)); });
    info.expected = expected();
  } else {
    // Valid as is, or only once a deprecation migrated it (the editor then rewrites it silently)?
    // After a migration the store holds the new attributes with the original markup: they differ.
    // Blocks a migration created (e.g. list items) have no original markup of their own.
    if (block.originalContent === undefined) { info.created = true; return info; }
    try {
      var check = wp.blocks.validateBlock(block, block.name);
      info.migrated = !check[0];
      if (info.migrated) {
        check[1].forEach(function (issue) { info.issues.push(format(issue.args)); });
        info.expected = expected();
      }
    } catch (e) { info.migrated = null; info.issues.push('validateBlock failed: ' + e); }
  }
  return info;
}
var blocks = wp.data.select('core/block-editor').getBlocks();
var allText = docs.map(function (d) { return d.body ? d.body.innerText : ''; }).join('\\n');
// How many top-level blocks the editor's own parser makes of each render() part, and what the
// editor would save for it once loaded (to spot silent migrations).
var counts = [], reserialized = [];
parts.forEach(function (p) {
  try {
    var parsed = wp.blocks.parse(p);
    counts.push(parsed.length);
    reserialized.push(wp.blocks.serialize(parsed));
  } catch (e) { counts.push(-1); reserialized.push(null); }
});
return {
  blocks: blocks.map(function (b) { return describe(b, 0); }),
  pageHasWarning: allText.indexOf(WARNING) !== -1,
  warningCount: allText.split(WARNING).length - 1,
  counts: counts,
  reserialized: reserialized,
  iframes: docs.length - 1
};
"""


def open_in_editor(driver, site, case: Case) -> dict:
    started = time.perf_counter()
    driver.get(f"{site.url}/wp-admin/post.php?post={case.post_id}&action=edit")
    handle_interstitials(driver, site)
    if "upgrade.php" in driver.current_url or "post.php" not in driver.current_url:
        driver.get(f"{site.url}/wp-admin/post.php?post={case.post_id}&action=edit")
    wait_for(driver, _READY_JS, EDITOR_READY_TIMEOUT, "the block editor to hold the post's blocks")
    guide = driver.execute_script(_DISMISS_GUIDE_JS)
    # The store is filled at once; let the block list render every block (warnings included).
    try:
        wait_for(driver, _RENDERED_JS, RENDER_TIMEOUT, "every block to be rendered")
        rendered_all = True
    except TimeoutError:
        rendered_all = False
    time.sleep(0.3)
    result = driver.execute_script(_INSPECT_JS, [p.markup for p in case.parts], INVALID_TEXT)
    result["welcomeGuide"] = guide
    result["renderedAll"] = rendered_all
    result["seconds"] = round(time.perf_counter() - started, 2)
    from selenium.common.exceptions import WebDriverException

    try:
        logs = driver.get_log("browser")
    except WebDriverException:
        logs = []
    result["console"] = [entry.get("message", "") for entry in logs if entry.get("level") in ("SEVERE", "WARNING")]
    return result


# --------------------------------------------------------------------------- #
# Report
# --------------------------------------------------------------------------- #


def _snippet(text: str, width: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _flatten(blocks: list[dict]):
    for block in blocks:
        yield block
        yield from _flatten(block["inner"])


def _norm(markup: str) -> str:
    return re.sub(r">\s+<", "><", " ".join(markup.split()))


_ORIGIN = {
    None: "UNTRACED",
    "ours": "OURS, TextBlock via _render_block",
    "placeholder": "placeholder, copied verbatim",
    "control": "control",
}


@dataclass
class Verdict:
    invalid_ours: int = 0  # our blocks with isValid false (or invalid and untraceable)
    migrated_ours: int = 0  # our blocks valid only through a block deprecation
    blind: bool = False  # the control post was not seen as it must be


def _print_block(block: dict, part: Part | None, width: int = 400) -> None:
    label = f"{_ORIGIN[part.origin if part else None]}{': ' + part.label if part else ''}"
    print(f"  - {block['name']} [{label}] depth {block['depth']}, warning shown on it: {block['showsWarning']}")
    for issue in block["issues"]:
        if not issue.startswith("Block validation failed for"):  # its two HTML strings are printed below
            print(f"      validator: {_snippet(issue, width)}")
    print(f"      original (post body): {_snippet(block['originalContent'], width)}")
    print(f"      expected (save()):    {_snippet(block['expected'] or '', width)}")


def analyse(case: Case, verbose: bool, verdict: Verdict) -> None:
    """Print the report of one post and add its findings to ``verdict``."""
    result = case.result
    blocks = result["blocks"]
    flat = list(_flatten(blocks))
    counts = result["counts"]
    control = case.title == CONTROL_TITLE
    print(f"\n=== {case.title} — post {case.post_id} ({result['seconds']} s in the editor) ===")

    # Trace every editor block to the render() part it came from.
    owner: dict[str, Part] = {}
    traced = -1 not in counts and sum(counts) == len(blocks)
    if traced:
        index = 0
        for part, count in zip(case.parts, counts):
            for block in blocks[index : index + count]:
                for item in _flatten([block]):
                    owner[item["clientId"]] = part
            index += count
    ours = sum(1 for p in case.parts if p.origin == "ours")
    print(
        f"render() parts: {len(case.parts)} ({ours} TextBlocks, {len(case.parts) - ours} other); "
        f"editor blocks: {len(blocks)} top-level, {len(flat)} in all"
        + ("" if traced else f"  [!] cannot trace blocks to parts (parser counts {counts})")
    )
    names: dict[str, int] = {}
    for block in flat:
        names[block["name"]] = names.get(block["name"], 0) + 1
    print("block names: " + ", ".join(f"{name}×{n}" for name, n in sorted(names.items())))
    print(f"welcome guide: {result['welcomeGuide']}")
    if not result["renderedAll"]:
        print("note: not every block was in the DOM after the wait (the warning check may be incomplete)")

    def is_ours(block: dict) -> bool:
        part = owner.get(block["clientId"])
        return part is None or part.origin == "ours"  # untraceable counts as ours

    invalid = [b for b in flat if not b["isValid"]]
    print(f"INVALID blocks (the editor shows {INVALID_TEXT!r}): {len(invalid)}")
    for block in invalid:
        _print_block(block, owner.get(block["clientId"]))
    migrated = [b for b in flat if b["isValid"] and b["migrated"]]
    print(f"valid only after a block deprecation migrated them (no warning; the editor rewrites them on save): {len(migrated)}")
    for block in migrated:
        _print_block(block, owner.get(block["clientId"]), width=300)
        created = [b["name"] for b in _flatten(block["inner"]) if b["created"]]
        if created:
            print(f"      the migration created {len(created)} inner block(s): {', '.join(sorted(set(created)))}")

    missing = [b for b in flat if b["name"] == "core/missing"]
    print(f"missing / unregistered blocks (not an invalid-content error): {len(missing)}")
    for block in missing:
        part = owner.get(block["clientId"])
        print(
            f"  - {block['originalName']} (shown as core/missing{'; from ' + part.label if part else ''}): "
            f"{_snippet(block['text'], 120)}"
        )

    mine = [b for b in flat if (owner.get(b["clientId"]) or Part("", "", "")).origin == "ours"]
    print(
        f"our TextBlocks -> {len(mine)} editor blocks: {sum(1 for b in mine if not b['isValid'])} invalid, "
        f"{sum(1 for b in mine if b['isValid'] and b['migrated'])} migrated"
    )
    print(f"page shows {INVALID_TEXT!r}: {result['pageHasWarning']} (×{result['warningCount']})")

    changed = [
        part.label
        for part, again in zip(case.parts, result["reserialized"])
        if part.origin == "ours" and again is not None and _norm(again) != _norm(part.markup)
    ]
    if changed:
        print(f"our parts this editor would save differently: {len(changed)} ({', '.join(changed)})")

    console = result["console"]
    relevant = console if verbose else [m for m in console if "validation" in m.lower() or "updated block" in m.lower()]
    if relevant:
        print(f"browser console ({len(relevant)} shown of {len(console)} warnings/errors):")
        for message in relevant[:12]:
            print(f"  {_snippet(message, 300)}")
    elif console:
        print(f"browser console: {len(console)} warnings/errors, none about block validation (--verbose lists them)")

    if control:
        saw_invalid = any(not b["isValid"] and b["showsWarning"] for b in flat) and result["pageHasWarning"]
        saw_migrated = bool(migrated)
        verdict.blind = not (saw_invalid and saw_migrated)
        print(
            "verdict: "
            + ("OK — the check sees the invalid block (with the editor's warning) and the migrated one"
               if not verdict.blind else
               f"BLIND — invalid seen: {saw_invalid}, migrated seen: {saw_migrated}")
        )
        return
    bad = [b for b in invalid if is_ours(b)]
    moved = [b for b in migrated if is_ours(b)]
    if result["pageHasWarning"] and not invalid:
        print("  [!] the warning shows although the store has no invalid block")
        bad.append({})
    verdict.invalid_ours += len(bad)
    verdict.migrated_ours += len(moved)
    print(
        "verdict: "
        + (f"FAIL — {len(bad)} block(s) from our renderer are invalid" if bad
           else "OK — no block from our renderer is invalid"
           + (f" ({len(moved)} valid only through a deprecation)" if moved else ""))
    )


# --------------------------------------------------------------------------- #


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print every browser console warning/error")
    parser.add_argument(
        "--strict", action="store_true",
        help="also fail when a block of ours is valid only through a block deprecation (rewritten on save)",
    )
    args = parser.parse_args()
    os.chdir(ROOT)
    t0 = time.perf_counter()

    cases = build_cases()
    ensure_chromium()
    try:
        from selenium.common.exceptions import WebDriverException
    except ImportError:
        _give_up("selenium is missing: run `.venv/bin/pip install selenium`")
    from wp_seo_bridge.local_wordpress import WordPressUnavailable, start_site

    site = browser = None
    try:
        try:
            site = start_site()
        except WordPressUnavailable as exc:
            print(f"cannot start the test WordPress: {exc}", file=sys.stderr)
            return 2
        version = site.php("echo $GLOBALS['wp_version'];").strip()
        print(f"WordPress {version} at {site.url} (started in {site.timings.get('http ready', '?')} s)")

        for case in cases:
            case.post_id = site.create_post(post_title=case.title, post_content=case.markup)
        stored = site.php_json(
            "echo json_encode(array_map(function ($id) { return get_post_field('post_content', $id, 'raw'); }, "
            f"{json.dumps([c.post_id for c in cases])}));"
        )
        for case, content in zip(cases, stored):
            if content != case.markup:
                print(f"[!] {case.title}: post_content was not stored verbatim", file=sys.stderr)

        t_browser = time.perf_counter()
        try:
            browser = Browser(console_log=True)
        except BrowserUnavailable as exc:
            print(f"cannot start Chromium: {exc}", file=sys.stderr)
            return 2
        driver = browser.driver
        caps = driver.capabilities
        print(f"Chromium {caps.get('browserVersion')} / chromedriver "
              f"{caps.get('chrome', {}).get('chromedriverVersion', '?').split(' ')[0]} "
              f"(started in {time.perf_counter() - t_browser:.1f} s)")
        login(driver, site)
        for case in cases:
            case.result = open_in_editor(driver, site, case)

        verdict = Verdict()
        for case in cases:
            analyse(case, args.verbose, verdict)

        print("\n=== summary ===")
        for case in cases:
            flat = list(_flatten(case.result["blocks"]))
            invalid = sum(1 for b in flat if not b["isValid"])
            migrated = sum(1 for b in flat if b["isValid"] and b["migrated"])
            missing = [b["originalName"] for b in flat if b["name"] == "core/missing"]
            print(
                f"{case.title}: {len(flat)} blocks, {invalid} invalid, {migrated} migrated, "
                f"missing: {', '.join(missing) or 'none'}, warning on page: {case.result['pageHasWarning']}"
            )
        failed = verdict.invalid_ours > 0 or (args.strict and verdict.migrated_ours > 0)
        word = "FAIL" if failed else "BLIND (the control was not seen)" if verdict.blind else "OK"
        print(
            f"result: {word} on WordPress {version}: {verdict.invalid_ours} invalid and "
            f"{verdict.migrated_ours} deprecation-migrated block(s) from our renderer; "
            f"total run {time.perf_counter() - t0:.1f} s"
        )
        return 1 if failed else 2 if verdict.blind else 0
    except (TimeoutError, RuntimeError, WebDriverException) as exc:
        print(f"check could not complete: {exc}", file=sys.stderr)
        if site is not None and site.server_log is not None:
            with contextlib.suppress(OSError):
                tail = site.server_log.read_text(errors="replace").splitlines()[-15:]
                print("php -S log tail:\n" + "\n".join(tail), file=sys.stderr)
        return 2
    finally:
        if browser is not None:
            browser.quit()
        if site is not None:
            site.stop()


if __name__ == "__main__":
    sys.exit(main())
