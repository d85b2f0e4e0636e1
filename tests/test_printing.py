"""The page layout every form shares: readable scale, wrapping, and where the closing block breaks."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook

from fanpin_docs.printing import (
    MARGINS,
    PrintFit,
    closing_break,
    fit_scale,
    print_fit,
    readable_scale,
    row_height,
    signer,
    wrapped_lines,
)
from fanpin_docs.sheetxml import Sheet, workbook_bytes
from fanpin_docs.xlsx import put_text, setup_sheet


def test_readable_scale_keeps_9_pt() -> None:
    assert readable_scale(11) == 83 and 11 * 0.83 >= 9  # one percent above 81.8 %
    assert readable_scale(16) == 58


def test_one_page_wide_only_when_readable() -> None:
    # A4 landscape between 0.4" margins: 784 pt, 112 width units of 7 pt at 100 %
    assert fit_scale([56, 56], landscape=True) == 100
    assert print_fit([60, 60], landscape=True) == PrintFit(93, True)
    too_wide = print_fit([100, 100], landscape=True)  # 56 % would print 11 pt as 6 pt
    assert too_wide == PrintFit(83, False)


def test_footer_has_room_in_the_bottom_margin() -> None:
    assert MARGINS["bottom"] - MARGINS["footer"] >= 0.4  # 11 pt text is about 0.2"


def test_wrapped_text_gets_tall_rows() -> None:
    assert wrapped_lines("500114198305120011", 19) == 1  # an ID in a column made for it
    assert wrapped_lines("新建钢架大棚500亩，建设蓄水池2口，配套生产便道1.2公里", 13) >= 4
    assert wrapped_lines("一\n二", 10) == 2
    # LibreOffice does not break inside a number: the household number goes to a line of its own
    assert wrapped_lines("青山村 户编号 5001141090010013（户主 吕宏，配偶）", 26) == 3
    assert (
        wrapped_lines("开发村级保洁、护林、道路养护等公益性岗位，安置弱劳动力、半劳动力", 13) == 5
    )  # 7 a line
    assert row_height([("短", 10)], minimum=20) == 20.5  # one line of 14.5 pt and its padding
    assert row_height([("很长的文字" * 10, 10)], minimum=20) > 100


def _break(heights: list[float], last_table_row: int, scale: int = 100) -> int | None:
    return closing_break(
        heights, first_row=1, title_rows=(1, 2), last_table_row=last_table_row, scale=scale, landscape=True
    )


def test_the_closing_block_is_not_left_alone_on_a_last_page() -> None:
    # landscape A4 at 100 %: 494.5 pt between the margins, 50 pt of title rows on every page
    titles = [30.0, 20.0]
    rows = [40.0] * 11  # rows 3-13: 440 pt, the first page is full
    closing = [28.0, 26.0, 30.0]  # totals, amount in words, signatures: alone on page 2
    after = _break(titles + rows + closing, last_table_row=13)
    assert after == 12  # row 13 goes over with the closing block; page 1 stays as full as it can
    assert _break(titles + rows[:5] + closing, last_table_row=7) is None  # all on one page
    assert _break(titles + closing, last_table_row=2) is None  # no table rows at all


def test_a_table_ending_near_the_page_bottom_keeps_a_row_with_the_closing_block() -> None:
    """By its heights the last row starts page 2, where the closing block follows it; LibreOffice prints
    rows a little shorter and fits that row on page 1, which left page 2 with only the repeated header
    and the closing block (动态监测变化表 of 14 changes): the break keeps the last row with the block."""
    titles = [30.0, 20.0]  # at 87 %: 568.4 pt of page, 518.4 pt of room under them
    closing = [20.0, 20.0]
    rows = [43.5] * 12  # rows 3-14: 522 pt by their heights, 506.3 pt 3 % shorter
    assert _break(titles + rows + closing, last_table_row=14, scale=87) == 13
    assert _break(titles + rows[:10] + closing, last_table_row=12, scale=87) is None  # all on page 1


def test_at_full_scale_rows_print_at_their_height_and_no_break_is_made_for_shorter_ones() -> None:
    """A 花名册 of 24 trainees at 100 %: 11 rows a page by their heights, the closing block with the last
    two. Counting rows 3 % shorter (12 a page) put a break before the last row, and LibreOffice printed a
    page holding one trainee."""
    titles = [50.0, 34.0]  # 410.5 pt of room under them
    rows = [35.0] * 24  # rows 3-26
    closing = [30.0] * 3
    assert _break(titles + rows + closing, last_table_row=26) is None


def test_signature_lines() -> None:
    assert signer("制表人") == "制表人（签字）：____________"
    assert signer("审核人", "林云华") == "审核人：林云华（签字）____________"


def test_a_table_too_wide_for_one_page_goes_on_at_a_readable_scale(tmp_path: Path) -> None:
    """Both writers: no fit-to-width below 9 pt; the key columns and title rows repeat instead."""
    sheet = Sheet("宽表", 30, landscape=True, widths=[10.0] * 30, title_rows=(1, 2), key_columns=2)
    sheet.cells(1, ["标题"] + [None] * 29, ["title"] + ["default"] * 29)
    sheet.cells(2, [f"列{i}" for i in range(30)], ["header"] * 30)
    fast = tmp_path / "fast.xlsx"
    fast.write_bytes(workbook_bytes([sheet], "2024-01-01T00:00:00Z"))

    book = Workbook()
    ws = book.active
    for column in range(1, 31):
        put_text(ws.cell(row=1, column=column), f"列{column}")
    fit = setup_sheet(ws, landscape=True, title_rows="1:1", widths=[10.0] * 30, key_columns=2)
    assert fit == PrintFit(83, False)
    slow = tmp_path / "slow.xlsx"
    book.save(slow)

    for path, rows in ((fast, "$1:$2"), (slow, "$1:$1")):
        reopened = load_workbook(path).active
        assert (
            not reopened.sheet_properties.pageSetUpPr or not reopened.sheet_properties.pageSetUpPr.fitToPage
        )
        assert reopened.page_setup.scale == 83  # 11 pt prints as 9.1 pt
        assert reopened.print_title_cols == "$A:$B" and reopened.print_title_rows == rows


def test_only_the_print_area_counts_for_the_scale(tmp_path: Path) -> None:
    sheet = Sheet("表", 4, landscape=False, widths=[30.0, 30.0, 200.0, 200.0], print_columns=2)
    sheet.cells(1, ["甲", "乙", "不上纸", "也不上纸"], ["left"] * 4)
    path = tmp_path / "area.xlsx"
    path.write_bytes(workbook_bytes([sheet], "2024-01-01T00:00:00Z"))
    reopened = load_workbook(path).active
    assert reopened.sheet_properties.pageSetUpPr.fitToPage  # 60 units fit a portrait page at 100 %
    assert reopened.print_area == "'表'!$A$1:$B$1"


def test_the_sign_off_keeps_its_date_whole() -> None:
    """On one line when it fits, else the date on a line of its own (not 「日期：」 at the end of a line
    and the date wrapped under it, as on the 花名册 101 units wide)."""
    from fanpin_docs.settings import Settings
    from fanpin_docs.training.common import signature_text

    settings = Settings()
    [one] = signature_text(settings, width=130)
    assert one.endswith("日期：　　　　年　　月　　日") and wrapped_lines(one, 130) == 1
    signers, date = signature_text(settings, width=101)
    assert one == f"{signers}　　　{date}" and date == "日期：　　　　年　　月　　日"
