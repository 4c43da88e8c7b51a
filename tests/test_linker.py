"""Linker: longest non-overlapping matches in Han text, negative contexts, jieba helpers."""
import re
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from tifa.glossary import Entry  # noqa: E402
from tifa.linker import Linker, Match, jieba_keep_whole, jieba_userdict, link_markdown, unlink_markdown  # noqa: E402
from tifa.markdown import escape  # noqa: E402


def entry(slug, term, aliases=(), negative=()):
    return Entry(slug=slug, term=term, traditional=term, pinyin="", english=(("x", "y"),),
                 category="slogan", scope="national", summary={"zh": "", "en": ""},
                 definition={"zh": "", "en": ""}, aliases=tuple(aliases), negative_contexts=tuple(negative))


def found(linker, text):
    return [(m.surface, m.slug) for m in linker.find(text)]


def test_term_inside_han_text_is_found():
    linker = Linker([entry("si-ge-yi-shi", "四个意识")])
    assert linker.find("树牢四个意识、坚定四个自信") == [Match(2, 6, "si-ge-yi-shi", "四个意识")]


def test_longest_match_wins():
    linker = Linker([entry("cong-yan-zhi-dang", "从严治党"), entry("quan-mian", "全面从严治党")])
    assert found(linker, "推进全面从严治党向纵深发展") == [("全面从严治党", "quan-mian")]
    assert found(linker, "坚持从严治党") == [("从严治党", "cong-yan-zhi-dang")]


def test_shorter_term_is_found_inside_a_longer_phrase_without_entry():
    linker = Linker([entry("liu-wen", "六稳"), entry("liu-bao", "六保")])
    assert found(linker, "做好六稳六保工作") == [("六稳", "liu-wen"), ("六保", "liu-bao")]


def test_shorter_term_is_not_found_inside_a_longer_entry():
    linker = Linker([entry("liu-wen", "六稳"), entry("liu-wen-liu-bao", "六稳六保")])
    assert found(linker, "做好六稳六保工作，六稳") == [("六稳六保", "liu-wen-liu-bao"), ("六稳", "liu-wen")]


def test_matches_never_overlap_and_the_leftmost_wins():
    linker = Linker([entry("a", "政治意识"), entry("b", "意识形态")])
    assert found(linker, "政治意识形态") == [("政治意识", "a")]
    matches = linker.find("政治意识形态，意识形态")
    assert all(x.end <= y.start for x, y in zip(matches, matches[1:]))
    assert found(linker, "政治意识形态，意识形态") == [("政治意识", "a"), ("意识形态", "b")]


def test_aliases_link_to_their_entry():
    linker = Linker([entry("si-ge-yi-shi", "四个意识", aliases=["四种意识"])])
    assert found(linker, "四种意识和四个意识") == [("四种意识", "si-ge-yi-shi"), ("四个意识", "si-ge-yi-shi")]


def test_negative_context_blocks_only_occurrences_inside_it():
    linker = Linker([entry("yi-ba-shou", "一把手", negative=["第一把手术刀"])])
    assert found(linker, "他是第一把手术刀的主人，也是一把手") == [("一把手", "yi-ba-shou")]
    assert linker.find("第一把手术刀")[:1] == []


def test_negative_context_of_one_entry_does_not_block_another():
    linker = Linker([entry("a", "意识", negative=["意识形态"]), entry("b", "形态")])
    assert found(linker, "意识形态") == [("形态", "b")]


def test_many_entries_and_long_text():
    entries = [entry(f"e{i}", f"提法{i:04d}号") for i in range(2000)]
    linker = Linker(entries)
    text = "".join(f"第{i}段提法{i:04d}号。" for i in range(0, 2000, 7))
    matches = linker.find(text)
    assert [m.slug for m in matches] == [f"e{i}" for i in range(0, 2000, 7)]


def test_empty_text_and_no_entries():
    assert Linker([]).find("四个意识") == []
    assert Linker([entry("a", "四个意识")]).find("") == []


def test_jieba_userdict_has_one_line_per_term_and_alias():
    text = jieba_userdict([entry("a", "四个意识", aliases=["四种意识"]), entry("b", "两个维护")])
    lines = text.splitlines()
    assert sorted(line.split()[0] for line in lines) == ["两个维护", "四个意识", "四种意识"]
    assert all(re.fullmatch(r"\S+ \d+ nz", line) and int(line.split()[1]) >= 10**6 for line in lines)


def test_jieba_keep_whole_keeps_slogans_in_one_piece():
    import jieba

    jieba_keep_whole([entry("a", "全面从严治党"), entry("b", "四个意识")])
    words = jieba.lcut("树牢四个意识，推进全面从严治党")
    assert "四个意识" in words and "全面从严治党" in words


# ---------------------------------------------------------------------------------------------
def test_link_markdown_escapes_and_links():
    text = "*树牢*四个意识<script>"
    linker = Linker([entry("si-ge-yi-shi", "四个意识")])
    md = link_markdown(text, linker.find(text), lambda s: f"{s}.md", lambda s: 'a "title"')
    assert md == '&#42;树牢&#42;[四个意识](si-ge-yi-shi.md "a &quot;title&quot;")&#60;script&#62;'


KEYS = ["四个意识", "四个自信", "从严治党", "全面从严治党", "六稳", "[x](y)", '"q"']
texts = st.lists(st.sampled_from(KEYS + ["，", "的", "*", "\\", "[", "]", "(", ")", "<b>", "\n", "a b"]),
                 max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=texts, text2=st.text(max_size=40))
def test_linking_then_unlinking_gives_the_escaped_text_back(text, text2):
    linker = Linker([entry(f"k{i}", key) for i, key in enumerate(KEYS)])
    for sample in (text, text2 + text):
        md = link_markdown(sample, linker.find(sample), lambda s: f"{s}.md", lambda s: f'({s}) "t"')
        assert unlink_markdown(md) == escape(sample)


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_matches_are_sorted_disjoint_and_spell_their_surface(text):
    linker = Linker([entry(f"k{i}", key) for i, key in enumerate(KEYS)])
    matches = linker.find(text)
    assert all(text[m.start:m.end] == m.surface for m in matches)
    assert all(a.end <= b.start for a, b in zip(matches, matches[1:]))
    # no key occurrence is left unlinked in the gaps between matches
    gaps = [text[a:b] for a, b in zip([0] + [m.end for m in matches], [m.start for m in matches] + [len(text)])]
    assert not any(key in gap for gap in gaps for key in KEYS)


# --- Both scripts -----------------------------------------------------------------------------
def test_traditional_text_links_with_offsets_into_the_text_as_written():
    linker = Linker([entry("gong-chan-guo-ji", "共产国际"), entry("si-ge-yi-shi", "四个意识")])
    text = "現在我代表中央委員會，共產國際和四個意識"
    assert [(m.start, m.end, m.slug, m.surface) for m in linker.find(text)] == [
        (11, 15, "gong-chan-guo-ji", "共產國際"), (16, 20, "si-ge-yi-shi", "四個意識")]


def test_an_entrys_traditional_form_is_a_key():
    e = Entry(slug="jing-han", term="京汉铁路罢工", traditional="京漢鐵路罷工", pinyin="", english=(("x", "y"),),
              category="slogan", scope="national", summary={"zh": "", "en": ""}, definition={"zh": "", "en": ""})
    assert found(Linker([e]), "京漢鐵路罷工和京汉铁路罢工") == [("京漢鐵路罷工", "jing-han"), ("京汉铁路罢工", "jing-han")]


def test_negative_contexts_hold_in_traditional_text():
    linker = Linker([entry("yi-ba-shou", "一把手", negative=["第一把手术刀"])])
    assert found(linker, "第一把手術刀，一把手") == [("一把手", "yi-ba-shou")]


def test_the_traditional_congress_report_links_to_glossary_entries(root):
    """陈独秀's report to the third congress (1923) is in traditional characters."""
    import json

    from tifa.glossary import load_glossary
    from tifa.pipeline import speech_from_text
    path = root.parent / "shared" / "corpora" / "cpc_congress_reports.jsonl"
    if not path.exists():
        import pytest
        pytest.skip(f"{path} not found")
    row = next(r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if r.get("congress") == 3)
    speech = speech_from_text(row["content"], "cpc-3.txt")
    entries, _ = load_glossary(root / "seeds" / "glossary", root)
    linker = Linker(entries)
    matches = [(b.text, m) for b in speech.blocks for m in linker.find(b.text)]
    assert matches, "no glossary term linked in the traditional-character report"
    assert any(m.surface != to_simplified_(m.surface) for _, m in matches), "no match in traditional characters"
    assert all(text[m.start:m.end] == m.surface for text, m in matches)


def to_simplified_(text):
    from tifa.script import to_simplified
    return to_simplified(text)
