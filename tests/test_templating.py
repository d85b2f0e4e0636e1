"""Loading and checking user-edited .docx templates: split tags repaired and listed, every problem
located (template, paragraph or table cell, tag), sandboxed rendering with autoescape."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document
from jinja2.exceptions import SecurityError, UndefinedError

from fanpin_docs.errors import TemplateError
from fanpin_docs.settings import Settings, SettingsFile
from fanpin_docs.templating import check_template, environment, find_template, load_docx_template
from helpers import damaged_inside

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


def test_a_word_file_broken_inside_a_part_is_not_a_word_file(tmp_path):
    """Inflating a damaged part raises zlib's own error, which was not taken for a damaged file."""
    document = Document()
    for n in range(200):
        document.add_paragraph(f"第 {n} 段：{{{{ household.head.name }}}} 的帮扶措施")
    path = damaged_inside(save(document, tmp_path / "坏了.docx"), "word/document.xml")
    with pytest.raises(TemplateError, match="不是有效的 Word 文件"):
        load_docx_template(path)


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


# --- templates as LibreOffice/WPS save them -------------------------------------------------------


def body_text(source, **context) -> str:
    """What a reader sees in the rendered body (paragraphs joined by newlines)."""
    from fanpin_docs.templating.rendering import finish_xml

    data = {"township": "", "village": "", "household": {"head": "", "id": ""}, "members": []}
    xml = finish_xml(
        environment().from_string(source.parts["word/document.xml"].source).render({**data, **context})
    )
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.DOTALL)
    texts = ["".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs]
    from xml.sax.saxutils import unescape

    return "\n".join(unescape(t, {"&quot;": '"', "&apos;": "'"}) for t in texts)


@pytest.mark.pdf
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_template_saved_by_libreoffice_reads_quotes_and_ampersands_as_typed(tmp_path):
    document = Document()
    document.add_paragraph('户主：{{ household.head or "无" }}；{{ \'甲&乙\' }}；{{ village ~ "<村>" }}')
    members_table(document, name_tag="{{ m.name|default('（未填）', true) }}")
    original = save(document, tmp_path / "word.docx")
    out = tmp_path / "lo"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(original),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    resaved = out / "word.docx"
    with zipfile.ZipFile(resaved) as archive:
        stored = archive.read("word/document.xml").decode("utf-8")
    # how LibreOffice stores the tags (and it splits them into runs where the script changes)
    assert all(entity in stored for entity in ("{{ household.head or &quot;", "{{ &apos;", "&amp;"))

    source = load_docx_template(resaved)
    check_template(source, FIELDS)
    text = body_text(
        source,
        village="红岩",
        household={"head": "陈&<老三>", "id": "1"},
        members=[{"name": "", "id": "5001"}, {"name": "李四", "id": "5002"}],
    )
    assert "户主：陈&<老三>；甲&乙；红岩<村>" in text
    assert "（未填）" in text and "李四" in text and "&amp;" not in text and "&quot;" not in text
    # LibreOffice split the tags into runs; the repair notes show them as the user typed them
    assert '{{ household.head or "无" }}' in {note.tag for note in source.repairs}
    assert all("&quot;" not in note.tag and "&apos;" not in note.tag for note in source.repairs)


# --- filters and tests that do not exist --------------------------------------------------------


def test_unknown_filter_and_test_are_found_with_their_place(tmp_path):
    document = Document()
    document.add_paragraph("{{ township }}")
    document.add_paragraph('{{ household.head|default_if_none("") }}')
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 1).text = "{% if village is blank %}空{% endif %}"
    source = load_docx_template(save(document, tmp_path / "过滤器.docx"))
    with pytest.raises(TemplateError) as error:
        check_template(source, FIELDS)
    message = str(error.value)
    assert "2 处问题" in message
    assert (
        '第 2 段的 {{ household.head|default_if_none("") }}：没有名为「default_if_none」的过滤器' in message
    )
    assert "可用的过滤器有：" in message and "default" in message and "replace" in message
    assert "表格 1 第 1 行第 2 列的 {% if village is blank %}：没有名为「blank」的测试" in message
    assert "defined" in message


def test_unknown_filter_is_refused_by_check_and_cards_alike_and_nothing_is_written(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from cards_support import write_inputs
    from fanpin_docs.cli import app

    roster, measures = write_inputs(tmp_path / "输入")
    workspace = tmp_path / "乡镇"
    (workspace / "templates").mkdir(parents=True)
    (workspace / "fanpin.toml").write_text(
        '[township]\ntownship = "城东街道"\nyear = 2023\npolicy = "qianjiang-2023"\n'
        f'[inputs]\nroster = "{roster.as_posix()}"\nmeasures = "{measures.as_posix()}"\n',
        encoding="utf-8",
    )
    document = Document()
    document.add_paragraph('电话：{{ household.phone|default_if_none("无") }}')
    save(document, workspace / "templates" / "明白卡.docx")
    monkeypatch.chdir(workspace)
    runner = CliRunner()
    checked = runner.invoke(app, ["check"])
    made = runner.invoke(app, ["cards"])
    for result in (checked, made):
        assert result.exit_code == 1, result.output
        flat = result.output.replace("\n", "")
        assert "模板「明白卡.docx」第 1 段的" in flat and "没有名为「default_if_none」的过滤器" in flat
        assert "程序内部错误" not in result.output
    assert not (workspace / "output").exists() or not any((workspace / "output").rglob("*.docx"))

    document = Document()
    document.add_paragraph("电话：{{ household.phone }}")
    save(document, workspace / "templates" / "明白卡.docx")
    fixed = runner.invoke(app, ["check"])
    assert fixed.exit_code == 0, fixed.output
    assert "明白卡模板「明白卡.docx」：标签都可以使用，试填一张卡正常" in fixed.output


# --- full-width braces over several runs, literal tags on the card -------------------------------


def test_full_width_braces_split_over_runs_are_repaired_and_located(tmp_path):
    document = Document()
    paragraph = document.add_paragraph("户主：")
    paragraph.add_run("｛｛ household.")
    paragraph.add_run("head ｝｝").bold = True
    table = document.add_table(rows=1, cols=2)
    cell = table.cell(0, 1).paragraphs[0]
    cell.add_run("｛％ if village ")
    cell.add_run("％｝有村｛％ endif ％｝")
    source = load_docx_template(save(document, tmp_path / "全角拆开.docx"))
    repairs = check_template(source, FIELDS)
    assert [(r.location, r.tag) for r in repairs if "全角" in r.message] == [
        ("第 1 段", "{{ household.head }}"),
        ("表格 1 第 1 行第 2 列", "{% if village %}"),
        ("表格 1 第 1 行第 2 列", "{% endif %}"),
    ]
    assert "模板「全角拆开.docx」表格 1 第 1 行第 2 列的 {% if village %}：全角括号" in repairs[1].describe()
    text = body_text(source, village="红岩村", household={"head": "张三", "id": "1"})
    assert "户主：张三" in text and "有村" in text and "｛" not in text and "{{" not in text


def test_full_width_tag_that_cannot_be_repaired_is_refused(tmp_path):
    document = Document()
    document.add_paragraph("户主：｛｛ household.head ｝")
    source = load_docx_template(save(document, tmp_path / "半个括号.docx"))
    with pytest.raises(TemplateError) as error:
        check_template(source, FIELDS)
    assert "第 1 段的 ｛｛ household.head ｝：全角括号「｛｛」开始的标签没有正确结束" in str(error.value)


# --- messages -------------------------------------------------------------------------------------


def test_stray_end_tag_is_named_not_the_block_before_it(tmp_path):
    document = Document()
    document.add_paragraph("{% if village %}有村{% endif %}")
    document.add_paragraph("{{ township }}")
    document.add_paragraph("多余：{% endif %}")
    source = load_docx_template(save(document, tmp_path / "多余.docx"))
    with pytest.raises(TemplateError) as error:
        check_template(source, FIELDS)
    message = str(error.value)
    assert "第 3 段的 {% endif %}：模板语法错误：多出的「{% endif %}」" in message
    assert "{% if village %}" not in message


def test_end_tag_of_the_wrong_block_says_which_block_is_open(tmp_path):
    document = Document()
    table = members_table(document)
    table.cell(2, 1).text = "{{ m.id }}{% endif %}"
    source = load_docx_template(save(document, tmp_path / "错配.docx"))
    with pytest.raises(TemplateError) as error:
        check_template(source, FIELDS)
    message = str(error.value)
    assert "表格 1 第 3 行第 2 列的 {% endif %}：模板语法错误：这里应当先结束前面的「{% for %}」" in message


def test_tc_tags_are_not_described_as_merged_cells(tmp_path):
    document = Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "{%tc for m in members %}"
    table.cell(0, 1).text = "{{ m.name }}{%tc endfor %}"
    source = load_docx_template(save(document, tmp_path / "列循环.docx"))
    with pytest.raises(TemplateError) as error:
        check_template(source, FIELDS)
    message = str(error.value)
    assert (
        "表格 1 第 1 行第 1 列的 {%tc for m in members %}：不支持 {%tc %}（按列重复表格的单元格）" in message
    )
    assert "合并" not in message and "{%tr" not in message


# --- hostile templates: bounded work, no DTD, no zip bomb -----------------------------------------


@pytest.mark.parametrize(
    ("tag", "reason"),
    [
        ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}", "range"),
        ("{% for i in range(9000) %}{% for j in range(9000) %}{% endfor %}{% endfor %}", "循环次数"),
        ("{{ 7**(7**10) }}", "乘方"),
        ("{{ 'x'*10**10 }}", "重复"),
        ("{{ household.head|center(10**9) }}", "center"),
        ("{% set x %}{% for i in range(9000) %}{{ 'x' * 900000 }}{% endfor %}{% endset %}", "set"),
        (
            "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "连接",
        ),
    ],
)
def test_templates_that_would_exhaust_the_machine_are_refused_with_their_place(tmp_path, tag, reason):
    from cards_support import write_inputs
    from fanpin_docs.cards.data import VILLAGE_FIELDS, build_cards
    from fanpin_docs.cards.render import CardRenderer
    from fanpin_docs.policy import load_policy
    from fanpin_docs.readers import load_measures, load_roster

    roster_path, measures_path = write_inputs(tmp_path)
    roster = load_roster(roster_path)
    card = build_cards(
        roster, load_measures(measures_path, roster), load_policy("qianjiang-2023"), year=2023
    )[0]
    document = Document()
    document.add_paragraph("{{ household.head }}")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 1).text = tag
    source = load_docx_template(save(document, tmp_path / "耗尽.docx"))
    renderer = CardRenderer(source, timestamp="2024-01-01T00:00:00Z", shared_fields=VILLAGE_FIELDS)
    started = time.perf_counter()
    with pytest.raises(TemplateError) as error:
        renderer.card(card.context)
    assert time.perf_counter() - started < 5
    message = str(error.value)
    assert "模板「耗尽.docx」表格 1 第 1 行第 2 列" in message and "超出了模板允许的运算量" in message
    assert reason in message


def test_rendering_one_document_is_bounded_in_time(tmp_path, monkeypatch):
    from fanpin_docs.templating import limits
    from fanpin_docs.templating.running import render_located

    monkeypatch.setattr(limits, "MAX_SECONDS", 0.5)
    document = Document()
    document.add_paragraph(
        "{% set s = 'x'*1000000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}"
    )
    source = load_docx_template(save(document, tmp_path / "慢.docx"))
    env = environment()
    template = env.from_string(source.parts["word/document.xml"].source)
    started = time.perf_counter()
    with pytest.raises(TemplateError, match="第 1 段.*超过 0.5 秒"):
        render_located(env, template, {}, source=source, part="word/document.xml")
    assert time.perf_counter() - started < 3


def test_ordinary_arithmetic_and_strings_still_work():
    template = environment().from_string(
        "{{ 2**10 }} {{ 3*4 }} {{ 'ab'*3 }} {{ 'a' ~ 'b' }} {{ '%05.1f' % 3.14159 }} {{ 'x'|center(5) }}|"
        "{{ [1, 2]|join('、') }} {{ 'a-b'.replace('-', '+') }} {{ '{:>4}'.format(7) }} {{ range(3)|list }}"
    )
    assert template.render() == "1024 12 ababab ab 003.1   x  |1、2 a+b    7 [0, 1, 2]"


def test_template_with_a_huge_part_is_refused_before_inflating(tmp_path):
    import tracemalloc

    path = save(Document(), tmp_path / "炸弹.docx")
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/image1.png", "w", force_zip64=True) as entry,
    ):
        for _ in range(80):  # 80 MB of zeros, about 80 KB compressed
            entry.write(b"\0" * 2**20)
    assert path.stat().st_size < 2**20
    tracemalloc.start()
    with pytest.raises(TemplateError) as error:
        load_docx_template(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "「word/media/image1.png」解压后有 80 MB" in str(error.value) and "太大" in str(error.value)
    assert peak < 10 * 2**20


def test_template_with_a_doctype_is_refused(tmp_path):
    path = save(Document(), tmp_path / "实体.docx")
    rewritten = tmp_path / "带DTD.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rewritten, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/styles.xml":
                data = data.replace(
                    b"?>", b'?><!DOCTYPE w:styles [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>', 1
                )
            target.writestr(info, data)
    with pytest.raises(TemplateError) as error:
        load_docx_template(rewritten)
    assert "「word/styles.xml」中有文档类型定义" in str(error.value)


def test_data_with_escaped_braces_prints_as_written_and_template_escapes_still_work(tmp_path):
    document = Document()
    document.add_paragraph("{_{ 这是模板里的大括号 }_}：{{ household.head }}")
    source = load_docx_template(save(document, tmp_path / "转义.docx"))
    check_template(source, FIELDS)
    text = body_text(source, household={"head": "{_{x}_} 和 {{y}}", "id": "1"})
    assert "{{ 这是模板里的大括号 }}：{_{x}_} 和 {{y}}" in text


def test_trial_card_refuses_a_literal_tag_but_not_braces_from_the_data(tmp_path):
    from cards_support import write_inputs
    from fanpin_docs.cards.data import build_cards
    from fanpin_docs.cards.trial import trial_render
    from fanpin_docs.policy import load_policy
    from fanpin_docs.readers import load_measures, load_roster

    roster_path, measures_path = write_inputs(tmp_path)
    roster = load_roster(roster_path)
    cards = build_cards(
        roster, load_measures(measures_path, roster), load_policy("qianjiang-2023"), year=2023
    )
    document = Document()
    document.add_paragraph("户主：{{ household.head }}")
    document.add_paragraph('电话：{{ "{" * 2 }} 待填')  # a tag the loader cannot tell from a field
    source = load_docx_template(save(document, tmp_path / "原样.docx"))
    check_template(source, {"household": {"head": "", "phone": ""}})
    with pytest.raises(TemplateError) as error:
        trial_render(source, cards, "2024-01-01T00:00:00Z")
    message = str(error.value)
    assert f"填好的第一张卡（户编号 {cards[0].household.household_id}）第 2 段" in message
    assert "第 2 段的 {{ 待填：卡上会原样印出「{{」" in message

    document = Document()
    document.add_paragraph("住址：{{ household.address }}")
    fine = load_docx_template(save(document, tmp_path / "正常.docx"))
    first = cards[0]
    context = {**first.context, "household": {**first.context["household"], "address": "{{x}} {_{y}_}"}}
    braces = type(first)(**{**first.__dict__, "context": context})
    trial_render(fine, [braces], "2024-01-01T00:00:00Z")  # braces the data brings are printed as written


def test_a_failure_while_filling_in_names_the_cell_and_says_it_in_chinese(tmp_path):
    from fanpin_docs.templating.running import render_located

    document = Document()
    document.add_paragraph("{{ township }}")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 1).text = "{{ household.extra.name }}"
    source = load_docx_template(save(document, tmp_path / "填写.docx"))
    env = environment()
    template = env.from_string(source.parts["word/document.xml"].source)
    with pytest.raises(TemplateError) as error:
        render_located(
            env, template, {"township": "城东", "household": {}}, source=source, part="word/document.xml"
        )
    message = str(error.value)
    assert "模板「填写.docx」表格 1 第 1 行第 2 列的 {{ household.extra.name }}：填写数据时出错：" in message
    assert "数据中没有「extra」" in message
