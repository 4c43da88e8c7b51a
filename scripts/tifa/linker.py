"""Link stage: find glossary terms in plain speech text, before any Markdown escaping.

Python-Markdown's abbr recipe cannot do this job: it wraps terms in `\\b…\\b`, and `\\b` never
matches between two Han characters, so 四个意识 inside 树牢四个意识 would be missed. The linker
instead runs an Aho–Corasick automaton over the text.

Complexity. Building costs O(K) for K = total characters of all terms, aliases and negative
contexts. `find` reads the text once, O(n) transitions for n characters (failure links are
amortised), plus O(m) for the m raw occurrences reported — independent of the number of entries.
Choosing the longest non-overlapping matches is a sort of those m occurrences, O(m log m).

Both scripts. Keys (term, aliases, the entry's `traditional` form, negative contexts) and the text
are compared in their simplified form (`script.to_simplified`, which keeps offsets), so 共產國際
links to the entry for 共产国际; matches report offsets into the text as written and show it so.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, NamedTuple

from .glossary import Entry, jieba_module
from .markdown import escape, link
from .script import to_simplified

JIEBA_FREQ = 10**7  # far above jieba's common words, so slogans are never split


class Match(NamedTuple):
    """One linked occurrence (a named tuple: a build loads 30,000 from its cache, and a tuple
    unpickles several times faster than a dataclass)."""
    start: int
    end: int
    slug: str
    surface: str


class _Automaton:
    """Aho–Corasick over string keys; each key carries a list of payloads. pyahocorasick's, in C:
    linking and the candidate scan pass over every character of the corpus (measured on 1,000
    texts, 7 million characters: linking 0.7 s instead of the pure-Python automaton's 1.0 s, the
    candidate scan 0.9 s instead of 1.1 s; what is left is Python's work per match)."""

    def __init__(self, keys: Iterable[tuple[str, object]]):
        import ahocorasick

        payloads: dict[str, list] = {}
        for key, payload in keys:
            if key:  # an empty key would match everywhere
                payloads.setdefault(key, []).append(payload)
        self._automaton = ahocorasick.Automaton() if payloads else None
        for key, found in payloads.items():
            self._automaton.add_word(key, (len(key), tuple(found)))
        if self._automaton is not None:
            self._automaton.make_automaton()

    def scan(self, text: str):
        """Yield (start, end, payload) for every occurrence of every key, by end, the longest
        key first; a key's payloads in the order they were given."""
        if self._automaton is None:
            return
        for last, (length, found) in self._automaton.iter(text):
            for payload in found:
                yield last + 1 - length, last + 1, payload


class Linker:
    """Longest, non-overlapping, leftmost matches of entry terms and aliases.

    >>> from tifa.glossary import Entry
    >>> e = lambda slug, term, **kw: Entry(slug, term, term, "", (), "slogan", "national", {}, {}, **kw)
    >>> linker = Linker([e("cong-yan", "从严治党"), e("quan-mian", "全面从严治党")])
    >>> [(m.start, m.slug) for m in linker.find("坚持全面从严治党，从严治党")]
    [(2, 'quan-mian'), (9, 'cong-yan')]
    """

    def __init__(self, entries: Iterable[Entry]):
        keys = []
        for entry in entries:
            surfaces = dict.fromkeys(to_simplified(key) for key in (*entry.keys, entry.traditional) if key)
            keys += [(key, ("link", entry.slug)) for key in surfaces]
            keys += [(to_simplified(ctx), ("not", entry.slug)) for ctx in entry.negative_contexts if ctx]
        self._automaton = _Automaton(keys)

    def find(self, text: str) -> list[Match]:
        """Matches in `text` as written; compared in simplified characters."""
        found, blocked = [], {}
        for start, end, (what, slug) in self._automaton.scan(to_simplified(text)):
            if what == "link":
                found.append((start, end, slug))
            else:
                blocked.setdefault(slug, []).append((start, end))
        found = [f for f in found if not _inside_any(f, blocked.get(f[2], ()))]
        return _longest_first(found, text)


def _inside_any(match, spans) -> bool:
    start, end, _ = match
    return any(s <= start and end <= e for s, e in spans)


def _longest_first(found, text: str) -> list[Match]:
    """Leftmost matches, the longest at each position, skipping any that overlap a chosen one."""
    chosen, taken_until = [], 0
    for start, end, slug in sorted(found, key=lambda f: (f[0], f[0] - f[1], f[2])):
        if start >= taken_until:
            chosen.append(Match(start, end, slug, text[start:end]))
            taken_until = end
    return chosen


def link_markdown(text: str, matches: list[Match], href: Callable[[str], str],
                  title: Callable[[str], str] = lambda slug: "") -> str:
    """Escaped Markdown for `text` with each match turned into a link to `href(slug)`."""
    parts, position = [], 0
    for m in matches:
        parts.append(escape(text[position:m.start]))
        parts.append(link(escape(m.surface), href(m.slug), title(m.slug)))
        position = m.end
    parts.append(escape(text[position:]))
    return "".join(parts)


_LINK = re.compile(r'\[([^\]]*)\]\([^)"\s]*(?: "[^"]*")?\)')


def unlink_markdown(markdown: str) -> str:
    """Inverse of `link_markdown`'s links: keep each link's label. Labels are escaped, so a `[`
    or `"` never comes from the text itself."""
    return _LINK.sub(lambda m: m.group(1), markdown)


# ---------------------------------------------------------------------------------------------
def _words(entries: Iterable[Entry]) -> list[str]:
    words = {key for entry in entries for key in entry.keys if key and not re.search(r"\s", key)}
    return sorted(words)


def jieba_userdict(entries: Iterable[Entry]) -> str:
    """jieba user dictionary text: one "word freq tag" line per term and alias.

    >>> from tifa.glossary import Entry
    >>> print(jieba_userdict([Entry("a", "四个意识", "四個意識", "", (), "slogan", "national", {}, {})]), end="")
    四个意识 10000000 nz
    """
    return "".join(f"{word} {JIEBA_FREQ} nz\n" for word in _words(entries))


def jieba_keep_whole(entries: Iterable[Entry]) -> int:
    """Teach the in-process jieba every term and alias (changes jieba's global dictionary)."""
    jieba = jieba_module()
    words = _words(entries)
    for word in words:
        jieba.add_word(word, JIEBA_FREQ, "nz")
    return len(words)
