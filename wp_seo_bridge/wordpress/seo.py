"""SEO plugin adapters: where each plugin keeps a post's SEO title, meta description and keyphrase.

The meta keys are only writable over the APIs once the companion plugin has registered them
(see :mod:`wp_seo_bridge.companion`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..errors import ConfigError
from .models import CompanionStatus, SeoFields


@dataclass(frozen=True)
class SeoAdapter:
    name: str
    label: str
    title_key: str
    description_key: str
    #: None where the plugin has no focus keyphrase (The SEO Framework).
    keyphrase_key: str | None
    #: The REST namespace that betrays the plugin, if it has one.
    rest_namespace: str | None
    #: Rank Math and SEOPress keep several keyphrases, comma-separated; the first is the focus one.
    keyphrase_list: bool = False

    @property
    def meta_keys(self) -> tuple[str, ...]:
        keys = (self.title_key, self.description_key, self.keyphrase_key)
        return tuple(key for key in keys if key)

    def read(self, meta: Mapping[str, str]) -> SeoFields:
        keyphrase = meta.get(self.keyphrase_key) if self.keyphrase_key else None
        if keyphrase and self.keyphrase_list:
            keyphrase = keyphrase.split(",")[0].strip()
        return SeoFields(
            title=meta.get(self.title_key) or None,
            description=meta.get(self.description_key) or None,
            focus_keyphrase=keyphrase or None,
        )

    def to_meta(self, fields: SeoFields, current: Mapping[str, str]) -> dict[str, str]:
        """The meta values that set ``fields``; secondary keyphrases already on the post are kept."""
        meta: dict[str, str] = {}
        if fields.title is not None:
            meta[self.title_key] = fields.title
        if fields.description is not None:
            meta[self.description_key] = fields.description
        if fields.focus_keyphrase is not None and self.keyphrase_key:
            value = fields.focus_keyphrase
            if self.keyphrase_list:
                others = [k.strip() for k in current.get(self.keyphrase_key, "").split(",")[1:] if k.strip()]
                value = ",".join([value, *others])
            meta[self.keyphrase_key] = value
        return meta


ADAPTERS: dict[str, SeoAdapter] = {
    adapter.name: adapter
    for adapter in (
        SeoAdapter("yoast", "Yoast SEO", "_yoast_wpseo_title", "_yoast_wpseo_metadesc", "_yoast_wpseo_focuskw", "yoast/v1"),
        SeoAdapter(
            "rankmath", "Rank Math", "rank_math_title", "rank_math_description", "rank_math_focus_keyword",
            "rankmath/v1", keyphrase_list=True,
        ),
        SeoAdapter(
            "seopress", "SEOPress", "_seopress_titles_title", "_seopress_titles_desc", "_seopress_analysis_target_kw",
            "seopress/v1", keyphrase_list=True,
        ),
        SeoAdapter("seoframework", "The SEO Framework", "_genesis_title", "_genesis_description", None, None),
    )
}


def adapter_for(name: str) -> SeoAdapter:
    try:
        return ADAPTERS[name]
    except KeyError:
        raise ConfigError(
            f"Unknown SEO plugin {name!r}.", hint=f"Set `wordpress.seo_plugin` to one of: auto, {', '.join(ADAPTERS)}."
        ) from None


def detect(namespaces: Iterable[str], companion: CompanionStatus | None) -> SeoAdapter | None:
    """The active SEO plugin, from the REST namespaces or else from the companion plugin's report."""
    available = set(namespaces)
    for adapter in ADAPTERS.values():
        if adapter.rest_namespace and adapter.rest_namespace in available:
            return adapter
    if companion and companion.seo_plugin in ADAPTERS:
        return ADAPTERS[companion.seo_plugin]
    return None
