"""Import: rows of a JSON Lines or CSV file → raw texts with metadata sidecars in seeds/speeches/.

Each row needs `title` and `content` (or `text`); `date` or `year`, `speaker`, `place` and `url`
are used where present. A row becomes `NNN_<hash16>.txt` — the row's text, byte for byte — and
`NNN_<hash16>.yml`, whose values come from the row's fields. Their evidence is the row itself, not
the raw text, so each such value says `evidence_source: row` and its note names the file, line and
field; `check` requires `evidence` to quote the raw text only where `evidence_source` is absent.
NNN continues the numbering in the folder; hash16 is the first 16 hex digits of the SHA-256 of
the row's url (of its text when there is no url), so importing a file twice adds nothing.

The functions here are pure; `write_imports` is the only one that touches the disk, and it writes
nothing when any row has a problem.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .script import to_simplified

DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
SLUG_MAX = 64


class ImportProblem(Exception):
    """Problems with an import file; the message lists each as `file:line: message`."""


@dataclass(frozen=True)
class Row:
    line: int  # line of the row in the import file (1-based)
    title: str
    text: str
    fields: dict  # date, speaker, place, url: (field name as in the row, value)


@dataclass(frozen=True)
class Imported:
    stem: str  # NNN_hash16
    text: str
    sidecar: str


def parse_rows(data: str, name: str) -> tuple[list[Row], list[str]]:
    """Rows of a CSV file (name ending .csv) or else a JSON Lines file, with every problem."""
    if data.startswith("\ufeff"):
        data = data[1:]
    records = _csv(data, name) if name.lower().endswith(".csv") else _jsonl(data, name)
    rows, problems = [], []
    for line, record in records:
        if isinstance(record, str):
            problems.append(record)
            continue
        try:
            rows.append(_row(record, line, name))
        except ValueError as err:
            problems.append(f"{name}:{line}: {err}")
    if not rows and not problems:
        problems.append(f"{name}:1: no rows — expected JSON Lines or CSV with title and content columns")
    return rows, problems


def _jsonl(data: str, name: str):
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield number, f"{name}:{number}: malformed JSON — {err.msg} (column {err.colno})"
            continue
        yield number, record if isinstance(record, dict) else f"{name}:{number}: a row must be a JSON object"


def _csv(data: str, name: str):
    reader = csv.DictReader(io.StringIO(data, newline=""))
    for record in reader:
        yield reader.line_num, record


def _row(record: dict, line: int, name: str) -> Row:
    title = _text(record.get("title"))
    body_key = "content" if _text(record.get("content")) else "text"
    body = record.get(body_key)
    if not title:
        raise ValueError("missing 'title' — every row needs a title")
    if not isinstance(body, str) or not body.strip():
        raise ValueError("missing 'content' (or 'text') — every row needs the speech's text")
    fields = {}
    for key in ("date", "year"):
        value = _text(record.get(key))
        if value and "date" not in fields:
            if not DATE.match(value):
                raise ValueError(f"'{key}' must be YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
            fields["date"] = (key, value)
    for key in ("speaker", "place", "url"):
        if value := _text(record.get(key)):
            fields[key] = (key, value)
    return Row(line, title, body, fields)


def _text(value) -> str:
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return str(value).strip()


def row_hash(row: Row) -> str:
    key = row.fields["url"][1] if "url" in row.fields else row.text
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def slugify_title(title: str) -> str:
    """ASCII slug from the title's pinyin, cut at a word boundary.

    >>> slugify_title("2025年中华人民共和国国务院政府工作报告")
    '2025-nian-zhong-hua-ren-min-gong-he-guo-guo-wu-yuan-zheng-fu'
    >>> slugify_title("論聯合政府 (七大)")
    'lun-lian-he-zheng-fu-qi-da'
    """
    from pypinyin import lazy_pinyin

    words = re.findall(r"[a-z0-9]+", " ".join(lazy_pinyin(to_simplified(title))).lower())
    slug = ""
    for word in words or ["speech"]:
        if len(slug) + len(word) + 1 > SLUG_MAX and slug:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


META_KEYS = {"date": "date", "speaker": "speaker_role", "place": "place", "url": "source"}


def sidecar_text(row: Row, slug: str, name: str) -> str:
    """The YAML sidecar for one row: slug, title and the row's facts with the row as evidence."""
    data = {"slug": slug, "title": row.title}
    for key, meta_key in META_KEYS.items():
        if key in row.fields:
            field, value = row.fields[key]
            data[meta_key] = {"value": value, "evidence": value, "evidence_source": "row", "confidence": "high",
                              "note": f"From field '{field}' of {name} line {row.line} (build.py import)."}
    header = f"# Imported by `build.py import` from {name} line {row.line}.\n"
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def plan_imports(rows: list[Row], name: str, existing_stems: list[str], existing_slugs: set[str]) -> list[Imported]:
    """File names and contents for the rows not imported before, numbered after the existing files."""
    numbers = [int(m.group(1)) for s in existing_stems if (m := re.match(r"^(\d+)_", s))]
    next_number = max(numbers, default=-1) + 1
    known = {s.split("_", 1)[1] for s in existing_stems if "_" in s}
    slugs, planned = set(existing_slugs), []
    for row in rows:
        digest = row_hash(row)
        if digest in known:
            continue
        known.add(digest)
        slug = _free(slugify_title(row.title), slugs)
        stem = f"{next_number:03d}_{digest}"
        next_number += 1
        planned.append(Imported(stem, row.text, sidecar_text(row, slug, name)))
    return planned


def _free(slug: str, used: set[str]) -> str:
    candidate, n = slug, 1
    while candidate in used or candidate == "index":
        n += 1
        candidate = f"{slug}-{n}"
    used.add(candidate)
    return candidate


def existing(folder: Path) -> tuple[list[str], set[str]]:
    """Stems of the raw texts in `folder` and the slugs their sidecars use."""
    stems = sorted(p.stem for p in folder.glob("*.txt"))
    slugs = set()
    for path in folder.glob("*.yml"):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        if isinstance(data, dict) and isinstance(data.get("slug"), str):
            slugs.add(data["slug"])
    return stems, slugs


def import_file(path: Path, folder: Path) -> list[Imported]:
    """Read `path`, plan its rows against `folder`, write them. Raises ImportProblem on any problem."""
    try:
        data = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        line = path.read_bytes()[: err.start].count(b"\n") + 1
        raise ImportProblem(f"{path}:{line}: not UTF-8 — save the file as UTF-8") from None
    except OSError as err:
        raise ImportProblem(f"{path}: cannot read — {err.strerror}") from None
    rows, problems = parse_rows(data, str(path))
    if problems:
        raise ImportProblem("\n".join(problems))
    folder.mkdir(parents=True, exist_ok=True)
    planned = plan_imports(rows, path.name, *existing(folder))
    write_imports(planned, folder)
    return planned


def write_imports(planned: list[Imported], folder: Path) -> None:
    """Write each raw text and sidecar through a temporary file, so no half-written file is left."""
    for item in planned:
        for suffix, content in ((".txt", item.text), (".yml", item.sidecar)):
            target = folder / f"{item.stem}{suffix}"
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(content.encode("utf-8"))
            tmp.replace(target)
