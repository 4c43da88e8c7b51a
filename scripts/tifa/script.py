"""Both scripts: fold traditional characters to simplified for matching, never for display.

Linking and search compare a text's simplified form with the glossary and the query, then show
the characters as written. So the fold must keep offsets: `to_simplified(text)` has exactly
`len(text)` characters, each the simplified form of the one at the same position. OpenCC's
t2s phrase tables are used where a line converts length for length (almost always), and one
character at a time where a phrase conversion would change the length.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Simplified form of `text`, offset for offset.

    >>> to_simplified("京漢鐵路罷工，共產國際")
    '京汉铁路罢工，共产国际'
    >>> to_simplified("四个意识") == "四个意识"
    True
    """
    if text.isascii():
        return text
    lines = text.split("\n")
    return "\n".join(_line(line) for line in lines)


def _line(line: str) -> str:
    folded = _converter().convert(line)
    if len(folded) == len(line):
        return folded
    return "".join(_char(c) for c in line)


@lru_cache(maxsize=65536)
def _char(c: str) -> str:
    folded = _converter().convert(c)
    return folded if len(folded) == 1 else c


def traditional_share(text: str) -> float:
    """Share of Han characters that change when folded to simplified (0.0 for simplified text).

    >>> traditional_share("京漢鐵路") > 0.4, traditional_share("京汉铁路")
    (True, 0.0)
    """
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return 0.0
    folded = to_simplified("".join(han))
    return sum(1 for a, b in zip(han, folded) if a != b) / len(han)
