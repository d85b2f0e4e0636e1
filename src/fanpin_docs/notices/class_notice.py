"""The 通知 announcing a training class, its list of trainees (no IDs) attached."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import docx.document

from ..dates import chinese_date, unfilled_date
from ..errors import LayoutError, TemplateError
from ..gongwen import Letterhead, OfficialDocument
from ..gongwen.imprint import Imprint, add_imprint, split_imprint
from ..gongwen.pagination import estimate
from ..models import Trainee, TrainingClass
from ..money import format_number
from ..policy import Policy
from .wording import render_wording, rule_words

CLASS_NOTICE_TEMPLATE = "培训通知.txt"
TRAINEE_COLUMNS = ("序号", "姓名", "性别", "人员类别", "户籍地址")


def class_notice(
    policy: Policy,
    training_class: TrainingClass,
    trainees: Sequence[Trainee],
    *,
    issuer: str,
    issued_on: date | None,
    number: str = "",
    contact: str = "",
    township: str = "",
    template: Path | None = None,
    template_dirs: tuple[Path, ...] = (),
) -> docx.document.Document:
    """The 通知 announcing one training class, its list of trainees (no IDs) attached; with a 版头
    (「<issuer>文件」 and the 发文字号 `number`) when `number` is given."""
    rule = policy.rule_for("training")
    year = (training_class.start or issued_on or date(policy.year, 1, 1)).year
    context = {
        "year": year,
        "issuer": issuer,
        "township": township or _township_of(issuer),
        "contact": contact,
        "policy": {"title": policy.title, "sources": list(policy.sources)},
        "rule": rule_words(rule) if rule else None,
        "training": {
            "name": training_class.name,
            "project": training_class.project,
            "place": training_class.place,
            "start": chinese_date(training_class.start) if training_class.start else "",
            "end": chinese_date(training_class.end) if training_class.end else "",
            "planned_days": format_number(training_class.planned_days) if training_class.planned_days else "",
            "trainees": len(trainees),
        },
    }
    wording = render_wording(CLASS_NOTICE_TEMPLATE, context, template=template, template_dirs=template_dirs)
    marked, copied, printer = split_imprint(wording.text)
    doc = OfficialDocument(title_property=wording.title, author=issuer)
    if number:
        doc.letterhead(Letterhead(issuer_mark=f"{issuer}文件", number=number))
    try:
        doc.render_marked(marked)
    except LayoutError as error:
        raise TemplateError(f"通知模板生成的内容无法排版：{error.message}", hint=error.hint) from None
    attachment = f"{training_class.name}参训学员名单"
    if trainees:
        doc.attachment_note([attachment])
    doc.signature(issuer, issued_on or unfilled_date(year))
    if trainees:
        rows = [
            (str(i), t.name, t.sex or "—", t.category or "—", t.address or "—")
            for i, t in enumerate(sorted(trainees, key=lambda t: t.source_row), 1)
        ]
        doc.attachment("附件", attachment, TRAINEE_COLUMNS, rows)
    if printer:  # the template's 「印发机关：」 line: the 版记 at the foot of an even last page (7.4)
        text_pages, room = estimate(doc.document)
        imprint = Imprint(copied, printer, issued_on, unfilled_date(year))
        add_imprint(doc.document, imprint, text_pages=text_pages, room_pt=room)
    return doc.document


def _township_of(issuer: str) -> str:
    """「石会镇」 of 「石会镇人民政府」, 「城东街道」 of 「城东街道办事处」: the 版记's 印发机关 is its 党政办公室."""
    for suffix in ("人民政府", "办事处"):
        if issuer.endswith(suffix) and len(issuer) > len(suffix):
            return issuer[: -len(suffix)]
    return issuer
