"""Hostile and careless input (issue 12): every bad file gets `file:line: CODE`, fast, with no
traceback; nothing half-written. The browser side (no payload runs) is in test_xss_browser.py."""
from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from projectcopy import copy_inputs

from tifa import emit, glossary, sources
from tifa.glossary import load_glossary
from tifa.pipeline import load_speeches

ROOT = Path(__file__).resolve().parents[1]
SEED = "003_0d96e2a76e1804bb"
SPEECH = "在全市经济工作会议上的讲话\n同志们：\n今天我们召开全市经济工作会议，主要任务是贯彻落实中央精神，部署今年的工作。\n"
NESTED = "title: " + "[" * 20000 + "]" * 20000 + "\n"
LAUGHS = 'l0: &l0 ["lol"]\n' + "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10))


@pytest.fixture
def project(tmp_path):
    """A repository-shaped folder with one real seed speech and its sidecar."""
    speeches = tmp_path / "seeds" / "speeches"
    speeches.mkdir(parents=True)
    for suffix in (".txt", ".yml"):
        shutil.copy(ROOT / "seeds/speeches" / f"{SEED}{suffix}", speeches)
    return tmp_path


def errors_of(root: Path) -> list[str]:
    started = time.monotonic()
    _, errors = load_speeches(root)
    assert time.monotonic() - started < 10, "bad input must be refused within seconds"
    return [line for error in errors for line in error.split("\n")]


SIDECAR_CASES = {
    "slug-number": ("slug: 12345\n", f"seeds/speeches/{SEED}.yml:1: S006 'slug' must be a string"),
    "slug-list": ("slug: [a, b]\n", f"seeds/speeches/{SEED}.yml:1: S006 'slug' must be a string"),
    "title-number": ("title: 2021\n", f"seeds/speeches/{SEED}.yml:1: S006 'title' must be a string"),
    "nested": (NESTED, f"seeds/speeches/{SEED}.yml:1: S009 nested more than 8 levels deep"),
    "billion-laughs": (LAUGHS, f"seeds/speeches/{SEED}.yml:1: S009 anchors and aliases"),
    "duplicate-key": ("slug: a\nslug: b\n", f"seeds/speeches/{SEED}.yml:2: S008 key 'slug' appears twice"),
    "unknown-key": ("slgu: a\n", f"seeds/speeches/{SEED}.yml:1: S007 unknown key 'slgu'"),
    "long-title": ("title: " + "长" * 201 + "\n", f"seeds/speeches/{SEED}.yml:1: S010 'title' has 201 characters"),
    "bad-confidence": ("date: {value: '2021', evidence: '2021', confidence: sure}\n",
                       f"seeds/speeches/{SEED}.yml:1: S006 'date.confidence' must be one of"),
    "not-a-mapping": ("- slug\n", f"seeds/speeches/{SEED}.yml:1: S006 a sidecar is a mapping"),
    "malformed": ("title: [unclosed\n", f"seeds/speeches/{SEED}.yml:2: S005 malformed YAML"),
}


@pytest.mark.parametrize("case", sorted(SIDECAR_CASES))
def test_bad_sidecar_gets_a_coded_error_naming_file_and_line(project, case):
    text, expected = SIDECAR_CASES[case]
    (project / f"seeds/speeches/{SEED}.yml").write_text(text, encoding="utf-8")
    errors = errors_of(project)
    assert any(e.startswith(expected) for e in errors), errors


def test_gbk_sidecar_is_refused_as_not_utf8(project):
    (project / f"seeds/speeches/{SEED}.yml").write_bytes("slug: a\ntitle: 讲话稿\n".encode("gbk"))
    assert errors_of(project) == [f"seeds/speeches/{SEED}.yml:2: S014 a sidecar must be saved as UTF-8 — "
                                  "e.g. in your editor: Save with Encoding → UTF-8"]


def test_yaml_sidecar_and_orphans_and_other_files_are_reported_not_ignored(project):
    d = project / "seeds/speeches"
    (d / f"{SEED}.yml").rename(d / f"{SEED}.yaml")
    (d / "999_orphan.yml").write_text("slug: orphan\n", encoding="utf-8")
    (d / "notes.docx").write_bytes(b"PK")
    errors = errors_of(project)
    assert f"seeds/speeches/{SEED}.yaml: S004 sidecars end in .yml, not .yaml: rename the file — " \
           f"e.g. {SEED}.yml" in errors
    assert any(e.startswith("seeds/speeches/999_orphan.yml: S004 sidecar without a raw text") for e in errors)
    assert any(e.startswith("seeds/speeches/notes.docx: S004 '.docx' files are not read") for e in errors)


def test_symlink_to_a_file_outside_the_repository_is_refused(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text(SPEECH, encoding="utf-8")
    (project / "seeds/speeches/900_link.txt").symlink_to(outside)
    errors = errors_of(project)
    assert any(e.startswith("seeds/speeches/900_link.txt: S004 symbolic links are not read") for e in errors)


@pytest.mark.parametrize("name", ["a`<img src=x onerror=alert(1)>.txt", "讲话.txt", "a b.txt"])
def test_file_names_outside_the_safe_set_are_refused(project, name):
    (project / "seeds/speeches" / name).write_text(SPEECH, encoding="utf-8")
    errors = errors_of(project)
    assert any(e.startswith(f"seeds/speeches/{name}: S004 file name may use only ASCII") for e in errors), errors


def test_oversized_raw_text_is_refused_and_large_one_warned(project):
    from tifa import limits
    big = project / "seeds/speeches/900_big.txt"
    big.write_bytes(SPEECH.encode() * (limits.RAW_TEXT_BYTES // len(SPEECH.encode()) + 1))
    assert any(e.startswith("seeds/speeches/900_big.txt: S003 file is") for e in errors_of(project))
    big.write_bytes(("同志们" * 8000 + "。\n").encode() * 8)  # 8 lines of 24,001 characters, ~576 KB
    speeches, errors = load_speeches(project)
    warnings = [w for s in speeches for w in s.warnings]
    assert any("bytes — a very long page" in w for w in warnings)
    assert any(w.startswith("seeds/speeches/900_big.txt:1: a line of 24,001 characters") for w in warnings)


def test_big5_text_is_read_as_big5_not_gb18030_gibberish():
    text = "同志們：今天我們召開全市經濟工作會議，主要任務是貫徹落實中央精神，部署今年的工作。\n" * 3
    raw = sources.decode(text.encode("big5"), "a.txt")
    assert raw.text == text and "converted from Big5 to UTF-8" in raw.notes


def test_gbk_text_is_still_read_as_gbk():
    raw = sources.decode(SPEECH.encode("gbk"), "a.txt")
    assert raw.text == SPEECH and "converted from GB18030/GBK to UTF-8" in raw.notes


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read_and_named(codec):
    data = SPEECH.encode(codec) if codec == "utf-16" else b"\xfe\xff" + SPEECH.encode(codec)
    raw = sources.decode(data, "a.txt")
    assert raw.text == SPEECH and "converted from UTF-16 to UTF-8" in raw.notes


def test_every_source_code_used_is_documented_in_contributing():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    used = set(__import__("re").findall(r'"(S\d{3})"', (ROOT / "scripts/tifa/sources.py").read_text(encoding="utf-8")
                                        + (ROOT / "scripts/tifa/pipeline.py").read_text(encoding="utf-8")))
    assert used == set(sources.CODES)
    for code in sources.CODES:
        assert len([l for l in text.splitlines() if l.startswith(f"| {code} ")]) == 2, code


# ---------------------------------------------------------------------------------------------
# Glossary entries from strangers.
ENTRY = """term: {term}
traditional: 放管服
pinyin: fàng guǎn fú
english:
  - text: delegate power, improve regulation, upgrade services
    source: Xinhua
    kind: media
category: policy
scope: national
summary:
  zh: 简政放权、放管结合、优化服务。
  en: Delegate power, combine delegation with regulation, improve services.
definition:
  zh: 行政体制改革。
  en: An administrative reform.
status: current
"""


def glossary_problems(root: Path) -> list[str]:
    started = time.monotonic()
    _, problems = load_glossary(root / "seeds/glossary", root)
    assert time.monotonic() - started < 10
    return [str(p) for p in problems]


@pytest.fixture
def entries(tmp_path):
    d = tmp_path / "seeds/glossary"
    d.mkdir(parents=True)
    (d / "fang-guan-fu.yml").write_text(ENTRY.format(term="放管服"), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("term,code", [('"放管服 "', "G024"), ('"放\u200b管服"', "G024"), ("的", "G024"),
                                       ('"。。"', "G024"), ('"12"', "G024")])
def test_terms_that_would_link_everywhere_or_hide_a_duplicate_are_refused(entries, term, code):
    (entries / "seeds/glossary/fang-guan-fu-2.yml").write_text(ENTRY.format(term=term), encoding="utf-8")
    problems = glossary_problems(entries)
    assert any(p.startswith(f"seeds/glossary/fang-guan-fu-2.yml:1: {code} 'term'") for p in problems), problems


def test_invisible_variants_are_duplicates_too():
    assert glossary.surface_key("放管服 ") == glossary.surface_key("放\u200b管服") == glossary.surface_key("放管服")


@pytest.mark.parametrize("text,code,line", [(NESTED.replace("title", "term"), "G022", 1),
                                            (LAUGHS, "G022", 1),
                                            (ENTRY.format(term="放管服").replace(
                                                "  zh: 简政放权、放管结合、优化服务。", "  zh: " + "长" * 16_000_000), "G021", 1)])
def test_bombs_and_giants_are_refused_at_once(entries, text, code, line):
    (entries / "seeds/glossary/bomb.yml").write_text(text, encoding="utf-8")
    problems = glossary_problems(entries)
    assert any(p.startswith(f"seeds/glossary/bomb.yml:{line}: {code}") for p in problems), problems


def test_yaml_files_and_symlinks_are_reported(entries):
    d = entries / "seeds/glossary"
    (d / "xin-ci.yaml").write_text(ENTRY.format(term="新词"), encoding="utf-8")
    (d / "lian-jie.yml").symlink_to(d / "fang-guan-fu.yml")
    problems = glossary_problems(entries)
    assert "seeds/glossary/xin-ci.yaml:1: G025 glossary entries end in .yml, not .yaml — " \
           "e.g. seeds/glossary/xin-ci.yml" in problems
    assert any(p.startswith("seeds/glossary/lian-jie.yml:1: G025 symbolic links are not read") for p in problems)


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def test_duplicate_term_blames_the_new_file_not_the_existing_one(entries):
    git(entries, "init", "-q")
    git(entries, "add", ".")
    git(entries, "commit", "-qm", "existing entry")
    (entries / "seeds/glossary/a-fang-guan-fu.yml").write_text(ENTRY.format(term='"放管服"'), encoding="utf-8")
    entries_loaded, problems = load_glossary(entries / "seeds/glossary", entries)
    assert [str(p).split(" — ")[0] for p in problems] == [
        "seeds/glossary/a-fang-guan-fu.yml:1: G011 term '放管服' is already used by seeds/glossary/fang-guan-fu.yml"]
    assert [e.slug for e in entries_loaded] == ["fang-guan-fu"], "the existing entry keeps building"


# ---------------------------------------------------------------------------------------------
# Nothing half-written.
def snapshot(root: Path) -> dict[str, bytes]:
    """Every file but the build's lock and cache (.cache/)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and ".cache" not in p.relative_to(root).parts}


FILES = {f"docs/{kind}/{n}.md": f"{kind} {n}" for kind in ("speeches", "glossary") for n in range(4)}
FILES["docs/search/meta.json"] = b"{}"
FILES["docs/tags.md"] = "tags"


def test_disk_full_while_writing_leaves_the_previous_output_and_no_temporary_file(tmp_path, monkeypatch):
    emit.write_outputs(tmp_path, FILES)
    before = snapshot(tmp_path)
    calls = {"n": 0}
    real_open = open

    def full_disk(path, mode="r", *args, **kwargs):
        if "w" in mode:
            calls["n"] += 1
            if calls["n"] == 5:
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(emit, "open", full_disk, raising=False)
    monkeypatch.setattr(emit.os, "link", lambda *a: (_ for _ in ()).throw(OSError(errno.EXDEV, "cross-device")))
    new = {rel: (c + " v2" if isinstance(c, str) else c) for rel, c in FILES.items()}
    with pytest.raises(OSError, match="No space left"):
        emit.write_outputs(tmp_path, new)
    assert calls["n"] == 5
    assert snapshot(tmp_path) == before
    assert not [p for p in tmp_path.rglob("*") if ".tifa" in p.name]


def test_a_failed_swap_is_rolled_back(tmp_path, monkeypatch):
    emit.write_outputs(tmp_path, FILES)
    before = snapshot(tmp_path)
    calls = {"n": 0}
    real_replace = os.replace

    def flaky(src, dst):  # the second changed file fails to move in, after the first moved
        calls["n"] += 1
        if str(dst).endswith("docs/speeches/0.md") and "new" in Path(src).parts:
            raise OSError(errno.EIO, "I/O error")
        return real_replace(src, dst)

    monkeypatch.setattr(emit.os, "replace", flaky)
    with pytest.raises(OSError):
        emit.write_outputs(tmp_path, {**FILES, "docs/glossary/0.md": "changed", "docs/speeches/0.md": "changed"})
    monkeypatch.setattr(emit.os, "replace", real_replace)
    assert calls["n"] >= 2  # the first file had moved in, and was moved back
    assert snapshot(tmp_path) == before
    assert not (tmp_path / emit.STAGING).exists()


def test_whole_output_is_swapped_in_and_stale_files_go(tmp_path):
    emit.write_outputs(tmp_path, FILES)
    smaller = {rel: c for rel, c in FILES.items() if not rel.endswith("3.md")}
    changed = emit.write_outputs(tmp_path, smaller)
    assert sorted(changed) == ["docs/glossary/3.md", "docs/speeches/3.md"]
    assert {rel for rel in snapshot(tmp_path)} == set(smaller)


# ---------------------------------------------------------------------------------------------
def run(*args, cwd):
    return subprocess.run([sys.executable, str(ROOT / "scripts/build.py"), *args], cwd=cwd,
                          capture_output=True, text=True)


def test_check_fails_wherever_build_would_and_nothing_prints_a_traceback(tmp_path):
    copy_inputs(tmp_path, ("scripts", "seeds", "docs", "overrides", "mkdocs.yml"))
    (tmp_path / f"seeds/speeches/{SEED}.yml").write_text("title: 2021\nslug: [x]\n", encoding="utf-8")
    (tmp_path / "seeds/glossary/bomb.yml").write_text(NESTED, encoding="utf-8")
    for command in ("check", "build"):
        result = subprocess.run([sys.executable, "scripts/build.py", command], cwd=tmp_path,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert f"seeds/speeches/{SEED}.yml:1: S006 'title' must be a string" in result.stderr
        assert f"seeds/speeches/{SEED}.yml:2: S006 'slug' must be a string" in result.stderr
        assert "seeds/glossary/bomb.yml:1: G022 nested more than 8 levels deep" in result.stderr


def test_documented_limits_are_the_ones_in_force():
    from tifa import limits
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")}
    assert f"{limits.RAW_TEXT_BYTES // 2**20} MiB" in rows["raw text"]
    assert f"{limits.RAW_TEXT_WARN_BYTES // 2**10} KiB" in rows["raw text"]
    assert f"{limits.LONG_LINE_CHARS:,}" in rows["one line of a raw text"]
    assert f"{limits.YAML_FILE_BYTES // 2**10} KiB" in rows["sidecar or glossary file"]
    assert f"nesting {limits.YAML_DEPTH} levels" in rows["sidecar or glossary file"]
    for key, n in limits.SIDECAR_TEXT.items():
        assert key == "confidence" or f"{key} {n:,}" in rows["sidecar values"], key
    for n in limits.GLOSSARY_TEXT.values():
        assert f"{n:,}" in rows["glossary values"], n
    assert f"{limits.GLOSSARY_LIST_ITEMS} items" in rows["glossary values"]
    assert f"at least {limits.SURFACE_MIN_CHARS} characters" in rows["term or alias"]


def test_a_paragraph_with_chrome_words_in_it_is_never_removed_whole():
    from tifa import clean
    sentence = "我们要坚持以人民为中心的发展思想，把各项工作抓实抓细。"
    paragraph = sentence * 12 + "版权所有，Copyright，免费下载，会员登录，扫码关注公众号，点击阅读全文。" + sentence * 12
    doc = clean.clean("在全市工作会议上的讲话\n同志们：\n" + paragraph + "\n")
    assert doc.text.count(sentence) == 24, [r.rule for r in doc.removals]


def test_long_sentences_clean_in_linear_time():
    """A rule that rescans a sentence from every character is quadratic: 50 s on this text."""
    from tifa.pipeline import speech_from_text
    started = time.monotonic()
    speech = speech_from_text(("同志们" * 8000 + "。\n") * 8, "x.txt")
    assert time.monotonic() - started < 15 and len(speech.paragraphs) == 8


def test_a_script_address_in_a_source_is_refused(entries):
    bad = ENTRY.format(term="新词") + "sources:\n  - title: x\n    url: 'javascript:alert(1)'\n"
    (entries / "seeds/glossary/xin-ci.yml").write_text(bad, encoding="utf-8")
    problems = glossary_problems(entries)
    assert any(p.startswith("seeds/glossary/xin-ci.yml:19: G004 'sources[0].url' must be an http(s) address")
               for p in problems), problems
