"""`build.py import`: JSON Lines or CSV rows → raw texts with sidecars whose evidence is the row."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tifa import importer
from tifa.pipeline import load_speeches
from tifa.sources import SourceError, read_sidecar

ROOT = Path(__file__).resolve().parents[1]
SPEECH = "各位代表：\n\n现在，我代表国务院，向大会报告政府工作，请予审议。\n\n一、2024年工作回顾\n\n过去一年，我们团结奋斗。\n"
ROWS = [
    {"title": "2025年政府工作报告", "content": SPEECH, "year": "2025", "url": "https://example.org/a"},
    {"title": "在全市安全生产工作会议上的讲话", "text": "同志们：\n今天我们召开全市安全生产工作会议，部署下一阶段工作。\n",
     "date": "2023-04", "speaker": "市长", "place": "某省某市"},
]


def jsonl(tmp_path, rows, name="rows.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(cwd / "scripts/build.py"), *args], cwd=cwd, capture_output=True,
                          text=True)


def test_each_row_becomes_a_raw_text_and_a_sidecar(tmp_path):
    folder = tmp_path / "speeches"
    written = importer.import_file(jsonl(tmp_path, ROWS), folder)
    assert [w.stem[:4] for w in written] == ["000_", "001_"]
    assert all(len(w.stem) == 4 + 16 for w in written)
    first, second = (folder / f"{w.stem}.txt" for w in written)
    assert first.read_bytes() == SPEECH.encode("utf-8")  # the row's text, byte for byte
    assert second.read_text(encoding="utf-8") == ROWS[1]["text"]
    sidecar = read_sidecar(first.with_suffix(".yml"), tmp_path)
    assert sidecar.title == "2025年政府工作报告"
    assert sidecar.slug == "2025-nian-zheng-fu-gong-zuo-bao-gao"
    assert sidecar.meta["date"].value == "2025" and sidecar.meta["date"].evidence_source == "row"
    assert sidecar.meta["source"].value == "https://example.org/a"
    assert "rows.jsonl line 1" in sidecar.meta["date"].note and "'year'" in sidecar.meta["date"].note
    other = read_sidecar(second.with_suffix(".yml"), tmp_path)
    assert {k: f.value for k, f in other.meta.items()} == {"date": "2023-04", "speaker_role": "市长", "place": "某省某市"}


def test_csv_rows_import_the_same_way(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text('title,content,year\n2025年政府工作报告,"各位代表：\n现在，我代表国务院报告工作。",2025\n',
                    encoding="utf-8")
    written = importer.import_file(path, tmp_path / "out")
    assert len(written) == 1
    assert (tmp_path / "out" / f"{written[0].stem}.txt").read_text(encoding="utf-8") == "各位代表：\n现在，我代表国务院报告工作。"


def test_numbering_continues_slugs_stay_unique_and_a_second_import_adds_nothing(tmp_path):
    folder = tmp_path / "speeches"
    folder.mkdir()
    (folder / "004_0000000000000000.txt").write_text("同志们：今天开会。", encoding="utf-8")
    (folder / "004_0000000000000000.yml").write_text("slug: 2025-nian-zheng-fu-gong-zuo-bao-gao\n", encoding="utf-8")
    written = importer.import_file(jsonl(tmp_path, ROWS), folder)
    assert [w.stem[:3] for w in written] == ["005", "006"]
    assert "slug: 2025-nian-zheng-fu-gong-zuo-bao-gao-2\n" in written[0].sidecar
    assert importer.import_file(jsonl(tmp_path, ROWS), folder) == []
    assert len(list(folder.glob("*.txt"))) == 3


@pytest.mark.parametrize("content,message", [
    ('{"title": "甲", "content": "同志们：今天开会。"}\n{"title": "乙", "content": \n', "rows.jsonl:2: malformed JSON"),
    ('{"content": "同志们：今天开会。"}\n', "rows.jsonl:1: missing 'title'"),
    ('{"title": "甲"}\n', "rows.jsonl:1: missing 'content' (or 'text')"),
    ('{"title": "甲", "content": "同志们：今天开会。", "year": "二〇二五"}\n', "rows.jsonl:1: 'year' must be YYYY"),
    ('[1, 2]\n', "rows.jsonl:1: a row must be a JSON object"),
])
def test_bad_rows_name_file_and_line_and_nothing_is_written(tmp_path, content, message):
    path = tmp_path / "rows.jsonl"
    path.write_text(content, encoding="utf-8")
    folder = tmp_path / "speeches"
    with pytest.raises(importer.ImportProblem, match=message.replace("(", r"\(").replace(")", r"\)")):
        importer.import_file(path, folder)
    assert not folder.exists() or not any(folder.iterdir())


def test_slugs_are_ascii_for_any_title():
    for title in ("論聯合政府 (七大)", "Report №1 — 2025", "！！！"):
        slug = importer.slugify_title(title)
        assert slug and slug.isascii() and len(slug) <= importer.SLUG_MAX, (title, slug)


def test_imported_texts_check_and_build_with_row_evidence(tmp_path):
    """Row evidence need not quote the raw text; every other sidecar value still must."""
    for name in ("scripts", "seeds"):
        import shutil
        shutil.copytree(ROOT / name, tmp_path / name)
    result = run("import", str(jsonl(tmp_path, ROWS)), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "imported 2 row(s)" in result.stderr
    speeches, errors = load_speeches(tmp_path)
    assert errors == []
    imported = [s for s in speeches if s.title == "2025年政府工作报告"]
    assert imported and imported[0].meta["date"].value == "2025"
    sidecar = next((tmp_path / "seeds/speeches").glob("005_*.yml"))
    data = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    del data["date"]["evidence_source"]
    sidecar.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert any("date: evidence must quote the raw text verbatim" in e for e in load_speeches(tmp_path)[1])


def test_unknown_evidence_source_is_refused(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text("date: {value: '2025', evidence: '2025', evidence_source: web}\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"x\.yml:1: S006 'date\.evidence_source' must be 'row'"):
        read_sidecar(path, tmp_path)


def test_command_reports_bad_input_and_imports_nothing(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "甲"}\n', encoding="utf-8")
    result = run("import", str(bad), "--into", str(tmp_path / "out"))
    assert result.returncode == 1
    assert f"{bad}:1: missing 'content'" in result.stderr and "nothing was imported" in result.stderr
    assert not (tmp_path / "out").exists()
