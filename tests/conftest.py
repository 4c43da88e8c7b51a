"""Shared fixtures: the corpus, the really built site, a local server and Debian's chromium."""
from __future__ import annotations

import fcntl
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))  # tests/projectcopy.py

CHROMIUM = os.environ.get("TIFA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus():
    from tifa.pipeline import load_corpus
    return load_corpus(ROOT)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory, request) -> Path:
    """`python scripts/build.py build` then `mkdocs build --strict` into a temporary directory,
    once per test session: under pytest-xdist the first worker builds it, the others wait for it
    (the folder of this session's workers is shared; a lock file orders them)."""
    if getattr(request.config, "workerinput", None) is None:  # no xdist: this process alone
        return _build_site(tmp_path_factory.mktemp("site"))
    shared = tmp_path_factory.getbasetemp().parent  # this session's, common to its workers
    with open(shared / "site.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "site.built").exists():
            _build_site(shared / "site")
            (shared / "site.built").touch()
    return shared / "site"


def _build_site(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    # MkDocs converts every page itself here (no worker process: the threshold is out of reach),
    # so this site is the reference the worker test in test_site.py compares with, byte for byte.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TIFA_PARALLEL_MARKDOWN_BYTES": str(10 ** 12)}
    build = subprocess.run([sys.executable, "scripts/build.py", "build"], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    mkdocs = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert mkdocs.returncode == 0, mkdocs.stdout + mkdocs.stderr
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(site_dir):
    """The built site served on 127.0.0.1 (a free port), for the browser tests."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright; never a downloaded browser."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (.ci/run does: apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    pg = context.new_page()
    yield pg
    context.close()
