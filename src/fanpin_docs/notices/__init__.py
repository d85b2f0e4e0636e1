"""Notices as 公文 (GB/T 9704 layout): 公示 lists with a publicity period in working days, and 通知.

`gongwen.publicity` lays out any 公示 (`PublicityNotice`, `build_publicity`); `industry` makes the 公示 of the
industry subsidies; `class_notice` the 通知 of a training class; `wording` renders a notice's title and
text from its editable template; `writers` are what `fanpin notice` calls.
"""

from ..gongwen.publicity import PublicityNotice, build_publicity, publicity_end, publicity_sentence
from .class_notice import CLASS_NOTICE_TEMPLATE, TRAINEE_COLUMNS, class_notice
from .industry import (
    INDUSTRY_COLUMNS,
    INDUSTRY_TEMPLATE,
    IndustryPublicity,
    industry_publicity,
    industry_wording,
)
from .wording import NoticeWording, render_wording
from .writers import NoticeOptions, WrittenNotices, run, write_class_notices, write_industry_publicity

__all__ = [
    "CLASS_NOTICE_TEMPLATE",
    "INDUSTRY_COLUMNS",
    "INDUSTRY_TEMPLATE",
    "TRAINEE_COLUMNS",
    "IndustryPublicity",
    "NoticeOptions",
    "NoticeWording",
    "PublicityNotice",
    "WrittenNotices",
    "build_publicity",
    "class_notice",
    "industry_publicity",
    "industry_wording",
    "publicity_end",
    "publicity_sentence",
    "render_wording",
    "run",
    "write_class_notices",
    "write_industry_publicity",
]
