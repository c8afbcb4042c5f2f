"""``doctor``: checks, one by one, that the bridge can work with the configured site and model.

Every check says what it found and, when it fails, how to fix it. Checks that depend on one
that failed are reported as skipped rather than failing again for the same reason. Nothing is
written anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import Enum

from .config import Settings, site_settings
from .errors import ApiUnavailable, AuthenticationFailed, BridgeError, ConfigError, NotWordPress
from .llm import endpoint_name, list_models, make_client
from .wordpress.models import COMPANION_BRIDGE_FIELDS_VERSION, RECORD_META_KEY, CompanionStatus
from .wordpress.seo import ADAPTERS, SeoAdapter, adapter_for, detect
from .wordpress.site import WordPressSite
from .wordpress.transport import new_session, send, with_retries
from .wordpress.xmlrpc import XmlRpcTransport


class Status(str, Enum):
    OK = "ok"
    WARN = "warn"  # works, with a caveat; does not fail the run
    FAIL = "fail"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    detail: str
    hint: str = ""
    #: The site checked, when the configuration has ``[sites.NAME]`` tables ("" for the others).
    site: str = ""


def all_passed(results: list[CheckResult]) -> bool:
    return all(result.status in (Status.OK, Status.WARN) for result in results)


def _failure(name: str, error: BridgeError) -> CheckResult:
    return CheckResult(name, Status.FAIL, error.message, error.hint)


def run_checks(
    settings: Settings | None, config_error: ConfigError | None = None, *, site: str | None = None
) -> Iterator[CheckResult]:
    """Yield each check's result as soon as it is known: every site's in turn (``site``: that one only), each
    labelled with its name when the configuration has ``[sites.NAME]`` tables, then the model's."""
    if settings is None:
        error = config_error or ConfigError("No configuration.")
        yield _failure("configuration", error)
        return
    try:
        sites = site_settings(settings, only=site)
    except ConfigError as exc:
        yield _failure("configuration", exc)
        return
    yield CheckResult("configuration", Status.OK, f"read from {settings.source}" if settings.source else "from the environment")
    for name, one_site in sites:
        for result in _wordpress_checks(one_site):
            yield replace(result, site=name) if settings.sites else result
    yield _model_check(settings)


def _wordpress_checks(settings: Settings) -> Iterator[CheckResult]:
    wordpress = settings.wordpress
    later = ("credentials accepted", "companion plugin", "SEO meta writable", "SEO plugin", NOTIFY_CHECK)

    def skip_rest(reason: str, after: str | None = None) -> Iterator[CheckResult]:
        """The checks that could not run, from the first one (or those after ``after``)."""
        names = later[later.index(after) + 1:] if after else later
        for name in names:
            yield CheckResult(name, Status.SKIPPED, reason)

    session = new_session(wordpress)
    try:
        home = with_retries(
            wordpress.max_attempts,
            lambda: send(session, "GET", wordpress.url + "/", timeout=wordpress.timeout),
            idempotent=True,
        )
    except BridgeError as exc:
        yield _failure("site reachable", exc)
        yield CheckResult("is WordPress", Status.SKIPPED, "site not reachable")
        yield CheckResult(f"{wordpress.transport.upper()} API reachable", Status.SKIPPED, "site not reachable")
        yield from skip_rest("site not reachable")
        return
    finally:
        session.close()
    yield CheckResult("site reachable", Status.OK, f"{wordpress.url} answered {home.status_code}")

    with WordPressSite(settings) as site:
        api_name = f"{site.transport.name.upper()} API reachable"
        try:
            info = site.transport.site_info()
        except NotWordPress as exc:
            yield _failure("is WordPress", exc)
            yield CheckResult(api_name, Status.SKIPPED, "not a WordPress site")
            yield from skip_rest("not a WordPress site")
            return
        except ApiUnavailable as exc:
            yield CheckResult("is WordPress", Status.OK, "the site looks like WordPress")
            yield _failure(api_name, exc)
            yield from skip_rest("API not reachable")
            return
        except BridgeError as exc:
            yield CheckResult("is WordPress", Status.SKIPPED, "could not tell")
            yield _failure(api_name, exc)
            yield from skip_rest("API not reachable")
            return
        yield CheckResult("is WordPress", Status.OK, f"{info.name or info.home_url}")
        yield CheckResult(api_name, Status.OK, info.api_url)
        if site.transport.name == "rest":
            yield (
                CheckResult("Application Passwords available", Status.OK, "offered by the site")
                if info.application_passwords
                else CheckResult(
                    "Application Passwords available",
                    Status.FAIL,
                    "the site does not offer Application Passwords",
                    "They need WordPress 5.6+ and HTTPS (or WP_ENVIRONMENT_TYPE 'local'); a plugin may have "
                    "turned them off.",
                )
            )

        if wordpress.app_password is None:
            yield CheckResult(
                "credentials accepted",
                Status.FAIL,
                f"{wordpress.password_variable} is not set",
                f"Create an application password for {wordpress.username!r} in WordPress "
                f"(Users > Profile > Application Passwords) and export {wordpress.password_variable}.",
            )
            yield from skip_rest("no credentials", after="credentials accepted")
            return
        try:
            user = site.transport.current_user()
        except AuthenticationFailed as exc:
            yield _credentials_failure(settings, site, exc)
            yield from skip_rest("credentials refused", after="credentials accepted")
            return
        except BridgeError as exc:
            yield _failure("credentials accepted", exc)
            yield from skip_rest("credentials refused", after="credentials accepted")
            return
        if not user.can_edit_posts:
            yield CheckResult(
                "credentials accepted",
                Status.FAIL,
                f"logged in as {user.name!r} ({', '.join(user.roles) or 'no role'}), who may not edit posts",
                "Use an account with the Editor role.",
            )
            yield from skip_rest("user may not edit posts", after="credentials accepted")
            return
        roles = f" ({', '.join(user.roles)})" if user.roles else ""
        yield CheckResult("credentials accepted", Status.OK, f"logged in as {user.name!r}{roles}")

        yield from _companion_checks(site, settings)


#: The companion plugin version whose features the bridge needs (the record-only endpoint); from
#: COMPANION_BRIDGE_FIELDS_VERSION on, it also tells edit locks, revisions and the stored status.
COMPANION_MIN_VERSION = "1.1.0"


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3]) or (0,)


def _credentials_failure(settings: Settings, site: WordPressSite, error: AuthenticationFailed) -> CheckResult:
    """Over REST a wrong password and a stripped Authorization header look alike; XML-RPC,
    which carries the credentials in the request body, tells them apart."""
    if site.transport.name != "rest" or error.status_code != 401:
        return _failure("credentials accepted", error)
    probe = XmlRpcTransport(settings.wordpress)
    try:
        probe.current_user()
    except AuthenticationFailed:
        return CheckResult(
            "credentials accepted",
            Status.FAIL,
            f"the site refused the Application Password of {settings.wordpress.username!r}",
            AuthenticationFailed.hint,
        )
    except BridgeError:
        return _failure("credentials accepted", error)
    finally:
        probe.close()
    return CheckResult(
        "credentials accepted",
        Status.FAIL,
        "the credentials are right (XML-RPC accepts them) but REST requests arrive without them",
        "The host strips the Authorization header: add `RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]` "
        "to the site's .htaccess (or `CGIPassAuth On`), or set `wordpress.transport = \"xmlrpc\"`.",
    )


def _companion_checks(site: WordPressSite, settings: Settings) -> Iterator[CheckResult]:
    install_hint = (
        "Run `wp-seo-bridge companion-plugin --output wp-seo-bridge-companion.php` and copy the file "
        "into the site's wp-content/mu-plugins/ folder."
    )
    try:
        companion = site.transport.companion_status()
    except BridgeError as exc:
        companion = None
        yield _failure("companion plugin", exc)
    else:
        if companion is None:
            yield CheckResult("companion plugin", Status.FAIL, "not installed: SEO fields cannot be written", install_hint)
        elif _version(companion.version) < _version(COMPANION_MIN_VERSION):
            yield CheckResult(
                "companion plugin", Status.FAIL,
                f"version {companion.version} is older than {COMPANION_MIN_VERSION}, which this bridge needs",
                "Replace the file in wp-content/mu-plugins/ with a new one: " + install_hint.split(" and copy")[0] + ".",
            )
        elif _version(companion.version) < _version(COMPANION_BRIDGE_FIELDS_VERSION):
            yield CheckResult(
                "companion plugin", Status.WARN,
                f"version {companion.version}: {COMPANION_BRIDGE_FIELDS_VERSION} or later tells sync which drafts are "
                "open in the editor, and saves requests",
                "Replace the file in wp-content/mu-plugins/ with a new one: " + install_hint.split(" and copy")[0] + ".",
            )
        else:
            yield CheckResult("companion plugin", Status.OK, f"version {companion.version}")

    seo_result, adapter = _seo_plugin_check(site, settings, companion)
    needed = (*adapter.meta_keys, RECORD_META_KEY)
    problems = []
    for post_type in settings.drafts.post_types:
        try:
            writable = site.transport.writable_meta_keys(post_type)
        except BridgeError as exc:
            problems.append(f"{post_type}: {exc.message}")
            continue
        missing = [key for key in needed if key not in writable]
        if missing:
            problems.append(f"{post_type}: {', '.join(missing)}")
    if not problems:
        yield CheckResult("SEO meta writable", Status.OK, f"{adapter.label} fields and the bridge's record, on "
                          f"{', '.join(settings.drafts.post_types)}")
    else:
        skipped = {key for keys in (companion.skipped.values() if companion else ()) for key in keys}
        hint = install_hint if companion is None else (
            "These keys are registered by the SEO plugin itself without REST access; ask its support, "
            "or register them with show_in_rest." if skipped else
            "Check that the post types support custom fields ('custom-fields') and show in REST."
        )
        yield CheckResult("SEO meta writable", Status.FAIL, "not writable: " + "; ".join(problems), hint)
    yield seo_result
    yield _notify_check(companion, settings)


NOTIFY_CHECK = "notifications from WordPress"

#: How a site turns notifications on (what the doctor says when they are off).
NOTIFY_HOW = (
    "define WP_SEO_BRIDGE_NOTIFY_URL (the address of `wp-seo-bridge watch --listen`, e.g. "
    "http://127.0.0.1:8787/notify) and WP_SEO_BRIDGE_NOTIFY_SECRET in the site's wp-config.php"
)


def _notify_check(companion: CompanionStatus | None, settings: Settings) -> CheckResult:
    """Whether the site tells the bridge when a draft is saved, and where to. They are optional: "off" is no
    failure (the periodic sync finds the drafts); a URL without its secret is a warning, and so is a site that
    notifies while this bridge has no secret to check the notifications with (``watch --listen`` would not start)."""
    if companion is None:
        return CheckResult(NOTIFY_CHECK, Status.SKIPPED, "companion plugin not installed")
    notify = companion.notify
    if notify is None:
        return CheckResult(
            NOTIFY_CHECK, Status.OK,
            f"off: companion plugin {companion.version} cannot send them (a newer one can; then {NOTIFY_HOW})",
        )
    if notify.enabled:
        types = ", ".join(notify.post_types)
        on = f"on: the site notifies {notify.url} when a draft ({types}) is saved"
        missing = _bridge_secret_problem(settings)
        if missing:
            variable = settings.wordpress.notify_secret_variable
            return CheckResult(
                NOTIFY_CHECK, Status.WARN, f"{on}, but {missing}",
                f"Set {variable} in the environment of `wp-seo-bridge watch --listen` to the value of "
                "WP_SEO_BRIDGE_NOTIFY_SECRET in the site's wp-config.php; without it the bridge cannot check the "
                "notifications and `watch --listen` does not start.",
            )
        return CheckResult(NOTIFY_CHECK, Status.OK, on)
    if notify.url:
        return CheckResult(
            NOTIFY_CHECK, Status.WARN,
            f"off: WP_SEO_BRIDGE_NOTIFY_URL is {notify.url}, but WP_SEO_BRIDGE_NOTIFY_SECRET is not set",
            "Define WP_SEO_BRIDGE_NOTIFY_SECRET in the site's wp-config.php, the same secret as the bridge's "
            "WP_SEO_BRIDGE_NOTIFY_SECRET (at least 16 characters).",
        )
    return CheckResult(NOTIFY_CHECK, Status.OK, f"off (optional): to have drafts processed as they are saved, {NOTIFY_HOW}")


def _bridge_secret_problem(settings: Settings) -> str:
    """What is wrong with this bridge's notification secret for the site ("" when nothing; never the secret)."""
    from .notify.signature import MIN_SECRET_LENGTH

    wordpress = settings.wordpress
    secret = wordpress.notify_secret.get_secret_value() if wordpress.notify_secret else ""
    if not secret:
        return f"this bridge has no secret to check them with ({wordpress.notify_secret_variable} is not set)"
    if len(secret) < MIN_SECRET_LENGTH:
        return (f"this bridge's secret ({wordpress.notify_secret_variable}) is {len(secret)} characters long, "
                f"under the {MIN_SECRET_LENGTH} `watch --listen` needs")
    return ""


def _seo_plugin_check(
    site: WordPressSite, settings: Settings, companion: CompanionStatus | None
) -> tuple[CheckResult, SeoAdapter]:
    configured = settings.wordpress.seo_plugin
    try:
        detected = detect(site.transport.site_info().namespaces, companion)
    except BridgeError:
        detected = None
    if configured == "auto":
        if detected:
            return CheckResult("SEO plugin", Status.OK, f"{detected.label} (detected)"), detected
        return (
            CheckResult(
                "SEO plugin",
                Status.WARN,
                "none detected: Yoast SEO's fields will be written",
                f"Install an SEO plugin, or set `wordpress.seo_plugin` to one of: {', '.join(ADAPTERS)}.",
            ),
            ADAPTERS["yoast"],
        )
    adapter = adapter_for(configured)
    if detected is None:
        return CheckResult("SEO plugin", Status.WARN, f"{adapter.label} (configured; not detected on the site)"), adapter
    if detected.name != adapter.name:
        return (
            CheckResult(
                "SEO plugin",
                Status.FAIL,
                f"configured {adapter.label}, but the site runs {detected.label}",
                f"Set `wordpress.seo_plugin = \"{detected.name}\"` (or \"auto\").",
            ),
            adapter,
        )
    return CheckResult("SEO plugin", Status.OK, f"{adapter.label} (configured and detected)"), adapter


def _model_check(settings: Settings) -> CheckResult:
    name = "language model reachable"
    model = settings.model
    try:
        client = make_client(model)
        try:
            available = list_models(client)
        finally:
            client.close()
    except BridgeError as exc:
        return _failure(name, exc)
    where = endpoint_name(model)
    if available and model.name not in available:
        return CheckResult(
            name,
            Status.WARN,
            f"{where} answered, but does not list model {model.name!r}",
            f"Set `model.name` to one it offers: {', '.join(sorted(available)[:8])}.",
        )
    return CheckResult(name, Status.OK, f"{where}, model {model.name!r}")

