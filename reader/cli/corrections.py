"""``yanyana correct``, ``corrections`` and ``alternatives``: human corrections of machine translations."""

from __future__ import annotations

import argparse
from typing import Any

from reader.cli.common import UserError, open_library, print_json


def _segment(lib: Any, doc_id: str, segment: int) -> tuple[Any, Any]:
    from reader.translation.documents import DocumentSentences

    sentences = DocumentSentences.read(lib, doc_id)
    if not 0 <= segment < len(sentences.texts):
        raise UserError(
            f"Document {sentences.document.id} has no sentence {segment} "
            f"(it has {len(sentences.texts)}, numbered from 0)."
        )
    return sentences, sentences.texts[segment]


def cmd_correct(args: argparse.Namespace) -> int:
    from reader.core.store.corrections import Corrections

    lib = open_library()
    sentences, _ = _segment(lib, args.doc, args.segment)
    store = Corrections(lib)
    if args.revert:
        if args.text is not None:
            raise UserError("Give either a corrected TEXT or --revert, not both.")
        removed = store.revert(sentences.document.id, args.segment, args.to)
        if args.json:
            print_json({"reverted": removed.record()})
        else:
            print(f"reverted {removed.document}:{removed.segment} to the machine translation")
        return 0
    if args.text is None:
        raise UserError("Give the corrected TEXT, or --revert to go back to the machine translation.")
    corr = _store_correction(lib, sentences, args.segment, args.text, args.to, args.author)
    if args.json:
        print_json(corr.record())
    else:
        _print_corrected(corr)
    return 0


def _store_correction(lib: Any, sentences: Any, segment: int, text: str, to: str, author: str | None) -> Any:
    """Store ``text`` as the segment's human translation, keeping the machine translation it replaces (the one
    the memory or the search index knows; a correction edited again keeps the one it first replaced)."""
    from reader.core.store.corrections import Corrections
    from reader.translation.documents import cache_engine, document_translations

    with cache_engine() as engine:
        known = document_translations(lib, engine, sentences, to)
    previous = known.corrections.get(segment)
    machine = previous.machine if previous is not None else known.machine.get(segment)
    model = previous.model if previous is not None else known.model_id
    return Corrections(lib).set(
        sentences.document.id, segment, text, target_lang=to, machine=machine, model=model, author=author
    )


def _print_corrected(corr: Any) -> None:
    print(f"corrected {corr.document}:{corr.segment} ({corr.author})\t{corr.text}")


def cmd_corrections(args: argparse.Namespace) -> int:
    from reader.core.store.corrections import Corrections

    lib = open_library()
    doc_id = lib.get(args.doc).id if args.doc is not None else None
    found = Corrections(lib).find(doc_id, orphaned=True if args.orphans else None)
    if args.json:
        print_json([c.record() for c in found])
    else:
        for c in found:
            flag = "\torphan" if c.orphaned else ""
            print(f"{c.document}:{c.segment}\t{c.target_lang}\t{c.author}\t{c.text}{flag}")
    return 0


def cmd_alternatives(args: argparse.Namespace) -> int:
    from reader.translation.engine import Engine

    if args.author is not None and args.choose is None:
        raise UserError("--author names who made a correction, so it goes with --choose K.")
    if args.choose is not None and args.choose < 1:
        raise UserError("Alternatives are numbered from 1: give --choose 1 for the best one.")
    lib = open_library()
    sentences, text = _segment(lib, args.doc, args.segment)
    from_code = sentences.languages[args.segment] or sentences.document.lang
    engine = Engine()
    try:
        found = engine.alternatives(text, from_code, args.to, n=args.n)
    finally:
        engine.close()
    if args.choose is not None:
        return _choose(args, lib, sentences, text, found)
    if args.json:
        print_json(_alternatives_record(sentences, args.segment, text, found))
    else:
        for rank, a in enumerate(found, 1):
            score = "" if a.score is None else f"{a.score:.4f}"
            print(f"{rank}\t{score}\t{a.text}")
    return 0


def _alternatives_record(sentences: Any, segment: int, text: str, found: list[Any]) -> dict[str, Any]:
    return {
        "document": sentences.document.id,
        "segment": segment,
        "source": text,
        "alternatives": [{"text": a.text, "score": a.score} for a in found],
    }


def _choose(args: argparse.Namespace, lib: Any, sentences: Any, text: str, found: list[Any]) -> int:
    """``alternatives --choose K``: alternative K (numbered from 1, as listed) becomes the segment's correction."""
    if args.choose > len(found):
        raise UserError(
            f"Sentence {args.segment} has {len(found)} alternative{'s' if len(found) != 1 else ''} "
            f"(numbered from 1), so there is no alternative {args.choose}."
        )
    chosen = found[args.choose - 1]
    corr = _store_correction(lib, sentences, args.segment, chosen.text, args.to, args.author)
    if args.json:
        record = _alternatives_record(sentences, args.segment, text, found)
        record["chosen"] = args.choose
        record["correction"] = corr.record()
        print_json(record)
    else:
        _print_corrected(corr)
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("correct", help="correct a sentence's translation (or --revert to the machine's)")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("segment", metavar="SEGMENT", type=int, help="sentence number (from 0, as in `show`)")
    p.add_argument("text", metavar="TEXT", nargs="?")
    p.add_argument("--revert", action="store_true", help="remove the correction")
    p.add_argument("--to", default="en", metavar="CODE")
    p.add_argument("--author", metavar="NAME", help="default: this installation's author name")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_correct)

    p = sub.add_parser("corrections", help="list translation corrections (of one document)")
    p.add_argument("doc", metavar="DOC", nargs="?")
    p.add_argument("--orphans", action="store_true", help="only corrections whose sentence is gone")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_corrections)

    p = sub.add_parser("alternatives", help="the n best translations of one sentence, with scores")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("segment", metavar="SEGMENT", type=int)
    p.add_argument("--n", type=int, default=None, metavar="N", help="how many (at most the beam size)")
    p.add_argument("--to", default="en", metavar="CODE")
    p.add_argument(
        "--choose",
        type=int,
        default=None,
        metavar="K",
        help="store alternative K (numbered from 1, as listed) as the sentence's correction",
    )
    p.add_argument("--author", metavar="NAME", help="with --choose; default: this installation's author name")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_alternatives)
