"""Wiring of the stages: raw text → clean → structure → Speech. No disk writes here."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import boilerplate, structure
from . import clean as cleaning
from .cache import Cache, cached_map, cached_one, key as cache_key
from .model import Speech
from .sources import SourceError, problem, read_raw, read_sidecar, refuse, size_warnings

SPEECH_DIR = Path("seeds/speeches")
GLOSSARY_DIR = Path("seeds/glossary")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class Corpus:
    speeches: list[Speech] = field(default_factory=list)
    entries: list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # build-stopping, each naming a file
    warnings: list[str] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)  # slug → the cache key of its inputs (cached loads)


def speech_from_text(text: str, path: str, sidecar=None, notes: tuple[str, ...] = (), corpus=None) -> Speech:
    """Clean and structure one decoded raw text. Raises SourceError if no speech is left.

    `corpus` counts lines across the corpus's raw texts (boilerplate.line_counts): a line that
    recurs in several of them is evidence of a site's boilerplate.
    """
    doc, decisions = cleaning.explain(text, corpus)
    lines = [l for l in doc.text.split("\n") if l]
    header = structure.split_header(lines)
    body = lines[header.consumed:]
    if not body or structure.han_count("".join(body)) < 10:
        raise refuse(path, None, "S013", "nothing of a speech is left after removing website boilerplate "
                     f"({len(doc.removals)} spans removed) — is this a speech?")
    meta = structure.infer_meta(header, body)
    warnings = list(notes) + [cleaning.review_warning(path, text, o, v) for o, v in cleaning.to_review(doc, decisions)]
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


RAW_SUFFIXES = (".txt", ".html", ".htm")


def raw_paths(root: Path) -> list[Path]:
    """The raw texts: seeds/speeches/*.txt, and saved web pages *.html / *.htm."""
    return sorted(p for p in (root / SPEECH_DIR).iterdir() if p.suffix.lower() in RAW_SUFFIXES) \
        if (root / SPEECH_DIR).is_dir() else []


def read_any(path: Path, root: Path):
    """A raw text, or a saved web page's text (webpage.py); both as sources.RawText."""
    if path.suffix.lower() in (".html", ".htm"):
        from . import webpage  # beautifulsoup4: imported only when there is a page to read

        return webpage.read_page(path, root)
    return read_raw(path, root)


def load_speeches(root: Path, cache: Cache | None = None, keys: dict | None = None) -> tuple[list[Speech], list[str]]:
    """Every raw text in seeds/speeches with its sidecar; errors collected, never raised one by one.

    All raw texts are read first: a line that recurs across them is the sites' (the scorer's
    repetition evidence). With a cache, each text is cleaned and structured once per version of
    its bytes, its sidecar's, how often its lines recur elsewhere, and the code, on every core;
    the speeches then carry no `doc` (origin map), and `keys`, if given, gets each speech's input
    key by slug (a speech is a function of its inputs: the key names it, without hashing it)."""
    errors, raws = stray_files(root / SPEECH_DIR, root), []
    for path in raw_paths(root):
        try:
            raws.append((path, read_any(path, root)))
        except SourceError as err:
            errors.append(str(err))
    _LINES["corpus"] = boilerplate.line_counts(raw.text for _, raw in raws)  # read by forked workers
    jobs = [(path, root, raw) for path, raw in raws]
    try:
        if cache is None:
            results = [_load_one(job) for job in jobs]
        else:
            input_keys = [_input_key(job) for job in jobs]
            results = cached_map(cache, input_keys, _load_lean, jobs)
            if keys is not None:
                keys.update((speech.slug, k) for (speech, _), k in zip(results, input_keys)
                            if speech is not None and k)
    finally:
        _LINES.clear()
    speeches = [speech for speech, _ in results if speech is not None]
    errors += [e for _, problems in results for e in problems]
    return speeches, errors + _slug_problems(speeches)


_LINES: dict = {}  # the corpus's line counts, set before the pool forks (not pickled per job)


def _load_one(job) -> tuple[Speech | None, list[str]]:
    path, root, raw = job
    corpus = _LINES["corpus"]
    try:
        sidecar = read_sidecar(path.with_suffix(".yml"), root)
        speech = speech_from_text(raw.text, raw.path, sidecar, _notes(raw) + tuple(size_warnings(raw)), corpus)
        return speech, evidence_problems(speech, raw.text, set(sidecar.meta or {})) if sidecar else []
    except SourceError as err:
        return None, [str(err)]


def _load_lean(job) -> tuple[Speech | None, list[str]]:
    speech, problems = _load_one(job)
    return (replace(speech, doc=None) if speech else None), problems


def _input_key(job) -> str | None:
    """The cache key of one speech: its bytes, its sidecar's, its repository-relative path (so a
    moved checkout keeps its cache), how often its lines recur elsewhere, and the code."""
    path, _, raw = job
    corpus = _LINES["corpus"]
    recurring = bytes(min(corpus.get(line.strip(), 0), 3) for line in raw.text.split("\n"))
    try:
        sidecar = path.with_suffix(".yml")
        return cache_key("speech", raw.path, raw.text.encode("utf-8"), "\n".join(raw.notes).encode(),
                         recurring, sidecar.read_bytes() if sidecar.exists() else b"")
    except OSError:
        return None  # unreadable: load it uncached, so the loader reports why


def stray_files(directory: Path, root: Path) -> list[str]:
    """Files in seeds/speeches that would be silently ignored: a `.yaml` sidecar, a sidecar with
    no raw text, any other kind of file."""
    errors = []
    stems = {p.stem for p in directory.iterdir() if p.suffix.lower() in RAW_SUFFIXES} if directory.exists() else set()
    for path in sorted(directory.iterdir()) if directory.exists() else ():
        rel = path.relative_to(root).as_posix()
        if path.suffix == ".yaml":
            errors.append(problem(rel, None, "S004", "sidecars end in .yml, not .yaml: rename the file",
                                  f"{path.stem}.yml"))
        elif path.suffix == ".yml" and path.stem not in stems:
            errors.append(problem(rel, None, "S004", "sidecar without a raw text beside it",
                                  f"{path.stem}.txt next to {path.name}"))
        elif path.suffix.lower() not in (*RAW_SUFFIXES, ".yml") and not path.name.startswith("."):
            errors.append(problem(rel, None, "S004", f"'{path.suffix or path.name}' files are not read here: "
                                  "raw texts are .txt, saved web pages .html or .htm, sidecars .yml"))
    return errors


def _notes(raw) -> tuple[str, ...]:
    return tuple(f"{raw.path}: {note}" for note in raw.notes)


def _slug_problems(speeches: list[Speech]) -> list[str]:
    problems, seen = [], {}
    for s in speeches:
        if not SLUG.match(s.slug) or s.slug == "index":
            problems.append(problem(s.source_path, None, "S011", f"slug '{s.slug}' must be lower-case ASCII words "
                                    "joined by '-', not 'index'", "slug: mayors-office-meeting"))
        if s.slug in seen:
            problems.append(problem(s.source_path, None, "S011", f"slug '{s.slug}' is already used by {seen[s.slug]}"))
        seen[s.slug] = s.source_path
    return problems


def load_corpus(root: Path, cache: Cache | None = None, places: bool = True) -> Corpus:
    """Speeches and glossary entries, with every error and warning found. `places=False`: the
    caller (the build) checks where entries occur (W002) from its own links."""
    keys: dict[str, str] = {}
    speeches, errors = load_speeches(root, cache, keys)
    corpus = Corpus(speeches=speeches, errors=errors, keys=keys)
    corpus.warnings = [w for s in speeches for w in s.warnings]
    try:
        from .glossary import load_glossary
    except ImportError:  # the glossary stage is optional while it is being built
        return corpus
    entries, problems = _load_glossary(root, cache, load_glossary)
    corpus.entries = entries
    corpus.errors += [str(p) for p in problems]
    from .glossary_lint import lint

    if cache is not None and not places:  # the glossary's own warnings: once per version of it
        from .glossary import jieba_folder  # W001 reads jieba's dictionary: its version is part
        version = (jieba_folder() / "__init__.py").read_bytes()  # of the key (read, not imported)
        corpus.warnings += cached_one(cache, cache_key("lint", version, repr(entries)),
                                      lambda: lint(entries, speeches, places))
    else:
        corpus.warnings += lint(entries, speeches, places)
    return corpus


def _load_glossary(root: Path, cache: Cache | None, load):
    """The glossary, from the cache when no file changed since it last loaded without a problem
    (a problem is always found again: G011 may ask git which file came first)."""
    folder = root / GLOSSARY_DIR
    try:
        paths = sorted(folder.iterdir()) if cache is not None and folder.is_dir() else None
        k = cache_key("glossary-files", *(b for p in paths for b in (p.name.encode(), p.read_bytes()))) \
            if paths is not None and all(p.is_file() and not p.is_symlink() for p in paths) else None
    except OSError:
        k = None
    if k is not None and (hit := cache.get(k)) is not None:
        return hit
    entries, problems = load(folder, root)
    if k is not None and not problems:
        cache.put(k, (entries, problems))
    return entries, problems


def evidence_problems(speech: Speech, raw_text: str, keys: set[str]) -> list[str]:
    """Sidecar evidence (for `keys`) must quote the raw text verbatim, unless it is an import row's."""
    sidecar = Path(speech.source_path).with_suffix(".yml").as_posix()
    return [problem(sidecar, None, "S012", f"{key}: evidence must quote the raw text verbatim "
                    f"(copy it from {Path(speech.source_path).name}), got {f.evidence!r}")
            for key, f in speech.meta.items()
            if key in keys and f.evidence and f.evidence_source != "row" and f.evidence not in raw_text]

