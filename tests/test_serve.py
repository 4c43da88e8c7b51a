"""`mkdocs serve` regenerates pages when a seed changes, speech page first, and settles (no rebuild loop)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from projectcopy import copy_build_cache, copy_inputs

ROOT = Path(__file__).resolve().parents[1]
RAW = "seeds/speeches/001_616189bf1d20b330.txt"
ADDED = "同志们，这是为测试实时重建而新增的一段话。"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


@pytest.fixture
def served(tmp_path):
    copy_inputs(tmp_path, ("scripts", "seeds", "docs", "overrides", "mkdocs.yml"))
    copy_build_cache(tmp_path)
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    yield tmp_path, f"http://127.0.0.1:{port}/speeches/mayors-office-meeting/"
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def builds(root: Path) -> int:
    return (root / "serve.log").read_text(encoding="utf-8").count("Building documentation")


def settles(root: Path, quiet: float, within: float) -> bool:
    """Whether no build starts for `quiet` seconds (and none is under way), within `within` seconds."""
    deadline, last, since = time.monotonic() + within, builds(root), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        log = (root / "serve.log").read_text(encoding="utf-8")
        now = log.count("Building documentation")
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet and log.count("Documentation built") + log.count("Aborted") >= now:
            return True
    return False


def test_editing_a_seed_regenerates_the_page_without_a_rebuild_loop(served):
    root, url = served
    assert wait_for(lambda: "在市长办公会议上的讲话" in fetch(url), 90), (root / "serve.log").read_text()
    raw = root / RAW
    raw.write_text(raw.read_text(encoding="utf-8") + "\n" + ADDED + "\n", encoding="utf-8")
    assert wait_for(lambda: ADDED in fetch(url), 60), (root / "serve.log").read_text()
    # The speech page came first (only speeches changed); the rest of the build follows in the
    # background: the speech's data file shows the edit once it is done.
    assert "Tifa: speech pages generated" in (root / "serve.log").read_text()
    data = url.replace("/speeches/mayors-office-meeting/", "/data/speeches/mayors-office-meeting.txt")
    assert wait_for(lambda: ADDED in fetch(data), 60), (root / "serve.log").read_text()
    assert settles(root, quiet=2, within=30), "mkdocs serve keeps rebuilding:\n" + (root / "serve.log").read_text()
    assert builds(root) <= 5
