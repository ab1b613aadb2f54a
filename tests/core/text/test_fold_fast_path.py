"""fold() has a fast path for text without combining marks; it must equal fold_with_map()[0] everywhere."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.text.folding import fold, fold_with_map
from tests.helpers import SEEDS

ALPHABET = "İIıiŞşĞğÇçÖöÜüƏəÂâ آابپتثيىكةۀ\u200c\u200f ـ\u064b\u064c\u0650\u0651ً0123456789٠١۳۴¨ßﻻ\u0307\u00a0\t\n .,«»ﷲ"
LANGS = [None, "tr", "az", "fa", "ar", "en"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_seeds_fold_the_same_both_ways(lang: str | None) -> None:
    for seed in sorted(SEEDS.glob("*.txt")):
        for line in seed.read_text(encoding="utf-8").splitlines():
            assert fold(line, lang) == fold_with_map(line, lang)[0]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=40) | st.text(max_size=40), lang=st.sampled_from(LANGS))
def test_random_text_folds_the_same_both_ways(text: str, lang: str | None) -> None:
    assert fold(text, lang) == fold_with_map(text, lang)[0]
