"""How long after an author saves a draft the rewritten draft is there, with nobody running a command.

    .venv/bin/python bench/save_to_rewrite.py [--drafts 5] [--delay 2.0] [--min-age 3.0]

The site is the real local WordPress of the suite (wp_seo_bridge/local_wordpress/) with the companion plugin,
notifying the bridge (its ``WP_SEO_BRIDGE_NOTIFY_URL`` and ``_SECRET`` constants set as wp-config.php would);
the bridge is the real ``wp-seo-bridge watch --listen`` in a process of its own; the model is the fake
OpenAI-compatible server of the tests on loopback, through the real ``openai`` SDK, answering each draft with
its seed article's rewrite after a fixed delay (``--delay``). An author saves the drafts one after another over
REST (each once the previous one is rewritten), and the bridge's record on each is watched for over REST.

Printed, per draft and as median and maximum: the time from the save's response to the rewritten draft; and
that time minus the debounce (``sync.min_age_minutes``, ``--min-age`` seconds here) and the model's latency
(``--delay``): the bridge's own overhead (target: under 5 s). Figures only, no assertion; exit status 1 when
a draft was not rewritten at all.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.fake_openai import FakeOpenAI  # noqa: E402
from tests.support.notify import SECRET, send  # noqa: E402
from tests.support.notify_wordpress import make_user, notify_config, rest  # noqa: E402
from tests.support.seed_model import SeedModel, new_category, seed_text  # noqa: E402
from wp_seo_bridge.local_wordpress import start_site  # noqa: E402

API_KEY = "sk-bench-save-to-rewrite"
COMPANION = ROOT / "wp_seo_bridge" / "companion" / "wp-seo-bridge-companion.php"
TARGET_S = 5.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drafts", type=int, default=5, help="drafts saved, one after the other")
    parser.add_argument("--delay", type=float, default=2.0, help="seconds each model call takes")
    parser.add_argument("--min-age", type=float, default=3.0, help="the debounce, seconds (sync.min_age_minutes)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-notify-") as tmp, FakeOpenAI(api_key=API_KEY) as model:
        model.responder = SeedModel(delay=args.delay)
        started = time.perf_counter()
        site = start_site()
        watch = None
        try:
            (site.mu_plugins / COMPANION.name).write_bytes(COMPANION.read_bytes())
            print(f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; WordPress test site up in "
                  f"{time.perf_counter() - started:.1f} s ({site.url})")
            category = new_category(site)
            author = make_user(site, "author")
            port = free_port()
            env = {k: v for k, v in os.environ.items() if not k.startswith(("WP_SEO_BRIDGE_", "OPENAI_"))}
            env.update({
                "XDG_CONFIG_HOME": f"{tmp}/config", "XDG_DATA_HOME": f"{tmp}/data", "NO_COLOR": "1", "COLUMNS": "200",
                "WP_SEO_BRIDGE_WORDPRESS_URL": site.url, "WP_SEO_BRIDGE_WORDPRESS_USERNAME": site.editor_user,
                "WP_SEO_BRIDGE_WP_APP_PASSWORD": site.editor_app_password, "WP_SEO_BRIDGE_WORDPRESS_SEO_PLUGIN": "yoast",
                "WP_SEO_BRIDGE_MODEL_BASE_URL": model.base_url, "OPENAI_API_KEY": API_KEY,
                "WP_SEO_BRIDGE_MODEL_TIMEOUT": "60", "WP_SEO_BRIDGE_DRAFTS_CATEGORIES": str(category),
                "WP_SEO_BRIDGE_SYNC_MIN_AGE_MINUTES": str(args.min_age / 60), "WP_SEO_BRIDGE_NOTIFY_SECRET": SECRET,
            })
            log = open(Path(tmp) / "watch.log", "w+", encoding="utf-8")
            watch = subprocess.Popen([sys.executable, "-m", "wp_seo_bridge", "watch", "--listen", str(port),
                                      "--interval", "3600"], env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
                                     cwd=ROOT)
            url = f"http://127.0.0.1:{port}/notify"

            def receiving() -> bool:
                try:
                    return send(url, b"{}", secret="x" * 32).status_code == 401
                except OSError:
                    return False

            if not wait_until(receiving, 60) or watch.poll() is not None:
                log.seek(0)
                print("watch --listen did not start:\n" + log.read())
                return 1
            print(f"watch --listen on {url}; debounce {args.min_age:g} s; fake model {args.delay:g} s per call")
            rows = []
            session = requests.Session()
            session.auth = (site.editor_user, site.editor_app_password)
            with notify_config(site, url, secret=SECRET):
                for i in range(args.drafts):
                    saved = rest(site, author, "POST", "posts", json={
                        "title": f"Brouillon {i + 1}", "content": seed_text(1 + i % 2), "status": "draft",
                        "categories": [category]})
                    saved_at = time.monotonic()
                    post_id = saved.json()["id"]

                    def rewritten() -> bool:
                        meta = session.get(f"{site.url}/wp-json/wp/v2/posts/{post_id}",
                                           params={"context": "edit", "_fields": "meta"}, timeout=10).json()["meta"]
                        return bool(meta.get("_wp_seo_bridge_record"))

                    done = wait_until(rewritten, 120, step=0.1)
                    total = time.monotonic() - saved_at if done else None
                    rows.append((post_id, total))
                    overhead = f"{total - args.min_age - args.delay:6.2f} s" if total is not None else "   not rewritten"
                    shown_total = f"{total:6.2f} s" if total is not None else "     -"
                    print(f"  post {post_id}: save -> rewritten {shown_total}; overhead {overhead}")
            totals = [total for _, total in rows if total is not None]
            if totals:
                overheads = [total - args.min_age - args.delay for total in totals]
                print(f"Save -> rewritten over {len(totals)} drafts: median {statistics.median(totals):.2f} s, "
                      f"max {max(totals):.2f} s")
                print(f"Overhead beyond the debounce and the model (target under {TARGET_S:g} s): median "
                      f"{statistics.median(overheads):.2f} s, max {max(overheads):.2f} s")
            calls = sum(1 for r in model.requests if r.path.endswith("/chat/completions"))
            print(f"Model calls: {calls} for {args.drafts} drafts")
            return 0 if len(totals) == args.drafts else 1
        finally:
            if watch is not None and watch.poll() is None:
                watch.send_signal(signal.SIGTERM)
                try:
                    watch.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    watch.kill()
            site.stop()


if __name__ == "__main__":
    sys.exit(main())
