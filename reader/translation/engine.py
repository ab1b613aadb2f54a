"""Translate segments with installed Argos packages, exactly as Argos Translate would, streaming the results.

What "exactly as Argos" means here (argostranslate 1.11 ``translate.apply_packaged_translation``):

* the package's own tokenizer (``argostranslate.package.Package(path).tokenizer``: SentencePiece, or BPE for old
  packages), one ``ctranslate2.Translator`` per package;
* ``translate_batch`` with ``beam_size = ARGOS_BEAM_SIZE`` (default 4, read as Argos reads it: environment, then
  Argos's settings.json), ``num_hypotheses=1`` (what ``ITranslation.translate`` asks for), ``length_penalty=0.2``,
  ``replace_unknowns=True``, ``target_prefix=[[pkg.target_prefix]]`` when the package has one, CTranslate2's
  default ``max_decoding_length`` (256);
* Argos's detokenisation: ``tokenizer.decode(hypothesis)``, the target prefix removed when the text starts with
  it, then one leading space removed; text with line breaks is translated line by line and joined with ``\\n``
  as Argos does with paragraphs.

Compute type: by default each package runs in its own stored type (``compute_type="default"``: int8 for the
quantized packages Argos ships, as argostranslate itself runs them), and several sentences share one
``translate_batch`` call, across paragraphs, documents and language groups of one model. What is promised, on
any CPU: the output for a batch is exactly what one raw ``translate_batch`` of the same batch with the same
options gives (:meth:`Engine.decode_options`), and a sentence, once cached, never changes (re-opening a
document reads the memory). In int8 a padded batch may differ from single-sentence decodes on some CPUs (not
on AVX-512 VNNI machines); ``bench/translate.py`` reports how many sentences do, as a figure. float32 stays
available (``compute_type="float32"`` or ``YANYANA_COMPUTE_TYPE=float32``); the memory key carries the
effective compute type of every model of a route, so int8 and float32 translations never mix.

Routing: sentences are grouped by their paragraph's language (``languages=``); each group goes to its own
installed model (direct or pivot), one batched run per model; target-language sentences stay as they are;
a group without a model is left untranslated, its reason given by :meth:`Engine.untranslated`.

Deliberate differences from Argos, all for sentences Argos handles badly:

* Sentences whose token count exceeds ``max_input_tokens`` (200 by default: the output must fit CTranslate2's
  256-token decoding limit, which Argos leaves at its default and silently truncates at) are split at the best
  boundary nearest their middle — sentence punctuation, then clause punctuation (``, ، ; ؛ : — –``), then a
  space — recursively, and the translated pieces are joined with a space. A piece whose translation still hits
  the decoding limit (the model loops) is split in halves and retranslated, down to quarters. No input is
  ever truncated.
* Sentences with no letter at all (empty, whitespace, numbers, punctuation: "2023", "—", "۱۴۰۲/۰۵/۰۱") are
  passed through unchanged without a model call; a translation model can only damage them.
* Sentence splitting inside a segment is the caller's job (Yanyana's segmenter); Argos's own sentencizer
  (MiniSBD/Stanza → torch) is never used. For a pivot, the intermediate English is translated as one segment.

Pivot: with no direct model, X→en→Y is used when both halves are installed (as Argos's composite translation
does, English first, then any other single intermediate language).

No torch, stanza or spacy is ever imported: only ``ctranslate2``, ``sentencepiece`` and
``argostranslate.package``/``tokenizer``/``settings`` (see :mod:`reader.translation.models`).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from reader import paths
from reader.errors import YanyanaError
from reader.languages import language_name
from reader.translation import models
from reader.translation.models import InstalledModel, ModelError
from translations_cache import TranslationCacheError

# What a translation memory may raise that must cost time, never the translation (bugs still crash).
_CACHE_ERRORS = (TranslationCacheError, sqlite3.Error, OSError)

MAX_DECODING_LENGTH = 256  # CTranslate2's default for translate_batch; Argos does not change it
DEFAULT_MAX_INPUT_TOKENS = 200
# Few large batches win on the CPU (bench/translate.py: 1,024-token batches ran at 0.77 of one raw
# translate_batch over all sentences, 4,096-token batches at 0.99). The reader, which must stop quickly when the
# user leaves a document, asks for smaller batches; a caller-given order starts with a small first batch so the
# visible part appears sooner.
DEFAULT_MAX_BATCH_TOKENS = 4096
INTERACTIVE_MAX_BATCH_TOKENS = 1024
FIRST_BATCH_TOKENS = 512
LENGTH_PENALTY = 0.2
MAX_RESPLIT_DEPTH = 2  # an output that hits the decoding limit: retranslate halves, then quarters, no further
MIN_RESPLIT_TOKENS = 8

COMPUTE_TYPE_ENV = "YANYANA_COMPUTE_TYPE"
# CTranslate2's DataType ids as stored in model.bin (binary version >= 4)
_STORED_TYPES = {0: "float32", 1: "int8", 2: "int16", 3: "int32", 4: "float16", 5: "bfloat16"}

_SENTENCE_END = frozenset(".!?؟。！？")
_CLAUSE_END = frozenset(",،;؛:—–…")


class NoModelError(ModelError):
    """No installed model (or pivot) translates between the two languages."""

    def __init__(self, from_code: str, to_code: str) -> None:
        self.from_code = from_code
        self.to_code = to_code
        super().__init__(
            f"No {language_name(from_code)}→{language_name(to_code)} model is installed. Install one with "
            f"`yanyana models install FILE` or `yanyana models download {from_code} {to_code}`."
        )


class TranslationRequestError(YanyanaError):
    """A translation request the user can fix (for example more alternatives than the beam holds)."""


def no_model_reason(from_code: str, to_code: str) -> str:
    """The short reason shown for sentences left untranslated: "no Arabic→English model"."""
    return f"no {language_name(from_code)}→{language_name(to_code)} model"


class Memory(Protocol):
    """What the engine needs from a translation memory (``translations_cache.TranslationMemory``)."""

    def lookup(self, sources: Sequence[str], from_code: str, to_code: str, model: str) -> dict[str, str]: ...

    def store(self, pairs: Iterable[tuple[str, str]], from_code: str, to_code: str, model: str) -> None: ...


@dataclass(frozen=True)
class Route:
    """The models a translation goes through: one (direct), two (pivot) or none (same language)."""

    steps: tuple[InstalledModel, ...]
    model_id: str
    from_code: str
    to_code: str
    cache_key: str = ""  # model ids with the effective compute type of each step: the memory's model key


@dataclass(frozen=True)
class Alternative:
    """One beam hypothesis for a sentence: its text and CTranslate2's score (length-normalised log-prob)."""

    text: str
    score: float | None


@dataclass(frozen=True)
class _Plan:
    """Which route translates each language group of a run, and why the others cannot be translated."""

    routes: dict[str, Route]
    missing: dict[str, str]  # language -> reason
    group_of: dict[int, str]  # sentence index -> language group (sentences needing a model only)


@dataclass(frozen=True)
class TranslationResult:
    index: int
    text: str
    cached: bool


@dataclass
class _Loaded:
    model: InstalledModel
    translator: Any
    tokenizer: Any
    target_prefix: str
    compute_type: str
    last_used: float
    in_use: int = 0


def in_target_language(count: int, languages: Sequence[str | None] | None, to_code: str) -> frozenset[int]:
    """Indices of the sentences whose own language is already the target language."""
    if languages is None:
        return frozenset()
    if len(languages) != count:
        raise ValueError(f"languages names {len(languages)} sentences, but there are {count}")
    return frozenset(i for i, lang in enumerate(languages) if lang == to_code)


def is_passthrough(text: str) -> bool:
    """True for sentences the engine returns unchanged: no letter at all (blank, numbers, punctuation)."""
    return not any(ch.isalpha() for ch in text)


def argos_detokenize(tokenizer: Any, tokens: Sequence[str], target_prefix: str) -> str:
    """Argos's ``apply_packaged_translation`` output step: the package tokenizer's ``decode`` (SentencePiece
    ``decode_pieces`` with ``▁`` and ``_`` turned into spaces), the target prefix removed when the text starts
    with it, then one leading space removed."""
    value: str = tokenizer.decode(list(tokens))
    if target_prefix != "" and value.startswith(target_prefix):
        value = value[len(target_prefix) :]
    if len(value) > 0 and value[0] == " ":
        value = value[1:]
    return value


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_compute_type(device: str) -> str:
    """The compute type asked of CTranslate2 when none is given: ``YANYANA_COMPUTE_TYPE`` if set, else
    ``"default"`` — each package's own stored type (int8 for quantized Argos packages, as argostranslate runs
    them), or float16 on CUDA where supported.

    Measured on a Transformer-base shaped package stored as int8 (bench/translate.py): see docs/design.md.
    ``float32`` remains an option; it expands int8 weights to ~4x the memory and decodes slower.
    """
    chosen = os.environ.get(COMPUTE_TYPE_ENV, "").strip()
    if chosen:
        return chosen
    if device == "cpu":
        return "default"
    import ctranslate2

    supported = ctranslate2.get_supported_compute_types(device)
    return "float16" if "float16" in supported else "default"


def stored_compute_type(model_dir: Path) -> str:
    """The type a CTranslate2 model's weights are stored in (``"int8"``, ``"float32"``, ``"float16"``…), read
    from the ``model.bin`` header without loading it; ``"unknown"`` if the file cannot be read."""
    import struct

    try:
        with (model_dir / "model.bin").open("rb") as handle:

            def take(fmt: str) -> tuple[Any, ...]:
                size = struct.calcsize(fmt)
                data = handle.read(size)
                if len(data) != size:
                    raise ValueError("truncated")
                return struct.unpack(fmt, data)

            def string() -> str:
                (length,) = take("<H")
                return handle.read(length).rstrip(b"\0").decode("utf-8", "replace")

            (version,) = take("<I")
            if version < 4:
                return "unknown"
            string()
            take("<I")  # spec revision
            (count,) = take("<I")
            found: set[str] = set()
            for _ in range(count):
                name = string()
                (rank,) = take("<B")
                take(f"<{rank}I")
                type_id, num_bytes = take("<BI")
                handle.seek(num_bytes, 1)
                if name.endswith("weight") and rank == 2:
                    found.add(_STORED_TYPES.get(type_id, "unknown"))
    except (OSError, ValueError, struct.error):
        return "unknown"
    for kind in ("int8", "int16", "float16", "bfloat16", "float32"):
        if kind in found:
            return kind
    return "unknown"


def effective_compute_type(requested: str, stored: str, device: str) -> str:
    """What CTranslate2 will compute in (its ``Translator.compute_type``) for a model stored as ``stored``."""
    kind = stored if requested in ("default", "auto") else requested
    if device == "cpu":
        if kind in ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16"):
            return "int8_float32" if kind != "int16" else "int16"
        return "float32"
    return kind


def _cache_label(compute_type: str) -> str:
    """The compute-type part of a memory key: int8 variants share their numbers' family name."""
    return "int8" if compute_type.startswith("int8") else compute_type


def _cut_positions(text: str) -> list[list[int]]:
    """Candidate split positions, best class first: sentence ends, clause ends, spaces, anywhere."""
    sentence: list[int] = []
    clause: list[int] = []
    space: list[int] = []
    for i, ch in enumerate(text[:-1]):
        following = text[i + 1]
        if following.isspace():
            if ch in _SENTENCE_END:
                sentence.append(i + 1)
            elif ch in _CLAUSE_END:
                clause.append(i + 1)
        if ch.isspace() and i > 0:
            space.append(i)
    anywhere = [
        i
        for i in range(1, len(text))
        if not unicodedata.combining(text[i]) and text[i] not in "\u200c\u200d" and not text[i].isspace()
    ]
    return [sentence, clause, space, anywhere]


def split_for_model(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Split ``text`` into pieces that each ``fits``, at the best boundary nearest the middle, recursively.

    A text that fits is returned unchanged (one piece); pieces are stripped of the whitespace at the cut. Joining
    the pieces with single spaces gives the text back up to that whitespace: nothing is dropped.
    """
    if fits(text):
        return [text]
    stripped = text.strip()
    if len(stripped) < 2:
        return [text]
    middle = len(stripped) / 2
    for candidates in _cut_positions(stripped):
        usable = [c for c in candidates if stripped[:c].strip() and stripped[c:].strip()]
        if usable:
            cut = min(usable, key=lambda c: (abs(c - middle), c))
            left, right = stripped[:cut].rstrip(), stripped[cut:].lstrip()
            return split_for_model(left, fits) + split_for_model(right, fits)
    return [text]


class Engine:
    """Translates lists of segments; see the module docstring. Create on any thread, use from one at a time."""

    def __init__(
        self,
        models_dir: Path | None = None,
        memory: Memory | None = None,
        device: str = "cpu",
        compute_type: str | None = None,
        inter_threads: int = 1,
        intra_threads: int | None = None,
        idle_unload_seconds: float = 300.0,
        max_batch_tokens: int = DEFAULT_MAX_BATCH_TOKENS,
        max_input_tokens: int = DEFAULT_MAX_INPUT_TOKENS,
        beam_size: int | None = None,
    ) -> None:
        self._models_dir = models_dir
        self.memory = memory
        self._device_choice = device
        self._compute_type_choice = compute_type
        self.inter_threads = inter_threads
        self.intra_threads = intra_threads if intra_threads is not None else usable_cores()
        self.idle_unload_seconds = idle_unload_seconds
        self.max_batch_tokens = max(1, max_batch_tokens)
        self.max_input_tokens = max(1, max_input_tokens)
        self._beam_size = beam_size
        self.warnings: list[str] = []
        self.model_calls = 0  # translate_batch calls made
        self.loads = 0  # translators loaded (reuse keeps this at one per model)
        self._lock = threading.RLock()
        self._loaded: dict[tuple[str, str], _Loaded] = {}
        self._timer: threading.Timer | None = None
        self._resolved_device: str | None = None
        self._labels: dict[str, str] = {}  # model folder -> compute type actually used (after a load)

    # ------------------------------------------------------------------ configuration

    @property
    def models_dir(self) -> Path:
        return self._models_dir if self._models_dir is not None else paths.models_dir()

    @property
    def device(self) -> str:
        if self._resolved_device is None:
            import ctranslate2

            choice = self._device_choice
            has_cuda = ctranslate2.get_cuda_device_count() > 0
            if choice == "auto":
                choice = "cuda" if has_cuda else "cpu"
            elif choice == "cuda" and not has_cuda:
                self._warn("No CUDA device was found, so translation runs on the CPU.")
                choice = "cpu"
            self._resolved_device = choice
        return self._resolved_device

    @property
    def compute_type(self) -> str:
        """The compute type asked of CTranslate2 (``"default"``: each package's own stored type)."""
        return self._compute_type_choice or default_compute_type(self.device)

    def model_compute_type(self, model: InstalledModel) -> str:
        """The compute type ``model`` runs in with this engine (known without loading it)."""
        known = self._labels.get(str(model.path))
        if known is not None:
            return known
        return effective_compute_type(
            self.compute_type, stored_compute_type(model.path / "model"), self.device
        )

    def cache_key(self, steps: Sequence[InstalledModel]) -> str:
        """The memory's model key for a route: each step's model id and effective compute type."""
        return "+".join(f"{m.model_id}/{_cache_label(self.model_compute_type(m))}" for m in steps)

    @property
    def beam_size(self) -> int:
        if self._beam_size is None:
            try:
                self._beam_size = max(1, int(models.argos_setting("ARGOS_BEAM_SIZE", "4")))
            except ValueError:
                self._beam_size = 4
        return self._beam_size

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    # ------------------------------------------------------------------ routes

    def route(self, from_code: str, to_code: str) -> Route:
        """The models that translate ``from_code`` → ``to_code``; raises :class:`NoModelError`."""
        if from_code == to_code:
            return Route((), "identity", from_code, to_code)
        installed, problems = models.list_installed_with_problems(self.models_dir)
        for problem in problems:
            self._warn(problem)
        best: dict[tuple[str, str], InstalledModel] = {}
        for model in installed:  # newest version first within a pair
            best.setdefault((model.from_code, model.to_code), model)
        direct = best.get((from_code, to_code))
        if direct is not None:
            return Route((direct,), direct.model_id, from_code, to_code, self.cache_key((direct,)))
        middles = sorted(
            {m.to_code for m in installed if m.from_code == from_code}, key=lambda c: (c != "en", c)
        )
        for middle in middles:
            second = best.get((middle, to_code))
            if middle not in (from_code, to_code) and second is not None:
                first = best[(from_code, middle)]
                return Route(
                    (first, second),
                    f"{first.model_id}+{second.model_id}",
                    from_code,
                    to_code,
                    self.cache_key((first, second)),
                )
        raise NoModelError(from_code, to_code)

    # ------------------------------------------------------------------ memory

    def _lookup(self, texts: Sequence[str], route: Route) -> dict[str, str]:
        if self.memory is None or not texts or not route.steps:
            return {}
        try:
            return dict(self.memory.lookup(list(texts), route.from_code, route.to_code, route.cache_key))
        except (
            _CACHE_ERRORS
        ) as exc:  # the cache is disposable: a broken one costs time, never the translation
            self._warn(f"The translation cache could not be read ({exc}).")
            return {}

    def _store(self, pairs: list[tuple[str, str]], route: Route) -> None:
        if self.memory is None or not pairs or not route.steps:
            return
        try:
            self.memory.store(pairs, route.from_code, route.to_code, route.cache_key)
        except _CACHE_ERRORS as exc:  # CacheWriteError and friends: keep the translation, record why
            self._warn(str(exc) or "The translation cache could not be written.")

    def cached(
        self,
        sentences: Sequence[str],
        from_code: str,
        to_code: str,
        languages: Sequence[str | None] | None = None,
    ) -> dict[int, str]:
        """Translations known without a model, by index: the memory's, plus the sentences ``languages`` marks as
        already in ``to_code`` (as :meth:`translate` returns them). Never loads a model.

        Each paragraph-language group is looked up under its installed route; a group whose model is not
        installed (removed, or translations imported from a TMX) gets whatever translation the memory holds
        for it from any model, so cached translations are shown whenever they exist."""
        known = {i: sentences[i] for i in in_target_language(len(sentences), languages, to_code)}
        if self.memory is None or not sentences:
            return known
        groups: dict[str, list[int]] = {}
        for i, sentence in enumerate(sentences):
            if i in known or is_passthrough(sentence):
                continue
            lang = (languages[i] if languages is not None else None) or from_code
            groups.setdefault(lang, []).append(i)
        for lang, indices in groups.items():
            texts = list(dict.fromkeys(sentences[i] for i in indices))
            try:
                route = self.route(lang, to_code)
            except ModelError:
                hits = self._lookup_any(texts, lang, to_code)
            else:
                hits = self._lookup(texts, route)
            known.update({i: hits[sentences[i]] for i in indices if sentences[i] in hits})
        return known

    def memory_model(self, sentences: Sequence[str], from_code: str, to_code: str) -> str | None:
        """The model id (without compute types) that made most of the memory's translations of ``sentences``
        from any model: what translation-side notes anchor to when the model is not installed."""
        lookup_any = getattr(self.memory, "lookup_any", None)
        if lookup_any is None or not sentences:
            return None
        try:
            found = lookup_any(list(dict.fromkeys(sentences)), from_code, to_code)
        except _CACHE_ERRORS:
            return None
        counts: dict[str, int] = {}
        for _, key in found.values():
            model_id = "+".join(step.rsplit("/", 1)[0] for step in str(key).split("+"))
            counts[model_id] = counts.get(model_id, 0) + 1
        return max(counts, key=lambda m: counts[m]) if counts else None

    def _lookup_any(self, texts: Sequence[str], from_code: str, to_code: str) -> dict[str, str]:
        lookup_any = getattr(self.memory, "lookup_any", None)
        if lookup_any is None or not texts:
            return {}
        try:
            return {source: found[0] for source, found in lookup_any(list(texts), from_code, to_code).items()}
        except _CACHE_ERRORS as exc:
            self._warn(f"The translation cache could not be read ({exc}).")
            return {}

    # ------------------------------------------------------------------ translators

    def _load(self, model: InstalledModel) -> _Loaded:
        key = (str(model.path), model.model_id)
        with self._lock:
            entry = self._loaded.get(key)
            if entry is None:
                import ctranslate2

                package = models.open_package(model)
                try:
                    translator = ctranslate2.Translator(
                        str(model.path / "model"),
                        device=self.device,
                        compute_type=self.compute_type,
                        inter_threads=self.inter_threads,
                        intra_threads=self.intra_threads,
                    )
                except (RuntimeError, ValueError, OSError) as exc:
                    raise ModelError(
                        f"The {model.name} model in {model.path} could not be loaded ({exc})."
                    ) from exc
                entry = _Loaded(
                    model=model,
                    translator=translator,
                    tokenizer=package.tokenizer,
                    target_prefix=str(getattr(package, "target_prefix", "") or ""),
                    compute_type=str(translator.compute_type),
                    last_used=time.monotonic(),
                )
                self._loaded[key] = entry
                self._labels[str(model.path)] = entry.compute_type
                self.loads += 1
            entry.in_use += 1
            entry.last_used = time.monotonic()
            return entry

    def _release(self, entries: Iterable[_Loaded]) -> None:
        with self._lock:
            for entry in entries:
                entry.in_use = max(0, entry.in_use - 1)
                entry.last_used = time.monotonic()
            self._schedule_unload()

    def _schedule_unload(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._loaded or self.idle_unload_seconds <= 0:
            return
        timer = threading.Timer(self.idle_unload_seconds + 0.5, self.unload_idle)
        timer.daemon = True
        timer.start()
        self._timer = timer

    def loaded_models(self) -> list[str]:
        """model_ids of the translators currently in memory."""
        with self._lock:
            return [entry.model.model_id for entry in self._loaded.values()]

    def unload_idle(self) -> None:
        """Free translators unused for ``idle_unload_seconds`` (called automatically by a timer)."""
        now = time.monotonic()
        with self._lock:
            for key, entry in list(self._loaded.items()):
                if entry.in_use == 0 and now - entry.last_used >= self.idle_unload_seconds:
                    del self._loaded[key]
            if self._loaded:
                self._schedule_unload()

    def close(self) -> None:
        """Free every translator and stop the idle timer. The engine can still be used afterwards."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            for key, entry in list(self._loaded.items()):
                if entry.in_use == 0:
                    del self._loaded[key]

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ model calls

    def _token_count(self, loaded: _Loaded, text: str) -> int:
        return len(loaded.tokenizer.encode(text))

    def _detokenize(self, loaded: _Loaded, tokens: list[str]) -> str:
        return argos_detokenize(loaded.tokenizer, tokens, loaded.target_prefix)

    def decode_options(self, target_prefix: str, count: int, num_hypotheses: int = 1) -> dict[str, Any]:
        """The ``translate_batch`` options of every engine call for ``count`` sentences of a package with
        ``target_prefix``: Argos's decoding options and this engine's batch size. A raw call with these
        options gives the engine's output."""
        prefix = target_prefix
        return {
            "target_prefix": [[prefix]] * count if prefix != "" else None,
            "replace_unknowns": True,
            "max_batch_size": self.max_batch_tokens,
            "batch_type": "tokens",
            "beam_size": self.beam_size,
            "num_hypotheses": num_hypotheses,
            "length_penalty": LENGTH_PENALTY,
            "max_decoding_length": MAX_DECODING_LENGTH,
            "return_scores": True,
        }

    def _decode(self, loaded: _Loaded, pieces: list[str], depth: int = 0) -> list[str]:
        """Translate pieces that already fit. A piece whose output hit the decoding limit is split in halves and
        retranslated, at most ``MAX_RESPLIT_DEPTH`` times (a model that loops on quarters too is past helping)."""
        if not pieces:
            return []
        tokens = [loaded.tokenizer.encode(piece) for piece in pieces]
        # One call for the whole window, whatever the compute type: CTranslate2 orders it by length and
        # splits it into max_batch_size-token batches itself, exactly as a raw call with these options does.
        self.model_calls += 1
        results = loaded.translator.translate_batch(
            tokens, **self.decode_options(loaded.target_prefix, len(tokens))
        )
        hypotheses: list[list[str]] = [result.hypotheses[0] for result in results]
        outputs: list[str] = []
        redo: dict[int, list[str]] = {}
        for i, hypothesis in enumerate(hypotheses):
            outputs.append(self._detokenize(loaded, hypothesis))
            if (
                len(hypothesis) >= MAX_DECODING_LENGTH - 1
                and depth < MAX_RESPLIT_DEPTH
                and len(tokens[i]) >= MIN_RESPLIT_TOKENS
            ):
                half = max(1, len(tokens[i]) // 2)

                def fits(text: str, limit: int = half) -> bool:
                    return self._token_count(loaded, text) <= limit

                parts = split_for_model(pieces[i], fits)
                if len(parts) > 1:
                    redo[i] = parts
        if redo:
            flat = [part for parts in redo.values() for part in parts]
            translated = iter(self._decode(loaded, flat, depth + 1))
            for i, parts in redo.items():
                outputs[i] = " ".join(next(translated) for _ in parts)
        return outputs

    def _translate_step(self, loaded: _Loaded, texts: list[str]) -> list[str]:
        """One model over whole segments: lines as Argos's paragraphs, long lines split, pieces joined."""
        limit = self.max_input_tokens

        def fits(piece: str) -> bool:
            return self._token_count(loaded, piece) <= limit

        layout: list[list[list[str]]] = []  # text -> lines -> pieces
        flat: list[str] = []
        for text in texts:
            lines = []
            for line in text.split("\n"):
                pieces = [] if not line.strip() else split_for_model(line, fits)
                lines.append(pieces)
                flat.extend(pieces)
            layout.append(lines)
        translated = iter(self._decode(loaded, flat))
        outputs = []
        for lines in layout:
            rendered = [" ".join(next(translated) for _ in pieces) for pieces in lines]
            outputs.append("\n".join(rendered).lstrip("\n"))
        return outputs

    def _translate_route(self, steps: list[_Loaded], texts: list[str]) -> list[str]:
        for loaded in steps:
            texts = self._translate_step(loaded, texts)
        return texts

    # ------------------------------------------------------------------ public translation

    def translate(
        self,
        sentences: Sequence[str],
        from_code: str,
        to_code: str,
        order: Sequence[int] | None = None,
        cancel: threading.Event | None = None,
        languages: Sequence[str | None] | None = None,
    ) -> Iterator[TranslationResult]:
        """Translate ``sentences``; results stream back one sentence at a time.

        ``languages`` (optional, one per sentence) gives a sentence's own (paragraph) language when it differs
        from the document's: a sentence already in ``to_code`` (an English quote in a Persian article) is
        returned as it is, like sentences without letters; a sentence in a third language (Arabic quoted in a
        Persian article) goes to that language's model, and is left out of the results when no model or pivot
        translates it (:meth:`untranslated` says why).

        First every sentence known without a model (the memory's hits and passthrough sentences) in ``order``,
        then the model's results batch by batch, also in ``order``, one model after the other (indices missing
        from ``order`` follow in their natural order). New translations are stored in the memory after each
        batch. When ``cancel`` is set, the run stops before the next batch. Raises :class:`NoModelError` right
        away (before iterating) when no model or pivot translates the document's own language ``from_code``.
        """
        texts = list(sentences)
        sequence = self._sequence(len(texts), order)
        if not texts:
            return iter(())
        route = self.route(from_code, to_code)
        keep = in_target_language(len(texts), languages, to_code)
        if not route.steps:
            return (TranslationResult(i, texts[i], False) for i in sequence)
        plan = self._plan(texts, route, languages, keep)
        return self._run(texts, sequence, plan, cancel, small_first_batch=order is not None, keep=keep)

    def untranslated(
        self,
        sentences: Sequence[str],
        from_code: str,
        to_code: str,
        languages: Sequence[str | None] | None = None,
    ) -> dict[int, str]:
        """The sentences :meth:`translate` leaves untranslated, by index, with the reason ("no Arabic→English
        model", or the document's own missing model). Never loads a model."""
        texts = list(sentences)
        if not texts or from_code == to_code:
            return {}
        keep = in_target_language(len(texts), languages, to_code)
        try:
            route = self.route(from_code, to_code)
        except NoModelError:
            route = None
        plan = self._plan(texts, route, languages, keep, from_code=from_code, to_code=to_code)
        return {i: plan.missing[lang] for i, lang in plan.group_of.items() if lang in plan.missing}

    def _plan(
        self,
        texts: list[str],
        route: Route | None,
        languages: Sequence[str | None] | None,
        keep: frozenset[int],
        *,
        from_code: str | None = None,
        to_code: str | None = None,
    ) -> _Plan:
        from_code = route.from_code if route is not None else from_code
        to_code = route.to_code if route is not None else to_code
        assert from_code is not None and to_code is not None
        routes: dict[str, Route] = {}
        missing: dict[str, str] = {}
        if route is not None:
            routes[from_code] = route
        else:
            missing[from_code] = no_model_reason(from_code, to_code)
        group_of: dict[int, str] = {}
        for i, text in enumerate(texts):
            if i in keep or is_passthrough(text):
                continue
            lang = (languages[i] if languages is not None else None) or from_code
            group_of[i] = lang
            if lang not in routes and lang not in missing:
                try:
                    routes[lang] = self.route(lang, to_code)
                except NoModelError:
                    missing[lang] = no_model_reason(lang, to_code)
        return _Plan(routes, missing, group_of)

    def translate_text(self, sentence: str, from_code: str, to_code: str) -> str:
        """Translate one sentence (convenience)."""
        for result in self.translate([sentence], from_code, to_code):
            return result.text
        return sentence

    def alternatives(
        self, sentence: str, from_code: str, to_code: str, n: int | None = None
    ) -> list[Alternative]:
        """The ``n`` best translations of one sentence (beam hypotheses, best first, ``n`` ≤ the beam size;
        all of the beam by default) with their scores. Through a pivot, the first model's best English is
        the second model's input. A sentence too long for one decode, or with line breaks, has one
        alternative: the engine's translation (score ``None``)."""
        beam = self.beam_size
        count = beam if n is None else n
        if not 1 <= count <= beam:
            raise TranslationRequestError(
                f"Ask for between 1 and {beam} alternatives (the beam size is {beam})."
            )
        route = self.route(from_code, to_code)
        if not route.steps or is_passthrough(sentence):
            return [Alternative(sentence, None)]
        steps = [self._load(model) for model in route.steps]
        try:
            text = sentence
            for loaded in steps[:-1]:
                text = self._translate_step(loaded, [text])[0]
            last = steps[-1]
            if "\n" in text.strip() or self._token_count(last, text) > self.max_input_tokens:
                return [Alternative(self._translate_step(last, [text])[0], None)]
            tokens = last.tokenizer.encode(text)
            self.model_calls += 1
            result = last.translator.translate_batch(
                [tokens], **self.decode_options(last.target_prefix, 1, num_hypotheses=count)
            )[0]
            found: list[Alternative] = []
            seen: set[str] = set()
            for hypothesis, score in zip(result.hypotheses, result.scores, strict=False):
                value = self._detokenize(last, hypothesis)
                if value not in seen:
                    seen.add(value)
                    found.append(Alternative(value, float(score)))
            return found
        finally:
            self._release(steps)

    @staticmethod
    def _sequence(count: int, order: Sequence[int] | None) -> list[int]:
        if order is None:
            return list(range(count))
        sequence: list[int] = []
        seen: set[int] = set()
        for index in order:
            if not 0 <= index < count:
                raise IndexError(f"order names sentence {index}, but there are only {count}")
            if index not in seen:
                seen.add(index)
                sequence.append(index)
        sequence.extend(i for i in range(count) if i not in seen)
        return sequence

    def _run(
        self,
        texts: list[str],
        sequence: list[int],
        plan: _Plan,
        cancel: threading.Event | None,
        *,
        small_first_batch: bool,
        keep: frozenset[int] = frozenset(),
    ) -> Iterator[TranslationResult]:
        # The memory first, for every group; then one batched run per route, in the order groups first
        # appear in ``sequence`` (the document's own language normally first).
        hits: dict[str, dict[str, str]] = {}
        for group, route in plan.routes.items():
            wanted = [texts[i] for i in sequence if plan.group_of.get(i) == group]
            hits[group] = self._lookup(list(dict.fromkeys(wanted)), route) if wanted else {}
        pending: dict[str, list[int]] = {}
        for index in sequence:
            text = texts[index]
            lang = plan.group_of.get(index)
            if lang is None:  # kept: target language, or no letters
                yield TranslationResult(index, text, False)
            elif lang in plan.missing:
                continue
            elif text in hits[lang]:
                yield TranslationResult(index, hits[lang][text], True)
            else:
                pending.setdefault(lang, []).append(index)
        first_batch = small_first_batch
        for lang, indices in pending.items():
            if cancel is not None and cancel.is_set():
                return
            yield from self._run_route(texts, indices, plan.routes[lang], cancel, first_batch)
            first_batch = False

    def _run_route(
        self,
        texts: list[str],
        pending: list[int],
        route: Route,
        cancel: threading.Event | None,
        small_first_batch: bool,
    ) -> Iterator[TranslationResult]:
        unique = list(dict.fromkeys(texts[i] for i in pending))
        done: dict[str, str] = {}
        pointer = 0
        position = 0
        steps: list[_Loaded] = []
        try:
            if cancel is not None and cancel.is_set():
                return
            for model in route.steps:
                steps.append(self._load(model))
            first = steps[0]
            # the visible part (the head of a caller-given order) comes sooner in a small first batch
            budget = (
                min(self.max_batch_tokens, FIRST_BATCH_TOKENS) if small_first_batch else self.max_batch_tokens
            )
            while position < len(unique):
                if cancel is not None and cancel.is_set():
                    return
                window: list[str] = []
                used = 0
                while position < len(unique):
                    count = min(self._token_count(first, unique[position]), self.max_input_tokens)
                    if window and used + count > budget:
                        break
                    window.append(unique[position])
                    used += count
                    position += 1
                outputs = self._translate_route(steps, window)
                pairs = list(zip(window, outputs, strict=True))
                done.update(pairs)
                self._store(pairs, self._stored_route(route, steps))
                budget = self.max_batch_tokens
                while pointer < len(pending) and texts[pending[pointer]] in done:
                    index = pending[pointer]
                    yield TranslationResult(index, done[texts[index]], False)
                    pointer += 1
        finally:
            if steps:
                self._release(steps)

    def _stored_route(self, route: Route, steps: list[_Loaded]) -> Route:
        """The route with the memory key of the compute types the loaded translators really use (equal to the
        predicted key unless CTranslate2 chose differently, which is then the key that must be used)."""
        key = "+".join(f"{s.model.model_id}/{_cache_label(s.compute_type)}" for s in steps)
        if key == route.cache_key:
            return route
        return Route(route.steps, route.model_id, route.from_code, route.to_code, key)
