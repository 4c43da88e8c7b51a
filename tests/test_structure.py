"""Outline, header metadata and redactions."""
from __future__ import annotations

import pytest

from tifa import structure
from tifa.pipeline import speech_from_text


@pytest.mark.parametrize("line,kind", [
    ("一、关于全市经济社会发展工作", "cn"), ("（一）认清形势，正视问题。", "paren-cn"), ("(二)盯住重点", "paren-cn"),
    ("1.强国建设、民族复兴的政治使命", "num"), ("（3）加强监督", "paren-num"), ("第一，不仅要正确地干事", "ordinal"),
    ("首先，抓落实是大政所向。", "ordinal"), ("一要对党绝对忠诚，把准政治方向。", "cn-yao"), ("一是目标导向。", "cn-shi"),
    ("1.5亿元资金已经到位。", None), ("同志们：", None), ("一切难题，只有在行动中才能破解。", None),
])
def test_heading_kinds(line, kind):
    assert structure.heading_kind(line) == kind


def test_lead_sentence_becomes_heading_and_keeps_the_rest():
    blocks = structure.build_blocks(["同志们：", "一要对党绝对忠诚，把准政治方向。同志们都是领导干部。", "二要担当作为。要干事。"])
    assert [(b.kind, b.text, b.level) for b in blocks] == [
        ("paragraph", "同志们：", 0), ("heading", "一要对党绝对忠诚，把准政治方向。", 2),
        ("paragraph", "同志们都是领导干部。", 0), ("heading", "二要担当作为。", 2), ("paragraph", "要干事。", 0)]
    assert [b.anchor for b in blocks if b.kind == "paragraph"] == ["p1", "p2", "p3"]


def test_levels_follow_first_appearance_of_each_marker_kind():
    blocks = structure.build_blocks(["一、总体要求", "（一）认清形势。正文。", "1.政治使命。正文。", "二、党风廉政", "（一）责任。正文。"])
    assert [(b.text, b.level) for b in blocks if b.kind == "heading"] == [
        ("一、总体要求", 2), ("（一）认清形势。", 3), ("1.政治使命。", 4), ("二、党风廉政", 2), ("（一）责任。", 3)]


def test_long_lead_is_not_a_heading():
    line = "一要" + "把" * 70 + "。后文。"
    assert [b.kind for b in structure.build_blocks([line])] == ["paragraph"]


def test_heading_anchors_are_unique_and_never_look_like_paragraph_anchors():
    blocks = structure.build_blocks(["一、总结", "二、总结"])
    anchors = [b.anchor for b in blocks]
    assert len(set(anchors)) == 2


def test_header_lines_become_metadata():
    text = "在市政府班子务虚会上的讲话（提纲）\n市委副书记、代市长  李**\n（2021年1月**日）\n\n同志们：\n今天我们开会，研究部署全年工作任务。\n"
    speech = speech_from_text(text, "x.txt")
    assert speech.title == "在市政府班子务虚会上的讲话（提纲）"
    assert speech.meta["date"].value == "2021-01"
    assert speech.meta["speaker_role"].value == "市委副书记、代市长"
    assert speech.meta["occasion"].value == "市政府班子务虚会"
    assert speech.blocks[0].text == "同志们："
    assert any("no metadata sidecar" in w for w in speech.warnings)


@pytest.mark.parametrize("mask,length", [("******", 6), ("*", 1), ("＊＊", 2), ("××", 2), ("XX", None), ("//", None)])
def test_masked_length_is_kept_where_known(mask, length):
    assert structure.masked_length(mask) == length
    assert structure.redactions(f"建设{mask}发展") == ((2, 2 + len(mask)),)


def test_not_redactions():
    for text in ("https://www.example.gov.cn", "XXL型号", "Xbox", "3.5％"):
        assert structure.redactions(text) == (), text
