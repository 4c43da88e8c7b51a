"""Structure: from cleaned lines to header metadata, an outline of headings and numbered paragraphs."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pymdownx.slugs import slugify

from . import metadata
from .clean import HAN, MARKER
from .metadata import DATE_LINE, ROLE
from .model import Block, MetaField

_slug = slugify(case="lower")

REDACTION = re.compile(
    r"\*+|＊+|(?<![A-Za-z])(?:X{2,}|x{2,})(?![A-Za-z])|×{2,}|○{2,}|□+|(?<![:/])//(?!/)")
_KNOWN_LENGTH = re.compile(r"\*+|＊+|×+|○+|□+")

TITLE_WORDS = re.compile(r"(?:讲话|发言|致辞|报告|提纲|讲稿|总结|动员|主持词|部署)")
BYLINE = re.compile(rf"^.{{0,30}}{ROLE}[、，\s]*.{{0,12}}$")
SENTENCE_END = re.compile(r"[。！？]")
LEAD_MAX = 60  # a lead sentence up to this long is a heading as it stands
CLAUSE_MAX = 40  # else its lead clause, up to the first ，：；, if it ends within this many characters
CLAUSE_END = re.compile(r"[，,：:；;]")
PART_TITLE = re.compile(r"^[^，,。：:；;！？!?、“”\s]{2,25}$")


@dataclass(frozen=True)
class Header:
    title: str | None
    byline: str | None
    date: str | None  # the date line as written
    consumed: int  # number of leading lines used


def split_header(lines: list[str]) -> Header:
    """Title, byline and date lines at the top of a text, before the speech begins."""
    title = byline = date = None
    i = 0
    while i < len(lines) and i < 4:
        line = lines[i]
        if title is None and byline is None and date is None and _is_title(line):
            title = line
        elif byline is None and BYLINE.match(line) and not SENTENCE_END.search(line) and not MARKER.match(line):
            byline = line
        elif date is None and DATE_LINE.match(line):
            date = line
        else:
            break
        i += 1
    return Header(title, byline, date, i)


def _is_title(line: str) -> bool:
    return (len(line) <= 60 and not SENTENCE_END.search(line) and not line.endswith("：")
            and not MARKER.match(line) and bool(TITLE_WORDS.search(line)))


def heading_kind(line: str) -> str | None:
    """The kind of outline marker that opens `line`: 一、 /（一）/ 1. / 第一，… ."""
    m = MARKER.match(line)
    if not m:
        return None
    marker = m.group()
    if marker[0] in "（(":
        return "paren-num" if marker[1].isdigit() else "paren-cn"
    if marker[0].isdigit():
        return "num"
    if marker.startswith("第") or marker[:2] in ("首先", "其次", "再次", "最后"):
        return "ordinal"
    return {"、": "cn", "是": "cn-shi", "要": "cn-yao"}[marker[-1]]


def split_lead(line: str) -> tuple[str, str]:
    """(lead, rest): the opening sentence of a marked paragraph, if short enough to be a heading;
    else its lead clause (up to the first ，：；), if that is short. `lead + rest == line` always.

    >>> split_lead("（一）认清形势。正文。")
    ('（一）认清形势。', '正文。')
    >>> split_lead("（五）充分发动群众，大搞以改土治水为中心的农田基本建设" + "，建设" * 30 + "。")[0]
    '（五）充分发动群众，'
    """
    m = SENTENCE_END.search(line)
    if not m:
        lead = line
    else:
        lead = line[: m.end()]
        # A closing quote right after the full stop belongs to the lead.
        while len(lead) < len(line) and line[len(lead)] in "”’」』":
            lead = line[: len(lead) + 1]
    if len(lead) <= LEAD_MAX:
        return lead, line[len(lead):]
    return _lead_clause(line)


def _lead_clause(line: str) -> tuple[str, str]:
    marker = MARKER.match(line)
    start = marker.end() if marker else 0
    m = CLAUSE_END.search(line, start)
    if m and m.end() <= CLAUSE_MAX and m.end() - start >= 2:
        return line[: m.end()], line[m.end():]
    return "", line


def marker_number(line: str) -> int | None:
    """The number an outline marker gives: （三） → 3, 12. → 12, 其次， → 2; None for 最后 and non-markers."""
    m = MARKER.match(line)
    if not m:
        return None
    marker = m.group()
    for word, n in (("首先", 1), ("其次", 2), ("再次", 3)):
        if marker.startswith(word):
            return n
    digits = re.sub(r"[^一二三四五六七八九十0-9０-９]", "", marker)
    return metadata.cn_number(digits) if digits else None


@dataclass(eq=False)
class _Run:
    """Sibling lines of one marker kind under one parent: 一、 二、 三、 … or （一） （二） …"""
    kind: str
    last: int | None
    parent: "_Run | None"
    lines: list = field(default_factory=list)  # indices into the body lines
    headings: bool = False


def outline_runs(lines: list[str]) -> dict[int, _Run]:
    """Group marked lines into runs of siblings; each run numbers 1, 2, 3 … without gaps.

    A marked line continues the innermost open run of its kind whose next number it carries,
    closing the runs nested inside; a line numbered 1 opens a new run inside the current one;
    any other line (a number out of sequence) belongs to no run and stays a paragraph. A short
    unmarked line without punctuation (a part title such as 关于国内建设) closes every run.
    """
    stack: list[_Run] = []
    member: dict[int, _Run] = {}
    for i, line in enumerate(lines):
        kind = heading_kind(line)
        if kind is None:
            if PART_TITLE.match(line):
                stack.clear()
            continue
        n = marker_number(line)
        run = _continued_run(stack, kind, n, lines, i)
        if run is not None:
            del stack[stack.index(run) + 1:]
        elif n == 1:
            run = _Run(kind, 0, stack[-1] if stack else None)
            stack.append(run)
        else:
            continue
        run.last = n  # after 最后 (no number) nothing continues the run
        run.lines.append(i)
        member[i] = run
    return member


def _continued_run(stack: list[_Run], kind: str, n: int | None, lines: list[str], i: int) -> _Run | None:
    """The open run this line continues. Where two nested runs both could (三、 after a nested
    一、 二、), the one whose first line has the same shape (a bare title, or a sentence) wins."""
    fits = [r for r in reversed(stack) if r.kind == kind and (n is None or r.last is not None and n == r.last + 1)]
    shape = lambda line: bool(SENTENCE_END.search(line))  # noqa: E731
    same = [r for r in fits if shape(lines[r.lines[0]]) == shape(lines[i])]
    return (same or fits or [None])[0]


def build_blocks(lines: list[str]) -> tuple[Block, ...]:
    """Headings and numbered paragraphs. The marked lines of one run are headings together or not
    at all: all of them when each gives a short lead (sentence or clause) and the run's parent is
    a heading too. Levels follow nesting: a run's level is one below its parent's; below level 6
    (Markdown's last) runs stay paragraphs."""
    member = outline_runs(lines)
    leads = {i: split_lead(lines[i]) for i in member}
    for run in dict.fromkeys(member.values()):  # in order of first appearance: parents first
        run.headings = (all(leads[i][0] for i in run.lines) and _level(run) <= 6
                        and (run.parent is None or run.parent.headings))
    blocks, number, used = [], 0, set()
    for i, line in enumerate(lines):
        run = member.get(i)
        lead, rest = leads[i] if run and run.headings else ("", line)
        if lead:
            blocks.append(Block("heading", lead, _unique(_slug(lead, "-") or "h", used), _level(run),
                                redactions=redactions(lead)))
        if rest:
            number += 1
            blocks.append(Block("paragraph", rest, f"p{number}", number=number, redactions=redactions(rest)))
    return tuple(blocks)


def _level(run: _Run) -> int:
    return 2 if run.parent is None else _level(run.parent) + 1


def skipped_siblings(blocks: tuple[Block, ...]) -> list[str]:
    """Headings whose marker number skips (（三） after （一）, or a first sibling numbered 二).
    A run may restart at 一; 最后 and unnumbered headings are not checked."""
    problems, last = [], {}  # level -> (kind, number) of the previous heading at that level
    for b in blocks:
        if b.kind != "heading":
            continue
        for level in [lv for lv in last if lv > b.level]:
            del last[level]
        kind, n = heading_kind(b.text), marker_number(b.text)
        if kind and n is not None:
            prev = last.get(b.level)
            expected = prev[1] + 1 if prev and prev[0] == kind and prev[1] is not None else 1
            if n not in (1, expected):
                problems.append(f"{b.text[:24]}: expected {expected}")
        last[b.level] = (kind, n)
    return problems


def redactions(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in REDACTION.finditer(text))


def masked_length(mask: str) -> int | None:
    """How many characters a mask hides, where the mask says: `******` hides six; `XX` does not say."""
    return len(mask) if _KNOWN_LENGTH.fullmatch(mask) else None


def _unique(anchor: str, used: set[str]) -> str:
    candidate, n = anchor, 1
    while candidate in used or re.fullmatch(r"p\d+", candidate):
        n += 1
        candidate = f"{anchor}_{n}"
    used.add(candidate)
    return candidate


def infer_meta(header: Header, body: list[str]) -> dict[str, MetaField]:
    """Metadata a text gives about itself when no sidecar says more (see metadata.py)."""
    lines = [line for line in (header.title, header.byline, header.date) if line] + body
    return metadata.infer(header.title, header.byline, header.date, lines)


def untitled(path: str) -> str:
    return f"无题 ({path.rsplit('/', 1)[-1]})"


def han_count(text: str) -> int:
    return len(_NOT_HAN.sub("", text))


_NOT_HAN = re.compile(f"[^{HAN}]+")
