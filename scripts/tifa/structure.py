"""Structure: from cleaned lines to header metadata, an outline of headings and numbered paragraphs."""
from __future__ import annotations

import re
from dataclasses import dataclass

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
LEAD_MAX = 60


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
    """(lead, rest): the opening sentence of a marked paragraph, if short enough to be a heading."""
    m = SENTENCE_END.search(line)
    if not m:
        return (line, "") if len(line) <= LEAD_MAX else ("", line)
    lead = line[: m.end()]
    # A closing quote right after the full stop belongs to the lead.
    while len(lead) < len(line) and line[len(lead)] in "”’」』":
        lead = line[: len(lead) + 1]
    return (lead, line[len(lead):]) if len(lead) <= LEAD_MAX else ("", line)


def redactions(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in REDACTION.finditer(text))


def masked_length(mask: str) -> int | None:
    """How many characters a mask hides, where the mask says: `******` hides six; `XX` does not say."""
    return len(mask) if _KNOWN_LENGTH.fullmatch(mask) else None


def build_blocks(lines: list[str]) -> tuple[Block, ...]:
    """Headings (levels by first appearance of each marker kind) and numbered paragraphs."""
    levels: dict[str, int] = {}
    blocks, number, used = [], 0, set()
    for line in lines:
        kind = heading_kind(line)
        lead, rest = split_lead(line) if kind else ("", line)
        if lead and kind:
            level = levels.setdefault(kind, min(2 + len(levels), 6))
            blocks.append(Block("heading", lead, _unique(_slug(lead, "-") or "h", used), level,
                                redactions=redactions(lead)))
        if rest:
            number += 1
            blocks.append(Block("paragraph", rest, f"p{number}", number=number, redactions=redactions(rest)))
    return tuple(blocks)


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
    return len(re.findall(f"[{HAN}]", text))
