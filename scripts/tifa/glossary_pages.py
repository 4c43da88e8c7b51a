"""Glossary pages: pure functions from entries and speeches to Markdown strings.

The emitter writes them to docs/glossary/<slug>.md, docs/glossary/index.md and
docs/glossary/candidates.md, so speech links are "../speeches/<slug>.md#<anchor>" and
entry links are "<slug>.md". Every character from an entry or a speech goes through
`escape` (text) or `attr` (titles, via `link`), so nothing in a field can become Markdown or HTML.
"""
from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

from .glossary import CATEGORIES, Entry, Rendering
from .linker import Linker
from .markdown import escape, link
from .model import Speech

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


def find_occurrences(speeches, linker: Linker) -> dict[str, list[Occurrence]]:
    """Every linked occurrence of every entry, in corpus order, keyed by entry slug."""
    found: dict[str, list[Occurrence]] = {}
    for speech in speeches:
        for block in speech.blocks:
            for m in linker.find(block.text):
                found.setdefault(m.slug, []).append(_occurrence(speech, block, m.start, m.end))
    return found


# ---------------------------------------------------------------------------------------------
# Small Markdown pieces.
def front_value(text: str) -> str:
    """Front matter text made safe for MkDocs templates, which do not autoescape: Material puts
    `description` raw into an HTML attribute and `title | striptags` (which unescapes entities)
    into <title>. So angle brackets become fullwidth and the rest is attribute-escaped.

    >>> front_value('a<b> "c" & d')
    'a＜b＞ &quot;c&quot; &amp; d'
    """
    return html.escape(text.replace("<", "＜").replace(">", "＞").replace("\n", " "), quote=True)


def front_matter(title: str, description: str) -> str:
    """YAML front matter; JSON strings are valid YAML scalars, so any text is safe in them."""
    dump = lambda s: json.dumps(front_value(s), ensure_ascii=False)  # noqa: E731
    return f"---\ntitle: {dump(title)}\ndescription: {dump(description)}\n---\n\n"


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


def kwic_line(o: Occurrence) -> str:
    """One concordance line: before · highlighted match · after, linked to its paragraph."""
    where = link(paragraph_label(o), speech_href(o.speech_slug, o.anchor))
    return f"- {escape(o.before)}<mark>{escape(o.match)}</mark>{escape(o.after)} {where}"


# ---------------------------------------------------------------------------------------------
# The entry page.
def _rendering(item) -> str:
    r = Rendering(*item)
    source = escape(r.source)
    url = safe_url(r.url)
    shown = link(source, url) if url else source
    return f"*{escape(r.text)}* ({shown}; {escape(KIND_NAMES.get(r.kind, r.kind))})"


def _status(entry: Entry) -> str:
    """The status, and the entry that replaced this one (check has made sure it exists)."""
    shown = escape(STATUS_NAMES.get(entry.status, entry.status))
    if not entry.superseded_by:
        return shown
    return f"{shown} → {link(escape(entry.superseded_by), f'{quote(entry.superseded_by)}.md')}"


def _facts(entry: Entry) -> list[str]:
    zh, en = CATEGORIES.get(entry.category, (entry.category, ""))
    return [
        f"- **拼音 Pinyin:** {escape(entry.pinyin)}",
        f"- **英译 English:** {'; '.join(_rendering(r) for r in entry.english)}",
        f"- **类别 Category:** {escape(zh)} {escape(en)}",
        f"- **范围 Scope:** {escape(entry.scope)}",
        f"- **状态 Status:** {_status(entry)}",
    ]


def _bilingual(heading: str, texts: dict) -> list[str]:
    return [f"## {heading}", "", escape(texts.get("zh", "")), "", escape(texts.get("en", "")), ""]


def _term_index(by_slug: dict[str, Entry]) -> dict[str, Entry]:
    index = {}
    for entry in by_slug.values():
        for key in entry.keys:
            index.setdefault(key, entry)
    return index


def _components(entry: Entry, by_slug) -> list[str]:
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


def _corpus(occurrences: list[Occurrence]) -> list[str]:
    lines = ["## 在语料中 In the corpus", ""]
    if not occurrences:
        return lines + ["语料中尚未出现。 Not found in the corpus yet.", ""]
    per_speech = Counter(o.speech_slug for o in occurrences)
    titles = {o.speech_slug: o.speech_title for o in occurrences}
    lines += [f"共 {len(occurrences)} 次，见于 {len(per_speech)} 篇讲话。 "
              f"{len(occurrences)} occurrences in {len(per_speech)} speeches.", ""]
    lines += [f"- {link(escape(titles[s]), speech_href(s))} — {n}" for s, n in per_speech.items()]
    lines += ["", "### 语境 Concordance"]
    for slug in per_speech:
        lines += ["", f"**{escape(titles[slug])}**", ""]
        lines += [kwic_line(o) for o in occurrences if o.speech_slug == slug]
    return lines + [""]


def entry_page(entry: Entry, by_slug: dict[str, Entry], occurrences: list[Occurrence],
               edit_url: str) -> str:
    """The whole Markdown page for one entry."""
    heading = f"# {escape(entry.term)} · {escape(entry.traditional)}"
    body = [heading, "", *_facts(entry), "",
            *_bilingual("概要 Summary", entry.summary), *_bilingual("定义 Definition", entry.definition),
            *_components(entry, by_slug), *_aliases(entry), *_related(entry, by_slug),
            *_first_use(entry), *_sources(entry), *_corpus(occurrences)]
    url = safe_url(edit_url)
    if url:
        body += ["", link("编辑此条目 Edit this entry", url), ""]
    return front_matter(entry.term, entry.summary.get("en", "")) + "\n".join(body).rstrip() + "\n"


# ---------------------------------------------------------------------------------------------
def _sort_key(entry: Entry):
    return (entry.pinyin_search, entry.term, entry.slug)


def _index_line(entry: Entry, count: int) -> str:
    english = escape(entry.english[0][0]) if entry.english else ""
    return (f"- {entry_link(entry)} {escape(entry.pinyin)} — *{english}* — "
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


def _blocks(speeches, linker: Linker):
    """(speech, block, spans of linked entry occurrences) for every block of the corpus."""
    return [(speech, block, [(m.start, m.end) for m in linker.find(block.text)])
            for speech in speeches for block in speech.blocks]


def _uncovered(text: str, blocks) -> tuple[int, Occurrence | None]:
    """Occurrences of `text` that are not inside a linked entry occurrence, and the first one."""
    count, first = 0, None
    for speech, block, spans in blocks:
        for hit in re.finditer(re.escape(text), block.text):
            if any(s <= hit.start() and hit.end() <= e for s, e in spans):
                continue
            count += 1
            first = first or _occurrence(speech, block, hit.start(), hit.end())
    return count, first


def _collect(texts, blocks, covered) -> tuple[Candidate, ...]:
    found = []
    for text in sorted(set(texts) - covered):
        count, example = _uncovered(text, blocks)
        if count:
            found.append(Candidate(text, count, example))
    return tuple(sorted(found, key=lambda c: (-c.count, c.text)))


def _formulas(blocks) -> set[str]:
    return {m.group(1) for _, b, _ in blocks for p in FORMULA_PATTERNS for m in p.finditer(b.text)}


def _keywords(blocks) -> list[str]:
    import jieba.analyse

    corpus = "\n".join(b.text for _, b, _ in blocks)
    words = jieba.analyse.extract_tags(corpus, topK=KEYWORDS)
    return [w for w in words if len(w) >= 2 and re.fullmatch(f"[{HAN}]+", w)]


def find_candidates(speeches, entries, linker: Linker) -> Candidates:
    """Numbered formulas, quoted phrases and keywords without an entry; entries never used."""
    blocks = _blocks(speeches, linker)
    covered = {key for e in entries for key in e.keys}
    formulas = _formulas(blocks)
    quoted = {m.group(1) for _, b, _ in blocks for m in QUOTED.finditer(b.text)} - formulas
    used = find_occurrences(speeches, linker)
    return Candidates(
        formulas=_collect(formulas, blocks, covered),
        quoted=_collect(quoted, blocks, covered),
        keywords=_collect(set(_keywords(blocks)) - formulas - quoted, blocks, covered),
        unused=tuple(e for e in sorted(entries, key=_sort_key) if e.slug not in used),
    )


def _candidate_lines(title: str, found) -> list[str]:
    lines = [f"## {title}", ""]
    if not found:
        return lines + ["（无 none）", ""]
    for c in found:
        where = link(f"{escape(c.example.speech_title)} {paragraph_label(c.example)}",
                     speech_href(c.example.speech_slug, c.example.anchor))
        lines.append(f"- **{escape(c.text)}** ({c.count}) — {escape(c.example.before)}"
                     f"<mark>{escape(c.example.match)}</mark>{escape(c.example.after)} {where}")
    return lines + [""]


def candidates_page(c: Candidates) -> str:
    lines = ["# 候选条目 Candidate terms", "",
             "语料中出现但尚无条目的说法。 Phrases the corpus uses that have no entry yet.", "",
             *_candidate_lines("编号提法 Numbered formulas", c.formulas),
             *_candidate_lines("引号短语 Quoted phrases", c.quoted),
             *_candidate_lines("关键词 Keywords", c.keywords),
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
