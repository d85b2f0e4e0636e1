"""Loading and checking user-edited .docx templates: split tags repaired and listed, every problem
located (template, paragraph or table cell, tag), sandboxed rendering with autoescape."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from jinja2.exceptions import SecurityError, UndefinedError

from fanpin_docs.errors import TemplateError
from fanpin_docs.settings import Settings, SettingsFile
from fanpin_docs.templating import check_template, environment, find_template, load_docx_template

FIELDS = {
    "township": "乡镇",
    "village": "村",
    "household": {"head": "户主", "id": "户编号"},
    "members": [{"name": "姓名", "id": "身份证号"}],
}


def save(document, path: Path) -> Path:
    document.save(str(path))
    return path


def paragraph_with_runs(document, *runs: str):
    paragraph = document.add_paragraph()
    for text in runs:
        paragraph.add_run(text)
    return paragraph


def members_table(document, name_tag: str = "{{ m.name }}"):
    table = document.add_table(rows=4, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "身份证号"
    table.cell(1, 0).text = "{%tr for m in members %}"
    table.cell(2, 0).text, table.cell(2, 1).text = name_tag, "{{ m.id }}"
    table.cell(3, 0).text = "{%tr endfor %}"
    return table


def test_tags_split_over_runs_are_joined_and_listed(tmp_path):
    document = Document()
    document.add_paragraph("明白卡")
    paragraph_with_runs(document, "户主：{{ house", "hold.", "head }}，村：{", "{ village }}")
    source = load_docx_template(save(document, tmp_path / "卡.docx"))
    repairs = check_template(source, FIELDS)
    assert [(r.location, r.tag) for r in repairs] == [
        ("第 2 段", "{{ household.head }}"),
        ("第 2 段", "{{ village }}"),
    ]
    assert all("拆成" in r.message and r.template == "卡.docx" for r in repairs)
    rendered = (
        environment()
        .from_string(source.parts["word/document.xml"].source)
        .render(township="", village="红岩村", household={"head": "张三", "id": "1"}, members=[])
    )
    assert "户主：张三，村：红岩村" in re.sub(r"<[^>]+>", "", rendered)


def test_full_width_braces_typed_with_a_chinese_input_method_are_repaired(tmp_path):
    document = Document()
    document.add_paragraph("｛｛ township ｝｝｛％ if village ％｝有村｛％ endif ％｝")
    source = load_docx_template(save(document, tmp_path / "全角.docx"))
    repairs = check_template(source, FIELDS)
    assert [r.tag for r in repairs] == ["{{ township }}", "{% if village %}", "{% endif %}"]
    assert "全角" in repairs[0].message
    assert "{{ township }}" in source.parts["word/document.xml"].source


def test_unknown_field_in_a_table_cell_is_located(tmp_path):
    document = Document()
    document.add_paragraph("{{ township }}")
    members_table(document, name_tag="{{ m.nmae }}")
    document.add_paragraph("{{ househld.head }}")
    source = load_docx_template(save(document, tmp_path / "错字段.docx"))
    with pytest.raises(TemplateError) as error:
        check_template(source, FIELDS)
    message = str(error.value)
    assert "模板「错字段.docx」表格 1 第 3 行第 1 列的 {{ m.nmae }}" in message
    assert "m.nmae" in message
    assert "第 2 段的 {{ househld.head }}" in message and "househld" in message
    assert "2 处问题" in message


def test_syntax_error_names_the_block_left_open(tmp_path):
    document = Document()
    document.add_paragraph("{{ township }}")
    table = members_table(document)
    table.cell(3, 0).text = "结束"  # the endfor row was overwritten
    source = load_docx_template(save(document, tmp_path / "语法.docx"))
    with pytest.raises(TemplateError) as error:
        check_template(source, FIELDS)
    message = str(error.value)
    assert "表格 1 第 2 行第 1 列" in message and "for m in members" in message and "endfor" in message


def test_tag_broken_over_two_paragraphs_is_reported(tmp_path):
    document = Document()
    document.add_paragraph("户主：{{ household.")
    document.add_paragraph("head }}")
    source = load_docx_template(save(document, tmp_path / "断行.docx"))
    with pytest.raises(TemplateError) as error:
        check_template(source, FIELDS)
    assert "第 1 段" in str(error.value) and "没有结束" in str(error.value)


def test_page_header_may_only_use_village_fields(tmp_path):
    document = Document()
    document.sections[0].header.paragraphs[0].text = "{{ village }} {{ household.head }}"
    document.add_paragraph("{{ household.head }}")
    source = load_docx_template(save(document, tmp_path / "页眉.docx"))
    assert check_template(source, FIELDS) == []  # without shared fields the header may use anything
    with pytest.raises(TemplateError) as error:
        check_template(source, FIELDS, shared_fields=("township", "village"))
    assert "页眉" in str(error.value) and "household.head" in str(error.value)


def test_unsupported_rich_text_tags_are_refused(tmp_path):
    document = Document()
    document.add_paragraph("{{r township }}")
    source = load_docx_template(save(document, tmp_path / "富文本.docx"))
    with pytest.raises(TemplateError, match="不支持"):
        check_template(source, FIELDS)


def test_not_a_word_file(tmp_path):
    (tmp_path / "坏.docx").write_bytes(b"not a zip")
    with pytest.raises(TemplateError, match="不是有效的 Word 文件"):
        load_docx_template(tmp_path / "坏.docx")
    with pytest.raises(TemplateError, match="找不到模板"):
        load_docx_template(tmp_path / "没有.docx")


def test_environment_is_sandboxed_strict_and_escapes_xml():
    env = environment()
    assert (
        env.from_string("<w:t>{{ name }}</w:t>").render(name="陈&<老三>") == "<w:t>陈&amp;&lt;老三&gt;</w:t>"
    )
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing }}").render()
    with pytest.raises(SecurityError):
        env.from_string("{{ f.__globals__ }}").render(f=test_environment_is_sandboxed_strict_and_escapes_xml)
    with pytest.raises((SecurityError, UndefinedError)):
        env.from_string("{{ ''.__class__.__mro__[1].__subclasses__() }}").render()


def test_find_template_prefers_the_workspace(tmp_path):
    shipped = find_template("明白卡.docx", Settings())
    assert shipped.is_file() and shipped.parent.name == "templates"
    (tmp_path / "templates").mkdir()
    own = save(Document(), tmp_path / "templates" / "明白卡.docx")
    assert find_template("明白卡.docx", Settings(data=SettingsFile(), root=tmp_path)) == own
    with pytest.raises(TemplateError, match="找不到模板"):
        find_template("明白卡.docx", Settings(), tmp_path / "nope.docx")
