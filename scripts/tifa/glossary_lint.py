"""Glossary warnings: things `check` reports without failing, because a person has to judge them.

    seeds/glossary/quan-mian-zhen-xing.yml: W001 alias '三年行动' is a generic phrase …

W001  an alias is a common word, a generic numbered phrase, or digits: it would link text that
      is not the term (三年行动 is any three-year campaign, not Liaoning's).
W002  an entry occurs in the speeches only in titles and headings, never in the running text.
W003  the English renderings are not in the order of preference (official → term-bank → media →
      reference → own): the first one is the one readers see as the preferred rendering.

Codes are documented in CONTRIBUTING.md next to the G codes (a test checks it).
"""
from __future__ import annotations

import re

from .glossary import jieba_module

WARNINGS = {
    "W001": "alias is a common word, a generic numbered phrase, or digits",
    "W002": "entry occurs only in titles and headings",
    "W003": "English renderings out of the order of preference",
}

# jieba's dictionary frequency above which a word is everyday vocabulary. Measured on the 150
# entries of issue 10: every alias was at most 26 and every term but one at most 580 (党组;
# 人大常委会 4,544 is a term, not an alias), while 领导 is 31,739 and 发展 68,664.
COMMON_WORD_FREQ = 1000
NUMERAL = "一二两三四五六七八九十百千万"
# A number and a generic noun names many different things: 三年行动, 十项措施, 两个会议.
GENERIC_NUMBERED = re.compile(
    rf"^[{NUMERAL}0-9]+[年个项大条次]?(?:行动|工作|任务|会议|方面|措施|要求|问题|目标|重点|工程|活动)$")
DIGITS = re.compile(r"^[\s0-9０-９.%％]+$")


def _frequency():
    jieba = jieba_module()
    jieba.initialize()
    return jieba.dt.FREQ


def alias_problem(alias: str, frequency) -> str | None:
    """Why `alias` should not be an alias, or None.

    >>> alias_problem("三年行动", {}), alias_problem("2035", {}), alias_problem("振兴突破", {})
    ('a generic numbered phrase', 'only digits', None)
    >>> alias_problem("领导", {"领导": 31739})
    'a common word (jieba frequency 31739)'
    """
    if DIGITS.match(alias) or len(alias) < 2:
        return "only digits" if DIGITS.match(alias) else "a single character"
    if GENERIC_NUMBERED.match(alias):
        return "a generic numbered phrase"
    count = frequency.get(alias) or 0
    return f"a common word (jieba frequency {count})" if count >= COMMON_WORD_FREQ else None


def alias_warnings(entries, frequency=None) -> list[str]:
    frequency = _frequency() if frequency is None else frequency
    found = []
    for entry in entries:
        for alias in entry.aliases:
            why = alias_problem(alias, frequency)
            if why:
                found.append(f"{entry.path}: W001 alias '{alias}' is {why}: it would link text that is not "
                             f"'{entry.term}' — drop it, or add negative_contexts")
    return found


def _places(speeches, linker, links=None):
    """slug → set of "title"/"heading"/"paragraph" where the entry is linked. `links`, if given,
    are the build's ({speech slug: {anchor: matches}}), so the blocks are not scanned again."""
    places: dict[str, set[str]] = {}
    for speech in speeches:
        for m in linker.find(speech.title or ""):
            places.setdefault(m.slug, set()).add("title")
        found = links[speech.slug] if links is not None else None
        for block in speech.blocks:
            for m in found[block.anchor] if found is not None else linker.find(block.text):
                places.setdefault(m.slug, set()).add(block.kind)
    return places


def title_only_warnings(entries, speeches, linker, links=None) -> list[str]:
    places = _places(speeches, linker, links)
    return [f"{e.path}: W002 '{e.term}' occurs only in titles and headings, never in the running text — "
            "is the entry worth keeping, or should it be part of a longer formula?"
            for e in entries if places.get(e.slug) and not places[e.slug] - {"title", "heading"}]


def english_order_warnings(entries) -> list[str]:
    """W003: an entry whose renderings are not ordered official → term-bank → media → reference → own.

    A person may still have reasons (a clumsy official text); hence a warning, not an error.
    """
    from .glossary import ENGLISH_KINDS

    found = []
    for e in entries:
        kinds = [r.kind for r in e.english]
        if kinds != sorted(kinds, key=ENGLISH_KINDS.index):
            found.append(f"{e.path}: W003 English renderings are in the order {' → '.join(kinds)}; the "
                         f"preferred one comes first, in the order {' → '.join(ENGLISH_KINDS)}")
    return found


def lint(entries, speeches, places: bool = True) -> list[str]:
    """Every warning about the glossary, in file order. `places=False` leaves out W002, which
    needs every speech linked: the build adds it from its own links (site.render)."""
    from .linker import Linker

    found = alias_warnings(entries) + english_order_warnings(entries)
    if places:
        found += title_only_warnings(entries, speeches, Linker(entries))
    return sorted(found)
