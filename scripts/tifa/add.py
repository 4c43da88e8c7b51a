"""`build.py add FILE…`: bring raw texts and saved web pages into the corpus, unchanged.

Each file is copied byte for byte to seeds/speeches/NNN_<hash>.<ext> (NNN the next free number,
<hash> the first 16 hex digits of the file's SHA-256), and a sidecar NNN_<hash>.yml is drafted
with every value structure.infer_meta could infer, each with an evidence quote copied verbatim
from the raw text. What could not be inferred is printed. A text whose cleaned form is already in
the corpus is refused.
"""
from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import yaml

from . import clean as cleaning
from . import structure, webpage
from .pipeline import RAW_SUFFIXES, SPEECH_DIR, raw_paths, read_any
from .sources import META_FIELDS, SourceError, decode

_NUMBERED = re.compile(r"^(\d{3})_")


def add_files(paths: list[Path], root: Path, out=sys.stdout, err=sys.stderr) -> int:
    """Add each file; 1 if any was refused, else 0. Messages name the file."""
    status = 0
    for path in paths:
        try:
            print(add_file(path, root), file=out)
        except (SourceError, OSError) as problem:
            print(f"refused {path}: {problem}", file=err)
            status = 1
    return status


def add_file(path: Path, root: Path) -> str:
    """Copy one file in and draft its sidecar; return the report to print."""
    suffix = path.suffix.lower()
    if suffix not in RAW_SUFFIXES:
        raise SourceError(f"not a raw text: add .txt, .html or .htm files, not {suffix or 'a file without suffix'}")
    data = path.read_bytes()
    raw = webpage.page_text(data, str(path)) if suffix in (".html", ".htm") else decode(data, str(path))
    cleaned = cleaning.clean(raw.text).text
    if twin := _same_text(cleaned, root):
        raise SourceError(f"the same text (after cleaning) is already in the corpus as {twin}")
    stem = f"{next_number(root):03d}_{hashlib.sha256(data).hexdigest()[:16]}"
    target = root / SPEECH_DIR / f"{stem}{suffix}"
    sidecar, missing = draft_sidecar(raw.text, stem)
    target.write_bytes(data)
    target.with_suffix(".yml").write_text(sidecar, encoding="utf-8")
    rel = target.relative_to(root).as_posix()
    report = [f"added {rel} (byte-identical copy of {path}) and drafted {Path(rel).with_suffix('.yml').as_posix()}"]
    if missing:
        report.append(f"  could not infer: {', '.join(missing)} — fill them in from the text, with evidence quotes")
    report.append("  review the draft, give it a readable slug, then run: python scripts/build.py check")
    return "\n".join(report)


def next_number(root: Path) -> int:
    numbers = [int(m.group(1)) for p in (root / SPEECH_DIR).glob("*") if (m := _NUMBERED.match(p.name))]
    return max(numbers, default=-1) + 1


def _same_text(cleaned: str, root: Path) -> str | None:
    for p in raw_paths(root):
        try:
            if cleaning.clean(read_any(p, root).text).text == cleaned:
                return p.relative_to(root).as_posix()
        except SourceError:
            continue
    return None


def draft_sidecar(raw_text: str, stem: str) -> tuple[str, list[str]]:
    """The sidecar's YAML text and the names of the fields it could not fill."""
    doc = cleaning.clean(raw_text)
    lines = [line for line in doc.text.split("\n") if line]
    header = structure.split_header(lines)
    meta = structure.infer_meta(header, lines[header.consumed:])
    data: dict = {"slug": stem.lower().replace("_", "-")}
    if header.title:
        data.update(title=header.title, title_inferred=True)
    for key in META_FIELDS:
        if key in meta:
            f = meta[key]
            field = {"value": f.value, "evidence": raw_quote(doc, f.evidence) if f.evidence else ""}
            field.update({k: v for k, v in (("confidence", f.confidence), ("note", f.note)) if v})
            data[key] = field
    missing = (["title"] if not header.title else []) + ["title_en"] + [k for k in META_FIELDS if k not in meta]
    head = ("# Drafted by `python scripts/build.py add`: every value below was inferred from the text.\n"
            "# Check each against the text, replace the slug with readable words, add title_en.\n")
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), missing


def raw_quote(doc: cleaning.Doc, cleaned: str) -> str:
    """`cleaned` (a piece of the cleaned text) as the raw text has it, mapped back through the origin map."""
    at = doc.text.find(cleaned)
    if at < 0 or not cleaned:
        return cleaned
    start, end = doc.origin[at], doc.origin[at + len(cleaned) - 1] + 1
    return doc.source[start:end]
