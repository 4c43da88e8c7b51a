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


# --- Outlines that hold on real texts ---------------------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

LONG = "，".join(["大力发展林业牧业副业渔业"] * 8) + "。"


def headings(blocks):
    return [(b.text, b.level) for b in blocks if b.kind == "heading"]


def test_siblings_of_one_kind_are_headings_together_even_when_a_lead_is_long():
    """The 1978 report: （五）（八）（九） had short leads, （一）–（四）（六）（七） long ones."""
    lines = ["一、加快社会主义经济建设"] + [f"（{n}）{'加强山区建设。正文。' if n in '五八九' else LONG}" for n in "一二三四五六七八九"]
    blocks = structure.build_blocks(lines)
    assert [t for t, _ in headings(blocks)][1:] == [
        f"（{n}）{'加强山区建设。' if n in '五八九' else '大力发展林业牧业副业渔业，'}" for n in "一二三四五六七八九"]
    assert structure.skipped_siblings(blocks) == []


def test_a_long_lead_gives_its_lead_clause_and_keeps_every_character():
    line = "（一）大力增产品种对路的农业机械，" + "满足农业生产的需要" * 10 + "。"
    blocks = structure.build_blocks(["一、总体要求", line])
    assert [(b.kind, b.text) for b in blocks][1:] == [("heading", "（一）大力增产品种对路的农业机械，"),
                                                       ("paragraph", line[len("（一）大力增产品种对路的农业机械，"):])]


def test_one_sibling_without_a_short_heading_keeps_the_whole_run_as_paragraphs():
    lines = ["一、认清形势。正文。", "二、" + "把" * 80 + "。", "三、抓好落实。"]
    assert [b.kind for b in structure.build_blocks(lines)] == ["paragraph"] * 3


def test_a_number_out_of_sequence_stays_a_paragraph_and_the_outline_never_skips():
    blocks = structure.build_blocks(["（一）认清形势。", "（二）盯住重点。", "（四）抓好落实。", "（三）加强监督。"])
    assert [t for t, _ in headings(blocks)] == ["（一）认清形势。", "（二）盯住重点。", "（三）加强监督。"]
    assert [b.text for b in blocks if b.kind == "paragraph"] == ["（四）抓好落实。"]


def test_a_run_restarting_at_one_nests_under_the_current_heading():
    blocks = structure.build_blocks(["一、总体要求", "二、主要任务", "一、稳增长。", "二、调结构。", "三、保障措施"])
    assert headings(blocks) == [("一、总体要求", 2), ("二、主要任务", 2), ("一、稳增长。", 3), ("二、调结构。", 3),
                                ("三、保障措施", 2)]
    assert structure.skipped_siblings(blocks) == []


def test_a_part_title_closes_the_runs_before_it():
    blocks = structure.build_blocks(["一、国内建设", "二、对外工作", "关于国防建设", "一、加强军队建设"])
    assert headings(blocks) == [("一、国内建设", 2), ("二、对外工作", 2), ("一、加强军队建设", 2)]


def test_runs_under_a_paragraph_run_are_not_headings():
    lines = ["一是" + "把" * 80 + "。", "（一）认清形势。", "（二）盯住重点。", "二是" + "把" * 80 + "。", "（一）责任。"]
    assert headings(structure.build_blocks(lines)) == []


def test_skipped_siblings_reports_a_gap():
    from tifa.model import Block
    blocks = (Block("heading", "一、甲", "a", 2), Block("heading", "三、乙", "b", 2))
    assert structure.skipped_siblings(blocks) == ["三、乙: expected 2"]


MARKERS = st.sampled_from(["一、", "二、", "三、", "四、", "（一）", "（二）", "（三）", "1.", "2.", "3.", "（1）", "（2）",
                          "一是", "二是", "第一，", "首先，", "其次，", "最后，", ""])
BODIES = st.sampled_from(["认清形势。正文。", "认清形势", LONG, "把" * 70 + "。", "同志们：", "关于国内建设"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(MARKERS, BODIES), max_size=25))
def test_outline_keeps_every_character_and_never_skips(pairs):
    lines = [m + b for m, b in pairs]
    blocks = structure.build_blocks(lines)
    assert "".join(b.text for b in blocks) == "".join(lines)
    assert structure.skipped_siblings(blocks) == []
    levels = [b.level for b in blocks if b.kind == "heading"]
    assert all(b <= a + 1 for a, b in zip([1] + levels, levels))  # never a level skipped downwards
