"""The text of a speech is evidence: cleaning removes only reported spans, on every seed and on
arbitrary text. The cleaned text, mapped back through its origin map, equals the source minus the
reported removals; every output character is its source character or that character's
full-width form; and whatever was removed is whitespace or was removed by a named rule."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from tifa import clean as cleaning
from tifa.pipeline import load_speeches
from tifa.sources import read_raw

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds" / "speeches").glob("*.txt"))
WHITESPACE = set(" \t\n\r\u3000\ufeff\xa0")


def assert_lossless(source: str, doc: cleaning.Doc) -> None:
    assert doc.origin == sorted(set(doc.origin)), "output characters must keep source order"
    for ch, o in zip(doc.text, doc.origin):
        assert ch == source[o] or cleaning.FULL_WIDTH.get(source[o]) == ch, (o, source[o], ch)
    removed = set()
    for r in doc.removals:
        assert source[r.start:r.end] == r.text and r.rule
        removed.update(range(r.start, r.end))
    kept = set(doc.origin)
    assert not kept & removed, "a character is both kept and reported removed"
    lost = [i for i in range(len(source)) if i not in kept and i not in removed]
    assert not lost, f"characters dropped without a report: {[source[i] for i in lost][:20]}"
    mapped_back = "".join(source[o] for o in doc.origin)
    assert mapped_back == "".join(c for i, c in enumerate(source) if i not in removed)
    for r in doc.removals:
        if r.rule in ("whitespace", "line_break"):
            assert set(r.text) <= WHITESPACE, f"{r.rule} removed non-whitespace {r.text!r}"


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_every_seed_is_lossless(path):
    raw = read_raw(path, ROOT)
    assert_lossless(raw.text, cleaning.clean(raw.text))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_speech_text_survives_into_blocks(path):
    """Header lines go to metadata, every other cleaned line into headings and paragraphs, whole."""
    speech = next(s for s in load_speeches(ROOT)[0] if s.source_path.endswith(path.name))
    lines = [line for line in speech.doc.text.split("\n") if line]
    body = lines[speech.header.consumed:]
    assert "".join(b.text for b in speech.blocks) == "".join(body)
    header = [line for line in (speech.header.title, speech.header.byline, speech.header.date) if line]
    assert lines[: speech.header.consumed] == header


def test_seeds_are_byte_identical_to_the_shared_raw_texts():
    shared = ROOT.parent / "shared" / "seeds" / "raw"
    if not shared.exists():
        pytest.skip("../shared/seeds/raw is not beside this checkout")
    for path in SEEDS:
        assert path.read_bytes() == (shared / path.name).read_bytes(), path.name


JUNK = ["手机版", "当前隐藏内容免费查看", "(未完,全文共5320字,当前显示2048字)", "免费试读", "登录后查看全文",
        "77范文网", "Copyright © 2015-2024 . 77范文网 版权所有", "粤ICP备15071480号-27", "Top", "会员群：免费QQ群：",
        "下面是小编为大家整理的讲话,供大家参考。", " 4 m$ ^9 U/ ", "(精选文档)"]
SPEECH = st.text(alphabet=st.sampled_from(
    list("同志们今天我们召开会议要抓好落实一二三四五六、，。：；？！“”（）第首先") +
    list(",:;?!().*X/ 　\n12345abcXYZ#_[]<>`-+")), max_size=80)
TEXT = st.lists(st.one_of(SPEECH, st.sampled_from(JUNK)), max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_cleaning_is_lossless_on_arbitrary_text(text):
    assert_lossless(text, cleaning.clean(text))


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_cleaning_is_idempotent(text):
    once = cleaning.clean(text).text
    assert cleaning.clean(once).text == once
