"""What a workbook looks like on paper, computed from its page setup as a printer applies it."""

from __future__ import annotations

import re

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
