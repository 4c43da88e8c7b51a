"""Output never contains Markdown syntax made from source characters."""
from __future__ import annotations

import os

import markdown as md
from bs4 import BeautifulSoup
from hypothesis import given, settings, strategies as st

from tifa import emit, structure
from tifa.model import Block

EXTENSIONS = ["attr_list", "md_in_html", "tables", "admonition", "pymdownx.details", "toc"]
SOURCE = st.text(alphabet=st.sampled_from(list("讲话要点一二、，。“”") + list("*_`#[]()<>!&|{}~^=:-+.\\'\"1X/ ")),
                 min_size=1, max_size=60)


def render(block_md: str) -> BeautifulSoup:
    return BeautifulSoup(md.markdown(block_md, extensions=EXTENSIONS), "html.parser")


@settings(max_examples=400, deadline=None)
@given(SOURCE)
def test_paragraph_renders_as_exactly_its_text(text):
    text = text.strip() or "讲"
    block = Block("paragraph", text, "p1", number=1, redactions=structure.redactions(text))
    soup = render(emit.block_markdown(block, (), None))
    for tag in soup.find_all(["strong", "em", "code", "a", "ul", "ol", "li", "h1", "h2", "blockquote", "script"]):
        assert tag.name == "a" and "tifa-pn" in tag.get("class", []), f"markup {tag} made from {text!r}"
    shown = soup.find("p")
    shown.find("a", class_="tifa-pn").decompose()
    assert shown.get_text().strip() == block.text.strip()
    masks = [s.get_text() for s in soup.find_all("span", class_="tifa-mask")]
    assert masks == [block.text[s:e] for s, e in block.redactions]


@settings(max_examples=200, deadline=None)
@given(SOURCE)
def test_heading_renders_as_exactly_its_text(text):
    soup = render(f"## {emit.render_inline(text.strip() or '讲', structure.redactions(text.strip() or '讲'))}")
    assert soup.find("h2").get_text() == (text.strip() or "讲")


@given(st.text(max_size=40))
def test_escape_replaces_each_significant_character_by_its_reference(text):
    from tifa.markdown import _SIGNIFICANT, escape

    assert escape(text) == "".join(f"&#{ord(c)};" if c in _SIGNIFICANT else c for c in text).replace("\n", " ")


def test_redaction_mark_says_how_much_was_masked():
    html = emit.redaction_html("******")
    assert 'data-masked="6"' in html and "6 characters masked" in html and "&#42;" * 6 in html
    assert "length unknown" in emit.redaction_html("XX")


def test_write_outputs_touches_only_changed_files(tmp_path):
    files = {"docs/speeches/a.md": "one", "docs/speeches/b.md": "two"}
    assert sorted(emit.write_outputs(tmp_path, files)) == ["docs/speeches/a.md", "docs/speeches/b.md"]
    assert emit.write_outputs(tmp_path, files) == []
    files["docs/speeches/a.md"] = "uno"
    del files["docs/speeches/b.md"]
    assert emit.write_outputs(tmp_path, files) == ["docs/speeches/a.md", "docs/speeches/b.md"]
    assert not (tmp_path / "docs/speeches/b.md").exists()


def test_write_outputs_trusts_a_known_file_only_while_its_size_and_time_are_unchanged(tmp_path, monkeypatch):
    """With the last build's digests (`known`), an untouched file is not read back; a file
    changed on disk since (another size or time) is read and rewritten."""
    from tifa.cache import outputs_state

    files = {"docs/speeches/a.md": "一", "docs/speeches/b.md": "二"}
    digests: dict[str, bytes] = {}
    emit.write_outputs(tmp_path, files, digests=digests)
    state = outputs_state(tmp_path, emit.GENERATED)
    known = {rel: (*state[rel], digests[rel]) for rel in files}
    read = []
    real_same = emit._same
    monkeypatch.setattr(emit, "_same", lambda path, data: read.append(path) or real_same(path, data))
    assert emit.write_outputs(tmp_path, files, known=known) == [] and read == []
    b = tmp_path / "docs/speeches/b.md"
    b.write_text("三", encoding="utf-8")  # the same size, a later time (set: file times can be coarse)
    os.utime(b, ns=(b.stat().st_atime_ns, state["docs/speeches/b.md"][1] + 10**9))
    assert emit.write_outputs(tmp_path, files, known=known) == ["docs/speeches/b.md"]
    assert read == [str(b)] and b.read_text(encoding="utf-8") == "二"
    files["docs/speeches/a.md"] = "壹"  # new content: its digest differs from the known one
    assert emit.write_outputs(tmp_path, files, known=known) == ["docs/speeches/a.md"]


def test_write_outputs_gives_the_state_a_scan_finds_after_it(tmp_path):
    """The sizes and times the build records (`state`) are those of the files it leaves."""
    from tifa.cache import outputs_state

    files = {"docs/speeches/a.md": "一", "docs/speeches/b.md": "二", "docs/data/c.json": "{}"}
    emit.write_outputs(tmp_path, files)
    files["docs/speeches/a.md"] = "壹"  # one file written again, one left as it is, one stale
    del files["docs/data/c.json"]
    state: dict = {}
    assert emit.write_outputs(tmp_path, files, state=state) == ["docs/speeches/a.md", "docs/data/c.json"]
    assert state == outputs_state(tmp_path, emit.GENERATED) and set(state) == set(files)


def test_write_outputs_moves_only_changed_files_and_prunes_emptied_folders(tmp_path):
    files = {"docs/glossary/a.md": "a", "docs/glossary/concordance/a.md": "all of a", "docs/data/x.json": "{}"}
    emit.write_outputs(tmp_path, files)
    kept = (tmp_path / "docs/data/x.json").stat().st_ino
    del files["docs/glossary/concordance/a.md"]
    files["docs/glossary/a.md"] = "a, shorter"
    assert emit.write_outputs(tmp_path, files) == ["docs/glossary/a.md", "docs/glossary/concordance/a.md"]
    assert (tmp_path / "docs/data/x.json").stat().st_ino == kept  # untouched
    assert not (tmp_path / "docs/glossary/concordance").exists()
    assert (tmp_path / "docs/glossary/a.md").read_text() == "a, shorter"
    assert not (tmp_path / emit.STAGING).exists()
