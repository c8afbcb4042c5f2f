"""How fast ``sync`` gets through many drafts, what it costs WordPress, and how much memory it needs.

    .venv/bin/python bench/sync_throughput.py [--drafts 16] [--delay 5.0] [--concurrency 1 8] [--memory-drafts 1000]
                                              [--transport rest] [--max-connections N] [--same-slugs]

The site is the real local WordPress of the suite (wp_seo_bridge/local_wordpress/) with the companion
plugin, and a tiny extra mu-plugin that appends one line per HTTP request WordPress serves (method,
route or XML-RPC method, status) to a file: the requests are counted on the server's side. The model
is the fake OpenAI-compatible server of the tests on loopback, through the real ``openai`` SDK,
answering each draft with its seed article's rewrite (tests/support/seed_model.py) after a fixed
delay standing for the model's writing time. Each measured run has its drafts in a category of its
own, made from the two seed articles in turn, and its own journal; each draft gets a slug of its own
from the model (``--same-slugs``: one per seed article, so that most slugs are taken). Printed:

- the machine's CPUs and load (the site, the model server and the bridge share them);
- every WordPress request of a sync over a single draft, in order, with its duration (this first
  run also pays the process's one-off imports, which the timed runs below then do not);
- for each concurrency: the wall time of ``run_sync`` over ``--drafts`` drafts, the most model calls
  in flight at once, the ratio of the first concurrency's wall time to this one's (target: 6x or
  more from 1 to 8), the Python CPU time spent and the time WordPress spent serving; WordPress
  requests per post, the run's discovery and listing included, and beyond them (target: 4 or
  fewer), with the requests of each kind by method and route;
- a ``sync --dry-run --json`` in a subprocess over no draft, 100 drafts (one page of the listing)
  and ``--memory-drafts`` drafts: its peak memory (RSS high-water mark; target under 150 MB over
  1,000; what it grows by per draft beyond the first page tells whether it is flat), its wall time
  and its WordPress requests.

Timings are figures, never assertions. Exit status 1 if something went wrong functionally: a post
not rewritten, or a dry run not listing every draft as ``would_rewrite``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.factories import settings_for
from tests.support.fake_openai import FakeOpenAI, RecordedRequest, Reply
from tests.support.seed_model import SeedModel, seed_text
from wp_seo_bridge.local_wordpress import LocalSite, start_site
from wp_seo_bridge.sync.options import SyncOptions
from wp_seo_bridge.sync.runner import run_sync

API_KEY = "sk-bench-sync"
#: XML-RPC methods about one post (the others are the run's discovery; wp.getPosts is the listing).
XMLRPC_POST_CALLS = {"wp.getPost", "wp.editPost", "wp.getTerm", "wpSeoBridge.setRecord", "wpSeoBridge.takenSlugs"}
COMPANION = ROOT / "wp_seo_bridge" / "companion" / "wp-seo-bridge-companion.php"

#: One line per web request (never for the PHP CLI runs of the harness), written when the request ends:
#: start and end times, method, URI, XML-RPC method (or "-"), HTTP status.
REQUEST_LOG_PLUGIN = r"""<?php
if ( PHP_SAPI !== 'cli' ) {
    register_shutdown_function( function () {
        $uri = isset( $_SERVER['REQUEST_URI'] ) ? $_SERVER['REQUEST_URI'] : '';
        $call = '-';
        if ( strpos( $uri, 'xmlrpc.php' ) !== false
            && preg_match( '#<methodName>\s*([^<\s]+)\s*</methodName>#', (string) file_get_contents( 'php://input' ), $m ) ) {
            $call = $m[1];
        }
        $line = sprintf( "%.6f\t%.6f\t%s\t%s\t%s\t%d\n", $_SERVER['REQUEST_TIME_FLOAT'], microtime( true ),
            $_SERVER['REQUEST_METHOD'], $uri, $call, http_response_code() );
        file_put_contents( %(log)s, $line, FILE_APPEND | LOCK_EX );
    } );
}
"""


class RequestLog:
    """The requests WordPress served, read from the mu-plugin's file; :meth:`mark` starts a new window."""

    def __init__(self, site: LocalSite, path: Path) -> None:
        self.path = path
        path.write_text("")
        plugin = REQUEST_LOG_PLUGIN.replace("%(log)s", "'" + str(path).replace("\\", "\\\\").replace("'", "\\'") + "'")
        (site.mu_plugins / "bench-request-log.php").write_text(plugin, encoding="utf-8")
        self._offset = 0

    def mark(self) -> None:
        self._offset = self.path.stat().st_size

    def since_mark(self) -> list[dict]:
        """The requests served since :meth:`mark`, in the order they started."""
        time.sleep(0.2)  # the last request's shutdown function may still be writing
        with self.path.open("rb") as handle:
            handle.seek(self._offset)
            lines = handle.read().decode("utf-8").splitlines()
        requests = []
        for line in lines:
            started, ended, method, uri, call, status = line.split("\t")
            requests.append(dict(started=float(started), seconds=float(ended) - float(started), method=method,
                                 call=call, status=int(status),
                                 **_route(uri)))
        return sorted(requests, key=lambda r: r["started"])


def _route(uri: str) -> dict:
    """The REST route (IDs as {id}) and the query's parameter names, from a request URI."""
    parts = urlsplit(uri)
    query = parse_qs(parts.query, keep_blank_values=True)
    if "rest_route" in query:
        route = unquote(query.pop("rest_route")[0])
    elif parts.path.startswith("/wp-json"):
        route = unquote(parts.path[len("/wp-json"):]) or "/"
    else:  # the home page (where the REST API's address is discovered), xmlrpc.php
        route = unquote(parts.path)
        return {"route": route, "shape": f"{route} (not the REST API)", "params": query}
    return {"route": route, "shape": "REST " + re.sub(r"/\d+(?=/|$)", "/{id}", route), "params": query}


def kind(request: dict, post_ids: set[int]) -> str:
    """"listing" (a page of the drafts' listing), "post" (about one post) or "run" (the run's discovery)."""
    if request["call"] != "-":  # XML-RPC
        if request["call"] == "wp.getPosts":
            return "listing"
        return "post" if request["call"] in XMLRPC_POST_CALLS else "run"
    if request["method"] == "GET" and "page" in request["params"] and "slug" not in request["params"]:
        return "listing"
    ids = {int(n) for n in re.findall(r"/(\d+)(?=/|$)", request["route"])}
    if ids & post_ids or "slug" in request["params"]:
        return "post"
    return "run"


def describe(request: dict) -> str:
    if request["call"] != "-":
        return f"{request['method']} xmlrpc {request['call']}"
    params = ",".join(sorted(request["params"]))
    return f"{request['method']} {request['shape']}" + (f" ?{params}" if params else "")


class DistinctSlugs:
    """:class:`SeedModel`'s answers, each with a slug of its draft's own (a short hash of the draft's title as
    the slug's last word): every draft of a seed would otherwise get the same slug, and from the second
    draft on the bridge would meet taken slugs, which real articles rarely do (``--same-slugs`` keeps them)."""

    def __init__(self, seed: SeedModel) -> None:
        self.seed = seed

    def __call__(self, request: RecordedRequest) -> Reply:
        reply = self.seed(request)
        try:
            message = reply.body["choices"][0]["message"]
            article = json.loads(message["content"])
            user = request.body["messages"][1]["content"]
            title = str(json.loads("\n".join(user.splitlines()[1:-1])).get("title", ""))
        except (TypeError, KeyError, IndexError, ValueError):
            return reply  # not a rewrite (an error reply): as it is
        token = hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]
        article["slug"] = "-".join(article["slug"].split("-")[:5] + [token])
        message["content"] = json.dumps(article, ensure_ascii=False)
        return reply


def new_category(site: LocalSite, label: str) -> int:
    name = f"bench-{label}-{uuid.uuid4().hex[:8]}"
    return int(site.php_json(f"echo json_encode(wp_insert_term('{name}', 'category'));")["term_id"])


def create_drafts(site: LocalSite, n: int, category: int, title: str) -> list[int]:
    """``n`` drafts in ``category``, made from seed articles 1 and 2 in turn (two PHP processes at most)."""
    ids: list[int] = []
    for seed in (1, 2):
        count = (n + (2 - seed)) // 2
        ids += site.create_posts(count, post_title=f"{title} (seed {seed})", post_content=seed_text(seed),
                                 post_category=[category])
    return sorted(ids)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drafts", type=int, default=16, help="drafts per measured run")
    parser.add_argument("--delay", type=float, default=5.0,
                        help="seconds each model call takes (a real model writes a 700-word article in 20-60 s)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8], help="sync concurrencies to time")
    parser.add_argument("--memory-drafts", type=int, default=1000, help="drafts of the dry run measured for memory")
    parser.add_argument("--transport", choices=("rest", "xmlrpc"), default="rest", help="wordpress.transport")
    parser.add_argument("--max-connections", type=int, default=None, help="wordpress.max_connections (default: as configured)")
    parser.add_argument("--same-slugs", action="store_true",
                        help="every draft of a seed article gets the same slug from the model (taken from the second on)")
    args = parser.parse_args()

    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp, FakeOpenAI(api_key=API_KEY) as model:
        folder = Path(tmp)
        started = time.perf_counter()
        site = start_site()
        try:
            (site.mu_plugins / COMPANION.name).write_bytes(COMPANION.read_bytes())
            log = RequestLog(site, folder / "requests.log")
            print(f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (other work slows WordPress "
                  f"and the bridge alike)")
            print(f"WordPress test site up in {time.perf_counter() - started:.1f} s ({site.url}); transport "
                  f"{args.transport}; fake model with {args.delay:.1f} s per call, "
                  f"{'the same slug for every draft of a seed' if args.same_slugs else 'a slug of its own for each draft'}")

            def settings(category: int, journal: str, **extra):
                options = {
                    "transport": args.transport, "seo_plugin": "yoast", "model_base_url": model.base_url, "api_key": API_KEY,
                    "model__max_retries": 0, "model__timeout": 60, "drafts__categories": [category],
                    "sync__min_age_minutes": 0, "journal__path": folder / journal,
                }
                if args.max_connections is not None:
                    options["wordpress__max_connections"] = args.max_connections
                options.update(extra)
                return settings_for(site.url, site.editor_user, site.editor_app_password, **options)

            def measured_run(label: str, n: int, concurrency: int):
                category = new_category(site, label)
                ids = create_drafts(site, n, category, f"Brouillon {label}")
                seed = SeedModel(delay=args.delay)
                model.responder = seed if args.same_slugs else DistinctSlugs(seed)
                config = settings(category, f"journal-{label}.sqlite3")
                log.mark()
                begun, cpu = time.perf_counter(), time.process_time()
                (result,) = run_sync(config, SyncOptions(concurrency=concurrency))
                wall, cpu = time.perf_counter() - begun, time.process_time() - cpu
                requests = log.since_mark()
                wrong = {p.id: f"{p.outcome}: {p.reason}" for p in result.posts if p.outcome != "rewritten"}
                wrong.update({i: "not in the run's results" for i in set(ids) - {p.id for p in result.posts}})
                if result.error:
                    failures.append(f"{label}: {result.error}")
                for post_id, what in sorted(wrong.items()):
                    failures.append(f"{label}: post {post_id} {what}")
                return ids, result, wall, requests, seed, cpu

            print()
            # First, as it also warms the process up (the model client and the pipeline are imported by the
            # first post of a process: several seconds the timed runs should not include).
            ids, result, wall, requests, *_ = measured_run("single", 1, 1)
            print(f"Every WordPress request of a sync over a single draft, in order ({wall:.2f} s, the process's first "
                  f"sync: imports included):")
            t0 = requests[0]["started"] if requests else 0.0
            for request in requests:
                print(f"  +{request['started'] - t0:6.3f} s  {request['seconds'] * 1000:4.0f} ms  {kind(request, set(ids)):7}  "
                      f"{request['status']}  {describe(request)}")

            print()
            print(f"Sync of {args.drafts} drafts")
            first_wall = None
            for concurrency in args.concurrency:
                ids, result, wall, requests, seed, cpu = measured_run(f"c{concurrency}", args.drafts, concurrency)
                first_wall = first_wall or wall
                rewritten = sum(1 for p in result.posts if p.outcome == "rewritten")
                print(f"  concurrency {concurrency}: wall time {wall:.2f} s; {rewritten}/{len(ids)} rewritten; "
                      f"{result.totals.calls} model calls, at most {seed.most_in_flight} in flight; "
                      f"speed-up {first_wall / wall:.2f}x over concurrency {args.concurrency[0]}")
                served = sum(r["seconds"] for r in requests)
                print(f"    Python CPU time (the bridge's threads and the fake model server's, one process): {cpu:.2f} s, "
                      f"{cpu / len(ids):.2f} s per post; WordPress busy {served:.2f} s serving its requests "
                      f"({served / max(1, len(requests)) * 1000:.0f} ms each on average, at most "
                      f"{settings(0, 'unused').wordpress.max_connections} at once from the bridge)")
                report_requests(requests, set(ids), len(ids))
            print("  (target: 6x or more from concurrency 1 to 8; 4 WordPress requests or fewer per post beyond "
                  "the run's discovery and listing)")

            print()
            memory_run(site, args, settings, log, folder, failures)
        finally:
            site.stop()

    if failures:
        print()
        print("Functional problems:")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    return 0


def report_requests(requests: list[dict], post_ids: set[int], posts: int) -> None:
    kinds = Counter(kind(r, post_ids) for r in requests)
    beyond = kinds["post"]
    print(f"    WordPress requests: {len(requests)} in all, {len(requests) / posts:.2f} per post with the run's "
          f"discovery and listing; {beyond / posts:.2f} per post beyond them ({kinds['run']} discovery, "
          f"{kinds['listing']} listing, {beyond} about a post)")
    failed = [r for r in requests if r["status"] >= 400]
    if failed:
        print(f"    of which {len(failed)} answered with an error: "
              + ", ".join(f"{describe(r)} {r['status']}" for r in failed[:5]))
    by_route = Counter((kind(r, post_ids), describe(r)) for r in requests)
    for (what, line), count in sorted(by_route.items()):
        print(f"      {count:5}  {what:7}  {line}")


#: The smaller dry run the large one is compared with: one full page of the listing (the first draft of a
#: process also loads the analysis, a one-off cost).
SMALL_DRY_RUN = 100


def memory_run(site, args, settings, log: RequestLog, folder: Path, failures: list[str]) -> None:
    """A dry run in a subprocess (``python -m wp_seo_bridge sync --dry-run --json``) over none, a few, then many drafts."""
    sizes = list(dict.fromkeys((0, min(SMALL_DRY_RUN, args.memory_drafts), args.memory_drafts)))
    categories = {}
    begun = time.perf_counter()
    for size in sizes:
        categories[size] = new_category(site, f"memory-{size}")
        create_drafts(site, size, categories[size], f"Brouillon en nombre ({size})")
    print(f"Dry run (`sync --dry-run --json` in a subprocess); {sum(sizes):,} drafts created in "
          f"{time.perf_counter() - begun:.1f} s")
    peaks: dict[int, int] = {}
    for size in sizes:
        config = settings(categories[size], f"journal-dry-{size}.sqlite3")
        log.mark()
        begun = time.perf_counter()
        code, peak, out, err = run_measured([sys.executable, "-m", "wp_seo_bridge", "sync", "--dry-run", "--json"],
                                            environment(config, site, args), folder)
        wall = time.perf_counter() - begun
        requests = log.since_mark()
        try:
            document = json.loads(out)
            listed = (document[0] if isinstance(document, list) else document)["totals"]["would_rewrite"]
        except (ValueError, KeyError, IndexError, TypeError):
            listed = None
        peaks[size] = peak
        smaller = [n for n in peaks if 0 < n < size]
        slope = (f"; {(peak - peaks[smaller[0]]) / 1024:+.1f} MB over {smaller[0]} drafts "
                 f"({(peak - peaks[smaller[0]]) / (size - smaller[0]):.1f} KB per further draft)") if smaller else ""
        kinds = Counter(kind(r, set()) for r in requests)
        print(f"  over {size:,} drafts: peak RSS {peak / 1024:.1f} MB{slope}; wall time {wall:.2f} s; exit code {code}; "
              f"would_rewrite {listed}; {len(requests)} WordPress requests "
              f"({', '.join(f'{n} {describe_short(k)}' for k, n in kinds.items())})")
        if listed != size:
            failures.append(f"dry run over {size} drafts: would_rewrite {listed}, expected {size} "
                            f"(exit code {code}; stderr: {err.strip()[-500:]})")
    print("  (target: under 150 MB over 1,000 drafts)")


def describe_short(what: str) -> str:
    return {"run": "discovery", "listing": "listing", "post": "about a post"}[what]


def _posts(document) -> list[dict]:
    if isinstance(document, list):
        return [p for d in document for p in d.get("posts", [])]
    return document.get("posts", [])


def environment(config, site: LocalSite, args) -> dict[str, str]:
    """The subprocess's environment: the same settings as ``config``, the way a user gives them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WP_SEO_BRIDGE_") and k != "OPENAI_API_KEY"}
    env.update({
        "XDG_CONFIG_HOME": "/nonexistent-wp-seo-bridge-bench",
        "NO_PROXY": "127.0.0.1,localhost",
        "WP_SEO_BRIDGE_WORDPRESS_URL": site.url,
        "WP_SEO_BRIDGE_WORDPRESS_USERNAME": site.editor_user,
        "WP_SEO_BRIDGE_WP_APP_PASSWORD": site.editor_app_password,
        "WP_SEO_BRIDGE_WORDPRESS_TRANSPORT": args.transport,
        "WP_SEO_BRIDGE_WORDPRESS_SEO_PLUGIN": "yoast",
        "WP_SEO_BRIDGE_WORDPRESS_TIMEOUT": "20",
        "WP_SEO_BRIDGE_MODEL_BASE_URL": config.model.base_url,
        "OPENAI_API_KEY": API_KEY,
        "WP_SEO_BRIDGE_DRAFTS_CATEGORIES": ",".join(map(str, config.drafts.categories)),
        "WP_SEO_BRIDGE_SYNC_MIN_AGE_MINUTES": "0",
        "WP_SEO_BRIDGE_JOURNAL_PATH": str(config.journal.path),
    })
    if args.max_connections is not None:
        env["WP_SEO_BRIDGE_WORDPRESS_MAX_CONNECTIONS"] = str(args.max_connections)
    return env


#: Runs the command given and writes its peak RSS (KB) to the file given. The command is started by this
#: small process, not by the benchmark: Linux carries the RSS high-water mark of the process that forks over
#: exec, so a child of the benchmark (a few hundred MB with its servers) would report at least that much.
PEAK_RSS_WRAPPER = """
import os, subprocess, sys
process = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(process.pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(command: list[str], env: dict[str, str], folder: Path) -> tuple[int, int, str, str]:
    """Run ``command``; (exit code, its peak RSS in KB, stdout, stderr)."""
    peak, out_path, err_path = folder / "peak-rss", folder / "stdout", folder / "stderr"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        code = subprocess.run([sys.executable, "-c", PEAK_RSS_WRAPPER, str(peak), *command], cwd=ROOT, env=env,
                              stdin=subprocess.DEVNULL, stdout=out, stderr=err, check=False).returncode
    return (code, int(peak.read_text() or 0), out_path.read_text("utf-8", "replace"),
            err_path.read_text("utf-8", "replace"))


if __name__ == "__main__":
    sys.exit(main())
