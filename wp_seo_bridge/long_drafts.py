"""Long drafts: the size limit, and the rewrite in parts. No WordPress here.

:func:`rewrite_draft` is the entry point for any draft:

- over ``rewrite.max_input_words`` words, it is refused (:class:`DraftTooLong`) before any call;
- up to ``rewrite.max_words_per_call`` words (fewer when ``model.max_output_tokens`` could not
  hold the answer: see :func:`words_per_call`), it is rewritten in one call (``rewrite.py``);
- in between, it is rewritten in parts (``parts.py``). One short call first writes the fields
  describing the whole article (title, SEO title, meta description, keyphrase, slug, excerpt)
  from the draft's outline and opening; it also settles the structured-output mode and the
  keyphrase every part uses. Then each part is one call, in parallel within
  ``model.max_concurrent_calls``. The gate judges the assembled article, and a repair re-asks
  only the calls its reasons point to (``part_routing.py``), in parallel too.

If a call fails for good, the calls not yet started are cancelled: nothing more is spent on a
rewrite that can no longer succeed.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from pydantic import BaseModel

from .article import MetadataProposal, PartProposal, plain
from .config import Settings
from .content import Document
from .errors import DraftTooLong, ModelError
from .keyphrase import editor_guidance
from .llm import CallRecord, StructuredAnswer, complete_structured, make_client
from .part_routing import route_reasons
from .parts import assemble_parts, split_document
from .prompt import build_metadata_messages, build_part_messages, repair_request
from .rewrite import Attempt, Judge, Rewrite, require_enough_text, rewrite_document

if TYPE_CHECKING:  # the SDK is imported only where a model is called (see llm.py)
    import openai

log = logging.getLogger(__name__)


#: Tokens a model writes per word of a French article, JSON included: a generous estimate.
TOKENS_PER_WORD = 1.6


def words_per_call(settings: Settings) -> int:
    """The most draft words one call rewrites: ``rewrite.max_words_per_call``, or fewer when
    ``model.max_output_tokens`` could not hold the answer (a call cut off is paid for, and useless)."""
    budget = settings.rewrite.max_words_per_call
    if settings.model.max_output_tokens:
        budget = min(budget, max(100, int(settings.model.max_output_tokens / TOKENS_PER_WORD)))
    return budget


def check_size(document: Document, settings: Settings) -> None:
    """Refuse a draft over ``rewrite.max_input_words`` (raises :class:`DraftTooLong`)."""
    words = document.word_count()
    if words > settings.rewrite.max_input_words:
        raise DraftTooLong(words, settings.rewrite.max_input_words)


def rewrite_draft(
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
    """Rewrite a draft of any accepted length: in one call, or in parts. See the module's documentation.

    Raises :class:`EmptyDraft` or :class:`DraftTooLong` before any call (``source_name`` names the draft).
    """
    require_enough_text(document, settings.rewrite, source_name)
    check_size(document, settings)
    rewrite = rewrite_in_parts if document.word_count() > words_per_call(settings) else rewrite_document
    return rewrite(
        document, title, settings, keyphrase=keyphrase, tags=tags, judge=judge, client=client, source_name=source_name
    )


@dataclass
class _Conversation:
    """One call's messages and its latest answer, for follow-up repairs."""

    messages: list[dict[str, str]]
    schema: type[BaseModel]
    answer: BaseModel | None = None

    def ask_again(self, reasons: list[str], subject: str) -> None:
        assert self.answer is not None
        self.messages = [
            *self.messages,
            {"role": "assistant", "content": self.answer.model_dump_json()},
            {"role": "user", "content": repair_request(reasons, subject)},
        ]


def rewrite_in_parts(
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
    """Rewrite ``document`` in parts of at most :func:`words_per_call` words each.

    Raises :class:`EmptyDraft` or :class:`DraftTooLong` before any call, and :class:`ModelError`
    (its ``calls`` list every call made, for the journal).
    """
    require_enough_text(document, settings.rewrite, source_name)
    check_size(document, settings)
    guidance = editor_guidance(keyphrase, tags)
    keyphrase = guidance.keyphrase
    parts = split_document(document, words_per_call(settings))
    outline = [(b.level, b.text) for b in document.text_blocks if b.kind == "heading"]
    metadata = _Conversation(
        build_metadata_messages(settings.rewrite, title, document, keyphrase, guidance.tags), MetadataProposal
    )
    own_client = client is None
    client = client or make_client(settings.model)
    calls: list[CallRecord] = []
    attempts: list[Attempt] = []
    mode = settings.model.structured_output
    try:
        (first,) = _ask_all(client, settings, [metadata], mode, calls)
        mode = first.mode  # the parts use what worked
        chosen = keyphrase.strip() if keyphrase else plain(first.value.focus_keyphrase).lower()
        conversations = [
            _Conversation(
                build_part_messages(
                    settings.rewrite, title, part.document, number=part.index + 1, count=len(parts),
                    outline=outline, keyphrase=chosen, starts_with_heading=part.starts_with_heading,
                ),
                PartProposal,
            )
            for part in parts
        ]
        log.info(
            "The draft has %s words: rewriting it in %d parts, %d at a time.", f"{document.word_count():,}",
            len(parts), min(len(parts), settings.model.max_concurrent_calls),
        )
        _ask_all(client, settings, conversations, mode, calls)
        for attempt_number in range(1 + (settings.quality.max_repairs if judge else 0)):
            assembled = assemble_parts(metadata.answer, [c.answer for c in conversations], parts, document)
            article = assembled.article
            if keyphrase:
                article = replace(article, focus_keyphrase=keyphrase.strip().lower())
            verdict = judge(article, assembled.proposal) if judge else None
            attempts.append(Attempt(article, assembled.proposal, verdict))
            if verdict is None or verdict.passed or attempt_number == settings.quality.max_repairs:
                break
            routes = route_reasons(verdict, article, assembled.pieces, parts)
            if not routes:
                break
            log.info(
                "Attempt %d failed the gate; asking again for %s.", attempt_number + 1,
                ", ".join((["the metadata"] if routes.metadata else []) + [f"part {i + 1}" for i in sorted(routes.parts)]),
            )
            again: list[_Conversation] = []
            if routes.metadata:
                metadata.ask_again([*routes.metadata, "Keep the same focus keyphrase."], "these fields")
                again.append(metadata)
            for index in sorted(routes.parts):
                conversations[index].ask_again(routes.parts[index], "your part")
                again.append(conversations[index])
            _ask_all(client, settings, again, mode, calls)
            if not keyphrase:  # the parts were written for this keyphrase
                metadata.answer = metadata.answer.model_copy(update={"focus_keyphrase": chosen})
    finally:
        if own_client:
            client.close()
    last = attempts[-1]
    return Rewrite(
        last.article, last.proposal, mode, tuple(calls), tuple(attempts), guidance.notices, parts=len(parts)
    )


def _ask_all(
    client: openai.OpenAI, settings: Settings, conversations: list[_Conversation], mode: str, calls: list[CallRecord]
) -> list[StructuredAnswer]:
    """Ask every conversation for its next answer, in parallel within ``model.max_concurrent_calls``.

    Each answer is stored on its conversation; ``calls`` gets every call made, in conversation
    order. On a failure the calls not yet started are cancelled, and the error is raised with
    all the calls made so far.
    """
    workers = max(1, min(settings.model.max_concurrent_calls, len(conversations)))
    failed = threading.Event()

    def ask(conversation: _Conversation) -> StructuredAnswer | None:
        if failed.is_set():
            return None  # another call failed: this one is not made
        try:
            return complete_structured(client, settings.model, conversation.messages, conversation.schema, mode=mode)
        except BaseException:
            failed.set()
            raise

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="model-call") as pool:
        futures = [pool.submit(ask, c) for c in conversations]
        _, pending = wait(futures, return_when=FIRST_EXCEPTION)
        for future in pending:
            future.cancel()  # only those not started yet; running calls finish and are logged
    answers: list[StructuredAnswer] = []
    failure: BaseException | None = None
    for conversation, future in zip(conversations, futures, strict=True):
        if future.cancelled() or (future.exception() is None and future.result() is None):
            continue
        error = future.exception()
        if error is None:
            answer = future.result()
            calls += answer.calls
            conversation.answer = answer.value
            answers.append(answer)
        else:
            calls += getattr(error, "calls", ())
            failure = failure or error
    if failure is not None:
        if isinstance(failure, ModelError):
            failure.calls = tuple(calls)
        raise failure
    return answers
