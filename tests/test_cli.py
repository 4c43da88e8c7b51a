"""The command line behind the Makefile, and the README's promises about it."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from projectcopy import copy_build_cache, copy_inputs

ROOT = Path(__file__).resolve().parents[1]
RAW = "seeds/speeches/003_0d96e2a76e1804bb.txt"


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "scripts/build.py", *args], cwd=cwd, capture_output=True, text=True)


def test_readme_commands_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.M))
    for target in set(re.findall(r"`make ([a-z-]+)", readme)):
        assert target in targets, f"README mentions make {target}, the Makefile has no such target"
    assert {"serve", "test", "site", "check"} <= targets
    help_text = run("--help").stdout
    for command in set(re.findall(r"scripts/build\.py ([a-z]+)", readme)):
        assert command in help_text, f"README mentions build.py {command}"


def test_check_passes_on_the_repository():
    result = run("check")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1].startswith("ok: 5 speeches")
    assert "error" not in result.stderr.lower() and "Traceback" not in result.stderr


def test_clean_prints_markdown_and_explains_every_change():
    result = run("clean", RAW, "--explain")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("---\ntitle: ")
    body = result.stdout.split("<details class=\"note\">")[0]  # the text, before the cleaning record
    assert "当前隐藏内容免费查看" not in body and "Copyright" not in body and "Powered by" not in body
    assert re.search(r"^22:\d+: hidden_content: removed ' 当前隐藏内容免费查看'$", result.stderr, re.M)
    assert re.search(r"^1:1: site_navigation: removed '手机版\\n'$", result.stderr, re.M)
    assert "full_width_punctuation: ',' → '，'" in result.stderr


def test_clean_reports_bad_file_by_name(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = run("clean", str(bad))
    assert result.returncode == 1 and result.stderr.startswith(f"{bad}:1: S001 empty file")


@pytest.fixture
def copy(tmp_path):
    """A copy of the repository's inputs to build in (with its build cache, as far as it goes)."""
    copy_inputs(tmp_path, ("scripts", "seeds", "docs", "overrides", "mkdocs.yml"))
    copy_build_cache(tmp_path)
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "docs").rglob("*") if p.is_file()}


def test_failed_build_leaves_previous_output_intact(copy):
    assert run("build", cwd=copy).returncode == 0
    before = snapshot(copy)
    (copy / "seeds/speeches/zz_bad.txt").write_bytes(b"\x00\x01binary")
    (copy / RAW).write_text("同志们：\n今天我们开会，改动了一句话。\n", encoding="utf-8")
    result = run("build", cwd=copy)
    assert result.returncode == 1
    assert "seeds/speeches/zz_bad.txt: S002 binary data" in result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(copy) == before


def test_text_without_sidecar_builds_with_a_warning(copy):
    (copy / "seeds/speeches/900_new.txt").write_text(
        "在全市安全生产工作会议上的讲话\n同志们：\n今天我们召开全市安全生产工作会议，部署下一阶段工作。\n", encoding="utf-8")
    check = run("check", cwd=copy)
    assert check.returncode == 0
    assert "warning: seeds/speeches/900_new.txt: no metadata sidecar" in check.stderr
    assert run("build", cwd=copy).returncode == 0
    page = (copy / "docs/speeches/900-new.md").read_text(encoding="utf-8")
    assert "# 在全市安全生产工作会议上的讲话" in page and "全市安全生产工作会议" in page


def test_rebuild_writes_nothing_when_nothing_changed(copy):
    assert run("build", cwd=copy).returncode == 0
    again = run("build", cwd=copy)
    assert again.returncode == 0 and "0 file(s) changed" in again.stderr


def test_metadata_evidence_must_quote_the_text(copy):
    sidecar = copy / "seeds/speeches/004_1b42af4ba3674215.yml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace(
        'evidence: "（2021年1月**日）"', 'evidence: "2021年1月1日"'), encoding="utf-8")
    result = run("check", cwd=copy)
    assert result.returncode == 1
    assert ("seeds/speeches/004_1b42af4ba3674215.yml: S012 date: evidence must quote the raw text verbatim "
            "(copy it from 004_1b42af4ba3674215.txt), got '2021年1月1日'") in result.stderr
