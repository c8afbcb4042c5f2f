"""The checks: yoastseo's SEO assessor and content (readability) assessor, for French.

Scores per check are yoastseo's (including its negative scores for a very short text or an
over-optimised keyphrase, which count in the overall SEO score but show as 0). The feedback is
written for a language model that must repair the article: figures found, target, what to do.

Deliberate differences from yoastseo 3.6 or from the project's reference file (yoast-fr.md):

- without a keyphrase the keyphrase checks are left out instead of scored red;
- "single_h1": any H1 in the body is a problem (the theme prints the post title as the H1);
  yoastseo only flags two or more;
- the overall SEO score is the mean of the checks listed here (yoastseo's calculateOverallScore);
  the plugin's figure also counts a silent "function words in keyphrase" zero and its "previously
  used keyphrase" check (which needs the site's other posts), so it can be a few points off;
- a short SEO title (under 400 px) is green (``SHORT_TITLE_SCORE``), as yoastseo's SEO assessor
  scores it for posts, although the reference file says orange (older Yoast versions);
- the French word lists (function words, transition words, passive voice) are this project's
  own (``data/``), so a few sentences get a different verdict (see compare.py --sentences).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import Analysis, Assessment, Paper, Rating, _flat, _french, _html
from . import flesch as _flesch
from . import match as _match
from . import passive as _passive
from . import text as _text
from . import width as _width

RECOMMENDED_SENTENCE_WORDS = 20
#: yoastseo's post SEO assessor gives a title narrower than 400 px 9 (PageTitleWidthAssessment's
#: own default, used by older versions and by the reference file, is 6: orange).
SHORT_TITLE_SCORE = 9


@dataclass
class Result:
    id: str
    group: str
    score: int  # yoastseo's score, may be negative
    text: str


def rating_for(score: int) -> Rating:
    if score >= 8:
        return "good"
    if score >= 5:
        return "ok"
    return "bad"


def _round(value: float) -> int:
    """JavaScript's Math.round."""
    return math.floor(value + 0.5)


def _format_number(value: float) -> float:
    """yoastseo's formatNumber: integers stay, others get one decimal."""
    if _round(value) == value:
        return float(_round(value))
    return _round(value * 10) / 10


def _pct(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _quote(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"“{text}”"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _words_list(words: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"“{w}”" for w in words)


class Context:
    """Everything the checks share, computed once."""

    def __init__(self, paper: Paper) -> None:
        self.paper = paper
        self.doc = _html.parse(paper.text or "")
        self.keyphrase = _match.build_keyphrase(paper.keyphrase or "")
        self.flat_words = _text.get_words(self.doc.flat)
        self.word_count = len(self.flat_words)
        self.sentences = self.doc.sentences()
        self.tree_word_count = sum(s.split_word_count for s in self.sentences)
        self._flat_sentences: list[str] | None = None

    @property
    def flat_sentences(self) -> list[str]:
        if self._flat_sentences is None:
            self._flat_sentences = _flat.get_sentences(self.doc.flat)
        return self._flat_sentences


# --- SEO: keyphrase checks ---------------------------------------------------------------------

def keyphrase_in_introduction(ctx: Context) -> Result:
    kp = ctx.keyphrase
    paragraphs = [n for n in ctx.doc.nodes if n.name == "p" and n.sentences and not n.only_anchors and not n.in_figcaption
                  and not n.inner_text.lstrip().startswith(("[caption", "[gallery", "[embed", "[playlist"))]
    if not paragraphs:
        return Result("keyphrase_in_introduction", "seo", 3,
                      f"Keyphrase in introduction: the text has no paragraph. Start the text with a paragraph that "
                      f"uses the keyphrase “{kp.original}” in its first sentence.")
    first = paragraphs[0]
    for sentence in first.sentences:
        if _match.percent_found(kp, sentence.text)[1] == 100:
            return Result("keyphrase_in_introduction", "seo", 9,
                          f"Keyphrase in introduction: the first paragraph has all the keyphrase words "
                          f"({_words_list(kp.words)}) in one sentence ({_quote(sentence.text.strip())}). Good.")
    found = [w for w in kp.words if _match.match_word(_match.prepare(first.text()), w).count]
    if len(found) == len(kp.words):
        return Result("keyphrase_in_introduction", "seo", 6,
                      f"Keyphrase in introduction: the first paragraph has all the keyphrase words "
                      f"({_words_list(kp.words)}) but never in one sentence. Write “{kp.original}” in one sentence "
                      f"of the first paragraph, ideally the first.")
    missing = [w for w in kp.words if w not in found]
    return Result("keyphrase_in_introduction", "seo", 3,
                  f"Keyphrase in introduction: the first paragraph ({_quote(first.text().strip(), 60)}) lacks "
                  f"{_words_list(missing)} of the keyphrase “{kp.original}”. Use the keyphrase in the first sentence "
                  f"of the first paragraph.")


def keyphrase_length(ctx: Context) -> Result:
    kp = ctx.keyphrase
    n = len(kp.words)
    unit = "word" if kp.exact or kp.only_function_words else "content word"
    if kp.exact:
        n = len(_match.keyphrase_words(kp.words[0]))
    if n <= 4:
        return Result("keyphrase_length", "seo", 9,
                      f"Keyphrase length: “{kp.original}” has {_plural(n, unit)}; 1 to 4 is best. Good.")
    score = 6 if n <= 8 else 3
    more = "more" if n <= 8 else "way more"
    return Result("keyphrase_length", "seo", score,
                  f"Keyphrase length: “{kp.original}” has {_plural(n, unit)}, {more} than the recommended 4. "
                  f"Choose a shorter keyphrase (at most 4 content words; function words such as “de”, “la” do not count).")


def _recommended_count(keyphrase_len: int, density: float, mode: str, words: int) -> int:
    if words == 0:
        return 0
    count = density * words / (100 * (0.7 + keyphrase_len / 3))
    if count < 2:
        return 2
    return math.ceil(count) if mode == "min" else math.floor(count)


def _count_exact(sentence: _html.Sentence, phrase: str) -> int:
    wanted = [t.lower() for t in _text.split_into_tokens(phrase)]
    count = 0
    index = 0
    current = 0
    for token in sentence.tokens:
        if index < len(wanted) and _match._matches(token.lower(), wanted[index]):
            current += 1
            index += 1
        else:
            index = 0
            current = 0
        if wanted and current == len(wanted):
            count += 1
            index = 0
            current = 0
    return count


def keyphrase_count(ctx: Context) -> int:
    kp = ctx.keyphrase
    total = 0
    folded = kp.folded
    for sentence in ctx.sentences:
        if kp.exact:
            total += _count_exact(sentence, kp.words[0])
            continue
        text = _match.match_key(sentence.text)
        if not all(fw in text for fw in folded):
            continue  # a word is missing: no match possible in this sentence
        counts = []
        for word, fw in zip(kp.words, folded):
            c = sum(1 for token in sentence.tokens if _match.token_matches(token, word, fw))
            if not c:
                break
            counts.append(c)
        else:
            total += min(counts)
    return total


def keyphrase_density(ctx: Context) -> Result:
    kp = ctx.keyphrase
    count = keyphrase_count(ctx)
    words = ctx.tree_word_count
    n = len(kp.words)
    phrase = f"“{kp.original}”"
    rule = " (a use counts when all its content words are in one sentence)" if n > 1 and not kp.exact else ""
    if words == 0:
        return Result("keyphrase_density", "seo", -50,
                      f"Keyphrase density: the text is empty. Write the text and use the keyphrase {phrase} in it.")
    if words < 100:
        minimum, maximum = 1, (2 if words > 50 else 1)
        found = f"Keyphrase density: {phrase} found {_plural(count, 'time')} in a short text of {words} words{rule}"
        if count == 0:
            return Result("keyphrase_density", "seo", 4, f"{found}; use it {minimum} to {maximum} times.")
        if minimum <= count <= maximum:
            return Result("keyphrase_density", "seo", 9, f"{found}; {minimum} to {maximum} is right for this length. Good.")
        score = -10 if count == maximum + 1 else -50
        return Result("keyphrase_density", "seo", score,
                      f"{found}; at most {maximum} for this length: remove {count - maximum} of them (or write a longer text).")
    factor = 0.7 + n / 3
    density = count / words * 100
    weighted = density * factor
    minimum = _recommended_count(n, 0.5, "min", words)
    maximum = _recommended_count(n, 3, "max", words)
    weight = f", {weighted:.2f} % weighted for a {n}-word keyphrase" if f"{weighted:.2f}" != f"{density:.2f}" else ""
    found = (f"Keyphrase density: {phrase} found {_plural(count, 'time')} in {words} words "
             f"(density {density:.2f} %{weight}){rule}; the target is 0.5 % to 3 %, i.e. {minimum} to {maximum} times "
             f"for this length")
    if count == 0:
        return Result("keyphrase_density", "seo", 4, f"{found}: use the keyphrase about {minimum} times, spread over the text.")
    if 0 <= weighted < 0.5 or count == 1:
        return Result("keyphrase_density", "seo", 4,
                      f"{found}: use it about {_plural(max(1, minimum - count), 'more time')}.")
    if 0.5 <= weighted <= 3 or (count == 2 and minimum <= 2):
        return Result("keyphrase_density", "seo", 9, f"{found}. Good.")
    score = -10 if 3 < weighted <= 4 else -50
    over = "over the maximum" if score == -10 else "far over the maximum (over 4 %)"
    return Result("keyphrase_density", "seo", score,
                  f"{found}: {over}; remove about {_plural(max(1, count - maximum), 'use')} (replace some with synonyms "
                  f"or pronouns).")


def keyphrase_in_meta_description(ctx: Context) -> Result:
    kp = ctx.keyphrase
    description = ctx.paper.description or ""
    if not description:
        return Result("keyphrase_in_meta_description", "seo", 3,
                      f"Keyphrase in meta description: there is no meta description. Write one (121 to 156 characters) "
                      f"that uses “{kp.original}” once.")
    count = 0
    for sentence in _flat.get_sentences(description):
        prepared = _match.prepare(sentence)
        count += min(_match.match_word(prepared, w).count for w in kp.words)
    if count in (1, 2):
        return Result("keyphrase_in_meta_description", "seo", 9,
                      f"Keyphrase in meta description: “{kp.original}” appears {_plural(count, 'time')}. Good.")
    if count == 0:
        return Result("keyphrase_in_meta_description", "seo", 3,
                      f"Keyphrase in meta description: the meta description does not contain the keyphrase "
                      f"“{kp.original}” (all its content words in one sentence). Add it once.")
    return Result("keyphrase_in_meta_description", "seo", 3,
                  f"Keyphrase in meta description: “{kp.original}” appears {count} times, over the maximum of 2. "
                  f"Use it once or twice.")


_TOP_SUBHEADING = re.compile(r"<h([2-3])(?:[^>]+)?>(.*?)</h\1>", re.IGNORECASE)
_ANY_SUBHEADING = re.compile(r"<h([1-6])(?:[^>]+)?>(.*?)</h\1>", re.IGNORECASE)


def keyphrase_in_subheadings(ctx: Context) -> Result:
    kp = ctx.keyphrase
    text = _match._NON_TEXT_TAGS.sub("", ctx.doc.flat)
    text = _text._MULTI_SPACE.sub(" ", text).strip()
    subheadings = [m.group(0) for m in _TOP_SUBHEADING.finditer(text)]
    text_length = len(_text.get_words(text))
    ident = "keyphrase_in_subheadings"
    if not subheadings:
        if text_length >= 300:
            return Result(ident, "seo", 2,
                          f"Keyphrase in subheadings: the text has {text_length} words and no H2 or H3 subheading. "
                          f"Add H2/H3 subheadings, and use the keyphrase “{kp.original}” in about a third to a half of them.")
        return Result(ident, "seo", 9,
                      f"Keyphrase in subheadings: no H2 or H3 subheading, which is fine for a text of {text_length} words.")
    count = len(subheadings)
    half = "all its content words" if len(kp.words) <= 2 else "more than half of its content words"
    matches = sum(1 for s in subheadings if _match.percent_found(kp, s)[1] > 50)
    low = math.ceil(count * 0.3)
    high = math.floor(count * 0.75)
    share = f"{matches} of {count} H2/H3 subheadings ({_pct(matches / count * 100)} %) reflect the keyphrase “{kp.original}” ({half})"
    if 0 < matches < low:
        return Result(ident, "seo", 3, f"Keyphrase in subheadings: {share}; aim for 30 % to 75 %: use it in "
                                       f"{_plural(low - matches, 'more subheading')}.")
    if count > 1 and matches > high:
        return Result(ident, "seo", 3,
                      f"Keyphrase in subheadings: {share}; more than 75 % is over-optimised: remove it from "
                      f"{matches - high} of them (at most {high} of {count}).")
    if (count == 1 and matches == 1) or low <= matches <= high:
        return Result(ident, "seo", 9, f"Keyphrase in subheadings: {share}. Good.")
    return Result(ident, "seo", 3,
                  f"Keyphrase in subheadings: {share}; aim for 30 % to 75 %: use it in {max(1, low)} of them.")


def _equal_urls(a: str, b: str) -> bool:
    a = a.split("#")[0].split("?")[0].rstrip("/") + "/"
    b = b.split("#")[0].split("?")[0].rstrip("/") + "/"
    return a == b


def competing_links(ctx: Context) -> Result:
    kp = ctx.keyphrase
    site = ctx.paper.site_url or ""
    anchors = [a for a in ctx.doc.anchors if not (a.href and (_equal_urls(a.href, site) or a.href.startswith("#")))]
    competing = []
    forms = kp.words
    for anchor in anchors:
        if _match.percent_found(kp, anchor.text)[1] != 100:
            continue
        words = list(dict.fromkeys(_match.keyphrase_words(anchor.text)))
        content = [w for w in words if w.lower() not in _french.function_words()]
        words = content or words
        if all(any(_match.match_word(_match.prepare(w), f).count for f in forms) for w in words):
            competing.append(anchor)
    if not competing:
        return Result("competing_links", "seo", 8,
                      "Competing links: no link uses the keyphrase as its anchor text. Good.")
    return Result("competing_links", "seo", 2,
                  f"Competing links: {_plural(len(competing), 'link')} {'uses' if len(competing) == 1 else 'use'} the "
                  f"keyphrase “{kp.original}” as anchor text "
                  f"({', '.join(_quote(a.text, 40) for a in competing[:3])}); this tells search engines another page is "
                  f"about the same topic. Change the anchor text of these links.")


def image_alt_keyphrase(ctx: Context) -> Result:
    kp = ctx.keyphrase
    images = ctx.doc.images
    ident = "image_alt_keyphrase"
    if not images:
        return Result(ident, "seo", 3,
                      f"Image keyphrase: the text has no image. Add at least one relevant image whose alt text "
                      f"contains the keyphrase “{kp.original}”.")
    no_alt = with_kp = without_kp = 0
    for image in images:
        if not image.alt:
            no_alt += 1
        elif _match.percent_found(kp, image.alt)[1] >= 50:
            with_kp += 1
        else:
            without_kp += 1
    n = len(images)
    low, high = math.ceil(n * 0.3), math.floor(n * 0.75)
    state = (f"{_plural(n, 'image')}: {with_kp} with the keyphrase in the alt text, {without_kp} with another alt text, "
             f"{no_alt} without alt text")
    if without_kp > 0 and with_kp == 0:
        return Result(ident, "seo", 6,
                      f"Image keyphrase: {state}. Put at least half of the keyphrase words ({_words_list(kp.words)}) "
                      f"in the alt text of a relevant image.")
    if n > 4 and 0 < with_kp < low:
        return Result(ident, "seo", 6,
                      f"Image keyphrase: {state}. Aim for 30 % to 75 % of the images: add the keyphrase to "
                      f"{low - with_kp} more alt texts.")
    if (n < 5 and with_kp > 0) or (n == 5 and 2 <= with_kp <= 4) or (n > 4 and low <= with_kp <= high):
        return Result(ident, "seo", 9, f"Image keyphrase: {state}. Good.")
    if n > 4 and with_kp > high:
        return Result(ident, "seo", 6,
                      f"Image keyphrase: {state}; more than 75 % is too many: keep the keyphrase only where it "
                      f"describes the image (at most {high}).")
    return Result(ident, "seo", 6,
                  f"Image keyphrase: {state}. Give the images alt texts; at least one should contain the keyphrase "
                  f"“{kp.original}” (half of its content words or more).")


def keyphrase_in_title(ctx: Context) -> Result:
    kp = ctx.keyphrase
    title = ctx.paper.title or ""
    ident = "keyphrase_in_title"
    if not title:
        return Result(ident, "seo", 2,
                      f"Keyphrase in SEO title: there is no SEO title. Write one that begins with “{kp.original}”.")
    keyword = kp.original
    exact_requested = _match.is_double_quoted(keyword)
    if exact_requested:
        keyword = keyword[1:-1]
    prepared = _match.prepare(title)
    found = _match.match_word(prepared, keyword)
    if found.count:
        position = found.position
        if position > 0:
            before = _text.get_words(title[:position].lower(), _text.WORD_BOUNDARY_WITH_HYPHEN)
            if not [w for w in before if w.strip().lower() not in _french.function_words()]:
                position = 0
        if position == 0:
            return Result(ident, "seo", 9, f"Keyphrase in SEO title: the title begins with the keyphrase “{keyword}”. Good.")
        return Result(ident, "seo", 6,
                      f"Keyphrase in SEO title: the title contains “{keyword}” but not at the beginning. "
                      f"Move the keyphrase to the start of the title.")
    if not exact_requested and _match.percent_found(kp, title)[1] == 100:
        return Result(ident, "seo", 6,
                      f"Keyphrase in SEO title: the title has all the keyphrase words ({_words_list(kp.words)}) but not "
                      f"the exact keyphrase “{keyword}”. Begin the title with “{keyword}”, as written.")
    missing = [w for w in kp.words if not _match.match_word(prepared, w).count]
    if exact_requested:
        return Result(ident, "seo", 2,
                      f"Keyphrase in SEO title: the title does not contain the exact keyphrase “{keyword}”. "
                      f"Begin the title with it.")
    return Result(ident, "seo", 2,
                  f"Keyphrase in SEO title: the title lacks {_words_list(missing)} of the keyphrase “{keyword}”. "
                  f"Begin the title with the exact keyphrase.")


def keyphrase_in_slug(ctx: Context) -> Result:
    kp = ctx.keyphrase
    slug = ctx.paper.slug or ""
    ident = "keyphrase_in_slug"
    if not slug:
        return Result(ident, "seo", 3, f"Keyphrase in slug: there is no slug. Use a slug with the keyphrase words ({_words_list(kp.words)}).")
    slug_text = re.sub(r"[-_]", " ", slug)
    n = len(kp.words)
    found, percent, _ = _match.percent_found(kp, slug_text)
    missing = [w for w in kp.words if not _match.match_word(_match.prepare(slug_text), w).count]
    if (n < 3 and percent == 100) or (n >= 3 and percent > 50):
        return Result(ident, "seo", 9, f"Keyphrase in slug: the slug “{slug}” has {found} of the {n} keyphrase words. Good.")
    need = "all of them" if n < 3 else "more than half of them"
    return Result(ident, "seo", 6,
                  f"Keyphrase in slug: the slug “{slug}” has {found} of the {n} keyphrase words ({need} needed); "
                  f"add {_words_list(missing)} (without accents is fine).")


def keyphrase_function_words(ctx: Context) -> Result | None:
    kp = ctx.keyphrase
    if not kp.only_function_words:
        return None
    return Result("keyphrase_function_words", "seo", 0,
                  f"Function words in keyphrase: “{kp.original}” has only function words (such as “de”, “le”, "
                  f"“pour”), which say nothing about the topic. Choose a keyphrase with content words.")


# --- SEO: other checks -------------------------------------------------------------------------

def meta_description_length(ctx: Context) -> Result:
    description = ctx.paper.description or ""
    length = len(description.encode("utf-16-le")) // 2
    ident = "meta_description_length"
    if length == 0:
        return Result(ident, "seo", 1,
                      "Meta description length: there is no meta description; search engines will show a piece of the "
                      "text instead. Write one of 121 to 156 characters.")
    if length <= 120:
        return Result(ident, "seo", 6,
                      f"Meta description length: {length} characters, too short; aim for 121 to 156: add "
                      f"{121 - length} to {156 - length} characters.")
    if length > 156:
        return Result(ident, "seo", 6,
                      f"Meta description length: {length} characters, too long (it will be cut off); aim for 121 to "
                      f"156: remove {length - 156} to {length - 121} characters.")
    return Result(ident, "seo", 9, f"Meta description length: {length} characters (121 to 156). Good.")


def title_width(ctx: Context) -> Result:
    title = ctx.paper.title or ""
    width = _width.title_width(title)
    ident = "title_width"
    if width <= 1:
        return Result(ident, "seo", 1, "SEO title width: there is no SEO title. Write one, 400 to 600 pixels wide "
                                       "(about 50 to 60 characters).")
    if width <= 400:
        room = f"up to 600 px (about {max(1, round((600 - width) / 10.5))} more characters) is available"
        if SHORT_TITLE_SCORE >= 8:
            return Result(ident, "seo", SHORT_TITLE_SCORE,
                          f"SEO title width: {width} px ({len(title)} characters), under 400 px; Yoast accepts a short "
                          f"title, but {room}.")
        return Result(ident, "seo", SHORT_TITLE_SCORE,
                      f"SEO title width: {width} px ({len(title)} characters), under the recommended 400 px; {room}: "
                      f"make the title more descriptive.")
    if width <= 600:
        return Result(ident, "seo", 9, f"SEO title width: {width} px ({len(title)} characters; 400 to 600 px). Good.")
    chars = max(1, math.ceil((width - 600) / 10.5))
    return Result(ident, "seo", 3,
                  f"SEO title width: {width} px ({len(title)} characters), wider than the 600 px shown in search results; "
                  f"shorten it by about {chars} characters.")


def text_length(ctx: Context) -> Result:
    n = ctx.word_count
    ident = "text_length"
    if n >= 300:
        return Result(ident, "seo", 9, f"Text length: {n} words (300 or more). Good.")
    if n >= 250:
        score = 6
    elif n >= 200:
        score = 3
    elif n >= 100:
        score = -10
    else:
        score = -20
    return Result(ident, "seo", score, f"Text length: {n} words, below the recommended 300: add at least {300 - n} words of real content.")


_ANCHOR_RE = re.compile(r"<a[\s]+(?:[^>]+)>((?:.|[\n\r\u2028\u2029])*?)</a>", re.IGNORECASE)
_HREF_RE = re.compile(r"""href=(["'])([^"']+)\1""", re.IGNORECASE)
_REL_RE = re.compile(r"""\srel='([^']*)'""", re.IGNORECASE)


def _link_statistics(ctx: Context) -> dict[str, int]:
    stats = {"internal": 0, "internal_nofollow": 0, "external": 0, "external_nofollow": 0, "other": 0}
    site = ctx.paper.site_url or ""
    site_host = _hostname(site if "//" in site else "//" + site) if site else ""
    for m in _ANCHOR_RE.finditer(ctx.doc.flat):
        html = m.group(0)
        open_tag = html[: html.index(">") + 1]
        href_m = _HREF_RE.search(open_tag)
        url = href_m.group(2) if href_m else ""
        rel = _REL_RE.search(open_tag)
        nofollow = bool(rel) and "nofollow" in rel.group(1).lower().split()
        kind = _link_type(url, site, site_host)
        stats[kind] += 1
        if nofollow and kind != "other":
            stats[kind + "_nofollow"] += 1
    return stats


def _hostname(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _link_type(url: str, site: str, site_host: str) -> str:
    """"internal", "external" or "other" (mailto:, tel:, #anchors), as yoastseo's getLinkType."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return "external"
    if (scheme and scheme not in ("http", "https") and ":" in url.split("/", 1)[0]) or url.startswith("#"):
        return "other"
    if "//" not in url and url.startswith("/"):
        return "internal"
    host = _hostname(url)
    if not host:
        return "internal"
    if host == site or (site_host and host == site_host):
        return "internal"
    return "external"


def outbound_links(ctx: Context, stats: dict[str, int]) -> Result:
    total, nofollow = stats["external"], stats["external_nofollow"]
    ident = "outbound_links"
    if total == 0:
        return Result(ident, "seo", 3,
                      "Outbound links: no link to another site. Add at least one link to a reliable source (a study, "
                      "the original report, an official page) in the text.")
    if nofollow == total:
        return Result(ident, "seo", 7,
                      f"Outbound links: {_plural(total, 'outbound link')}, all nofollow. Make at least one a normal (followed) link.")
    if nofollow:
        return Result(ident, "seo", 8, f"Outbound links: {total} outbound links, {nofollow} of them nofollow. Good.")
    return Result(ident, "seo", 9, f"Outbound links: {_plural(total, 'outbound link')}. Good.")


def internal_links(ctx: Context, stats: dict[str, int]) -> Result:
    total, nofollow = stats["internal"], stats["internal_nofollow"]
    ident = "internal_links"
    if total == 0:
        site = f" ({ctx.paper.site_url})" if ctx.paper.site_url else ""
        return Result(ident, "seo", 3,
                      f"Internal links: no link to another page of this site{site}. Add at least one link to a related "
                      f"article of the site.")
    if nofollow == total:
        return Result(ident, "seo", 7, f"Internal links: {_plural(total, 'internal link')}, all nofollow. Make them normal links.")
    if nofollow:
        return Result(ident, "seo", 8, f"Internal links: {total} internal links, {nofollow} of them nofollow. Good.")
    return Result(ident, "seo", 9, f"Internal links: {_plural(total, 'internal link')}. Good.")


def images(ctx: Context) -> Result:
    n = len(ctx.doc.images)
    if n == 0:
        return Result("images", "seo", 3, "Images: the text has no image. Add at least one relevant image.")
    return Result("images", "seo", 9, f"Images: {_plural(n, 'image')}. Good.")


def single_h1(ctx: Context) -> Result:
    h1s = ctx.doc.h1s
    if not h1s:
        return Result("single_h1", "seo", 8, "Single title: no H1 in the text (the post title is the page's H1). Good.")
    return Result("single_h1", "seo", 1,
                  f"Single title: the text has {_plural(len(h1s), 'H1 heading')} ({', '.join(_quote(h, 40) for h in h1s[:3])}) "
                  f"besides the post title, which the theme shows as the H1. Make them H2 (or H3) subheadings.")


# --- readability ------------------------------------------------------------------------------

def subheading_distribution(ctx: Context) -> Result:
    flat = ctx.doc.flat
    matches = list(_ANY_SUBHEADING.finditer(flat))
    sections = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(flat)
        sections.append((_text.strip_tags(m.group(2)), len(_text.get_words(flat[m.end():end]))))
    before = 0
    if matches:
        before = len(_text.get_words(flat[: matches[0].start()]))
        if before > 0:
            sections.insert(0, ("", before))
    total = ctx.word_count
    ident = "subheading_distribution"
    long_sections = [s for s in sections if s[1] > 300]
    if total <= 300:
        return Result(ident, "readability", 9,
                      f"Subheading distribution: {total} words{'' if matches else ', no subheading needed'}. Good.")
    if not matches:
        return Result(ident, "readability", 2,
                      f"Subheading distribution: {total} words and no subheading. Add H2 subheadings so that no section "
                      f"is longer than 300 words.")
    first_is_intro = sections[0][0] == "" and before > 0
    described = "; ".join(
        (f"the introduction ({n} words)" if not heading else f"the section under {_quote(heading, 50)} ({n} words)")
        for heading, n in sorted(long_sections, key=lambda s: -s[1])[:4])
    if first_is_intro and 300 < before <= 350 and len(long_sections) < 2:
        return Result(ident, "readability", 6,
                      f"Subheading distribution: the text before the first subheading has {before} words (over 300). "
                      f"Add a subheading in it.")
    if first_is_intro and before > 350 and len(long_sections) < 2:
        return Result(ident, "readability", 3,
                      f"Subheading distribution: the text before the first subheading has {before} words (over 350). "
                      f"Add a subheading in it (at most 300 words per section).")
    longest = max(n for _, n in sections)
    if longest <= 300:
        return Result(ident, "readability", 9, f"Subheading distribution: every section has 300 words or fewer (longest: {longest}). Good.")
    score = 6 if longest <= 350 else 3
    return Result(ident, "readability", score,
                  f"Subheading distribution: {_plural(len(long_sections), 'section')} over 300 words: {described}. "
                  f"Split {'it' if len(long_sections) == 1 else 'them'} with H2/H3 subheadings (at most 300 words per "
                  f"section).")


def paragraph_length(ctx: Context) -> Result:
    lengths = []
    for node in ctx.doc.nodes:
        if node.name != "p":
            continue
        n = sum(len(s.words) for s in node.sentences)
        if n > 0:
            lengths.append((n, node))
    ident = "paragraph_length"
    if not lengths:
        return Result(ident, "readability", 9, "Paragraph length: no paragraph is too long. Good.")
    longest = max(n for n, _ in lengths)
    long_ones = sorted([(n, node) for n, node in lengths if n > 150], key=lambda x: -x[0])
    if longest <= 150:
        return Result(ident, "readability", 9, f"Paragraph length: every paragraph has 150 words or fewer (longest: {longest}). Good.")
    score = 6 if longest <= 200 else 3
    listed = "; ".join(f"{_quote(node.text().strip(), 45)} ({n} words)" for n, node in long_ones[:3])
    return Result(ident, "readability", score,
                  f"Paragraph length: {_plural(len(long_ones), 'paragraph')} over 150 words: {listed}. "
                  f"Split {'it' if len(long_ones) == 1 else 'them'} (at most 150 words per paragraph).")


def sentence_length(ctx: Context) -> Result:
    sentences = [s for s in ctx.sentences if s.words]
    ident = "sentence_length"
    long_ones = [s for s in sentences if len(s.words) > RECOMMENDED_SENTENCE_WORDS]
    pct = _format_number(len(long_ones) / len(sentences) * 100) if sentences else 0.0
    if pct <= 25:
        return Result(ident, "readability", 9,
                      f"Sentence length: {len(long_ones)} of {len(sentences)} sentences ({_pct(pct)} %) have more than "
                      f"20 words; 25 % at most. Good.")
    score = 6 if pct <= 30 else 3
    allowed = math.floor(len(sentences) * 0.25)
    examples = "; ".join(f"{_quote(s.text.strip(), 50)} ({len(s.words)} words)"
                         for s in sorted(long_ones, key=lambda s: -len(s.words))[:3])
    return Result(ident, "readability", score,
                  f"Sentence length: {len(long_ones)} of {len(sentences)} sentences ({_pct(pct)} %) have more than 20 words; "
                  f"25 % at most: split or shorten at least {len(long_ones) - allowed} of them, e.g. {examples}.")


def _transition_index() -> tuple[dict[str, list[tuple[str, ...]]], tuple]:
    single, double = _french.transition_words()
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in single:
        index.setdefault(phrase[0], []).append(phrase)
    return index, double


_TRANSITIONS: tuple | None = None


def _has_phrase(tokens: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    first = phrase[0]
    for i, token in enumerate(tokens):
        if token == first and tuple(tokens[i:i + size]) == phrase:
            return True
    return False


def sentence_has_transition(tokens: list[str]) -> bool:
    global _TRANSITIONS
    if _TRANSITIONS is None:
        _TRANSITIONS = _transition_index()
    index, double = _TRANSITIONS
    words = [t.lower() for t in tokens if t != " "]
    present = set(words)
    for first, second in double:
        if first[0] in present and second[0] in present and _has_phrase(words, first) and _has_phrase(words, second):
            return True
    for i, word in enumerate(words):
        for phrase in index.get(word, ()):
            if len(phrase) == 1 or tuple(words[i:i + len(phrase)]) == phrase:
                return True
    return False


def transition_words(ctx: Context) -> Result:
    sentences = ctx.sentences
    total = len(sentences)
    with_tw = sum(1 for s in sentences if sentence_has_transition(s.tokens))
    ident = "transition_words"
    pct = _format_number(with_tw / total * 100) if total and with_tw else 0.0
    words = ctx.tree_word_count
    if words < 200:
        return Result(ident, "readability", 9,
                      f"Transition words: {with_tw} of {total} sentences have one; a text of {words} words does not need more. Good.")
    if pct >= 30:
        return Result(ident, "readability", 9,
                      f"Transition words: {with_tw} of {total} sentences ({_pct(pct)} %) have one; 30 % or more. Good.")
    score = 6 if pct >= 20 else 3
    needed = max(1, math.ceil(total * 0.3) - with_tw)
    return Result(ident, "readability", score,
                  f"Transition words: {with_tw} of {total} sentences ({_pct(pct)} %) contain a transition word; aim for 30 % "
                  f"or more: add one (ainsi, en effet, cependant, par ailleurs, de plus, toutefois, donc, enfin...) to "
                  f"about {needed} more sentences.")


def passive_voice(ctx: Context) -> Result:
    sentences = ctx.flat_sentences
    total = len(sentences)
    passives = [s for s in sentences if _passive.is_passive(_text.strip_tags(s))]
    pct = _format_number(len(passives) / total * 100) if total else 0.0
    ident = "passive_voice"
    if pct <= 10:
        return Result(ident, "readability", 9,
                      f"Passive voice: {len(passives)} of {total} sentences ({_pct(pct)} %) in the passive voice; 10 % at "
                      f"most. Good.")
    score = 6 if pct <= 15 else 3
    allowed = math.floor(total * 0.10)
    examples = "; ".join(_quote(_text.strip_tags(s), 60) for s in passives[:3])
    return Result(ident, "readability", score,
                  f"Passive voice: {len(passives)} of {total} sentences ({_pct(pct)} %) in the passive voice; 10 % at most: rewrite at "
                  f"least {len(passives) - allowed} in the active voice, e.g. {examples}.")


def _beginning(sentence: _html.Sentence, exceptions: frozenset[str]) -> str:
    words = [w for w in sentence.words if w.strip() != " "]
    if not words:
        return ""
    first = words[0].lower()
    if first in exceptions and len(words) > 1:
        return first + " " + words[1].lower()
    return first


def consecutive_sentences(ctx: Context) -> Result:
    exceptions = _french.first_word_exceptions()
    sentences = [s for s in ctx.doc.sentences(exclude_lists_and_tables=True) if s.tokens]
    beginnings = [_beginning(s, exceptions) for s in sentences]
    groups = []
    run: list[_html.Sentence] = []
    for i, beginning in enumerate(beginnings):
        nxt = beginnings[i + 1] if i + 1 < len(beginnings) else None
        run.append(sentences[i])
        if beginning and beginning != nxt:
            groups.append((beginning, run))
            run = []
    repeated = [(word, group) for word, group in groups if len(group) > 2]
    ident = "consecutive_sentences"
    if not repeated:
        return Result(ident, "readability", 9, "Consecutive sentences: no three sentences in a row start with the same word. Good.")
    listed = "; ".join(f"{len(group)} in a row start with “{word}” ({_quote(group[0].text.strip(), 40)}…)"
                       for word, group in repeated[:3])
    return Result(ident, "readability", 3,
                  f"Consecutive sentences: {listed}. Vary the beginnings (at most 2 in a row with the same first word).")


def text_presence(ctx: Context) -> Result | None:
    text = (ctx.paper.text or "").replace("&nbsp;", " ").replace("\u2014", " ")
    if len(_text.strip_tags(re.sub(r"\s", " ", text))) >= 50:
        return None
    return Result("text_presence", "readability", 3,
                  "Not enough content: the text has fewer than 50 characters. Write the text first.")


# --- overall ----------------------------------------------------------------------------------

def seo_results(ctx: Context) -> list[Result]:
    results: list[Result] = []
    has_kp = ctx.keyphrase is not None
    stats = _link_statistics(ctx)
    if has_kp:
        results += [keyphrase_in_introduction(ctx), keyphrase_length(ctx), keyphrase_density(ctx),
                    keyphrase_in_meta_description(ctx)]
    results.append(meta_description_length(ctx))
    if has_kp:
        results += [keyphrase_in_subheadings(ctx), competing_links(ctx), image_alt_keyphrase(ctx)]
    results += [images(ctx), text_length(ctx), outbound_links(ctx, stats)]
    if has_kp:
        results.append(keyphrase_in_title(ctx))
    results += [internal_links(ctx, stats), title_width(ctx)]
    if has_kp:
        results.append(keyphrase_in_slug(ctx))
        fw = keyphrase_function_words(ctx)
        if fw:
            results.append(fw)
    results.append(single_h1(ctx))
    return results


def readability_results(ctx: Context) -> list[Result]:
    results = [subheading_distribution(ctx), paragraph_length(ctx), sentence_length(ctx), transition_words(ctx),
               passive_voice(ctx)]
    presence = text_presence(ctx)
    if presence:
        results.append(presence)
    results.append(consecutive_sentences(ctx))
    return results


def seo_score(results: list[Result]) -> int:
    if not results:
        return 0
    total = sum(r.score for r in results)
    return max(0, min(100, _round(total * 100 / (len(results) * 9))))


def readability_score(results: list[Result]) -> int:
    penalty = sum(3 if rating_for(r.score) == "bad" else 2 if rating_for(r.score) == "ok" else 0 for r in results)
    if penalty > 6:
        return 30
    if penalty > 4:
        return 60
    return 90


def overall_rating(score: int) -> Rating:
    if score > 70:
        return "good"
    if score > 40:
        return "ok"
    return "bad"


def run(paper: Paper) -> Analysis:
    ctx = Context(paper)
    seo = seo_results(ctx)
    readability = readability_results(ctx)
    assessments = tuple(
        Assessment(r.id, r.group, max(0, min(9, r.score)), rating_for(r.score), r.text)  # type: ignore[arg-type]
        for r in seo + readability)
    s_score = seo_score(seo)
    r_score = readability_score(readability)
    flat_sentences = len(ctx.flat_sentences)
    flesch = _flesch.reading_ease(ctx.flat_words, flat_sentences)
    return Analysis(
        assessments=assessments,
        seo_score=s_score,
        seo_rating=overall_rating(s_score),
        readability_score=r_score,
        readability_rating=overall_rating(r_score),
        flesch_reading_ease=flesch,
        words=ctx.word_count,
    )
