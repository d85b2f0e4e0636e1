"""What a workbook looks like on paper, computed from its page setup as a printer applies it."""

from __future__ import annotations

import re
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fanpin_docs.printing import fit_scale


def paper_columns(ws: Worksheet) -> int:
    """How many columns go on paper: the print area's, else every column used."""
    area = ws.print_area
    if not area:
        return ws.max_column
    text = area[0] if isinstance(area, list) else area
    last = re.search(r"\$?([A-Z]+)\$?\d+$", text.split("!")[-1])
    assert last, text
    return column_index_from_string(last.group(1))


def printed_scale(ws: Worksheet) -> int:
    """The percent a printer scales the sheet by: one page wide scales the paper columns to the page
    width (never enlarging); otherwise the stated scale (100 when none)."""
    setup = ws.sheet_properties.pageSetUpPr
    if setup is not None and setup.fitToPage:
        assert ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0
        widths = [
            ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, paper_columns(ws) + 1)
        ]
        return fit_scale(widths, landscape=ws.page_setup.orientation == "landscape")
    return int(ws.page_setup.scale or 100)


def smallest_font(ws: Worksheet) -> float:
    """The smallest font size of any text cell on paper."""
    columns = paper_columns(ws)
    sizes = [
        float(cell.font.sz)
        for row in ws.iter_rows(max_col=columns)
        for cell in row
        if cell.value not in (None, "")
    ]
    assert sizes, ws.title
    return min(sizes)


def footer_room(ws: Worksheet) -> float:
    """Inches left between the footer's text (11 pt scaled, with its line spacing) and the bottom
    margin's edge; negative when the footer is cut."""
    margins = ws.page_margins
    footer_text = 11 * 1.3 * printed_scale(ws) / 100 / 72
    return float(margins.bottom) - float(margins.footer) - footer_text


def clipped_text(page: Any, tolerance: float = 0.5) -> list[str]:
    """The text on a PDF page that its clip cuts: each run of characters drawn partly or wholly outside
    the clip in force (a cell's edges, in LibreOffice's PDFs), as 「text」 with the character's box
    and the clip in millimetres. A character's box is its advance across and the font's ascender to
    descender up and down, as PyMuPDF's spans measure it."""
    from pymupdf import mupdf

    class ClipTracker(mupdf.FzDevice2):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            for name in (
                "fill_text",
                "stroke_text",
                "clip_path",
                "clip_stroke_path",
                "clip_text",
                "clip_stroke_text",
                "clip_image_mask",
                "pop_clip",
            ):
                getattr(self, f"use_virtual_{name}")()
            self.clips = [mupdf.FzRect(mupdf.FzRect.Fixed_INFINITE)]
            self.cut: list[tuple[str, Any, Any]] = []

        def _push(self, rect: Any) -> None:
            self.clips.append(mupdf.fz_intersect_rect(self.clips[-1], mupdf.FzRect(rect)))

        def clip_path(self, ctx: Any, path: Any, even_odd: Any, ctm: Any, scissor: Any) -> None:
            self._push(mupdf.ll_fz_bound_path(path, None, ctm))

        def clip_stroke_path(self, ctx: Any, path: Any, stroke: Any, ctm: Any, scissor: Any) -> None:
            self._push(mupdf.ll_fz_bound_path(path, stroke, ctm))

        def clip_text(self, ctx: Any, text: Any, ctm: Any, scissor: Any) -> None:
            self._push(mupdf.ll_fz_bound_text(text, None, ctm))

        def clip_stroke_text(self, ctx: Any, text: Any, stroke: Any, ctm: Any, scissor: Any) -> None:
            self._push(mupdf.ll_fz_bound_text(text, stroke, ctm))

        def clip_image_mask(self, ctx: Any, image: Any, ctm: Any, scissor: Any) -> None:
            self._push(mupdf.ll_fz_transform_rect(mupdf.FzRect(0, 0, 1, 1).internal(), ctm))

        def pop_clip(self, ctx: Any) -> None:
            self.clips.pop()

        def fill_text(self, ctx: Any, text: Any, ctm: Any, *rest: Any) -> None:
            self._text(text, ctm)

        def stroke_text(self, ctx: Any, text: Any, stroke: Any, ctm: Any, *rest: Any) -> None:
            self._text(text, ctm)

        def _text(self, text: Any, ctm: Any) -> None:
            clip, to_page = self.clips[-1], mupdf.FzMatrix(ctm)
            raw = text.head
            while raw:
                span = mupdf.FzTextSpan(raw)
                font, trm = span.font(), mupdf.FzMatrix(raw.trm)
                ascender, descender = mupdf.fz_font_ascender(font), mupdf.fz_font_descender(font)
                for index in range(raw.len):
                    item = span.items(index)
                    if item.ucs <= 32 or item.gid < 0:
                        continue
                    advance = mupdf.fz_advance_glyph(font, item.gid, 0)
                    at = mupdf.FzMatrix(trm.a, trm.b, trm.c, trm.d, item.x, item.y)
                    box = mupdf.fz_transform_rect(
                        mupdf.FzRect(0, descender, advance, ascender), mupdf.fz_concat(at, to_page)
                    )
                    if (
                        box.x0 < clip.x0 - tolerance
                        or box.y0 < clip.y0 - tolerance
                        or box.x1 > clip.x1 + tolerance
                        or box.y1 > clip.y1 + tolerance
                    ):
                        self.cut.append((chr(item.ucs), box, clip))
                raw = raw.next

    tracker = ClipTracker()
    mupdf.fz_run_page(page.this, tracker, mupdf.FzMatrix(), mupdf.FzCookie())
    mupdf.fz_close_device(tracker)
    runs: list[str] = []
    previous = None
    for character, box, clip in tracker.cut:
        where = (round(clip.x0, 1), round(clip.y0, 1), round(clip.x1, 1), round(clip.y1, 1))
        if where == previous:
            runs[-1] = runs[-1].replace("」", character + "」", 1)
            continue
        previous = where
        mm = 25.4 / 72
        runs.append(
            f"「{character}」 box {[round(v * mm, 1) for v in (box.x0, box.y0, box.x1, box.y1)]} mm,"
            f" clip {[round(v * mm, 1) for v in where]} mm"
        )
    return runs


def text_spans(page: Any) -> list[dict]:
    """Every span of printed text on a PDF page (PyMuPDF's "dict" form), blanks left out."""
    return [
        span
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
        if span["text"].strip()
    ]


def header_without_rows(page: Any) -> bool:
    """True for a page whose table header (a 「序号」 heading) has no numbered row under it."""
    spans = text_spans(page)
    heads = [s for s in spans if s["text"].strip() == "序号"]
    if not heads:
        return False
    head = heads[0]["bbox"]
    return not any(
        re.fullmatch(r"\d+", s["text"].strip()) and s["bbox"][0] < head[2] + 5 and s["bbox"][1] > head[3]
        for s in spans
    )
