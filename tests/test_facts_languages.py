"""The fact guard reads each text in its own language and compares values; it also finds facts lost.

A draft in English, German, Spanish or Italian is translated into French: its figures, dates
and quotations must come through with the same values, written the French way.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wp_seo_bridge.article import ArticleProposal, assemble
from wp_seo_bridge.content import parse
from wp_seo_bridge.guards import check_facts
from wp_seo_bridge.guards.facts import draft_language, extract_mentions
from wp_seo_bridge.guards.facts.locales import group_symbol, locale_data

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
ENGLISH_DRAFT = (FIXTURES / "drafts" / "english.txt").read_text(encoding="utf-8")


def english_rewrite() -> dict:
    return json.loads((FIXTURES / "rewrites" / "english-draft.json").read_text(encoding="utf-8"))


def paragraph(text: str) -> dict:
    return {"type": "paragraph", "text": text, "items": None, "ordered": None, "citation": None}


def article_of(*paragraphs: str, heading: str = "Le contexte") -> dict:
    return {
        "title": "Un titre", "seo_title": "Un titre", "meta_description": "", "focus_keyphrase": "titre",
        "slug": "un-titre-court", "excerpt": "",
        "sections": [{"heading": heading, "level": 2, "blocks": [paragraph(p) for p in paragraphs]}],
    }


def findings(data: dict, draft: str, **options):
    document = parse(draft)
    return check_facts(document, assemble(ArticleProposal.model_validate(data), document), **options)


def summary(found) -> list[tuple[str, str]]:
    return [(f.guard, f.item) for f in found]


def values(text: str, language: str) -> list[tuple]:
    """What is compared: digits and words alike ("six" = "6")."""
    return [
        ("number" if m.kind == "word" else m.kind, m.value, m.percent, m.currency, m.day, m.month, m.year)
        for m in extract_mentions(text, language)
    ]


# -- reading values in a language -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("draft", "language", "french"),
    [
        ("14,000", "en", "14 000"),
        ("14,000", "en", "14\u202f000"),
        ("9.6 million", "en", "9,6 millions"),
        ("€9.6m", "en", "9,6 millions d’euros"),
        ("$1.2bn", "en", "1,2 milliard de dollars"),
        ("US$300 billion", "en", "300 milliards de dollars"),
        ("£3bn", "en", "3 milliards de livres"),
        ("3.5%", "en", "3,5 %"),
        ("12.4 per cent", "en", "12,4 %"),
        ("April 15, 2024", "en", "15 avril 2024"),
        ("15 April 2024", "en", "15 avril 2024"),
        ("Sept. 3", "en", "3 septembre"),
        ("six", "en", "6"),
        ("six", "en", "six"),
        ("twenty-three", "en", "vingt-trois"),
        ("twenty-third", "en", "vingt-troisième"),  # a compound ordinal is one figure, not 20 and 3
        ("twenty-first", "en", "vingt-et-unième"),
        ("the forty-second day", "en", "le quarante-deuxième jour"),
        ("101st", "en", "cent-unième"),
        ("two million", "en", "2 millions"),
        ("2:30 p.m.", "en", "14 h 30"),
        ("on Tuesday", "en", "mardi"),
        ("15. April 2024", "de", "15 avril 2024"),
        ("1,2 Milliarden Dollar", "de", "1,2 milliard de dollars"),
        ("3,5 Prozent", "de", "3,5 %"),
        ("14.000", "de", "14 000"),
        ("9,6 Mio. Euro", "de", "9,6 millions d’euros"),
        ("15 de abril de 2024", "es", "15 avril 2024"),
        ("1.200 millones de dólares", "es", "1,2 milliard de dollars"),
        ("3,5 por ciento", "es", "3,5 %"),
        ("15 aprile 2024", "it", "15 avril 2024"),
        ("1,2 miliardi di dollari", "it", "1,2 milliard de dollars"),
        ("dopo sei mesi", "it", "après six mois"),
    ],
)
def test_the_same_value_written_in_two_languages(draft, language, french):
    read = values(draft, language)
    assert read and read == values(french, "fr")


@pytest.mark.parametrize(
    ("draft", "language", "french"),
    [
        ("1,500 jobs", "en", "1,5 emploi"),  # a comma groups thousands in English, not in French
        ("1.5 billion", "en", "1,5 billion"),  # an English billion is a French milliard
        ("$1.2bn", "en", "1,2 milliard d’euros"),
        ("3.5%", "en", "3,5"),
        ("April 15, 2024", "en", "15 avril 2023"),
        ("9,6 Mio. Euro", "de", "9,6 millions de dollars"),
    ],
)
def test_a_different_value_is_not_the_same(draft, language, french):
    assert values(draft, language) != values(french, "fr")


def test_separators_months_and_days_come_from_cldr():
    assert group_symbol("fr") == "\u202f" and group_symbol("en") == ","
    assert locale_data("de").decimal == "," and locale_data("en").decimal == "."
    assert locale_data("it").month_number("aprile") == 4 and locale_data("es").month_number("sept") == 9
    # A language without number words still has its digits, dates and symbols (Portuguese here).
    assert values("3,5 % em 15 de abril de 2024", "pt") == [
        ("number", pytest.approx(3.5), True, None, None, None, None), ("date", None, False, None, 15, 4, 2024)
    ]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Britain under Theresa May said it would act.", "en"),  # a name, not the month
        ("Tu sei stato chiaro.", "it"),  # "you are", not six
        ("Un matériel neuf a été livré.", "fr"),  # new, not nine
        ("The 100m sprint", "en"),  # metres, not millions
    ],
)
def test_words_that_only_look_like_figures(text, language):
    assert [m for m in extract_mentions(text, language) if m.kind in ("month", "word") or m.scaled] == []


def test_the_drafts_language_is_detected():
    assert draft_language(parse(ENGLISH_DRAFT), "fr") == "en"
    assert draft_language(parse((SEEDS / "article-1.txt").read_text(encoding="utf-8")), "en") == "fr"
    assert draft_language(parse("2024 — 45 %"), "fr") == "fr"


# -- an English draft translated into French ----------------------------------------------------------


def test_a_faithful_translation_of_an_english_draft_passes():
    assert findings(english_rewrite(), ENGLISH_DRAFT, require_all=True) == []


def replace(data: dict, old: str, new: str) -> dict:
    for section in data["sections"]:
        for block in section["blocks"]:
            if block["text"] and old in block["text"]:
                block["text"] = block["text"].replace(old, new)
                return data
    raise AssertionError(old)


@pytest.mark.parametrize(
    ("old", "new", "invented", "lost"),
    [
        ("14&nbsp;000 personnes", "15&nbsp;000 personnes", "15 000", "14,000"),
        ("3,5&nbsp;%", "4,5&nbsp;%", "4,5 %", "3.5%"),
        ("1,2&nbsp;milliard de dollars", "1,2&nbsp;milliard d’euros", "1,2 milliard d’euros", "$1.2bn"),
        ("15&nbsp;avril 2024", "15&nbsp;avril 2023", "15 avril 2023", "April 15, 2024"),
        ("le 3&nbsp;septembre", "le 4&nbsp;septembre", "4 septembre", "September 3"),
        ("1,2&nbsp;milliard", "1,2&nbsp;billion", "1,2 billion de dollars", "$1.2bn"),
    ],
)
def test_a_changed_figure_is_invented_and_the_drafts_one_lost(old, new, invented, lost):
    found = findings(replace(english_rewrite(), old, new), ENGLISH_DRAFT, require_all=True)
    assert ("fact:number", invented) in summary(found)
    assert [item for guard, item in summary(found) if guard == "fact:missing"] == [lost]


@pytest.mark.parametrize(
    ("old", "lost", "what"),
    [
        (" Ce plan prévoit aussi un investissement de 1,2&nbsp;milliard de dollars dans des locomotives électriques.",
         "$1.2bn", "amount"),
        ("Son chiffre d’affaires a reculé de 3,5&nbsp;%, à", "Son chiffre d’affaires s’est établi à", "percentage"),
        (" Les syndicats ont appelé à la grève le 3&nbsp;septembre.", "September 3", "date"),
        ("a annoncé mardi qu’il", "a annoncé qu’il", "day"),
    ],
)
def test_a_dropped_figure_is_named_as_the_draft_wrote_it(old, lost, what):
    data = english_rewrite()
    if what == "percentage":
        data = replace(data, old, lost)
        lost = "3.5%"
    else:
        data = replace(data, old, "" if what != "day" else lost)
        lost = {"day": "Tuesday"}.get(what, lost)
    found = findings(data, ENGLISH_DRAFT, require_all=True)
    assert summary(found) == [("fact:missing", lost)]
    assert found[0].message.startswith(f'The draft\'s {what} "{lost}" is missing from the article')
    assert findings(data, ENGLISH_DRAFT) == []  # not asked for: only invention is checked


def test_translated_quotations_stand_for_the_drafts():
    dropped = findings(replace(english_rewrite(), "« une trahison des cheminots »", "une trahison"), ENGLISH_DRAFT,
                       require_all=True)
    assert summary(dropped) == [("fact:missing", '"a betrayal of rail workers"')]
    assert "translated faithfully" in dropped[0].message
    extra = replace(english_rewrite(), "selon l’entreprise.", "selon l’entreprise, qui parle d’une « année noire ».")
    assert summary(findings(extra, ENGLISH_DRAFT, require_all=True)) == [("fact:quote", "« année noire »")]
    # The original words are fine too.
    kept = replace(english_rewrite(), "« une trahison des cheminots »", "« a betrayal of rail workers »")
    assert findings(kept, ENGLISH_DRAFT, require_all=True) == []


def test_country_names_are_translated_other_names_are_not():
    assert findings(english_rewrite(), ENGLISH_DRAFT) == []  # "Allemagne" for "Germany"
    data = replace(english_rewrite(), "en France et en Allemagne", "en France, en Allemagne et chez Alstom")
    assert summary(findings(data, ENGLISH_DRAFT)) == [("fact:name", "Alstom")]


# -- other languages: the open mechanism ------------------------------------------------------------

OTHER_DRAFTS = {
    "de": (
        "Der Güterverkehrsbetreiber Aurelia Rail will bis Ende 2025 insgesamt 1.200 Stellen streichen. Der Umsatz "
        "sank im ersten Halbjahr um 3,5 Prozent auf 412 Millionen Euro. Der Sanierungsplan vom 15. April 2024 sieht "
        "Investitionen von 1,2 Milliarden Dollar vor."
    ),
    "es": (
        "La operadora de mercancías Aurelia Rail suprimirá 1.200 empleos antes de finales de 2025. Sus ingresos "
        "cayeron un 3,5 por ciento, hasta 412 millones de euros. El plan de reestructuración del 15 de abril de 2024 "
        "prevé una inversión de 1.200 millones de dólares."
    ),
    "it": (
        "L'operatore merci Aurelia Rail taglierà 1.200 posti di lavoro entro la fine del 2025. Il fatturato è sceso "
        "del 3,5 per cento, a 412 milioni di euro. Il piano di risanamento del 15 aprile 2024 prevede un "
        "investimento di 1,2 miliardi di dollari."
    ),
}
FRENCH_OF_OTHERS = (
    "Le transporteur de fret Aurelia Rail va supprimer 1 200 emplois d’ici à la fin de 2025. Son chiffre d’affaires "
    "a reculé de 3,5 %, à 412 millions d’euros. Le plan de redressement du 15 avril 2024 prévoit un investissement "
    "de 1,2 milliard de dollars."
)


@pytest.mark.parametrize("language", sorted(OTHER_DRAFTS))
def test_german_spanish_and_italian_drafts(language):
    draft = OTHER_DRAFTS[language]
    assert draft_language(parse(draft), "fr") == language
    assert findings(article_of(FRENCH_OF_OTHERS), draft, require_all=True) == []
    changed = FRENCH_OF_OTHERS.replace("412 millions", "421 millions")
    assert summary(findings(article_of(changed), draft, require_all=True)) == [
        ("fact:number", "421 millions d’euros"),
        ("fact:missing", {"de": "412 Millionen Euro", "es": "412 millones de euros", "it": "412 milioni di euro"}[language]),
    ]


# -- coverage of a French draft ---------------------------------------------------------------------


def seed(n: int) -> str:
    return (SEEDS / f"article-{n}.txt").read_text(encoding="utf-8")


def seed_rewrite(n: int) -> dict:
    return json.loads((FIXTURES / "rewrites" / f"article-{n}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("n", [1, 2])
def test_the_seed_rewrites_keep_every_fact(n):
    assert findings(seed_rewrite(n), seed(n), require_all=True) == []


def test_an_article_that_loses_240_billion_dollars_is_found():
    data = seed_rewrite(1)
    data["sections"][3]["blocks"][0]["text"] = data["sections"][3]["blocks"][0]["text"].replace(
        "Selon les données des douanes chinoises, ils ont atteint un sommet de <strong>240 milliards de dollars en "
        "2023</strong>.", "Selon les données des douanes chinoises, ils ont atteint un sommet."
    )
    data["sections"][-1]["blocks"][0]["items"].pop(2)
    found = findings(data, seed(1), require_all=True)
    assert summary(found) == [("fact:missing", "240 milliards de dollars"), ("fact:missing", "2023")]
    assert found[0].message.startswith('The draft\'s amount "240 milliards de dollars" is missing from the article')


def test_a_lost_quotation_of_the_draft_is_found():
    data = seed_rewrite(1)
    paragraph = data["sections"][5]["blocks"][0]
    paragraph["text"] = paragraph["text"].replace("« délibérément mal interprétées »", "mal comprises")
    assert summary(findings(data, seed(1), require_all=True)) == [
        ("fact:missing", "« délibérément mal interprétées »")
    ]


def test_facts_of_kept_elements_and_of_the_title_are_not_required():
    draft = (FIXTURES / "drafts" / "blocks.html").read_text(encoding="utf-8")
    document = parse(draft)
    text = " ".join(p.text for p in document.text_blocks)
    data = article_of(text.replace("\n", " "))
    assert findings(data, draft, require_all=True, source_title="Les 3 alertes de 2024") == []


def test_the_numbering_of_a_drafts_heading_is_not_a_fact():
    draft = ("<p>Le pays a mobilisé 240 000 soldats en 2023, selon le ministère de la Défense du pays.</p>"
             "<h2>1. Le contexte</h2><p>La hausse des effectifs atteint 12,4 % sur un an, selon le même ministère.</p>")
    assert [b.kind for b in parse(draft).text_blocks] == ["paragraph", "heading", "paragraph"]
    rewrite = article_of("Le pays a mobilisé 240 000 soldats en 2023. La hausse atteint 12,4 % sur un an.")
    assert findings(rewrite, draft, require_all=True) == []
    assert summary(findings(article_of("Le pays a mobilisé des soldats en 2023."), draft, require_all=True)) == [
        ("fact:missing", "240 000"), ("fact:missing", "12,4 %")
    ]
