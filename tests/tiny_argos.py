"""Build genuine Argos Translate packages with tiny random weights, for tests and benchmarks.

Follows the recipe in ``shared/docs/tiny-argos-model.md``: a SentencePiece model trained on real text, a shared
vocabulary, a CTranslate2 Transformer with seeded random float32 weights, ``metadata.json``, all zipped as an
``.argosmodel``. The result translates into deterministic gibberish but is loaded, tokenized and decoded by exactly
the code paths a real Argos model uses. Nothing here touches the network; nothing binary is ever committed.

Plain module (no pytest imports) so that ``bench/`` can use it as well as the tests::

    from tests.tiny_argos import build_package, seed_text
    archive = build_package(tmp, "fa", "en", texts=[seed_text("fa")])
"""

from __future__ import annotations

import io
import json
import math
import re
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from tests.helpers import SEEDS

#: The seed article(s) for each language (see seeds/README.md). English text comes from the seeds' README.
SEED_FILES: dict[str, tuple[str, ...]] = {
    "az": ("000_cfe427b699b4a0b7.txt", "002_44aa1b61c723b359.txt"),
    "fa": ("001_16b6482d6bae7f5d.txt",),
    "tr": ("003_c669be6180575091.txt",),
    "ar": ("004_b64012e43163fbfa.txt",),
    "en": ("README.md",),
}

LANGUAGE_NAMES = {
    "az": "Azerbaijani",
    "fa": "Persian",
    "tr": "Turkish",
    "ar": "Arabic",
    "en": "English",
    "de": "German",
}

SPECIAL_TOKENS = ["<unk>", "<s>", "</s>"]
EOS_INDEX = 2

_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")


def seed_text(lang: str) -> str:
    """The seed article text(s) for ``lang`` joined by newlines (raw, as stored)."""
    return "\n".join((SEEDS / name).read_text(encoding="utf-8") for name in SEED_FILES[lang])


def seed_sentences(lang: str) -> list[str]:
    """A simple, deterministic sentence list from the seed text: non-blank lines split after . ! ? ؟.

    Deliberately naive (tests of the engine need real sentences, not the product's segmenter).
    """
    sentences: list[str] = []
    for line in seed_text(lang).splitlines():
        for part in _SENTENCE_END.split(line.strip()):
            if part.strip():
                sentences.append(part.strip())
    return sentences


def train_sentencepiece(
    texts: Iterable[str], destination: Path, vocab_size: int = 300, user_symbols: Sequence[str] = ()
) -> Path:
    """Train a SentencePiece model on ``texts`` (one sentence per line) with the documented options.

    ``user_symbols`` become single pieces (how multilingual Argos packages carry a target-prefix token).
    """
    import sentencepiece as spm

    lines = [line for text in texts for line in text.splitlines() if line.strip()]
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buffer,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        normalization_rule_name="identity",
        character_coverage=1.0,
        unk_id=0,
        bos_id=-1,
        eos_id=-1,
        pad_id=-1,
        minloglevel=2,
        **({"user_defined_symbols": list(user_symbols)} if user_symbols else {}),
    )
    destination.write_bytes(buffer.getvalue())
    return destination


def vocabulary_from_sentencepiece(model_file: Path) -> list[str]:
    """``<unk> <s> </s>`` followed by every SentencePiece piece, without duplicates."""
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(model_file))
    vocab = list(SPECIAL_TOKENS)
    seen = set(vocab)
    for index in range(processor.get_piece_size()):
        piece = processor.id_to_piece(index)
        if piece not in seen:
            seen.add(piece)
            vocab.append(piece)
    return vocab


def _build_model(
    directory: Path,
    vocab: Sequence[str],
    *,
    rng_seed: int,
    layers: tuple[int, int],
    heads: int,
    d_model: int,
    ffn: int,
    scale: float | None,
    eos_bias: float,
    emitted: int,
    eos_ramp: float | None,
    quantization: str | None = None,
) -> None:
    """Write a CTranslate2 Transformer with seeded random weights to ``directory``."""
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(rng_seed)
    d = d_model
    # 0.2 at width 32 as in the recipe; the same output variance at other widths.
    weight_scale = scale if scale is not None else 0.2 * math.sqrt(32 / d)
    size = len(vocab)

    def w(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * weight_scale).astype(np.float32)

    def set_norm(norm: object) -> None:
        norm.gamma = (1.0 + rng.standard_normal(d) * 0.05).astype(np.float32)  # type: ignore[attr-defined]
        norm.beta = (rng.standard_normal(d) * 0.05).astype(np.float32)  # type: ignore[attr-defined]

    def set_linear(linear: object, out_dim: int, in_dim: int) -> None:
        linear.weight = w(out_dim, in_dim)  # type: ignore[attr-defined]
        linear.bias = w(out_dim)  # type: ignore[attr-defined]

    def set_ffn(block: object) -> None:
        set_norm(block.layer_norm)  # type: ignore[attr-defined]
        set_linear(block.linear_0, ffn, d)  # type: ignore[attr-defined]
        set_linear(block.linear_1, d, ffn)  # type: ignore[attr-defined]

    spec = transformer_spec.TransformerSpec.from_config(layers, heads)
    encoder, decoder = spec.encoder, spec.decoder
    encoder.embeddings[0].weight = w(size, d)
    set_norm(encoder.layer_norm)
    for layer in encoder.layer:
        set_norm(layer.self_attention.layer_norm)
        set_linear(layer.self_attention.linear[0], 3 * d, d)
        set_linear(layer.self_attention.linear[1], d, d)
        set_ffn(layer.ffn)

    decoder.embeddings.weight = w(size, d)
    set_norm(decoder.layer_norm)
    decoder.projection.weight = w(size, d)
    bias = w(size)
    bias[EOS_INDEX] = eos_bias
    bias[emitted:] = -30.0  # padding entries (benchmark vocabularies) are computed but never chosen
    decoder.projection.bias = bias
    if eos_ramp is not None:
        # Length control: decoder dimension 0 carries only the position (a learned position encoding ramping
        # with the step; embeddings and every residual write leave it alone) and the </s> logit reads it, so
        # </s> becomes likelier step by step and outputs end after a content-dependent handful of tokens
        # instead of looping to the decoding limit as random weights otherwise tend to.
        positions = np.zeros((1024, d), dtype=np.float32)
        positions[:, 0] = np.arange(1024, dtype=np.float32) * eos_ramp
        decoder.position_encodings.encodings = positions
        decoder.embeddings.weight[:, 0] = 0.0
        decoder.projection.weight[EOS_INDEX] = 0.0
        decoder.projection.weight[EOS_INDEX, 0] = 3.0
    for layer in decoder.layer:
        set_norm(layer.self_attention.layer_norm)
        set_linear(layer.self_attention.linear[0], 3 * d, d)
        set_linear(layer.self_attention.linear[1], d, d)
        set_norm(layer.attention.layer_norm)
        set_linear(layer.attention.linear[0], d, d)
        set_linear(layer.attention.linear[1], 2 * d, d)
        set_linear(layer.attention.linear[2], d, d)
        set_ffn(layer.ffn)
        if eos_ramp is not None:
            for linear in (layer.self_attention.linear[1], layer.attention.linear[2], layer.ffn.linear_1):
                linear.weight[0] = 0.0
                linear.bias[0] = 0.0

    spec.register_source_vocabulary(list(vocab))
    spec.register_target_vocabulary(list(vocab))
    spec.validate()
    if (
        quantization is not None
    ):  # stored as Argos ships its packages (int8), converted like ct2 converters do
        spec.optimize(quantization=quantization)
    directory.mkdir(parents=True, exist_ok=True)
    spec.save(str(directory))


def package_folder_name(from_code: str, to_code: str, package_version: str) -> str:
    return f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"


def build_package_dir(
    parent: Path,
    from_code: str,
    to_code: str,
    *,
    texts: Sequence[str] | None = None,
    package_version: str = "1.0",
    rng_seed: int = 0,
    layers: tuple[int, int] = (1, 1),
    heads: int = 2,
    d_model: int = 32,
    ffn: int = 64,
    scale: float | None = None,
    eos_bias: float = 1.5,
    eos_ramp: float | None = None,
    vocab_size: int = 300,
    pad_vocab_to: int | None = None,
    target_prefix: str | None = None,
    metadata_overrides: dict[str, object] | None = None,
    folder_name: str | None = None,
    quantization: str | None = None,
) -> Path:
    """Build an unzipped Argos package folder under ``parent`` and return its path.

    ``texts`` trains the SentencePiece model (defaults to the seed text of ``from_code``). ``pad_vocab_to`` adds
    never-emitted dummy entries so the output layer has a realistic size (benchmarks). ``target_prefix`` is
    written to metadata.json like the multilingual Argos packages do; it must be a vocabulary token.
    ``quantization="int8"`` stores the weights as int8, as real Argos packages are.
    """
    folder = parent / (folder_name or package_folder_name(from_code, to_code, package_version))
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    sp_model = train_sentencepiece(
        texts if texts is not None else [seed_text(from_code)], folder / "sentencepiece.model", vocab_size
    )
    vocab = vocabulary_from_sentencepiece(sp_model)
    emitted = len(vocab)
    if target_prefix is not None and target_prefix not in vocab:
        vocab.append(target_prefix)
        emitted = len(vocab)
    if pad_vocab_to is not None:
        vocab.extend(f"<extra_{i}>" for i in range(max(0, pad_vocab_to - len(vocab))))
    _build_model(
        folder / "model",
        vocab,
        rng_seed=rng_seed,
        layers=layers,
        heads=heads,
        d_model=d_model,
        ffn=ffn,
        scale=scale,
        eos_bias=eos_bias,
        emitted=emitted,
        eos_ramp=eos_ramp,
        quantization=quantization,
    )
    metadata: dict[str, object] = {
        "package_version": package_version,
        "argos_version": "1.11.0",
        "from_code": from_code,
        "from_name": LANGUAGE_NAMES.get(from_code, from_code),
        "to_code": to_code,
        "to_name": LANGUAGE_NAMES.get(to_code, to_code),
        "type": "translate",
        "code": f"translate-{from_code}_{to_code}",
    }
    if target_prefix is not None:
        metadata["target_prefix"] = target_prefix
    metadata.update(metadata_overrides or {})
    (folder / "metadata.json").write_text(
        json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    (folder / "README.md").write_text(
        f"Tiny random test model {from_code}→{to_code} (seed {rng_seed}).\n", encoding="utf-8"
    )
    return folder


def zip_folder(folder: Path, archive: Path) -> Path:
    """Zip ``folder`` with its top-level name inside the archive (as Argos packages are)."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(folder, folder.name + "/")
        for path in sorted(folder.rglob("*")):
            arcname = path.relative_to(folder.parent).as_posix()
            zf.write(path, arcname + ("/" if path.is_dir() else ""))
    return archive


def build_package(out_dir: Path, from_code: str, to_code: str, **options: object) -> Path:
    """Build a package and zip it to ``out_dir/<folder>.argosmodel``; returns the archive path."""
    staging = out_dir / ".staging"
    staging.mkdir(parents=True, exist_ok=True)
    folder = build_package_dir(staging, from_code, to_code, **options)  # type: ignore[arg-type]
    archive = zip_folder(folder, out_dir / f"{folder.name}.argosmodel")
    shutil.rmtree(folder)
    return archive


#: The packages the test-suite uses: name -> (from, to, build options). Different RNG seeds give different
#: outputs; ``fa_en_v2`` is a newer version of ``fa_en`` (upgrade tests); ``az_en`` carries a target prefix;
#: ``fa_en_int8``/``ar_en_int8`` are stored as int8, as real Argos packages are.
TEST_PACKAGES: dict[str, tuple[str, str, dict[str, object]]] = {
    "fa_en": ("fa", "en", {"rng_seed": 11, "package_version": "1.0"}),
    "fa_en_v2": ("fa", "en", {"rng_seed": 12, "package_version": "1.1"}),
    "ar_en": ("ar", "en", {"rng_seed": 13}),
    "tr_en": ("tr", "en", {"rng_seed": 14}),
    "az_en": ("az", "en", {"rng_seed": 15, "target_prefix": "<2en>"}),
    "en_de": ("en", "de", {"rng_seed": 16}),
    "fa_en_int8": ("fa", "en", {"rng_seed": 17, "package_version": "1.2", "quantization": "int8"}),
    "ar_en_int8": ("ar", "en", {"rng_seed": 18, "package_version": "1.2", "quantization": "int8"}),
}
#: With the recipe's constant </s> bias, random weights mostly either stop at once or loop to the 256-token
#: decoding limit; a position-driven </s> logit (``eos_ramp``) gives varied outputs of ~12-25 tokens instead.
TEST_LENGTH_CONTROL: dict[str, float] = {"eos_bias": -2.0, "eos_ramp": 0.2}


def build_test_packages(out_dir: Path) -> dict[str, Path]:
    """Build every package of :data:`TEST_PACKAGES` as ``.argosmodel`` archives in ``out_dir``."""
    archives: dict[str, Path] = {}
    for name, (from_code, to_code, options) in TEST_PACKAGES.items():
        target = out_dir / name
        target.mkdir(parents=True, exist_ok=True)
        archives[name] = build_package(target, from_code, to_code, **TEST_LENGTH_CONTROL, **options)
    return archives


def reference_hypothesis(
    package_dir: Path, sentence: str, *, compute_type: str, beam_size: int = 4
) -> tuple[list[str], str]:
    """Translate one sentence alone exactly as ``argostranslate.translate.apply_packaged_translation`` does;
    returns the hypothesis tokens and the final text.

    Independent of Yanyana's engine: Argos's own tokenizer class (``argostranslate.tokenizer``, which imports
    nothing but sentencepiece), the package's metadata.json, one ``translate_batch`` call with Argos's
    options (``num_hypotheses=1`` as ``ITranslation.translate`` asks), Argos's decode, target-prefix removal and
    leading-space strip.
    """
    import ctranslate2
    from argostranslate.tokenizer import SentencePieceTokenizer

    tokenizer = SentencePieceTokenizer(package_dir / "sentencepiece.model")
    metadata = json.loads((package_dir / "metadata.json").read_text(encoding="utf-8"))
    prefix: str = metadata.get("target_prefix", "")
    key = (str(package_dir), (package_dir / "model" / "model.bin").stat().st_mtime_ns, compute_type)
    translator = _reference_translators.get(key)
    if translator is None:
        translator = ctranslate2.Translator(
            str(package_dir / "model"), device="cpu", compute_type=compute_type
        )
        _reference_translators[key] = translator
    tokens = tokenizer.encode(sentence)
    target_prefix = [[prefix]] if prefix != "" else None
    result = translator.translate_batch(  # type: ignore[attr-defined]
        [tokens],
        target_prefix=target_prefix,
        replace_unknowns=True,
        max_batch_size=32,
        batch_type="tokens",
        beam_size=max(1, beam_size),
        num_hypotheses=1,
        length_penalty=0.2,
        return_scores=True,
    )
    hypothesis: list[str] = result[0].hypotheses[0]
    value = tokenizer.decode(hypothesis)
    if prefix != "" and value.startswith(prefix):
        value = value[len(prefix) :]
    if len(value) > 0 and value[0] == " ":
        value = value[1:]
    return hypothesis, value


def reference_translate(package_dir: Path, sentence: str, *, compute_type: str, beam_size: int = 4) -> str:
    """The text of :func:`reference_hypothesis`: what Argos gives for this sentence translated alone."""
    return reference_hypothesis(package_dir, sentence, compute_type=compute_type, beam_size=beam_size)[1]


_reference_translators: dict[tuple[str, int, str], object] = {}
