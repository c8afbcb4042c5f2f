"""What the demo prints, step by step. Titles come from drafts: they go through
:func:`~wp_seo_bridge.safe_text.text_for_terminal` like everywhere else."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table

from ..output import LIGHT, print_check
from ..safe_text import text_for_terminal as shown
from .settings import next_step as next_step_lines
from .settings import try_commands

if TYPE_CHECKING:
    from rich.console import Console

    from ..analysis import Analysis
    from ..doctor import CheckResult
    from ..local_wordpress import LocalSite
    from ..sync.results import PostResult
    from .settings import DemoSite

#: The line the demo prints once everything is shown and it waits (the tests wait for it too).
WAITING = "The demo site stays up until you press Ctrl-C (or send SIGTERM); then everything is removed."
WAITING_KEPT = "The demo site stays up until you press Ctrl-C (or send SIGTERM); its folder is kept."


def intro(console: Console, model: str | None, keep: Path | None) -> None:
    console.print("[bold]wp-seo-bridge demo[/]: a private WordPress on this machine (127.0.0.1 only), with sample "
                  "drafts, processed by the bridge as `sync` processes a real site. Nothing else on the machine "
                  "is changed.", highlight=False)
    if keep is not None:
        console.print(f"The site is kept in {shown(str(keep))}: run the same command again to start it again.",
                      highlight=False)
    console.print(f"Model: {shown(model)}" if model else
                  "Model: none configured; the demo shows everything that needs no model, then what to set.",
                  highlight=False)


def step(console: Console, text: str) -> None:
    console.print()
    console.print(f"[bold cyan]==> {text}[/]", highlight=False)


def site_ready(console: Console, url: str, folder: Path, seconds: float, *, restarted: bool) -> None:
    step(console, "WordPress")
    what = "started again" if restarted else "ready"
    console.print(f"WordPress {what} at {url} in {seconds:.1f} s (its own MariaDB and PHP server, in "
                  f"{shown(str(folder))})", highlight=False)


def prepared(console: Console, companion_version: str, editor: str, *, new_samples: bool) -> None:
    console.print(f"Companion plugin {companion_version} installed (a must-use plugin); the bridge works as user "
                  f"{shown(editor)} (Editor) with an application password.", highlight=False)
    if new_samples:
        console.print("Sample drafts written for the demo loaded: a short French news piece to expand, a "
                      "block-editor draft with an image, an embed and a gallery, and an English draft.",
                      highlight=False)
    console.print("No SEO plugin is installed on the demo site: the bridge writes Yoast SEO's fields (SEO title, "
                  "meta description, focus keyphrase), which the companion plugin registers.", highlight=False)


def drafts(console: Console, titles: dict[int, str], lights: dict[int, Analysis], *, title: str) -> None:
    table = Table("ID", "Title", "Words", "SEO", "Readability", title=title, title_justify="left")
    for post_id, analysis in lights.items():
        table.add_row(str(post_id), shown(titles.get(post_id, "")), str(analysis.words),
                      LIGHT[analysis.seo_rating], LIGHT[analysis.readability_rating])
    console.print(table)


def check(console: Console, result: CheckResult, previous: CheckResult | None) -> None:
    print_check(console, result, previous)


def calls_ahead(console: Console, drafts: int, max_repairs: int, budget: float | None) -> None:
    """What the sync may cost in calls, before it starts: the user's model may be a paid one."""
    limit = f"a budget of {budget:g}" if budget is not None else "no budget (`--max-cost AMOUNT` sets one)"
    console.print(f"{drafts} draft(s): one model call each, and up to {max_repairs} more when the quality gate asks "
                  f"for a repair; {limit}.", highlight=False)


def before_after(console: Console, titles: dict[int, str], before: dict[int, Analysis],
                 after: dict[int, Analysis], outcomes: dict[int, str]) -> None:
    """Each draft's words and lights before and after, with what the bridge did (a draft it did not rewrite
    is as it was)."""
    from ..sync.output import OUTCOME_WORDS

    table = Table("ID", "Title", "Bridge", "Words", "SEO", "Readability", title="Lights before -> after the bridge",
                  title_justify="left")
    for post_id, now in after.items():
        was = before.get(post_id)
        outcome = outcomes.get(post_id, "")
        table.add_row(
            str(post_id), shown(titles.get(post_id, "")), OUTCOME_WORDS.get(outcome, shown(outcome)),
            f"{was.words} -> {now.words}" if was else str(now.words),
            f"{LIGHT[was.seo_rating]} -> {LIGHT[now.seo_rating]}" if was else LIGHT[now.seo_rating],
            f"{LIGHT[was.readability_rating]} -> {LIGHT[now.readability_rating]}" if was
            else LIGHT[now.readability_rating],
        )
    console.print(table)


def unfinished(console: Console, posts: list[PostResult], command: str) -> None:
    """What to make of drafts the sync did not rewrite: never left unexplained after a summary."""
    failed = sum(post.outcome == "failed" for post in posts)
    attention = sum(post.outcome == "needs_attention" for post in posts)
    if failed:
        console.print(f"[bold]{failed} draft(s) failed[/]: the summary says why. It is usually the model: its "
                      f"name (`WP_SEO_BRIDGE_MODEL_NAME`), key or address; `wp-seo-bridge doctor` checks them. "
                      f"Then run `{shown(command)}` again: drafts already rewritten are not sent again.",
                      highlight=False)
    if attention:
        console.print(f"[bold]{attention} draft(s) need attention[/]: the quality gate refused the model's rewrite "
                      "even after the repairs it asked for (the summary says why), so those drafts are unchanged; the "
                      "wp-seo-bridge box in WordPress shows the reasons to the editor. A stronger model usually "
                      "passes.", highlight=False)


def access(console: Console, local: LocalSite, site: DemoSite, config: Path | None, post_ids: list[int], *,
           rewritten: bool) -> None:
    step(console, "See it in WordPress")
    console.print(f"Open {local.url}/wp-admin/edit.php?post_status=draft&post_type=post", highlight=False)
    console.print(f"  user: {shown(local.admin_user)}   password: {shown(local.admin_password)}", highlight=False)
    for post_id in post_ids:
        console.print(f"  post {post_id}: {local.url}/wp-admin/post.php?post={post_id}&action=edit", highlight=False)
    if rewritten:
        console.print("In each post, the wp-seo-bridge box (sidebar) shows the lights and words before and after, "
                      "and links to WordPress's revisions comparing the draft with the rewrite.", highlight=False)
    if config is not None:
        console.print("Other commands work on this site too, in this shell:", highlight=False)
        for line in try_commands(site, config):
            console.print(f"  {shown(line)}", highlight=False)
        console.print("  wp-seo-bridge drafts; wp-seo-bridge analyze ID; wp-seo-bridge restore ID; "
                      "wp-seo-bridge history", highlight=False)


def next_step(console: Console, reason: str, command: str) -> None:
    step(console, f"Next step: the drafts were not rewritten ({shown(reason)})")
    for line in next_step_lines(command):
        console.print(shown(line), highlight=False)


def waiting(console: Console, *, kept: bool) -> None:
    console.print()
    console.print(f"[bold]{WAITING_KEPT if kept else WAITING}[/]", highlight=False)


def stopped(console: Console, *, kept: Path | None) -> None:
    if kept is not None:
        console.print(f"Demo stopped: servers stopped; the site is kept in {shown(str(kept))}.", highlight=False)
    else:
        console.print("Demo stopped: servers stopped and every file removed.", highlight=False)
