"""One model client for every worker of a sync, made when the first post needs it."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from .limits import AdaptiveLimit

if TYPE_CHECKING:
    import openai

    from ..config import Settings

log = logging.getLogger(__name__)


class SharedModel:
    """One model client for every worker of every site, made when the first post needs it; it tells the
    current run's limit when the endpoint rate-limits."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings.model
        self._client: openai.OpenAI | None = None
        self._lock = threading.Lock()
        self.limit: AdaptiveLimit | None = None

    def client(self) -> openai.OpenAI:
        with self._lock:
            if self._client is None:
                from ..llm import make_client

                self._client = make_client(self.settings, on_rate_limit=self._rate_limited)
            return self._client

    def _rate_limited(self, retry_after: float | None) -> None:
        limit = self.limit
        if limit is not None:
            log.info("The model endpoint is rate-limiting: fewer posts at once for a while.")
            limit.rate_limited(retry_after)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
