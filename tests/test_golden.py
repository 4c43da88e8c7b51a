"""Whole-page output per seed, reviewed once and diffed after. UPDATE_GOLDEN=1 rewrites them."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tifa import emit
from tifa.pipeline import load_speeches

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
SPEECHES = load_speeches(ROOT)[0]


@pytest.mark.parametrize("speech", SPEECHES, ids=lambda s: s.slug)
def test_speech_page_matches_golden(speech):
    page = emit.speech_page(speech)
    path = GOLDEN / f"{speech.slug}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(page, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run UPDATE_GOLDEN=1 pytest tests/test_golden.py and review it"
    assert page == path.read_text(encoding="utf-8"), f"{path.name} changed: review the diff, then UPDATE_GOLDEN=1"


def test_every_golden_file_has_a_seed():
    assert {p.stem for p in GOLDEN.glob("*.md")} == {s.slug for s in SPEECHES}
