"""Slug rules, the prompt template, and the output format choice."""

from __future__ import annotations

import pytest

from tests.support.factories import settings_for
from wp_seo_bridge.bridge import output_format
from wp_seo_bridge.content import parse
from wp_seo_bridge.errors import ConfigError
from wp_seo_bridge.prompt import build_messages
from wp_seo_bridge.slug import make_slug


@pytest.mark.parametrize(
    ("suggestion", "keyphrase", "title", "expected"),
    [
        ("Aide chinoise à la Russie : l’imagerie satellitaire", "aide chinoise", "", "aide-chinoise-russie-imagerie-satellitaire"),
        ("ÉTÉ CHAUD À L’ÉLYSÉE", "été chaud", "", "ete-chaud-elysee"),
        ("", "matériel non létal", "La Chine et le matériel non létal", "materiel-non-letal"),
        ("la-russie-et-la-chine", "aide chinoise", "", "aide-chinoise-russie-chine"),
        ("un deux trois quatre cinq six sept huit", "un deux", "", "deux-trois-quatre-cinq-six-sept"),
        ("Pékin", "relation sans limites", "Pékin et Moscou", "relation-limites-pekin"),
    ],
)
def test_slug_rules(suggestion, keyphrase, title, expected):
    slug = make_slug(suggestion, keyphrase, title)
    assert slug == expected
    assert slug.isascii() and slug == slug.lower() and 3 <= slug.count("-") + 1 <= 6


def test_slug_made_unique():
    taken = {"aide-chinoise-russie", "aide-chinoise-russie-pekin"}
    assert make_slug("aide chinoise russie", "aide chinoise", "Pékin Moscou", taken=lambda batch: taken & set(batch)) == (
        "aide-chinoise-russie-moscou"
    )
    assert make_slug("aide chinoise russie", "aide chinoise", "", taken=lambda batch: {s for s in batch if not s.endswith("-3")}) == (
        "aide-chinoise-russie-3"
    )


def settings(**extra):
    return settings_for("https://site.test", "ed", None, model_base_url="http://127.0.0.1:9/v1", **extra)


def test_site_prompt_template_replaces_the_built_in_rules(tmp_path):
    template = tmp_path / "prompt.txt"
    template.write_text("Rédige en $language_name, $min_words mots, ton : $tone. $instructions Données : $begin_marker")
    s = settings(rewrite__prompt_template=str(template), rewrite__min_words=900, rewrite__instructions="Pas d’anglicismes.")
    system, user = build_messages(s.rewrite, "Titre", parse("Un paragraphe."))
    assert system["content"].startswith("Rédige en French, 900 mots, ton : clear")
    assert "Pas d’anglicismes." in system["content"]
    assert user["content"].splitlines()[0] in system["content"]


def test_a_bad_template_variable_is_named(tmp_path):
    template = tmp_path / "prompt.txt"
    template.write_text("Écris $langue.")
    s = settings(rewrite__prompt_template=str(template))
    with pytest.raises(ConfigError, match="'langue'"):
        build_messages(s.rewrite, "Titre", parse("Un paragraphe."))


def test_language_and_word_target_reach_the_prompt():
    s = settings(rewrite__language="es", rewrite__min_words=1200)
    system = build_messages(s.rewrite, "Título", parse("Un párrafo."))[0]["content"]
    assert "written in Spanish" in system and "At least 1200 words" in system


@pytest.mark.parametrize(
    ("configured", "content", "expected"),
    [
        ("auto", "<p>Classique.</p>\n\n<p>Deux.</p>", "classic"),
        ("auto", "Texte brut.", "blocks"),
        ("auto", "<!-- wp:paragraph -->\n<p>Bloc.</p>\n<!-- /wp:paragraph -->", "blocks"),
        ("classic", "Texte brut.", "classic"),
        ("blocks", "<p>Classique.</p>", "blocks"),
    ],
)
def test_output_format(configured, content, expected):
    assert output_format(settings(rewrite__output=configured), parse(content)) == expected
