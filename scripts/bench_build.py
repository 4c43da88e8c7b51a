#!/usr/bin/env python3
"""Build benchmark: Tifa's `make site` against a stock MkDocs + Material build, on 1,000 texts.

    python scripts/bench_build.py                     the whole benchmark (several minutes)
    python scripts/bench_build.py --texts 200         a smaller corpus
    python scripts/bench_build.py --generate DIR      only write the raw texts into DIR/seeds/speeches

The corpus: the 88 reports of ../shared/corpora/*.jsonl and the five seeds, split into runs of
consecutive paragraphs and recombined into N raw texts of realistic size (fixed random seed, so
every run builds the same texts). The five seeds are copied with their sidecars; the other texts
have none, as a user's dropped-in texts would. Everything is written into a temporary folder,
never into the repository.

Measured in one run, each under /usr/bin/time -v (wall time and the peak resident memory of the
largest process of the tree):
  tifa       `python scripts/build.py build` then `mkdocs build --strict` (what `make site` runs)
  stock      `mkdocs build` of the same texts as plain Markdown, stock config (Material, search on)
  rebuild    `python scripts/build.py build` after one seed is edited (the per-speech cache warm)
  serve      `mkdocs serve`: seconds from editing a seed until the served page shows the edit
Site sizes are the bytes of every file under each site/ folder. Results: stdout and --out (JSON).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
SEEDS = ROOT / "seeds" / "speeches"
TARGET_CHARS = 7_000  # characters per generated text: the seeds run 2,000–11,000
STOCK_YML = """site_name: Stock
theme:
  name: material
  language: zh
plugins:
  - search
"""


# ---------------------------------------------------------------------------------------------
# Corpus
def reports(corpora: Path = CORPORA) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of every report in the corpora."""
    out = []
    for path in sorted(corpora.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            text = row.get("content") or row.get("text") or ""
            paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
            if paragraphs:
                out.append((row.get("title") or "无题", paragraphs))
    return out


def generate(n: int, seed: int = 1, corpora: Path = CORPORA) -> dict[str, str]:
    """{file name: raw text} for n texts: the five seeds, then runs of report paragraphs."""
    rng = random.Random(seed)
    sources = reports(corpora)
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    i = 0
    while len(texts) < n:
        title, paragraphs = sources[i % len(sources)]
        start = rng.randrange(len(paragraphs))
        body, size, goal = [], 0, TARGET_CHARS * rng.uniform(0.4, 1.6)
        following = [p for _, ps in sources[i % len(sources) + 1:] + sources for p in ps]
        for p in paragraphs[start:] + following:  # a short report runs on into the next one
            body.append(p)
            size += len(p)
            if size >= goal:
                break
        texts[f"{len(texts):04d}_bench.txt"] = "\n".join([f"{title}（{i + 1}）", "", *body]) + "\n"
        i += 1
    return texts


def write_texts(project: Path, texts: dict[str, str]) -> None:
    speeches = project / "seeds" / "speeches"
    speeches.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (speeches / name).write_text(text, encoding="utf-8")
    for sidecar in SEEDS.glob("*.yml"):
        shutil.copy2(sidecar, speeches / sidecar.name)


def tifa_project(work: Path, texts: dict[str, str]) -> Path:
    """A copy of this repository's site sources with the generated texts as seeds/speeches."""
    project = work / "tifa"
    project.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("scripts", "overrides", "seeds/glossary", "schema"):
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs", project / "docs",
                    ignore=shutil.ignore_patterns("speeches", "glossary", "search", "tags.md"))
    write_texts(project, texts)
    return project


def stock_markdown(name: str, text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = lines[0] if lines else name
    return "\n\n".join([f"# {title}", *lines[1:]]) + "\n"


def stock_project(work: Path, texts: dict[str, str]) -> Path:
    """The same texts as plain Markdown pages in a stock MkDocs + Material project."""
    project = work / "stock"
    docs = project / "docs"
    docs.mkdir(parents=True)
    (project / "mkdocs.yml").write_text(STOCK_YML, encoding="utf-8")
    (docs / "index.md").write_text("# Stock\n", encoding="utf-8")
    for name, text in texts.items():
        (docs / f"{Path(name).stem}.md").write_text(stock_markdown(name, text), encoding="utf-8")
    return project
