"""The bridge for one post: WordPress -> content -> rewrite -> write back -> journal.

Money is spent only on a post that may be written (a draft or pending, with enough text, on a
site that accepts its SEO fields), and nothing is written unless the model's answer was usable.
Before writing, the original is kept twice: in WordPress's revisions and in the local journal,
which then records whether the write happened (see :mod:`wp_seo_bridge.restore`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from .analysis import Analysis
from .article import Article, ArticleProposal
from .config import Settings
from .content import Document, parse
from .document import Layouts
from .draft_analysis import analyze_draft, analyze_post, analyze_text  # noqa: F401 - the lights before a rewrite
from .draft_markup import Removed, executable_parts
from .gate import Verdict, judge
from .errors import BridgeError, ConfigError, ModelError, StatusChangedOnSave, WriteRefused
from .journal import Journal, field_hashes
from .keyphrase import usable_keyphrase
from .llm import CallRecord, endpoint_name
from .long_drafts import check_size, rewrite_draft
from .record import make_record, source_hash
from .restore import restore_post  # noqa: F401 - one post end to end: rewrite and restore
from .rewrite import Judge, Rewrite, require_enough_text
from .slug import make_slug
from .wordpress.models import RECORD_META_KEY, WRITABLE_STATUSES, Post, PostUpdate, SeoFields
from .wordpress.site import WordPressSite

if TYPE_CHECKING:  # the SDK is imported only where a model is called (see llm.py)
    import openai


@dataclass(frozen=True)
class RewriteReport:
    """What a rewrite produced, written or not."""

    source_title: str
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
        source_words=document.word_count(),
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
    check_language_checkable(settings)
    document = parse(content, trusted_embed_hosts=settings.rewrite.trusted_embed_hosts)
    output = output_format(settings, document)
    judge_attempt = make_judge(settings, document, output, source_title=title, site_url="")
    rewrite = rewrite_draft(
        document, title, settings, keyphrase=keyphrase, judge=judge_attempt, client=client, source_name=source_name
    )
    article = rewrite.article
    slug = make_slug(article.slug_suggestion, article.focus_keyphrase, article.title)
    before = analyze_draft(document, title, keyphrase=article.focus_keyphrase)
    return _report(rewrite, document, output, title, slug, original=_FILE_ORIGINAL, before=before)


def rewrite_post(
    site: WordPressSite,
    post_id: int,
    *,
    journal: Journal | None = None,
    dry_run: bool = False,
    client: openai.OpenAI | None = None,
) -> RewriteReport:
    """Rewrite one post and save it back with its status (or ``rewrite.status``), unless ``dry_run``.

    Before any model call it refuses a post that is not a draft or pending (:class:`WriteRefused`),
    one with too little text (:class:`EmptyDraft`) and, unless ``dry_run``, one whose SEO fields the
    site would not accept (:class:`MetaNotWritable`).
    """
    settings = site.settings
    post = site.get_post(post_id)
    if post.status not in WRITABLE_STATUSES:
        raise WriteRefused(
            f"Post {post.id} is {post.status!r}; the bridge only rewrites drafts and pending posts. Nothing was done.",
            hint="Switch it back to draft in WordPress if it should be rewritten.",
        )
    document = parse(post.content, trusted_embed_hosts=settings.rewrite.trusted_embed_hosts)
    source_name = f"Post {post.id} ({post.title!r})"
    require_enough_text(document, settings.rewrite, source_name)
    check_size(document, settings)
    check_language_checkable(settings)
    if not dry_run:
        site.check_writable(post)
    output = output_format(settings, document)
    site_url = settings.wordpress.url
    judge_attempt = make_judge(settings, document, output, source_title=post.title, site_url=site_url)
    try:
        keyphrase = post.seo.focus_keyphrase
        tags = () if usable_keyphrase(keyphrase) else site.tag_names(post)
        rewrite = rewrite_draft(
            document, post.title, settings, keyphrase=keyphrase, tags=tags, judge=judge_attempt, client=client,
            source_name=source_name,
        )
    except ModelError as exc:
        if journal is not None:
            journal.log_calls(site_url, post.id, exc.calls)
        raise
    if journal is not None:
        journal.log_calls(site_url, post.id, rewrite.calls)

    article = rewrite.article
    slug = make_slug(
        article.slug_suggestion, article.focus_keyphrase, article.title,
        is_taken=None if dry_run or not rewrite.accepted else (lambda candidate: site.slug_taken(post, candidate)),
    )
    before = analyze_draft(
        document, post.title, keyphrase=article.focus_keyphrase, seo=post.seo, slug=post.slug, site_url=site_url
    )
    report = _report(rewrite, document, output, post.title, slug, post_id=post.id, before=before)
    if dry_run:
        return report
    if not rewrite.accepted:
        _mark_needs_attention(site, post, report)
        return report

    _refuse_executable("\n".join((article.title, article.excerpt, report.content)), settings, post)
    original_hash = source_hash(post.title, post.content, post.excerpt)
    original_id = journal.keep_original(settings.wordpress.url, post, original_hash) if journal is not None else None
    record = make_record(
        settings, "rewrite", "done",
        model=settings.model.name,
        endpoint=endpoint_name(settings.model),
        structured_output=rewrite.mode,
        attempts=len(rewrite.attempts),
        parts=rewrite.parts,
        source_hash=original_hash,
        journal_original_id=original_id,
        removed_from_draft=str(document.removed),
        layout_not_kept=str(document.layouts),
    )
    update = PostUpdate(
        title=article.title,
        content=report.content,
        excerpt=article.excerpt,
        slug=slug,
        status=None if settings.rewrite.status == "keep" else settings.rewrite.status,
        seo=SeoFields(article.seo_title, article.meta_description, article.focus_keyphrase),
        meta={RECORD_META_KEY: record},
    )
    try:
        base = site.keep_revision(post)
        stored = site.update_post(base, update)
    except Exception as exc:
        if journal is not None and original_id is not None:
            _settle_write(site, journal, original_id, post, record, exc)
        raise
    if journal is not None and original_id is not None:
        journal.mark_written(original_id, field_hashes(stored, site.seo.meta_keys))
    return RewriteReport(**{**report.__dict__, "written": True, "stored": stored})


def _settle_write(
    site: WordPressSite, journal: Journal, original_id: int, read: Post, record: str, error: Exception
) -> None:
    """Record in the journal whether a write that raised ``error`` happened, when that can be known."""
    reason = getattr(error, "message", str(error)).split(" Nothing was changed.")[0]
    if isinstance(error, WriteRefused) or (isinstance(error, StatusChangedOnSave) and not error.written):
        journal.mark_not_written(original_id, reason)  # refused before it was sent, or stopped before it
        return
    try:
        current = site.get_post(read.id)
    except BridgeError:
        return  # not known: `restore` looks at the post itself
    keys = site.seo.meta_keys
    if current.meta.get(RECORD_META_KEY) == record:
        journal.mark_written(original_id, field_hashes(current, keys))
    elif field_hashes(current, keys) == field_hashes(read, keys):
        journal.mark_not_written(original_id, reason)


def _refuse_executable(content: str, settings: Settings, post: Post) -> None:
    """The last check before writing: the whole article, as a browser reads it, runs nothing.

    Each kept element was checked on its own; this also catches markup that only becomes
    executable next to another (an unclosed comment closed by a later element).
    """
    found = executable_parts(content, settings.rewrite.trusted_embed_hosts)
    if found:
        raise WriteRefused(
            f"The rewrite of post {post.id} would write executable markup ({found}); nothing was written.",
            hint="Check the draft's HTML in the code editor; the bridge never writes scripts or event handlers.",
        )



def _mark_needs_attention(site: WordPressSite, post: Post, report: RewriteReport) -> None:
    """Nothing of the rewrite is written; only the bridge's record says why, for the editors."""
    settings = site.settings
    record = make_record(
        settings, "rewrite", "needs attention",
        model=settings.model.name,
        attempts=report.attempts,
        reasons=list(report.verdict.reasons[:30]) if report.verdict else [],
        source_hash=source_hash(post.title, post.content, post.excerpt),
        removed_from_draft=str(report.removed_from_draft),
    )
    site.write_record(post, record)

