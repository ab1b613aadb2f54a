"""The reading view, split the way novelWriter splits its editor (see docs/design.md, "Window code map").

- :mod:`.document`: plain data — ReaderDocument (paragraphs, sentences), Highlight/HighlightPiece, SelectionTarget;
- :mod:`.text_view`: the QTextEdit that turns mouse and keys into signals;
- :mod:`.layout`: the row layout (one QTextTable per row, built progressively, translations flushed in);
- :mod:`.positions`: the position index (document positions ↔ sentences and text offsets);
- :mod:`.selections`: what is painted over the text (highlights, find matches, hover, current, flashes);
- :mod:`.find_bar`: the find bar and its matches; :mod:`.banner`: the missing-model banner;
- :mod:`.view`: :class:`ReaderView`, the façade that composes them.
"""

from reader.ui.reader.banner import ModelBanner
from reader.ui.reader.document import (
    Highlight,
    HighlightPiece,
    ReaderDocument,
    SelectionTarget,
    ViewParagraph,
    ViewSentence,
    direction_of,
)
from reader.ui.reader.find_bar import FindBar, find_in_document
from reader.ui.reader.layout import GUTTER, PARAGRAPH_GAP, PENDING_MARK, STOPPED_MARK
from reader.ui.reader.view import ReaderView

__all__ = [
    "GUTTER",
    "PARAGRAPH_GAP",
    "PENDING_MARK",
    "STOPPED_MARK",
    "FindBar",
    "Highlight",
    "HighlightPiece",
    "ModelBanner",
    "ReaderDocument",
    "ReaderView",
    "SelectionTarget",
    "ViewParagraph",
    "ViewSentence",
    "direction_of",
    "find_in_document",
]
