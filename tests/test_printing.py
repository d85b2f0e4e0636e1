"""The page layout every form shares: readable scale, wrapping, and where the closing block breaks."""

from __future__ import annotations

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
    assert row_height([("短", 10)], minimum=20) == 20.5  # one line of 14.5 pt and its padding
    assert row_height([("很长的文字" * 10, 10)], minimum=20) > 100


def _break(heights: list[float], last_table_row: int) -> int | None:
    return closing_break(
        heights, first_row=1, title_rows=(1, 2), last_table_row=last_table_row, scale=100, landscape=True
    )


def test_the_closing_block_is_not_left_alone_on_a_last_page() -> None:
    # landscape A4 at 100 %: 494.5 pt between the margins, 50 pt of title rows on every page
    titles = [30.0, 20.0]
    rows = [40.0] * 11  # rows 3-13: 440 pt, the first page is full
    closing = [28.0, 26.0, 30.0]  # totals, amount in words, signatures: alone on page 2
    after = _break(titles + rows + closing, last_table_row=13)
    assert after == 10  # rows 11-13 go over with the closing block
    assert _break(titles + rows[:5] + closing, last_table_row=7) is None  # all on one page
    assert _break(titles + closing, last_table_row=2) is None  # no table rows at all


def test_signature_lines() -> None:
    assert signer("制表人") == "制表人（签字）：____________"
    assert signer("审核人", "林云华") == "审核人：林云华（签字）____________"
