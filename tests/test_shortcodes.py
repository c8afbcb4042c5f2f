"""Shortcodes: found by WordPress's own grammar, kept byte for byte, never shown to the model as text."""

from __future__ import annotations

import base64
import json

import pytest

from wp_seo_bridge.content import Placeholder, TextBlock, parse, render
from wp_seo_bridge.shortcodes import SHORTCODE, only_shortcodes, protect, restore

#: Texts with shortcodes of every form WordPress knows, and brackets that are not shortcodes.
SAMPLES = [
    '[gallery ids="12,13,14" columns="3"]',
    "[gallery]",
    "[gallery/]",
    '[gallery ids="1" /]',
    '[caption id="attachment_7" align="alignnone" width="300"]<img class="size-medium" src="https://medias.example/carte.jpg"'
    ' alt="Carte" width="300" height="200" /> La carte des écoles rénovées.[/caption]',
    "[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]",
    "selon l’étude [footnote]Insee, enquête annuelle[/footnote], la hausse se poursuit [footnote]Voir aussi le rapport[/footnote].",
    "[[gallery]] s’écrit ainsi pour ne pas être exécuté.",
    '[contact-form-7 id="1234" title="Contact"]',
    "[audio mp3=\"https://medias.example/a.mp3\"][/audio]",
    "Nous avons [...] décidé, a-t-il dit [sic].",
    "[footnote]Une note [avec crochets] dedans[/footnote]",
    "[outer][inner]x[/inner][/outer]",
    "[a-b]texte[/a-b] et [a]texte[/a]",
    "[gallery ids='1,2' link=\"file\"/] et [gallery]",
    "[note]ouverte sans fermeture et [note]fermée[/note]",
    "[bouton url=\"https://exemple.example/?a=1&b=2\"]S’inscrire[/bouton]",
]


def test_the_grammar_matches_wordpress_get_shortcode_regex(wordpress):
    """Our grammar for any name finds exactly what WordPress's own regex finds once the names are registered."""
    names = sorted({m.group(2) for text in SAMPLES for m in SHORTCODE.finditer(text)})
    payload = base64.b64encode(json.dumps({"names": names, "texts": SAMPLES}).encode()).decode()
    theirs = wordpress.php_json(
        f"$in = json_decode(base64_decode('{payload}'), true);"
        "$regex = '/' . get_shortcode_regex($in['names']) . '/';"
        "$out = array(); foreach ($in['texts'] as $t) { preg_match_all($regex, $t, $m, PREG_SET_ORDER);"
        " $out[] = array_map(function ($x) { return array($x[0], $x[2]); }, $m); }"
        "echo json_encode($out);"
    )
    ours = [[[m.group(0), m.group(2)] for m in SHORTCODE.finditer(text)] for text in SAMPLES]
    assert ours == theirs
    assert sum(map(len, ours)) >= 20  # the samples do exercise the grammar


BLOCK_DRAFT = """<!-- wp:paragraph -->
<p>Le conseil municipal a voté le budget de la rénovation des écoles, selon l’adjoint [footnote]Compte rendu du conseil[/footnote].</p>
<!-- /wp:paragraph -->

<!-- wp:paragraph -->
<p>[gallery ids="12,13,14" columns="3"]</p>
<!-- /wp:paragraph -->

<!-- wp:shortcode -->
[contact-form-7 id="1234" title="Contact"]
<!-- /wp:shortcode -->

<!-- wp:heading -->
<h2>Un chantier attendu [badge]nouveau[/badge]</h2>
<!-- /wp:heading -->

<!-- wp:list -->
<ul><li>les écoles du centre [footnote]Liste en annexe[/footnote]</li><li>les écoles du nord</li></ul>
<!-- /wp:list -->
"""

CLASSIC_DRAFT = """<p>Le conseil municipal a voté le budget, selon l’adjoint [footnote]Compte rendu[/footnote].</p>

[caption id="attachment_7" align="alignnone" width="300"]<img class="size-medium wp-image-7" src="https://medias.example/carte.jpg" alt="Carte" width="300" height="200" /> La carte des écoles rénovées.[/caption]

<p>[gallery ids="12,13"]</p>

[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]

Les parents d’élèves seront informés par courrier [footnote]Courrier du 2 mai[/footnote] et par affichage.
"""


def test_block_markup_shortcodes_are_kept_or_tokens():
    document = parse(BLOCK_DRAFT)
    kinds = [b.kind if isinstance(b, TextBlock) else b.label for b in document.blocks]
    assert kinds == ["paragraph", "shortcode [gallery]", "shortcode [contact-form-7]", "heading", "list"]
    gallery, form = document.blocks[1], document.blocks[2]
    assert gallery.markup == '<!-- wp:paragraph -->\n<p>[gallery ids="12,13,14" columns="3"]</p>\n<!-- /wp:paragraph -->'
    assert form.markup == '<!-- wp:shortcode -->\n[contact-form-7 id="1234" title="Contact"]\n<!-- /wp:shortcode -->'
    assert document.shortcodes == {
        "SC-1": "[footnote]Compte rendu du conseil[/footnote]", "SC-2": "[badge]nouveau[/badge]",
        "SC-3": "[footnote]Liste en annexe[/footnote]",
    }
    assert document.blocks[0].html.endswith("selon l’adjoint [[SC-1]].")
    assert document.blocks[3].html == "Un chantier attendu [[SC-2]]" and document.blocks[3].text == "Un chantier attendu"
    assert document.blocks[4].items[0] == "les écoles du centre [[SC-3]]"
    output = render(document.blocks, "blocks", document.shortcodes)
    for code in ('[footnote]Compte rendu du conseil[/footnote].', '[gallery ids="12,13,14" columns="3"]',
                 '[contact-form-7 id="1234" title="Contact"]', "[badge]nouveau[/badge]", "[footnote]Liste en annexe[/footnote]"):
        assert output.count(code) == 1, code
    assert "[[SC-" not in output
    assert parse(output).shortcodes == document.shortcodes


def test_classic_shortcodes_are_kept_or_tokens():
    document = parse(CLASSIC_DRAFT)
    kinds = [b.kind if isinstance(b, TextBlock) else b.label for b in document.blocks]
    assert kinds == ["paragraph", "shortcode [caption]", "shortcode [gallery]", "shortcode [embed]", "paragraph"]
    assert document.blocks[1].markup == CLASSIC_DRAFT.split("\n\n")[1]
    assert document.blocks[2].markup == '<p>[gallery ids="12,13"]</p>'
    assert document.blocks[3].markup == "[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]"
    assert document.blocks[4].html == "Les parents d’élèves seront informés par courrier [[SC-2]] et par affichage."
    assert not document.removed
    output = render(document.blocks, "classic", document.shortcodes)
    for part in CLASSIC_DRAFT.split("\n\n")[1:4]:
        assert output.count(part.strip()) == 1


def test_plain_text_shortcodes():
    document = parse("La ville a publié son rapport [footnote]Rapport 2024[/footnote] hier soir.\n[gallery ids=\"4\"]\n"
                     "Les travaux commencent en juillet.")
    assert [type(b).__name__ for b in document.blocks] == ["TextBlock", "Placeholder", "TextBlock"]
    assert document.blocks[0].html == "La ville a publié son rapport [[SC-1]] hier soir."
    assert document.blocks[1].markup == '[gallery ids="4"]'


def test_a_shortcode_with_executable_content_is_kept_without_it():
    document = parse('<p>Le plan [popup]<img src="x.jpg" onerror="alert(1)">Ouvrir[/popup] est en ligne.</p>')
    assert document.shortcodes == {"SC-1": '[popup]<img src="x.jpg">Ouvrir[/popup]'}
    assert str(document.removed) == "1 onerror attribute"


def test_tokens_are_read_and_restored_in_text_only():
    refs = iter(["SC-1", "SC-2"])
    protected = protect('<a href="https://a.example/" title="[tip]">voir</a> [tip]x[/tip]', lambda _: next(refs))
    assert protected == '<a href="https://a.example/" title="[tip]">voir</a> [[SC-1]]'
    # A token the model put inside an attribute is never replaced there.
    assert restore('<a title="[[SC-1]]">[[SC-1]]</a>', {"SC-1": '[x a="" onclick="y"]'}) == (
        '<a title="[[SC-1]]">[x a="" onclick="y"]</a>'
    )


@pytest.mark.parametrize(("text", "alone"), [
    ("[gallery]", True), (" [gallery] &nbsp; [audio]x[/audio] ", True), ("<br>[gallery]", True),
    ("Voir [gallery]", False), ("texte", False), ("[", False),
])
def test_only_shortcodes(text, alone):
    assert only_shortcodes(text) is alone


def test_a_placeholder_token_in_the_draft_text_is_itself_protected():
    document = parse("<p>Un lecteur a écrit [[SC-1]] et [[KEEP-1]] dans son commentaire.</p>")
    assert document.shortcodes == {"SC-1": "[[SC-1]]", "SC-2": "[[KEEP-1]]"}
    assert render(document.blocks, "classic", document.shortcodes) == (
        "<p>Un lecteur a écrit [[SC-1]] et [[KEEP-1]] dans son commentaire.</p>\n"
    )
    assert not any(isinstance(b, Placeholder) for b in document.blocks)


def test_the_prompt_names_each_token_and_never_shows_its_shortcode():
    from wp_seo_bridge.config import RewriteSettings
    from wp_seo_bridge.prompt import build_messages

    document = parse(BLOCK_DRAFT)
    user = build_messages(RewriteSettings(), "Les écoles", document)[1]["content"]
    draft = json.loads("\n".join(user.splitlines()[1:-1]))
    assert draft["tokens"] == {"[[SC-1]]": "shortcode [footnote]", "[[SC-2]]": "shortcode [badge]",
                               "[[SC-3]]": "shortcode [footnote]"}
    assert draft["blocks"][0]["text"].endswith("selon l’adjoint [[SC-1]].")
    for hidden in ("Compte rendu du conseil", "[/footnote]", "nouveau", "Liste en annexe", 'ids="12'):
        assert hidden not in user
