"""Sentences, tokens and words, split the way Yoast SEO's analysis (yoastseo) splits them.

Every figure the checks report (word counts, sentence lengths, keyphrase counts) depends on these
rules, so they follow yoastseo's behaviour closely, including its quirks:

- a full stop ends a sentence only before a space and a capital letter, a digit or a quote, so
  "M. Dupont" is two sentences and "12,4" or "p. ex. la" never split;
- "?", "!", "…" and closing quotes end a sentence before a space whatever follows;
- a word is what lies between spaces once punctuation is peeled off its ends: "l’aide" and
  "machines-outils" are one word for the text length, "%" standing alone is a word.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Characters peeled off the ends of a word (yoastseo's punctuation list: Latin, French, CJK).
PUNCTUATION = (
    "–-()_[]’‘“”〝〞〟‟„\"'.?!:;,¿¡«»‹›—×+&\u06d4\u061f\u060c\u061b\u3002\uff61"
    "\uff01\u203c\uff1f\u2047\u2049\u2048\u2025\u2026\u30fb\u30fc\u3001\u3003\u3004\u3006\u3007\u3008\u3009\u300a\u300b"
    "\u300c\u300d\u300e\u300f\u3010\u3011\u3012\u3013\u3014\u3015\u3016\u3017\u3018\u3019\u301a\u301b\u301c\u301d"
    "\u301e\u301f\u3020\u3036\u303c\u303d\uff5b\uff5d\uff5c\uff5e\uff5f\uff60\uff62\uff63\uff64\uff3b\uff3d\uff65"
    "\uffe5\uff04\uff05\uff20\uff06\uff07\uff08\uff09\uff0a\uff0f\uff1a\uff1b\uff1c\uff1e\uff3c\\<>"
)
_PUNCT_CLASS = "[" + re.escape(PUNCTUATION) + "]"
_PUNCT_START = re.compile("^" + _PUNCT_CLASS + "+")
_PUNCT_END = re.compile(_PUNCT_CLASS + "+$")
_PUNCT_SET = frozenset(PUNCTUATION)

SINGLE_QUOTES = "'‘’‛`‹›"
DOUBLE_QUOTES = "“”〝〞〟‟„『』«»"
_SINGLE_QUOTES_TABLE = str.maketrans({c: "'" for c in SINGLE_QUOTES})
_QUOTES_TABLE = str.maketrans({**{c: "'" for c in SINGLE_QUOTES}, **{c: '"' for c in DOUBLE_QUOTES}})

# HTML entities yoastseo keeps as "#name;" while it builds its tree (so "&nbsp;" separates words
# there but is not a space for the sentence splitter); they are put back in sentences and tokens.
HASHED_ENTITIES = {
    "amp;": "&", "lt;": "<", "gt;": ">", "quot;": '"', "apos;": "'", "ndash;": "–", "mdash;": "—",
    "copy;": "©", "reg;": "®", "trade;": "™", "pound;": "£", "yen;": "¥", "euro;": "€", "dollar;": "$",
    "deg;": "°", "asymp;": "≈", "ne;": "≠", "nbsp;": " ",
}
ENTITY_RE = re.compile("&(" + "|".join(re.escape(k) for k in HASHED_ENTITIES) + ")", re.IGNORECASE)
_HASHED_RE = re.compile("#(" + "|".join(re.escape(k) for k in HASHED_ENTITIES) + ")")
_HASHED_START = re.compile("^#(" + "|".join(re.escape(k) for k in HASHED_ENTITIES) + ")")
_HASHED_END = re.compile("#(" + "|".join(re.escape(k) for k in HASHED_ENTITIES) + ")$")

# Abbreviations that do not end a sentence and keep their final dot (yoastseo uses English ones).
ABBREVIATIONS = (
    "A.D.", "Adm.", "Adv.", "B.C.", "Br.", "Brig.", "Cmrd.", "Col.", "Cpl.", "Cpt.", "Dr.", "Esq.", "Fr.",
    "Gen.", "Gov.", "Hon.", "Jr.", "Lieut.", "Lt.", "Maj.", "Mr.", "Mrs.", "Ms.", "Msgr.", "Mx.", "No.",
    "Pfc.", "Pr.", "Prof.", "Pvt.", "Rep.", "Reps.", "Rev.", "Rt.", "Hon.", "Sen.", "Sens.", "Sgt.",
    "Sps.", "Sr.", "St.", "vs.", "i.e.", "e.g.", "viz.", "Mt.",
)
_ABBREVIATIONS_LOWER = frozenset(a.lower() for a in ABBREVIATIONS)
_BOUNDARY = " \u00a0\u2014\u06d4\u061f\u060c\u061b\n\r\t.,()”“〝〞〟‟„\"+\\-;!¡?¿:/»«‹›<>"
_ABBREVIATION_ALTERNATIVES = "|".join(re.escape(a) for a in sorted(set(ABBREVIATIONS), key=len, reverse=True))
#: A sentence that ends with an abbreviation ("... le Dr.") goes on.
_ABBREVIATION_END_RE = re.compile(
    "(?:^|[" + re.escape(_BOUNDARY) + "'‘’‛`])(?:" + _ABBREVIATION_ALTERNATIVES + ")$", re.IGNORECASE)
# yoastseo's initials rule ("J. K. Rowling"): a single letter after one of these characters. Its
# class also holds the letters n, r and t (an escaping slip in yoastseo that is reproduced here:
# "il part. A. Fin." is one sentence there).
_INITIAL_RE = re.compile("(?:^|[" + re.escape(" \\nrt\u00a0\u06d4\u061f\u060c\u061b.,'()\"+-;!?:/»«‹›<>”“〝〞〟‟„") + "])[A-Za-z]$")

SENTENCE_DELIMITERS = "”〞〟„』›»’‛`\"?!\u2026\u06d4\u061f"
_DELIMITER_SET = frozenset(SENTENCE_DELIMITERS)
_NOT_SENTENCE = frozenset("." + SENTENCE_DELIMITERS + "<()[]")
_SENTENCE_RUN = re.compile("[^" + re.escape("." + SENTENCE_DELIMITERS + "<()[]") + "]+")
_WS_RUN = re.compile(r"\s*")
_HTML_START = re.compile(r"<([^>\s/]+)[^>]*>")
_HTML_END = re.compile(r"</([^>\s]+)[^>]*>")
_TAG_TYPE = re.compile(r"</?([^\s]+?)(\s|>)")
_SEMANTIC_TAGS = frozenset(["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "span", "li", "main"])
_SPACE = re.compile(r"\s")
_FIRST_WS = re.compile(r"\s+")
_RTL_LETTER = re.compile("^[\u0590-\u05fe\u0600-\u06ff\ufb8a\u067e\u0686\u06af]+$")


def normalize_single(text: str) -> str:
    return text.translate(_SINGLE_QUOTES_TABLE)


def normalize_quotes(text: str) -> str:
    return text.translate(_QUOTES_TABLE)


def unhash_entities(text: str) -> str:
    if "#" not in text:
        return text
    return _HASHED_RE.sub(lambda m: HASHED_ENTITIES[m.group(1)], text)


def remove_punctuation(word: str) -> str:
    """A word without the punctuation at its ends (yoastseo's removePunctuation)."""
    if not word:
        return word
    if "&" in word:
        word = word.replace("&nbsp;", " ").replace("&amp", "", 1)
    if "\\" in word:
        word = word.replace("\\", "")
    if word and word[0] in _PUNCT_SET:
        word = _PUNCT_START.sub("", word)
    if word and word[-1] in _PUNCT_SET:
        word = _PUNCT_END.sub("", word)
    return word


# --- sentences --------------------------------------------------------------------------------

class _Token:
    __slots__ = ("type", "src")

    def __init__(self, type_: str, src: str) -> None:
        self.type = type_
        self.src = src


def _lex(text: str) -> list[_Token]:
    """Tokens as yoastseo's sentence tokenizer sees them (longest match of its rules, in order)."""
    tokens: list[_Token] = []
    n = len(text)
    p = 0
    while p < n:
        c = text[p]
        if c == ".":
            tokens.append(_Token("full-stop", "."))
            p += 1
            continue
        if c in _DELIMITER_SET:
            tokens.append(_Token("sentence-delimiter", c))
            p += 1
            continue
        if c == "<":
            end = p + 1
            while end < n and text[end] not in "<>":
                end += 1
            if end < n and text[end] == ">":
                candidate = text[p:end + 1]
                if _HTML_END.fullmatch(candidate):
                    tokens.append(_Token("html-end", candidate))
                    p = end + 1
                    continue
                if _HTML_START.fullmatch(candidate):
                    tokens.append(_Token("html-start", candidate))
                    p = end + 1
                    continue
            tokens.append(_Token("smaller-than-sign-content", text[p:end]))
            p = end
            continue
        # whitespace, then possibly a bracket: a block token ("(", " ( ", ")" ...)
        ws_end = _WS_RUN.match(text, p).end()
        if ws_end < n and text[ws_end] in "([{)]}":
            bracket = text[ws_end]
            after = _WS_RUN.match(text, ws_end + 1).end()
            if bracket in "{}" and after < n and text[after] not in _NOT_SENTENCE:
                pass  # "{" and "}" are ordinary sentence characters when text goes on
            else:
                tokens.append(_Token("block-start" if bracket in "([{" else "block-end", text[p:after]))
                p = after
                continue
        m = _SENTENCE_RUN.match(text, p)
        end = m.end() if m else p + 1
        tokens.append(_Token("sentence", text[p:end]))
        p = end
    return tokens


def _is_capital(ch: str) -> bool:
    return ch != ch.lower()


def _is_number(ch: str) -> bool:
    return ch.isdigit() and ch.isascii()


def _is_quotation(ch: str) -> bool:
    return normalize_quotes(ch) in ("'", '"')


def _valid_beginning(ch: str) -> bool:
    return bool(ch) and (_is_capital(ch) or bool(_RTL_LETTER.match(ch)) or _is_number(ch) or _is_quotation(ch)
                         or ch in "¿¡" or ch == "<")


def _is_sentence_start(token: _Token | None) -> bool:
    return token is not None and token.type in ("html-start", "html-end", "block-start")


def _is_sentence_ending(token: _Token | None) -> bool:
    return token is not None and token.type in ("full-stop", "sentence-delimiter")


def _next_two(tokens: list[_Token], i: int) -> str:
    nxt = ""
    if i + 1 < len(tokens):
        nxt += tokens[i + 1].src
    if i + 2 < len(tokens):
        nxt += tokens[i + 2].src
    return _FIRST_WS.sub(" ", nxt, count=1)


def _ends_with_abbreviation(sentence: str) -> bool:
    return _ABBREVIATION_END_RE.search(sentence) is not None


def _valid_tag_pair(first: _Token, last: _Token) -> bool:
    a = _TAG_TYPE.match(first.src)
    b = _TAG_TYPE.match(last.src)
    return bool(a and b) and a.group(1) == b.group(1) and a.group(1) in _SEMANTIC_TAGS


def _sentences_from_tokens(tokens: list[_Token], trim: bool) -> list[str]:
    sentences: list[str] = []
    current = ""
    while len(tokens) > 1 and tokens[0].type == "html-start" and tokens[-1].type == "html-end" and _valid_tag_pair(tokens[0], tokens[-1]):
        tokens = tokens[1:-1]
    count = len(tokens)

    def valid_sentence(has_next: bool, next_start: str, next_chars: str, next_token: _Token | None) -> bool:
        return (has_next and _valid_beginning(next_start) and bool(_SPACE.match(next_chars[0]))) or _is_sentence_start(next_token)

    for i, token in enumerate(tokens):
        next_token = tokens[i + 1] if i + 1 < count else None
        previous = tokens[i - 1] if i > 0 else None
        kind = token.type
        if kind == "sentence":
            current += token.src
        elif kind in ("html-start", "html-end"):
            if token.src.startswith(("<br", "</br")):
                sentences.append(current)
                current = ""
            else:
                current += token.src
        elif kind == "sentence-delimiter":
            current += token.src
            if next_token is not None and next_token.type not in ("block-end", "sentence-delimiter") and next_token.src[:1].isspace():
                if _is_quotation(token.src) and previous is not None and previous.src != ".":
                    continue
                if _is_quotation(token.src) or token.src == "…":
                    next_chars = _next_two(tokens, i)
                    has_next = len(next_chars) >= 2
                    if valid_sentence(has_next, next_chars[1] if has_next else "", next_chars, next_token):
                        sentences.append(current)
                        current = ""
                else:
                    sentences.append(current)
                    current = ""
        elif kind == "full-stop":
            current += token.src
            next_chars = _next_two(tokens, i)
            has_next = len(next_chars) >= 2
            if _ends_with_abbreviation(current):
                continue
            if has_next and _is_number(next_chars[0]):
                continue
            second = tokens[i + 2] if i + 2 < count else None
            if (previous is not None and next_token is not None and second is not None and previous.type == "sentence"
                    and _INITIAL_RE.search(previous.src) and next_token.type == "sentence"
                    and len(next_token.src.strip()) == 1 and second.type == "full-stop"):
                continue  # initials: "J. K. Rowling"
            if valid_sentence(has_next, next_chars[1] if has_next else "", next_chars, next_token):
                sentences.append(current)
                current = ""
        elif kind == "block-start":
            current += token.src
        elif kind == "block-end":
            current += token.src
            next_chars = _next_two(tokens, i)
            has_next = len(next_chars) >= 2
            next_start = next_chars[0] if has_next else ""
            if (has_next and _is_number(next_chars[0])) or (
                    _is_sentence_ending(previous) and not (_valid_beginning(next_start) or _is_sentence_start(next_token))):
                continue
            if _is_sentence_ending(previous) and (_is_sentence_start(next_token) or _valid_beginning(next_start)):
                sentences.append(current)
                current = ""
        elif kind == "smaller-than-sign-content":
            # Rare in real text (a literal "<"): kept in the sentence.
            current += token.src
    if current != "":
        sentences.append(current)
    if trim:
        sentences = [s.strip() for s in sentences]
    return sentences


@lru_cache(maxsize=4096)
def _split_cached(text: str, trim: bool) -> tuple[str, ...]:
    tokens = _lex(text)
    if not tokens:
        return ()
    return tuple(_sentences_from_tokens(tokens, trim))


def split_sentences(text: str, trim: bool = True) -> list[str]:
    """The sentences of a plain (or inline-HTML) text, as yoastseo's SentenceTokenizer splits them."""
    return list(_split_cached(text, trim))


def tree_sentences(inner_text: str) -> list[str]:
    """Sentences of a paragraph or heading of the tree: untrimmed, a final blank one dropped."""
    sentences = list(_split_cached(inner_text, False))
    if sentences and sentences[-1].isspace():
        sentences.pop()
    return sentences


# --- tokens and words -------------------------------------------------------------------------

_WORD_SEPARATORS = re.compile(r"([\s\t\u00A0\u2013\u2014\u002d\[\]]|#nbsp;)")


def split_into_tokens(sentence: str) -> list[str]:
    """Tokens of a sentence: words, punctuation marks and separators (spaces, hyphens, dashes)."""
    tokens: list[str] = []
    append = tokens.append
    for raw in _WORD_SEPARATORS.split(sentence):
        if not raw:
            continue
        if len(raw) == 1 or (raw[0] not in _PUNCT_SET and raw[-1] not in _PUNCT_SET):
            append(raw)
            continue
        pre: list[str] = []
        post: list[str] = []
        token = raw
        while token and token[0] in _PUNCT_SET and not _HASHED_START.match(token):
            pre.append(token[0])
            token = token[1:]
        while token and token[-1] in _PUNCT_SET and not _HASHED_END.search(token) and token.lower() not in _ABBREVIATIONS_LOWER:
            post.insert(0, token[-1])
            token = token[:-1]
        tokens.extend(pre)
        if token:
            append(token)
        tokens.extend(post)
    return tokens


def words_from_tokens(tokens: list[str], split_on_hyphens: bool = True) -> list[str]:
    """Words of a token list; hyphenated words are one word unless ``split_on_hyphens``."""
    if not split_on_hyphens and "-" in tokens:
        # yoastseo's mergeBy: "a", "-", "b" -> "a-b"; a hyphen at either end is dropped.
        words = list(tokens)
        while "-" in words:
            k = words.index("-")
            if k == 0 or k == len(words) - 1:
                del words[k]
                continue
            words[k - 1:k + 2] = [words[k - 1] + "-" + words[k + 1]]
        tokens = words
    out = []
    for token in tokens:
        word = remove_punctuation(token)
        if word.strip():
            out.append(word)
    return out


_TAG = re.compile(r"<[^>]+>")
_MULTI_SPACE = re.compile(r"\s{2,}")


def strip_tags(text: str) -> str:
    """yoastseo's stripFullTags: tags become spaces, spaces folded, ends trimmed."""
    if "<" in text:
        text = _TAG.sub(" ", text)
    text = _MULTI_SPACE.sub(" ", text)
    if text.endswith(" ."):
        text = text[:-2] + "."
    return text.strip()


def get_words(text: str, boundary: re.Pattern[str] | None = None) -> list[str]:
    """Words of an HTML or plain text, split on spaces (yoastseo's getWords)."""
    text = text.replace("&nbsp;", " ").replace("\u2014", " ")
    text = strip_tags(text)
    if not text:
        return []
    parts = (boundary or _SPACE).split(text)
    out = []
    for part in parts:
        word = remove_punctuation(part)
        if word.strip():
            out.append(word)
    return out


WORD_BOUNDARY_WITH_HYPHEN = re.compile(r"[\s\u2013\u002d]")


def clear_cache() -> None:
    """Forget memoised sentence splits."""
    _split_cached.cache_clear()
