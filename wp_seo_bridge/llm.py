"""The language-model endpoint: OpenAI or any OpenAI-compatible server, through the ``openai`` SDK."""

from __future__ import annotations

import functools
import json
import time
from dataclasses import dataclass
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import pydantic
from pydantic import BaseModel

from .config import API_KEY_ENV, ModelSettings
from .errors import ModelAnswerRejected, ModelError, NotAChatCompletion
from .urls import redacted_endpoint, redacted_text

if TYPE_CHECKING:  # the SDK takes most of a second to import: only where a model is called
    import openai

#: Local servers (Ollama, vLLM...) ignore the key, but the SDK requires one.
_PLACEHOLDER_KEY = "not-needed"


def make_client(
    settings: ModelSettings, *, on_rate_limit: Callable[[float | None], None] | None = None
) -> openai.OpenAI:
    """An SDK client for the configured endpoint, with its timeout and retry policy.

    ``on_rate_limit`` is told of every 429 answer (with its ``Retry-After`` in seconds, if any), including
    those the SDK then retries by itself: a many-post run slows down with it. The client is safe to share
    between threads.
    """
    import openai

    if settings.api_key is None and not settings.base_url:
        raise ModelError(
            f"No API key for OpenAI: {API_KEY_ENV} is not set.",
            hint=f"Set {API_KEY_ENV}, or point `model.base_url` at an OpenAI-compatible server.",
        )
    key = settings.api_key.get_secret_value() if settings.api_key else _PLACEHOLDER_KEY
    endpoint = split_endpoint(settings.base_url) if settings.base_url else None
    return openai.OpenAI(
        api_key=key,
        base_url=endpoint.base_url if endpoint else None,
        default_query=endpoint.query if endpoint and endpoint.query else None,
        default_headers=endpoint.headers if endpoint and endpoint.headers else None,
        timeout=settings.timeout,
        max_retries=settings.max_retries,
        http_client=_watching_client(on_rate_limit) if on_rate_limit else None,
    )


def _watching_client(on_rate_limit: Callable[[float | None], None]) -> Any:
    """The SDK's default HTTP client, telling ``on_rate_limit`` of each 429 answer."""
    import openai

    def watch(response: Any) -> None:
        if response.status_code == 429:
            on_rate_limit(_retry_after(response.headers))

    return openai.DefaultHttpx2Client(event_hooks={"response": [watch]})


def _retry_after(headers: Any) -> float | None:
    """``Retry-After`` (seconds, or an HTTP date) or OpenAI's ``retry-after-ms``, in seconds."""
    import email.utils
    from datetime import datetime, timezone

    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(0.0, float(milliseconds) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


@dataclass(frozen=True)
class Endpoint:
    """``model.base_url`` as the SDK takes it: the address alone, its query string as parameters sent with
    every request, and its user name and password as HTTP Basic authentication."""

    base_url: str
    query: dict[str, str]
    headers: dict[str, str]


def split_endpoint(url: str) -> Endpoint:
    """Split ``url`` into what the SDK needs: the SDK appends paths to the base URL as text, so a query
    string left in it would end up before ``/chat/completions``."""
    import base64
    from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port is not None else host
    headers = {}
    if parts.username is not None or parts.password is not None:
        user, password = unquote(parts.username or ""), unquote(parts.password or "")
        token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    return Endpoint(urlunsplit((parts.scheme, netloc, parts.path, "", "")), query, headers)


def endpoint_name(settings: ModelSettings) -> str:
    """The endpoint as shown and stored: without credentials or query string (see :mod:`.urls`)."""
    return redacted_endpoint(settings.base_url) if settings.base_url else "OpenAI (api.openai.com)"


def list_models(client: openai.OpenAI) -> list[str]:
    """The model IDs the endpoint offers. Raises :class:`ModelError` with a hint."""
    import openai

    try:
        raw = client.models.with_raw_response.list()
        try:
            data = json.loads(raw.content)
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("data"), list):
            content_type = raw.headers.get("content-type", "").split(";")[0].strip() or "no content type"
            got = (f"a page that is not JSON ({content_type}: perhaps a proxy's or a login page)" if data is None
                   else "JSON that is not a model listing")
            raise ModelError(
                f"The language-model endpoint did not answer a model listing: it sent {got}.",
                hint="Check `model.base_url`: it must be the OpenAI-compatible API's base address, usually ending "
                "in /v1 (e.g. http://localhost:11434/v1), not a web page or a proxy's.",
            )
        return [model.id for model in raw.parse()]
    except openai.AuthenticationError:
        raise ModelError(
            "The language-model endpoint refused the API key (401).", hint=f"Check {API_KEY_ENV}."
        ) from None
    except openai.APITimeoutError:
        raise ModelError(
            "The language-model endpoint did not answer in time.", hint="Check `model.base_url`, or raise `model.timeout`."
        ) from None
    except openai.APIConnectionError:
        raise ModelError(
            "Cannot connect to the language-model endpoint.",
            hint="Check `model.base_url` (e.g. http://localhost:11434/v1 for Ollama) and that the server is up.",
        ) from None
    except openai.APIStatusError as exc:
        raise ModelError(
            f"The language-model endpoint answered {exc.status_code} to a model listing.",
            hint="Check `model.base_url`: it must be the API's base, usually ending in /v1.",
        ) from None


# -- structured answers -------------------------------------------------------------------------

StructuredMode = Literal["json_schema", "json_object"]
T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class CallRecord:
    """One model call, as the journal keeps it."""

    model: str
    endpoint: str
    mode: str
    usage: Usage
    duration_ms: int
    outcome: str  # "ok" or the error's class name
    error: str = ""


@dataclass(frozen=True)
class StructuredAnswer(Generic[T]):
    value: T
    mode: StructuredMode
    calls: tuple[CallRecord, ...]


def _usage(completion: Any) -> Usage:
    usage = getattr(completion, "usage", None)
    try:
        return Usage(int(getattr(usage, "prompt_tokens", 0) or 0), int(getattr(usage, "completion_tokens", 0) or 0))
    except (TypeError, ValueError):  # an endpoint's odd idea of a usage
        return Usage()


def _rejects_json_schema(error: openai.BadRequestError) -> bool:
    """An endpoint saying it does not support ``response_format: json_schema``."""
    text = str(error).lower()
    return "response_format" in text or "json_schema" in text or "structured" in text


def complete_structured(
    client: openai.OpenAI,
    settings: ModelSettings,
    messages: list[dict[str, str]],
    schema: type[T],
    *,
    mode: StructuredMode | Literal["auto"] = "auto",
) -> StructuredAnswer[T]:
    """Ask for an answer matching ``schema``.

    Strict JSON-schema mode first; where the endpoint refuses it (400 naming
    ``response_format``), ``json_object`` mode with validation here. An answer that is cut
    off, refused, or not valid JSON for ``schema`` raises :class:`ModelAnswerRejected`.
    """
    import openai

    calls: list[CallRecord] = []
    modes: list[StructuredMode] = ["json_schema", "json_object"] if mode == "auto" else [mode]
    for index, current in enumerate(modes):
        started = time.monotonic()
        record = functools.partial(
            CallRecord, settings.name, endpoint_name(settings), current
        )
        try:
            value, usage = _ask(client, settings, messages, schema, current)
        except openai.BadRequestError as exc:
            calls.append(record(Usage(), _ms(started), type(exc).__name__, _short(exc)))
            if current == "json_schema" and index + 1 < len(modes) and _rejects_json_schema(exc):
                continue
            raise ModelError(
                f"The model endpoint refused the request (400): {_short(exc)}",
                hint="Check `model.name`; set `model.structured_output = \"json_object\"` for endpoints "
                "without JSON-schema support.",
                calls=tuple(calls),
            ) from None
        except ModelAnswerRejected as exc:
            calls.append(record(exc.usage or Usage(), _ms(started), type(exc).__name__, exc.message))
            exc.calls = tuple(calls)
            raise
        except openai.APIError as exc:
            calls.append(record(Usage(), _ms(started), type(exc).__name__, _short(exc)))
            error = _api_error(exc)
            error.calls = tuple(calls)
            raise error from None
        calls.append(record(usage, _ms(started), "ok"))
        return StructuredAnswer(value, current, tuple(calls))
    raise AssertionError("unreachable")


def _ask(client, settings, messages, schema, mode):
    import openai

    if mode == "json_schema":
        try:
            raw = client.chat.completions.with_raw_response.parse(
                model=settings.name, messages=messages, response_format=schema, **_sampling(settings)
            )
            _require_chat_completion(raw, settings)
            completion = raw.parse()
        except openai.LengthFinishReasonError as exc:
            raise _cut_off(_usage(exc.completion)) from None
        except (pydantic.ValidationError, ValueError) as exc:
            raise _rejected(f"The model's answer is not the JSON asked for: {_short(exc)}", Usage()) from None
        choice = completion.choices[0]
        usage = _usage(completion)
        if choice.message.refusal:
            raise _rejected(f"The model refused: {choice.message.refusal[:300]}", usage)
        if choice.message.parsed is None:
            raise _rejected("The model's answer has no content.", usage)
        return choice.message.parsed, usage
    raw = client.chat.completions.with_raw_response.create(
        model=settings.name, messages=messages, response_format={"type": "json_object"}, **_sampling(settings)
    )
    _require_chat_completion(raw, settings)
    completion = raw.parse()
    choice = completion.choices[0]
    usage = _usage(completion)
    if choice.finish_reason == "length":
        raise _cut_off(usage)
    refusal = getattr(choice.message, "refusal", None)
    if refusal:
        raise _rejected(f"The model refused: {refusal[:300]}", usage)
    try:
        return schema.model_validate_json(choice.message.content or ""), usage
    except pydantic.ValidationError as exc:
        raise _rejected(f"The model's answer is not the JSON asked for: {_short(exc)}", usage) from None


def _require_chat_completion(raw: Any, settings: ModelSettings) -> None:
    """Raise :class:`NotAChatCompletion` unless the endpoint's answer (before the SDK reads it) is a chat
    completion with a choice: a proxy's or a login page, another API's JSON or an empty ``choices`` is not."""
    try:
        data = json.loads(raw.content)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        content_type = raw.headers.get("content-type", "").split(";")[0].strip() or "no content type"
        got = (f"a page that is not JSON ({content_type}: perhaps a proxy's or a login page)" if data is None
               else "JSON that is not a chat completion")
        raise _not_a_completion(settings, got, Usage())
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    try:
        spent = Usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))
    except (TypeError, ValueError):
        spent = Usage()
    choices = data.get("choices")
    if not isinstance(choices, list):
        raise _not_a_completion(settings, "JSON that is not a chat completion (it has no choices)", spent)
    if not choices or not isinstance(choices[0], dict) or not isinstance(choices[0].get("message"), dict):
        raise _not_a_completion(settings, "a completion without any answer (no choice with a message)", spent)


def _not_a_completion(settings: ModelSettings, got: str, usage: Usage) -> NotAChatCompletion:
    return NotAChatCompletion(
        f"The language-model endpoint {endpoint_name(settings)} did not return a chat completion: it sent {got}.",
        hint="Check `model.base_url`: it must be the OpenAI-compatible API's base address, usually ending in "
        "/v1 (e.g. http://localhost:11434/v1), not a web page or a proxy's; `wp-seo-bridge doctor` checks it.",
        usage=usage,
    )


def _sampling(settings: ModelSettings) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if settings.temperature is not None:
        options["temperature"] = settings.temperature
    if settings.max_output_tokens is not None:
        options["max_completion_tokens"] = settings.max_output_tokens
    return options


def _rejected(message: str, usage: Usage) -> ModelAnswerRejected:
    return ModelAnswerRejected(message, usage=usage)


def _cut_off(usage: Usage) -> ModelAnswerRejected:
    return _rejected(
        f"The model's answer was cut off at its length limit ({usage.completion_tokens} tokens written).", usage
    ) if usage.completion_tokens else _rejected("The model's answer was cut off at its length limit.", usage)


def _api_error(exc: openai.APIError) -> ModelError:
    import openai

    if isinstance(exc, openai.AuthenticationError):
        return ModelError("The language-model endpoint refused the API key (401).", hint=f"Check {API_KEY_ENV}.")
    if isinstance(exc, openai.APITimeoutError):
        return ModelError("The language model did not answer in time.", hint="Raise `model.timeout`, or try later.")
    if isinstance(exc, openai.APIConnectionError):
        return ModelError("Cannot connect to the language-model endpoint.", hint="Check `model.base_url`.")
    if isinstance(exc, openai.RateLimitError):
        return ModelError(
            "The language-model endpoint is rate-limiting (429) and retries ran out.",
            hint="Wait and run again, or raise `model.max_retries`.",
        )
    status = getattr(exc, "status_code", None)
    return ModelError(
        f"The language-model endpoint failed ({status}): {_short(exc)}", hint="Try again later; nothing was written."
    )


def _short(exc: Exception) -> str:
    return redacted_text(" ".join(str(exc).split()))[:300]


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
