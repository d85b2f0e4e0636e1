"""The fictional household of the blank workbooks' example rows (`fanpin init`, a new 工作台 workspace).

The example rows show how the four workbooks refer to each other, so a fresh workspace passes its
checks — and a document made before they are deleted would be one for a person who does not exist.
The readers know them by these values and say so in a warning at the row, wherever the row is read.
"""

from __future__ import annotations

from .idcard import check_digit

EXAMPLE_HOUSEHOLD = "5001140010010001"
EXAMPLE_NAME = "张明华"
EXAMPLE_VILLAGE = "某某村"
EXAMPLE_PHONE = "13912345678"
_EXAMPLE_ID_17 = "50011419650512341"
EXAMPLE_ID = _EXAMPLE_ID_17 + check_digit(_EXAMPLE_ID_17)


EXAMPLE_MESSAGE = (
    f"这一行是空白表自带的示例行（虚构的「{EXAMPLE_NAME}」一户、{EXAMPLE_VILLAGE}的项目），生成的文书会包含它"
)
EXAMPLE_HINT = "填入本乡镇的数据后，删除这一行"
