"""Languages: codes, English names, scripts and writing direction — the one table.

Codes are ISO 639-1 (Argos Translate's codes). Every part of Yanyana that names a language, checks a user's
``--lang`` or decides a direction asks this module; language *identification* lives in
:mod:`reader.core.text.language`.
"""

from __future__ import annotations

import re
import unicodedata

from reader.errors import UnknownLanguage

# code, English name, scripts it is written in, other codes and names a user may type for it
# (ISO 639-2/B, 639-2/T, 639-3 individual languages, and the English name itself).
_LANGUAGE_TABLE: tuple[tuple[str, str, str, str], ...] = (
    ("af", "Afrikaans", "Latin", "afr"),
    ("am", "Amharic", "Ethiopic", "amh"),
    ("ar", "Arabic", "Arabic", "ara arb ary arz apc ajp acm"),
    ("as", "Assamese", "Bengali", "asm"),
    ("az", "Azerbaijani", "Latin", "aze azj azb azeri"),
    ("ba", "Bashkir", "Cyrillic", "bak"),
    ("be", "Belarusian", "Cyrillic", "bel"),
    ("bg", "Bulgarian", "Cyrillic", "bul"),
    ("bn", "Bengali", "Bengali", "ben bangla"),
    ("br", "Breton", "Latin", "bre"),
    ("bs", "Bosnian", "Latin", "bos"),
    ("ca", "Catalan", "Latin", "cat"),
    ("cs", "Czech", "Latin", "ces cze"),
    ("cy", "Welsh", "Latin", "cym wel"),
    ("da", "Danish", "Latin", "dan"),
    ("de", "German", "Latin", "deu ger"),
    ("dv", "Divehi", "Thaana", "div dhivehi maldivian"),
    ("dz", "Dzongkha", "Tibetan", "dzo"),
    ("el", "Greek", "Greek", "ell gre"),
    ("en", "English", "Latin", "eng"),
    ("eo", "Esperanto", "Latin", "epo"),
    ("es", "Spanish", "Latin", "spa castilian"),
    ("et", "Estonian", "Latin", "est ekk"),
    ("eu", "Basque", "Latin", "eus baq"),
    ("fa", "Persian", "Arabic", "fas per pes prs farsi dari"),
    ("fi", "Finnish", "Latin", "fin"),
    ("fo", "Faroese", "Latin", "fao"),
    ("fr", "French", "Latin", "fra fre"),
    ("fy", "Western Frisian", "Latin", "fry frisian"),
    ("ga", "Irish", "Latin", "gle"),
    ("gd", "Scottish Gaelic", "Latin", "gla gaelic"),
    ("gl", "Galician", "Latin", "glg"),
    ("gu", "Gujarati", "Gujarati", "guj"),
    ("ha", "Hausa", "Latin", "hau"),
    ("he", "Hebrew", "Hebrew", "heb iw"),
    ("hi", "Hindi", "Devanagari", "hin"),
    ("hr", "Croatian", "Latin", "hrv"),
    ("ht", "Haitian Creole", "Latin", "hat haitian"),
    ("hu", "Hungarian", "Latin", "hun"),
    ("hy", "Armenian", "Armenian", "hye arm"),
    ("id", "Indonesian", "Latin", "ind in"),
    ("ig", "Igbo", "Latin", "ibo"),
    ("is", "Icelandic", "Latin", "isl ice"),
    ("it", "Italian", "Latin", "ita"),
    ("ja", "Japanese", "Han Kana", "jpn"),
    ("jv", "Javanese", "Latin", "jav"),
    ("ka", "Georgian", "Georgian", "kat geo"),
    ("kk", "Kazakh", "Cyrillic", "kaz"),
    ("km", "Khmer", "Khmer", "khm"),
    ("kn", "Kannada", "Kannada", "kan"),
    ("ko", "Korean", "Hangul", "kor"),
    ("ku", "Kurdish", "Latin Arabic", "kur kmr ckb sdh sorani kurmanji"),
    ("ky", "Kyrgyz", "Cyrillic", "kir kirghiz"),
    ("la", "Latin", "Latin", "lat"),
    ("lb", "Luxembourgish", "Latin", "ltz"),
    ("lg", "Ganda", "Latin", "lug"),
    ("ln", "Lingala", "Latin", "lin"),
    ("lo", "Lao", "Lao", "lao"),
    ("lt", "Lithuanian", "Latin", "lit"),
    ("lv", "Latvian", "Latin", "lav lvs"),
    ("mg", "Malagasy", "Latin", "mlg plt"),
    ("mk", "Macedonian", "Cyrillic", "mkd mac"),
    ("ml", "Malayalam", "Malayalam", "mal"),
    ("mn", "Mongolian", "Cyrillic", "mon khk"),
    ("mr", "Marathi", "Devanagari", "mar"),
    ("ms", "Malay", "Latin", "msa may zsm"),
    ("mt", "Maltese", "Latin", "mlt"),
    ("my", "Burmese", "Myanmar", "mya bur"),
    ("nb", "Norwegian Bokmål", "Latin", "nob no nor norwegian bokmal"),
    ("ne", "Nepali", "Devanagari", "nep npi"),
    ("nl", "Dutch", "Latin", "nld dut flemish"),
    ("nn", "Norwegian Nynorsk", "Latin", "nno nynorsk"),
    ("om", "Oromo", "Latin", "orm gaz"),
    ("or", "Odia", "Oriya", "ori ory oriya"),
    ("pa", "Punjabi", "Gurmukhi", "pan panjabi"),
    ("pl", "Polish", "Latin", "pol"),
    ("ps", "Pashto", "Arabic", "pus pbt pbu pashtu"),
    ("pt", "Portuguese", "Latin", "por"),
    ("qu", "Quechua", "Latin", "que"),
    ("ro", "Romanian", "Latin", "ron rum moldavian"),
    ("ru", "Russian", "Cyrillic", "rus"),
    ("rw", "Kinyarwanda", "Latin", "kin"),
    ("sa", "Sanskrit", "Devanagari", "san"),
    ("sd", "Sindhi", "Arabic", "snd"),
    ("se", "Northern Sami", "Latin", "sme"),
    ("si", "Sinhala", "Sinhala", "sin sinhalese"),
    ("sk", "Slovak", "Latin", "slk slo"),
    ("sl", "Slovenian", "Latin", "slv slovene"),
    ("sn", "Shona", "Latin", "sna"),
    ("so", "Somali", "Latin", "som"),
    ("sq", "Albanian", "Latin", "sqi alb als"),
    ("sr", "Serbian", "Cyrillic Latin", "srp"),
    ("st", "Southern Sotho", "Latin", "sot sesotho"),
    ("sv", "Swedish", "Latin", "swe"),
    ("sw", "Swahili", "Latin", "swa swh"),
    ("ta", "Tamil", "Tamil", "tam"),
    ("te", "Telugu", "Telugu", "tel"),
    ("tg", "Tajik", "Cyrillic", "tgk"),
    ("th", "Thai", "Thai", "tha"),
    ("tk", "Turkmen", "Latin", "tuk"),
    ("tl", "Tagalog", "Latin", "tgl fil filipino"),
    ("tr", "Turkish", "Latin", "tur"),
    ("tt", "Tatar", "Cyrillic", "tat"),
    ("ug", "Uyghur", "Arabic", "uig uighur"),
    ("uk", "Ukrainian", "Cyrillic", "ukr"),
    ("ur", "Urdu", "Arabic", "urd"),
    ("uz", "Uzbek", "Latin Cyrillic", "uzb uzn"),
    ("vi", "Vietnamese", "Latin", "vie"),
    ("xh", "Xhosa", "Latin", "xho"),
    ("yi", "Yiddish", "Hebrew", "yid ydd yih"),
    ("yo", "Yoruba", "Latin", "yor"),
    ("zh", "Chinese", "Han", "zho chi cmn yue wuu mandarin cantonese"),
    ("zu", "Zulu", "Latin", "zul"),
)

#: ISO 639-1 code -> English name, for every code this module reports or accepts.
LANGUAGE_NAMES: dict[str, str] = {code: name for code, name, _, _ in _LANGUAGE_TABLE}

#: Languages written right to left (Kurdish as Sorani, its Arabic-script standard).
RTL_LANGUAGES: frozenset[str] = frozenset({"ar", "fa", "ur", "he", "ps", "ku", "ug", "yi", "dv", "sd"})

SCRIPTS_OF: dict[str, tuple[str, ...]] = {code: tuple(s.split()) for code, _, s, _ in _LANGUAGE_TABLE}


_ALIASES: dict[str, str] = {}
for _code, _name, _scripts, _others in _LANGUAGE_TABLE:
    _ALIASES[_name.lower()] = _code
    for _other in _others.split():
        _ALIASES[_other] = _code
del _code, _name, _scripts, _others

_TAG = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*")


def normalize_language_code(code: str) -> str:
    """A user's language choice (``--lang``) as a supported ISO 639-1 code: "FA" -> "fa", "fa-IR" -> "fa",
    "per"/"fas"/"Persian" -> "fa", "no" -> "nb". Raises UnknownLanguage with one sentence for anything else."""
    raw = code.strip()
    if not raw:
        raise UnknownLanguage(
            "The language code is empty; give an ISO 639-1 code such as fa, ar, tr, az or en."
        )
    key = raw.lower().replace("_", "-")
    if key in _ALIASES:  # an English name or another ISO 639 code
        return _ALIASES[key]
    if _TAG.fullmatch(key):  # ISO 639-1/2/3, alone or as a BCP 47 tag: fa-IR, pt-BR, zh-Hant
        primary = key.split("-", 1)[0]
        if primary in LANGUAGE_NAMES:
            return primary
        if primary in _ALIASES:
            return _ALIASES[primary]
    raise UnknownLanguage(
        f'Unknown language code "{raw}"; give an ISO 639-1 code such as fa, ar, tr, az or en.'
    )


def direction_of_language(code: str) -> str:
    """ "rtl" for languages written right to left, else "ltr" (lenient: "FA", "fa-IR", "per" all work)."""
    try:
        code = normalize_language_code(code)
    except UnknownLanguage:
        code = code.strip().lower()
    return "rtl" if code in RTL_LANGUAGES else "ltr"


def direction_of_text(text: str) -> str:
    """ "rtl" when most strongly directional characters are right-to-left (bidi class R or AL), else "ltr"."""
    rtl = ltr = 0
    for ch in text:
        bidi = unicodedata.bidirectional(ch)
        if bidi == "L":
            ltr += 1
        elif bidi in ("R", "AL"):
            rtl += 1
    return "rtl" if rtl > ltr else "ltr"


def language_name(code: str) -> str:
    """The English name of a language code (the code itself when unknown)."""
    return LANGUAGE_NAMES.get(code, code)


def pair_name(from_code: str, to_code: str) -> str:
    """ "Persian→English"."""
    return f"{language_name(from_code)}→{language_name(to_code)}"
