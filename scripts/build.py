#!/usr/bin/env python3
"""Tifa's command line: build the site's Markdown, clean one text, check every seed.

    python scripts/build.py build             write generated Markdown into docs/
    python scripts/build.py clean FILE        print one raw text's cleaned Markdown
    python scripts/build.py clean FILE --explain   …and list on stderr what each rule changed
    python scripts/build.py check             validate every seed and glossary entry, write no page
    python scripts/build.py candidates        terms in the corpus that have no glossary entry yet
    python scripts/build.py import FILE [--into DIR]   JSON Lines or CSV rows → raw texts with sidecars
    python scripts/build.py add FILE…         copy raw texts / saved web pages into seeds/speeches/, draft sidecars
"""
from __future__ import annotations

import argparse
import sys
from types import SimpleNamespace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from tifa import boilerplate, emit, glossary_pages, site  # noqa: E402
from tifa import clean as cleaning  # noqa: E402
from tifa.cache import (Cache, changed_inputs, build_session, input_files, inputs_digest, known_outputs,  # noqa: E402
                        record_build, unchanged_build)
from tifa.linker import Linker  # noqa: E402
from tifa.pipeline import load_corpus, raw_paths, read_any, speech_from_text  # noqa: E402
from tifa.sources import SourceError, decode, read_sidecar  # noqa: E402


CACHE_DIR = ".cache/build"  # per-speech results, keyed by their inputs and the code version
SPEECHES = "seeds/speeches"


def report(corpus) -> int:
    for warning in corpus.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for error in corpus.errors:
        print(error, file=sys.stderr)
    if corpus.errors:
        print(f"{len(corpus.errors)} problem(s) found; nothing was written.", file=sys.stderr)
    return 1 if corpus.errors else 0


def render(root: Path, cache: Cache | None = None, quiet: bool = False, digests: dict | None = None):
    """(corpus, every output file in memory), or (corpus, None) after reporting problems.
    `digests`: see site.render."""
    corpus = load_corpus(root, cache, places=False)  # where entries occur (W002): from the build's links
    if corpus.errors:
        quiet or report(corpus)
        return corpus, None
    files = site.render(corpus, root, cache, digests)
    quiet or report(corpus)
    return corpus, files


@build_session()
def quick_build(root: Path = ROOT) -> int | None:
    """For `mkdocs serve`: when only speeches (raw texts, sidecars) changed since the last full
    build, write their pages and the speech list only, at once, and return 0 (1 on an error);
    the caller then runs the full `build` for the rest (glossary, search, data). None when
    anything else changed: run the full build."""
    cache = Cache(root / CACHE_DIR, memory=True)
    changed = changed_inputs(cache, input_files(root))
    if not changed or any(not rel.startswith(f"{SPEECHES}/") for rel in changed):
        return None
    corpus = load_corpus(root, cache, places=False)
    if corpus.errors:
        report(corpus)
        return 1
    emit.write_outputs(root, site.speech_files(corpus, cache), scope=("docs/speeches",))
    return 0


@build_session()
def warm(root: Path = ROOT) -> None:
    """Load what the next build will reuse into this process's memory, writing nothing and saying
    nothing (`mkdocs serve` does this once it is up, so that the first edit rebuilds fast)."""
    cache = Cache(root / CACHE_DIR, memory=True)
    render(root, cache, quiet=True)
    cache.forget_unused()


@build_session()
def build(root: Path = ROOT, quiet: bool = False, keep: bool = False) -> int:
    """Render everything in memory, then write what changed. On any error write nothing.
    `keep`: keep the cached values of this build in memory for the next one in this process
    (`mkdocs serve`, which builds on every edit)."""
    cache = Cache(root / CACHE_DIR, memory=keep)
    inputs = input_files(root)
    digest = inputs_digest(inputs)
    warnings = unchanged_build(cache, root, digest, emit.GENERATED)
    if warnings is not None:  # same inputs, outputs untouched: nothing to do
        report(SimpleNamespace(warnings=warnings, errors=[]))
        if not quiet:
            print("inputs and outputs as at the last build; 0 file(s) changed", file=sys.stderr)
        return 0
    written: dict[str, bytes] = {}  # each output's sha256: some made with it, the rest by write_outputs
    corpus, files = render(root, cache, digests=written)
    if files is None:
        return 1
    state: dict[str, tuple[int, int]] = {}  # each output's size and time, as write_outputs saw them
    changed = emit.write_outputs(root, files, known=known_outputs(cache), digests=written, state=state)
    record_build(cache, root, digest, emit.GENERATED, corpus.warnings, inputs, written, state)
    cache.forget_unused()
    cache.prune()
    if not quiet:
        print(f"built {len(corpus.speeches)} speeches, {len(corpus.entries)} glossary entries; "
              f"{len(changed)} file(s) changed", file=sys.stderr)
    return 0


@build_session()
def check(root: Path = ROOT) -> int:
    """Everything `build` does but writing pages: a clean check means the build will succeed.
    (Per-speech results go to the build cache, .cache/build, as in a build.)"""
    corpus, files = render(root, Cache(root / CACHE_DIR))
    if files is None:
        return 1
    print(f"ok: {len(corpus.speeches)} speeches, {len(corpus.entries)} glossary entries", file=sys.stderr)
    return 0


def clean_one(path: Path, explain: bool, root: Path = ROOT) -> int:
    from tifa import webpage

    try:
        raw = webpage.page_text(path.read_bytes(), str(path)) if path.suffix.lower() in (".html", ".htm") \
            else decode(path.read_bytes(), str(path))
        sidecar = read_sidecar(path.with_suffix(".yml"), path.parent) if path.suffix in (".txt", ".html", ".htm") else None
        corpus = corpus_lines(root, path, raw.text)
        speech = speech_from_text(raw.text, str(path), sidecar, raw.notes, corpus)
    except (SourceError, OSError) as err:
        print(err, file=sys.stderr)
        return 1
    sys.stdout.write(emit.speech_page(speech))
    if explain:
        explain_edits(speech)
        explain_lines(raw.text, corpus)
    return 0


def corpus_lines(root: Path, path: Path, text: str):
    """Line counts over the corpus's raw texts and this one: the scorer's repetition evidence."""
    texts = {p.resolve(): p for p in raw_paths(root)}
    others = []
    for p in texts.values():
        if p.resolve() != path.resolve():
            try:
                others.append(read_any(p, root).text)
            except SourceError:
                continue
    return boilerplate.line_counts(others + [text])


def explain_lines(source: str, corpus) -> None:
    """The boilerplate scorer's decision on every line: line, verdict, score, kind and evidence."""
    for offset, verdict in cleaning.explain(source, corpus)[1]:
        print(f"{_where(source, offset)}: scorer: {verdict.explain()}", file=sys.stderr)


def explain_edits(speech) -> None:
    """Every span each rule removed or changed, with its line and column in the raw text."""
    source = speech.doc.source
    for r in sorted(speech.removals, key=lambda r: r.start):
        print(f"{_where(source, r.start)}: {r.rule}: removed {r.text!r}", file=sys.stderr)
    for c in speech.doc.changes:
        print(f"{_where(source, c.at)}: {c.rule}: {c.before!r} → {c.after!r}", file=sys.stderr)
    header = speech.header
    for label, line in (("title", header.title), ("byline", header.byline), ("date", header.date)):
        if line:
            print(f"header: {label} line moved into metadata: {line!r}", file=sys.stderr)


def _where(source: str, offset: int) -> str:
    line = source.count("\n", 0, offset) + 1
    return f"{line}:{offset - (source.rfind(chr(10), 0, offset) + 1) + 1}"


@build_session()
def candidates(root: Path = ROOT) -> int:
    corpus = load_corpus(root, Cache(root / CACHE_DIR))
    found = glossary_pages.find_candidates(corpus.speeches, corpus.entries, Linker(corpus.entries))
    sys.stdout.write(glossary_pages.candidates_text(found))
    return 0


def import_rows(path: Path, into: Path | None) -> int:
    from tifa.importer import ImportProblem, import_file

    folder = into or ROOT / "seeds" / "speeches"
    try:
        written = import_file(path, folder)
    except ImportProblem as err:
        print(err, file=sys.stderr)
        print("nothing was imported.", file=sys.stderr)
        return 1
    print(f"imported {len(written)} row(s) into {folder}"
          + (f" ({written[0].stem} … {written[-1].stem})" if written else " (all were imported before)"),
          file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="write the generated Markdown into docs/")
    p_clean = sub.add_parser("clean", help="print one raw text's cleaned Markdown to stdout")
    p_clean.add_argument("file", type=Path)
    p_clean.add_argument("--explain", action="store_true",
                         help="list on stderr every span each rule changed and the scorer's verdict on every line")
    sub.add_parser("check", help="validate every seed and glossary entry without writing any page")
    sub.add_parser("candidates", help="list terms in the corpus that have no glossary entry")
    p_add = sub.add_parser("add", help="copy raw texts or saved web pages into seeds/speeches/ with a drafted sidecar")
    p_add.add_argument("files", type=Path, nargs="+")
    p_import = sub.add_parser("import", help="JSON Lines or CSV rows → raw texts with metadata sidecars")
    p_import.add_argument("file", type=Path)
    p_import.add_argument("--into", type=Path, help="folder to write into (default: seeds/speeches)")
    args = parser.parse_args(argv)
    if args.command == "clean":
        return clean_one(args.file, args.explain)
    if args.command == "import":
        return import_rows(args.file, args.into)
    if args.command == "add":
        from tifa.add import add_files

        return add_files(args.files, ROOT)
    return {"build": build, "check": check, "candidates": candidates}[args.command]()


if __name__ == "__main__":
    sys.exit(main())
