"""The bridge for one post: WordPress -> content -> rewrite -> write back -> journal.

:func:`process_post` is the one path every post takes, whether ``rewrite`` names it or ``sync``
selected it; it returns a :class:`PostOutcome` (rewritten, needs attention, failed, skipped)
instead of raising, so that one bad post never stops a run. Money is spent only on a post that
may be written (a draft or pending, with enough text, on a site that accepts its SEO fields), and
nothing is written unless the model's answer passed the gate (see :mod:`.write_back`).
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from .analysis import Analysis
from .article import Article, ArticleProposal
from .config import Settings
from .content import Document, parse
from .document import Layouts
from .draft_analysis import analyze_draft, analyze_post, analyze_text  # noqa: F401 - the lights before a rewrite
from .draft_markup import Removed
from .gate import Verdict, judge
from .errors import (
    BridgeError,
    ConfigError,
    DraftTooLong,
    EditConflict,
    EmptyDraft,
    ModelAnswerRejected,
    ModelError,
    NotAChatCompletion,
    PostOpenInEditor,
    WriteRefused,
)
from .journal import Journal
from .kept_answers import KeptAnswer
from .keyphrase import usable_keyphrase
from .llm import CallRecord
from .long_drafts import check_size, rewrite_draft
from .record import source_hash  # noqa: F401 - the hash in each post's record
from .restore import restore_post  # noqa: F401 - one post end to end: rewrite and restore
from .rewrite import Judge, Rewrite, require_enough_text
from .slug import make_slug
from .wordpress.models import WRITABLE_STATUSES, Post
from .wordpress.site import WordPressSite
from .write_back import mark_failed, mark_needs_attention, write_rewrite

if TYPE_CHECKING:  # the SDK is imported only where a model is called (see llm.py)
    import openai

    from .costs import Prices
    from .sync.results import Outcome

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RewriteReport:
    """What a rewrite produced, written or not."""

    source_title: str
    #: The draft's words, headings aside, as :attr:`words` counts the rewrite's.
    source_words: int
    article: Article
    slug: str
    content: str
    output: Literal["blocks", "classic"]
    mode: str
    calls: tuple[CallRecord, ...]
    post_id: int | None = None
    written: bool = False
    stored: Post | None = None
    source_text: str = field(default="", repr=False)
    #: The draft's Yoast-style analysis (before) and the gate's verdict on the rewrite (after).
    before: Analysis | None = None
    verdict: Verdict | None = None
    attempts: int = 1
    #: Whether the rewrite passed the gate (one that did not is never written).
    accepted: bool = True
    #: What was removed from the draft's markup because it could run in a browser.
    removed_from_draft: Removed = Removed()
    #: The layout containers whose text was rewritten, their own markup not kept (see containers.py).
    layouts_not_kept: Layouts = Layouts()
    #: What the person running the bridge should know: an ignored keyphrase or tag, a layout not kept.
    notices: tuple[str, ...] = ()
    #: How many parts the draft was rewritten in (1: in one call).
    parts: int = 1

    @property
    def after(self) -> Analysis | None:
        return self.verdict.analysis if self.verdict else None

    @property
    def words(self) -> int:
        return self.article.word_count()

    def diff(self) -> str:
        """A unified diff of the text, before and after (one paragraph per line)."""
        after = [b.text for b in self.article.blocks if hasattr(b, "kind")]
        return "\n".join(
            difflib.unified_diff(self.source_text.splitlines(), after, "draft", "rewrite", lineterm="", n=1)
        )


def output_format(settings: Settings, document: Document) -> Literal["blocks", "classic"]:
    if settings.rewrite.output != "auto":
        return settings.rewrite.output
    return "classic" if document.format == "classic" else "blocks"


def make_judge(
    settings: Settings, document: Document, output: Literal["blocks", "classic"], *, source_title: str, site_url: str
) -> Judge:
    """The gate, bound to one draft."""

    def judge_attempt(article: Article, proposal: ArticleProposal) -> Verdict:
        slug = make_slug(article.slug_suggestion, article.focus_keyphrase, article.title)
        return judge(
            article, proposal, document, settings,
            markup=article.markup(output), slug=slug, site_url=site_url, source_title=source_title,
        )

    return judge_attempt


def check_language_checkable(settings: Settings) -> None:
    """Refuse, before any model call, a `rewrite.language` that the gate's language check could not recognise
    (it would pass any article unchecked)."""
    if not settings.quality.check_language:
        return
    from .guards.language import detectable

    language = settings.rewrite.language
    if not detectable(language):
        raise ConfigError(
            f"`rewrite.language` is {language!r}, a language the offline language check cannot recognise, so the "
            "gate could not tell whether an article is written in it. Nothing was sent to the model.",
            hint="Choose a language the check knows (such as 'fr', 'en', 'de', 'es' or 'it'), or turn the check off "
            "with `quality.check_language = false` (WP_SEO_BRIDGE_QUALITY_CHECK_LANGUAGE=false).",
        )


#: Where the original layout of a draft's containers stays, for a post and for a local file.
_POST_ORIGINAL = "in WordPress's revisions and in the journal (`restore` puts it back)"
_FILE_ORIGINAL = "in the file"


def _report(
    rewrite: Rewrite, document: Document, output: Literal["blocks", "classic"], title: str, slug: str, *,
    original: str = _POST_ORIGINAL, **extra
) -> RewriteReport:
    article = rewrite.article
    layout = (document.layouts.notice(original),) if document.layouts else ()
    return RewriteReport(
        source_title=title,
        source_words=document.body_word_count(),
        article=article,
        slug=slug,
        content=article.markup(output),
        output=output,
        mode=rewrite.mode,
        calls=rewrite.calls,
        source_text=document.plain_text(),
        verdict=rewrite.verdict,
        attempts=len(rewrite.attempts),
        accepted=rewrite.accepted,
        removed_from_draft=document.removed,
        layouts_not_kept=document.layouts,
        notices=(*layout, *rewrite.notices),
        parts=rewrite.parts,
        **extra,
    )


@dataclass(frozen=True)
class Prepared:
    """A draft ready for the model: parsed, checked, with its output format and its gate."""

    document: Document
    output: Literal["blocks", "classic"]
    judge: Judge


def prepare(content: str, title: str, settings: Settings, *, source_name: str, site_url: str) -> Prepared:
    """Parse and check a draft before anything is spent on it (a local file and a post alike).

    Raises :class:`EmptyDraft`, :class:`DraftTooLong` or :class:`ConfigError` (a language the gate
    cannot check); ``source_name`` names the draft in those errors.
    """
    document = parse(content, trusted_embed_hosts=settings.rewrite.trusted_embed_hosts)
    require_enough_text(document, settings.rewrite, source_name)
    check_size(document, settings)
    check_language_checkable(settings)
    output = output_format(settings, document)
    return Prepared(document, output, make_judge(settings, document, output, source_title=title, site_url=site_url))


def rewrite_source(
    content: str,
    title: str,
    settings: Settings,
    *,
    keyphrase: str | None = None,
    client: openai.OpenAI | None = None,
    source_name: str = "The draft",
) -> RewriteReport:
    """Rewrite a draft given as text (a local file), without any WordPress; the gate applies.

    ``source_name`` names the draft in errors (e.g. "The file draft.txt").
    """
    prepared = prepare(content, title, settings, source_name=source_name, site_url="")
    document = prepared.document
    rewrite = rewrite_draft(
        document, title, settings, keyphrase=keyphrase, judge=prepared.judge, client=client, source_name=source_name
    )
    article = rewrite.article
    slug = make_slug(article.slug_suggestion, article.focus_keyphrase, article.title)
    before = analyze_draft(document, title, keyphrase=article.focus_keyphrase)
    return _report(rewrite, document, prepared.output, title, slug, original=_FILE_ORIGINAL, before=before)


@dataclass(frozen=True)
class PostOutcome:
    """What became of one post. ``error`` says why for ``failed`` and ``skipped``."""

    post: Post
    outcome: Outcome
    reason: str = ""
    report: RewriteReport | None = None
    calls: tuple[CallRecord, ...] = ()
    error: BridgeError | None = None


#: Failures that would happen again with the same draft (or that already cost money): the post's record
#: says so, and ``sync`` waits for the draft to change before trying again. Others (a site or an endpoint
#: down, a rate limit) are tried again at the next run.
_LASTING_FAILURES = (EmptyDraft, DraftTooLong, ModelAnswerRejected)


def _lasting(error: BridgeError) -> bool:
    return isinstance(error, _LASTING_FAILURES) and not isinstance(error, NotAChatCompletion)


def process_post(
    site: WordPressSite,
    post: Post,
    *,
    journal: Journal | None = None,
    dry_run: bool = False,
    client: openai.OpenAI | None = None,
    record_failures: bool = False,
    run_id: int | None = None,
    prices: Prices | None = None,
) -> PostOutcome:
    """Rewrite ``post`` (as just read) and save it back with its status (or ``rewrite.status``), unless ``dry_run``.

    Never raises a :class:`BridgeError`: the outcome says what happened. Before any model call it
    refuses a post that is not a draft or pending (skipped), one with too little text or too much,
    and, unless ``dry_run``, one whose SEO fields the site would not accept (failed). A post changed
    on the site while the model answered is not written (skipped, "edited during rewrite").

    An answer that passed the gate is kept in the journal until it is written: if the run dies
    before the write, the next one writes that answer instead of paying for another, as long as
    the draft and the settings are unchanged (see :mod:`.kept_answers`).
    ``record_failures``: also write the bridge's record on a post whose draft cannot be rewritten as
    it is (see ``_LASTING_FAILURES``), as ``sync`` does; ``rewrite`` changes nothing on bad input.
    ``run_id`` and ``prices`` go with the model calls into the journal.
    """
    settings = site.settings
    if post.status not in WRITABLE_STATUSES:
        refused = WriteRefused(
            f"Post {post.id} is {post.status!r}; the bridge only rewrites drafts and pending posts. Nothing was done.",
            hint="Switch it back to draft in WordPress if it should be rewritten.",
        )
        return PostOutcome(post, "skipped", f"{post.status}: the bridge never touches it", error=refused)
    source_name = f"Post {post.id} ({post.title!r})"
    site_url = settings.wordpress.url
    calls: tuple[CallRecord, ...] = ()
    kept: KeptAnswer | None = None

    def log_calls(made: tuple[CallRecord, ...]) -> None:
        if journal is not None and made:
            journal.log_calls(site_url, post.id, made, run_id=run_id, prices=prices)

    try:
        prepared = prepare(post.content, post.title, settings, source_name=source_name, site_url=site_url)
        if not dry_run:
            site.check_writable(post)
        kept = KeptAnswer.find(journal, site_url, post, settings) if journal is not None and not dry_run else None
        rewrite = kept.rewrite(prepared) if kept is not None else None
        if rewrite is None:
            keyphrase = post.seo.focus_keyphrase
            tags = () if usable_keyphrase(keyphrase) else site.tag_names(post)
            try:
                rewrite = rewrite_draft(
                    prepared.document, post.title, settings, keyphrase=keyphrase, tags=tags, judge=prepared.judge,
                    client=client, source_name=source_name,
                )
            except ModelError as exc:
                calls = exc.calls
                log_calls(calls)
                raise
            calls = rewrite.calls
            log_calls(calls)
            if rewrite.accepted and journal is not None and not dry_run:
                kept = KeptAnswer.keep(journal, site_url, post, settings, rewrite, run_id)
        report = _post_report(site, post, prepared, rewrite, dry_run=dry_run)
        if dry_run:
            return PostOutcome(post, "would_rewrite", report=report, calls=calls)
        if not rewrite.accepted:
            mark_needs_attention(site, post, report)
            reasons = report.verdict.reasons if report.verdict else ()
            return PostOutcome(post, "needs_attention", reasons[0] if reasons else "", report=report, calls=calls)
        stored = write_rewrite(site, post, report, journal)
    except PostOpenInEditor as exc:  # the answer stays kept: a later run writes it once the post is closed
        return PostOutcome(post, "skipped", "opened in the editor during the rewrite: nothing was written; the answer "
                           "is kept for the next run", calls=calls, error=exc)
    except EditConflict as exc:
        if kept is not None:
            kept.settle("discarded")
        return PostOutcome(post, "skipped", "edited during rewrite: nothing was written; the next run takes it "
                           "again", calls=calls, error=exc)
    except BridgeError as exc:
        if kept is not None and isinstance(exc, WriteRefused):
            kept.settle("discarded")
        if record_failures and _lasting(exc):
            try:
                mark_failed(site, post, exc)
            except BridgeError as record_error:
                log.warning("Post %d: the bridge's record could not be written: %s", post.id, record_error.message)
        return PostOutcome(post, "failed", exc.message, calls=calls, error=exc)
    if kept is not None:
        kept.settle("written")
    reused = "" if calls or kept is None else "written from the answer kept by an interrupted run (no new model call)"
    return PostOutcome(
        post, "rewritten", reused, report=RewriteReport(**{**report.__dict__, "written": True, "stored": stored}),
        calls=calls,
    )


def _post_report(site: WordPressSite, post: Post, prepared: Prepared, rewrite: Rewrite, *, dry_run: bool) -> RewriteReport:
    """The report on a post's rewrite, with the slug it gets (unused on the site, when it will be written)."""
    settings = site.settings
    article = rewrite.article
    slug = make_slug(
        article.slug_suggestion, article.focus_keyphrase, article.title,
        taken=None if dry_run or not rewrite.accepted else (lambda candidates: site.taken_slugs(post, candidates)),
    )
    before = analyze_draft(
        prepared.document, post.title, keyphrase=article.focus_keyphrase, seo=post.seo, slug=post.slug,
        site_url=settings.wordpress.url,
    )
    return _report(rewrite, prepared.document, prepared.output, post.title, slug, post_id=post.id, before=before)


def rewrite_post(
    site: WordPressSite,
    post_id: int,
    *,
    journal: Journal | None = None,
    dry_run: bool = False,
    client: openai.OpenAI | None = None,
) -> RewriteReport:
    """Rewrite one post by ID (see :func:`process_post`); what prevented it is raised as its error.

    Returns the report of a rewrite, written or not (a rewrite the gate refused is not written:
    its report says so, and the post's record says why).
    """
    outcome = process_post(site, site.get_post(post_id), journal=journal, dry_run=dry_run, client=client)
    if outcome.error is not None:
        raise outcome.error
    assert outcome.report is not None
    return outcome.report
