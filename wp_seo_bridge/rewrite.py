"""The rewrite of one draft: prompt, model call, article assembly, gate, repairs. No WordPress here.

The model's answer is a proposal. The gate judges it; what fails goes back to the model, with
the previous answer, as a list of precise points to fix, up to ``quality.max_repairs`` times.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .article import Article, ArticleProposal, assemble
from .config import RewriteSettings, Settings
from .content import Document
from .errors import EmptyDraft, ModelError
from .gate import Verdict
from .keyphrase import editor_guidance
from .llm import CallRecord, complete_structured, make_client
from .prompt import build_messages, repair_request

if TYPE_CHECKING:  # the SDK is imported only where a model is called (see llm.py)
    import openai

log = logging.getLogger(__name__)

#: Judges an attempt: (article, proposal) -> verdict.
Judge = Callable[[Article, ArticleProposal], Verdict]


@dataclass(frozen=True)
class Attempt:
    article: Article
    proposal: ArticleProposal
    verdict: Verdict | None


@dataclass(frozen=True)
class Rewrite:
    article: Article
    proposal: ArticleProposal
    #: "json_schema" or "json_object": how the structured answer was obtained.
    mode: str
    calls: tuple[CallRecord, ...]
    #: Every attempt, the last one being ``article``; its verdict (None when not judged).
    attempts: tuple[Attempt, ...] = field(default_factory=tuple)
    #: What was left out of the prompt and why (an unusable keyphrase or tag).
    notices: tuple[str, ...] = ()
    #: How many parts the draft was rewritten in (1: one call per attempt; see long_drafts.py).
    parts: int = 1

    @property
    def verdict(self) -> Verdict | None:
        return self.attempts[-1].verdict if self.attempts else None

    @property
    def accepted(self) -> bool:
        """Passed the gate; or, after the last repair, failed it only by losing placeholders (put back)."""
        return self.verdict is None or self.verdict.passed or self.verdict.only_restored_placeholders


def require_enough_text(document: Document, settings: RewriteSettings, source_name: str) -> None:
    """Raise :class:`EmptyDraft` unless the draft has at least ``min_source_words`` words of text.

    From a title alone (or a line), a model can only invent an article, and no guard can tell
    invented prose from a rewrite: such a draft is refused before anything is spent.
    """
    words = document.word_count()
    if words < settings.min_source_words:
        found = "no text" if words == 0 else f"only {words} word{'s' if words > 1 else ''} of text"
        raise EmptyDraft(
            f"{source_name} has {found} (its title aside); a rewrite needs at least {settings.min_source_words} "
            "words of the draft, or the model would invent the article. Nothing was sent to the model and nothing "
            "was changed."
        )


def rewrite_document(
    document: Document,
    title: str,
    settings: Settings,
    *,
    keyphrase: str | None = None,
    tags: tuple[str, ...] = (),
    judge: Judge | None = None,
    client: openai.OpenAI | None = None,
    source_name: str = "The draft",
) -> Rewrite:
    """Ask the model for the article, and for repairs while ``judge`` finds problems.

    ``keyphrase``: the editor's choice, imposed when it reads as a keyphrase (else ignored, with a
    notice); ``tags`` guide the choice without one (see :mod:`.keyphrase`). Raises
    :class:`EmptyDraft` before any call for a draft with too little text (``source_name`` names
    it), and :class:`ModelError` (its ``calls`` attribute lists the calls made, for the journal).
    """
    require_enough_text(document, settings.rewrite, source_name)
    guidance = editor_guidance(keyphrase, tags)
    keyphrase = guidance.keyphrase
    messages = build_messages(settings.rewrite, title, document, keyphrase, guidance.tags)
    own_client = client is None
    client = client or make_client(settings.model)
    calls: list[CallRecord] = []
    attempts: list[Attempt] = []
    mode = settings.model.structured_output
    try:
        for attempt_number in range(1 + (settings.quality.max_repairs if judge else 0)):
            try:
                answer = complete_structured(client, settings.model, messages, ArticleProposal, mode=mode)
            except ModelError as exc:
                exc.calls = tuple(calls) + exc.calls
                raise
            calls += answer.calls
            mode = answer.mode  # repairs use what worked
            article = assemble(answer.value, document)
            if keyphrase:
                article = replace(article, focus_keyphrase=keyphrase.strip().lower())
            verdict = judge(article, answer.value) if judge else None
            attempts.append(Attempt(article, answer.value, verdict))
            if verdict is None or verdict.passed:
                break
            log.info("Attempt %d failed the gate: %s", attempt_number + 1, "; ".join(verdict.reasons[:3]))
            messages = [
                *messages,
                {"role": "assistant", "content": answer.value.model_dump_json()},
                {"role": "user", "content": repair_request(verdict.reasons)},
            ]
    finally:
        if own_client:
            client.close()
    last = attempts[-1]
    return Rewrite(last.article, last.proposal, mode, tuple(calls), tuple(attempts), guidance.notices)
