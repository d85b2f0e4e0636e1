"""Property: on any class, the payment roster's row amounts add up to the total it shows (the SUM
formula's cached value, what a program that does not recalculate displays) and to its 大写, and every
trainee is listed: on the roster when paid, on its 未发放人员 sheet when not."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from fanpin_docs.context import resolve
from fanpin_docs.money import amount_in_words
from fanpin_docs.training import generate_training
from helpers import make_id
from training_data import trainee_rows, write_training

trainees = st.lists(
    st.tuples(
        st.sampled_from(["脱贫人口", "监测对象", "低保对象", "其他"]),
        st.integers(min_value=0, max_value=14).map(lambda halves: halves / 2),  # 0 to 7 days in half days
        st.sampled_from(["合格", "不合格"]),
        st.dates(
            min_value=date(1950, 1, 1),
            max_value=date(2008, 1, 1),
        ),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trainees)
def test_row_amounts_add_up_to_the_total_shown(people) -> None:
    rows = trainee_rows(
        [
            (f"学员{i}", make_id(birth.strftime("%Y%m%d"), i), category, days, result)
            for i, (category, days, result, birth) in enumerate(people, 1)
        ]
    )
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        source = write_training(tmp / "考勤.xlsx", rows)
        out = tmp / "out"
        generate_training(resolve(training=source, policy="qianjiang-2023", out=out, workspace=tmp))
        (path,) = out.rglob("误工补贴发放花名册.xlsx")
        book = load_workbook(path)
        formulas = book.active
        cached = load_workbook(path, data_only=True).active
        unpaid = book["未发放人员"].max_row - 3 if "未发放人员" in book.sheetnames else 0
    header = [c.value for c in formulas[4]]
    amount = header.index("补贴金额") + 1
    labels = [formulas.cell(row=r, column=1).value for r in range(1, formulas.max_row + 1)]
    first, total_row = 5, labels.index("合计") + 1
    shown = [Decimal(str(cached.cell(row=r, column=amount).value)) for r in range(first, total_row)]
    assert len(shown) + unpaid == len(people)  # everyone is listed: paid on the roster, or not paid apart
    assert all(value > 0 for value in shown)
    if shown:
        assert formulas.cell(row=total_row, column=amount).value == f"=SUM(I{first}:I{total_row - 1})"
    total = Decimal(str(cached.cell(row=total_row, column=amount).value))
    assert total == sum(shown, Decimal(0))
    words = [
        c.value
        for row in formulas.iter_rows()
        for c in row
        if isinstance(c.value, str) and "人民币" in c.value
    ]
    assert any(amount_in_words(total) in text for text in words)
