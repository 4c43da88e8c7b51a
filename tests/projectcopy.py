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


def copy_build_cache(dest: Path) -> None:
    """The repository's build cache into `dest` (a project copy), as far as it goes: its keys name
    their content (repository-relative paths, bytes, code version), so the copy builds from it
    what the repository would, fast. Entries another process deletes meanwhile are skipped."""
    source = ROOT / ".cache" / "build"
    for path in source.glob("??/*.pickle") if source.is_dir() else ():
        target = dest / ".cache" / "build" / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(path, target)
        except OSError:
            pass  # pruned or replaced while we copied: the build computes it again
