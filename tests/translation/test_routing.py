"""Routing by paragraph language and alternatives, on genuine tiny Argos packages."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.translation import models
from reader.translation.engine import Engine, TranslationRequestError
from tests.tiny_argos import reference_hypothesis, reference_translate, seed_sentences
from translations_cache import TranslationMemory


def _mixed() -> tuple[list[str], list[str | None]]:
    persian = seed_sentences("fa")[:6]
    arabic = seed_sentences("ar")[:3]
    quote = "The United States supports a lasting peace in the region."
    sentences = persian[:3] + arabic + [quote] + persian[3:]
    languages: list[str | None] = ["fa"] * 3 + ["ar"] * 3 + ["en"] + [None] * 3
    return sentences, languages


def test_each_paragraph_language_goes_to_its_own_model_in_one_call(
    tiny_argos_archives: dict[str, Path], tmp_path: Path
) -> None:
    fa = models.install_from_path(tiny_argos_archives["fa_en"])[0]
    ar = models.install_from_path(tiny_argos_archives["ar_en"])[0]
    sentences, languages = _mixed()
    memory = TranslationMemory(tmp_path / "translations.db")
    engine = Engine(memory=memory, compute_type="float32")
    results = {r.index: r.text for r in engine.translate(sentences, "fa", "en", languages=languages)}
    assert sorted(results) == list(range(len(sentences)))
    for i, sentence in enumerate(sentences):
        if languages[i] == "en":
            assert results[i] == sentence
        else:
            model = ar if languages[i] == "ar" else fa
            assert results[i] == reference_translate(model.path, sentence, compute_type="float32"), i
    assert engine.model_calls == 2  # one batched call per model
    assert engine.untranslated(sentences, "fa", "en", languages=languages) == {}
    # each group is stored under its own language pair and model, and read back the same way
    pairs = {(p["from"], p["model"]) for p in memory.stats()["pairs"]}
    assert pairs == {("fa", "translate-fa_en@1.0/float32"), ("ar", "translate-ar_en@1.0/float32")}
    assert engine.cached(sentences, "fa", "en", languages=languages) == results
    memory.close()


def test_a_group_without_a_model_is_left_untranslated_with_its_reason(
    tiny_argos_archives: dict[str, Path],
) -> None:
    models.install_from_path(tiny_argos_archives["fa_en"])
    sentences, languages = _mixed()
    engine = Engine()
    results = {r.index: r.text for r in engine.translate(sentences, "fa", "en", languages=languages)}
    arabic = {i for i, lang in enumerate(languages) if lang == "ar"}
    assert set(results) == set(range(len(sentences))) - arabic
    assert engine.untranslated(sentences, "fa", "en", languages=languages) == {
        i: "no Arabic→English model" for i in arabic
    }
    assert engine.model_calls == 1


def test_alternatives_are_the_beam_hypotheses_best_first(tiny_argos_archives: dict[str, Path]) -> None:
    model = models.install_from_path(tiny_argos_archives["fa_en_int8"])[0]
    sentence = seed_sentences("fa")[4]
    engine = Engine()
    found = engine.alternatives(sentence, "fa", "en", n=4)
    assert 1 < len(found) <= 4
    assert len({a.text for a in found}) == len(found)
    scores = [a.score for a in found if a.score is not None]
    assert len(scores) == len(found)
    assert scores == sorted(scores, reverse=True)
    # the best one is what Argos gives for the sentence alone
    assert found[0].text == reference_hypothesis(model.path, sentence, compute_type="default")[1]
    assert len(engine.alternatives(sentence, "fa", "en", n=2)) <= 2
    with pytest.raises(TranslationRequestError):
        engine.alternatives(sentence, "fa", "en", n=5)
