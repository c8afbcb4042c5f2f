"""What a sync is asked to do: the ``sync`` and ``watch`` command-line options, as one value.

The command line builds a :class:`SyncOptions` from its options (checked there: ``--force`` only
with ``--post``, ``--concurrency`` 1..32, ``--max-cost`` >= 0); the runner reads it. ``None`` means
"as configured" (``[sync] concurrency``, ``[sync] max_cost_per_run``, every site).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SyncOptions:
    """One sync's options.

    - ``limit``: process at most this many posts (the selected ones, in the listing's order).
    - ``posts``: only these post IDs (``--post``, repeatable); empty means every draft that needs it.
    - ``dry_run``: list what would be processed and what is skipped, and why; no model call,
      nothing written.
    - ``force``: rewrite the ``posts`` even when the bridge already rewrote them (only with ``posts``).
    - ``concurrency``: posts in flight (1..32); None: ``[sync] concurrency``.
    - ``max_cost``: stop starting new posts once the run's cost reaches this amount (>= 0); None:
      ``[sync] max_cost_per_run`` (itself None: no budget).
    - ``site``: only this site of the configuration; None: every configured site, one after the other.
    - ``filtered``: with ``posts``, take only those the ``[drafts]`` filters would list (the posts WordPress
      notified the bridge of); the others, and those not found, are skipped. ``--post`` takes any post named.
    - ``trigger``: what started the run, kept in the journal for ``history``: ``sync`` (the command), ``watch``
      (a round of ``watch``) or ``notification`` (posts WordPress notified ``watch --listen`` of).
    """

    limit: int | None = None
    posts: tuple[int, ...] = ()
    dry_run: bool = False
    force: bool = False
    concurrency: int | None = None
    max_cost: float | None = None
    site: str | None = None
    filtered: bool = False
    trigger: str = "sync"
