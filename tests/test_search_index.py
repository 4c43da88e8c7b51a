"""Search index builder (Python) and query logic (docs/javascripts/search/core.js, run in chromium).

The reference for every query is brute force: the sections whose normalised text contains
every normalised part of the query. The index must give exactly that set.
"""
from __future__ import annotations

import base64
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from tifa import search_index as si
from tifa.model import Block, Speech

CORE_JS = Path(__file__).resolve().parents[1] / "docs/javascripts/search/core.js"


def speech(slug, title, *texts):
    blocks, n = [], 0
    for text in texts:
        if text.startswith("# "):
            blocks.append(Block("heading", text[2:], f"h-{len(blocks)}", level=2))
        else:
            n += 1
            blocks.append(Block("paragraph", text, f"p{n}", number=n))
    return Speech(slug=slug, source_path=f"seeds/speeches/{slug}.txt", title=title, blocks=tuple(blocks))


SMALL = [
    speech("a", "在全市会议上的讲话", "# 一、坚定理想信念", "树牢“四个意识”、坚定“四个自信”、做到“两个维护”。",
           "在旗帜鲜明讲政治上坚如磐石。", "ＡＩ＋制造，2025年要实现5G全覆盖。"),
    speech("b", "廉政工作会议讲话", "认真履行“一岗双责”，坚定四个自信。", "# 二、一岗双责", "量子计算与量子通信。"),
]


# ---------------------------------------------------------------------------------------------
# Python reference: decode the files, search by brute force.
def decode_shard(data: bytes) -> dict[str, dict[int, list[int] | int]]:
    count, at = si.read_varint(data, 0)
    heads = []
    for _ in range(count):
        a, at = si.read_varint(data, at)
        b, at = si.read_varint(data, at)
        length, at = si.read_varint(data, at)
        heads.append((chr(a) + (chr(b) if b else ""), length))
    out = {}
    for gram, length in heads:
        end, sec, postings = at + length, 0, {}
        while at < end:
            delta, at = si.read_varint(data, at)
            sec += delta
            n, at = si.read_varint(data, at)
            if len(gram) == 1:
                postings[sec] = n
                continue
            pos, p = [], 0
            for _ in range(n):
                d, at = si.read_varint(data, at)
                p += d
                pos.append(p)
            postings[sec] = pos
        out[gram] = postings
    return out


def all_sections(speeches):
    return [text for s in speeches for _kind, _anchor, text in si.sections(s)]


def brute_force(speeches, query: str) -> dict[int, int]:
    parts = list(dict.fromkeys(p for p in (si.normalize(w) for w in query.split()) if p))
    if not parts:
        return {}
    out = {}
    for sec, text in enumerate(all_sections(speeches)):
        norm = si.normalize(text)
        counts = [sum(1 for i in range(len(norm)) if norm.startswith(p, i)) for p in parts]
        if all(counts):
            out[sec] = sum(counts)
    return out


# ---------------------------------------------------------------------------------------------
def test_normalisation_drops_punctuation_and_folds_width():
    assert si.normalize("坚定“四个自信”") == "坚定四个自信"
    assert si.normalize("ＡＩ＋制造 ５Ｇ") == "ai制造5g"
    assert si.normalize("，。！ \u3000") == ""
    text = "树牢“四个 意识”"
    norm, offsets = si.normalize_with_map(text)
    assert [text[o] for o in offsets] == list(norm)


def test_toneless_pinyin_and_english():
    assert si.toneless("sì gè yìshí") == si.toneless("SIGEYISHI") == "sigeyishi"
    assert si.toneless("the Four Consciousnesses") == "thefourconsciousnesses"


def test_every_gram_occurrence_is_in_its_shard():
    files = si.build_files(SMALL, [])
    meta = json.loads(files["meta.json"])
    grams = {}
    for path, data in files.items():
        if path.startswith("g/"):
            for gram, postings in decode_shard(data).items():
                assert si.gram_shard(gram, meta["shards"]) == int(path[2:-4])
                grams[gram] = postings
    for sec, text in enumerate(all_sections(SMALL)):
        norm = si.normalize(text)
        for i in range(len(norm) - 1):
            assert i in grams[norm[i:i + 2]][sec]
        for ch in set(norm):
            assert grams[ch][sec] == norm.count(ch)


def test_meta_numbers_sections_speech_by_speech():
    meta = json.loads(si.build_files(SMALL, [])["meta.json"])
    starts = [sum(meta["docs"][:i + 1]) for i in range(len(meta["docs"]))]
    assert starts == [0, 2 + len(SMALL[0].blocks)]  # title, metadata table, blocks
    assert meta["sections"] == sum(2 + len(s.blocks) for s in SMALL)
    assert meta["longest"] == max(len(si.normalize(t)) for t in all_sections(SMALL))


def test_chunks_hold_every_section_once_in_order():
    files = si.build_files(SMALL, [])
    chunks = [json.loads(files[f"c/{i}.json"]) for i in range(len(json.loads(files["meta.json"])["chunks"]))]
    assert [x[2] for c in chunks for x in c["x"]] == all_sections(SMALL)


def test_build_is_deterministic():
    assert si.build_files(SMALL, []) == si.build_files(list(SMALL), [])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(alphabet="一二三四五六，。 ab", min_size=0, max_size=40), min_size=1, max_size=6),
                min_size=1, max_size=3))
def test_postings_round_trip_exactly(speeches_texts):
    """Every gram's postings decode to exactly its sections, counts and positions (sections
    without a letter included), across speeches."""
    speeches = [speech(f"x{i}", "题", *[t or "，" for t in texts]) for i, texts in enumerate(speeches_texts)]
    files = si.build_files(speeches, [])
    decoded = {}
    for path, data in files.items():
        if path.startswith("g/"):
            decoded.update(decode_shard(data))
    expected: dict = {}
    for sec, text in enumerate(all_sections(speeches)):
        norm = si.normalize(text)
        for ch in set(norm):
            expected.setdefault(ch, {})[sec] = norm.count(ch)
        for i in range(len(norm) - 1):
            expected.setdefault(norm[i:i + 2], {}).setdefault(sec, []).append(i)
    assert decoded == expected


def test_varints_encode_as_the_worker_decodes():
    values = [0, 1, 127, 128, 300, 16383, 16384, 2 ** 21, 2 ** 28 + 5, 2 ** 35 - 1]
    data, ends = si.varints(si.np.array(values, dtype=si.np.uint64))
    data = data.tobytes()
    at, out = 0, []
    for end in ends.tolist():
        value, at = si.read_varint(data, at)
        assert at == end
        out.append(value)
    assert out == values


# ---------------------------------------------------------------------------------------------
# Query logic in a real browser engine, against the brute-force reference.
@pytest.fixture(scope="module")
def engine(browser, corpus):
    page = browser.new_page()
    page.goto("about:blank")
    page.add_script_tag(content=CORE_JS.read_text(encoding="utf-8"))

    def load(speeches, entries=()):
        files = si.build_files(speeches, list(entries))
        page.evaluate("""files => {
            const bytes = b64 => Uint8Array.from(atob(b64), c => c.charCodeAt(0)).buffer
            window.engine = TifaSearchCore.createSearch(async path => {
                if (!(path in files)) throw new Error("missing " + path)
                return bytes(files[path])
            })
        }""", {k: base64.b64encode(v).decode() for k, v in files.items()})

    def match(query):
        pairs = page.evaluate("async q => [...await engine.match(q)]", query)
        return {sec: n for sec, n in pairs}

    def search(query):
        return page.evaluate("q => engine.search(q)", query)

    yield load, match, search
    page.close()


def seed_queries(speeches, n=120, seed=7):
    """Substrings of real sections (1–30 characters, with their punctuation), pairs of them, misses."""
    rng = random.Random(seed)
    texts = [t for t in all_sections(speeches) if len(t) > 4]
    queries = ["坚如磐石", "磐石", "一岗双责", "坚定四个自信", "量子计算", "量", "一", "的", "2025", "ai"]
    for _ in range(n):
        t = rng.choice(texts)
        i, k = rng.randrange(len(t)), rng.choice([1, 2, 3, 4, 6, 9, 14, 22, 30])
        queries.append(t[i:i + k])
    for _ in range(n // 4):
        queries.append(f"{rng.choice(texts)[:3]} {rng.choice(texts)[-4:]}")
    queries += ["坚如磐石石", "四个自信四个意识", "中华人民共和国国歌"]
    return queries


def test_small_corpus_matches_brute_force(engine):
    load, match, _ = engine
    load(SMALL)
    for q in ["坚定四个自信", "一岗双责", "磐石", "ai制造", "ＡＩ", "5g", "量子计算", "量", "坚定 自信", "二、一岗"]:
        assert match(q) == brute_force(SMALL, q), q


def test_seed_corpus_matches_brute_force(engine, corpus):
    load, match, _ = engine
    load(corpus.speeches)
    for q in seed_queries(corpus.speeches):
        assert match(q) == brute_force(corpus.speeches, q), q


def test_long_queries_take_the_verification_path(engine, corpus):
    load, match, _ = engine
    load(corpus.speeches)
    longest = max(all_sections(corpus.speeches), key=len)
    for q in [longest, longest[:200], longest[100:160] + "不存在", "测" * 5000]:
        assert match(q) == brute_force(corpus.speeches, q)


def test_results_follow_material_protocol_and_highlight(engine):
    load, _, search = engine
    load(SMALL)
    items = search("一岗双责")["items"]
    assert [group[0]["location"] for group in items] == ["speeches/b/"]  # heading match in b only
    assert items[0][1]["location"] == "speeches/b/#h-1"  # the heading first
    assert "<mark>一岗双责</mark>" in items[0][1]["title"]
    assert any("“<mark>一岗双责</mark>”" in doc["text"] for doc in items[0][1:])


def test_odd_queries_are_quiet(engine):
    load, _, search = engine
    load(SMALL)
    assert search("")["items"] == []
    assert search("，")["items"] == []
    assert search("   ")["items"] == []
    assert search("<script>alert(1)</script>")["items"] == []
    assert search("一" * 5000)["items"] == []


def test_markup_in_text_is_escaped(engine):
    load, _, search = engine
    load([speech("x", "<b>题</b>", "甲<script>alert(1)</script>乙")])
    html = json.dumps(search("甲 乙")["items"], ensure_ascii=False)
    assert "<script>" not in html and "&#60;script&#62;" in html


def entry(slug, term, pinyin, english, aliases=()):
    from tifa.glossary import Entry
    return Entry(slug=slug, term=term, traditional="", pinyin=pinyin, english=((english, "Xinhua"),),
                 category="slogan", scope="national", summary={"zh": f"{term}的释义。", "en": "…"},
                 definition={"zh": "", "en": ""}, aliases=tuple(aliases))


GLOSSARY = [entry("si-ge-zi-xin", "四个自信", "sì gè zìxìn", "the Four Confidences", ["四自信"]),
            entry("yi-gang-shuang-ze", "一岗双责", "yī gǎng shuāng zé", "one post, two responsibilities")]


def test_glossary_keys_cover_what_readers_type():
    keys = si.glossary_keys(GLOSSARY[0])
    assert {"四个自信", "四自信", "sigezixin", "thefourconfidences"} <= set(keys)


@pytest.mark.parametrize("query", ["四个自信", "四自信", "sigezixin", "sì gè zìxìn", "si ge zi xin",
                                   "The Four Confidences", "SIGEZIXIN"])
def test_glossary_entry_comes_first(engine, query):
    load, _, search = engine
    load(SMALL, GLOSSARY)
    items = search(query)["items"]
    assert items[0][0]["location"] == "glossary/si-ge-zi-xin/"


# ---------------------------------------------------------------------------------------------
# Numbers and both scripts (issue 8, items 4 and 6).
TRADITIONAL = [speech("t", "中國共產黨第三次全國代表大會報告", "京漢鐵路罷工失敗以後，共產國際。", "# 一、工人運動"),
               speech("s", "简体", "京汉铁路罢工是工人运动。")]


def test_search_folds_traditional_to_simplified_offset_for_offset():
    assert si.normalize("京漢鐵路罷工，共產國際") == "京汉铁路罢工共产国际"
    text = "（京漢）鐵路"
    norm, offsets = si.normalize_with_map(text)
    assert norm == si.normalize(text) == "京汉铁路" and [text[i] for i in offsets] == list("京漢鐵路")


def test_fold_map_ships_only_what_the_index_can_match():
    files = si.build_files(TRADITIONAL, [])
    fold = json.loads(files["meta.json"])["fold"]
    pairs = dict(zip(fold[0::2], fold[1::2]))
    assert pairs["漢"] == "汉" and pairs["鐵"] == "铁" and pairs["罷"] == "罢"
    assert set(pairs.values()) <= {ch for path, data in files.items() if path.startswith("c/")
                                   for ch in si.normalize(data.decode())}
    assert len(fold.encode()) < 60_000  # the whole t2s table, were every character used


@pytest.mark.parametrize("query", ["京汉铁路罢工", "京漢鐵路罷工", "京汉鐵路", "共产国际", "工人运动"])
def test_either_script_finds_both(engine, query):
    load, match, search = engine
    load(TRADITIONAL)
    assert match(query) == brute_force(TRADITIONAL, query) != {}
    if query.startswith("京"):
        assert set(match(query)) == {2, 6}  # the traditional and the simplified paragraph
        assert any("<mark>京漢鐵路" in doc["text"] for group in search(query)["items"] for doc in group)


def test_numbers_are_queries_and_metadata_is_searched(engine, corpus):
    load, match, search = engine
    load(corpus.speeches)
    docs = [s.slug for s in corpus.speeches]
    starts = [sec for sec, (kind, _, _) in enumerate(
        k for s in corpus.speeches for k in si.sections(s)) if kind == "t"]
    owners = {docs[max(i for i, st in enumerate(starts) if st <= sec)] for sec in match("2021")}
    with_2021 = {s.slug for s in corpus.speeches if "2021" in "".join(si.normalize(t) for _, _, t in si.sections(s))}
    assert len(owners) >= 3 and owners == with_2021
    assert match("2021") == brute_force(corpus.speeches, "2021")
    pages = [group[0]["location"] for group in search("2021")["items"]]
    assert len(pages) == len(owners)


def test_the_traditional_congress_report_is_found_by_a_simplified_query(engine):
    """The real case of issue 8: 陈独秀's 1923 report, written 京漢鐵路罷工, found as 京汉铁路罢工."""
    corpora = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "cpc_congress_reports.jsonl"
    if not corpora.exists():
        pytest.skip(f"{corpora} not found")
    from tifa.pipeline import speech_from_text

    rows = [json.loads(line) for line in corpora.read_text(encoding="utf-8").splitlines()]
    row = next(r for r in rows if "京漢鐵路罷工" in r["content"])
    report = speech_from_text(f"{row['title']}\n{row['content']}", "seeds/speeches/third-congress.txt")
    load, match, search = engine
    corpus = [report, *SMALL]
    load(corpus)
    found = match("京汉铁路罢工")
    assert found and found == brute_force(corpus, "京汉铁路罢工")
    assert search("京汉铁路罢工")["items"][0][0]["location"] == f"speeches/{report.slug}/"
