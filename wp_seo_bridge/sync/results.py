"""What a sync run reports: one :class:`PostResult` per post, one :class:`RunResult` per site.

These are plain values: the command line prints them (progress, log lines, summary table, JSON)
and the journal stores them; neither needs to know how the run produced them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

#: ``would_rewrite`` only in a dry run.
Outcome = Literal["rewritten", "needs_attention", "failed", "skipped", "would_rewrite"]
OUTCOMES: tuple[str, ...] = ("rewritten", "needs_attention", "failed", "skipped", "would_rewrite")


@dataclass(frozen=True)
class Lights:
    """Yoast-style overall ratings: "good", "ok" or "bad"."""

    seo: str
    readability: str


@dataclass(frozen=True)
class PostResult:
    id: int
    title: str
    outcome: Outcome
    #: Why, in one sentence (empty for a plain success).
    reason: str = ""
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    #: None when the model's prices are not configured (unknown, not free).
    cost: float | None = None
    before: Lights | None = None
    after: Lights | None = None
    #: A post skipped only for now (still being written, open in the editor): seconds until it may be taken.
    wait: float | None = None


@dataclass(frozen=True)
class Totals:
    selected: int = 0
    rewritten: int = 0
    needs_attention: int = 0
    failed: int = 0
    skipped: int = 0
    would_rewrite: int = 0
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    #: None when unknown (prices not configured).
    cost: float | None = None


@dataclass(frozen=True)
class RunResult:
    #: The site's name in the configuration ("default" for the ``[wordpress]`` section).
    site: str
    #: The journal's run ID (None when no run was started: another sync of the site was running).
    run_id: int | None
    dry_run: bool
    budget_reached: bool = False
    posts: tuple[PostResult, ...] = ()
    totals: Totals = field(default_factory=Totals)
    #: Another sync of the same site held the lock: this one did nothing.
    already_running: bool = False
    #: The run was stopped (SIGTERM/SIGINT) before every selected post was processed.
    stopped: bool = False
    #: A problem with the whole site (configuration, connection, companion plugin), with its fix;
    #: empty when the site was processed.
    error: str = ""
    hint: str = ""

    @property
    def processed(self) -> int:
        """Posts the run worked on (skipped ones aside)."""
        return sum(1 for post in self.posts if post.outcome != "skipped")

    @property
    def exit_code(self) -> int:
        """0 all fine or nothing to do; 1 some posts failed or need attention (or the site failed midway);
        2 a configuration or connection error before any post was processed."""
        if self.error:
            return 2 if not self.processed else 1
        return 1 if self.totals.failed or self.totals.needs_attention else 0


class SyncEvents(Protocol):
    """What a run tells whoever shows it, as it goes. Called from worker threads: be thread-safe."""

    def run_started(self, site: str, run_id: int | None, selected: int, skipped: int, dry_run: bool) -> None: ...

    def post_started(self, site: str, post_id: int, title: str) -> None: ...

    def post_finished(self, site: str, result: PostResult) -> None: ...

    def run_finished(self, result: RunResult) -> None: ...


class NoEvents:
    """Shows nothing (the library's default)."""

    def run_started(self, site: str, run_id: int | None, selected: int, skipped: int, dry_run: bool) -> None:
        pass

    def post_started(self, site: str, post_id: int, title: str) -> None:
        pass

    def post_finished(self, site: str, result: PostResult) -> None:
        pass

    def run_finished(self, result: RunResult) -> None:
        pass
