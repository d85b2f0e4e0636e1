"""Resident identity numbers (GB 11643-1999): check digit, birth date, sex, age, masking."""

from __future__ import annotations

import re
from datetime import date
from operator import mul

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)
_CANONICAL = re.compile(r"[0-9]{17}[0-9X]")  # ASCII only: `\d` would take other scripts' digits


def check_digit(first17: str) -> str:
    """The 18th character for the 17 digits given (ISO 7064 MOD 11-2)."""
    if len(first17) != len(_WEIGHTS):
        raise ValueError(f"check_digit needs {len(_WEIGHTS)} digits, got {len(first17)}")
    if first17.isascii() and first17.isdigit():
        # the weights are 2^17 … 2^1 mod 11, and 13 ≡ 2 (mod 11): the weighted sum is, mod 11, twice
        # the digits read as one number in base 13 (one C call instead of a product per digit)
        return _CHECK_CHARS[2 * int(first17, 13) % 11]
    return _CHECK_CHARS[sum(map(mul, map(int, first17), _WEIGHTS)) % 11]


class IdNumberProblem(ValueError):
    """Why a value is not a usable ID number; the message is the Chinese reason, the hint the fix."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def validate_id_number(raw: object) -> str:
    """Return the ID in canonical form (upper-case X) or raise IdNumberProblem saying why not."""
    if type(raw) is str and len(raw) == 18 and _CANONICAL.fullmatch(raw):
        return _checked(raw)  # already canonical (most cells): nothing to normalise or strip
    if isinstance(raw, bool):
        raise IdNumberProblem("不是身份证号", "填写 18 位身份证号")
    if isinstance(raw, int | float):
        raise IdNumberProblem(
            "身份证号被存成了数字，Excel 只保留 15 位有效数字，后几位已经丢失",
            "把该列设为「文本」格式后重新粘贴或录入完整的 18 位号码（不要从数字格式的单元格复制）",
        )
    from .text import normalize_text

    text = strip_quotes(normalize_text(raw).replace(" ", "")).upper()
    if _SCIENTIFIC.match(text):
        raise IdNumberProblem(
            "身份证号显示为科学计数法，后几位已经丢失",
            "把该列设为「文本」格式后重新录入完整的 18 位号码",
        )
    if not re.fullmatch(r"\d{17}[\dX]", text):
        raise IdNumberProblem(
            f"身份证号应为 18 位（前 17 位数字，最后一位数字或 X），实际为 {len(text)} 位",
            "核对号码位数，最后一位的 x 可大写也可小写",
        )
    return _checked(text)


def _checked(text: str) -> str:
    """`text` (17 digits and a digit or X) if its birth date exists and its check digit is right."""
    if birth_date(text) is None:
        raise IdNumberProblem("身份证号中的出生日期不存在", "核对第 7–14 位出生日期")
    expected = check_digit(text[:17])
    if text[17] != expected:
        raise IdNumberProblem(
            "身份证号校验位不正确（按 GB 11643 计算），号码有录入错误",
            "对照身份证或户口簿逐位核对号码",
        )
    return text


QUOTES = "'\"‘’“”＇＂`"


def strip_quotes(text: str) -> str:
    """Without the apostrophes or quotation marks pasted before or after a number (`'500114…`, a
    text marker from another system, copied as a character)."""
    return text.strip(QUOTES).strip()


def birth_date(id_number: str) -> date | None:
    digits = id_number[6:14]
    if len(digits) == 8 and digits.isascii() and digits.isdigit():
        try:
            return date.fromisoformat(digits)  # YYYYMMDD, as date(int(…), int(…), int(…)) reads it
        except ValueError:
            return None
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def sex_of(id_number: str) -> str:
    return "男" if int(id_number[16]) % 2 else "女"


def age_on(id_number: str, on: date) -> int:
    """Full years of age on the given day (a birthday on that day counts)."""
    born = birth_date(id_number)
    if born is None:
        raise ValueError("invalid birth date")
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
