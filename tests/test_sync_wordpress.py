"""Sync against the real WordPress and the fake model server: each draft once, faults per post, the budget."""

from __future__ import annotations

import json
import threading

import pytest

from tests.support.factories import settings_for
from tests.support.fake_openai import FakeOpenAI, RecordedRequest, Reply
from tests.support.seed_model import seed_text
from wp_seo_bridge.journal import Journal
from wp_seo_bridge.sync.options import SyncOptions
from wp_seo_bridge.sync.runner import run_sync
from tests.support.seed_model import SEED_MODEL_KEY as API_KEY


@pytest.fixture
def configure(wordpress, model, category, tmp_path):
    def settings(**extra):
        options = dict(
            seo_plugin="yoast", model_base_url=model.base_url, api_key=API_KEY, model__max_retries=0,
            drafts__categories=[category], sync__min_age_minutes=0, journal__path=tmp_path / "journal.sqlite3",
        )
        options.update(extra)
        return settings_for(wordpress.url, wordpress.editor_user, wordpress.editor_app_password, **options)

    return settings


@pytest.fixture
def draft(wordpress, category):
    def create(title: str = "Brouillon", n: int = 1, **fields) -> int:
        return wordpress.create_post(post_title=title, post_content=seed_text(n), post_category=[category], **fields)

    return create


def state(wordpress, post_id: int) -> dict:
    data = wordpress.php_json(
        f"echo json_encode(array('post' => get_post({post_id}, ARRAY_A), 'record' => get_post_meta({post_id}, "
        f"'_wp_seo_bridge_record', true)));"
    )
    data["record"] = json.loads(data["record"]) if data["record"] else None
    return data


def outcomes(result) -> dict[int, tuple[str, str]]:
    return {p.id: (p.outcome, p.reason) for p in result.posts}


def chat_calls(model: FakeOpenAI) -> int:
    return sum(1 for r in model.requests if r.path.endswith("/chat/completions"))


def test_each_new_draft_is_rewritten_once_and_a_second_run_calls_no_model(wordpress, model, configure, draft):
    ids = [draft("Premier", 1), draft("Deuxième", 2), draft("Troisième", 1)]
    (first,) = run_sync(configure(), SyncOptions(concurrency=3))
    assert {i: o for i, (o, _) in outcomes(first).items()} == {i: "rewritten" for i in ids}
    assert first.totals.rewritten == 3 and first.totals.calls == 3 and first.exit_code == 0
    assert first.totals.prompt_tokens == 3 * 1500 and first.totals.cost is None  # prices unknown: not free
    for post_id in ids:
        after = state(wordpress, post_id)
        assert after["post"]["post_status"] == "draft" and after["record"]["status"] == "done"
        assert after["record"]["written_hash"]
    assert all(p.before and p.after and p.after.seo == "good" for p in first.posts)
    calls = chat_calls(model)
    (second,) = run_sync(configure(), SyncOptions())
    assert chat_calls(model) == calls
    assert {o for o, _ in outcomes(second).values()} == {"skipped"}
    assert all("rewritten by the bridge" in reason and "untouched since" in reason for _, reason in outcomes(second).values())
    assert second.exit_code == 0


def test_published_scheduled_private_and_open_posts_are_never_touched(wordpress, model, configure, draft):
    published = draft("Publié", post_status="publish")
    scheduled = draft("Programmé", post_status="future", post_date="2030-01-01 10:00:00")
    private = draft("Privé", post_status="private")
    open_now = draft("Ouvert")
    wordpress.php(f"update_post_meta({open_now}, '_edit_lock', time() . ':1');")
    before = {i: state(wordpress, i) for i in (published, scheduled, private, open_now)}
    (listed,) = run_sync(configure(), SyncOptions())
    assert outcomes(listed) == {open_now: ("skipped", outcomes(listed)[open_now][1])}
    assert "open in the editor (user 1" in outcomes(listed)[open_now][1]
    (named,) = run_sync(configure(), SyncOptions(posts=(published, scheduled, private), force=True))
    assert [o for o, _ in outcomes(named).values()] == ["skipped"] * 3
    assert [r.split(":")[0] for _, r in outcomes(named).values()] == ["published", "scheduled", "private"]
    assert chat_calls(model) == 0
    assert {i: state(wordpress, i) for i in before} == before


def test_a_draft_still_being_written_waits(wordpress, model, configure, draft):
    post_id = draft("Tout frais")
    (result,) = run_sync(configure(sync__min_age_minutes=10), SyncOptions())
    assert outcomes(result)[post_id][0] == "skipped" and "left alone for 10 min" in outcomes(result)[post_id][1]
    assert chat_calls(model) == 0


def test_an_edit_made_while_the_model_answers_is_kept_and_the_next_run_takes_the_post(wordpress, model, configure, draft):
    post_id = draft("Disputé")
    seed = model.responder

    def edit_then_answer(request: RecordedRequest) -> Reply:
        if not getattr(edit_then_answer, "done", False):
            edit_then_answer.done = True
            wordpress.php(f"wp_update_post(array('ID' => {post_id}, 'post_title' => 'Corrigé par la rédaction'));")
        return seed(request)

    model.responder = edit_then_answer
    (first,) = run_sync(configure(), SyncOptions())
    assert outcomes(first)[post_id] == ("skipped", outcomes(first)[post_id][1])
    assert "edited during rewrite" in outcomes(first)[post_id][1]
    kept = state(wordpress, post_id)
    assert kept["post"]["post_title"] == "Corrigé par la rédaction" and kept["record"] is None
    assert kept["post"]["post_content"] == seed_text(1)
    (second,) = run_sync(configure(), SyncOptions())
    assert outcomes(second)[post_id][0] == "rewritten"


def test_faults_stay_with_their_post(wordpress, model, configure, draft):
    fine = [draft("Sans souci", 1), draft("Sans souci non plus", 2)]
    server_error, bad_answer, rate_limited = draft("Panne [500]"), draft("Réponse [bad]"), draft("Quota [429]")
    (result,) = run_sync(configure(model__max_retries=1), SyncOptions(concurrency=4))
    got = outcomes(result)
    assert [got[i][0] for i in fine] == ["rewritten", "rewritten"]
    assert got[server_error][0] == got[bad_answer][0] == got[rate_limited][0] == "failed"
    assert "(500)" in got[server_error][1] and "429" in got[rate_limited][1] and "JSON" in got[bad_answer][1]
    assert result.exit_code == 1
    # An answer that cost money and would be the same again is recorded on the post; an outage is not.
    assert state(wordpress, bad_answer)["record"]["status"] == "failed"
    assert state(wordpress, server_error)["record"] is None and state(wordpress, rate_limited)["record"] is None
    (again,) = run_sync(configure(), SyncOptions())
    got = outcomes(again)
    assert got[server_error][0] == got[rate_limited][0] == "failed"  # tried again: the outage may be over
    assert got[bad_answer][0] == "skipped" and "taken again once the draft changes" in got[bad_answer][1]


def test_a_wordpress_error_on_one_post_does_not_stop_the_others(wordpress, model, configure, draft):
    broken, fine = draft("Cassé"), draft("Intact", 2)
    plugin = f"""<?php
add_filter('rest_pre_dispatch', function ($result, $server, $request) {{
    if ($request->get_method() === 'POST' && $request->get_route() === '/wp/v2/posts/{broken}') {{
        return new WP_Error('db_error', 'Database went away', array('status' => 500));
    }}
    return $result;
}}, 10, 3);
"""
    with wordpress.mu_plugin("sync-broken-post.php", plugin):
        (result,) = run_sync(configure(), SyncOptions(concurrency=2))
    got = outcomes(result)
    assert got[fine][0] == "rewritten" and got[broken][0] == "failed" and "500" in got[broken][1]
    assert state(wordpress, broken)["post"]["post_content"] == seed_text(1)


def test_needs_attention_waits_for_the_author_then_is_rewritten(wordpress, model, configure, draft):
    post_id = draft("Chiffres [attention]")
    (first,) = run_sync(configure(), SyncOptions())
    assert outcomes(first)[post_id][0] == "needs_attention" and first.exit_code == 1
    record = state(wordpress, post_id)["record"]
    assert record["status"] == "needs attention" and record["reasons"]
    calls = chat_calls(model)
    (second,) = run_sync(configure(), SyncOptions())
    assert outcomes(second)[post_id][0] == "skipped" and chat_calls(model) == calls
    wordpress.php(f"wp_update_post(array('ID' => {post_id}, 'post_title' => 'Chiffres vérifiés'));")
    (third,) = run_sync(configure(), SyncOptions())
    assert outcomes(third)[post_id][0] == "rewritten"


def test_the_budget_stops_new_posts_and_says_so(wordpress, model, configure, draft):
    ids = [draft(f"Budget {i}", 1 + i % 2) for i in range(4)]
    # 1,500 prompt and 1,100 completion tokens a call, at 1 per million each: 0.0026 a post.
    settings = configure(model__input_price_per_million=1, model__output_price_per_million=1)
    (result,) = run_sync(settings, SyncOptions(concurrency=1, max_cost=0.004))
    assert result.budget_reached and result.totals.rewritten == 2 and result.totals.cost == pytest.approx(0.0052)
    assert [p.id for p in result.posts] == ids[:2]
    with Journal(settings.journal.path) as journal:
        assert journal.run(result.run_id)["status"] == "finished"


def test_a_budget_without_prices_is_refused_before_anything(wordpress, model, configure, draft):
    from wp_seo_bridge.errors import ConfigError

    draft("Sans prix")
    with pytest.raises(ConfigError, match="prices"):
        run_sync(configure(), SyncOptions(max_cost=1))
    assert chat_calls(model) == 0


def test_a_dry_run_lists_what_it_would_do_and_spends_nothing(wordpress, model, configure, draft):
    new, rewritten = draft("Nouveau"), draft("Déjà fait", 2)
    run_sync(configure(), SyncOptions(posts=(rewritten,)))
    calls = chat_calls(model)
    before = state(wordpress, new)
    (result,) = run_sync(configure(), SyncOptions(dry_run=True))
    got = outcomes(result)
    assert got[new][0] == "would_rewrite" and got[rewritten][0] == "skipped"
    assert result.posts[0].before is not None
    assert chat_calls(model) == calls and state(wordpress, new) == before


def test_limit_and_forced_post(wordpress, model, configure, draft):
    ids = [draft(f"Limité {i}") for i in range(3)]
    (limited,) = run_sync(configure(), SyncOptions(limit=2, concurrency=1))
    assert [p.id for p in limited.posts if p.outcome == "rewritten"] == ids[:2]
    (forced,) = run_sync(configure(), SyncOptions(posts=(ids[0],), force=True))
    assert outcomes(forced)[ids[0]][0] == "rewritten"
    (unforced,) = run_sync(configure(), SyncOptions(posts=(ids[0],)))
    assert outcomes(unforced)[ids[0]][0] == "skipped"


def test_two_syncs_of_one_site_at_once_run_one_after_the_other_never_both(wordpress, model, configure, draft):
    post_id = draft("Une seule fois")
    model.responder.delay = 1.5
    results: list = []
    runs = [threading.Thread(target=lambda: results.extend(run_sync(configure(), SyncOptions()))) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(60)
    assert sorted(r.already_running for r in results) == [False, True]
    done = next(r for r in results if not r.already_running)
    assert outcomes(done)[post_id][0] == "rewritten" and chat_calls(model) == 1


def test_a_post_opened_in_the_editor_while_the_model_answers_waits_and_keeps_its_answer(
    wordpress, model, configure, draft
):
    post_id = draft("Ouvert pendant la réécriture")
    seed = model.responder
    opened: list[bool] = []

    def open_then_answer(request: RecordedRequest) -> Reply:
        if not opened:
            opened.append(True)
            wordpress.php(f"update_post_meta({post_id}, '_edit_lock', time() . ':1');")
        return seed(request)

    model.responder = open_then_answer
    (first,) = run_sync(configure(), SyncOptions())
    assert outcomes(first)[post_id][0] == "skipped" and "opened in the editor" in outcomes(first)[post_id][1]
    assert state(wordpress, post_id)["record"] is None
    assert state(wordpress, post_id)["post"]["post_content"] == seed_text(1)
    wordpress.php(f"delete_post_meta({post_id}, '_edit_lock');")  # the editor closed it without saving
    calls = chat_calls(model)
    (second,) = run_sync(configure(), SyncOptions())
    assert outcomes(second)[post_id][0] == "rewritten" and chat_calls(model) == calls  # the kept answer


def test_timeouts_and_cut_off_answers_stay_with_their_post(wordpress, model, configure, draft):
    fine, slow_model, cut_off, slow_site = draft("Sans souci"), draft("Lent [slow]"), draft("Coupé [cut]"), draft("Site lent")
    plugin = f"""<?php
add_filter('rest_pre_dispatch', function ($result, $server, $request) {{
    if ($request->get_method() === 'POST' && $request->get_route() === '/wp/v2/posts/{slow_site}') {{
        sleep(5);
    }}
    return $result;
}}, 10, 3);
"""
    # Timeouts of 2 s: the slow model answers after 3 s and the slow post after 5 s, while the other posts'
    # requests have room on a busy machine.
    with wordpress.mu_plugin("sync-slow-post.php", plugin):
        (result,) = run_sync(configure(model__timeout=2, wordpress__timeout=2, wordpress__max_attempts=1),
                             SyncOptions(concurrency=4))
    got = outcomes(result)
    assert got[fine][0] == "rewritten"
    assert got[slow_model][0] == "failed" and "in time" in got[slow_model][1]
    assert got[cut_off][0] == "failed" and "cut off" in got[cut_off][1]
    assert got[slow_site][0] == "failed" and "did not answer within" in got[slow_site][1]
    assert state(wordpress, slow_model)["record"] is None  # an outage: taken again next time
    assert state(wordpress, cut_off)["record"]["status"] == "failed"  # paid for, and would be cut off again
