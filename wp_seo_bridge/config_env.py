"""The configuration's environment variables: ``WP_SEO_BRIDGE_<SECTION>_<KEY>`` overrides, read strictly.

Each variable's text is converted to its key's type here (``true``/``false``, whole numbers,
numbers, comma-separated lists), and a value that cannot be, or is not valid UTF-8, is refused
with the variable's name: the configuration file is never blamed for the environment.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any, get_args

from pydantic import BaseModel

from .errors import ConfigError
from .urls import redacted_text

ENV_PREFIX = "WP_SEO_BRIDGE_"
BASE_URL_ENV = "OPENAI_BASE_URL"
CONFIG_ENV = "WP_SEO_BRIDGE_CONFIG"
APP_PASSWORD_ENV = "WP_SEO_BRIDGE_WP_APP_PASSWORD"
API_KEY_ENV = "OPENAI_API_KEY"
#: The secret WordPress signs its notifications with (``watch --listen``), for every site without its own
#: (``WP_SEO_BRIDGE_SITES_<NAME>_NOTIFY_SECRET``, :func:`~wp_seo_bridge.config_sites.notify_secret_variable`).
NOTIFY_SECRET_ENV = "WP_SEO_BRIDGE_NOTIFY_SECRET"

#: For each ``(section, key)`` set from the environment: the variable's name and its text.
Origins = dict[tuple[str, str], tuple[str, str]]


def env_text(env: Mapping[str, str], name: str) -> str:
    """An environment variable's value; one that is not valid UTF-8 is refused, naming the variable only."""
    value = env.get(name, "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ConfigError(
            f"The environment variable {name} is not valid UTF-8 text.",
            hint=f"Set {name} again from a UTF-8 terminal or file.",
        ) from None
    return value


def refuse_unknown_variables(
    env: Mapping[str, str], sections: Mapping[str, type[BaseModel]], known: Iterable[str]
) -> None:
    """Refuse a ``WP_SEO_BRIDGE_...`` variable that sets nothing (a typo, or a key that does not exist), as an
    unknown key in the file is refused: naming the closest variable, never showing the value."""
    names = {
        f"{ENV_PREFIX}{section}_{key}".upper()
        for section, model in sections.items() for key, key_field in model.model_fields.items() if not key_field.exclude
    } | set(known)
    unknown = sorted(name for name in env if name.startswith(ENV_PREFIX) and name not in names)
    if not unknown:
        return
    lines = []
    for name in unknown:
        suffixes = {known_name.removeprefix(ENV_PREFIX): known_name for known_name in names}
        guess = difflib.get_close_matches(name.removeprefix(ENV_PREFIX), sorted(suffixes), n=1, cutoff=0.75)
        lines.append(f"  - {name}" + (f" (did you mean {suffixes[guess[0]]}?)" if guess else ""))
    raise ConfigError(
        "Unknown environment variable(s), which set nothing:\n" + "\n".join(lines),
        hint=f"Correct or unset them. A configuration key `section.key` is set by {ENV_PREFIX}SECTION_KEY (the "
        "keys are in config.example.toml); the application password goes in "
        f"{ENV_PREFIX}WP_APP_PASSWORD, the model's API key in OPENAI_API_KEY.",
    )


def apply_env_overrides(
    data: dict[str, Any], env: Mapping[str, str], sections: Mapping[str, type[BaseModel]]
) -> Origins:
    """Apply ``WP_SEO_BRIDGE_<SECTION>_<KEY>`` variables (and ``OPENAI_BASE_URL``) for every known key.

    Values are converted to the key's type here (``true``/``false``, whole numbers, numbers, lists),
    and a value that cannot be is refused with its variable's name. Returns, for each
    ``(section, key)`` set from the environment, the variable's name and its text.
    """
    origins: Origins = {}
    for section_name, section_model in sections.items():
        for key, key_field in section_model.model_fields.items():
            if key_field.exclude:
                continue
            variable = f"{ENV_PREFIX}{section_name}_{key}".upper()
            if variable not in env:
                continue
            raw = env_text(env, variable)
            section = data.setdefault(section_name, {})
            if isinstance(section, dict):  # else the file's section is malformed, and validation says so
                section[key] = _env_value(raw, key_field, variable, f"{section_name}.{key}")
            origins[(section_name, key)] = (variable, raw)
    model = data.get("model")
    if env.get(BASE_URL_ENV) and not (isinstance(model, Mapping) and model.get("base_url")):
        data.setdefault("model", {})["base_url"] = env_text(env, BASE_URL_ENV)
        origins[("model", "base_url")] = (BASE_URL_ENV, env[BASE_URL_ENV])
    return origins


def _env_value(raw: str, key_field: Any, variable: str, location: str) -> Any:
    """An environment variable's text as the value its key takes (the key's type, strictly)."""
    kind = _base_type(key_field.annotation)
    if kind is list:
        return [item.strip() for item in raw.split(",") if item.strip()]
    text = raw.strip()
    if kind is bool:
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise _bad_env_value(variable, raw, "is not a boolean (true or false)", location)
    if kind is int:
        try:
            return int(text)
        except ValueError:
            raise _bad_env_value(variable, raw, "is not a whole number", location) from None
    if kind is float:
        try:
            number = float(text)
        except ValueError:
            raise _bad_env_value(variable, raw, "is not a number", location) from None
        if number != number:
            raise _bad_env_value(variable, raw, "is not a number", location)
        if number in (float("inf"), float("-inf")):
            raise _bad_env_value(variable, raw, "is not a finite number", location)
        return number
    return raw


def _base_type(annotation: Any) -> Any:
    """``bool``, ``int``, ``float``, ``list``... for an annotation such as ``StrictInt | None``."""
    candidates = [annotation]
    while candidates:
        current = candidates.pop(0)
        origin = getattr(current, "__origin__", None)
        if current in (bool, int, float, list) or origin is list:
            return list if origin is list else current
        candidates += [arg for arg in get_args(current) if arg is not type(None)]
    return str


def _bad_env_value(variable: str, raw: str, problem: str, location: str) -> ConfigError:
    return ConfigError(
        f"Invalid configuration in the environment: {variable} = {redacted_text(raw)!r} {problem} "
        f"(it sets `{location}`).",
        hint=f"Correct or unset the {variable} environment variable.",
    )
