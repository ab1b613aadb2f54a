"""What the reader view shows, as plain data: the document (paragraphs, sentences) and the highlights to paint.

Built off the GUI thread from library rows; nothing here touches a widget.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from reader.languages import direction_of_language


@lru_cache(maxsize=256)
def direction_of(lang: str) -> str:
    return direction_of_language(lang)


class ParagraphLike(Protocol):
    """A library paragraph row (``reader.core.store.library.ParagraphRow`` or a test's stand-in)."""

    @property
    def index(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def lang(self) -> str: ...


class SegmentLike(Protocol):
    """A library segment row (``reader.core.store.library.SegmentRow``)."""

    @property
    def paragraph(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


@dataclass(frozen=True)
class ViewSentence:
    index: int
    paragraph: int  # position in ReaderDocument.paragraphs
    start: int
    end: int


@dataclass(frozen=True)
class ViewParagraph:
    index: int
    start: int
    end: int
    lang: str
    direction: str
    sentences: tuple[int, ...]  # indices into ReaderDocument.sentences
    page: int | None = None  # the page of a paged source (PDF) the paragraph starts on
    kind: str | None = None  # "heading", "paragraph" or "note" where the file says (DOCX, ODT, EPUB)
    level: int | None = None  # a heading's level (1 = top)


@dataclass
class ReaderDocument:
    """Everything the view needs to show one document; built off the GUI thread from library rows."""

    doc_id: int
    title: str
    lang: str
    direction: str
    text: str
    paragraphs: list[ViewParagraph]
    sentences: list[ViewSentence]
    target_lang: str = "en"

    @classmethod
    def build(
        cls,
        doc_id: int,
        title: str,
        lang: str,
        direction: str,
        text: str,
        paragraphs: Iterable[ParagraphLike],
        segments: Iterable[SegmentLike],
        target_lang: str = "en",
    ) -> ReaderDocument:
        """From library rows (``ParagraphRow``/``SegmentRow``-like objects with index/start/end/…)."""
        para_rows = sorted(paragraphs, key=lambda p: p.start)
        seg_rows = sorted(segments, key=lambda s: s.start)
        by_para: dict[int, list[int]] = {}
        para_pos = {p.index: i for i, p in enumerate(para_rows)}
        starts = [p.start for p in para_rows]
        sentences: list[ViewSentence] = []
        for seg in seg_rows:
            pos = para_pos.get(seg.paragraph)
            if pos is None:  # a segment without a known paragraph: the paragraph that contains it
                pos = max(0, bisect.bisect_right(starts, seg.start) - 1)
            sentence = ViewSentence(len(sentences), pos, seg.start, seg.end)
            by_para.setdefault(pos, []).append(sentence.index)
            sentences.append(sentence)
        view_paras = []
        for i, p in enumerate(para_rows):
            p_lang = p.lang or lang
            # a direction the file declares for the paragraph wins over its language's default
            declared = getattr(p, "direction", None)
            view_paras.append(
                ViewParagraph(
                    i, p.start, p.end, p_lang,
                    declared if declared in ("ltr", "rtl") else direction_of(p_lang),
                    tuple(by_para.get(i, ())),
                    getattr(p, "page", None), getattr(p, "kind", None), getattr(p, "level", None),
                )
            )  # fmt: skip
        return cls(doc_id, title, lang, direction, text, view_paras, sentences, target_lang)

    def sentence_text(self, index: int) -> str:
        s = self.sentences[index]
        return self.text[s.start : s.end]

    def sentence_texts(self) -> list[str]:
        return [self.text[s.start : s.end] for s in self.sentences]

    def sentence_languages(self) -> list[str]:
        """Each sentence's paragraph language (a quote in the target language is not translated)."""
        return [self.paragraphs[s.paragraph].lang for s in self.sentences]

    def page_starts(self) -> list[tuple[int, int]]:
        """(paragraph, page) for each paragraph that starts a new page of a paged source; empty otherwise."""
        out: list[tuple[int, int]] = []
        previous: int | None = None
        for para in self.paragraphs:
            if para.page is not None and para.page != previous:
                out.append((para.index, para.page))
            previous = para.page if para.page is not None else previous
        return out

    def has_headings(self) -> bool:
        """Whether the file marked headings (then those are shown as headings, not a guessed headline)."""
        return any(para.kind == "heading" for para in self.paragraphs)

    def paragraph_text(self, index: int) -> str:
        p = self.paragraphs[index]
        return self.text[p.start : p.end]


@dataclass(frozen=True)
class HighlightPiece:
    """A range to paint, in text coordinates that survive re-layout (swap, interlinear, streaming, zoom).

    ``side == "original"``: ``start``/``end`` are offsets into the document text. ``side == "translation"``:
    offsets into sentence ``segment``'s translation as :class:`reader.core.store.annotations.TranslationText` holds it
    (stripped); ``end=None`` means to the end of that translation (a paired sentence)."""

    side: str
    start: int
    end: int | None
    segment: int | None = None


@dataclass(frozen=True)
class Highlight:
    """One annotation's ranges on one side: ``kind`` "own" (full colour) or "paired" (the lighter shade)."""

    ann_id: int
    color: str  # "#RRGGBB"
    kind: str
    pieces: tuple[HighlightPiece, ...]


@dataclass(frozen=True)
class SelectionTarget:
    """The user's selection in text coordinates (the logical range, whichever way it was dragged).

    Original side: ``start``/``end`` are offsets into the document text. Translation side: ``start`` is an
    offset inside sentence ``start_segment``'s translation, ``end`` inside ``end_segment``'s (stripped text)."""

    side: str
    start: int
    end: int
    start_segment: int | None = None
    end_segment: int | None = None
    text: str = ""
