#!/usr/bin/env python3
"""Tifa's command line: build the site's Markdown, clean one text, check every seed.

    python scripts/build.py build             write generated Markdown into docs/
    python scripts/build.py clean FILE        print one raw text's cleaned Markdown
    python scripts/build.py clean FILE --explain   …and list on stderr what each rule changed
    python scripts/build.py check             validate every seed and glossary entry, write nothing
    python scripts/build.py candidates        terms in the corpus that have no glossary entry yet
"""
from __future__ import annotations

import argparse
import sys
from types import SimpleNamespace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from tifa import emit, glossary_pages, site  # noqa: E402
from tifa.cache import Cache, inputs_digest, record_build, unchanged_build  # noqa: E402
from tifa.linker import Linker  # noqa: E402
from tifa.pipeline import load_corpus, speech_from_text  # noqa: E402
from tifa.sources import SourceError, decode, read_sidecar  # noqa: E402


CACHE_DIR = ".cache/build"  # per-speech results, keyed by their inputs and the code version


def report(corpus) -> int:
    for warning in corpus.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for error in corpus.errors:
        print(error, file=sys.stderr)
    if corpus.errors:
        print(f"{len(corpus.errors)} problem(s) found; nothing was written.", file=sys.stderr)
    return 1 if corpus.errors else 0


def build(root: Path = ROOT, quiet: bool = False) -> int:
    """Render everything in memory, then write what changed. On any error write nothing."""
    cache = Cache(root / CACHE_DIR)
    digest = inputs_digest(root)
    warnings = unchanged_build(cache, root, digest, emit.GENERATED)
    if warnings is not None:  # same inputs, outputs untouched: nothing to do
        report(SimpleNamespace(warnings=warnings, errors=[]))
        if not quiet:
            print("inputs and outputs as at the last build; 0 file(s) changed", file=sys.stderr)
        return 0
    corpus = load_corpus(root, cache)
    if report(corpus):
        return 1
    changed = emit.write_outputs(root, site.render(corpus, root, cache))
    record_build(cache, root, digest, emit.GENERATED, corpus.warnings)
    if not quiet:
        print(f"built {len(corpus.speeches)} speeches, {len(corpus.entries)} glossary entries; "
              f"{len(changed)} file(s) changed", file=sys.stderr)
    return 0


def check(root: Path = ROOT) -> int:
    corpus = load_corpus(root)
    status = report(corpus)
    if not status:
        print(f"ok: {len(corpus.speeches)} speeches, {len(corpus.entries)} glossary entries", file=sys.stderr)
    return status


def clean_one(path: Path, explain: bool) -> int:
    try:
        raw = decode(path.read_bytes(), str(path))
        sidecar = read_sidecar(path.with_suffix(".yml"), path.parent) if path.suffix == ".txt" else None
        speech = speech_from_text(raw.text, str(path), sidecar, raw.notes)
    except (SourceError, OSError) as err:
        print(err, file=sys.stderr)
        return 1
    sys.stdout.write(emit.speech_page(speech))
    if explain:
        explain_edits(speech)
    return 0


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


def candidates(root: Path = ROOT) -> int:
    corpus = load_corpus(root, Cache(root / CACHE_DIR))
    found = glossary_pages.find_candidates(corpus.speeches, corpus.entries, Linker(corpus.entries))
    sys.stdout.write(glossary_pages.candidates_text(found))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="write the generated Markdown into docs/")
    p_clean = sub.add_parser("clean", help="print one raw text's cleaned Markdown to stdout")
    p_clean.add_argument("file", type=Path)
    p_clean.add_argument("--explain", action="store_true", help="list on stderr every span each rule changed")
    sub.add_parser("check", help="validate every seed and glossary entry without writing anything")
    sub.add_parser("candidates", help="list terms in the corpus that have no glossary entry")
    args = parser.parse_args(argv)
    if args.command == "clean":
        return clean_one(args.file, args.explain)
    return {"build": build, "check": check, "candidates": candidates}[args.command]()


if __name__ == "__main__":
    sys.exit(main())
