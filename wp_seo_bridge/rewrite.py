"""The rewrite of one draft: prompt, model call, article assembly. No WordPress here."""

from __future__ import annotations

from dataclasses import dataclass, replace

import openai

from .article import Article, ArticleProposal, assemble
from .config import Settings
from .content import Document
from .errors import ModelError
from .llm import CallRecord, complete_structured, make_client
from .prompt import build_messages


@dataclass(frozen=True)
class Rewrite:
    article: Article
    #: "json_schema" or "json_object": how the structured answer was obtained.
    mode: str
    calls: tuple[CallRecord, ...]


def rewrite_document(
    document: Document,
    title: str,
    settings: Settings,
    *,
    keyphrase: str | None = None,
    tags: tuple[str, ...] = (),
    client: openai.OpenAI | None = None,
) -> Rewrite:
    """Ask the model for the article. ``keyphrase``: the editor's choice, imposed when given.

    Raises :class:`ModelError` (its ``calls`` attribute lists the calls made, for the journal).
    """
    messages = build_messages(settings.rewrite, title, document, keyphrase, tags)
    own_client = client is None
    client = client or make_client(settings.model)
    try:
        answer = complete_structured(
            client, settings.model, messages, ArticleProposal, mode=settings.model.structured_output
        )
    except ModelError as exc:
        if not hasattr(exc, "calls"):
            exc.calls = ()
        raise
    finally:
        if own_client:
            client.close()
    article = assemble(answer.value, document)
    if keyphrase:
        article = replace(article, focus_keyphrase=keyphrase.strip().lower())
    return Rewrite(article, answer.mode, answer.calls)
