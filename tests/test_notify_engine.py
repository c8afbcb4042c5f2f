"""What happens to a notified post, against the real WordPress and the fake model through the real SDK: it is
rewritten with no command run, once however many notifications came (the debounce), after the last of them;
put back in the queue while it is being edited or open in the editor, or while another sync holds the site's
lock; and the periodic sync, running beside it, catches a draft whose notification never came."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support.factories import settings_for
from wp_seo_bridge.journal import Journal
from tests.support.notify import SECRET, Recorder, body_for, running_service, send, wait_for
from tests.support.seed_model import SEED_MODEL_KEY, seed_text

MIN_AGE = 1.2  # seconds: sync.min_age_minutes = 0.02


@pytest.fixture
def notify_settings(wordpress, model, category, tmp_path):
    def make(**extra):
        options = dict(seo_plugin="yoast", model_base_url=model.base_url, api_key=SEED_MODEL_KEY,
                       model__max_retries=0, drafts__categories=[category], sync__min_age_minutes=MIN_AGE / 60,
                       journal__path=tmp_path / "journal.sqlite3")
        options.update(extra)
        return settings_for(wordpress.url, wordpress.editor_user, wordpress.editor_app_password,
                            raw_env={"WP_SEO_BRIDGE_NOTIFY_SECRET": SECRET}, **options)

    return make


@pytest.fixture
def draft(wordpress, category):
    def create(title: str, n: int = 1) -> int:
        return wordpress.create_post(post_title=title, post_content=seed_text(n), post_category=[category])

    return create


def chat_calls(model) -> int:
    return sum(1 for request in model.requests if request.path.endswith("/chat/completions"))


def record(wordpress, post_id: int) -> str:
    return wordpress.php(f"echo get_post_meta({post_id}, '_wp_seo_bridge_record', true);").strip()


def first_round_done(service) -> None:
    """The periodic sync's first round (at start) is over: from now on only notifications bring posts in."""
    wait_for(lambda: service.engine.rounds >= 1, timeout=30)


def outcomes(events: Recorder, post_id: int) -> list[str]:
    return [result.outcome for result in events.results_for(post_id)]


def test_a_notified_draft_is_rewritten_without_any_command(wordpress, model, notify_settings, draft, tmp_path):
    events, notices = Recorder(), []
    with running_service(notify_settings(), events=events, notices=notices) as service:
        first_round_done(service)
        post_id = draft("Notifié une fois")
        answer = send(service.url, body_for(wordpress.url, post_id))
        assert answer.status_code == 202
        wait_for(lambda: "rewritten" in outcomes(events, post_id), timeout=60)
    assert '"status":"done"' in record(wordpress, post_id).replace(" ", "")
    assert wordpress.php(f"echo get_post_status({post_id});").strip() == "draft"
    assert chat_calls(model) == 1 and [n.post_id for n in notices if n.accepted] == [post_id]
    # The journal tells the notified run from the periodic rounds (`history` shows it).
    with Journal(tmp_path / "journal.sqlite3") as journal:
        runs = journal.runs(limit=None)
        by_post = [run for run in runs if any(row["post_id"] == post_id for row in journal.run_posts(run["id"]))]
    assert by_post and {run["options"]["trigger"] for run in by_post} == {"notification"}
    assert {run["options"]["trigger"] for run in runs if run not in by_post} == {"sync"}  # this engine's rounds


def test_a_burst_of_100_notifications_for_one_post_is_one_rewrite(wordpress, model, notify_settings, draft):
    events = Recorder()
    with running_service(notify_settings(), events=events) as service:
        first_round_done(service)
        post_id = draft("Enregistré cent fois")
        session = requests.Session()
        session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=10))

        def notify(i: int) -> int:
            body = body_for(wordpress.url, post_id, modified=f"2026-12-02T16:{i // 60:02d}:{i % 60:02d}")
            return send(service.url, body, session=session).status_code

        with ThreadPoolExecutor(10) as pool:
            codes = list(pool.map(notify, range(100)))
        assert codes == [202] * 100 and len(service.queue) == 1
        wait_for(lambda: "rewritten" in outcomes(events, post_id), timeout=60)
        time.sleep(MIN_AGE + 1.5)  # long past the last notification's due time: nothing more comes
        assert len(service.queue) == 0
    assert chat_calls(model) == 1
    assert outcomes(events, post_id).count("rewritten") == 1


def test_each_notification_pushes_the_rewrite_back(wordpress, model, notify_settings, draft):
    events = Recorder()
    with running_service(notify_settings(), events=events) as service:
        first_round_done(service)
        post_id = draft("Enregistré deux fois")
        assert send(service.url, body_for(wordpress.url, post_id, "2026-12-02T16:00:00")).status_code == 202
        first_due = service.queue.due("default", post_id)
        time.sleep(0.8)
        last = time.monotonic()
        assert send(service.url, body_for(wordpress.url, post_id, "2026-12-02T16:00:01")).status_code == 202
        assert service.queue.due("default", post_id) >= first_due + 0.7
        wait_for(lambda: "rewritten" in outcomes(events, post_id), timeout=60)
    (started_at, _), = [entry for entry in events.started if entry[1] == post_id]
    assert started_at >= last + MIN_AGE, "taken before it had been quiet for min_age after the last save"
    assert chat_calls(model) == 1


def test_a_draft_edited_again_or_open_in_the_editor_is_queued_again_until_it_may_be_taken(
        wordpress, model, notify_settings, draft):
    events = Recorder()
    # Due 4.2 s after the notification; edited 2 s before that; open in the editor for 7 s more (WordPress holds
    # a lock 150 s after the editor's last heartbeat).
    with running_service(notify_settings(sync__min_age_minutes=0.07), events=events) as service:
        first_round_done(service)
        edited, opened = draft("Retouché", 1), draft("Ouvert", 2)
        wordpress.php(f"update_post_meta({opened}, '_edit_lock', (time() - 143) . ':1');")
        for post_id in (edited, opened):
            assert send(service.url, body_for(wordpress.url, post_id)).status_code == 202
        time.sleep(max(0.0, service.queue.due("default", edited) - 2.0 - time.monotonic()))
        # A save WordPress did not tell the bridge of (its notification lost): at the due time, it is too recent.
        wordpress.php(f"wp_update_post(array('ID' => {edited}, 'post_excerpt' => 'Retouché encore'));")
        wait_for(lambda: "rewritten" in outcomes(events, edited) and "rewritten" in outcomes(events, opened),
                 timeout=60)
    first_edited, first_opened = events.results_for(edited)[0], events.results_for(opened)[0]
    assert first_edited.outcome == "skipped" and "left alone for" in first_edited.reason and first_edited.wait
    assert first_opened.outcome == "skipped" and "open in the editor" in first_opened.reason
    assert 0 < first_opened.wait <= 7
    assert outcomes(events, edited)[-1] == outcomes(events, opened)[-1] == "rewritten"
    assert chat_calls(model) == 2


def test_a_site_whose_lock_another_sync_holds_is_tried_again(wordpress, model, notify_settings, draft, tmp_path):
    from wp_seo_bridge.sync.lock import SiteLock

    settings = notify_settings()
    events = Recorder()
    with running_service(settings, events=events) as service:
        first_round_done(service)
        post_id = draft("Verrouillé")
        lock = SiteLock(tmp_path, settings.wordpress.url)
        assert lock.acquire()
        try:
            assert send(service.url, body_for(wordpress.url, post_id)).status_code == 202
            wait_for(lambda: any(run.already_running for run in events.runs), timeout=30)
            assert service.queue.due("default", post_id) is not None, "put back in the queue"
            assert chat_calls(model) == 0
        finally:
            lock.release()
        wait_for(lambda: "rewritten" in outcomes(events, post_id), timeout=60)
    assert chat_calls(model) == 1


def test_a_draft_whose_notification_never_came_is_taken_by_the_next_periodic_sync(
        wordpress, model, notify_settings, draft):
    events, notices = Recorder(), []
    with running_service(notify_settings(), interval=3.0, events=events, notices=notices) as service:
        first_round_done(service)
        post_id = draft("Jamais notifié")  # the receiver was down, or the site could not reach it
        wait_for(lambda: "rewritten" in outcomes(events, post_id), timeout=60)
        wait_for(lambda: service.engine.rounds >= 2, timeout=30)  # the round that took it is over
        assert service.engine.batches == 0
    assert notices == [] and chat_calls(model) == 1


def test_a_stop_ends_the_engine_and_the_server(wordpress, notify_settings):
    with running_service(notify_settings()) as service:
        first_round_done(service)
        url = service.url
    assert not service.engine_thread.is_alive() and not service.server.thread.is_alive()
    with pytest.raises(requests.ConnectionError):
        requests.get(url.replace("/notify", "/health"), timeout=2)
    assert threading.active_count() < 50
