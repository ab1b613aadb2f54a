"""Language identification and script direction.

Identification is py3langid (langid.py's naive Bayes model over byte n-grams, 4.5 MB, shipped inside the
package) with two additions that tests/test_language.py measures on real text:

1. **Script first.** Letters are grouped by Unicode script; only languages written in the dominant script are
   candidates, and a script that only one supported language uses (Armenian, Georgian, Greek, Hangul, Thai, ...)
   decides on its own. Letters of other scripts are blanked before the model sees the text, so an English
   quotation does not pull a Persian paragraph towards another language.
2. **Decisive letters and spellings** for the close neighbours the reader is built for, checked when the
   model's answer is one of them: Azerbaijani ``ə`` (3% or more of Azerbaijani letters)
   never occurs in Turkish words, and Turkish spells ``ve``/``ile``/``için``/``-yor``/``-ler`` where
   Azerbaijani has ``və``/``ilə``/``üçün``/``-ır``/``-lər`` and writes ``q``/``x``; Urdu ``ٹ ڈ ڑ ں ے ہ`` and
   Pashto ``ټ ډ ړ ږ ښ ځ څ ڼ ۍ`` never occur in Persian or Arabic; Arabic ``ة ى ك`` and ``ال-`` against the
   Persian/Urdu ``پ چ ژ گ ی ک``, helped by each language's commonest function words. Smaller ones: Turkmen
   needs ``ä ň ý ž``, Japanese shows kana, Yiddish its ligatures, short English its function words.

Codes are ISO 639-1. The model's regional and script labels are folded into them (Moroccan and Egyptian
Arabic -> ``ar``, Southern Kurdish in Arabic script -> ``ku``, Cantonese/Wu -> ``zh``, Norwegian -> ``nb``
as Argos Translate names it). Labels with no ISO 639-1 code are not candidates (Crimean Tatar was the
commonest wrong answer for short Turkish and Azerbaijani), nor are Aragonese, Walloon and Volapük (measured,
they only ever answered for short Spanish text).

Measured on the seeds and tests/data/langid (``pytest -s tests/test_language.py`` prints the table): whole
sentences and paragraphs in az/tr/fa/ur/ar are 100% right; three-word fragments about 97%.

The model is loaded lazily, once per process, under a lock; classification only reads it, so any number of
threads may call these functions at the same time.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from reader.languages import LANGUAGE_NAMES, SCRIPTS_OF

if TYPE_CHECKING:  # pragma: no cover - typing only
    from py3langid.langid import LanguageIdentifier

__all__ = ["detect_language", "paragraph_languages"]

# Model labels that are not themselves one of our codes but belong to one.
_LABEL_ALIASES = {"ary": "ar", "arz": "ar", "sdh": "ku", "no": "nb", "yue": "zh", "wuu": "zh"}
# Supported codes the model cannot produce (reported through a rule, or only accepted as an override).
_NOT_FROM_MODEL = frozenset({"dv", "sd", "yi"})


# --------------------------------------------------------------------------------------------------- scripts

_SCRIPT_WORDS = {
    "LATIN": "Latin",
    "ARABIC": "Arabic",
    "CYRILLIC": "Cyrillic",
    "GREEK": "Greek",
    "ARMENIAN": "Armenian",
    "HEBREW": "Hebrew",
    "GEORGIAN": "Georgian",
    "DEVANAGARI": "Devanagari",
    "BENGALI": "Bengali",
    "GURMUKHI": "Gurmukhi",
    "GUJARATI": "Gujarati",
    "ORIYA": "Oriya",
    "TAMIL": "Tamil",
    "TELUGU": "Telugu",
    "KANNADA": "Kannada",
    "MALAYALAM": "Malayalam",
    "SINHALA": "Sinhala",
    "THAI": "Thai",
    "LAO": "Lao",
    "TIBETAN": "Tibetan",
    "MYANMAR": "Myanmar",
    "KHMER": "Khmer",
    "ETHIOPIC": "Ethiopic",
    "THAANA": "Thaana",
    "HANGUL": "Hangul",
    "HIRAGANA": "Kana",
    "KATAKANA": "Kana",
    "KATAKANA-HIRAGANA": "Kana",
    "CJK": "Han",
}


@lru_cache(maxsize=16384)
def _script_of(ch: str) -> str | None:
    """The script of one letter ("Latin", "Arabic", ...), or None for scripts no supported language uses."""
    words = unicodedata.name(ch, "").split()
    for word in words[:2]:  # "FULLWIDTH LATIN ...", "HALFWIDTH KATAKANA ..."
        script = _SCRIPT_WORDS.get(word)
        if script is not None:
            return script
    return None


def _group(script: str | None) -> str | None:
    """Japanese mixes Han and Kana; they count as one writing system when choosing the dominant one."""
    return "Han" if script == "Kana" else script


def _script_counts(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for ch, n in Counter(text).items():  # per distinct character: C-speed counting, then a few lookups
        if ch.isalpha():
            script = _script_of(ch)
            if script is not None:
                counts[script] += n
    return counts


def _dominant_group(counts: Counter[str]) -> str | None:
    groups: Counter[str] = Counter()
    for script, n in counts.items():
        group = _group(script)
        if group is not None:
            groups[group] += n
    if not groups:
        return None
    return max(sorted(groups), key=lambda g: groups[g])


def _only_group(text: str, group: str) -> str:
    """The text with letters of other scripts blanked (so a quotation in another script does not vote)."""
    blank = {ord(ch): " " for ch in set(text) if ch.isalpha() and _group(_script_of(ch)) != group}
    return text.translate(blank) if blank else text


# ---------------------------------------------------------------------------------------------------- model

_MODEL_LOCK = threading.Lock()
_MODEL: tuple[LanguageIdentifier, dict[str, str]] | None = None


def _model() -> tuple[LanguageIdentifier, dict[str, str]]:
    """The py3langid identifier (loaded once, on first use) and its label -> our code mapping."""
    global _MODEL
    model = _MODEL
    if model is None:
        with _MODEL_LOCK:
            model = _MODEL
            if model is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                labels: dict[str, str] = {}
                for label in identifier.labels:
                    code = _LABEL_ALIASES.get(label, label)
                    if code in LANGUAGE_NAMES and code not in _NOT_FROM_MODEL:
                        labels[label] = code
                model = (identifier, labels)
                _MODEL = model
    return model


def _candidates_for(group: str) -> tuple[str, ...]:
    return tuple(
        code
        for code, scripts in SCRIPTS_OF.items()
        if code not in _NOT_FROM_MODEL and any(_group(s) == group for s in scripts)
    )


_CANDIDATES: dict[str, tuple[str, ...]] = {
    group: _candidates_for(group) for group in {_group(s) for s in _SCRIPT_WORDS.values()} if group
}

# Enough text for the model to settle on a document's language; the script count always covers all of it.
_MODEL_CHARS = 50_000


def _model_probabilities(text: str, candidates: tuple[str, ...] | None) -> dict[str, float]:
    """Model probabilities folded into our codes, renormalised over ``candidates`` (None: every label,
    unmapped labels kept under their own name)."""
    identifier, labels = _model()
    probs: dict[str, float] = {}
    for label, p in _ranked(identifier, text[:_MODEL_CHARS]):
        code = labels.get(label)
        if candidates is None:
            code = code or label
        elif code not in candidates:
            continue
        probs[code] = probs.get(code, 0.0) + p
    total = sum(probs.values())
    if total > 0:
        probs = {code: p / total for code, p in probs.items()}
    return probs


def _ranked(identifier: LanguageIdentifier, text: str) -> list[tuple[str, float]]:
    """``identifier.rank(text)`` (every label with its probability, best first) without building and sorting
    a dict of every label per call: one score vector, labels at their first column (as ``rank`` merges
    aliased columns), stable order for equal scores. Falls back to ``rank`` if py3langid changes."""
    decide = getattr(identifier, "_decide", None)
    if decide is None:
        return list(identifier.rank(text))
    scores = decide(text).tolist()
    columns = _first_columns(identifier)
    order = sorted(range(len(columns)), key=lambda i: -scores[columns[i][1]])
    return [(columns[i][0], scores[columns[i][1]]) for i in order]


_COLUMNS: list[tuple[str, int]] = []


def _first_columns(identifier: LanguageIdentifier) -> list[tuple[str, int]]:
    if not _COLUMNS:
        seen: set[str] = set()
        for index, label in enumerate(identifier.nb_classes):
            if label not in seen:
                seen.add(label)
                _COLUMNS.append((label, index))
    return _COLUMNS


# ---------------------------------------------------------------------------------------------------- rules


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_URDU_ONLY = frozenset("ٹڈڑںےۓہۂۃ")  # retroflexes, noon ghunna, yeh barree, heh goal
_PASHTO_ONLY = frozenset("ټډړږښځڅڼۍ")
_PERSIAN_URDU = frozenset("پچژگیک")  # never in Arabic words (Farsi yeh and keheh, the four extra letters)
_ARABIC_ONLY = frozenset("ةىك")  # teh marbuta, alef maksura, Arabic kaf (Arabic yeh is Pashto's too)
_UYGHUR_KURDISH = frozenset("ەۆۇۈۋێڵڕ")
_PERSIAN_WORDS = _words("از در را این آن است با برای شد تا نیز اند ها می")
_ARABIC_WORDS = _words("في على إلى عن أن إن التي الذي هذا هذه مع كان قد لا ثم أو لم لن كما ذلك")
_PASHTO_WORDS = _words("په سره کې چې دي ته څخه")
_URDU_WORDS = _words("اور کا کی کو کیا گیا اس آج تھا تھی تھے بھی ساتھ کچھ")
_MIN_LETTERS_NOT_URDU = 30
_PERSIAN_NOT_URDU = _PERSIAN_WORDS | {"به", "که"}  # Urdu writes کہ
_SCHWA = frozenset("əƏ")
_TURKMEN_ONLY = frozenset("äňýžÄŇÝŽ")
_TURKISH_LETTERS = frozenset("ıİğĞşŞçÇöÖüÜ")
# Yiddish: the ligatures װ ױ ײ, or pe with rafe (פֿ), or alef with patah/qamats (אַ אָ) in text that has none
# of the vowel points only Hebrew uses (shva, hataf, tsere, segol, holam, qubuts).
_YIDDISH_SURE = re.compile("[\u05f0-\u05f2]|\u05e4\u05bf")
_YIDDISH_ALEF = re.compile("\u05d0[\u05b7\u05b8]")
_HEBREW_POINTS = re.compile("[\u05b0-\u05b3\u05b5\u05b6\u05b9\u05ba\u05bb]")


def _is_yiddish(text: str) -> bool:
    return bool(_YIDDISH_SURE.search(text)) or (
        bool(_YIDDISH_ALEF.search(text)) and not _HEBREW_POINTS.search(text)
    )


_WORD = re.compile(r"[^\W\d_]+")
# English function words that are not also everyday words of another Latin-script language we saw confused
# with English (no "a", "an", "die", "was", "will", "to", "he", "on", "be").
_ENGLISH_WORDS = _words(
    "the of and in is for with that this said by at from has have are were been his her their they she it"
    " not which who but would could should there what about"
)
# Spellings that are Turkish and not Azerbaijani (Azerbaijani: və, ilə, üçün, deyil, kimi, olaraq, qədər,
# görə, çox, yox, necə, indi, heç, nə, də, bəli).
_TURKISH_WORDS = _words(
    "ve ile için değil gibi olarak kadar göre çok yok nasıl şimdi hiç ne de evet ama fakat ancak"
)
# Turkish present continuous -yor-, plural -ler(-), infinitive -mak/-mek, future -acak/-ecek.
_TURKISH_ENDING = re.compile(
    r"(?:[ıiuü]yor(?:um|sun|uz|sunuz|lar|du|muş)?|ler(?:i|in|e|de|den|le)?|mak|mek|acak|ecek)$"
)
# Azerbaijani spellings without ə that Turkish does not have (the ones with ə are caught by the letter, and
# words with q or x, which Turkish words do not use, count on their own).
_AZERBAIJANI_WORDS = frozenset({"üçün", "deyil", "heç"})


@dataclass(frozen=True)
class _Guess:
    code: str | None
    how: str  # "script" | "rule" | "model" | "none"
    group: str | None  # dominant script group
    letters: int  # letters of the dominant script
    probs: dict[str, float] = field(default_factory=dict)  # model probabilities over the candidates


def _turkic_rule(text: str, letters: int) -> str | None:
    """Turkish or Azerbaijani, when the letters or spellings decide; None when they do not."""
    return _turkic_evidence(text, letters)[0]


def _turkic_evidence(text: str, letters: int) -> tuple[str | None, float]:
    """:func:`_turkic_rule`'s answer and how strongly the text is marked (the share of its words that carry
    the winning language's marks; 1.0 for the ə rule)."""
    schwa = sum(text.count(ch) for ch in _SCHWA)
    if schwa and schwa >= 0.02 * letters:
        # Azerbaijani prose has 3% or more; Turkish only meets ə in an Azerbaijani name it quotes.
        return "az", 1.0
    words = _WORD.findall(text)
    turkish = azerbaijani = 0
    for word, n in Counter(words).items():  # each distinct word judged once
        lower = word.lower()
        if lower in _TURKISH_WORDS or _TURKISH_ENDING.search(lower):
            turkish += n
        # q and x only in lower-case words: Turkish text meets them in foreign names (Alexander, Xbox).
        if word in _AZERBAIJANI_WORDS or (word.islower() and ("q" in word or "x" in word)):
            azerbaijani += n
    if azerbaijani > turkish:
        return "az", azerbaijani / len(words)
    if turkish > azerbaijani:
        return "tr", turkish / len(words)
    return None, 0.0


def _looks_english(text: str) -> bool:
    """Short English (a quotation, a caption) that the model placed elsewhere: its function words say so."""
    words = [w.lower() for w in _WORD.findall(text)]
    english = sum(w in _ENGLISH_WORDS for w in words)
    return english >= 2 and english >= 0.25 * len(words)


def _arabic_script_rule(text: str, letters: int, probs: dict[str, float]) -> str | None:
    """Persian, Urdu, Arabic or Pashto, when letters and a few spellings decide; None when they do not.

    Each word is marked by what it shows: a letter only one of the languages uses, or one of its
    commonest function words. Arabic-script loans, names and quotations cross over, so a language needs most
    of the marked words, not merely one."""
    if sum(text.count(ch) for ch in _UYGHUR_KURDISH) >= 0.02 * letters:
        return None  # Uyghur or Sorani Kurdish: the model knows them; these marks are for fa/ur/ar/ps
    marks = {ord(ch): None for ch in set(text) if unicodedata.category(ch) == "Mn"}  # tashkeel, per distinct
    words = _WORD.findall(text.translate(marks) if marks else text)
    if not words:
        return None
    pashto = pashto_words = urdu_letters = urdu_words = persian = arabic = 0
    for word, n in Counter(words).items():  # each distinct word judged once
        chars = set(word)
        if chars & _PASHTO_ONLY:
            pashto += n
        elif word in _PASHTO_WORDS:
            pashto_words += n
        if chars & _URDU_ONLY:
            urdu_letters += n
        elif word in _URDU_WORDS:
            urdu_words += n
        if chars & _PERSIAN_URDU or word in _PERSIAN_WORDS:
            persian += n
        elif chars & _ARABIC_ONLY or word in _ARABIC_WORDS or (word.startswith("ال") and len(word) > 3):
            arabic += n
    if pashto and pashto >= 0.1 * len(words):
        return "ps"
    if urdu_letters and urdu_letters >= 0.1 * len(words):
        return "ur"
    if urdu_words and not arabic and not any(word in _PERSIAN_NOT_URDU for word in words):
        return "ur"
    if persian > 3 * arabic:
        # Not Arabic. Persian, unless Urdu or Pashto show their own letters or words; in a few words the
        # absence of Urdu's letters proves little, so there the model chooses between Persian and Urdu.
        if urdu_letters or urdu_words or pashto or pashto_words:
            return None
        if letters >= _MIN_LETTERS_NOT_URDU:
            return "fa"
        return "fa" if probs.get("fa", 0.0) >= probs.get("ur", 0.0) else "ur"
    if arabic > 3 * persian:
        return "ar"
    return None


def _guess(text: str, *, restrict: bool = True, rules: bool = True) -> _Guess:
    """The language of ``text``. ``restrict``/``rules`` switch off the script restriction and the decisive
    letters, so the tests can measure what each adds to the bare model."""
    counts = _script_counts(text)
    group = _dominant_group(counts)
    if group is None:
        return _Guess(None, "none", None, 0)
    letters = sum(n for script, n in counts.items() if _group(script) == group)
    if not restrict:
        probs = _model_probabilities(text, None)
        code = max(probs, key=probs.__getitem__)
        return _Guess(code, "model", group, letters, probs)

    only = _only_group(text, group) if len(counts) > 1 else text
    if rules:
        if group == "Hebrew" and _is_yiddish(only):
            return _Guess("yi", "rule", group, letters)
        if group == "Han" and counts.get("Kana", 0) >= 0.05 * letters:
            return _Guess("ja", "rule", group, letters)
    candidates = _CANDIDATES.get(group, ())
    if not candidates:
        return _Guess(None, "none", group, letters)
    if len(candidates) == 1:
        return _Guess(candidates[0], "script", group, letters)

    probs = _model_probabilities(only, candidates)
    code = max(probs, key=probs.__getitem__)

    if rules:
        decided: str | None = None
        if group == "Latin":
            if (
                code == "tk"
                and any(ch in _TURKISH_LETTERS for ch in only)
                and not any(ch in _TURKMEN_ONLY for ch in only)
            ):
                # Turkmen writes ä, ň, ý or ž in nearly every sentence; without them it is Turkish or
                # Azerbaijani text the model found too short to place.
                code = "tr" if probs.get("tr", 0.0) >= probs.get("az", 0.0) else "az"
            if code in ("tr", "az"):
                decided = _turkic_rule(only, letters)
            elif code != "en" and _looks_english(only):
                decided = "en"
        elif group == "Arabic":
            decided = _arabic_script_rule(only, letters, probs)
        if decided is not None:
            return _Guess(decided, "rule", group, letters, probs)
    return _Guess(code, "model", group, letters, probs)


# ------------------------------------------------------------------------------------------------------ API


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the dominant language of ``text``; None if it has no letters (or only letters of a
    script none of the supported languages is written in). A long text is judged on evenly spread samples
    (:data:`_SAMPLE_CHARS` in all): the model already reads only the first 50,000 characters, and the rules
    need no more to settle, while a 50 MB document would otherwise cost seconds."""
    return _guess(_sample(text)).code


_SAMPLE_CHARS = 200_000
_SAMPLE_PIECES = 20


def _sample(text: str) -> str:
    if len(text) <= _SAMPLE_CHARS:
        return text
    piece = _SAMPLE_CHARS // _SAMPLE_PIECES
    step = len(text) // _SAMPLE_PIECES
    # The first piece is the start (headline and lead, what the model reads first), then one per stretch.
    return "\n".join(text[i * step : i * step + piece] for i in range(_SAMPLE_PIECES))


# A paragraph shorter than this (in letters) keeps the document's language: too little text to tell.
MIN_PARAGRAPH_LETTERS = 20
# In the document's own script, a paragraph changes language when the decisive letters say so, or when the
# model gives the document's language less than this chance for it.
MAX_DOCUMENT_LANGUAGE_CHANCE = 0.01


def paragraph_languages(text: str, spans: list[tuple[int, int]], document_language: str) -> list[str]:
    """The language of each paragraph ``text[start:end]``: the document's language unless the paragraph is
    clearly in another one (an English quotation in a Persian article is "en"). Short or ambiguous
    paragraphs inherit ``document_language``."""
    doc_scripts = {_group(s) for s in SCRIPTS_OF.get(document_language, ())}
    result: list[str] = []
    for start, end in spans:
        paragraph = text[start:end]
        if _clearly_the_document_language(paragraph, document_language, doc_scripts):
            result.append(document_language)
            continue
        guess = _guess(paragraph)
        code = guess.code
        if code is None or code == document_language or guess.letters < MIN_PARAGRAPH_LETTERS:
            result.append(document_language)
        elif guess.group not in doc_scripts:
            result.append(code)  # another script: not the document's language
        elif guess.how == "rule" or guess.probs.get(document_language, 0.0) < MAX_DOCUMENT_LANGUAGE_CHANCE:
            result.append(code)
        else:
            result.append(document_language)
    return result


# A paragraph's language is looked for only where it can differ from the document's: most paragraphs of a
# Persian or Turkish article are too short to judge, or are decided by the same letters and spellings that
# :func:`_guess` would apply after the model, so the model (two thirds of a 1 MB import) is not asked.
_STRONG_TURKIC_MARKS = 0.2
_TURKISH_ONLY_LATIN = "ıİğĞ"


def _clearly_the_document_language(
    paragraph: str, document_language: str, doc_scripts: set[str | None]
) -> bool:
    counts = _script_counts(paragraph)
    group = _dominant_group(counts)
    if group is None:
        return True  # no letters: inherits
    letters = sum(n for script, n in counts.items() if _group(script) == group)
    if letters < MIN_PARAGRAPH_LETTERS:
        return True  # too short to tell: inherits, whatever a guess would say
    if group not in doc_scripts:
        return False  # another script (Latin inside Persian): look
    only = _only_group(paragraph, group) if len(counts) > 1 else paragraph
    if group == "Arabic" and document_language in ("fa", "ar", "ur", "ps"):
        # The rule overrides the model in _guess whenever it decides; its only use of the model is the
        # Persian/Urdu choice in short paragraphs, which this leaves to the model.
        decided = _arabic_script_rule(only, letters, {})
        return decided == document_language and (decided != "fa" or letters >= _MIN_LETTERS_NOT_URDU)
    if group == "Latin" and document_language in ("tr", "az"):
        decided, strength = _turkic_evidence(only, letters)
        if decided == document_language and strength >= _STRONG_TURKIC_MARKS:
            return True
        if document_language == "tr" and decided != "az" and not any(ch in only for ch in _TURKMEN_ONLY):
            # Dotless ı and ğ are written by no other Latin-script language the model could answer but
            # Azerbaijani (which the ə rule and its spellings catch) and Turkmen (ä ň ý ž): the model would say
            # Turkish, and the Turkish/Azerbaijani rule has already not said Azerbaijani.
            marked = sum(only.count(ch) for ch in _TURKISH_ONLY_LATIN)
            return marked >= 0.02 * letters
    return False
