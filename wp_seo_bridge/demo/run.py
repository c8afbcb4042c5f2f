"""One demo, step by step: the local WordPress, its drafts, ``doctor``, the sync, and how to see the result.

:class:`Demo` holds the site from :meth:`Demo.start` to :meth:`Demo.close`; each step prints what it did
(:mod:`.report`). The sync is the real one (:func:`wp_seo_bridge.sync.runner.run_sync`) with the user's model;
without a model, or with one that does not answer, the demo runs ``sync --dry-run`` instead and says what to
set. Nothing a model did not write is ever shown as if it had.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BridgeError, DemoUnavailable
from . import report
from .settings import DemoSite, demo_settings, model_in_use, write_config

if TYPE_CHECKING:
    from rich.console import Console

    from ..analysis import Analysis
    from ..config import Settings
    from ..doctor import CheckResult
    from ..local_wordpress import LocalSite
    from ..sync.results import RunResult, SyncEvents

#: The demo site's title in WordPress.
TITLE = "wp-seo-bridge demo"
#: A WordPress option telling that the samples were loaded (a kept site started again keeps its posts).
SAMPLES_OPTION = "wp_seo_bridge_demo_samples"


@dataclass
class Demo:
    """A demo run: ``user`` is the user's configuration (for the model), ``keep`` the folder of a kept site."""

    user: Settings
    console: Console
    keep: Path | None = None
    max_cost: float | None = None
    #: How to run the demo again, for the next step's text.
    command: str = "wp-seo-bridge demo"
    local: LocalSite | None = None
    site: DemoSite | None = None
    settings: Settings | None = None
    config_file: Path | None = None
    before: dict[int, Analysis] = field(default_factory=dict)
    #: Why the sync did not run (no model, or the model's check failed); empty once it ran.
    not_rewritten: str = ""
    results: list[RunResult] = field(default_factory=list)
    #: The drafts' titles, as last listed.
    titles: dict[int, str] = field(default_factory=dict)

    @property
    def model(self) -> str | None:
        return model_in_use(self.user.model)

    # -- steps ---------------------------------------------------------------------------------------------- #

    def start(self) -> None:
        """Start the local WordPress (or start a kept one again). Raises DemoUnavailable."""
        from ..local_wordpress import WordPressUnavailable, missing_packages, start_site

        report.intro(self.console, self.model, self.keep)
        started = time.monotonic()
        try:
            self.local = start_site(title=TITLE, keep_dir=self.keep)
        except WordPressUnavailable as exc:
            if missing_packages():
                raise DemoUnavailable(str(exc)) from None
            raise DemoUnavailable(str(exc), hint="The lines above say what failed. Run the demo again; if it fails "
                                  "the same way, report it with this output.") from None
        local = self.local
        self.site = DemoSite(url=local.url, username=local.editor_user, app_password=local.editor_app_password,
                             folder=Path(local.base_dir))
        self.settings = demo_settings(self.user, self.site)
        restarted = bool(getattr(local, "restarted", False))
        report.site_ready(self.console, local.url, self.site.folder, time.monotonic() - started, restarted=restarted)

    def prepare(self) -> None:
        """Install the companion plugin and, on a new site, the sample drafts; show the drafts' lights."""
        from ..companion import write_plugin
        from ..wordpress.models import COMPANION_VERSION
        from .samples import load_samples

        local = self._local()
        write_plugin(local.mu_plugins)
        loaded = local.php(f"echo get_option('{SAMPLES_OPTION}') ? 'yes' : 'no';").strip() == "yes"
        if not loaded:
            load_samples(local)
            local.php(f"update_option('{SAMPLES_OPTION}', '1', false);")
        self.config_file = write_config(self.site, self.settings)
        report.prepared(self.console, COMPANION_VERSION, local.editor_user, new_samples=not loaded)
        self.before = self._drafts_lights()
        report.drafts(self.console, self.titles, self.before, title="Drafts on the site, as Yoast rates them now")

    def check(self) -> bool:
        """``doctor``'s checks on the demo's site and the user's model; False when the model cannot be used."""
        from ..doctor import CheckResult, Status, run_checks

        report.step(self.console, "doctor: the checks `wp-seo-bridge doctor` runs on a site")
        results: list[CheckResult] = []
        for result in run_checks(self.settings):
            if result.name == "language model reachable" and self.model is None:
                result = CheckResult(result.name, Status.SKIPPED, "no model is configured")
            report.check(self.console, result, results[-1] if results else None)
            results.append(result)
        model_check = results[-1]
        wordpress_ok = all(r.status in (Status.OK, Status.WARN) for r in results[:-1])
        if not wordpress_ok:
            failed = next(r for r in results if r.status is Status.FAIL)
            raise DemoUnavailable(f"The demo's own site failed a check: {failed.name}: {failed.detail}",
                                  hint="Run the demo again; if it fails the same way, report it with this output.")
        if self.model is None:
            self.not_rewritten = "no model is configured"
        elif model_check.status is Status.FAIL:
            self.not_rewritten = f"the model did not answer the check: {model_check.detail}"
        return not self.not_rewritten

    def rewrite(self, *, events: SyncEvents, stop: threading.Event) -> list[RunResult]:
        """The real sync of the site's drafts, with the user's model (``sync --dry-run`` without one)."""
        from ..sync.options import SyncOptions
        from ..sync.runner import run_sync

        dry_run = bool(self.not_rewritten)
        report.step(self.console, "sync --dry-run: what the bridge would do, without a model" if dry_run else
                    f"sync: the drafts rewritten by {self.model}")
        if not dry_run:
            report.calls_ahead(self.console, len(self.before), self.settings.quality.max_repairs, self.max_cost)
        options = SyncOptions(dry_run=dry_run, max_cost=self.max_cost, trigger="demo")
        self.results = run_sync(self.settings, options, events=events, stop=stop)
        return self.results

    def show_result(self) -> None:
        """The sync's summary, the lights before and after, how to open the site, and the next step."""
        from ..sync.output import print_summary

        print_summary(self.console, self.results)
        if not self.not_rewritten:
            after = self._drafts_lights()
            outcomes = {post.id: post.outcome for result in self.results for post in result.posts}
            report.before_after(self.console, self.titles, self.before, after, outcomes)
            report.unfinished(self.console, [post for result in self.results for post in result.posts],
                              self.command)
        report.access(self.console, self._local(), self.site, self.config_file, sorted(self.before),
                      rewritten=not self.not_rewritten)
        if self.not_rewritten:
            report.next_step(self.console, self.not_rewritten, self.command)

    def close(self) -> None:
        """Stop the servers and remove the site (a kept site's folder stays). Idempotent."""
        if self.local is not None:
            self.local.stop()

    # -- helpers -------------------------------------------------------------------------------------------- #

    def _local(self) -> LocalSite:
        if self.local is None:
            raise BridgeError("The demo's site is not started.")
        return self.local

    def _drafts_lights(self) -> dict[int, Analysis]:
        """Each draft's lights as Yoast rates it (its focus keyphrase, once the bridge set one)."""
        from ..draft_analysis import analyze_post
        from ..wordpress.site import connect

        lights: dict[int, Analysis] = {}
        titles: dict[int, str] = {}
        with connect(self.settings) as site:
            for post in site.list_drafts():
                titles[post.id] = post.title
                lights[post.id] = analyze_post(site, post.id)
        self.titles.update(titles)
        return lights
