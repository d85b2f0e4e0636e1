"""Money as Decimal: parsing, rounding, display and 大写金额."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .text import normalize_text

CENT = Decimal("0.01")
ZERO = Decimal("0")

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_SECTION_UNITS = {4: "万", 8: "亿", 12: "万"}


class CommaError(ValueError):
    """A number whose commas do not group its digits in threes (`1.500,00`, `15,00`): which number was
    meant cannot be told, so it is refused rather than read with the commas dropped."""

    hint = "逗号只能用作千位分隔（从小数点往左每三位一个，如 1,500 或 20,000.50），小数点写「.」；或不写逗号，如 1500.00"


# the digits of a number whose commas group them in threes from the decimal point: 1,500 / 20,000.50
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def parse_decimal(value: object) -> Decimal:
    """`1,500`, `１５００`, `1500.0`, `1500元` or a number cell → Decimal; ValueError if not a number
    (CommaError when commas are not thousands separators: `1.500,00`, `15,00`, `2,0000`)."""
    if isinstance(value, bool):
        raise ValueError("bool")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr() gives the shortest text that round-trips: 1500.0, 0.3, not 0.299999…
        return Decimal(repr(value))
    text = normalize_text(value).replace(" ", "")  # NFKC: ，→ ,
    text = text.removeprefix("¥").removeprefix("￥").removesuffix("元")
    if "," in text:
        if _GROUPED.fullmatch(text) is None:
            raise CommaError("逗号的位置不是千位分隔，无法确定是多少")
        text = text.replace(",", "")
    if not text:
        raise ValueError("empty")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not number.is_finite():
        raise ValueError(text)
    return number


def yuan(value: Decimal | int | str) -> Decimal:
    """Quantize to 0.01 yuan, half up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(value: Decimal, *, thousands: bool = True) -> str:
    """`12345.6` → `12,345.60` (two decimals always)."""
    return f"{yuan(value):,.2f}" if thousands else f"{yuan(value):.2f}"


def format_number(value: Decimal) -> str:
    """A rate, day count or threshold without useless zeros: 7.0 → 7, 6.5 → 6.5, 10000 → 10,000."""
    normalized = value.normalize()
    if normalized == normalized.to_integral_value():
        return f"{int(normalized):,}"
    return f"{normalized:,f}"


def format_percent(rate: Decimal) -> str:
    return format_number(rate * 100) + "%"


def _integer_to_chinese(integer: int) -> str:
    """A positive whole number in 大写, digit by digit from the left.

    Each run of zeros between two non-zero digits is one 零, also when the run ends a 万 or 亿
    section (107000 → 壹拾万零柒仟); 万 and 亿 are written after a section with any non-zero digit
    (and 亿 after 万亿: 1,2345,0000,0000 → 壹万贰仟叁佰肆拾伍亿).
    """
    digits = str(integer)
    length = len(digits)
    out: list[str] = []
    pending_zero = False
    for index, char in enumerate(digits):
        position = length - 1 - index  # 0 = 元 digit
        digit = int(char)
        if digit == 0:
            pending_zero = bool(out)
        else:
            if pending_zero:
                out.append("零")
                pending_zero = False
            out.append(_DIGITS[digit] + _SMALL_UNITS[position % 4])
        if position % 4 == 0 and position > 0:
            # the section's unit, when the section (亿: with the 万亿 part above it) is not all zeros
            section_start = max(0, length - position - (8 if position == 8 else 4))
            if any(c != "0" for c in digits[section_start : length - position]):
                out.append(_SECTION_UNITS[position])
    return "".join(out)


def amount_in_words(value: Decimal | int | str) -> str:
    """人民币大写 per the payment rules: ¥325.04 → 人民币叁佰贰拾伍元零肆分, ¥100 → 人民币壹佰元整."""
    amount = yuan(Decimal(value))
    if amount < 0:
        raise ValueError("负数金额没有大写写法")
    cents_total = int(amount * 100)
    integer, cents = divmod(cents_total, 100)
    jiao, fen = divmod(cents, 10)
    if integer >= 10**16:
        raise ValueError("金额过大")

    words = _integer_to_chinese(integer) + "元" if integer else ""

    if jiao == 0 and fen == 0:
        return "人民币" + (words or "零元") + "整"
    tail = ""
    if jiao:
        tail += _DIGITS[jiao] + "角"
    elif words:
        tail += "零"
    if fen:
        tail += _DIGITS[fen] + "分"
    return "人民币" + words + tail
