"""A repository-shaped copy of Tifa's inputs for tests that build in a temporary folder.

Generated output (docs/speeches, docs/glossary …), caches and bytecode are left out: the copy
rebuilds them, and another test process may be swapping them in the repository at that moment.
"""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ("scripts", "seeds", "docs", "overrides", "mkdocs.yml")
GENERATED_DOCS = ("speeches", "glossary", "search", "data", "trends", "tags.md")


def _ignore(folder: str, names: list[str]) -> list[str]:
    skip = {"__pycache__", ".cache"} | (set(GENERATED_DOCS) if Path(folder) == ROOT / "docs" else set())
    return [n for n in names if n in skip]


def copy_inputs(dest: Path, names=INPUTS) -> Path:
    for name in names:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=_ignore)
        else:
            shutil.copy(src, dest / name)
    return dest
