"""How plausible a decoded text is as real writing: the score that picks a legacy code page."""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import justext

# Non-ASCII Latin letters of the alphabets that 8-bit code pages were made for (lower case).
_ALPHABETS: tuple[frozenset[str], ...] = tuple(
    frozenset(letters)
    for letters in (
        "çğıöşüâîû",  # Turkish
        "çəğıöşü",  # Azerbaijani
        "àâæçéèêëîïôœùûüÿäöñáíóú",  # English/French (+ loanwords)
        "äöüßéàè",  # German
        "áéíñóúüàèç",  # Spanish, Catalan
        "áâãàçéêíóôõú",  # Portuguese
        "àèéìíîòóùú",  # Italian
        "éëïóöüè",  # Dutch
        "æøåéäö",  # Danish, Norwegian, Swedish, Finnish
        "áðéíóúýþæö",  # Icelandic
        "ąćęłńóśźż",  # Polish
        "áčďéěíňóřšťúůýž",  # Czech
        "áäčďéíĺľňóôŕšťúýž",  # Slovak
        "áéíóöőúüű",  # Hungarian
        "ăâîșțşţ",  # Romanian
        "čćđšž",  # Croatian, Bosnian, Serbian, Slovenian
        "çë",  # Albanian
        "āčēģīķļņšūž",  # Latvian
        "ąčęėįšųūž",  # Lithuanian
        "äõöüšž",  # Estonian
        "ċġħżàèìòù",  # Maltese
        "çêîşû",  # Kurdish
    )
)

# Non-ASCII symbols and punctuation that real text uses; others (¤ ¦ ¨ ¯ ´ ¸ ‡ ‰ ˆ …) betray a wrong
# code page.
_INWORD_MARKS = frozenset("’‘·\u00ad\u200c\u200d")  # O’Brien, Azerbaycan’ın, l·l, soft hyphen, ZWNJ
_TELLING_PUNCTUATION = frozenset("«»“”„‘’–—…،؛؟")  # evidence of the right code page
_OPENING = frozenset("«“„‘")
_CLOSING = frozenset("»”’…،؛؟")
_ARABIC_PUNCTUATION = frozenset("،؛؟")
_COMMON_SYMBOLS = frozenset("‹›‚•·°±×÷€£¥₺₽§©®™′″№٪٫٬‰")  # harmless, but also common in mojibake
_INVISIBLE = frozenset("\u00a0\u200c\u200d\u200e\u200f")  # NBSP, ZWNJ, ZWJ, LRM, RLM
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0b\x0c\x1a\x1b")
_CASED_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN"})
_LONGEST_WORD = 40
_RARE_TANWEEN = frozenset("\u064c\u064d")
_CHECKED_SCRIPTS = frozenset({"LATIN", "ARABIC", "CYRILLIC", "GREEK", "HEBREW"})

# Letters of the Arabic script used by Arabic, Persian, Urdu and Kurdish text (beyond these, an
# Arabic-script decode is suspicious: presentation forms, rare letters from a wrong code page).
_ARABIC_COMMON = frozenset("ءآأؤإئابةتثجحخدذرزسشصضطظعغـفقكلمنهوىيپچژکگیۀےھۆێڵڕەۇ" + "ًٌٍَُِّْٰ")


def _first_word(name: str) -> str:
    return name.split(" ", 1)[0]


@lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    first = _first_word(unicodedata.name(ch, ""))
    if first in ("CJK", "HIRAGANA", "KATAKANA", "BOPOMOFO"):
        return "CJK"  # Japanese mixes these within a word; Korean Hangul stays apart from Han
    return first


@lru_cache(maxsize=1)
def _scoring_stopwords() -> frozenset[str]:
    """Function words of the languages legacy code pages were used for (2+ letters)."""
    languages = (
        *("Persian", "Arabic", "Urdu", "Kurdish", "Turkish", "Azerbaijani", "English"),
        *("Russian", "Ukrainian", "Bulgarian", "Serbian", "Macedonian", "Belarusian"),
        *("French", "German", "Spanish", "Portuguese", "Italian", "Dutch"),
        *("Polish", "Czech", "Slovak", "Hungarian", "Romanian", "Croatian", "Slovenian"),
        *("Swedish", "Danish", "Norwegian_Bokmal", "Finnish", "Greek", "Hebrew"),
        *("Albanian", "Estonian", "Latvian", "Lithuanian"),
    )
    words: set[str] = set()
    for language in languages:
        words |= {w for w in stoplist(language) if len(w) >= 2}
    return frozenset(words)


ARABIC_FOLD = str.maketrans({"ي": "ی", "ك": "ک", "\u200c": ""})
_ARABIC_UNFOLD = str.maketrans({"ی": "ي", "ک": "ك"})


@lru_cache(maxsize=128)
def stoplist(language: str) -> frozenset[str]:
    words = justext.get_stoplist(language)
    # Persian/Arabic text is written with either yeh and kaf (legacy cp1256 text has only the
    # Arabic ones); stoplists pick one.
    folded = {w.translate(ARABIC_FOLD) for w in words}
    return frozenset(words | folded | {w.translate(_ARABIC_UNFOLD) for w in folded})


@dataclass(frozen=True)
class _BigramModel:
    """Letter bigrams of one language's function words (jusText's stoplists, not our seeds)."""

    log_prob: dict[str, float]
    unseen: dict[str, float]  # per first letter: log probability of a bigram never seen
    floor: float  # a first letter never seen
    baseline: float  # mean log probability of the training words themselves


# Languages whose scripts a wrong code page permutes into other letters of the same script (cp1251
# read as koi8-r, cp1256 as iso8859-6): only letter statistics tell those apart. Latin confusions are
# caught by the alphabet check instead.
_MODELLED_LANGUAGES = (
    *("Arabic", "Persian", "Urdu"),
    *("Russian", "Ukrainian", "Bulgarian", "Serbian", "Macedonian", "Belarusian"),
    *("Greek", "Hebrew"),
)


def _word_bigrams(word: str) -> Iterator[str]:
    padded = f"^{word}$"
    return (padded[i : i + 2] for i in range(len(padded) - 1))


@lru_cache(maxsize=1)
def _bigram_models() -> dict[str, list[_BigramModel]]:
    """Models by script."""
    models: dict[str, list[_BigramModel]] = {}
    alpha = 0.1
    for language in _MODELLED_LANGUAGES:
        words = [w.translate(ARABIC_FOLD) for w in stoplist(language)]
        words = [w for w in words if w.isalpha()]
        scripts = Counter(_script(w[0]) for w in words)
        script = scripts.most_common(1)[0][0]
        pairs: Counter[str] = Counter()
        firsts: Counter[str] = Counter()
        for word in words:
            if _script(word[0]) != script:
                continue
            for pair in _word_bigrams(word):
                pairs[pair] += 1
                firsts[pair[0]] += 1
        vocabulary = len(firsts) + 1
        log_prob = {
            pair: math.log((count + alpha) / (firsts[pair[0]] + alpha * vocabulary))
            for pair, count in pairs.items()
        }
        unseen = {first: math.log(alpha / (count + alpha * vocabulary)) for first, count in firsts.items()}
        baseline = sum(log_prob[pair] * count for pair, count in pairs.items()) / sum(pairs.values())
        model = _BigramModel(log_prob, unseen, math.log(1 / vocabulary) - 2, baseline)
        models.setdefault(script, []).append(model)
    return models


def _letter_typicality(word: str, model: _BigramModel) -> float:
    """Sum over the word's bigrams of log P minus the training baseline (≈0 per bigram for real words)."""
    total = 0.0
    for pair in _word_bigrams(word):
        logp = model.log_prob.get(pair)
        if logp is None:
            logp = model.unseen.get(pair[0], model.floor)
        total += logp - model.baseline
    return total


_RARE_LATIN = {"ð": 1.0, "þ": 1.0, "ý": 0.3}  # Icelandic letters: what cp1252 makes of Turkish ğ ş ı
_MODEL_WEIGHT = 0.25


def plausibility_of(text: str) -> float:
    """How much ``text`` looks like real writing: about 0.8–3 for real text, below 0.3 for mojibake."""
    return scores(text)[0]


def scores(text: str) -> tuple[float, float]:
    """Plausibility, and plausibility plus letter-bigram typicality.

    The second only ranks readings of the same bytes against each other: real content words score
    below the function words the letter models were built from, so it is no absolute measure."""
    penalty = 0.0
    good = 0.0
    nonspace = 0
    for ch in text:
        if ch.isspace() or (ch.isascii() and ch not in "\x7f" and (ch >= " " or ch in _ALLOWED_CONTROLS)):
            if not ch.isspace():
                nonspace += 1
            continue
        nonspace += 1
        category = unicodedata.category(ch)
        if category in ("Cc", "Co", "Cn", "Cs") or ch == "\ufffd":
            penalty += 10  # C0/C1 controls, unassigned: never in text
        elif ch in _TELLING_PUNCTUATION or ch in _COMMON_SYMBOLS or ch in _INVISIBLE:
            continue
        elif _first_word(unicodedata.name(ch, "")) == "HALFWIDTH":
            penalty += 1  # half-width katakana: what cp932 makes of Cyrillic
        elif category[0] in "SP" or category in ("Lm", "No"):
            penalty += 1  # ¤ ¦ ¨ ¯ ´ ¸ ‡ ˆ ¹ ½ …: the debris of a wrong code page
        elif "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff":
            penalty += 1  # Arabic presentation forms: DOS code pages, not real text
        elif _script(ch) == "ARABIC" and ch.isalpha() and ch not in _ARABIC_COMMON:
            penalty += 0.5
    if nonspace == 0:
        return 0.0, 0.0

    stopwords = _scoring_stopwords()
    models = _bigram_models()
    latin_accented: Counter[str] = Counter()
    modelled: dict[str, list[str]] = {}
    script_letters: Counter[str] = Counter()
    lone_letters: Counter[str] = Counter()
    arabic_punctuation = 0
    for token in text.split():
        for i, ch in enumerate(token):
            if ch.isascii() or ch.isalpha():
                continue
            after_letter = i > 0 and token[i - 1].isalpha()
            before_letter = i < len(token) - 1 and token[i + 1].isalpha()
            category = unicodedata.category(ch)
            if ch in _INWORD_MARKS or category in ("Mn", "Cf"):
                if ch in _TELLING_PUNCTUATION:
                    good += 1  # O’Brien, Azerbaycan’ın
            elif ch in _TELLING_PUNCTUATION:
                if (ch in _OPENING and after_letter) or (ch in _CLOSING and before_letter):
                    penalty += 1  # "؟e", "a«": punctuation on the wrong side of a word
                else:
                    good += 1  # “ ” « » – … at a word's edge: as telling as a letter
                if ch in _ARABIC_PUNCTUATION:
                    arabic_punctuation += 1
            elif after_letter or before_letter:
                penalty += 1  # "³uchaczy", "א®ו": a symbol glued to a word
        letters = [ch for ch in token if ch.isalpha()]
        if not letters:
            if any(unicodedata.category(ch) == "Mn" for ch in token):
                penalty += 2  # a lone vowel sign ("ِ" where "ö" was meant)
            continue
        scripts = {_script(ch) for ch in letters}
        if len(scripts) > 1:
            penalty += len(letters)  # "ÇáćáÇ" is fine, "Øلا" is not
            continue
        script = next(iter(scripts))
        if script != "ARABIC" and any(ch in _INVISIBLE for ch in token.strip("\u200e\u200f")):
            penalty += 2 * len(letters)  # "Toplant\u200eda": cp1256 direction marks where ı ş were
            continue
        if unicodedata.category(token[0]) == "Mn" or any(
            unicodedata.category(b) == "Mn" and not a.isalpha() and unicodedata.category(a) != "Mn"
            for a, b in itertools.pairwise(token)
        ):
            penalty += 2  # a combining mark with no letter to sit on
        if script in _CASED_SCRIPTS:
            flips = sum(1 for a, b in itertools.pairwise(token) if a.islower() and b.isupper())
            if flips:
                penalty += 2 * flips  # "ÇáćáÇíÇĘ", "пРИВЕТ"
                continue
            # Real text is mostly lower case; of two readings of the same bytes (koi8-r and cp1251
            # swap cases) the one in capitals is the less likely.
            penalty += 0.2 * sum(1 for ch in letters[1:] if ch.isupper() and not ch.isascii())
        if script == "LATIN":
            for ch in letters:
                if not ch.isascii():
                    lower = "ı" if ch == "İ" else ch.lower()
                    latin_accented[lower] += 1
                    penalty += _RARE_LATIN.get(lower, 0.0)
        if any(ch in _RARE_TANWEEN for ch in token[:-1]) and not token.endswith(("ا", "ى", "ة")):
            penalty += 2  # kasratan/dammatan inside a word: what iso8859-6 makes of cp1256 "ي"
        # Scripts we can check (alphabets, letter models) earn full credit; others (Thai, CJK…, what
        # cp874 or a CJK code page makes of Arabic) only half. A lone letter ("Ł" for "£", "י" for
        # "é") proves little, except Persian "و".
        credit = 1.0 if script in _CHECKED_SCRIPTS else 0.5
        script_letters[script] += len(letters)
        if len(letters) == 1 and not letters[0].isascii() and script != "ARABIC":
            lone_letters[script] += 1
            credit = 0.0 if script in _CASED_SCRIPTS else 0.5
        good += min(len(letters), _LONGEST_WORD) * credit  # 400 letters without a space: not words
        # Marks stay in: "برابرٍ" is not the word "برابر".
        word = "".join(ch for ch in token if ch.isalpha() or unicodedata.category(ch) == "Mn")
        word = word.lower().translate(ARABIC_FOLD)
        if script in models:
            modelled.setdefault(script, []).append(word)
        if not word.isascii() and word in stopwords and (len(word) > 2 or script not in _CASED_SCRIPTS):
            good += 2 * len(letters)  # a real function word of a real language

    if script_letters:
        # A lone letter of another script in the text ("Ј" for "£" among English words).
        main_script = script_letters.most_common(1)[0][0]
        penalty += sum(count for script, count in lone_letters.items() if script != main_script)
        if main_script != "ARABIC":
            penalty += 2 * arabic_punctuation  # "؟" in Polish: cp1256 reading "ż"
    typicality = 0.0
    for script, words in modelled.items():
        # The text is in one language: judge it by the language of its script that fits it best.
        typicality += max(sum(_letter_typicality(w, m) for w in words) for m in models[script])

    accented = sum(latin_accented.values())
    if accented:
        covered = max(sum(latin_accented[ch] for ch in alphabet) for alphabet in _ALPHABETS)
        penalty += 2 * (accented - covered)  # "deđil", "ýþ" mixed with "ç": letters of no one alphabet
    plausibility = (good - penalty) / nonspace
    return plausibility, plausibility + _MODEL_WEIGHT * typicality / nonspace
