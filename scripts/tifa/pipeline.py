"""Wiring of the stages: raw text → clean → structure → Speech. No disk writes here."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import clean as cleaning
from . import structure
from .cache import Cache, key as cache_key, parallel_map
from .model import Speech
from .sources import SourceError, read_raw, read_sidecar

SPEECH_DIR = Path("seeds/speeches")
GLOSSARY_DIR = Path("seeds/glossary")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class Corpus:
    speeches: list[Speech] = field(default_factory=list)
    entries: list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # build-stopping, each naming a file
    warnings: list[str] = field(default_factory=list)


def speech_from_text(text: str, path: str, sidecar=None, notes: tuple[str, ...] = ()) -> Speech:
    """Clean and structure one decoded raw text. Raises SourceError if no speech is left."""
    doc = cleaning.clean(text)
    lines = [l for l in doc.text.split("\n") if l]
    header = structure.split_header(lines)
    body = lines[header.consumed:]
    if not body or structure.han_count("".join(body)) < 10:
        raise SourceError(f"{path}: nothing of a speech is left after removing website boilerplate "
                          f"({len(doc.removals)} spans removed) — is this a speech?")
    meta = structure.infer_meta(header, body)
    warnings = list(notes)
    if sidecar is None:
        warnings.append(f"{path}: no metadata sidecar ({Path(path).with_suffix('.yml').name}); "
                        "title and metadata are inferred")
    else:
        meta.update(sidecar.meta or {})
    title = (sidecar and sidecar.title) or header.title or structure.untitled(path)
    slug = (sidecar and sidecar.slug) or Path(path).stem.lower().replace("_", "-")
    title_en = (sidecar and sidecar.title_en) or ""
    return Speech(slug=slug, source_path=path, title=title, title_en=title_en, meta=meta,
                  blocks=structure.build_blocks(body), removals=tuple(doc.removals),
                  warnings=tuple(warnings), header=header, doc=doc)


def load_speeches(root: Path, cache: Cache | None = None) -> tuple[list[Speech], list[str]]:
    """Every seeds/speeches/*.txt with its sidecar; errors collected, never raised one by one.

    With a cache, each text is cleaned and structured once per version of its bytes, its
    sidecar's and the code, on every core; the speeches then carry no `doc` (origin map)."""
    paths = sorted((root / SPEECH_DIR).glob("*.txt"))
    results = [_load_one((path, root)) for path in paths] if cache is None else _load_cached(paths, root, cache)
    speeches = [speech for speech, _ in results if speech is not None]
    errors = [e for _, problems in results for e in problems]
    return speeches, errors + _slug_problems(speeches)


def _load_one(job: tuple[Path, Path]) -> tuple[Speech | None, list[str]]:
    path, root = job
    try:
        raw = read_raw(path, root)
        sidecar = read_sidecar(path.with_suffix(".yml"), root)
        speech = speech_from_text(raw.text, raw.path, sidecar, _notes(raw))
        return speech, evidence_problems(speech, raw.text, set(sidecar.meta or {})) if sidecar else []
    except SourceError as err:
        return None, [str(err)]


def _load_lean(job: tuple[Path, Path]) -> tuple[Speech | None, list[str]]:
    speech, problems = _load_one(job)
    return (replace(speech, doc=None) if speech else None), problems


def _input_key(path: Path) -> str | None:
    try:
        sidecar = path.with_suffix(".yml")
        return cache_key("speech", path.as_posix(), path.read_bytes(),
                         sidecar.read_bytes() if sidecar.exists() else b"")
    except OSError:
        return None  # unreadable: load it uncached, so the loader reports why


def _load_cached(paths: list[Path], root: Path, cache: Cache) -> list:
    keys = [_input_key(p) for p in paths]
    results = [cache.get(k) if k else None for k in keys]
    missing = [i for i, r in enumerate(results) if r is None]
    for i, result in zip(missing, parallel_map(_load_lean, [(paths[i], root) for i in missing])):
        results[i] = result
        if keys[i]:
            cache.put(keys[i], result)
    return results


def _notes(raw) -> tuple[str, ...]:
    return tuple(f"{raw.path}: {note}" for note in raw.notes)


def _slug_problems(speeches: list[Speech]) -> list[str]:
    problems, seen = [], {}
    for s in speeches:
        if not SLUG.match(s.slug) or s.slug == "index":
            problems.append(f"{s.source_path}: slug '{s.slug}' must be lower-case ASCII words joined by '-', "
                            "not 'index' — e.g. slug: mayors-office-meeting")
        if s.slug in seen:
            problems.append(f"{s.source_path}: slug '{s.slug}' is already used by {seen[s.slug]}")
        seen[s.slug] = s.source_path
    return problems


def load_corpus(root: Path, cache: Cache | None = None) -> Corpus:
    """Speeches and glossary entries, with every error and warning found."""
    speeches, errors = load_speeches(root, cache)
    corpus = Corpus(speeches=speeches, errors=errors)
    corpus.warnings = [w for s in speeches for w in s.warnings]
    try:
        from .glossary import load_glossary
    except ImportError:  # the glossary stage is optional while it is being built
        return corpus
    entries, problems = load_glossary(root / GLOSSARY_DIR, root)
    corpus.entries = entries
    corpus.errors += [str(p) for p in problems]
    return corpus


def evidence_problems(speech: Speech, raw_text: str, keys: set[str]) -> list[str]:
    """Sidecar evidence (for `keys`) must quote the raw text verbatim."""
    return [f"{Path(speech.source_path).with_suffix('.yml').as_posix()}: {key}: evidence must quote the raw text "
            f"verbatim (copy it from {Path(speech.source_path).name}), got {f.evidence!r}"
            for key, f in speech.meta.items() if key in keys and f.evidence and f.evidence not in raw_text]

