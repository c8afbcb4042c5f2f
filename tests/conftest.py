"""Shared fixtures for the test suite."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from tests.support.browser_fixtures import browser, browser_users, page, pytest_runtest_makereport  # noqa: F401
from wp_seo_bridge.local_wordpress import MISSING_HINT, LocalSite, WordPressUnavailable, start_site

COMPANION_NAME = "wp-seo-bridge-companion.php"


def _companion_plugin() -> bytes | None:
    """The companion mu-plugin shipped in the package, or None if it does not exist (yet)."""
    try:
        from importlib.resources import files

        resource = files("wp_seo_bridge") / "companion" / COMPANION_NAME
        return resource.read_bytes() if resource.is_file() else None
    except Exception:  # the package cannot be imported: read the source tree
        path = Path(__file__).parents[1] / "wp_seo_bridge" / "companion" / COMPANION_NAME
        return path.read_bytes() if path.is_file() else None


@pytest.fixture(scope="session")
def wordpress() -> Iterator[LocalSite]:
    """A real WordPress (PHP built-in server + private MariaDB) on 127.0.0.1, one per session.

    Skipped when it cannot start (packages missing), except in CI (CI=true)
    where that is a failure.  The companion plugin, when present, is installed
    as an mu-plugin.
    """
    try:
        site = start_site()
    except WordPressUnavailable as exc:
        message = str(exc) if MISSING_HINT in str(exc) else (
            f"The WordPress test site could not start (packages: "
            f"`sudo bash scripts/install.sh --test`): {exc}"
        )
        if os.environ.get("CI", "").strip().lower() in {"true", "1"}:
            pytest.fail(f"CI=true, so this is a failure, not a skip. {message}", pytrace=False)
        pytest.skip(message)
    try:
        companion = _companion_plugin()
        if companion is not None:
            (site.mu_plugins / COMPANION_NAME).write_bytes(companion)
        yield site
    finally:
        site.stop()


@pytest.fixture
def make_site(wordpress):
    """Build a connected :class:`WordPressSite` for the test site (editor credentials by default).

    ``make_site(transport="xmlrpc", seo_plugin="yoast", url=..., username=..., password=...,
    drafts__tags=[...], wordpress__timeout=0.3)``: keys with ``__`` are SECTION__KEY overrides.
    """
    from tests.support.factories import settings_for
    from wp_seo_bridge.wordpress.site import WordPressSite

    opened: list[WordPressSite] = []

    def factory(*, url=None, username=None, password=None, **options):
        settings = settings_for(
            url or wordpress.url,
            username or wordpress.editor_user,
            password if password is not None else wordpress.editor_app_password,
            **options,
        )
        site = WordPressSite(settings)
        opened.append(site)
        return site

    yield factory
    for site in opened:
        site.close()


@pytest.fixture
def without_companion(wordpress):
    """The test site without the companion plugin, for the duration of one test."""
    installed = wordpress.mu_plugins / COMPANION_NAME
    parked = wordpress.root / (COMPANION_NAME + ".parked")
    installed.rename(parked)
    try:
        yield
    finally:
        parked.rename(installed)


@pytest.fixture
def model():
    """The fake model server answering each draft made from a seed article with that seed's rewrite, with a
    fault where the draft's title asks for one (tests/support/seed_model.py); API key ``SEED_MODEL_KEY``."""
    from tests.support.fake_openai import FakeOpenAI
    from tests.support.seed_model import SEED_MODEL_KEY, SeedModel

    with FakeOpenAI(api_key=SEED_MODEL_KEY) as server:
        server.responder = SeedModel()
        yield server


@pytest.fixture
def category(wordpress) -> int:
    """A category of the test's own on the shared test site (see ``new_category``)."""
    from tests.support.seed_model import new_category

    return new_category(wordpress)
