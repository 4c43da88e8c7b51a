"""MkDocs glue: regenerate docs/ before each build. All the work is in scripts/tifa.

Only files whose content changed are written, so `mkdocs serve` settles after one extra pass
instead of rebuilding forever. A build error keeps the previous pages (and the served site).
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from mkdocs.exceptions import PluginError  # noqa: E402

import build  # noqa: E402


def on_pre_build(config, **kwargs):
    if build.build(ROOT, quiet=True):
        raise PluginError("Tifa build failed (see the messages above); the previous pages are kept.")
