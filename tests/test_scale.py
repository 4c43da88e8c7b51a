"""Scale: linear-time stages, the per-speech cache, and a 1 MB one-line speech.

Speed itself is measured by scripts/bench_build.py against stock MkDocs + Material
(docs/about/performance.md); here only a generous bound guards against runaway (quadratic) work.
"""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import given, settings, strategies as st

from tifa import cache as tifa_cache
from tifa import clean, glossary_pages, site
from tifa.linker import Linker
from tifa.model import Block, Speech
from tifa.pipeline import load_corpus

ROOT = Path(__file__).resolve().parents[1]
ONE_LINE_BOUND_SECONDS = 60


def tmp_project(tmp_path: Path, seeds: bool = True) -> Path:
    """A copy of what `build.py build` reads: the scripts, mkdocs.yml, the glossary and the seeds."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "scripts", project / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "seeds", project / "seeds")
    for path in [] if seeds else (project / "seeds" / "speeches").iterdir():
        path.unlink()
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "scripts/build.py", "build"], cwd=project,
                          capture_output=True, text=True, timeout=600)


def build_here(project: Path) -> int:
    """`build.py build` for `project`, in this process (no interpreter start-up)."""
    import build as cli

    return cli.build(project, quiet=True)


def generated(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes()
            for folder in ("docs", "build") for p in sorted((project / folder).rglob("*")) if p.is_file()}


# ---------------------------------------------------------------------------------------------
def test_a_one_megabyte_one_line_speech_builds_in_bounded_time(tmp_path):
    project = tmp_project(tmp_path, seeds=False)
    seeds = sorted((ROOT / "seeds" / "speeches").glob("*.txt"))
    body = "".join(line.strip() for p in seeds for line in p.read_text(encoding="utf-8").splitlines()[3:])
    line = (body * (1_000_000 // len(body.encode()) + 1))[:350_000]
    assert len(line.encode()) >= 1_000_000 and "\n" not in line
    (project / "seeds" / "speeches" / "999_one_line.txt").write_text(f"一行讲话\n{line}\n", encoding="utf-8")
    start = time.perf_counter()
    result = build(project)
    seconds = time.perf_counter() - start
    print(f"1 MB one-line speech: build.py build took {seconds:.1f} s")
    assert result.returncode == 0, result.stderr[-2000:]
    page = project / "docs" / "speeches" / "999-one-line.md"
    assert page.exists() and page.stat().st_size > 1_000_000
    assert seconds < ONE_LINE_BOUND_SECONDS


def test_cached_rebuild_after_an_edit_equals_a_build_from_scratch(tmp_path):
    """One project through the edits a maintainer makes: a seed edited (under `mkdocs serve`, the
    quick build first), a glossary entry edited, the seed again; every build from the cache; the
    cache keeps only the last build's entries; the result equals a build from scratch."""
    import build as cli

    project = tmp_project(tmp_path)
    assert build_here(project) == 0
    entries = lambda: sorted(p.name for p in (project / ".cache" / "build").glob("??/*.pickle"))  # noqa: E731
    first = entries()
    assert cli.quick_build(project) is None  # nothing changed
    seed = sorted((project / "seeds" / "speeches").glob("*.txt"))[1]
    seed.write_text(seed.read_text(encoding="utf-8").rstrip("\n") + "坚持“两个维护”，落实“六稳六保”。\n",
                    encoding="utf-8")
    before = generated(project)
    assert cli.quick_build(project) == 0  # only a speech changed: its page and the list, at once
    quick = generated(project)
    changed = {rel for rel in quick if quick[rel] != before.get(rel)}
    assert changed and all(rel.startswith("docs/speeches/") for rel in changed)
    count = lambda files: sum(files[rel].decode().count('href="../../glossary/liang-ge-wei-hu/"')  # noqa: E731
                              for rel in changed if rel in files)
    assert count(quick) > count(before)  # the edit, linked (and listed among the terms)
    assert build_here(project) == 0  # the cache is warm: only the edited speech is new
    assert len(entries()) == len(first) and entries() != first  # the old results are gone
    entry = project / "seeds" / "glossary" / "ai-guo-zhe-zhi-gang.yml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("The principle that only patriots",
                                                               "The rule that only patriots"), encoding="utf-8")
    assert cli.quick_build(project) is None  # the glossary changed: only a full build will do
    assert cli.build(project, quiet=True, keep=True) == 0  # as under mkdocs serve: values kept in memory
    seed.write_text(seed.read_text(encoding="utf-8").rstrip("\n") + "再改一处。\n", encoding="utf-8")
    sidecar = seed.with_suffix(".yml")  # a new title: its neighbours' pagers show it
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("title: 在市长办公会议上的讲话",
                                                                   "title: 在市长办公会议上的讲话（修订）"), encoding="utf-8")
    assert cli.build(project, quiet=True, keep=True) == 0
    cached, kept = generated(project), entries()
    assert "The rule that only patriots" in cached["docs/glossary/ai-guo-zhe-zhi-gang.md"].decode()
    pages = [cached[rel].decode() for rel in cached if rel.startswith("docs/speeches/") and rel != "docs/speeches/index.md"]
    pagers = sum('href="../mayors-office-meeting/"><small>' in page for page in pages)  # its neighbours'
    assert pagers and sum("市长办公会议上的讲话（修订）" in page for page in pages) == 1 + pagers
    shutil.rmtree(project / "docs")
    assert build_here(project) == 0  # every entry it needs is still in the cache
    assert entries() == kept and generated(project) == cached
    shutil.rmtree(project / ".cache")
    shutil.rmtree(project / "docs")
    assert build_here(project) == 0
    assert generated(project) == cached
    assert "六稳六保" in cached["docs/glossary/candidates.md"].decode()


def test_cache_keys_change_with_code_and_input(tmp_path, monkeypatch):
    a = tifa_cache.key("speech", b"text")
    assert a == tifa_cache.key("speech", b"text") != tifa_cache.key("speech", b"text2")
    assert tifa_cache.key("ab", "c") != tifa_cache.key("a", "bc")
    package = tmp_path / "tifa"
    shutil.copytree(ROOT / "scripts" / "tifa", package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(tifa_cache, "PACKAGE", package)
    try:
        tifa_cache.code_version.cache_clear()
        before = tifa_cache.code_version()
        (package / "clean.py").write_text((package / "clean.py").read_text() + "\n# changed\n")
        tifa_cache.code_version.cache_clear()
        assert tifa_cache.code_version() != before  # any code change gives every key anew
    finally:
        monkeypatch.undo()
        tifa_cache.code_version.cache_clear()


def test_worker_processes_are_joined_when_a_build_ends(tmp_path, monkeypatch):
    """Every pool a build starts is joined when it ends: a pool left to shutdown(wait=False)
    could print "Bad file descriptor" as the interpreter exited (`build.py check` did, 2 runs in 30)."""
    import multiprocessing

    monkeypatch.setattr(tifa_cache, "workers", lambda: 2)
    cache = tifa_cache.Cache(tmp_path / "cache")
    keys = [tifa_cache.key("abs", str(i)) for i in range(10)]
    with tifa_cache.build_session():
        assert tifa_cache.cached_map(cache, keys, abs, list(range(-10, 0))) == list(range(10, 0, -1))
        assert tifa_cache.parallel_map(abs, list(range(-10, 0))) == list(range(10, 0, -1))
        assert tifa_cache.background(lambda: 42, nice=1).result() == 42
    assert multiprocessing.active_children() == [] and tifa_cache._EXITING == []


def test_uncached_render_equals_the_cached_parallel_one(tmp_path, root, monkeypatch):
    corpus = load_corpus(root)
    plain = site.render(corpus, root)
    monkeypatch.setattr(tifa_cache, "POOL_MIN_ITEMS", 1)  # five seeds: force the pool
    cache = tifa_cache.Cache(tmp_path / "cache")
    lean = load_corpus(root, cache)
    assert site.render(lean, root, cache) == plain
    digests: dict[str, bytes] = {}
    assert site.render(load_corpus(root, cache), root, cache, digests) == plain  # from the cache
    encoded = lambda content: content.encode() if isinstance(content, str) else content  # noqa: E731
    assert {rel.split("/")[1] for rel in digests} == {"speeches", "data", "search"}  # made with the content
    assert all(digest == hashlib.sha256(encoded(plain[rel])).digest() for rel, digest in digests.items())


# ---------------------------------------------------------------------------------------------
# Candidate counting: one automaton pass gives what re.finditer gave, candidate by candidate.
def reference_uncovered(text: str, speech: Speech, links):
    count, first = 0, None
    for block in speech.blocks:
        spans = [(m.start, m.end) for m in links[block.anchor]]
        for hit in re.finditer(re.escape(text), block.text):
            if any(s <= hit.start() and hit.end() <= e for s, e in spans):
                continue
            count += 1
            first = first or glossary_pages._occurrence(speech, block, hit.start(), hit.end())
    return count, first


ALPHABET = "一二两个意识维护四"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(ALPHABET, min_size=0, max_size=30), min_size=1, max_size=4),
       st.lists(st.text(ALPHABET, min_size=1, max_size=4), min_size=1, max_size=6))
def test_candidate_counts_match_finditer(texts, candidates):
    from tifa.glossary import Entry

    entries = [Entry("si-ge-yi-shi", "四个意识", "四個意識", "", (), "slogan", "national", {}, {}),
               Entry("liang-ge", "两个维护", "兩個維護", "", (), "slogan", "national", {}, {})]
    linker = Linker(entries)
    blocks = tuple(Block("paragraph", t, f"p{i + 1}", number=i + 1) for i, t in enumerate(texts))
    speech = Speech(slug="x", source_path="x.txt", title="x", blocks=blocks)
    links = {b.anchor: linker.find(b.text) for b in blocks}
    found = glossary_pages.speech_uncovered(glossary_pages.candidate_automaton(candidates), speech, links)
    assert glossary_pages.speech_uncovered_texts(speech, links, sorted(set(candidates))) == found  # by str.find
    for text in set(candidates):
        count, first = reference_uncovered(text, speech, links)
        hit = found.get(text)
        assert (hit[0], glossary_pages.uncovered_occurrence(speech, hit)) == (count, first) if hit else count == 0, text


# ---------------------------------------------------------------------------------------------
# Doc.delete: linear, and the same text, origin map and removals as deleting character by character.
def reference_delete(doc: clean.Doc, spans):
    keep = [True] * len(doc.text)
    for s, e in spans:
        for i in range(s, e):
            keep[i] = False
    removed, run = [], []
    for i, k in enumerate(keep + [True]):
        if not k and (not run or doc.origin[i] == run[-1] + 1):
            run.append(doc.origin[i])
            continue
        if run:
            removed.append((run[0], run[-1] + 1))
            run = []
        if not k:
            run = [doc.origin[i]]
    text = "".join(c for c, k in zip(doc.text, keep) if k)
    return text, [o for o, k in zip(doc.origin, keep) if k], removed


@settings(max_examples=200, deadline=None)
@given(st.text("ab \n", min_size=0, max_size=40), st.lists(st.tuples(st.integers(0, 40), st.integers(0, 8)), max_size=6),
       st.lists(st.tuples(st.integers(0, 40), st.integers(0, 8)), max_size=6))
def test_doc_delete_matches_character_by_character_deletion(source, first, second):
    doc = clean.Doc.of(source)
    for spans in (first, second):  # twice: the second works on a text whose origin has gaps
        spans = [(min(s, len(doc.text)), min(s + n, len(doc.text))) for s, n in spans]
        want_text, want_origin, want_removed = reference_delete(doc, spans)
        before = len(doc.removals)
        doc.delete(spans, "r")
        assert doc.text == want_text and doc.origin == want_origin
        assert [(r.start, r.end) for r in doc.removals[before:]] == want_removed
        assert all(r.text == source[r.start:r.end] for r in doc.removals)


def test_doc_delete_is_linear():
    """Deleting every other character of 200,000 takes well under a second when linear."""
    doc = clean.Doc.of("甲乙" * 100_000)
    start = time.perf_counter()
    doc.delete([(i, i + 1) for i in range(0, 200_000, 2)], "r")
    assert doc.text == "乙" * 100_000 and len(doc.removals) == 100_000
    assert time.perf_counter() - start < 10


def test_an_unchanged_build_is_skipped_but_never_over_missing_output(tmp_path, capsys):
    project = tmp_project(tmp_path)
    assert build_here(project) == 0
    page = next((project / "docs" / "speeches").glob("*.md"))
    want = page.read_bytes()
    assert build_here(project) == 0  # skipped: same inputs, outputs untouched
    page.unlink()
    assert build_here(project) == 0 and page.read_bytes() == want
    page.write_text("edited by hand", encoding="utf-8")
    assert build_here(project) == 0 and page.read_bytes() == want

