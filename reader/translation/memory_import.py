"""Load a TMX file into the translation memory (``yanyana cache import-tmx``), unit by unit.

Each ``<tu>`` is validated on its own: two variants (the unit's source language and one other, both known
language codes), non-empty text of at most :data:`translations_cache.tmx.MAX_TMX_SEGMENT` characters, no
inline markup, and a model id (the unit's ``x-model`` prop, or ``--model``) of the form ``package@version``,
optionally with ``/compute-type`` per step as the memory writes it. A unit marked as human
(``<prop type="x-origin">human</prop>``) is a correction, not a machine translation: it is skipped, unless
``as_corrections`` asks to make it a correction of every sentence in the library with that source text. A unit
whose translation the memory already holds is skipped. Added units are stored one transaction per
language pair and model; a refused unit never stops the others. The file is parsed safely (see
:func:`translations_cache.tmx.read_tmx`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.store.corrections import Corrections
from reader.core.store.library import Library
from reader.errors import UnknownLanguage, YanyanaError
from reader.languages import normalize_language_code
from translations_cache import TranslationMemory, read_tmx
from translations_cache.tmx import MAX_TMX_SEGMENT, TmxReadUnit

_STEP = r"[A-Za-z0-9_.\-]+@[A-Za-z0-9_.\-]+(?:/[a-z0-9_]+)?"
MODEL_ID = re.compile(rf"^{_STEP}(?:\+{_STEP})*$")


@dataclass
class ImportSummary:
    added: int = 0
    corrections: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (unit number, reason)
    refused: list[tuple[int, str]] = field(default_factory=list)

    def record(self) -> dict[str, object]:
        return {
            "added": self.added,
            "corrections": self.corrections,
            "skipped": [{"unit": n, "reason": r} for n, r in self.skipped],
            "refused": [{"unit": n, "reason": r} for n, r in self.refused],
        }


def _language(code: str) -> str | None:
    if not code.strip():
        return None
    try:
        return normalize_language_code(code)
    except UnknownLanguage:
        return None


def _check(unit: TmxReadUnit, model: str | None) -> tuple[str, str, str, str, str] | str:
    """``(from, to, source, target, model)``, or the reason the unit is refused."""
    if len(unit.variants) != 2:
        return f"it has {len(unit.variants)} language variants, not 2"
    source_lang = _language(unit.srclang) if unit.srclang not in ("", "*all*") else None
    if source_lang is None:
        source_lang = _language(unit.variants[0].lang)
    langs = [_language(v.lang) for v in unit.variants]
    if None in langs or source_lang is None:
        bad = next(
            (v.lang for v, code in zip(unit.variants, langs, strict=True) if code is None), unit.srclang
        )
        return f"the language code {bad!r} is not known"
    if source_lang not in langs or langs[0] == langs[1]:
        return "it has no variant in its source language and one in another language"
    src = unit.variants[langs.index(source_lang)]
    tgt = unit.variants[1 - langs.index(source_lang)]
    target_lang = _language(tgt.lang)
    assert target_lang is not None
    for variant in (src, tgt):
        if variant.inline:
            return "its text holds inline markup, which a translation memory of sentences cannot keep"
        if not variant.text.strip():
            return "a variant is empty"
        if len(variant.text) > MAX_TMX_SEGMENT:
            return f"a variant is longer than {MAX_TMX_SEGMENT} characters"
    chosen = model or unit.props.get("x-model", "").strip()
    if not chosen:
        return "it names no model (an x-model prop), and no --model was given"
    if not MODEL_ID.match(chosen):
        return f"the model id {chosen!r} is not of the form package@version"
    return source_lang, target_lang, src.text, tgt.text, chosen


def import_tmx(
    path: str | Path,
    memory: TranslationMemory,
    *,
    model: str | None = None,
    as_corrections: bool = False,
    library: Library | None = None,
    author: str | None = None,
) -> ImportSummary:
    """Validate and load every unit of a TMX file; see the module docstring."""
    if model is not None and not MODEL_ID.match(model.strip()):
        raise YanyanaError(f"The model id {model!r} is not of the form package@version.")
    units = read_tmx(path)
    summary = ImportSummary()
    groups: dict[tuple[str, str, str], dict[str, tuple[int, str]]] = {}
    human: list[tuple[int, str, str, str]] = []
    for unit in units:
        checked = _check(unit, model.strip() if model else None)
        if isinstance(checked, str):
            summary.refused.append((unit.number, checked))
            continue
        from_code, to_code, source, target, model_id = checked
        if unit.props.get("x-origin", "").strip().lower() == "human":
            if as_corrections:
                human.append((unit.number, source, target, to_code))
            else:
                summary.skipped.append((unit.number, "a human translation: import it with --as-corrections"))
            continue
        groups.setdefault((from_code, to_code, model_id), {})[source] = (unit.number, target)
    for (from_code, to_code, model_id), pairs in groups.items():
        known = memory.lookup(list(pairs), from_code, to_code, model_id)
        fresh = []
        for source, (number, target) in pairs.items():
            if known.get(source) == target:
                summary.skipped.append((number, "the memory already holds this translation"))
            else:
                fresh.append((source, target))
        memory.store(fresh, from_code, to_code, model_id)
        summary.added += len(fresh)
    if human:
        if library is None:
            raise ValueError("as_corrections needs the library")
        store = Corrections(library)
        for number, source, target, to_code in human:
            made = store.add_from_memory(source, target, to_code, author=author)
            if made:
                summary.corrections += len(made)
            else:
                summary.skipped.append(
                    (number, "no uncorrected sentence in the library has this source text")
                )
    summary.skipped.sort()
    return summary
