"""Model answers kept in the journal between the gate and the write, so that none is paid for twice.

A run killed after the model answered and before the post was written (``kill -9``, a crash, a
reboot) leaves the accepted answer in the journal. The next run that takes the post finds it and
writes it instead of calling the model again, provided nothing it was made from changed: the same
draft (its source hash) and the same settings and editor's choices (the fingerprint). The answer
is assembled and judged again, as when it arrived; one the gate now refuses is not used.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from pydantic import ValidationError

from .article import ArticleProposal, assemble
from .config import Settings
from .journal import Journal
from .record import source_hash
from .rewrite import Attempt, Rewrite
from .wordpress.models import Post

if TYPE_CHECKING:
    from .bridge import Prepared

log = logging.getLogger(__name__)


def fingerprint(settings: Settings, post: Post) -> str:
    """What, besides the draft's text, an answer was made from: the settings that shape a rewrite and the
    editor's choices on the post (keyphrase, tags)."""
    shaping = {
        "model": settings.model.name,
        "rewrite": settings.rewrite.model_dump(mode="json"),
        "quality": settings.quality.model_dump(mode="json"),
        "keyphrase": post.seo.focus_keyphrase or "",
        "tags": list(post.tags),
    }
    digest = hashlib.sha256(json.dumps(shaping, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return "sha256:" + digest.hexdigest()


@dataclass
class KeptAnswer:
    journal: Journal
    id: int
    payload: dict

    @classmethod
    def find(cls, journal: Journal, site_url: str, post: Post, settings: Settings) -> KeptAnswer | None:
        found = journal.pending_answer(
            site_url, post.id, source_hash(post.title, post.content, post.excerpt), fingerprint(settings, post)
        )
        return cls(journal, found[0], found[1]) if found is not None else None

    @classmethod
    def keep(
        cls, journal: Journal, site_url: str, post: Post, settings: Settings, rewrite: Rewrite, run_id: int | None
    ) -> KeptAnswer:
        payload = {
            "proposal": rewrite.proposal.model_dump(mode="json"),
            "focus_keyphrase": rewrite.article.focus_keyphrase,
            "mode": rewrite.mode,
            "attempts": len(rewrite.attempts),
            "parts": rewrite.parts,
            "notices": list(rewrite.notices),
        }
        answer_id = journal.keep_answer(
            site_url, post.id, source_hash(post.title, post.content, post.excerpt), fingerprint(settings, post),
            payload, run_id=run_id,
        )
        return cls(journal, answer_id, payload)

    def rewrite(self, prepared: Prepared) -> Rewrite | None:
        """The kept answer as a rewrite of the draft, judged again; None (and discarded) if it no longer passes."""
        try:
            proposal = ArticleProposal.model_validate(self.payload["proposal"])
            article = assemble(proposal, prepared.document)
            keyphrase = self.payload.get("focus_keyphrase")
            if isinstance(keyphrase, str) and keyphrase:
                article = replace(article, focus_keyphrase=keyphrase)
            verdict = prepared.judge(article, proposal)
        except (KeyError, TypeError, ValueError, ValidationError):
            log.info("A kept answer could not be read again; the model is asked anew.")
            self.settle("discarded")
            return None
        if not (verdict.passed or verdict.only_restored_placeholders):
            log.info("A kept answer no longer passes the gate; the model is asked anew.")
            self.settle("discarded")
            return None
        return Rewrite(
            article, proposal, str(self.payload.get("mode", "")), (), (Attempt(article, proposal, verdict),),
            tuple(self.payload.get("notices", ())), parts=int(self.payload.get("parts", 1)),
        )

    def settle(self, state: str) -> None:
        self.journal.settle_answer(self.id, state)
