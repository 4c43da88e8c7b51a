"""Glossary pages: entry page, index, concordance, candidates, and inert rendering of fields."""
import os
import re
import sys
from pathlib import Path

import markdown as python_markdown
import yaml
from bs4 import BeautifulSoup
from hypothesis import given, settings, strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from tifa import glossary_pages as pages  # noqa: E402
from tifa.glossary import Entry, load_glossary  # noqa: E402
from tifa.linker import Linker  # noqa: E402
from tifa.model import Block, Speech  # noqa: E402

CASES = Path(__file__).resolve().parent / "cases" / "glossary"
EDIT = "https://github.com/owner/repo/edit/main/seeds/glossary/{}.yml"


def entry(slug, term, category="slogan", pinyin="", **kw):
    fields = dict(traditional=term, english=((f"E-{slug}", "Xinhua"),), scope="national",
                  summary={"zh": f"{term}概要", "en": f"summary of {slug}"},
                  definition={"zh": f"{term}定义", "en": f"definition of {slug}"})
    fields.update(kw)
    return Entry(slug=slug, term=term, pinyin=pinyin or slug.replace("-", " "), category=category, **fields)


def speech(slug, *paragraphs, title=None):
    blocks = tuple(Block("paragraph", text, f"p{i}", number=i) for i, text in enumerate(paragraphs, 1))
    return Speech(slug=slug, source_path=f"seeds/speeches/{slug}.txt", title=title or f"讲话{slug}", blocks=blocks)


SI_GE = entry("si-ge-yi-shi", "四个意识", pinyin="sì gè yìshí", traditional="四個意識",
              english=(("the Four Consciousnesses", "Xinhua"), ("four kinds of awareness", "China Daily")),
              summary={"zh": "政治意识等", "en": "Four kinds of political awareness"},
              components=("政治意识", "大局意识"), related=("liang-ge-wei-hu", "gone"))
ZHENG_ZHI = entry("zheng-zhi-yi-shi", "政治意识", pinyin="zhèngzhì yìshí")
LIANG_GE = entry("liang-ge-wei-hu", "两个维护", pinyin="liǎng gè wéihù")
CORPUS = [
    speech("a", "同志们要树牢“四个意识”，坚定“四个自信”，做到“两个维护”。", "再讲四个意识。"),
    speech("b", "一" * 30 + "四个意识" + "二" * 30),
]


def render(md: str) -> BeautifulSoup:
    body = md.split("---\n", 2)[2] if md.startswith("---\n") else md
    return BeautifulSoup(python_markdown.markdown(body, extensions=["md_in_html", "attr_list", "tables"]), "html.parser")


def front(md: str) -> dict:
    return yaml.safe_load(md.split("---\n", 2)[1])


# ---------------------------------------------------------------------------------------------
def test_find_occurrences_gives_twenty_characters_of_context_and_the_paragraph():
    found = pages.find_occurrences(CORPUS, Linker([SI_GE, LIANG_GE]))
    assert [(o.speech_slug, o.anchor, o.number) for o in found["si-ge-yi-shi"]] == [
        ("a", "p1", 1), ("a", "p2", 2), ("b", "p1", 1)]
    last = found["si-ge-yi-shi"][2]
    assert (last.before, last.match, last.after) == ("一" * 20, "四个意识", "二" * 20)
    assert found["liang-ge-wei-hu"][0].before == "牢“四个意识”，坚定“四个自信”，做到“"  # 20 characters


def test_tooltip():
    assert pages.tooltip(SI_GE) == "四个意识 · sì gè yìshí · the Four Consciousnesses · Four kinds of political awareness"


def _si_ge_page():
    by_slug = {e.slug: e for e in (SI_GE, ZHENG_ZHI, LIANG_GE)}
    occurrences = pages.find_occurrences(CORPUS, Linker(by_slug.values()))["si-ge-yi-shi"]
    return pages.entry_page(SI_GE, by_slug, occurrences, EDIT.format("si-ge-yi-shi"))


def test_entry_page_front_matter_and_heading():
    md = _si_ge_page()
    assert front(md) == {"title": "四个意识", "description": "Four kinds of political awareness"}
    html = render(md)
    assert html.h1.get_text() == "四个意识"  # one title; the traditional form is among the facts
    assert "繁体 Traditional: 四個意識" in html.get_text()
    assert "Traditional" not in render(pages.entry_page(ZHENG_ZHI, {}, [], "")).get_text()  # same as the term


def test_entry_page_links_components_related_speeches_and_edit_url():
    html = render(_si_ge_page())
    hrefs = {a.get_text(): a["href"] for a in html.find_all("a")}
    assert hrefs["政治意识"] == "zheng-zhi-yi-shi.md"
    assert "大局意识" not in hrefs  # no entry: plain text
    assert hrefs["两个维护"] == "liang-ge-wei-hu.md"
    assert "gone" in html.get_text() and "gone" not in hrefs
    # the speech list is an HTML block: the speeches' URLs from the entry's own (glossary/<slug>/)
    assert hrefs["讲话a"] == "../../speeches/a/" and hrefs["讲话b"] == "../../speeches/b/"
    assert hrefs["编辑此条目 Edit this entry"] == EDIT.format("si-ge-yi-shi")
    assert html.find("a", href="liang-ge-wei-hu.md")["title"].startswith("两个维护 · liǎng gè wéihù")


def test_entry_page_concordance_has_every_occurrence_highlighted_and_anchored():
    html = render(_si_ge_page())
    marks = html.find_all("mark")
    assert [m.get_text() for m in marks] == ["四个意识"] * 3
    anchors = [a["href"] for a in html.find_all("a") if a.get_text().startswith("¶")]
    # an HTML block: the URLs MkDocs gives the pages, from the entry's own (glossary/<slug>/)
    assert anchors == ["../../speeches/a/#p1", "../../speeches/a/#p2", "../../speeches/b/#p1"]
    text = html.get_text()
    assert "3 occurrences in 2 speeches" in text
    assert "讲话a — 2 次 times" in text and "讲话b — 1 次 times" in text
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in html.select(".tifa-kwic tbody tr")]
    assert rows[2][:3] == ["一" * pages.KWIC_CHARS, "四个意识", "二" * pages.KWIC_CHARS]  # keyword centred
    assert [th.get_text() for th in html.select(".tifa-kwic th")] == [
        "左 · Left", "提法 · Term", "右 · Right", "出处 · Where"]


def test_entry_page_without_occurrences_says_so():
    md = pages.entry_page(ZHENG_ZHI, {}, [], EDIT.format("zheng-zhi-yi-shi"))
    assert "Not found in the corpus yet" in md and "<mark>" not in md


HOSTILE = "<script>alert(1)</script> **bold** [x](javascript:alert(1)) <img src=x onerror=alert(1)> `code` # h |t|"


def test_markdown_and_html_in_every_field_render_as_inert_text():
    evil = entry("evil", HOSTILE, traditional=HOSTILE, pinyin=HOSTILE,
                 english=((HOSTILE, HOSTILE, HOSTILE, "javascript:alert(1)"),), status=HOSTILE, superseded_by=HOSTILE,
                 scope=HOSTILE, summary={"zh": HOSTILE, "en": HOSTILE}, definition={"zh": HOSTILE, "en": HOSTILE},
                 components=(HOSTILE,), aliases=(HOSTILE,), related=(HOSTILE,),
                 first_use={"date": HOSTILE, "document": HOSTILE, "url": "javascript:alert(1)", "unverified": HOSTILE},
                 history=({"date": HOSTILE, "zh": HOSTILE, "en": HOSTILE},),
                 sources=({"title": HOSTILE, "issuer": HOSTILE, "date": HOSTILE, "url": "javascript:alert(1)",
                           "unverified": HOSTILE},))
    occurrence = pages.Occurrence("s", HOSTILE, "p1", 1, HOSTILE, HOSTILE, HOSTILE)
    for md in (pages.entry_page(evil, {"evil": evil}, [occurrence], "javascript:alert(1)"),
               pages.index_page([evil], {"evil": 1})):
        body = md.split("---\n", 2)[2]
        assert "<script" not in body and "<img" not in body  # the rendered check below covers hrefs
        html = render(md)
        for kwic in html.select(".tifa-kwic"):
            kwic.find("table").unwrap()  # the concordance's own table; what is inside is checked below
        assert html.find_all(["script", "img", "code", "table"]) == []
        assert [s for s in html.find_all(["strong", "em"]) if s.get_text() == "bold"] == []
        assert not [a for a in html.find_all("a") if a["href"].startswith("javascript")]
        assert HOSTILE in html.get_text()
    title = yaml.safe_load(pages.entry_page(evil, {}, [], "").split("---\n")[1])["title"]
    assert "<" not in title and ">" not in title and "\"" not in title and "script" in title


def test_entry_page_cites_sources_first_use_english_and_successor():
    old = entry("shi-san-wu", "十三五", status="superseded", superseded_by="shi-si-wu",
                english=(pages.Rendering("the 13th Five-Year Plan", "Xinhua", "media", "https://example.org/e"),
                         ("13th FYP", "Tifa")),
                first_use={"date": "2015-10", "document": "五中全会建议", "unverified": "no copy found"},
                history=({"date": "2021-03", "zh": "十四五规划纲要通过。", "en": "The 14th plan is adopted."},),
                sources=({"title": "纲要", "issuer": "新华社", "date": "2016-03-17", "url": "https://example.org/s"},
                         {"title": "说明", "unverified": "title only"}))
    md = pages.entry_page(old, {}, [], "")
    html = render(md)
    hrefs = {a.get_text(): a["href"] for a in html.find_all("a")}
    assert hrefs["Xinhua"] == "https://example.org/e" and hrefs["纲要"] == "https://example.org/s"
    assert hrefs["shi-si-wu"] == "shi-si-wu.md"
    text = html.get_text()
    assert "已被取代 superseded → shi-si-wu" in text
    assert "(Xinhua; 媒体 media)" in text and "(Tifa; 本站译法 Tifa's own)" in text  # a bare pair counts as own
    assert "2015-10 — 五中全会建议 (未核实 unverified: no copy found)" in text
    assert "2021-03: 十四五规划纲要通过。 The 14th plan is adopted." in text
    assert "(新华社 · 2016-03-17)" in text and "说明 (未核实 unverified: title only)" in text


def test_only_http_urls_become_links():
    assert pages.safe_url("https://example.org/a b(c)") == "https://example.org/a%20b%28c%29"
    assert pages.safe_url("javascript:alert(1)") is None
    assert pages.safe_url("") is None


def test_index_groups_by_category_and_orders_by_pinyin():
    entries = [entry("zhang", "张", pinyin="zhāng"), entry("an", "安", pinyin="ān"),
               entry("ba", "八项规定", category="discipline", pinyin="bā xiàng guīdìng"),
               entry("bei", "北", pinyin="běi")]
    md = pages.index_page(entries, {"an": 7})
    html = render(md)
    assert [h.get_text() for h in html.find_all("h2")] == ["提法 Slogans and formulas",
                                                          "党纪 Party discipline and anti-corruption"]
    first_list = html.find_all("ul")[0]
    assert [a["href"] for a in first_list.find_all("a")] == ["an.md", "bei.md", "zhang.md"]
    assert "(7)" in first_list.find_all("li")[0].get_text()
    assert "(0)" in first_list.find_all("li")[1].get_text()
    assert "E-an" in first_list.get_text() and "summary of an" in first_list.get_text()


# ---------------------------------------------------------------------------------------------
CANDIDATE_CORPUS = [
    speech("a", "树牢“四个意识”，做到“两个维护”，践行“三严三实”，打造“好地方”。",
           "做到两个维护，抓好六稳六保，落实一岗双责。"),
    speech("b", "坚持“两个维护”，把“好地方”建设好。"),
]


def _candidates(entries):
    return pages.find_candidates(CANDIDATE_CORPUS, entries, Linker(entries))


def test_candidates_find_numbered_formulas_without_entry():
    c = _candidates([SI_GE, ZHENG_ZHI])
    formulas = {x.text: x.count for x in c.formulas}
    assert formulas["两个维护"] == 3
    assert formulas["三严三实"] == 1 and formulas["六稳六保"] == 1 and formulas["一岗双责"] == 1
    assert "四个意识" not in formulas
    first = next(x for x in c.formulas if x.text == "两个维护")
    assert (first.example.speech_slug, first.example.anchor, first.example.match) == ("a", "p1", "两个维护")
    assert [x.text for x in c.formulas][0] == "两个维护"  # most frequent first


def test_candidates_find_quoted_phrases_and_skip_covered_ones():
    c = _candidates([SI_GE, LIANG_GE])
    quoted = {x.text: x.count for x in c.quoted}
    assert quoted == {"好地方": 2}
    assert "两个维护" not in {x.text for x in c.formulas}


def test_candidates_list_entries_that_occur_nowhere():
    c = _candidates([SI_GE, ZHENG_ZHI])
    assert [e.slug for e in c.unused] == ["zheng-zhi-yi-shi"]


def test_candidate_keywords_are_not_entry_terms_and_occur_outside_entries():
    c = _candidates([SI_GE, ZHENG_ZHI])
    terms = {"四个意识", "政治意识"}
    assert c.keywords and all(k.text not in terms and k.count > 0 for k in c.keywords)


def test_candidates_page_and_text():
    c = _candidates([SI_GE, ZHENG_ZHI])
    md = pages.candidates_page(c)
    html = render(md)
    assert front(md)["title"] == "候选条目 Candidate terms"
    assert html.find("a", href="zheng-zhi-yi-shi.md") is not None
    assert html.find("a", href="../speeches/a.md#p1") is not None
    text = pages.candidates_text(c)
    assert re.search(r"^\s+3  两个维护  a ¶1  ….*\[两个维护\]", text, re.M)
    assert "zheng-zhi-yi-shi  政治意识" in text


# ---------------------------------------------------------------------------------------------
GOLDEN = CASES / "pages" / "si-ge-yi-shi.md"


def test_entry_page_golden():
    """Reviewed once; regenerate with TIFA_UPDATE_GOLDEN=1 and review the diff."""
    entries, problems = load_glossary(CASES / "valid" / "seeds" / "glossary", CASES / "valid")
    assert problems == []
    by_slug = {e.slug: e for e in entries}
    occurrences = pages.find_occurrences(CORPUS, Linker(entries))
    md = pages.entry_page(by_slug["si-ge-yi-shi"], by_slug, occurrences["si-ge-yi-shi"], EDIT.format("si-ge-yi-shi"))
    if os.environ.get("TIFA_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(md, encoding="utf-8")
    assert md == GOLDEN.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
def _dated_corpus(n):
    """n speeches, each using 四个意识 once, with dates and places; one with a masked place."""
    from tifa.model import MetaField
    out = []
    for i in range(n):
        s = speech(f"s{i:04d}", f"第{i}篇讲话要树牢四个意识，**同志")
        meta = {"date": MetaField(f"{2000 + i % 24}-{1 + i % 12:02d}"), "place": MetaField(f"某省{i}市")}
        out.append(Speech(slug=s.slug, source_path=s.source_path, title=s.title, blocks=s.blocks, meta=meta))
    return out


def test_occurrences_are_listed_by_date_with_place():
    corpus = _dated_corpus(5)
    found = pages.find_occurrences(corpus, Linker([SI_GE]))["si-ge-yi-shi"]
    html = render(pages.entry_page(SI_GE, {}, found, "", {s.slug: s for s in corpus}))
    items = [li.get_text() for li in html.select("h2 + p + ul > li")]
    assert [i.split(" · ")[0] for i in items] == sorted(f"{2000 + i}-{1 + i:02d}" for i in range(5))
    assert items[0].startswith("2000-01 · 某省0市 · 讲话s0000")
    assert [td.get_text() for td in html.select(".tifa-kwic tbody td:nth-of-type(4)")][0].startswith("2000-01 ¶1")
    assert html.select(".tifa-kwic .tifa-mask")  # masks in the context are marks, as in the speech


def test_a_thousand_speeches_stay_readable_with_a_full_page():
    corpus = _dated_corpus(1000)
    found = pages.find_occurrences(corpus, Linker([SI_GE]))["si-ge-yi-shi"]
    speeches = {s.slug: s for s in corpus}
    assert pages.needs_full_page(found)
    html = render(pages.entry_page(SI_GE, {}, found, "", speeches))
    assert len(html.select("h2 + p + ul > li")) == pages.SPEECHES_SHOWN
    assert len(html.select(".tifa-kwic tbody tr")) == pages.LINES_SHOWN
    text = html.get_text()
    assert f"{1000 - pages.SPEECHES_SHOWN} more" in text and f"{1000 - pages.LINES_SHOWN} more" in text
    assert {a["href"] for a in html.find_all("a") if "see all" in a.get_text()} == {"concordance/si-ge-yi-shi.md"}
    full = render(pages.full_page(SI_GE, found, speeches))
    assert len(full.select(".tifa-kwic tbody tr")) == 1000 and len(full.select("h2 + p + ul > li")) == 1000
    assert all(a["href"].startswith("../../../speeches/") for a in full.select(".tifa-kwic a"))  # URLs, one deeper
    assert full.find("a", href="../si-ge-yi-shi.md") is not None
    small = pages.find_occurrences(corpus[:3], Linker([SI_GE]))["si-ge-yi-shi"]
    assert not pages.needs_full_page(small) and "more" not in render(pages.entry_page(SI_GE, {}, small, "")).get_text()


def test_candidates_link_to_the_propose_form():
    c = _candidates([SI_GE, ZHENG_ZHI])
    html = render(pages.candidates_page(c, "https://github.com/owner/repo"))
    proposals = [a["href"] for a in html.find_all("a") if a.get_text() == "提议词条 · propose"]
    assert len(proposals) == len(c.formulas) + len(c.quoted) + len(c.keywords)
    assert proposals[0].startswith("https://github.com/owner/repo/issues/new?template=propose-term.yml&term=")
    assert "%E4%B8%A4%E4%B8%AA%E7%BB%B4%E6%8A%A4" in proposals[0]  # 两个维护, the most frequent
    assert html.find("a", href="https://github.com/owner/repo/blob/main/CONTRIBUTING.md") is not None
    assert "propose" not in pages.candidates_page(c)


CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def test_keyword_counts_from_rjieba_equal_jiebas_on_real_reports():
    """The candidate keywords count words cut by rjieba (jieba-rs) for speed; on real text they
    must be the words jieba's own Python cuts, counted the same (Han words: what may become a
    keyword; rjieba keeps "2011-2020" whole where jieba splits it, which no keyword can be)."""
    import jieba

    path = CORPORA / "government_work_reports.jsonl"
    if not path.exists():
        import pytest
        pytest.skip(f"{path} not found (the real corpora live beside the repository)")
    import json
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[-4:]]
    texts = [p for row in rows for p in row["content"].split("\n") if p.strip()]
    import jieba.analyse

    stop_words = jieba.analyse.default_tfidf.stop_words
    expected: dict[str, int] = {}
    tokenizer = jieba.Tokenizer()  # jieba's own dictionary: another test may have added words to jieba.dt's
    for text in texts:
        for w in tokenizer.cut(text):
            if len(w.strip()) >= 2 and w.lower() not in stop_words:
                expected[w] = expected.get(w, 0) + 1
    han = re.compile(r"[\u4e00-\u9fff]+")
    got = pages._word_counts(texts)
    assert len(texts) > 200
    assert {w: n for w, n in got.items() if han.fullmatch(w)} == {w: n for w, n in expected.items() if han.fullmatch(w)}


def _terms(counts: dict[str, int]):
    from array import array

    idf = pages.idf_table()[0]
    rows = pages.word_rows(list(counts))
    assert [row == pages.UNKNOWN for row in rows] == [w not in idf for w in counts]
    weights = pages._vocabulary()[1]
    assert all(weights[row] == idf[w] for w, row in zip(counts, rows) if row != pages.UNKNOWN)
    return pages.SpeechTerms(frozenset(), frozenset(), "\n".join(counts), array("I", counts.values()), rows,
                             "\n".join(w for w in counts if w not in idf))


def _keywords_by_dict(terms, top):
    """extract_tags' ranking, written plainly: the sums in a dict, ties in first-seen order."""
    idf, median = pages.idf_table()
    freq: dict[str, float] = {}
    for t in terms:
        for w, n in zip(t.word_lines.split("\n"), t.counts) if t.counts else ():
            freq[w] = freq.get(w, 0.0) + n
    total = sum(freq.values())
    for w in freq:
        freq[w] *= idf.get(w, median) / total
    words = sorted(freq, key=freq.__getitem__, reverse=True)[:top]
    return [w for w in words if len(w) >= 2 and re.fullmatch(f"[{pages.HAN}]+", w)]


# words in jieba's IDF table and out of it (weighed by the median), and one that is no keyword
WORDS = ["发展", "经济", "改革", "政府", "工作", "六稳六保", "放管服改革", "一岗双责", "ab12"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(WORDS), st.integers(1, 4), max_size=len(WORDS)), max_size=6),
       st.integers(1, 8))
def test_keywords_summed_by_numpy_equal_the_plain_ranking(speeches, top):
    terms = [_terms(counts) for counts in speeches]
    original = pages.KEYWORDS
    try:
        pages.KEYWORDS = top  # few: ties at the cut are common
        assert pages._keywords(terms) == _keywords_by_dict(terms, top)
    finally:
        pages.KEYWORDS = original


def test_stop_words_and_idf_table_are_jieba_analyses():
    import jieba.analyse

    tfidf = jieba.analyse.default_tfidf
    assert pages.STOP_WORDS == tfidf.stop_words
    assert pages.idf_table() == (tfidf.idf_freq, tfidf.median_idf)
