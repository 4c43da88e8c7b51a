"""Data to take away: the corpus and the glossary as files a reader can download and parse.

Pure rendering into {path under docs/: content}; the emitter writes them, MkDocs copies them
as static files to /data/…. Schemas are documented in docs/about/data.md (a test keeps the
two in step). JSON is written with `json.dumps`, CSV with the csv module (RFC 4180 quoting);
CSV cells that a spreadsheet would run as a formula get a leading apostrophe. The .txt and
.json files keep masks (`**`, `XX`) exactly as in the source.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict

from .glossary import Rendering
from .model import Speech

FORMAT_VERSION = 1
BASE = "docs/data"
GLOSSARY_COLUMNS = ("slug", "term", "traditional", "pinyin", "english", "category", "scope", "status",
                    "superseded_by", "summary_zh", "summary_en", "definition_zh", "definition_en", "components",
                    "aliases", "related", "first_use_date", "first_use_document", "first_use_url",
                    "first_use_unverified", "sources", "history", "negative_contexts", "path")
OCCURRENCE_COLUMNS = ("term", "entry", "speech", "paragraph", "number", "offset", "length", "text")
LIST_SEPARATOR = " | "
FORMULA_START = tuple("=+-@\t\r")


def speech_record(speech: Speech) -> dict:
    """One speech: identity, metadata with its evidence, every block with its id, the full text."""
    return {
        "slug": speech.slug, "url": f"/speeches/{speech.slug}/", "title": speech.title,
        "title_en": speech.title_en, "source_path": speech.source_path,
        "metadata": {key: asdict(f) for key, f in speech.meta.items()},
        "characters": speech.char_count,
        "blocks": [{"id": b.anchor, "kind": b.kind, "level": b.level or None, "number": b.number,
                    "text": b.text} for b in speech.blocks],
        "text": "\n".join(b.text for b in speech.blocks),
    }


def speech_text(speech: Speech) -> str:
    """Plain text: title, English title, metadata lines, then one block per paragraph."""
    head = [speech.title] + ([speech.title_en] if speech.title_en else [])
    head += [f"{key}: {f.value}" for key, f in speech.meta.items()]
    return "\n".join(head) + "\n\n" + "\n\n".join(b.text for b in speech.blocks) + "\n"


def entry_record(entry) -> dict:
    return {
        "slug": entry.slug, "url": f"/glossary/{entry.slug}/", "term": entry.term,
        "traditional": entry.traditional, "pinyin": entry.pinyin,
        "english": [dict(Rendering(*r)._asdict()) for r in entry.english], "category": entry.category,
        "scope": entry.scope, "status": entry.status, "superseded_by": entry.superseded_by or None,
        "history": [dict(h) for h in entry.history], "summary": dict(entry.summary),
        "definition": dict(entry.definition), "components": list(entry.components),
        "aliases": list(entry.aliases), "related": list(entry.related), "first_use": entry.first_use,
        "sources": [dict(s) for s in entry.sources], "negative_contexts": list(entry.negative_contexts),
        "path": entry.path,
    }


def cell(value) -> str:
    """A CSV cell: text as is, except a leading = + - @ (a spreadsheet formula) gets an apostrophe.

    >>> cell("=HYPERLINK(1)"), cell("四个意识"), cell(3)
    ("'=HYPERLINK(1)", '四个意识', '3')
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def entry_row(entry) -> list[str]:
    first = entry.first_use or {}
    join = LIST_SEPARATOR.join
    return [entry.slug, entry.term, entry.traditional, entry.pinyin,
            join(_rendering_cell(r) for r in entry.english), entry.category, entry.scope, entry.status,
            entry.superseded_by, entry.summary.get("zh", ""), entry.summary.get("en", ""),
            entry.definition.get("zh", ""), entry.definition.get("en", ""),
            join(entry.components), join(entry.aliases), join(entry.related),
            first.get("date", ""), first.get("document", ""), first.get("url", ""), first.get("unverified", ""),
            join(" ".join(p for p in (s.get("title", ""), s.get("issuer", ""), s.get("date", ""), s.get("url", ""),
                                      f"(unverified: {s['unverified']})" if s.get("unverified") else "") if p)
                 for s in entry.sources),
            join(f"{h.get('date', '')} {h.get('zh', '')} / {h.get('en', '')}" for h in entry.history),
            join(entry.negative_contexts), entry.path]


def _rendering_cell(item) -> str:
    r = Rendering(*item)
    return " ".join(p for p in (r.text, f"({r.source}; {r.kind})", r.url) if p)


def to_csv(header, rows) -> str:
    return csv_rows([header]) + csv_rows(rows)


def csv_rows(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()


def occurrence_rows(speeches, linker, by_slug, links=None) -> list[list]:
    """Every linked occurrence: term, entry, speech, paragraph id and number, offset in the block.
    `links` ({speech slug: {anchor: matches}}) saves linking the texts again."""
    rows = []
    for speech in speeches:
        for block in speech.blocks:
            for m in (links[speech.slug][block.anchor] if links else linker.find(block.text)):
                rows.append([by_slug[m.slug].term, m.slug, speech.slug, block.anchor, block.number or "",
                             m.start, m.end - m.start, block.text[m.start:m.end]])
    return rows


def speech_parts(speech: Speech, links: dict, by_slug) -> tuple[str, str, str]:
    """What one speech adds to the data files: its speeches.jsonl line (also its .json file), its
    .txt file and its rows of occurrences.csv. `links`: {anchor: matches} of this speech. The build
    computes these with the speech's page, once per version of the speech and the glossary."""
    line = json.dumps(speech_record(speech), ensure_ascii=False) + "\n"  # C encoder: no indent
    return line, speech_text(speech), csv_rows(occurrence_rows([speech], None, by_slug, {speech.slug: links}))


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1) + "\n"


def _join(pieces: list, head: str = ""):
    """`head` and `pieces` joined: as bytes if the pieces are bytes (the build keeps the speeches'
    parts encoded, as they are written), else as text."""
    if pieces and isinstance(pieces[0], bytes):
        return b"".join([head.encode(), *pieces])
    return head + "".join(pieces)


def build_files(speeches, entries, linker, links=None, parts=None) -> dict[str, str | bytes]:
    """Every take-away file, keyed by its path in the repository (under docs/data/). `parts`
    ({slug: speech_parts}, as text or encoded) reuses the build's; else they are computed here."""
    by_slug = {e.slug: e for e in entries}
    if parts is None:
        found = links or {s.slug: {b.anchor: linker.find(b.text) for b in s.blocks} for s in speeches}
        parts = {s.slug: speech_parts(s, found[s.slug], by_slug) for s in speeches}
    files = {f"{BASE}/speeches.jsonl": _join([parts[s.slug][0] for s in speeches]),
             f"{BASE}/glossary.json": _json({"format": FORMAT_VERSION,
                                              "entries": [entry_record(e) for e in entries]}),
             f"{BASE}/glossary.csv": to_csv(GLOSSARY_COLUMNS, [entry_row(e) for e in entries]),
             f"{BASE}/occurrences.csv": _join([parts[s.slug][2] for s in speeches], csv_rows([OCCURRENCE_COLUMNS]))}
    for speech in speeches:
        line, text, _ = parts[speech.slug]
        json_path, text_path = speech_paths(speech.slug)
        files[json_path] = line  # one line, as in speeches.jsonl
        files[text_path] = text
    return files


def speech_paths(slug: str) -> tuple[str, str]:
    """A speech's own data files: its record (.json) and its text (.txt)."""
    return f"{BASE}/speeches/{slug}.json", f"{BASE}/speeches/{slug}.txt"
