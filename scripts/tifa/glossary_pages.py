"""Glossary pages: pure functions from entries and speeches to Markdown strings.

The emitter writes them to docs/glossary/<slug>.md, docs/glossary/index.md and
docs/glossary/candidates.md, so speech links are "../speeches/<slug>.md#<anchor>" and
entry links are "<slug>.md". Every character from an entry or a speech goes through
`escape` (text) or `attr` (titles, via `link`), so nothing in a field can become Markdown or HTML.
"""
from __future__ import annotations

from array import array
from bisect import bisect_right
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from urllib.parse import quote

from .glossary import CATEGORIES, Entry, Rendering, jieba_folder
from .linker import Linker, _Automaton
from .emit import page_url, render_inline, table_html_rows, table_row
from .markdown import attr, escape, link
from .markdown import front_matter as markdown_front_matter
from .model import Speech
from .structure import redactions

CONTEXT = 20  # characters of context on each side of an occurrence
STATUS_NAMES = {"current": "现行 current", "concluded": "已结束 concluded",
                "superseded": "已被取代 superseded", "renamed": "已改称 renamed"}
KIND_NAMES = {"official": "官方译文 official", "term-bank": "术语库 term bank", "media": "媒体 media",
              "reference": "参考辞书 reference", "own": "本站译法 Tifa's own"}


@dataclass(frozen=True)
class Occurrence:
    speech_slug: str
    speech_title: str
    anchor: str
    number: int | None
    before: str
    match: str
    after: str


def _occurrence(speech: Speech, block, start: int, end: int) -> Occurrence:
    text = block.text
    return Occurrence(speech.slug, speech.title, block.anchor, block.number,
                      text[max(0, start - CONTEXT):start], text[start:end], text[end:end + CONTEXT])


def find_occurrences(speeches, linker: Linker, links=None) -> dict[str, list[Occurrence]]:
    """Every linked occurrence of every entry, in corpus order, keyed by entry slug.
    `links` ({speech slug: {anchor: matches}}) saves linking the texts again."""
    found: dict[str, list[Occurrence]] = {}
    for speech in speeches:
        for block in speech.blocks:
            for m in (links[speech.slug][block.anchor] if links else linker.find(block.text)):
                found.setdefault(m.slug, []).append(_occurrence(speech, block, m.start, m.end))
    return found


# ---------------------------------------------------------------------------------------------
# Small Markdown pieces.
def front_matter(title: str, description: str) -> str:
    return markdown_front_matter(title, description) + "\n"


def safe_url(url: str) -> str | None:
    """An http(s) URL percent-encoded for a Markdown link target, or None for anything else."""
    if not re.match(r"^https?://", url.strip(), re.IGNORECASE):
        return None
    return quote(url.strip(), safe="/:?#@!$&*+,;=%~-._")


def speech_href(slug: str, anchor: str = "") -> str:
    target = f"../speeches/{quote(slug)}.md"
    # Anchors stay unencoded: they are slugs without spaces or brackets, and MkDocs checks
    # anchors literally (a percent-encoded Chinese anchor would be reported missing).
    return f"{target}#{anchor}" if anchor else target


def tooltip(entry: Entry) -> str:
    """Link title shown by Material's content.tooltips (plain text; `link` escapes it)."""
    english = entry.english[0][0] if entry.english else ""
    parts = [entry.term, entry.pinyin, english, entry.summary.get("en", "")]
    return " · ".join(p for p in parts if p)


def entry_link(entry: Entry) -> str:
    return link(escape(entry.term), f"{entry.slug}.md", tooltip(entry))


def paragraph_label(o: Occurrence) -> str:
    return f"¶{o.number}" if o.number is not None else "§"


def _marked(text: str) -> str:
    """Escaped speech text with its masks (`**`, `XX`) as marks, as in the speech itself."""
    return render_inline(text, redactions(text))


KWIC_CHARS = 14  # context shown on each side in the concordance, so that a row fits a page


def kwic_cells(o: Occurrence, date: str = "") -> list[str]:
    """One concordance row (HTML cells): left context · keyword · right context · where: the
    speech's date and the paragraph, linked (the link's title names the speech)."""
    where = f'<a href="{page_url("speeches", o.speech_slug, o.anchor)}" title="{attr(o.speech_title)}">' \
            f'{paragraph_label(o)}</a>'
    when = f"{escape(date)} " if date else ""
    before, after = o.before[-KWIC_CHARS:], o.after[:KWIC_CHARS]
    return [_marked(before), f"<mark>{_marked(o.match)}</mark>", _marked(after), f"{when}{where}"]


KWIC_COLUMNS = ["左 · Left", "提法 · Term", "右 · Right", "出处 · Where"]
KWIC_ALIGN = ("right", "center", "left")


def kwic_row(o: Occurrence, date: str = "") -> str:
    """One concordance row, HTML (`kwic_cells` as a table row). The build makes each speech's
    rows once, with the speech (site._speech_piece), and entry pages are put together from them."""
    return table_row(kwic_cells(o, date), KWIC_ALIGN)


def kwic_block(rows: list[str]) -> list[str]:
    """The concordance of `kwic_row`s, which tifa-tables.js sorts by the left or the right
    context: one HTML block, the table Python-Markdown made of the
    Markdown form before (the concordance holds tens of thousands of rows at 1,000 speeches, and
    Python-Markdown passes HTML through without parsing each cell). Links are written for the
    entry's URL (`full_page` moves them)."""
    return ['<div class="tifa-kwic">\n' + table_html_rows(KWIC_COLUMNS, rows, KWIC_ALIGN) + "\n</div>"]


# ---------------------------------------------------------------------------------------------
# The entry page.
def _rendering(item) -> str:
    r = Rendering(*item)
    source = escape(r.source)
    url = safe_url(r.url)
    shown = link(source, url) if url else source
    return f"*{escape(r.text)}*{{: lang=en }} ({shown}; {escape(KIND_NAMES.get(r.kind, r.kind))})"


def _status(entry: Entry) -> str:
    """The status, and the entry that replaced this one (check has made sure it exists)."""
    shown = escape(STATUS_NAMES.get(entry.status, entry.status))
    if not entry.superseded_by:
        return shown
    return f"{shown} → {link(escape(entry.superseded_by), f'{quote(entry.superseded_by)}.md')}"


def _facts(entry: Entry) -> list[str]:
    zh, en = CATEGORIES.get(entry.category, (entry.category, ""))
    traditional = [f"- **繁体 Traditional:** {escape(entry.traditional)}"] if entry.traditional != entry.term else []
    return [
        *traditional,
        f"- **拼音 Pinyin:** {escape(entry.pinyin)}",
        f"- **英译 English:** {'; '.join(_rendering(r) for r in entry.english)}",
        f"- **类别 Category:** {escape(zh)} {escape(en)}",
        f"- **范围 Scope:** {escape(entry.scope)}",
        f"- **状态 Status:** {_status(entry)}",
    ]


def _bilingual(heading: str, texts: dict) -> list[str]:
    english = escape(texts.get("en", ""))
    return [f"## {heading}", "", escape(texts.get("zh", "")), "", *([english, "{: lang=en }"] if english else []), ""]


def _term_index(by_slug: dict[str, Entry]) -> dict[str, Entry]:
    index = {}
    for entry in by_slug.values():
        for key in entry.keys:
            index.setdefault(key, entry)
    return index


def _components(entry: Entry, by_slug) -> list[str]:
    if not entry.components:
        return []
    known = _term_index(by_slug)
    items = [entry_link(known[c]) if c in known and known[c].slug != entry.slug else escape(c)
             for c in entry.components]
    return ["## 组成 Components", "", *(f"- {item}" for item in items), ""] if items else []


def _related(entry: Entry, by_slug) -> list[str]:
    items = [entry_link(by_slug[s]) if s in by_slug else escape(s) for s in entry.related]
    return ["## 相关 Related", "", *(f"- {item}" for item in items), ""] if items else []


def _aliases(entry: Entry) -> list[str]:
    if not entry.aliases:
        return []
    return ["## 别名 Aliases", "", "、".join(escape(a) for a in entry.aliases), ""]


def _cited(text: str, item: dict) -> str:
    """`text` linked to the item's url, or followed by what could not be verified."""
    url = safe_url(item.get("url", ""))
    if url:
        return link(text, url)
    note = item.get("unverified")
    return f"{text} (未核实 unverified: {escape(note)})" if note else text


def _history(entry: Entry) -> list[str]:
    if not entry.history:
        return []
    lines = [f"- {escape(h['date'])}: {escape(h['zh'])} {escape(h['en'])}" for h in entry.history]
    return ["## 沿革 History", "", *lines, ""]


def _first_use(entry: Entry) -> list[str]:
    """First use, then the dated wording changes that followed it."""
    if not entry.first_use:
        return _history(entry)
    parts = [entry.first_use.get("date", ""), entry.first_use.get("document", "")]
    shown = _cited(" — ".join(escape(p) for p in parts if p), entry.first_use)
    return ["## 首次使用 First use", "", shown, "", *_history(entry)]


def _source_line(source: dict) -> str:
    head = " · ".join(escape(source[k]) for k in ("issuer", "date") if source.get(k))
    shown = _cited(escape(source.get("title", "")), source)
    return f"- {shown} ({head})" if head else f"- {shown}"


def _sources(entry: Entry) -> list[str]:
    if not entry.sources:
        return []
    return ["## 出处 Sources", "", *(_source_line(s) for s in entry.sources), ""]


SPEECHES_SHOWN = 30  # speeches listed on an entry page; the rest on its full concordance page
LINES_SHOWN = 60  # concordance lines on an entry page


def _speech_meta(speech, key: str) -> str:
    field = speech.meta.get(key) if speech is not None else None
    return field.value if field else ""


def _by_speech(occurrences: list[Occurrence]) -> dict[str, list[Occurrence]]:
    """{speech slug: its occurrences, in text order}, in the order the speeches first occur
    (an entry's occurrences come speech by speech: one run each, grouped in C)."""
    groups: dict[str, list[Occurrence]] = {}
    for slug, run in groupby(occurrences, key=attrgetter("speech_slug")):
        groups.setdefault(slug, []).extend(run)
    return groups


def _speech_line(slug: str, title: str, count: int, speech) -> str:
    """One speech of an entry's list, as HTML (the list is an HTML block: a concordance page
    lists hundreds); the link is written for the entry's URL, glossary/<slug>/."""
    label = _speech_label(slug, title, _speech_meta(speech, "date"), _speech_meta(speech, "place"))
    return f"<li>{label} — {count} 次 times</li>"


@lru_cache(maxsize=8192)
def _speech_label(slug: str, title: str, date: str, place: str) -> str:
    """A speech as entry pages list it: made once per speech, not once per entry it uses."""
    prefix = " · ".join(escape(v) for v in (date, place) if v)
    link_html = f'<a href="{page_url("speeches", slug)}">{_marked(title)}</a>'
    return f"{prefix + ' · ' if prefix else ''}{link_html}"


def _more(hidden: int, full: str | None) -> list[str]:
    if hidden <= 0 or not full:
        return []
    return ["", f"还有 {hidden} 条 · {hidden} more — {link('查看全部 · see all', full)}"]


def _corpus(occurrences: list[Occurrence], speeches: dict | None = None, full: str | None = None,
            rows: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """Speeches by date (undated last, then by slug) with place, then the keyword-in-context
    concordance in that order; with `full` (the link to the page with everything) only the first
    SPEECHES_SHOWN / LINES_SHOWN are listed. `rows`: each speech's `kwic_row`s, made already."""
    speeches = speeches or {}
    lines = ["## 在语料中 In the corpus", ""]
    if not occurrences:
        return lines + ["语料中尚未出现。 Not found in the corpus yet.", ""]
    groups = _by_speech(occurrences)
    dates = {slug: _speech_meta(speeches.get(slug), "date") for slug in groups}
    order = sorted(groups, key=lambda slug: (dates[slug] == "", dates[slug], slug))
    lines += [f"共 {len(occurrences)} 次，见于 {len(groups)} 篇讲话。 "
              f"{len(occurrences)} occurrences in {len(groups)} speeches.", ""]
    shown = order[:SPEECHES_SHOWN] if full else order
    lines += ["\n".join(["<ul>", *(_speech_line(s, groups[s][0].speech_title, len(groups[s]), speeches.get(s))
                                   for s in shown), "</ul>"])]
    lines += _more(len(groups) - len(shown), full)
    kwic: list[str] = []
    for slug in order:
        if full and len(kwic) >= LINES_SHOWN:
            break
        kwic += rows[slug] if rows else [kwic_row(o, dates[slug]) for o in groups[slug]]
    kwic = kwic[:LINES_SHOWN] if full else kwic
    lines += ["", "### 语境 Concordance", "",
              "点击表头按左侧或右侧语境排序。 · Sort by the left or right context with the column buttons.", ""]
    lines += kwic_block(kwic)
    lines += _more(len(occurrences) - len(kwic), full)
    return lines + [""]


def needs_full_page(occurrences: list[Occurrence]) -> bool:
    return (len(occurrences) > LINES_SHOWN
            or len({o.speech_slug for o in occurrences}) > SPEECHES_SHOWN)


def entry_page(entry: Entry, by_slug: dict[str, Entry], occurrences: list[Occurrence],
               edit_url: str, speeches: dict | None = None, through_time: str = "",
               rows: dict[str, tuple[str, ...]] | None = None) -> str:
    """The whole Markdown page for one entry. `speeches` (slug → Speech) gives dates and places;
    when the entry occurs too often the page lists the first few and links to `full_page`;
    `through_time` is trends_pages.entry_section; `rows` the concordance rows by speech (`_corpus`)."""
    heading = f"# {escape(entry.term)}"
    full = f"concordance/{entry.slug}.md" if needs_full_page(occurrences) else None
    body = [heading, "", *_facts(entry), "",
            *_bilingual("概要 Summary", entry.summary), *_bilingual("定义 Definition", entry.definition),
            *_components(entry, by_slug), *_aliases(entry), *_related(entry, by_slug),
            *_first_use(entry), *_sources(entry), *filter(None, [through_time]),
            *_corpus(occurrences, speeches, full, rows)]
    url = safe_url(edit_url)
    if url:
        body += ["", link("编辑此条目 Edit this entry", url), ""]
    return front_matter(entry.term, entry.summary.get("en", "")) + "\n".join(body).rstrip() + "\n"


def full_page(entry: Entry, occurrences: list[Occurrence], speeches: dict | None = None,
              rows: dict[str, tuple[str, ...]] | None = None) -> str:
    """Every speech and every concordance line of one entry (linked from its entry page)."""
    lines = [f"# {escape(entry.term)}：全部语境 · Every occurrence", "",
             f"{link('← ' + escape(entry.term), f'../{entry.slug}.md')}", "",
             *_corpus(occurrences, speeches, None, rows)]
    lines = [l.replace("../speeches/", "../../speeches/") if "../speeches/" in l else l for l in lines]
    return front_matter(f"{entry.term} · concordance", f"Every occurrence of {entry.term}") + "\n".join(lines)


# ---------------------------------------------------------------------------------------------
def _sort_key(entry: Entry):
    return (entry.pinyin_search, entry.term, entry.slug)


def _index_line(entry: Entry, count: int) -> str:
    english = f"*{escape(entry.english[0][0])}*{{: lang=en }}" if entry.english else ""
    return (f"- {entry_link(entry)} {escape(entry.pinyin)} — {english} — "
            f"{escape(entry.summary.get('en', ''))} ({count})")


def index_page(entries, counts: dict[str, int]) -> str:
    """All entries grouped by category, ordered by toneless pinyin, with corpus counts."""
    lines = ["# 词汇表 Glossary", "",
             "括号中为语料中的出现次数。 The number in brackets counts occurrences in the corpus.", ""]
    for category, (zh, en) in CATEGORIES.items():
        group = sorted((e for e in entries if e.category == category), key=_sort_key)
        if group:
            lines += [f"## {zh} {en}", "", *(_index_line(e, counts.get(e.slug, 0)) for e in group), ""]
    return front_matter("词汇表 Glossary", "Terms of Chinese local-government speeches") + "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Candidates: what the corpus uses that the glossary does not explain yet.
NUMERAL = "一二两三四五六七八九十百千双"
HAN = r"\u4e00-\u9fff"
NOT_MEASURE = rf"(?![个次步年些样点天月种位项条])[{HAN}]"  # 一步一个, 一个一个 are not formulas
FORMULA_PATTERNS = (
    re.compile(rf"“([{NUMERAL}][{HAN}]{{1,4}}(?:[{NUMERAL}][{HAN}]{{1,4}})?)”"),  # “两个维护”, “六稳六保”
    re.compile(rf"(?<![{NUMERAL}])([两三四五六七八九十]个[{HAN}]{{2}})"),  # 四个意识 without quotes
    re.compile(rf"([{NUMERAL}]{NOT_MEASURE}[{NUMERAL}]{NOT_MEASURE})"),  # 三严三实, 一岗双责, 六稳六保
)
QUOTED = re.compile(r"“([^“”\s，。；、！？：,.;!?:]{2,8})”")
KEYWORDS = 60


@dataclass(frozen=True)
class Candidate:
    text: str
    count: int
    example: Occurrence


@dataclass(frozen=True)
class Candidates:
    formulas: tuple[Candidate, ...]
    quoted: tuple[Candidate, ...]
    keywords: tuple[Candidate, ...]
    unused: tuple[Entry, ...]  # entries that occur nowhere in the corpus


UNKNOWN = 0xFFFFFFFF  # the IDF row of a word jieba's table lacks (it weighs the median)


@dataclass(frozen=True)
class SpeechTerms:
    """What candidate finding needs from one speech, computed once per speech (and cached).
    The word counts are packed (the words one per line, their counts in an array): a rebuild
    loads a thousand of these, and a few objects unpickle far faster than a dict of thousands.
    Each word also has its row in jieba's IDF table (`word_ids`), so that the corpus's counts are
    summed by numpy (`_keywords`), and the words the table lacks are listed apart."""
    formulas: frozenset[str]
    quoted: frozenset[str]
    word_lines: str  # jieba words counted as jieba.analyse.extract_tags counts them, one per line
    counts: array  # 'I': the count of each
    word_ids: array  # 'I': the row of each in the IDF table, or UNKNOWN
    unknown_lines: str  # the words whose row is UNKNOWN, one per line, in order


def speech_terms(speech: Speech) -> SpeechTerms:
    texts = [b.text for b in speech.blocks]
    counts = _word_counts(texts)  # words never hold a line break: blocks are single lines
    rows = word_rows(list(counts))
    return SpeechTerms(frozenset(m.group(1) for t in texts for p in FORMULA_PATTERNS for m in p.finditer(t)),
                       frozenset(m.group(1) for t in texts for m in QUOTED.finditer(t)),
                       "\n".join(counts), array("I", counts.values()), rows,
                       "\n".join(w for w, row in zip(counts, rows) if row == UNKNOWN))


# jieba.analyse's TF-IDF keyword extraction, without importing jieba.analyse (which also loads
# jieba's part-of-speech dictionary: half a second per build). The same stop words and IDF table
# (tests/test_glossary_pages.py checks both against jieba.analyse).
STOP_WORDS = frozenset(("the", "of", "is", "and", "to", "in", "that", "we", "for", "an", "are", "by", "be", "as",
                        "on", "with", "can", "if", "from", "which", "you", "it", "this", "then", "at", "have",
                        "all", "not", "one", "has", "or"))


def idf_file() -> Path:
    return jieba_folder() / "analyse" / "idf.txt"


_IDF: list = []  # the table once read


def idf_table() -> tuple[dict[str, float], float]:
    """jieba's IDF table (jieba/analyse/idf.txt) and its median, read as jieba.analyse reads it."""
    if not _IDF:
        _IDF.append(read_idf_table())
    return _IDF[0]


def read_idf_table() -> tuple[dict[str, float], float]:
    freq = {}
    for line in idf_file().read_text(encoding="utf-8").splitlines():
        word, value = line.strip().split(" ")
        freq[word] = float(value)
    return freq, sorted(freq.values())[len(freq) // 2]


def idf_vocabulary() -> tuple[bytes, str, bytes, float]:
    """jieba's IDF table as the keyword ranking uses it: its words sorted, as numpy fixed-width
    text (for np.searchsorted), their weights in that order (float64) and the median. Bytes: the
    build caches this, and loading it is a copy, where the table is 270,000 words to parse or
    unpickle (0.1–0.2 s)."""
    import numpy as np

    table, median = idf_table()
    words = np.sort(np.array(list(table)))
    weights = np.array([table[w] for w in words.tolist()], dtype=np.float64)
    return words.tobytes(), words.dtype.str, weights.tobytes(), median


_VOCABULARY: list = []  # idf_vocabulary(), once made or taken from the build cache


def use_idf_vocabulary(vocabulary: tuple[bytes, str, bytes, float]) -> None:
    _VOCABULARY[:] = [vocabulary]


def _vocabulary():
    """(the IDF table's words, their weights, the median) as numpy arrays over the same bytes."""
    import numpy as np

    if not _VOCABULARY:
        _VOCABULARY.append(idf_vocabulary())
    words, dtype, weights, median = _VOCABULARY[0]
    return np.frombuffer(words, dtype=dtype), np.frombuffer(weights, dtype=np.float64), median


def word_rows(words: list[str]) -> array:
    """Each word's row in the IDF vocabulary (`idf_vocabulary`), or UNKNOWN: 'I' array."""
    import numpy as np

    vocabulary = _vocabulary()[0]
    if not words:
        return array("I")
    query = np.array(words)
    at = np.searchsorted(vocabulary, query)
    found = vocabulary[np.minimum(at, len(vocabulary) - 1)] == query
    return array("I", np.where(found, at, UNKNOWN).astype(np.uint32).tobytes())


def _word_counts(texts: list[str]) -> dict[str, int]:
    """The term frequencies of jieba's TF-IDF keyword extraction, for summing over speeches.
    jieba cuts at every line break, so cutting block by block equals cutting the joined corpus.

    The cutting is rjieba's (jieba-rs: jieba's algorithm and dictionary, compiled), 15 times
    faster than jieba's Python; tests/test_glossary_pages.py checks both count the same words on
    the real corpora."""
    cut = _rjieba().cut
    counts: dict[str, int] = {}
    for text in texts:
        for w in cut(text, True):
            if len(w.strip()) >= 2 and w.lower() not in STOP_WORDS:
                counts[w] = counts.get(w, 0) + 1
    return counts


@lru_cache(maxsize=1)
def _rjieba():
    """rjieba's own instance, made when it is imported (a second one would load the dictionary
    again: 0.1 s). Nothing adds words to it."""
    import rjieba

    return rjieba


def _keywords(terms: list[SpeechTerms]) -> list[str]:
    """jieba.analyse.extract_tags(corpus, topK=KEYWORDS), from the summed per-speech counts.

    As extract_tags ranks them: each word's count in the corpus times its IDF (the median for a
    word the table lacks) over the corpus's count of words, highest first; equal weights in the
    order the words first occur. The counts of the words in the IDF table are summed by numpy
    over their rows (a million (word, count) pairs at 1,000 speeches), the rest in a dict."""
    import numpy as np

    _, weights, median = _vocabulary()
    if not any(t.counts for t in terms):
        return []
    ids = [np.frombuffer(t.word_ids, dtype=np.uint32) for t in terms]
    starts = np.cumsum([0] + [len(i) for i in ids]).tolist()  # where each speech's words start in `every`
    every = np.concatenate(ids)
    counts = np.concatenate([np.frombuffer(t.counts, dtype=np.uint32) for t in terms]).astype(np.float64)
    total = counts.sum()
    known = every != UNKNOWN
    sums = np.bincount(every[known], weights=counts[known], minlength=len(weights))
    rows = np.flatnonzero(sums)
    unknown: dict[str, list] = {}  # word → [count, where it first occurs in `every`]
    for t, start, its in zip(terms, starts, ids):
        if t.unknown_lines:
            for w, at in zip(t.unknown_lines.split("\n"), np.flatnonzero(its == UNKNOWN).tolist()):
                if w in unknown:
                    unknown[w][0] += t.counts[at]
                else:
                    unknown[w] = [float(t.counts[at]), start + at]
    words = list(unknown)
    scores = np.concatenate([sums[rows] * (weights[rows] / total),
                             np.array([unknown[w][0] for w in words]) * (median / total)])
    if len(scores) > KEYWORDS:  # the KEYWORDS-th weight: what is heavier is in, equal ones by order
        least = np.partition(scores, len(scores) - KEYWORDS)[len(scores) - KEYWORDS]
        chosen = np.flatnonzero(scores >= least)
    else:
        chosen = np.arange(len(scores))
    chosen_rows = chosen[chosen < len(rows)]
    where = np.flatnonzero(np.isin(every, rows[chosen_rows]))
    found, first = np.unique(every[where], return_index=True)
    first_at = dict(zip(found.tolist(), where[first].tolist()))
    order = {int(i): first_at[int(rows[i])] if i < len(rows) else unknown[words[i - len(rows)]][1]
             for i in chosen.tolist()}
    best = sorted(order, key=lambda i: (-scores[i], order[i]))[:KEYWORDS]
    return [w for w in (_word_at(terms, starts, order[i]) for i in best)
            if len(w) >= 2 and re.fullmatch(f"[{HAN}]+", w)]


def _word_at(terms: list[SpeechTerms], starts: list[int], at: int) -> str:
    """The word at position `at` of all speeches' words, one after another."""
    speech = bisect_right(starts, at) - 1
    return terms[speech].word_lines.split("\n")[at - starts[speech]]


def _inside(start: int, end: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether [start, end) lies inside one of `spans` (sorted, non-overlapping; `starts` their starts)."""
    i = bisect_right(starts, start) - 1
    return i >= 0 and end <= spans[i][1]


def speech_uncovered(automaton: _Automaton, speech: Speech, links: dict) -> dict[str, list]:
    """{text: [count, block index, start, end]} for the automaton's texts in one speech, outside
    the linked entry occurrences `links` ({anchor: matches}), with where the first one is (see
    `uncovered_occurrence`). Occurrences of one text are counted without overlap, left to right,
    as `re.finditer` would. Lean, because it is cached and sent between processes per speech."""
    found: dict[str, list] = {}
    for index, block in enumerate(speech.blocks):
        spans = [(m.start, m.end) for m in links[block.anchor]]
        starts, taken = [s for s, _ in spans], {}
        for start, end, text in automaton.scan(block.text):
            if start < taken.get(text, 0):
                continue
            taken[text] = end
            if _inside(start, end, spans, starts):
                continue
            hit = found.get(text)
            if hit is None:
                found[text] = [1, index, start, end]
            else:
                hit[0] += 1
    return found


def speech_uncovered_texts(speech: Speech, links: dict, texts) -> dict[str, list]:
    """`speech_uncovered` for a few `texts`, each looked for by str.find (in C), not by a pass
    over every character: the same counts and first occurrences (after an edit adds a candidate,
    the build looks for it alone)."""
    found: dict[str, list] = {}
    for index, block in enumerate(speech.blocks):
        spans = [(m.start, m.end) for m in links[block.anchor]]
        starts = [s for s, _ in spans]
        for text in texts:
            start = block.text.find(text) if text else -1
            while start >= 0:
                end = start + len(text)
                if not _inside(start, end, spans, starts):
                    hit = found.get(text)
                    if hit is None:
                        found[text] = [1, index, start, end]
                    else:
                        hit[0] += 1
                start = block.text.find(text, end)
    return found


def uncovered_occurrence(speech: Speech, hit: list) -> Occurrence:
    """The first occurrence `speech_uncovered` found: hit is [count, block index, start, end]."""
    _count, index, start, end = hit
    return _occurrence(speech, speech.blocks[index], start, end)


def candidate_automaton(texts) -> _Automaton:
    return _Automaton((t, t) for t in sorted(texts))


def _merge_uncovered(speeches, per_speech: list[dict[str, list]]) -> dict[str, tuple[int, Occurrence]]:
    """{text: (count in the corpus, its first occurrence)}."""
    merged: dict[str, list] = {}
    for speech, found in zip(speeches, per_speech):
        for text, hit in found.items():
            if text in merged:
                merged[text][0] += hit[0]
            else:
                merged[text] = [hit[0], speech, hit]
    return {text: (count, uncovered_occurrence(speech, hit)) for text, (count, speech, hit) in merged.items()}


def _collect(texts, found) -> tuple[Candidate, ...]:
    items = [Candidate(t, *found[t]) for t in set(texts) if t in found]
    return tuple(sorted(items, key=lambda c: (-c.count, c.text)))


def candidate_texts(entries, terms: list[SpeechTerms]) -> tuple[set[str], set[str], set[str]]:
    """Formulas, quoted phrases and keywords of the corpus that no entry covers."""
    covered = {key for e in entries for key in e.keys}
    formulas = set().union(*(t.formulas for t in terms))
    quoted = set().union(*(t.quoted for t in terms)) - formulas - covered
    keywords = set(_keywords(terms)) - formulas - quoted - covered
    return formulas - covered, quoted, keywords


def find_candidates(speeches, entries, linker: Linker, links=None, terms=None, uncovered=None) -> Candidates:
    """Numbered formulas, quoted phrases and keywords without an entry; entries never used.

    Linear in the corpus: each speech is read by one Aho–Corasick pass for the linked entries and
    one for all candidates together. `links` ({slug: {anchor: matches}}), `terms` (SpeechTerms
    per speech) and `uncovered` (a function giving `speech_uncovered` for every speech) let the
    build reuse cached or parallel work; without them everything is computed here.
    """
    links = links or {s.slug: {b.anchor: linker.find(b.text) for b in s.blocks} for s in speeches}
    terms = terms or [speech_terms(s) for s in speeches]
    formulas, quoted, keywords = candidate_texts(entries, terms)
    texts = formulas | quoted | keywords
    if uncovered is None:
        automaton = candidate_automaton(texts)
        per_speech = [speech_uncovered(automaton, s, links[s.slug]) for s in speeches]
    else:
        per_speech = uncovered(texts)
    found = _merge_uncovered(speeches, per_speech)
    used = {m.slug for by_anchor in links.values() for matches in by_anchor.values() for m in matches}
    return Candidates(
        formulas=_collect(formulas, found),
        quoted=_collect(quoted, found),
        keywords=_collect(keywords, found),
        unused=tuple(e for e in sorted(entries, key=_sort_key) if e.slug not in used),
    )


def propose_url(repo: str, text: str) -> str:
    """The propose-a-term issue form (.github/ISSUE_TEMPLATE/propose-term.yml), prefilled."""
    return f"{repo}/issues/new?template=propose-term.yml&term={quote(text)}&title={quote('[术语 term] ' + text)}"


CANDIDATES_SHOWN = 60  # per kind on the candidates page; `build.py candidates` lists them all


def _candidate_lines(title: str, found, repo: str = "", shown: int = CANDIDATES_SHOWN) -> list[str]:
    lines = [f"## {title}", ""]
    if not found:
        return lines + ["（无 none）", ""]
    for c in found[:shown]:
        where = link(f"{_marked(c.example.speech_title)} {paragraph_label(c.example)}",
                     speech_href(c.example.speech_slug, c.example.anchor))
        url = safe_url(propose_url(repo, c.text)) if repo else None
        propose = f" — {link('提议词条 · propose', url, '提议把它加入词汇表 · propose it for the glossary')}" if url else ""
        lines.append(f"- **{escape(c.text)}** ({c.count}) — {_marked(c.example.before)}"
                     f"<mark>{_marked(c.example.match)}</mark>{_marked(c.example.after)} {where}{propose}")
    if len(found) > shown:
        more = len(found) - shown
        lines += ["", f"另有 {more} 项，出现较少；完整列表见 `python scripts/build.py candidates`。 "
                      f"{more} more, less frequent: `python scripts/build.py candidates` lists them all."]
    return lines + [""]


def candidates_page(c: Candidates, repo: str = "") -> str:
    """Candidates with an example each; with `repo`, each links to the propose-a-term form."""
    lines = ["# 候选条目 Candidate terms", "",
             "语料中出现但尚无条目的说法，按出现次数排列。 Phrases the corpus uses that have no entry yet, "
             "most frequent first.", "",
             *([f"看到应收的词？点“提议词条”填写表单，或按 {link('CONTRIBUTING', f'{repo}/blob/main/CONTRIBUTING.md')} "
                "直接提交词条文件。 · Seen one that belongs in the glossary? Use “propose” to open the form, or "
                "add the entry file yourself as CONTRIBUTING describes.", ""] if repo else []),
             *_candidate_lines("编号提法 Numbered formulas", c.formulas, repo),
             *_candidate_lines("引号短语 Quoted phrases", c.quoted, repo),
             *_candidate_lines("关键词 Keywords", c.keywords, repo),
             "## 未出现的条目 Entries not found in the corpus", ""]
    lines += [f"- {entry_link(e)}" for e in c.unused] or ["（无 none）"]
    return front_matter("候选条目 Candidate terms", "Phrases without a glossary entry") + "\n".join(lines) + "\n"


def _text_lines(title: str, found) -> list[str]:
    lines = [f"{title} ({len(found)})"]
    for c in found:
        o = c.example
        lines.append(f"  {c.count:5d}  {c.text}  {o.speech_slug} {paragraph_label(o)}  "
                     f"…{o.before}[{o.match}]{o.after}…")
    return lines + [""]


def candidates_text(c: Candidates) -> str:
    """Plain text report for `python scripts/build.py candidates`."""
    lines = [*_text_lines("Numbered formulas without an entry", c.formulas),
             *_text_lines("Quoted phrases without an entry", c.quoted),
             *_text_lines("Keywords without an entry", c.keywords),
             f"Entries not found in the corpus ({len(c.unused)})",
             *(f"  {e.slug}  {e.term}  {e.path}" for e in c.unused)]
    return "\n".join(lines) + "\n"
