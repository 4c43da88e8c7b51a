"""`build.py add FILE…` in a temporary copy of the repository."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from projectcopy import copy_inputs
import yaml

ROOT = Path(__file__).resolve().parents[1]
NEW = ("在全市安全生产工作会议上的讲话\r\n市委副书记、市长  王**\r\n(2023年3月**日)\r\n"
       "发布时间：2023-04-01 浏览次数：88\r\n同志们:\r\n今天我们召开全市安全生产工作会议,部署下一阶段工作。\r\n相关阅读\r\n")


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "repo").mkdir()
    return copy_inputs(tmp_path / "repo")


def run(*args, cwd):
    return subprocess.run([sys.executable, "scripts/build.py", *args], cwd=cwd, capture_output=True, text=True)


def test_add_copies_unchanged_and_drafts_the_sidecar(repo, tmp_path):
    new = tmp_path / "new.txt"
    new.write_bytes(NEW.encode("gb18030"))
    result = run("add", str(new), cwd=repo)
    assert result.returncode == 0, result.stderr
    stem = f"005_{hashlib.sha256(new.read_bytes()).hexdigest()[:16]}"
    copied = repo / "seeds/speeches" / f"{stem}.txt"
    assert copied.read_bytes() == new.read_bytes()
    assert f"added seeds/speeches/{stem}.txt" in result.stdout
    assert "could not infer: title_en, level, place, source" in result.stdout
    sidecar = yaml.safe_load((repo / "seeds/speeches" / f"{stem}.yml").read_text(encoding="utf-8"))
    assert sidecar["title"] == "在全市安全生产工作会议上的讲话" and sidecar["title_inferred"] is True
    assert sidecar["speaker_role"]["value"] == "市委副书记、市长"
    assert sidecar["date"] == {"value": "2023-03", "evidence": "(2023年3月**日)", "confidence": "high"}
    raw = copied.read_bytes().decode("gb18030")
    for key in ("speaker_role", "date", "occasion"):
        assert sidecar[key]["evidence"] in raw, key
    check = run("check", cwd=repo)
    assert check.returncode == 0 and "ok: 6 speeches" in check.stderr, check.stderr
    assert "evidence must quote" not in check.stderr and "no metadata sidecar" not in check.stderr


def test_add_refuses_a_text_already_in_the_corpus(repo, tmp_path):
    seed = repo / "seeds/speeches/003_0d96e2a76e1804bb.txt"
    twin = tmp_path / "twin.txt"
    twin.write_bytes(seed.read_bytes().replace(b"\n", b"\r\n"))  # other bytes, same cleaned text
    result = run("add", str(twin), cwd=repo)
    assert result.returncode == 1
    assert result.stderr.startswith(f"refused {twin}: the same text (after cleaning) is already in the corpus "
                                    "as seeds/speeches/003_0d96e2a76e1804bb.txt")
    assert not list((repo / "seeds/speeches").glob("005_*"))


def test_add_numbers_files_in_turn_and_takes_web_pages(repo, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.htm"
    a.write_text(NEW, encoding="utf-8")
    shutil.copy(ROOT / "tests/cases/pages/html/xianggelila-gbk.htm", b)
    result = run("add", str(a), str(b), cwd=repo)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (repo / "seeds/speeches").glob("00[56]_*"))
    assert [n[:4] for n in names] == ["005_", "005_", "006_", "006_"]
    assert names[2].endswith(".htm") and (repo / "seeds/speeches" / names[2]).read_bytes() == b.read_bytes()
    assert run("check", cwd=repo).returncode == 0


def test_add_refuses_other_files_by_name(repo, tmp_path):
    pdf = tmp_path / "speech.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    result = run("add", str(pdf), cwd=repo)
    assert result.returncode == 1 and result.stderr.startswith(f"refused {pdf}: not a raw text")
