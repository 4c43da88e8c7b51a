"""Data to take away: the files under /data/ parse, cover every speech and entry, and agree with
the pages; docs/about/data.md documents every field and column they have."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tifa import data
from tifa.linker import Linker

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def files(corpus):
    return data.build_files(corpus.speeches, corpus.entries, Linker(corpus.entries))


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_speeches_jsonl_has_every_speech_with_metadata_blocks_and_text(files, corpus):
    lines = files["docs/data/speeches.jsonl"].splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["slug"] for r in records] == [s.slug for s in corpus.speeches]
    for record, speech in zip(records, corpus.speeches):
        assert record["title"] == speech.title and record["title_en"] == speech.title_en
        assert record["url"] == f"/speeches/{speech.slug}/"
        assert record["metadata"] == {k: {"value": f.value, "evidence": f.evidence, "confidence": f.confidence,
                                          "note": f.note, "evidence_source": f.evidence_source}
                                      for k, f in speech.meta.items()}
        assert [b["id"] for b in record["blocks"]] == [b.anchor for b in speech.blocks]
        paragraphs = [b for b in record["blocks"] if b["kind"] == "paragraph"]
        assert [b["id"] for b in paragraphs] == [f"p{b['number']}" for b in paragraphs]
        assert record["text"] == "\n".join(b.text for b in speech.blocks)
        assert record["characters"] == speech.char_count
        assert json.loads(files[f"docs/data/speeches/{speech.slug}.json"]) == record
        txt = files[f"docs/data/speeches/{speech.slug}.txt"]
        assert txt.startswith(speech.title + "\n") and all(b.text in txt for b in speech.blocks)


def test_glossary_json_and_csv_have_every_entry_and_field(files, corpus):
    doc = json.loads(files["docs/data/glossary.json"])
    assert doc["format"] == data.FORMAT_VERSION
    assert [e["slug"] for e in doc["entries"]] == [e.slug for e in corpus.entries]
    table = rows(files["docs/data/glossary.csv"])
    assert tuple(table[0].keys()) == data.GLOSSARY_COLUMNS
    for record, row, entry in zip(doc["entries"], table, corpus.entries):
        assert record["term"] == row["term"] == entry.term
        assert record["english"][0] == dict(entry.english[0]._asdict())
        assert row["english"].split(" | ")[0].startswith(f"{entry.english[0].text} ({entry.english[0].source}; ")
        assert record["superseded_by"] == (entry.superseded_by or None) and row["superseded_by"] == entry.superseded_by
        assert record["summary"] == entry.summary and row["summary_en"] == entry.summary["en"]
        assert record["definition"]["zh"] == row["definition_zh"] == entry.definition["zh"]
        assert row["aliases"] == " | ".join(entry.aliases) and record["aliases"] == list(entry.aliases)
        assert record["related"] == list(entry.related) and record["path"] == row["path"] == entry.path


def test_occurrences_point_at_the_matched_text(files, corpus):
    blocks = {(s.slug, b.anchor): b for s in corpus.speeches for b in s.blocks}
    terms = {e.slug: e for e in corpus.entries}
    table = rows(files["docs/data/occurrences.csv"])
    assert tuple(table[0].keys()) == data.OCCURRENCE_COLUMNS and len(table) > 100
    for row in table:
        block = blocks[(row["speech"], row["paragraph"])]
        start, length = int(row["offset"]), int(row["length"])
        assert block.text[start:start + length] == row["text"] in terms[row["entry"]].keys
        assert row["term"] == terms[row["entry"]].term
        assert row["number"] == (str(block.number) if block.number else "")
    from collections import Counter
    from tifa.glossary_pages import find_occurrences
    on_pages = {slug: len(o) for slug, o in find_occurrences(corpus.speeches, Linker(corpus.entries)).items()}
    assert Counter(r["entry"] for r in table) == on_pages  # the same occurrences the entry pages count


def test_csv_cells_never_start_a_formula_and_json_keeps_the_value():
    assert data.cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert data.cell("@SUM(1)") == "'@SUM(1)" and data.cell("-1") == "'-1" and data.cell("四") == "四"
    text = data.to_csv(("a", "b"), [["=1+1", 'x,"y"\n<script>']])
    assert rows(text) == [{"a": "'=1+1", "b": 'x,"y"\n<script>'}]


def test_built_site_serves_the_files_at_stable_urls(site_dir, corpus):
    for name in ("speeches.jsonl", "glossary.json", "glossary.csv", "occurrences.csv"):
        assert (site_dir / "data" / name).stat().st_size > 0, name
    for speech in corpus.speeches:
        for ext in ("txt", "json"):
            assert (site_dir / "data" / "speeches" / f"{speech.slug}.{ext}").exists()
        page = (site_dir / "speeches" / speech.slug / "index.html").read_text(encoding="utf-8")
        assert f'href="../../data/speeches/{speech.slug}.txt"' in page
    lines = (site_dir / "data" / "speeches.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(corpus.speeches)


def test_data_page_documents_every_field_and_column():
    page = (ROOT / "docs" / "about" / "data.md").read_text(encoding="utf-8")
    for name in (*data.GLOSSARY_COLUMNS, *data.OCCURRENCE_COLUMNS, "slug", "url", "title", "title_en",
                 "source_path", "metadata", "characters", "blocks", "text", "evidence", "confidence", "note",
                 "/data/speeches.jsonl", "/data/glossary.json", "/data/glossary.csv", "/data/occurrences.csv"):
        assert f"`{name}`" in page or name in page.split("columns")[-1], name
