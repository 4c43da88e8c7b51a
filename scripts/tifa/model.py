"""Data shared between stages. Plain frozen dataclasses: no stage depends on MkDocs."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Block:
    """One unit of a speech body, in reading order.

    `text` is plain cleaned text (no Markdown); redaction masks such as `**` or `XX` stay in it
    verbatim and are listed in `redactions` as (start, end) offsets into `text`.
    """
    kind: str  # "heading" or "paragraph"
    text: str
    anchor: str  # HTML id: "p12" for paragraphs, a slug for headings
    level: int = 0  # heading level 2..5; 0 for paragraphs
    number: int | None = None  # paragraph number (1-based); None for headings
    redactions: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class MetaField:
    value: str
    evidence: str = ""
    confidence: str = ""  # "high", "medium" or "low"
    note: str = ""  # reasoning behind an inference
    evidence_source: str = ""  # "" = evidence quotes the raw text; "row" = the import row it came from


@dataclass(frozen=True)
class Speech:
    slug: str
    source_path: str  # path of the raw text, relative to the repository
    title: str
    title_en: str = ""
    meta: dict[str, MetaField] = field(default_factory=dict)  # speaker_role, level, place, date, occasion, source
    blocks: tuple[Block, ...] = ()
    removals: tuple = ()  # cleaning edits that removed website additions (see clean.Edit)
    warnings: tuple[str, ...] = ()
    header: object = field(default=None, compare=False, repr=False)  # structure.Header: title/byline/date lines
    doc: object = field(default=None, compare=False, repr=False)  # clean.Doc: text with its origin map

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind == "paragraph")

    @cached_property  # the build asks it of every speech several times (stored in the instance's __dict__)
    def char_count(self) -> int:
        return sum(len(b.text) for b in self.blocks)
