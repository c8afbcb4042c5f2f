"""What a sync shows: plain log lines off a terminal, a progress bar on one, the summary, and the JSON
document; drafts' titles (untrusted) never reach a terminal raw."""

from __future__ import annotations

import io
import json
import re
import threading

from rich.console import Console

from wp_seo_bridge.report_json import sync_dict, to_json
from wp_seo_bridge.sync.output import LogLines, ProgressBar, events_for, format_cost, print_summary
from wp_seo_bridge.sync.results import Lights, PostResult, RunResult, Totals

HOSTILE = "Titre\x1b[2J\x1b]0;pwned\x07 [bold red]rouge[/] \u202eenrevni\x00"

REWRITTEN = PostResult(41, "Title", "rewritten", calls=2, prompt_tokens=3000, completion_tokens=100, cost=0.0042,
                       before=Lights("bad", "ok"), after=Lights("good", "good"))
SKIPPED = PostResult(42, "Young draft", "skipped", reason="Modified 3 minutes ago; the author may still be typing.")
FAILED = PostResult(43, "Slow one", "failed", reason="The model did not answer in time.", calls=1,
                    prompt_tokens=900, cost=None)
TOTALS = Totals(selected=2, rewritten=1, failed=1, skipped=1, calls=3, prompt_tokens=3900, completion_tokens=100,
                cost=None)
RUN = RunResult("blog", 12, False, posts=(REWRITTEN, SKIPPED, FAILED), totals=TOTALS)


def console(*, terminal: bool) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=terminal, width=200, no_color=True, color_system=None), buffer


def play(events, run: RunResult = RUN) -> None:
    events.run_started(run.site, run.run_id, run.totals.selected, run.totals.skipped, run.dry_run)
    for post in run.posts:
        if post.outcome != "skipped":
            events.post_started(run.site, post.id, post.title)
        events.post_finished(run.site, post)
    events.run_finished(run)


def assert_no_raw_controls(text: str) -> None:
    assert not re.search(r"[\x00\x07\u202e]", text)
    assert "\x1b[2J" not in text and "\x1b]0;" not in text


# -- plain lines -----------------------------------------------------------------------------------


def test_plain_lines_when_not_a_terminal():
    out, buffer = console(terminal=False)
    events = events_for(out)
    assert isinstance(events, LogLines)
    events._clock = lambda: "2026-12-02T10:00:00Z"
    play(events)
    assert buffer.getvalue().splitlines() == [
        "2026-12-02T10:00:00Z blog sync started (run 12): 2 selected, 1 skipped",
        '2026-12-02T10:00:00Z blog post 41 rewritten (2 calls, 3,100 tokens, cost 0.0042) "Title"',
        '2026-12-02T10:00:00Z blog post 43 failed (1 call, 900 tokens, cost unknown) "Slow one": The model did not '
        "answer in time.",
        "2026-12-02T10:00:00Z blog sync finished (run 12): 2 selected (1 rewritten, 0 needs attention, 1 failed), "
        "1 skipped; 3 calls, 4,000 tokens, cost unknown",
    ]


def test_plain_lines_have_a_real_utc_time_and_no_escape_codes():
    out, buffer = console(terminal=False)
    play(LogLines(out))
    lines = buffer.getvalue().splitlines()
    assert all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ blog ", line) for line in lines)
    assert "\x1b" not in buffer.getvalue()


def test_budget_reached_stopped_and_already_running_are_said_plainly():
    out, buffer = console(terminal=False)
    events = LogLines(out, clock=lambda: "T")
    events.run_finished(RunResult("blog", 12, False, budget_reached=True, stopped=True, totals=Totals(selected=3)))
    events.run_finished(RunResult("shop", None, False, already_running=True))
    text = buffer.getvalue()
    assert "T blog budget reached" in text and "T blog stopped before every selected post was processed" in text
    assert text.splitlines()[-1] == "T shop another sync of this site is running; nothing done"


def test_quiet_lines_leave_out_idle_runs_and_plain_skips():
    out, buffer = console(terminal=False)
    events = LogLines(out, quiet=True, clock=lambda: "T")
    idle = RunResult("blog", 13, False, posts=(SKIPPED,), totals=Totals(skipped=1))
    events.run_started("blog", 13, 0, 0, False)
    events.post_finished("blog", SKIPPED)
    events.run_finished(idle)
    assert buffer.getvalue() == ""
    edited = PostResult(44, "T", "skipped", reason="Edited during rewrite.", calls=1, cost=0.001)
    events.post_finished("blog", edited)
    assert "post 44 skipped" in buffer.getvalue()


def test_a_streamed_run_starts_without_counts_and_skips_are_left_to_the_summary():
    out, buffer = console(terminal=False)
    events = LogLines(out, clock=lambda: "T")
    events.run_started("blog", 13, 0, 0, True)
    events.post_finished("blog", SKIPPED)
    events.post_finished("blog", PostResult(47, "Would be", "would_rewrite", reason="New draft."))
    assert buffer.getvalue().splitlines() == ["T blog dry run started (run 13)",
                                              'T blog post 47 would be rewritten "Would be": New draft.']


def test_a_site_error_is_said_with_its_fix():
    failed = RunResult("shop", 20, False, error="The site did not answer.", hint="Check [wordpress] url.")
    out, buffer = console(terminal=False)
    LogLines(out, quiet=True, clock=lambda: "T").run_finished(failed)
    assert "T shop error: The site did not answer. Fix: Check [wordpress] url." in buffer.getvalue().splitlines()
    out, buffer = console(terminal=True)
    print_summary(out, [failed])
    assert "Error: The site did not answer. Fix: Check [wordpress] url." in buffer.getvalue()
    assert sync_dict([failed])["error"] == {"message": "The site did not answer.", "hint": "Check [wordpress] url."}


def test_hostile_titles_and_reasons_are_escaped_in_lines_and_summary():
    hostile = PostResult(45, HOSTILE, "needs_attention", reason=f"Refused: {HOSTILE}", calls=1, cost=0.0)
    run = RunResult("blog", 14, False, posts=(hostile,), totals=Totals(selected=1, needs_attention=1, calls=1,
                                                                         cost=0.0))
    for terminal in (False, True):
        out, buffer = console(terminal=terminal)
        play(events_for(out), run)
        print_summary(out, [run])
        text = buffer.getvalue()
        assert_no_raw_controls(text)
        assert "\\x1b[2J" in text and "\\u202e" in text and "[bold red]rouge[/]" in text


def test_plain_lines_from_many_threads_stay_whole():
    out, buffer = console(terminal=False)
    events = LogLines(out, clock=lambda: "T")
    posts = [PostResult(i, f"Post {i} " + "x" * 300, "rewritten", calls=1, cost=0.001) for i in range(1, 201)]
    threads = [threading.Thread(target=events.post_finished, args=("blog", post)) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 200 and all(re.fullmatch(r'T blog post \d+ rewritten \(.*\) "Post \d+ x{300}"', line)
                                     for line in lines)


# -- progress bar ----------------------------------------------------------------------------------


def test_progress_bar_on_a_terminal_counts_posts_from_threads():
    out, buffer = console(terminal=True)
    events = events_for(out)
    assert isinstance(events, ProgressBar)
    posts = [PostResult(i, f"Post {i}", "failed" if i % 10 == 0 else "rewritten", calls=1, prompt_tokens=100,
                        completion_tokens=10, cost=0.01) for i in range(1, 41)]
    events.run_started("blog", 7, 40, 0, False)

    def work(post):
        events.post_started("blog", post.id, post.title)
        events.post_finished("blog", post)

    threads = [threading.Thread(target=work, args=(post,)) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    site = events._sites["blog"]
    assert (site.done, site.failed, site.tokens, len(site.started)) == (40, 4, 4400, 0)
    assert abs(site.cost - 0.4) < 1e-9
    events.run_finished(RunResult("blog", 7, False, budget_reached=True,
                                  totals=Totals(selected=40, rewritten=36, failed=4, calls=40, prompt_tokens=4000,
                                                completion_tokens=400, cost=0.4)))
    text = buffer.getvalue()
    assert "40/40" in text and "4 failed" in text and "4,400 tokens" in text and "cost 0.4000" in text
    assert "budget reached" in text and events._progress is None


def test_progress_total_grows_with_the_posts_started_when_the_selection_is_streamed():
    out, buffer = console(terminal=True)
    events = ProgressBar(out)
    events.run_started("blog", 8, 0, 0, False)
    for post in (REWRITTEN, FAILED):
        events.post_started("blog", post.id, post.title)
    events.post_finished("blog", SKIPPED)
    events.post_finished("blog", REWRITTEN)
    task = events._progress.tasks[0]
    assert (task.completed, task.total, task.fields["in_flight"]) == (1, 2, 1)
    assert "Young draft" not in buffer.getvalue()  # the summary lists it
    events.close()
    assert events._progress is None


def test_progress_cost_is_unknown_once_a_post_cost_is_unknown():
    out, buffer = console(terminal=True)
    events = ProgressBar(out)
    events.run_started("blog", 7, 2, 1, False)
    for post in (REWRITTEN, FAILED):
        events.post_started("blog", post.id, post.title)
        events.post_finished("blog", post)
    events.post_finished("blog", SKIPPED)  # skipped when selecting: not one of the selected posts
    site = events._sites["blog"]
    assert (site.done, site.cost) == (2, None)
    events.run_finished(RUN)
    assert "2/2" in buffer.getvalue() and "cost unknown" in buffer.getvalue()


def test_summary_table_lists_every_post_with_reasons():
    out, buffer = console(terminal=True)
    print_summary(out, [RUN, RunResult("shop", None, False, already_running=True)])
    text = buffer.getvalue()
    for expected in ("blog: sync run 12", "Young draft", "Modified 3 minutes ago", "The model did not answer in time.",
                     "0.0042", "unknown", "2 selected (1 rewritten, 0 needs attention, 1 failed), 1 skipped",
                     "Another sync of this site is running; nothing done."):
        assert expected in text, expected


def test_summary_lines_off_a_terminal():
    out, buffer = console(terminal=False)
    print_summary(out, [RUN])
    assert buffer.getvalue().splitlines() == [
        "Summary of blog: sync run 12",
        '  post 41 rewritten (2 calls, 3,100 tokens, cost 0.0042) "Title" [SEO good, readability good]',
        '  post 42 skipped "Young draft": Modified 3 minutes ago; the author may still be typing.',
        '  post 43 failed (1 call, 900 tokens, cost unknown) "Slow one": The model did not answer in time.',
        "  totals: 2 selected (1 rewritten, 0 needs attention, 1 failed), 1 skipped; 3 calls, 4,000 tokens, "
        "cost unknown",
    ]


def test_dry_run_totals_say_what_would_be_rewritten():
    out, buffer = console(terminal=False)
    run = RunResult("blog", 15, True, posts=(PostResult(41, "T", "would_rewrite"),),
                    totals=Totals(selected=1, would_rewrite=1))
    LogLines(out, clock=lambda: "T").run_finished(run)
    assert buffer.getvalue() == "T blog dry run finished (run 15): 1 selected (1 would be rewritten), 0 skipped\n"


def test_costs_are_never_shown_as_free_when_unknown():
    assert (format_cost(None), format_cost(0.0), format_cost(0.00001), format_cost(1234.5)) == (
        "unknown", "0.0000", "<0.0001", "1,234.5000")


# -- JSON ------------------------------------------------------------------------------------------


def test_json_of_one_site_has_the_issue_shape():
    data = sync_dict([RUN])
    assert list(data) == ["site", "run_id", "dry_run", "budget_reached", "posts", "totals", "already_running",
                          "stopped", "error"]
    assert data["error"] is None
    assert (data["site"], data["run_id"], data["dry_run"], data["budget_reached"]) == ("blog", 12, False, False)
    assert data["posts"][0] == {"id": 41, "title": "Title", "outcome": "rewritten", "reason": "", "calls": 2,
                                "prompt_tokens": 3000, "completion_tokens": 100, "cost": 0.0042, "seo": "good",
                                "readability": "good"}
    assert data["posts"][1]["outcome"] == "skipped" and data["posts"][1]["reason"].startswith("Modified")
    assert data["posts"][1]["seo"] is None and data["posts"][2]["cost"] is None
    assert data["totals"] == {"selected": 2, "rewritten": 1, "needs_attention": 0, "failed": 1, "skipped": 1,
                              "would_rewrite": 0, "calls": 3, "prompt_tokens": 3900, "completion_tokens": 100,
                              "cost": None}


def test_json_of_several_sites_is_a_list_in_order():
    shop = RunResult("shop", None, False, already_running=True)
    data = sync_dict([RUN, shop])
    assert list(data) == ["sites"] and [site["site"] for site in data["sites"]] == ["blog", "shop"]
    assert data["sites"][1]["already_running"] is True and data["sites"][1]["run_id"] is None


def test_json_keeps_hostile_titles_but_escapes_them():
    run = RunResult("blog", 1, False, posts=(PostResult(45, HOSTILE, "skipped"),))
    text = to_json(sync_dict([run]))
    assert_no_raw_controls(text)
    assert json.loads(text)["posts"][0]["title"] == HOSTILE
