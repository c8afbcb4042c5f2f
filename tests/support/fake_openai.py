"""A fake OpenAI-compatible server on loopback, spoken to through the real ``openai`` SDK.

It answers ``GET /v1/models`` from :attr:`FakeOpenAI.models`, and any request from replies queued
per path with :meth:`FakeOpenAI.queue` (status, JSON body or raw bytes, headers such as a
``Content-Type`` of ``text/html`` for a proxy's page, delay); when nothing is
queued, a :attr:`FakeOpenAI.responder` may compute the reply from the request (e.g. one answer per
part of a long draft). Every request is recorded, so tests can check what the SDK sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    #: The query string, without its ``?``.
    query: str = ""


class FakeOpenAI:
    def __init__(self, api_key: str | None = None) -> None:
        #: When set, requests without ``Authorization: Bearer <api_key>`` get 401.
        self.api_key = api_key
        self.models = ["gpt-4o-mini"]
        self.requests: list[RecordedRequest] = []
        #: Computes the reply to a request when none is queued for its path (None: 404).
        self.responder: Callable[[RecordedRequest], Reply] | None = None
        self._replies: dict[str, deque[Reply]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def queue(self, path: str, *replies: Reply) -> None:
        """Answer the next requests to ``path`` (e.g. ``/v1/chat/completions``) with ``replies``."""
        with self._lock:
            self._replies[path].extend(replies)

    def _next_reply(self, request: RecordedRequest) -> Reply:
        method, path = request.method, request.path
        with self._lock:
            if self._replies[path]:
                return self._replies[path].popleft()
        if self.responder is not None and method == "POST":
            return self.responder(request)
        if method == "GET" and path == "/v1/models":
            data = [{"id": name, "object": "model", "created": 0, "owned_by": "fake"} for name in self.models]
            return Reply(body={"object": "list", "data": data})
        return Reply(404, {"error": {"message": f"no reply queued for {method} {path}", "type": "not_found"}})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                path, _, query = self.path.partition("?")
                request = RecordedRequest(self.command, path, {k.lower(): v for k, v in self.headers.items()}, body,
                                          query)
                fake.requests.append(request)
                if fake.api_key is not None and self.headers.get("Authorization") != f"Bearer {fake.api_key}":
                    reply = Reply(401, {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error",
                                                  "code": "invalid_api_key"}})
                else:
                    reply = fake._next_reply(request)
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.headers.get("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(payload)))
                for name, value in reply.headers.items():
                    if name != "Content-Type":
                        self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _serve

        return Handler


def chat_completion(
    content: str | None,
    *,
    finish_reason: str = "stop",
    refusal: str | None = None,
    model: str = "gpt-4o-mini",
    prompt_tokens: int = 1500,
    completion_tokens: int = 1100,
) -> dict[str, Any]:
    """A ``/v1/chat/completions`` answer as OpenAI sends it."""
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def answer(content: str | None, **kwargs: Any) -> Reply:
    """A successful chat completion carrying ``content``."""
    return Reply(body=chat_completion(content, **kwargs))


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, {"error": {"message": message, "type": "server_error", "code": None}}, headers or {})


CHAT = "/v1/chat/completions"


def html_page(text: str = "<html><body><h1>Sign in</h1></body></html>") -> Reply:
    """A 200 web page where a chat completion was expected: a proxy's or a login page."""
    return Reply(body=text.encode("utf-8"), headers={"Content-Type": "text/html; charset=utf-8"})


def no_choices() -> Reply:
    """A chat completion without any choice (some gateways send this when a filter drops the answer)."""
    return Reply(body={**chat_completion(None), "choices": []})


def acting_first(action: Callable[[], object], reply: Reply) -> Callable[[RecordedRequest], Reply]:
    """A responder that runs ``action`` (an editor's change, say) when a request arrives, then sends ``reply``.

    The change then happens while the model is answering, after the bridge read the post, however
    fast or slow the machine is (a timer cannot promise that).
    """
    lock = threading.Lock()

    def respond(request: RecordedRequest) -> Reply:
        with lock:
            action()
        return reply

    return respond
