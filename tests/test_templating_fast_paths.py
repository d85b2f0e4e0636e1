"""The rendering shortcuts give what the plain way gives: a part finished on its bytes, a dict field
looked up without the sandbox's failed attribute lookup."""

from __future__ import annotations

import random

import pytest
from jinja2.exceptions import UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from fanpin_docs.templating import environment, finish_xml, finish_xml_bytes

RENDERED = [
    "",
    "<w:p><w:r><w:t>张三</w:t></w:r></w:p>",
    "\n<w:p>一\n<w:p w:rsidR='1'>二</w:p>",
    "\n\n<w:p >",  # only the newline right before <w:p goes
    "\n\n<w:p>",
    "<w:t>第一行\n第二行</w:t>\n<w:p>",  # a newline in data becomes a line break
    "<w:p><w:r><w:t>甲\t乙\a丙\f丁</w:t></w:r></w:p>",
    "\n<w:pPr>\n<w:p",  # neither <w:p followed by a space or >
    "中\n<w:p \n<w:p>\n",
]


@pytest.mark.parametrize("rendered", RENDERED)
def test_finishing_a_part_on_its_bytes_gives_the_same_bytes(rendered):
    assert finish_xml_bytes(rendered) == finish_xml(rendered).encode("utf-8")


def test_finishing_random_parts_on_their_bytes_gives_the_same_bytes():
    pieces = ["\n", "<w:p ", "<w:p>", "<w:p", "<w:pPr>", "<w:t>", "</w:t>", "x", "户", "\t", " ", ">"]
    generator = random.Random(7)
    texts = ["".join(generator.choices(pieces, k=generator.randint(1, 14))) for _ in range(5000)]
    different = [text for text in texts if finish_xml_bytes(text) != finish_xml(text).encode("utf-8")]
    assert len(texts) == 5000 and different == []


def test_a_dict_field_is_looked_up_as_the_sandbox_looks_it_up():
    env = environment()
    data = {"id": "0001", "items": "一项", "name": None, "__class__": "x"}
    names = sorted(set(dir(dict)) | set(data) | {"missing", "__dict__", "mro"})
    plain = ImmutableSandboxedEnvironment.getattr
    for name in names:
        ours, theirs = env.getattr(data, name), plain(env, data, name)
        assert type(ours) is type(theirs), name
        if not isinstance(theirs, env.undefined):
            assert ours == theirs, name
    assert env.getattr(data, "id") == "0001"
    assert env.getattr(data, "items") == data.items  # a dict's own method wins, as before
    assert env.from_string("{{ h.id }}/{{ h.name }}/{{ h['items'] }}").render(h=data) == "0001/None/一项"
    with pytest.raises(UndefinedError):
        env.from_string("{{ h.missing }}").render(h=data)
