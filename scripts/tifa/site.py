"""Everything the build writes, rendered in memory: {repo-relative path: content}."""
from __future__ import annotations

import re
from pathlib import Path

from . import data as take_away, emit, glossary_pages, search_index, trends, trends_pages
from .linker import Linker, jieba_userdict
from .markdown import escape, link
from .pipeline import Corpus

DEFAULT_REPO = "https://github.com/tifa-project/tifa"


def repo_url(root: Path) -> str:
    """`repo_url` from mkdocs.yml: set once there, used for "edit this entry" links."""
    config = root / "mkdocs.yml"
    m = re.search(r"^repo_url:\s*(\S+)", config.read_text(encoding="utf-8"), re.M) if config.exists() else None
    return (m.group(1) if m else DEFAULT_REPO).strip("'\"").rstrip("/")


def render(corpus: Corpus, root: Path) -> dict[str, str | bytes]:
    linker = Linker(corpus.entries)
    by_slug = {e.slug: e for e in corpus.entries}
    files: dict[str, str | bytes] = {}
    ordered = emit.by_date(corpus.speeches)
    for i, speech in enumerate(ordered):
        neighbours = (ordered[i - 1] if i else None, ordered[i + 1] if i + 1 < len(ordered) else None)
        files[f"docs/speeches/{speech.slug}.md"] = _speech_page(speech, linker, by_slug, neighbours)
    files["docs/speeches/index.md"] = emit.speeches_index(corpus.speeches)
    files.update(_glossary_files(corpus, linker, by_slug, repo_url(root)))
    for rel, data in search_index.build_files(corpus.speeches, corpus.entries).items():
        files[f"docs/search/{rel}"] = data
    files.update(take_away.build_files(corpus.speeches, corpus.entries, linker))
    return files


def _speech_page(speech, linker: Linker, by_slug, neighbours=(None, None)) -> str:
    def term_link(match, label_md: str) -> str:
        entry = by_slug[match.slug]
        return link(label_md, f"../glossary/{entry.slug}.md", glossary_pages.tooltip(entry)) + "{: .tifa-term }"

    links = {b.anchor: linker.find(b.text) for b in speech.blocks}  # one linker pass per block
    used = sorted({m.slug for matches in links.values() for m in matches}, key=lambda s: by_slug[s].term)
    terms = [link(escape(by_slug[s].term), f"../glossary/{s}.md", glossary_pages.tooltip(by_slug[s])) for s in used]
    return emit.speech_page(speech, links, term_link, terms, neighbours)


def _glossary_files(corpus: Corpus, linker: Linker, by_slug, repo: str) -> dict[str, str]:
    occurrences = glossary_pages.find_occurrences(corpus.speeches, linker)
    counts = {slug: len(o) for slug, o in occurrences.items()}
    files = {"docs/glossary/index.md": glossary_pages.index_page(corpus.entries, counts),
             "docs/glossary/candidates.md": glossary_pages.candidates_page(
                 glossary_pages.find_candidates(corpus.speeches, corpus.entries, linker), repo)}
    speeches = {s.slug: s for s in corpus.speeches}
    analysis = trends.analyse(corpus.speeches, corpus.entries, occurrences)  # terms through time (issue 11)
    files.update(trends.files(analysis, by_slug))
    for entry in corpus.entries:
        edit = f"{repo}/edit/main/{entry.path}"
        found = occurrences.get(entry.slug, [])
        files[f"docs/glossary/{entry.slug}.md"] = glossary_pages.entry_page(
            entry, by_slug, found, edit, speeches,
            through_time=trends_pages.entry_section(analysis, entry.slug, by_slug))
        if glossary_pages.needs_full_page(found):
            files[f"docs/glossary/concordance/{entry.slug}.md"] = glossary_pages.full_page(entry, found, speeches)
    files["build/jieba-userdict.txt"] = jieba_userdict(corpus.entries)
    return files
