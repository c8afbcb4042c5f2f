"""The name guard: a capitalised word opening a sentence, a title, or what follows a colon or an opening
quotation mark is no name when it is an ordinary French word (its vocabulary comes from the analyzer's
lists, CLDR and the number words, not from a list of openers); real names the draft lacks are still caught."""

from __future__ import annotations

import pytest

from wp_seo_bridge.article import ArticleProposal, assemble
from wp_seo_bridge.content import parse
from wp_seo_bridge.guards import check_facts
from wp_seo_bridge.guards.facts.ordinary import number_word, ordinary_word

DRAFT = (
    "<p>La commune de Saint-Loup publie son rapport annuel sur les services publics. Le maire, Anne Leroy, "
    "présente les travaux des écoles et des transports, et le conseil municipal en débat en séance publique.</p>"
)

#: Ordinals, adjectives, determiners, adverbs, prepositions and nouns that open French sentences.
OPENERS = [
    "Deuxième", "Troisième", "Quatrième", "Neuvième", "Vingtième", "Vingt-et-unième", "Quarante-deuxième",
    "Centième", "Énième", "Deuxièmes", "Prochaine", "Prochain", "Prochaines", "Dernière", "Derniers", "Premières",
    "Selon", "Depuis", "Outre", "Face", "Côté", "Plusieurs", "Chaque", "Certaines", "Désormais", "Ensuite",
    "Hier", "Demain", "Cette", "Quelques", "Trois", "Quarante", "Nouvelle", "Semaine", "Matin",
]


def name_findings(text: str, *, title: str = "Le rapport annuel") -> list[str]:
    data = {
        "title": title, "seo_title": title, "meta_description": "", "focus_keyphrase": "rapport annuel",
        "slug": "rapport-annuel-commune", "excerpt": "",
        "sections": [{"heading": "Le rapport", "level": 2, "blocks": [
            {"type": "paragraph", "text": text, "items": None, "ordered": None, "citation": None},
        ]}],
    }
    document = parse(DRAFT)
    found = check_facts(document, assemble(ArticleProposal.model_validate(data), document))
    return [f.item for f in found if f.guard == "fact:name"]


@pytest.mark.parametrize("word", OPENERS)
def test_an_ordinary_word_opening_a_sentence_is_no_name(word):
    assert ordinary_word(word)
    # Opening the paragraph, a later sentence, what follows a colon or a quotation mark, and the title.
    text = (f"{word} étape pour la commune. Le maire présente le rapport. {word} point du rapport. Le conseil "
            f"en débat : {word} mesure pour les écoles. « {word} séance », dit le maire.")
    assert name_findings(text) == []
    assert name_findings("Le maire présente le rapport.", title=f"{word} rapport de la commune") == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Bruxelles a approuvé le rapport de la commune.", ["Bruxelles"]),
        ("Macron salue le rapport de la commune.", ["Macron"]),
        ("Deuxième victoire pour Jean Dupont, qui salue le rapport.", ["Jean Dupont"]),
        ("Selon Jean Dupont, le rapport est bon.", ["Jean Dupont"]),
        ("Prochaine étape : Lyon accueille le conseil.", ["Lyon"]),
        ("« Nous saluons ce rapport », dit Vladimir Poutine au maire.", ["Vladimir Poutine"]),
        ("Côté Renault, le maire se tait.", ["Renault"]),
    ],
)
def test_names_the_draft_lacks_are_still_caught(text, names):
    assert name_findings(text) == names


def test_the_drafts_own_names_pass():
    assert name_findings("Anne Leroy présente le rapport de Saint-Loup. Prochaine séance : Anne Leroy conclut.") == []


@pytest.mark.parametrize("word", ["Trois", "vingt-trois", "Quatre-vingt-dix", "Deux-centième", "Millièmes", "Onzième"])
def test_number_words_in_any_form(word):
    assert number_word(word)


@pytest.mark.parametrize("word", ["Macron", "Vienne", "Siemens", "Étienne", "Lyon", "Tours", "Dupont", "Poutine"])
def test_names_are_not_ordinary_words(word):
    assert not ordinary_word(word) and not number_word(word)
