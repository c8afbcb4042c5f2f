"""Every error wp-seo-bridge raises on purpose, in one place.

The hierarchy::

    BridgeError                      anything this package raises on purpose
    +-- ConfigError                  the configuration is missing or invalid
    +-- InputError                   a file or value given to a command cannot be used
    +-- EmptyDraft                   a draft with too little text to rewrite (refused before any model call)
    +-- DraftTooLong                 a draft over `rewrite.max_input_words` (refused before any model call)
    +-- DemoUnavailable              the demo's local WordPress cannot start (packages missing, a folder refused)
    +-- NothingToRestore             restore found no write of the bridge's to undo
    |   +-- NotInJournal             no original of that post in the journal
    |   +-- NeverWritten             originals kept, but no rewrite of the post was ever saved
    |   +-- AlreadyRestored          every rewrite the bridge saved was already undone
    +-- WordPressError               talking to the WordPress site failed
    |   +-- SiteUnreachable          no HTTP answer at all (DNS, refused connection)
    |   |   +-- WordPressTimeout     the site did not answer in time
    |   |   +-- TLSFailure           the HTTPS certificate could not be verified
    |   +-- NotWordPress             something answered, but it is not a WordPress site
    |   +-- ApiUnavailable           the REST API or XML-RPC is disabled or blocked
    |   +-- UnexpectedResponse       HTML or garbage where JSON/XML was expected
    |   +-- SiteBusy                 429/502/503/504: rate-limited or overloaded
    |   +-- AuthenticationFailed     the user name or application password was refused
    |   +-- PermissionDenied         logged in, but not allowed to do this
    |   +-- PostNotFound             no post with that ID (of the configured types)
    |   +-- MetaNotWritable          the site silently dropped SEO meta fields
    |   +-- StatusChangedOnSave      the site itself changed a post's status when the bridge saved it
    |   +-- WriteRefused             a write that would break a safety rule
    |       +-- EditConflict         the post changed since we read it
    |       +-- RestoreUnsafe        restoring could erase an edit made after the bridge's write
    |           +-- ChangedSinceRewrite  the post changed after the bridge wrote it (fields named)
    +-- ModelError                   talking to the language model failed
        +-- ModelAnswerRejected      an answer cut off, refused, or not the JSON asked for
            +-- NotAChatCompletion   the endpoint answered with something else (a web page, no choices)

Each error carries a ``hint``: what a site owner can do about it. ``str(error)``
gives the message followed by the hint, ready to print. Messages never contain
secrets: credentials are not part of any request URL or error text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: llm imports this module
    from .llm import CallRecord, Usage


class BridgeError(Exception):
    """Base class of every error raised on purpose by wp-seo-bridge."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  Fix: {self.hint}"
        return self.message


class ConfigError(BridgeError):
    """The configuration is missing, unreadable or invalid."""

    hint = "config.example.toml documents every key; `wp-seo-bridge doctor` checks the configuration."


class InputError(BridgeError):
    """A file or value given to a command cannot be used: unreadable, not UTF-8 text, or malformed.

    The message names the file or option and what is wrong with it; nothing was done.
    """

    hint = "Run the command with --help to see what it takes."


class EmptyDraft(BridgeError):
    """The draft has too little text for a rewrite: the model would invent an article from its title.

    Raised before any model call, so nothing is spent and nothing is written.
    """

    hint = (
        "Write the draft's substance first (facts, quotes, figures): the bridge rewrites text, it does not "
        "invent it. `rewrite.min_source_words` sets the minimum."
    )


class DemoUnavailable(BridgeError):
    """``demo`` cannot start its local WordPress: Debian packages missing, ``--keep`` naming a folder it must
    not use, or a server that did not start (the message carries the server's log)."""

    hint = "`bash scripts/install.sh --demo` installs what the demo needs."


class NothingToRestore(BridgeError):
    """``restore`` found no write of the bridge's to undo on that post; nothing was changed."""


class NotInJournal(NothingToRestore):
    """The journal holds no original of that post, so there is nothing to restore."""

    hint = (
        "Only posts rewritten on this machine (with this `journal.path`) can be restored from the journal; "
        "WordPress's revisions (in the editor: Revisions) hold earlier versions too."
    )


class NeverWritten(NothingToRestore):
    """The bridge kept originals of the post, but none of its rewrites was saved: the text is the editors'."""

    hint = "There is nothing to undo: the post is as its editors left it. Its earlier versions are in WordPress's revisions."


class AlreadyRestored(NothingToRestore):
    """Every rewrite the bridge saved on the post was already undone by ``restore``."""

    hint = "There is nothing left to undo. Earlier versions are in WordPress's revisions (in the editor: Revisions)."


class DraftTooLong(BridgeError):
    """The draft is longer than ``rewrite.max_input_words``: refused before any model call."""

    def __init__(self, words: int, limit: int) -> None:
        super().__init__(
            f"The draft has {words:,} words, over the limit of {limit:,} (`rewrite.max_input_words`). "
            "Nothing was sent to the model and nothing was written.",
            hint="Split the draft into several posts, or raise `rewrite.max_input_words` in the configuration "
            "(or WP_SEO_BRIDGE_REWRITE_MAX_INPUT_WORDS).",
        )
        self.words = words
        self.limit = limit


class WordPressError(BridgeError):
    """Talking to the WordPress site failed."""

    hint = (
        "The message above is the site's own. Check the configuration it points at (`drafts.post_types`, the "
        "draft filters, the post ID), and run `wp-seo-bridge doctor`, which checks the site, the credentials and "
        "the SEO fields."
    )

    def __init__(
        self, message: str, *, hint: str | None = None, status_code: int | None = None, code: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        #: HTTP status (REST) or fault code (XML-RPC), when there was one.
        self.status_code = status_code
        #: WordPress's machine-readable error code (``rest_forbidden``...), when there was one.
        self.code = code


class SiteUnreachable(WordPressError):
    """No HTTP answer: the host does not resolve or refuses the connection."""

    hint = "Check `wordpress.url` in the configuration (scheme, host, port) and that the site is up."


class WordPressTimeout(SiteUnreachable):
    """The site accepted the connection but did not answer in time."""

    hint = "The site is slow or overloaded; try again later or raise `wordpress.timeout`."


class TLSFailure(SiteUnreachable):
    """The HTTPS certificate could not be verified."""

    hint = (
        "The site's certificate is not trusted. Renew or fix it, or point `wordpress.ca_bundle` "
        "at the CA file that signed it (for a private CA)."
    )


class NotWordPress(WordPressError):
    """Something answered at the URL, but it does not look like WordPress."""

    hint = "Check `wordpress.url`: it must be the site's home address, e.g. https://example.com."


class ApiUnavailable(WordPressError):
    """The REST API or XML-RPC endpoint is disabled or blocked by a plugin or the host."""

    hint = "A plugin or the host blocks the API, or this WordPress does not offer it; `wp-seo-bridge doctor` says which."


class UnexpectedResponse(WordPressError):
    """The site answered with something other than the JSON or XML the API speaks."""

    hint = (
        "A security plugin, firewall or cache answered instead of WordPress. Allow the REST API "
        "(/wp-json/) or XML-RPC (/xmlrpc.php) for this client, then run `wp-seo-bridge doctor`."
    )


class SiteBusy(WordPressError):
    """The site (or a proxy before it) said "try again later": 429, 502, 503 or 504."""

    hint = "The site is rate-limiting or overloaded; wait and run the command again."

    def __init__(self, message: str, *, status_code: int, retry_after: float | None = None) -> None:
        super().__init__(message, status_code=status_code)
        #: Seconds the site asked us to wait (``Retry-After``), if it said.
        self.retry_after = retry_after


class AuthenticationFailed(WordPressError):
    """The site refused the user name or application password."""

    hint = (
        "Create an application password in WordPress (Users > Profile > Application Passwords) "
        "and put it in the WP_SEO_BRIDGE_WP_APP_PASSWORD environment variable; "
        "check `wordpress.username`."
    )

    @classmethod
    def hint_for(cls, password_variable: str) -> str:
        """The hint, naming the variable the site's password comes from (each ``[sites.NAME]`` site has its own)."""
        return cls.hint.replace("WP_SEO_BRIDGE_WP_APP_PASSWORD", password_variable)


class PermissionDenied(WordPressError):
    """Logged in, but the user may not do this."""

    hint = "Use an account with the Editor role (or one that may edit the posts and their custom fields)."


class PostNotFound(WordPressError):
    """No post with that ID among the configured post types."""

    hint = "Check the post ID, and `drafts.post_types` if the post is a page or a custom post type."


class MetaNotWritable(WordPressError):
    """The site accepted a write but dropped (some of) the SEO meta fields."""

    hint = (
        "Install the companion plugin: run `wp-seo-bridge companion-plugin --output "
        "wp-seo-bridge-companion.php` and copy the file into the site's wp-content/mu-plugins/ folder."
    )


class CompanionOutdated(WordPressError):
    """The site's companion plugin is missing or too old for what was asked (``sync`` needs to see edit locks)."""

    hint = (
        "Write the current companion plugin with `wp-seo-bridge companion-plugin --output "
        "wp-seo-bridge-companion.php` and copy it into the site's wp-content/mu-plugins/ folder, replacing the old one."
    )


class StatusChangedOnSave(WordPressError):
    """The site changed the post's status when the bridge saved it (a plugin or theme that publishes posts
    saved through the API, say). ``written`` says whether the bridge's changes were part of that save."""

    hint = (
        "Switch the post back to draft in WordPress if it should not be public, and find what changes the status "
        "of posts saved through the API (a plugin or theme hooking save_post or rest_after_insert_post) before "
        "running the bridge again."
    )

    def __init__(self, message: str, *, post_id: int, before: str, after: str, written: bool) -> None:
        super().__init__(message)
        self.post_id = post_id
        self.before = before
        self.after = after
        self.written = written


class WriteRefused(WordPressError):
    """A write that would break one of the bridge's safety rules was refused before it was sent."""

    hint = "Nothing was written. Check the post in WordPress, then run the command again."


class EditConflict(WriteRefused):
    """The post changed on the site since the bridge read it; writing would overwrite that edit."""

    hint = "Someone edited the post meanwhile. Run the command again to work from the current version."


class PostOpenInEditor(WriteRefused):
    """Someone has the post open in the editor (a fresh edit lock): writing now could be lost in, or lose,
    their unsaved work."""

    hint = "Run again once the post is closed in the editor (WordPress drops a lock 150 s after the tab is closed)."


class RestoreUnsafe(WriteRefused):
    """Restoring could erase an edit made after the bridge's write, so it was refused (``--force`` overrides)."""

    hint = (
        "Compare the versions in WordPress (in the editor: Revisions) and undo by hand what should go, or run "
        "`wp-seo-bridge restore POST_ID --force` to put the original back anyway (the current version is kept in "
        "the journal, and the next `restore` brings it back)."
    )

    def __init__(self, message: str, *, post_id: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint if hint is not None else self.hint.replace("POST_ID", str(post_id)))
        self.post_id = post_id


class ChangedSinceRewrite(RestoreUnsafe):
    """The post changed after the bridge wrote it; ``fields`` names what changed."""

    def __init__(self, message: str, *, post_id: int, fields: tuple[str, ...], hint: str | None = None) -> None:
        super().__init__(message, post_id=post_id, hint=hint)
        #: What differs from what the bridge wrote: "title", "content", "SEO title"...
        self.fields = tuple(fields)


class ModelError(BridgeError):
    """Talking to the language model failed.

    ``calls`` lists the model calls made for the work that failed (``llm.CallRecord`` s), so that
    the journal logs what was spent even when nothing came of it.
    """

    def __init__(self, message: str, *, hint: str | None = None, calls: tuple[CallRecord, ...] = ()) -> None:
        super().__init__(message, hint=hint)
        self.calls: tuple[CallRecord, ...] = tuple(calls)

    hint = "Run `wp-seo-bridge doctor`: it checks the model endpoint (`model.base_url`, `model.name`, OPENAI_API_KEY)."


class ModelAnswerRejected(ModelError):
    """The model answered, but the answer cannot be used: cut off, refused, or not valid JSON.

    ``usage`` holds the tokens that answer cost (``llm.Usage``), when the endpoint reported them.
    """

    hint = "Nothing was written. Run the command again; if it keeps failing, try another model."

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        calls: tuple[CallRecord, ...] = (),
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message, hint=hint, calls=calls)
        self.usage: Usage | None = usage



class NotAChatCompletion(ModelAnswerRejected):
    """The endpoint answered 200, but not with a chat completion: a web page (a proxy's, a login page), another
    API's JSON, or a completion without any choice. Usually a wrong ``model.base_url``."""

    hint = "Check `model.base_url`: it must be the OpenAI-compatible API's base address, usually ending in /v1."
