"""Drafts whose text sits inside layout containers, in block markup and classic HTML.

Each paragraph is a distinct French sentence with its own figure, date and name, so a test can
tell where each one went: rewritten once, kept, or lost. Each image has its own address.
"""

from __future__ import annotations

CITIES = ["Lyon", "Nantes", "Lille", "Rennes", "Grenoble", "Dijon", "Tours", "Angers", "Brest", "Nancy", "Metz",
          "Reims", "Amiens", "Caen", "Rouen", "Limoges"]
MAYORS = ["Claire Martin", "Paul Bernard", "Julie Petit", "Marc Durand", "Sophie Leroy", "Luc Moreau", "Anne Simon",
          "Hugo Laurent", "Emma Michel", "Louis Garcia", "Léa Roux", "Noé Fournier", "Inès Girard", "Tom Bonnet",
          "Zoé Dupuis", "Jules Lambert"]


def sentence(index: int) -> str:
    """A paragraph of about 30 words with a figure (``{index + 12} millions d’euros``), a year and a name."""
    city, mayor = CITIES[index % len(CITIES)], MAYORS[index % len(MAYORS)]
    return (f"À {city}, la rénovation des écoles coûtera {index + 12} millions d’euros d’ici {2026 + index % 4}, "
            f"selon {mayor}, qui présentera le calendrier des travaux aux parents d’élèves lors de la prochaine réunion "
            "publique du conseil.")


def image_src(index: int) -> str:
    return f"https://medias.example/photo-{index}.jpg"


# -- block markup ------------------------------------------------------------------------------------


def p_block(text: str) -> str:
    return f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->"


def heading_block(text: str, level: int = 2) -> str:
    attrs = "" if level == 2 else f' {{"level":{level}}}'
    return f"<!-- wp:heading{attrs} -->\n<h{level}>{text}</h{level}>\n<!-- /wp:heading -->"


def image_block(index: int) -> str:
    return (f'<!-- wp:image {{"id":{index},"sizeSlug":"large"}} -->\n<figure class="wp-block-image size-large"><img '
            f'src="{image_src(index)}" alt="Photo {index}" class="wp-image-{index}"/></figure>\n<!-- /wp:image -->')


def group(*inner: str, layout: str = "constrained") -> str:
    return (f'<!-- wp:group {{"layout":{{"type":"{layout}"}}}} -->\n<div class="wp-block-group">'
            + "\n\n".join(inner) + "</div>\n<!-- /wp:group -->")


def columns(*cells: tuple[str, ...]) -> str:
    inner = "\n\n".join(
        '<!-- wp:column -->\n<div class="wp-block-column">' + "\n\n".join(cell) + "</div>\n<!-- /wp:column -->"
        for cell in cells
    )
    return f'<!-- wp:columns -->\n<div class="wp-block-columns">{inner}</div>\n<!-- /wp:columns -->'


def cover(index: int, *inner: str) -> str:
    return (f'<!-- wp:cover {{"url":"{image_src(index)}","id":{index},"dimRatio":50}} -->\n<div class="wp-block-cover">'
            '<span aria-hidden="true" class="wp-block-cover__background has-background-dim"></span><img class='
            f'"wp-block-cover__image-background wp-image-{index}" alt="" src="{image_src(index)}" data-object-fit="cover"/>'
            '<div class="wp-block-cover__inner-container">' + "\n\n".join(inner) + "</div></div>\n<!-- /wp:cover -->")


def details(summary: str, *inner: str) -> str:
    return (f'<!-- wp:details -->\n<details class="wp-block-details"><summary>{summary}</summary>'
            + "\n\n".join(inner) + "</details>\n<!-- /wp:details -->")


def media_text(index: int, *inner: str) -> str:
    return (f'<!-- wp:media-text {{"mediaId":{index},"mediaType":"image"}} -->\n<div class="wp-block-media-text '
            f'is-stacked-on-mobile"><figure class="wp-block-media-text__media"><img src="{image_src(index)}" alt="" '
            f'class="wp-image-{index} size-full"/></figure><div class="wp-block-media-text__content">'
            + "\n\n".join(inner) + "</div></div>\n<!-- /wp:media-text -->")


def nested_list_block(outer: list[str], inner: list[str]) -> str:
    def item(text: str, sub: str = "") -> str:
        return f"<!-- wp:list-item -->\n<li>{text}{sub}</li>\n<!-- /wp:list-item -->"

    sub = "<!-- wp:list -->\n<ul>" + "\n\n".join(item(t) for t in inner) + "</ul>\n<!-- /wp:list -->"
    items = [item(outer[0], sub), *(item(t) for t in outer[1:])]
    return "<!-- wp:list -->\n<ul>" + "\n\n".join(items) + "</ul>\n<!-- /wp:list -->"


def html_block(html: str) -> str:
    return f"<!-- wp:html -->\n{html}\n<!-- /wp:html -->"


def blocks_draft(*blocks: str) -> str:
    return "\n\n".join(blocks) + "\n"


# -- classic HTML ------------------------------------------------------------------------------------


def p(text: str) -> str:
    return f"<p>{text}</p>"


def img(index: int) -> str:
    return f'<img src="{image_src(index)}" alt="Photo {index}" width="640" height="360">'


def wrap(tag: str, *inner: str, attrs: str = "") -> str:
    return f"<{tag}{attrs}>\n" + "\n\n".join(inner) + f"\n</{tag}>"


#: The classic-editor containers a whole body can sit in.
CLASSIC_WRAPPERS = {
    "div.entry-content": ("div", ' class="entry-content"'),
    "article": ("article", ""),
    "section": ("section", ' id="contenu"'),
    "main": ("main", ""),
    "aside": ("aside", ""),
}

SCRIPT = "<script>track()</script>"
FACT = "Le budget est de 45 millions d'euros selon Jean Dupont."
