"""A long French dossier, generated: many sections and subsections, about a hundred figures.

Each figure (amount, percentage, count, year, date) is unique and recorded as written, so a
test can check that every one of them reaches the article. The prose follows the editorial
brief the bridge applies (short sentences, transition words, the keyphrase in the introduction
and in about half of the subheadings), so that a faithful rewrite passes the quality gate.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

KEYPHRASE = "transition énergétique"

SECTORS = [
    ("l’éolien en mer", "Éolien en mer"), ("le solaire sur toiture", "Solaire sur toiture"),
    ("les réseaux électriques", "Réseaux électriques"), ("le stockage par batteries", "Stockage par batteries"),
    ("l’hydrogène bas carbone", "Hydrogène bas carbone"), ("la rénovation des logements", "Rénovation des logements"),
    ("les pompes à chaleur", "Pompes à chaleur"), ("la mobilité électrique", "Mobilité électrique"),
    ("le fret ferroviaire", "Fret ferroviaire"), ("la chaleur renouvelable", "Chaleur renouvelable"),
    ("le biométhane agricole", "Biométhane agricole"), ("l’acier décarboné", "Acier décarboné"),
    ("le ciment bas carbone", "Ciment bas carbone"), ("les bornes de recharge", "Bornes de recharge"),
    ("l’hydroélectricité", "Hydroélectricité"), ("la géothermie profonde", "Géothermie profonde"),
    ("les interconnexions", "Interconnexions"), ("le nucléaire existant", "Nucléaire existant"),
    ("la sobriété des bureaux", "Sobriété des bureaux"), ("les réseaux de chaleur", "Réseaux de chaleur"),
    ("le recyclage des métaux", "Recyclage des métaux"), ("la formation des techniciens", "Formation des techniciens"),
    ("les ports industriels", "Ports industriels"), ("l’aviation durable", "Aviation durable"),
    ("le transport fluvial", "Transport fluvial"), ("les data centers", "Data centers"),
    ("la chimie verte", "Chimie verte"), ("les compteurs communicants", "Compteurs communicants"),
    ("le photovoltaïque au sol", "Photovoltaïque au sol"), ("l’efficacité industrielle", "Efficacité industrielle"),
]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "septembre", "octobre", "novembre"]

# Sentences of at most 20 words; "{s}" is the sector, "{kp}" the keyphrase, "{f}" a figure.
WITH_FIGURE = [
    ("amount", "En effet, {s} a reçu {f} de fonds publics."),
    ("count", "Par ailleurs, {f} salariés travaillent déjà dans cette filière."),
    ("pct", "Ainsi, {s} couvre désormais {f} des besoins du pays."),
    ("year", "Selon la Commission européenne, le chantier doit aboutir en {f}."),
    ("date", "Le calendrier fixe une première étape au {f}."),
    ("amount", "De plus, les régions consacrent {f} à ce programme."),
    ("pct", "Toutefois, {f} des projets accusent encore un retard."),
    ("count", "D’abord, les opérateurs doivent raccorder {f} sites."),
    ("pct", "Pour autant, le coût moyen recule de {f} chaque année."),
    ("year", "Les industriels visent un premier bilan complet en {f}."),
]
WITHOUT_FIGURE = [
    "Cette filière joue un rôle clé dans la {kp} du pays.",
    "Cependant, les délais administratifs freinent encore les chantiers.",
    "Les collectivités suivent ce dossier de près.",
    "En outre, ce dossier impose des choix rapides.",
    "Chaque région adapte ses priorités à son territoire.",
    "Néanmoins, les entreprises réclament des règles stables.",
    "Enfin, les ménages attendent des gains visibles sur leurs factures.",
    "Beaucoup d’élus y voient une chance pour l’emploi local.",
    "Aussi, cette évolution change la manière de produire.",
    "Plusieurs syndicats demandent un suivi régulier des embauches.",
]


@dataclass(frozen=True)
class Dossier:
    title: str
    #: Gutenberg block markup, as WordPress stores a draft.
    content: str
    #: Every figure of the dossier, as written.
    figures: tuple[str, ...]
    #: Headings as (level, text), in order.
    headings: tuple[tuple[int, str], ...]


class _Figures:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.written: list[str] = []

    def new(self, kind: str) -> str:
        for tries in range(10_000):
            text = self._draw(kind if tries < 50 else "count")  # years and dates run out in long dossiers
            key = "".join(ch for ch in text if ch.isdigit() or ch == ",")
            if key not in self.used:
                self.used.add(key)
                self.written.append(text)
                return text
        raise RuntimeError("no unused figure left")

    def _draw(self, kind: str) -> str:
        r = self.rng
        if kind == "amount":
            return f"{r.randint(11, 989)} millions d’euros" if r.random() < 0.6 else f"{r.randint(2, 98)},{r.randint(1, 9)} milliards d’euros"
        if kind == "count":
            return f"{r.randint(11, 99)} {r.randint(100, 999)}"
        if kind == "pct":
            return f"{r.randint(11, 89)},{r.randint(1, 9)} %"
        if kind == "year":
            return str(r.randint(2026, 2059))
        return f"{r.randint(2, 28)} {r.choice(MONTHS)} {r.randint(2024, 2049)}"


def _paragraph(rng: random.Random, figures: _Figures, sector: str, sentences: int, with_figures: int) -> str:
    """A paragraph whose sentences never start three times in a row with the same word."""
    plan = [True] * with_figures + [False] * (sentences - with_figures)
    rng.shuffle(plan)
    out: list[str] = []
    starts: list[str] = []
    for has_figure in plan:
        for _ in range(20):
            if has_figure:
                kind, template = rng.choice(WITH_FIGURE)
            else:
                kind, template = None, rng.choice(WITHOUT_FIGURE)
            first = template.split()[0].lower()
            if not (len(starts) >= 2 and starts[-1] == starts[-2] == first) and template not in out:
                break
        figure = figures.new(kind) if kind else ""
        sentence = template.format(s=sector, kp=KEYPHRASE, f=figure)
        out.append(sentence[0].upper() + sentence[1:])
        starts.append(first)
    return " ".join(out)


def make_dossier(
    sections: int = 28, *, seed: int = 7, paragraphs: int = 3, sentences: int = 8, footnotes: bool = False
) -> Dossier:
    """A dossier of ``sections`` sections (every fourth with two level-3 subsections), about 270 words each.

    ``footnotes``: every fifth section also ends with a sentence holding a footnote shortcode.
    """
    rng = random.Random(seed)
    figures = _Figures(rng)
    blocks: list[str] = []
    headings: list[tuple[int, str]] = []

    def paragraph(text: str) -> None:
        blocks.append(f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->")

    def heading(level: int, text: str) -> None:
        headings.append((level, text))
        attrs = "" if level == 2 else f' {{"level":{level}}}'
        blocks.append(f"<!-- wp:heading{attrs} -->\n<h{level}>{text}</h{level}>\n<!-- /wp:heading -->")

    def body(sector: str, count: int) -> None:
        for _ in range(count):
            paragraph(_paragraph(rng, figures, sector, sentences, 1 + rng.randint(0, 1)))

    intro = (
        f"La {KEYPHRASE} avance en Europe, mais à des rythmes très différents. "
        "Ce dossier fait le point filière par filière, chiffres à l’appui. "
        "En effet, chaque filière a ses moyens, ses retards et ses promesses."
    )
    paragraph(intro)
    body("le pays", 1)
    for index in range(sections):
        sector, label = SECTORS[index % len(SECTORS)]
        title = f"{label} : la {KEYPHRASE} en chiffres" if index % 2 == 0 else f"{label} : où en est le chantier"
        if index >= len(SECTORS):
            title += f" ({index // len(SECTORS) + 1})"
        heading(2, title)
        body(sector, paragraphs)
        if footnotes and index % 5 == 1:
            paragraph(f"Les sources de ces données sont publiques[footnote]Rapport annuel sur {sector}, "
                      "édition en ligne.[/footnote] et consultables par tous.")
        if index % 4 == 3:
            heading(3, f"{label} : les financements")
            body(sector, paragraphs - 1)
            heading(3, f"{label} : l’emploi et les compétences")
            body(sector, paragraphs - 1)
        if index == 2:
            blocks.append(
                '<!-- wp:image {"id":41,"sizeSlug":"large"} -->\n<figure class="wp-block-image size-large">'
                '<img src="https://example.org/wp-content/uploads/parc-eolien.jpg" alt="Parc éolien en mer" '
                'class="wp-image-41"/></figure>\n<!-- /wp:image -->'
            )
        if index == sections // 2:
            blocks.append("<!-- wp:shortcode -->\n[chiffres-cles dossier=\"energie\"]\n<!-- /wp:shortcode -->")
    return Dossier(
        title="Dossier : la transition énergétique en Europe",
        content="\n\n".join(blocks) + "\n",
        figures=tuple(figures.written),
        headings=tuple(headings),
    )
