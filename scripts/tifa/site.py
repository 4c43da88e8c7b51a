"""Everything the build writes, rendered in memory: {repo-relative path: content}."""
from __future__ import annotations

import re
from pathlib import Path

from . import emit, glossary_pages, search_index
from .cache import Cache, cached_iter, key as cache_key, parallel_map
from .linker import Linker, jieba_userdict
from .markdown import link
from .pipeline import Corpus

DEFAULT_REPO = "https://github.com/tifa-project/tifa"


def repo_url(root: Path) -> str:
    """`repo_url` from mkdocs.yml: set once there, used for "edit this entry" links."""
    config = root / "mkdocs.yml"
    m = re.search(r"^repo_url:\s*(\S+)", config.read_text(encoding="utf-8"), re.M) if config.exists() else None
    return (m.group(1) if m else DEFAULT_REPO).strip("'\"").rstrip("/")


def render(corpus: Corpus, root: Path, cache: Cache | None = None) -> dict[str, str | bytes]:
    """Every output file. With a cache, a speech's page, links and candidate terms are computed
    once per version of the speech, the glossary and the code, on every core."""
    linker = Linker(corpus.entries)
    by_slug = {e.slug: e for e in corpus.entries}
    _WORK.update(linker=linker, by_slug=by_slug)
    glossary_key = cache_key("glossary", repr(corpus.entries))
    speech_keys = [cache_key("speech", repr(s)) for s in corpus.speeches]
    keys = [cache_key("page", glossary_key, k) for k in speech_keys]
    pieces = _cached(cache, keys, _speech_piece, corpus.speeches)
    files: dict[str, str | bytes] = {}
    for speech, (page, _, _) in zip(corpus.speeches, pieces):
        files[f"docs/speeches/{speech.slug}.md"] = page
    files["docs/speeches/index.md"] = emit.speeches_index(corpus.speeches)
    links = {s.slug: piece[1] for s, piece in zip(corpus.speeches, pieces)}
    _WORK.update(links=links)
    terms = [piece[2] for piece in pieces]
    uncovered = lambda texts: _uncovered(cache, keys, corpus.speeches, texts)  # noqa: E731
    files.update(_glossary_files(corpus, linker, by_slug, repo_url(root), links, terms, uncovered))
    groups = lambda batches: _postings(cache, speech_keys, batches)  # noqa: E731
    for rel, data in search_index.build_files(corpus.speeches, corpus.entries, groups).items():
        files[f"docs/search/{rel}"] = data
    files["docs/tags.md"] = TAGS_PAGE
    return files


_WORK: dict = {}  # set before the pool forks: what the workers share (linker, links, automaton)


def _cached(cache: Cache | None, keys: list[str], fn, items: list) -> list:
    """[fn(x) for x in items], reusing cached results by key and computing the rest on every core."""
    results = [cache.get(k) for k in keys] if cache else [None] * len(items)
    missing = [i for i, r in enumerate(results) if r is None]
    for i, result in zip(missing, parallel_map(fn, [items[i] for i in missing])):
        results[i] = result
        if cache:
            cache.put(keys[i], result)
    return results


def _speech_piece(speech):
    """A speech's page, its links ({anchor: matches}, one linker pass per block) and its terms."""
    linker, by_slug = _WORK["linker"], _WORK["by_slug"]

    def term_link(match, label_md: str) -> str:
        entry = by_slug[match.slug]
        return link(label_md, f"../glossary/{entry.slug}.md", glossary_pages.tooltip(entry)) + "{: .tifa-term }"

    links = {b.anchor: linker.find(b.text) for b in speech.blocks}
    terms = sorted({by_slug[m.slug].term for matches in links.values() for m in matches})
    return emit.speech_page(speech, links, term_link, terms), links, glossary_pages.speech_terms(speech)


def _uncovered(cache: Cache | None, keys: list[str], speeches, texts: set[str]) -> list:
    _WORK["automaton"] = glossary_pages.candidate_automaton(texts)
    texts_key = cache_key("candidates", *sorted(texts))
    return _cached(cache, [cache_key(k, texts_key) for k in keys], _speech_uncovered, speeches)


def _postings(cache: Cache | None, speech_keys: list[str], batches: list[list]) -> list:
    keys, at = [], 0
    for batch in batches:
        keys.append(cache_key("postings", *speech_keys[at:at + len(batch)]))
        at += len(batch)
    return cached_iter(cache, keys, search_index.group_postings, batches)


def _speech_uncovered(speech):
    return glossary_pages.speech_uncovered(_WORK["automaton"], speech, _WORK["links"][speech.slug])


def _glossary_files(corpus: Corpus, linker: Linker, by_slug, repo: str, links, terms, uncovered) -> dict[str, str]:
    occurrences = glossary_pages.find_occurrences(corpus.speeches, linker, links)
    counts = {slug: len(o) for slug, o in occurrences.items()}
    found = glossary_pages.find_candidates(corpus.speeches, corpus.entries, linker, links, terms, uncovered)
    files = {"docs/glossary/index.md": glossary_pages.index_page(corpus.entries, counts),
             "docs/glossary/candidates.md": glossary_pages.candidates_page(found)}
    for entry in corpus.entries:
        edit = f"{repo}/edit/main/{entry.path}"
        files[f"docs/glossary/{entry.slug}.md"] = glossary_pages.entry_page(
            entry, by_slug, occurrences.get(entry.slug, []), edit)
    files["build/jieba-userdict.txt"] = jieba_userdict(corpus.entries)
    return files


TAGS_PAGE = """---
title: "提法索引 · Terms by speech"
---

# 提法索引 · Terms by speech

每个术语下列出提到它的讲话。 · Each glossary term, with the speeches that use it.
Definitions are in the [glossary](glossary/index.md).

<!-- material/tags -->
"""
