"""公文 wording shared by every family: figures without spaces or separators, and what 「全…」 calls
the township."""

from __future__ import annotations

import re

_CJK = r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]"
_SPACE_NEAR_CJK = re.compile(rf"(?<={_CJK}) +| +(?={_CJK})")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def tidy(text: str) -> str:
    """「每户最高 2,000 元」 → 「每户最高2000元」: 公文 write figures without spaces or separators."""
    return _SPACE_NEAR_CJK.sub("", _THOUSANDS.sub("", text))


def area_word(township: str) -> str:
    """What 「全…」 says of the township: 镇, 乡 or 街道."""
    for suffix in ("街道", "镇", "乡"):
        if township.endswith(suffix):
            return suffix
    return "乡镇"
