"""What the commands print for a person (``--json`` is :mod:`wp_seo_bridge.report_json`).

Every text that did not come from the bridge itself (titles, keyphrases, headings, reasons,
messages, site and user names) goes through :func:`~wp_seo_bridge.safe_text.text_for_terminal`:
control characters are shown escaped and rich markup literally.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from .safe_text import text_for_terminal as shown

if TYPE_CHECKING:
    from .analysis import Analysis
    from .bridge import RewriteReport
    from .doctor import CheckResult
    from .wordpress.models import Post

LIGHT = {"good": "[green]●[/] good", "ok": "[yellow]●[/] ok", "bad": "[red]●[/] bad"}
_STATUS_STYLE = {"ok": "green", "warn": "yellow", "fail": "bold red", "skipped": "dim"}


def print_error(console: Console, message: str, hint: str = "") -> None:
    console.print(f"[bold red]Error:[/] {shown(message, multiline=True)}", highlight=False)
    if hint:
        console.print(f"[bold]Fix:[/] {shown(hint, multiline=True)}", highlight=False)


def print_check(console: Console, result: CheckResult, previous: CheckResult | None = None) -> None:
    """One ``doctor`` check on its line, with its fix when it failed or warns; a site's name above its first check
    (when the configuration has several)."""
    if result.site and (previous is None or previous.site != result.site):
        console.print(f"[bold]Site {shown(result.site)}[/]", highlight=False)
    status = result.status.value
    console.print(f"[{_STATUS_STYLE[status]}]{status:>7}[/]  {result.name}: {shown(result.detail, multiline=True)}",
                  highlight=False)
    if result.hint and status in ("fail", "warn"):
        console.print(f"         [bold]Fix:[/] {shown(result.hint, multiline=True)}", highlight=False)


def print_drafts(console: Console, posts: Iterable[Post]) -> int:
    """The drafts and pending posts as a table; returns how many were shown."""
    table = Table("ID", "Type", "Status", "Modified (UTC)", "Title", "SEO keyphrase")
    count = 0
    for post in posts:
        table.add_row(str(post.id), shown(post.type), shown(post.status), f"{post.modified_gmt:%Y-%m-%d %H:%M}",
                      shown(post.title), shown(post.seo.focus_keyphrase or ""))
        count += 1
    console.print(table)
    console.print(f"{count} post(s) shown.")
    return count


def print_analysis(console: Console, analysis: Analysis, title: str = "") -> None:
    table = Table("Group", "Check", "Score", "Rating", "Details", title=shown(title) or None, title_justify="left")
    for a in sorted(analysis.assessments, key=lambda a: (a.group, a.rating != "bad", a.rating != "ok")):
        table.add_row(a.group, a.id.replace("_", " "), str(a.score), LIGHT[a.rating], shown(a.text))
    console.print(table)
    console.print(
        f"SEO: {LIGHT[analysis.seo_rating]} ({analysis.seo_score}/100)   Readability: "
        f"{LIGHT[analysis.readability_rating]} ({analysis.readability_score}/100)   Flesch (French): "
        f"{analysis.flesch_reading_ease:.0f}   Words: {analysis.words}"
    )


def rewritten_in(parts: int) -> str:
    """Which way a draft was rewritten: "rewritten in one call" or "rewritten in 6 parts"."""
    return "rewritten in one call" if parts == 1 else f"rewritten in {parts} parts"


def print_report(console: Console, report: RewriteReport, *, diff: bool, dry_run: bool = False) -> None:
    """A rewrite: its fields, outline, diff, lights, and what was (not) written."""
    article = report.article
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_row("Title", shown(article.title))
    table.add_row("SEO title", f"{shown(article.seo_title)} [dim]({len(article.seo_title)} characters)[/]")
    table.add_row("Meta description",
                  f"{shown(article.meta_description)} [dim]({len(article.meta_description)} characters)[/]")
    table.add_row("Focus keyphrase", shown(article.focus_keyphrase))
    table.add_row("Slug", shown(report.slug))
    table.add_row("Words", f"{report.source_words} -> {report.words}")
    table.add_row("Output", f"{report.output} markup; model answer as {report.mode}")
    table.add_row("Rewrite", rewritten_in(report.parts))
    table.add_row("Model calls", f"{len(report.calls)} ({sum(c.usage.total_tokens for c in report.calls)} tokens)")
    if article.restored_placeholders:
        table.add_row("Put back", shown(", ".join(article.restored_placeholders)) + " (the model had lost them)")
    if article.restored_shortcodes:
        table.add_row("Put back", shown(", ".join(f"[[{ref}]]" for ref in article.restored_shortcodes))
                      + " (shortcodes the model had lost)")
    if report.removed_from_draft:
        table.add_row("Removed", f"removed from the draft: {shown(report.removed_from_draft)} (executable markup is "
                      "never written to WordPress)")
    console.print(table)
    for notice in report.notices:
        console.print(f"[yellow]Note:[/] {shown(notice)}", highlight=False)
    console.print("[bold]Outline[/]")
    for level, heading in article.outline():
        console.print(f"{'  ' * (level - 1)}H{level} {shown(heading)}", highlight=False)
    if diff:
        console.print("[bold]Diff (text)[/]")
        console.print(shown(report.diff(), multiline=True), highlight=False)
    if report.before is not None and report.after is not None:
        before, after = report.before, report.after
        console.print(
            f"[bold]Lights[/]  SEO: {LIGHT[before.seo_rating]} -> {LIGHT[after.seo_rating]}   Readability: "
            f"{LIGHT[before.readability_rating]} -> {LIGHT[after.readability_rating]}   "
            f"(attempts: {report.attempts})"
        )
    if not report.accepted:
        console.print("[bold red]The rewrite did not pass the quality gate; it was not written.[/]")
        for reason in report.verdict.reasons:
            console.print(f"  {shown(reason, multiline=True)}", highlight=False)
        if report.post_id is not None and not dry_run:
            console.print("The post keeps its text; its record says \"needs attention\" with these reasons.")
    elif report.written and report.stored is not None:
        console.print(f"[green]Saved post {report.stored.id} as {report.stored.status!r} for review.[/]")
    elif report.post_id is not None:
        console.print("[yellow]Dry run: nothing was written to WordPress.[/]")
