"""The language-model endpoint: OpenAI or any OpenAI-compatible server, through the ``openai`` SDK."""

from __future__ import annotations

import openai

from .config import API_KEY_ENV, ModelSettings
from .errors import ModelError

#: Local servers (Ollama, vLLM...) ignore the key, but the SDK requires one.
_PLACEHOLDER_KEY = "not-needed"


def make_client(settings: ModelSettings) -> openai.OpenAI:
    """An SDK client for the configured endpoint, with its timeout and retry policy."""
    if settings.api_key is None and not settings.base_url:
        raise ModelError(
            f"No API key for OpenAI: {API_KEY_ENV} is not set.",
            hint=f"Set {API_KEY_ENV}, or point `model.base_url` at an OpenAI-compatible server.",
        )
    key = settings.api_key.get_secret_value() if settings.api_key else _PLACEHOLDER_KEY
    return openai.OpenAI(
        api_key=key, base_url=settings.base_url or None, timeout=settings.timeout, max_retries=settings.max_retries
    )


def endpoint_name(settings: ModelSettings) -> str:
    return settings.base_url or "OpenAI (api.openai.com)"


def list_models(client: openai.OpenAI) -> list[str]:
    """The model IDs the endpoint offers. Raises :class:`ModelError` with a hint."""
    try:
        return [model.id for model in client.models.list()]
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
