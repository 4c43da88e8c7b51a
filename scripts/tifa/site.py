"""Everything the build writes, rendered in memory: {repo-relative path: content}."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import NamedTuple

from . import data as take_away, emit, glossary_pages, trends, trends_pages
from .glossary_lint import title_only_warnings
from .cache import Cache, background, cached_iter, cached_map, cached_one, key as cache_key
from .linker import Linker, jieba_userdict
from .markdown import attr, escape, link
from .pipeline import Corpus

DEFAULT_REPO = "https://github.com/tifa-project/tifa"


def repo_url(root: Path) -> str:
    """`repo_url` from mkdocs.yml: set once there, used for "edit this entry" links."""
    config = root / "mkdocs.yml"
    m = re.search(r"^repo_url:\s*(\S+)", config.read_text(encoding="utf-8"), re.M) if config.exists() else None
    return (m.group(1) if m else DEFAULT_REPO).strip("'\"").rstrip("/")


def _speech_keys(corpus: Corpus) -> dict[str, str]:
    """A key per speech that changes with it: its inputs' key when it was loaded through the
    cache, else a hash of the whole speech."""
    return {s.slug: cache_key("speech", corpus.keys.get(s.slug) or repr(s)) for s in corpus.speeches}


def _piece_jobs(corpus: Corpus, speech_keys: dict[str, str]):
    """(jobs, their cache keys, the glossary's key): a speech with its neighbours, in date order."""
    glossary_key = cache_key("glossary", repr(corpus.entries))
    ordered = emit.by_date(corpus.speeches)
    near = [emit.Neighbour(s.slug, s.title) for s in ordered]  # an edit of a speech's text leaves these
    jobs = [(s, near[i - 1] if i else None, near[i + 1] if i + 1 < len(near) else None)
            for i, s in enumerate(ordered)]
    keys = [cache_key("page", glossary_key, speech_keys[s.slug], repr(before), repr(after))
            for s, before, after in jobs]
    return jobs, keys, glossary_key


def _pieces(corpus: Corpus, cache: Cache | None, jobs: list, keys: list[str]):
    """Every speech's piece (`_speech_piece`), with the speech files and the linker."""
    linker = Linker(corpus.entries)
    by_slug = {e.slug: e for e in corpus.entries}
    if cache:  # the IDF table for the keyword ranking (by the bytes of jieba's file): before the workers fork
        idf = glossary_pages.idf_file()
        glossary_pages.use_idf_vocabulary(cached_one(cache, cache_key("idf-vocabulary", idf.read_bytes()),
                                                     glossary_pages.idf_vocabulary))
    _WORK.update(linker=linker, by_slug=by_slug)
    pieces = dict(zip((s.slug for s, _, _ in jobs), cached_map(cache, keys, _speech_piece, jobs)))
    files: dict[str, str | bytes] = {f"docs/speeches/{slug}.md": piece.page for slug, piece in pieces.items()}
    files["docs/speeches/index.md"] = emit.speeches_index(corpus.speeches)
    return pieces, files, linker, by_slug


def speech_files(corpus: Corpus, cache: Cache | None = None) -> dict[str, str]:
    """The speech pages and the speech list only (what `build.quick_build` writes)."""
    try:
        jobs, keys, _ = _piece_jobs(corpus, _speech_keys(corpus))
        return _pieces(corpus, cache, jobs, keys)[1]
    finally:
        _WORK.clear()


def render(corpus: Corpus, root: Path, cache: Cache | None = None,
           digests: dict[str, bytes] | None = None) -> dict[str, str | bytes]:
    """Every output file. With a cache, a speech's page, links and candidate terms are computed
    once per version of the speech, its neighbours' titles, the glossary and the code, on every core.
    `digests`, if given, receives the sha256 of the files whose digest was made with them (a
    speech's page and data files, cached with them; the search index, in its own process), for
    `emit.write_outputs`."""
    try:
        return _render(corpus, root, cache, {} if digests is None else digests)
    finally:
        _WORK.clear()  # the links of every speech: not kept for the life of the process


def _render(corpus: Corpus, root: Path, cache: Cache | None, digests: dict[str, bytes]) -> dict[str, str | bytes]:
    speech_keys = _speech_keys(corpus)
    groups = lambda batches: _postings(cache, [speech_keys[s.slug] for s in corpus.speeches], batches)  # noqa: E731
    shards = lambda key, make: cached_one(cache, cache_key("shard", key), make)  # noqa: E731
    jobs, keys, glossary_key = _piece_jobs(corpus, speech_keys)
    # the search index needs only the speeches: it is built in a second process (one core) while
    # this one makes the pages, the glossary and the data files; when few pieces are to be made,
    # it yields that core to the workers making them
    few = cache is not None and sum(not cache.has(k) for k in keys) * 2 < len(keys)
    search = background(lambda: (_search_files(corpus, groups, shards), cache.used if cache else set()),
                        nice=SEARCH_NICE if few else 0)
    pieces, files, linker, by_slug = _pieces(corpus, cache, jobs, keys)
    links = {slug: piece.links for slug, piece in pieces.items()}
    for slug, piece in pieces.items():
        for path, digest in zip((f"docs/speeches/{slug}.md", *take_away.speech_paths(slug)), piece.digests):
            digests[path] = digest
    _WORK.update(links=links)
    corpus.warnings += title_only_warnings(corpus.entries, corpus.speeches, linker, links)  # W002
    terms = [pieces[s.slug].terms for s in corpus.speeches]
    corpus_keys = [cache_key("uncovered", glossary_key, speech_keys[s.slug]) for s in corpus.speeches]
    uncovered = lambda texts: _uncovered(cache, corpus_keys, corpus.speeches, texts)  # noqa: E731
    occurrences: dict[str, list] = {}  # every entry's, in corpus order, from the speeches' pieces
    rows: dict[str, dict[str, tuple[str, ...]]] = {}  # entry → speech → its concordance rows
    for speech in corpus.speeches:
        for slug, found in pieces[speech.slug].occurrences.items():
            occurrences.setdefault(slug, []).extend(found)
        for slug, made in pieces[speech.slug].rows.items():
            rows.setdefault(slug, {})[speech.slug] = made
    files.update(_glossary_files(corpus, linker, by_slug, repo_url(root), links, terms, uncovered,
                                 occurrences, rows))
    parts = {slug: piece.parts for slug, piece in pieces.items()}
    files.update(take_away.build_files(corpus.speeches, corpus.entries, linker, links, parts))
    (found, found_digests), used = search.result()
    if cache:
        cache.used |= used  # what the other process read or wrote: the build used it too
    for rel, data in found.items():
        files[f"docs/search/{rel}"] = data
        digests[f"docs/search/{rel}"] = found_digests[rel]
    return files


# The search index is needed only when everything else is done: after an edit, its process
# yields the second core to the worker making the piece of the speech that changed. (In a build
# from scratch it does not: it would then be left to run alone at the end.)
SEARCH_NICE = 10

_WORK: dict = {}  # set before the pool forks: what the workers share (linker, links, automaton)


class Piece(NamedTuple):
    """What the build makes of one speech (with its neighbours' titles), once per version of
    them, the glossary and the code: its page and its part of the data files, encoded, as they are
    written (loading a thousand from the cache is then a copy, not a decoding of 120 MB of UTF-8),
    and the sha256 digests of the page and of the speech's own data files (.json, .txt)."""
    page: bytes
    links: dict  # {anchor: linker matches}, one linker pass per block
    terms: glossary_pages.SpeechTerms  # for the candidate terms
    parts: tuple[bytes, bytes, bytes]  # data.speech_parts
    occurrences: dict  # {entry slug: [Occurrence]}
    rows: dict  # {entry slug: its concordance rows in this speech}
    digests: tuple[bytes, bytes, bytes]  # of page, parts[0] and parts[1]


def _speech_piece(job) -> Piece:
    speech, previous, following = job
    linker, by_slug = _WORK["linker"], _WORK["by_slug"]

    def term_link(match, label_md: str) -> str:
        entry = by_slug[match.slug]
        return link(label_md, f"../glossary/{entry.slug}.md", glossary_pages.tooltip(entry)) + "{: .tifa-term }"

    def term_html(match, label: str) -> str:  # in a paragraph (an HTML block): the entry's URL
        entry = by_slug[match.slug]
        return (f'<a class="tifa-term" href="{emit.page_url("glossary", entry.slug)}" '
                f'title="{attr(glossary_pages.tooltip(entry))}">{label}</a>')

    links = {b.anchor: linker.find(b.text) for b in speech.blocks}
    used = sorted({m.slug for matches in links.values() for m in matches}, key=lambda s: by_slug[s].term)
    terms = [f'<a href="{emit.page_url("glossary", s)}" title="{attr(glossary_pages.tooltip(by_slug[s]))}">'
             f'{escape(by_slug[s].term)}</a>' for s in used]
    page = emit.speech_page(speech, links, term_link, terms, (previous, following), term_html)
    parts = take_away.speech_parts(speech, links, by_slug)
    occurrences = glossary_pages.find_occurrences([speech], None, {speech.slug: links})
    date = glossary_pages._speech_meta(speech, "date")  # as _corpus dates it
    rows = {slug: tuple(glossary_pages.kwic_row(o, date) for o in found) for slug, found in occurrences.items()}
    encoded, parts = page.encode(), tuple(p.encode() for p in parts)
    return Piece(encoded, links, glossary_pages.speech_terms(speech), parts, occurrences, rows,
                 tuple(hashlib.sha256(data).digest() for data in (encoded, *parts[:2])))


BASE_CANDIDATES = "base-candidates.pickle"  # (key, texts) of the last scan of every speech
FEW_NEW_CANDIDATES = 20  # more new candidate texts than this: every speech is scanned again


def _uncovered(cache: Cache | None, keys: list[str], speeches, texts: set[str]) -> list:
    """`speech_uncovered` of every speech for the candidate `texts`, cached per speech and texts.
    When edits have added a few texts since every speech was last scanned (the base), a speech's
    results are its base ones, for the texts still candidates, and the new texts' (looked for by
    str.find): made again each build, for they are not worth a thousand cache files."""
    texts_key = cache_key("candidates", *sorted(texts))
    now = [cache_key(k, texts_key) for k in keys]
    carried = _carried_over(cache, keys, now, speeches, texts, texts_key) if cache else {}
    rest = [i for i in range(len(now)) if i not in carried]
    if cache is None or not all(cache.has(now[i]) for i in rest):  # the automaton only when it is used
        _WORK["automaton"] = glossary_pages.candidate_automaton(texts)
    found = dict(zip(rest, cached_map(cache, [now[i] for i in rest], _speech_uncovered, [speeches[i] for i in rest])))
    return [carried[i] if i in carried else found[i] for i in range(len(now))]


def _carried_over(cache: Cache, keys: list[str], now: list[str], speeches, texts: set[str], texts_key: str) -> dict:
    """{index: results} of the speeches not cached for `texts` but for the base candidates, when
    few texts are new since the base; else {} (and `texts` become the base)."""
    base = cache.get(BASE_CANDIDATES)
    if base is None or base[0] == texts_key or len(texts - base[1]) > FEW_NEW_CANDIDATES:
        if base is None or base[0] != texts_key:
            cache.put(BASE_CANDIDATES, (texts_key, texts))
        return {}
    new, carried = sorted(texts - base[1]), {}
    for i, (k, speech) in enumerate(zip(keys, speeches)):
        if cache.has(now[i]) or (before := cache.get(cache_key(k, base[0]))) is None:
            continue
        found = {text: hit for text, hit in before.items() if text in texts}
        found.update(glossary_pages.speech_uncovered_texts(speech, _WORK["links"][speech.slug], new))
        carried[i] = found
    return carried


def _search_files(corpus: Corpus, groups, shards) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The search index's files and their sha256 digests (made in the index's own process)."""
    from . import search_index  # and numpy: imported by the process that builds the index

    found = search_index.build_files(corpus.speeches, corpus.entries, groups, shards)
    return found, {rel: hashlib.sha256(data).digest() for rel, data in found.items()}


def _postings(cache: Cache | None, speech_keys: list[str], batches: list[list]) -> list:
    from . import search_index

    keys, at = [], 0
    for batch in batches:
        keys.append(cache_key("postings", *speech_keys[at:at + len(batch)]))
        at += len(batch)
    return cached_iter(cache, keys, search_index.group_postings, batches)


def _speech_uncovered(speech):
    return glossary_pages.speech_uncovered(_WORK["automaton"], speech, _WORK["links"][speech.slug])


def _glossary_files(corpus: Corpus, linker: Linker, by_slug, repo: str, links, terms, uncovered,
                    occurrences=None, rows=None) -> dict[str, str]:
    """The glossary's pages. `rows` ({entry slug: {speech slug: concordance rows}}, made with
    each speech and cached with it) leaves an entry page little to do but join them."""
    if occurrences is None:
        occurrences = glossary_pages.find_occurrences(corpus.speeches, linker, links)
    counts = {slug: len(o) for slug, o in occurrences.items()}
    found = glossary_pages.find_candidates(corpus.speeches, corpus.entries, linker, links, terms, uncovered)
    files = {"docs/glossary/index.md": glossary_pages.index_page(corpus.entries, counts),
             "docs/glossary/candidates.md": glossary_pages.candidates_page(found, repo)}
    speeches = {s.slug: s for s in corpus.speeches}
    analysis = trends.analyse(corpus.speeches, corpus.entries, occurrences)  # terms through time (issue 11)
    files.update(trends.files(analysis, by_slug))
    for entry in corpus.entries:
        edit = f"{repo}/edit/main/{entry.path}"
        found_here, made = occurrences.get(entry.slug, []), (rows or {}).get(entry.slug)
        through_time = trends_pages.entry_section(analysis, entry.slug, by_slug)
        files[f"docs/glossary/{entry.slug}.md"] = glossary_pages.entry_page(
            entry, by_slug, found_here, edit, speeches, through_time=through_time, rows=made)
        if glossary_pages.needs_full_page(found_here):
            files[f"docs/glossary/concordance/{entry.slug}.md"] = glossary_pages.full_page(
                entry, found_here, speeches, rows=made)
    files["build/jieba-userdict.txt"] = jieba_userdict(corpus.entries)
    return files
