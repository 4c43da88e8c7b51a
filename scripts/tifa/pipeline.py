"""Wiring of the stages: raw text → clean → structure → Speech. No disk writes here."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import clean as cleaning
from . import structure
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


def load_speeches(root: Path) -> tuple[list[Speech], list[str]]:
    """Every seeds/speeches/*.txt with its sidecar; errors collected, never raised one by one."""
    speeches, errors = [], []
    for path in sorted((root / SPEECH_DIR).glob("*.txt")):
        try:
            raw = read_raw(path, root)
            sidecar = read_sidecar(path.with_suffix(".yml"), root)
            speech = speech_from_text(raw.text, raw.path, sidecar, _notes(raw))
            speeches.append(speech)
            if sidecar:
                errors += evidence_problems(speech, raw.text, set(sidecar.meta or {}))
        except SourceError as err:
            errors.append(str(err))
    errors += _slug_problems(speeches)
    return speeches, errors


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


def load_corpus(root: Path) -> Corpus:
    """Speeches and glossary entries, with every error and warning found."""
    speeches, errors = load_speeches(root)
    corpus = Corpus(speeches=speeches, errors=errors)
    corpus.warnings = [w for s in speeches for w in s.warnings]
    try:
        from .glossary import load_glossary
    except ImportError:  # the glossary stage is optional while it is being built
        return corpus
    entries, problems = load_glossary(root / GLOSSARY_DIR, root)
    corpus.entries = entries
    corpus.errors += [str(p) for p in problems]
    from .glossary_lint import lint

    corpus.warnings += lint(entries, speeches)
    return corpus


def evidence_problems(speech: Speech, raw_text: str, keys: set[str]) -> list[str]:
    """Sidecar evidence (for `keys`) must quote the raw text verbatim."""
    return [f"{Path(speech.source_path).with_suffix('.yml').as_posix()}: {key}: evidence must quote the raw text "
            f"verbatim (copy it from {Path(speech.source_path).name}), got {f.evidence!r}"
            for key, f in speech.meta.items() if key in keys and f.evidence and f.evidence not in raw_text]

