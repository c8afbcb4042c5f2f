"""Words for figures, per language: number words, scales, currencies, percent words, approximations.

CLDR (through Babel, see ``locales.py``) gives separators, month and day names, date patterns and
currency symbols, but not the words of numbers ("six", "vingt-trois", "milliard"): those are here,
one :class:`Lexicon` per language, all keys in lower case without accents. A language without a
lexicon still has its digits, dates and symbols read; only its number words are not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .._common import strip_accents


@dataclass(frozen=True)
class Lexicon:
    #: Cardinal words with a value added to the current group ("six", "doscientos": 200).
    units: dict[str, int] = field(default_factory=dict)
    #: Tens ("vingt", "thirty"); French "quatre-vingt" multiplies instead (see numbers.py).
    tens: dict[str, int] = field(default_factory=dict)
    #: Words multiplying the current group by 100 ("hundred", "cent").
    hundreds: frozenset[str] = frozenset()
    #: Words closing a group of thousands ("thousand", "mille").
    thousands: frozenset[str] = frozenset()
    #: Small words joining number words inside a number ("and", "et", "y").
    joiners: frozenset[str] = frozenset()
    #: "one"/"un": too common to check alone, counted before a scale word ("un million").
    one: frozenset[str] = frozenset()
    #: Number words that are also ordinary words ("neuf": new), and the words after which they count.
    ambiguous: frozenset[str] = frozenset()
    ambiguous_after: frozenset[str] = frozenset()
    #: Ordinals from the third or so on ("first"/"second" are too common to check).
    ordinals: dict[str, int] = field(default_factory=dict)
    #: Scale words after a number, any case ("milliards", "billion"): word -> factor.
    scales: dict[str, int] = field(default_factory=dict)
    #: Scale abbreviations, exact case ("Md", "bn", "Mio."): abbreviation -> factor.
    scale_abbreviations: dict[str, int] = field(default_factory=dict)
    #: Currency words (singular and plural, multi-word allowed) -> ISO code.
    currencies: dict[str, str] = field(default_factory=dict)
    #: Words between a figure and its currency word ("de", "d'", "di").
    currency_connectors: tuple[str, ...] = ()
    #: Words meaning "per cent" (besides "%").
    percent_words: tuple[str, ...] = ()
    #: Approximate quantities -> what they mean ("dizaines" and "dozens" share "ten").
    approximate: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Suffixes of a day number in a date ("15th", "1er", "1º"): a regular expression.
    day_suffix: str = ""
    #: Endings of an ordinal written in digits ("3e", "3rd", "3º"): a regular expression.
    ordinal_suffix: str = ""
    #: Words for the first day of a month ("le premier avril").
    first_day: tuple[str, ...] = ()
    #: Words for the hour in a time ("14 heures", "14 Uhr").
    hour_words: tuple[str, ...] = ()
    #: Words that are not codes before a number ("mi-2023": mid, "pre-2020").
    not_code_prefixes: frozenset[str] = frozenset()


def _keys(mapping: dict) -> dict:
    return {strip_accents(key).lower(): value for key, value in mapping.items()}


def _approx(**meanings: str) -> dict[str, frozenset[str]]:
    """``_approx(ten="dizaine dizaines")`` -> {"dizaine": {"ten"}, "dizaines": {"ten"}}."""
    result: dict[str, set[str]] = {}
    for meaning, words in meanings.items():
        for word in words.split():
            result.setdefault(strip_accents(word).lower(), set()).add(meaning)
    return {word: frozenset(values) for word, values in result.items()}


_SCALE_ABBREVIATIONS = {"k": 10**3, "M": 10**6, "Md": 10**9, "Mds": 10**9, "Mrd": 10**9, "Mrds": 10**9}

FRENCH = Lexicon(
    units=_keys({
        "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
        "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
    }),
    tens=_keys({"vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
                "septante": 70, "octante": 80, "huitante": 80, "nonante": 90}),
    hundreds=frozenset({"cent", "cents"}),
    thousands=frozenset({"mille"}),
    joiners=frozenset({"et"}),
    one=frozenset({"un", "une"}),
    ambiguous=frozenset({"neuf"}),
    ambiguous_after=frozenset({
        "les", "des", "ces", "ses", "leurs", "nos", "vos", "mes", "tes", "aux", "de", "a", "en", "sur", "dans",
        "pendant", "depuis", "pour", "par", "environ", "quelque", "apres", "avant", "entre", "et", "ou", "plus",
        "moins", "dont", "sous", "d", "l", "il", "y",
    }),
    ordinals=_keys({
        "deuxième": 2, "troisième": 3, "quatrième": 4, "cinquième": 5, "sixième": 6, "septième": 7,
        "huitième": 8, "neuvième": 9, "dixième": 10, "onzième": 11, "douzième": 12, "treizième": 13,
        "quatorzième": 14, "quinzième": 15, "seizième": 16, "vingtième": 20, "trentième": 30,
        "quarantième": 40, "cinquantième": 50, "soixantième": 60, "centième": 100, "millième": 1000,
    }),
    scales={"mille": 10**3, "millier": 10**3, "milliers": 10**3, "million": 10**6, "millions": 10**6,
            "milliard": 10**9, "milliards": 10**9, "billion": 10**12, "billions": 10**12},
    scale_abbreviations=_SCALE_ABBREVIATIONS,
    currencies={
        "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "livre sterling": "GBP",
        "livres sterling": "GBP", "livre": "GBP", "livres": "GBP", "yuan": "CNY", "yuans": "CNY", "renminbi": "CNY",
        "rouble": "RUB", "roubles": "RUB", "yen": "JPY", "yens": "JPY", "franc suisse": "CHF",
        "francs suisses": "CHF", "franc": "CHF", "francs": "CHF", "hryvnia": "UAH", "hryvnias": "UAH",
        "roupie": "INR", "roupies": "INR",
    },
    currency_connectors=("de", "d'"),
    percent_words=("pour cent", "pourcent"),
    approximate=_approx(
        ten="dizaine dizaines", dozen="douzaine douzaines", fifteen="quinzaine", twenty="vingtaine",
        thirty="trentaine", fifty="cinquantaine", hundred="centaine centaines", thousand="millier milliers",
        half="moitié",
    ),
    day_suffix=r"(?:er|ᵉʳ)",
    first_day=("premier",),
    ordinal_suffix=r"er|re|ère|e|ème|eme|ᵉ|ᵉʳ",
    hour_words=("h", "heure", "heures"),
    not_code_prefixes=frozenset({"mi", "fin", "debut", "pre", "post", "anti", "pro", "ex", "hors", "non", "semi",
                                 "an", "l", "d"}),
)

ENGLISH = Lexicon(
    units={
        "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
        "seventeen": 17, "eighteen": 18, "nineteen": 19,
    },
    tens={"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
          "ninety": 90},
    hundreds=frozenset({"hundred"}),
    thousands=frozenset({"thousand"}),
    joiners=frozenset({"and"}),
    one=frozenset({"one", "a"}),
    ordinals={
        "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
        "eleventh": 11, "twelfth": 12, "twentieth": 20, "thirtieth": 30, "fiftieth": 50, "hundredth": 100,
        "thousandth": 1000,
    },
    scales={"thousand": 10**3, "million": 10**6, "millions": 10**6, "billion": 10**9, "billions": 10**9,
            "trillion": 10**12, "trillions": 10**12},
    # "m" is a million only with a currency ("€9.6m"); otherwise it is metres (see numbers.py).
    scale_abbreviations={"k": 10**3, "m": 10**6, "mn": 10**6, "M": 10**6, "bn": 10**9, "b": 10**9, "tn": 10**12},
    currencies={
        "us dollars": "USD", "us dollar": "USD", "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR",
        "pounds sterling": "GBP", "pound sterling": "GBP", "pound": "GBP", "pounds": "GBP", "sterling": "GBP",
        "yuan": "CNY", "renminbi": "CNY", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB",
        "yen": "JPY", "swiss francs": "CHF", "swiss franc": "CHF", "francs": "CHF", "franc": "CHF",
        "hryvnia": "UAH", "hryvnias": "UAH", "rupee": "INR", "rupees": "INR",
    },
    percent_words=("percent", "per cent", "pc"),
    approximate=_approx(
        dozen="dozen dozens", ten="dozens tens", hundred="hundreds", thousand="thousands",
        half="half",
    ),
    day_suffix=r"(?:st|nd|rd|th)",
    ordinal_suffix=r"st|nd|rd|th",
    hour_words=("am", "a.m.", "pm", "p.m.", "o'clock"),
    not_code_prefixes=frozenset({"mid", "pre", "post", "anti", "pro", "ex", "non", "semi", "late", "early"}),
)

GERMAN = Lexicon(
    units=_keys({
        "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
        "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17,
        "achtzehn": 18, "neunzehn": 19,
    }),
    tens=_keys({"zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70,
                "achtzig": 80, "neunzig": 90}),
    hundreds=frozenset({"hundert"}),
    thousands=frozenset({"tausend"}),
    one=frozenset({"ein", "eine", "einen", "einer"}),
    ordinals=_keys({"dritte": 3, "dritten": 3, "vierte": 4, "vierten": 4, "fünfte": 5, "fünften": 5,
                    "zehnte": 10, "zehnten": 10}),
    scales={"tausend": 10**3, "million": 10**6, "millionen": 10**6, "milliarde": 10**9, "milliarden": 10**9,
            "billion": 10**12, "billionen": 10**12},
    scale_abbreviations={"Tsd.": 10**3, "Mio.": 10**6, "Mio": 10**6, "Mrd.": 10**9, "Mrd": 10**9, "Bio.": 10**12},
    currencies={"dollar": "USD", "us-dollar": "USD", "euro": "EUR", "pfund": "GBP", "yuan": "CNY", "yen": "JPY",
                "rubel": "RUB", "franken": "CHF"},
    percent_words=("prozent",),
    approximate=_approx(dozen="dutzend dutzende", ten="dutzende", hundred="hunderte", thousand="tausende",
                        half="hälfte"),
    hour_words=("uhr",),
)

SPANISH = Lexicon(
    units=_keys({
        "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
        "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15, "dieciséis": 16, "diecisiete": 17,
        "dieciocho": 18, "diecinueve": 19, "veintiuno": 21, "veintidós": 22, "veintitrés": 23, "cien": 100,
        "doscientos": 200, "doscientas": 200, "trescientos": 300, "trescientas": 300, "cuatrocientos": 400,
        "quinientos": 500, "seiscientos": 600, "setecientos": 700, "ochocientos": 800, "novecientos": 900,
    }),
    tens=_keys({"veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
                "ochenta": 80, "noventa": 90}),
    hundreds=frozenset({"ciento"}),
    thousands=frozenset({"mil"}),
    joiners=frozenset({"y"}),
    one=frozenset({"un", "una", "uno"}),
    ordinals=_keys({"tercero": 3, "tercera": 3, "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5,
                    "décimo": 10, "décima": 10}),
    scales={"mil": 10**3, "millón": 10**6, "millon": 10**6, "millones": 10**6, "mil millones": 10**9,
            "billón": 10**12, "billon": 10**12, "billones": 10**12},
    scale_abbreviations={"M": 10**6, "mill.": 10**6},
    currencies=_keys({"dólar": "USD", "dólares": "USD", "euro": "EUR", "euros": "EUR", "libra esterlina": "GBP",
                      "libras esterlinas": "GBP", "libras": "GBP", "yuanes": "CNY", "yuan": "CNY", "yen": "JPY",
                      "yenes": "JPY", "rublos": "RUB", "rublo": "RUB", "francos suizos": "CHF"}),
    currency_connectors=("de",),
    percent_words=("por ciento",),
    approximate=_approx(dozen="docena docenas", ten="decena decenas", hundred="centenar centenares cientos",
                        thousand="miles millares", half="mitad"),
    day_suffix=r"(?:º|°|o)",
    ordinal_suffix=r"º|ª|°",
    hour_words=("h", "horas"),
)

ITALIAN = Lexicon(
    units=_keys({
        "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sette": 7, "otto": 8, "nove": 9, "dieci": 10,
        "undici": 11, "dodici": 12, "tredici": 13, "quattordici": 14, "quindici": 15, "sedici": 16,
        "diciassette": 17, "diciotto": 18, "diciannove": 19, "duecento": 200, "trecento": 300,
        "quattrocento": 400, "cinquecento": 500, "sei": 6,
    }),
    # "sei" (six) is also "you are": read only after the words below.
    ambiguous=frozenset({"sei"}),
    ambiguous_after=frozenset({"i", "le", "gli", "dei", "delle", "degli", "di", "a", "in", "per", "da", "tra", "fra",
                               "su", "con", "dopo", "circa", "e", "o", "ultimi", "ultime", "primi", "prime", "altri",
                               "altre", "quei", "quelle"}),
    tens=_keys({"venti": 20, "trenta": 30, "quaranta": 40, "cinquanta": 50, "sessanta": 60, "settanta": 70,
                "ottanta": 80, "novanta": 90}),
    hundreds=frozenset({"cento"}),
    thousands=frozenset({"mille", "mila"}),
    one=frozenset({"un", "uno", "una"}),
    ordinals=_keys({"terzo": 3, "terza": 3, "quarto": 4, "quarta": 4, "quinto": 5, "quinta": 5, "decimo": 10}),
    scales={"mila": 10**3, "mille": 10**3, "milione": 10**6, "milioni": 10**6, "miliardo": 10**9,
            "miliardi": 10**9},
    scale_abbreviations={"mln": 10**6, "mld": 10**9, "mrd": 10**9},
    currencies={"dollaro": "USD", "dollari": "USD", "euro": "EUR", "sterline": "GBP", "sterlina": "GBP",
                "yuan": "CNY", "yen": "JPY", "rubli": "RUB", "rublo": "RUB", "franchi svizzeri": "CHF"},
    currency_connectors=("di",),
    percent_words=("per cento", "percento"),
    approximate=_approx(dozen="dozzina dozzine", ten="decina decine", hundred="centinaio centinaia",
                        thousand="migliaio migliaia", half="metà"),
    day_suffix=r"(?:º|°)",
    ordinal_suffix=r"º|ª|°",
    hour_words=("ore",),
)

LEXICONS: dict[str, Lexicon] = {"fr": FRENCH, "en": ENGLISH, "de": GERMAN, "es": SPANISH, "it": ITALIAN}
EMPTY = Lexicon()


def lexicon(language: str) -> Lexicon:
    """The words of ``language`` (ISO 639-1), or none: digits, dates and symbols are still read."""
    return LEXICONS.get(language, EMPTY)
