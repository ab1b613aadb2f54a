"""What the reader view shows, as plain data: the document (paragraphs, sentences) and the highlights to paint.

Built off the GUI thread from library rows; nothing here touches a widget. A document's paragraphs and
sentences are columns of integers (:class:`SentenceTable`, :class:`ParagraphTable`), not an object per row:
a 48 MB article has 320,000 sentences, and one frozen dataclass each cost a second to build and ~100 MB.
Indexing a table makes the row object on demand.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, Protocol, TypeVar, overload

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


class ParagraphColumnsLike(Protocol):
    """``reader.core.store.library.ParagraphColumns``: a document's paragraphs as columns, in index order."""

    @property
    def index(self) -> Sequence[int]: ...
    @property
    def start(self) -> array[int]: ...
    @property
    def end(self) -> array[int]: ...
    @property
    def lang(self) -> list[str]: ...
    @property
    def page(self) -> list[int | None]: ...
    @property
    def kind(self) -> list[str | None]: ...
    @property
    def level(self) -> list[int | None]: ...
    @property
    def direction(self) -> list[str | None]: ...
    def rows(self) -> Sequence[ParagraphLike]: ...


class SegmentColumnsLike(Protocol):
    """``reader.core.store.library.SegmentColumns``: a document's segments as columns, in index order."""

    @property
    def paragraph(self) -> array[int]: ...
    @property
    def start(self) -> array[int]: ...
    @property
    def end(self) -> array[int]: ...
    def rows(self) -> Sequence[SegmentLike]: ...


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


T = TypeVar("T")
_V = TypeVar("_V")


class _Table(Sequence[T], Generic[T]):
    """A read-only sequence whose items are made on demand from columns."""

    def _make(self, index: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._make(i) for i in range(*index.indices(len(self)))]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(index)
        return self._make(index)

    def __iter__(self) -> Iterator[T]:
        return (self._make(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))


class SentenceTable(_Table[ViewSentence]):
    """The sentences of a document, in text order, as columns (paragraph position, start, end)."""

    def __init__(self, paragraph: array[int], start: array[int], end: array[int]) -> None:
        self.paragraph, self.start, self.end = paragraph, start, end

    def __len__(self) -> int:
        return len(self.start)

    def _make(self, index: int) -> ViewSentence:
        return ViewSentence(index, self.paragraph[index], self.start[index], self.end[index])


class ParagraphTable(_Table[ViewParagraph]):
    """The paragraphs of a document, in text order, as columns; paragraph ``i`` holds the sentences
    ``first[i]`` to ``first[i + 1]`` (sentences are in text order, so each paragraph's are contiguous)."""

    def __init__(
        self,
        start: array[int],
        end: array[int],
        langs: list[str],
        first: array[int],
        pages: list[int | None] | None = None,
        kinds: list[str | None] | None = None,
        levels: list[int | None] | None = None,
        directions: list[str | None] | None = None,
    ) -> None:
        """``pages``, ``kinds``, ``levels``, ``directions``: None when no paragraph has one."""
        self.start, self.end, self.langs, self.first, self.pages = start, end, langs, first, pages
        self.kinds, self.levels, self.directions = kinds, levels, directions

    def __len__(self) -> int:
        return len(self.start)

    def _make(self, index: int) -> ViewParagraph:
        lang = self.langs[index]
        # a direction the file declares for the paragraph wins over its language's default
        declared = self.directions[index] if self.directions is not None else None
        return ViewParagraph(
            index, self.start[index], self.end[index], lang,
            declared if declared in ("ltr", "rtl") else direction_of(lang),
            tuple(range(self.first[index], self.first[index + 1])),
            self.pages[index] if self.pages is not None else None,
            self.kinds[index] if self.kinds is not None else None,
            self.levels[index] if self.levels is not None else None,
        )  # fmt: skip


def _ascending(values: array[int]) -> bool:
    """Whether ``values`` never decrease (a sort of sorted data is one linear pass, in C)."""
    return array("q", sorted(values)) == values


class RowPlan:
    """What each row of the view shows, for a document made by :meth:`ReaderDocument.from_columns`, without a
    list per row: a row is a paragraph (``interlinear``: a sentence, in order, since each paragraph's sentences
    are contiguous). ``rows[r]`` is (paragraph, sentence or None), ``row_sentences[r]`` the sentences of row
    ``r``, ``row_of_sentence[s]`` the row of sentence ``s`` — the shapes of RowLayout's lists."""

    def __init__(self, paragraphs: ParagraphTable, sentences: SentenceTable, interlinear: bool) -> None:
        self.rows: Sequence[tuple[int, int | None]]
        self.row_sentences: Sequence[Sequence[int]]
        self.row_of_sentence: Sequence[int]
        if interlinear:
            self.rows = _InterlinearRows(sentences.paragraph)
            self.row_sentences = _OneEach(len(sentences))
            self.row_of_sentence = range(len(sentences))
        else:
            self.rows = _ParagraphRows(len(paragraphs))
            self.row_sentences = _FirstRanges(paragraphs.first)
            self.row_of_sentence = sentences.paragraph


class _ParagraphRows(_Table[tuple[int, int | None]]):
    def __init__(self, count: int) -> None:
        self.size = count

    def __len__(self) -> int:
        return self.size

    def _make(self, index: int) -> tuple[int, int | None]:
        return (index, None)


class _InterlinearRows(_Table[tuple[int, int | None]]):
    def __init__(self, paragraph: array[int]) -> None:
        self.paragraph = paragraph

    def __len__(self) -> int:
        return len(self.paragraph)

    def _make(self, index: int) -> tuple[int, int | None]:
        return (self.paragraph[index], index)


class _OneEach(_Table[Sequence[int]]):
    def __init__(self, count: int) -> None:
        self.size = count

    def __len__(self) -> int:
        return self.size

    def _make(self, index: int) -> Sequence[int]:
        return [index]


class _FirstRanges(_Table[Sequence[int]]):
    def __init__(self, first: array[int]) -> None:
        self.first = first

    def __len__(self) -> int:
        return len(self.first) - 1

    def _make(self, index: int) -> Sequence[int]:
        return range(self.first[index], self.first[index + 1])


@dataclass
class ReaderDocument:
    """Everything the view needs to show one document; built off the GUI thread from library rows."""

    doc_id: int
    title: str
    lang: str
    direction: str
    text: str
    paragraphs: Sequence[ViewParagraph]
    sentences: Sequence[ViewSentence]
    target_lang: str = "en"

    @classmethod
    def from_columns(
        cls,
        doc_id: int,
        title: str,
        lang: str,
        direction: str,
        text: str,
        paragraphs: ParagraphColumnsLike,
        segments: SegmentColumnsLike,
        target_lang: str = "en",
    ) -> ReaderDocument:
        """From the library's columns (``Library.paragraph_columns``/``segment_columns``: both in index order,
        which is text order). Falls back to :meth:`build` if the rows are not in text order."""
        p_start, s_start, s_para = paragraphs.start, segments.start, segments.paragraph
        n_paras, n_sentences = len(p_start), len(s_start)
        if array("q", paragraphs.index) == array("q", range(n_paras)):
            para_of = array("q", s_para)  # the usual case: paragraph index = position
        else:
            positions = {index: i for i, index in enumerate(paragraphs.index)}
            para_of = array("q", (positions.get(p, -1) for p in s_para))
        in_order = (
            _ascending(p_start)
            and _ascending(s_start)
            and _ascending(para_of)
            and (not n_sentences or (para_of[0] >= 0 and para_of[-1] < n_paras))
        )
        if not in_order:  # not text order, or a segment of an unknown paragraph: the general way
            return cls.build(
                doc_id, title, lang, direction, text, paragraphs.rows(), segments.rows(), target_lang
            )
        # first[i]: paragraph i's first sentence (each paragraph's sentences are contiguous)
        first = array("q", (bisect.bisect_left(para_of, i) for i in range(n_paras)))
        first.append(n_sentences)
        langs = [p or lang for p in paragraphs.lang]

        def given(values: list[_V]) -> list[_V] | None:
            return values if any(v is not None for v in values) else None

        table = ParagraphTable(
            paragraphs.start, paragraphs.end, langs, first, given(paragraphs.page), given(paragraphs.kind),
            given(paragraphs.level), given(paragraphs.direction),
        )  # fmt: skip
        return cls(
            doc_id, title, lang, direction, text,
            table,
            SentenceTable(para_of, segments.start, segments.end),
            target_lang,
        )  # fmt: skip

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

    def sentence_languages(self, indexes: Iterable[int] | None = None) -> list[str]:
        """Each sentence's paragraph language (a quote in the target language is not translated); of the
        sentences ``indexes`` only, if given."""
        paras, sents = self.paragraphs, self.sentences
        if isinstance(paras, ParagraphTable) and isinstance(sents, SentenceTable):
            langs, of = paras.langs, sents.paragraph
            return [langs[of[i]] for i in (range(len(of)) if indexes is None else indexes)]
        chosen = sents if indexes is None else [sents[i] for i in indexes]
        return [paras[s.paragraph].lang for s in chosen]

    def row_plan(self, interlinear: bool) -> RowPlan | None:
        """The rows of the view as :class:`RowPlan` (None for a document built from row objects)."""
        if isinstance(self.paragraphs, ParagraphTable) and isinstance(self.sentences, SentenceTable):
            return RowPlan(self.paragraphs, self.sentences, interlinear)
        return None

    def sentence_range(self, paragraph: int) -> range:
        """The sentences of paragraph ``paragraph`` (contiguous, in text order)."""
        paras = self.paragraphs
        if isinstance(paras, ParagraphTable):
            return range(paras.first[paragraph], paras.first[paragraph + 1])
        found = paras[paragraph].sentences
        return range(found[0], found[-1] + 1) if found else range(0)

    def paragraph_at(self, offset: int) -> int:
        """Where to start looking for the paragraphs at text offset ``offset``: the last paragraph that ends at
        or before it (0 if none); the paragraphs after it in order are those reaching past ``offset``."""
        paras = self.paragraphs
        ends: Sequence[int] = paras.end if isinstance(paras, ParagraphTable) else [p.end for p in paras]
        return max(0, bisect.bisect_right(ends, offset) - 1)

    def page_starts(self) -> list[tuple[int, int]]:
        """(paragraph, page) for each paragraph that starts a new page of a paged source; empty otherwise."""
        if isinstance(self.paragraphs, ParagraphTable) and self.paragraphs.pages is None:
            return []
        out: list[tuple[int, int]] = []
        previous: int | None = None
        for para in self.paragraphs:
            if para.page is not None and para.page != previous:
                out.append((para.index, para.page))
            previous = para.page if para.page is not None else previous
        return out

    def has_headings(self) -> bool:
        """Whether the file marked headings (then those are shown as headings, not a guessed headline)."""
        if isinstance(self.paragraphs, ParagraphTable):  # no row objects for a large document
            return self.paragraphs.kinds is not None and "heading" in self.paragraphs.kinds
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
