#!/usr/bin/env python3
"""Search benchmark: a generated 1,000-speech corpus, measured in headless chromium.

    python scripts/bench_search.py                      Tifa's search only
    python scripts/bench_search.py --baselines          also Material's built-in search and Pagefind 1.5.2
    python scripts/bench_search.py --speeches 200 --out bench/out/small.json

Steps: recombine and perturb the paragraphs of the seed speeches into N speeches (fixed random
seed, so every run builds the same corpus); write them as Markdown into a temporary MkDocs
project; build Tifa's index with `search_index.build_files`; with --baselines also build the
site with Material's own search and run Pagefind (`npx pagefind@1.5.2`, installed into the
temporary directory, never into the repository); serve it on 127.0.0.1; then for each query
open a fresh page, wait until it has settled, type the query, and record the time until the
first result is rendered and the bytes of every search request made since the page opened
(raw, as served, and gzip-compressed as a CDN would send them). Results: stdout and --out.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from tifa import search_index  # noqa: E402
from tifa.model import Block, Speech  # noqa: E402
from tifa.pipeline import load_corpus  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
QUERIES = ["一岗双责", "坚如磐石", "磐石", "坚定四个自信", "量子计算", "高质量发展", "营商环境",
           "两个维护", "全面从严治党", "中国特色社会主义", "发展", "一", "sigeyishi",
           "发展 安全"]
PAGEFIND = "pagefind@1.5.2"


# ---------------------------------------------------------------------------------------------
# Corpus
def perturb(text: str, rng: random.Random) -> str:
    """Shuffle the sentences of a paragraph and renumber its figures: new text, same language."""
    sentences = [s for s in re.split(r"(?<=[。；！？])", text) if s]
    rng.shuffle(sentences)
    return re.sub(r"\d+", lambda m: str(rng.randrange(1, 10 ** len(m.group()))), "".join(sentences))


def generate(seeds: list[Speech], n: int, seed: int = 1) -> list[Speech]:
    rng = random.Random(seed)
    pool = [b.text for s in seeds for b in s.paragraphs]
    headings = [b.text for s in seeds for b in s.blocks if b.kind == "heading"]
    out = []
    for i in range(n):
        model = seeds[i % len(seeds)]
        blocks, p = [], 0
        for b in model.blocks:
            if b.kind == "heading":
                blocks.append(Block("heading", rng.choice(headings), f"h{len(blocks)}", level=b.level))
            else:
                p += 1
                blocks.append(Block("paragraph", perturb(rng.choice(pool), rng), f"p{p}", number=p))
        out.append(Speech(slug=f"{model.slug}-{i:04d}", source_path=model.source_path,
                          title=f"{model.title}（{i + 1}）", blocks=tuple(blocks)))
    return out


def markdown(speech: Speech) -> str:
    lines = [f"# {speech.title}", ""]
    for b in speech.blocks:
        hashes = "#" * max(2, b.level)
        lines += [f"{hashes} {b.text} {{#{b.anchor}}}" if b.kind == "heading" else f"{b.text}\n{{#{b.anchor}}}", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Sites
MKDOCS_YML = """site_name: Tifa bench
theme:
  name: material
  language: zh
  font: false
plugins:
  - search
markdown_extensions:
  - attr_list
"""


def build_site(work: Path, speeches: list[Speech], entries: list, baselines: bool) -> Path:
    docs = work / "docs"
    (docs / "speeches").mkdir(parents=True)
    (docs / "index.md").write_text("# Tifa bench\n", encoding="utf-8")
    if baselines:  # Material's lunr index and Pagefind need every page
        for s in speeches:
            (docs / "speeches" / f"{s.slug}.md").write_text(markdown(s), encoding="utf-8")
    (work / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    run([sys.executable, "-m", "mkdocs", "build", "-q"], work)
    site = work / "site"
    shutil.copytree(ROOT / "docs/javascripts/search", site / "javascripts/search")
    for rel, data in search_index.build_files(speeches, entries).items():
        path = site / "tifa-index" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    tifa_page(site)
    return site


def tifa_page(site: Path) -> None:
    """site/tifa.html: the home page with overrides/main.html's edit (worker URL, form name).

    Tifa's index goes to site/tifa-index/ so that Material's own search/ stays intact for the
    baseline; the bench's copy of the worker is pointed there.
    """
    worker = site / "javascripts/search/worker.js"
    worker.write_text(worker.read_text(encoding="utf-8").replace('"../../search/"', '"../../tifa-index/"'),
                      encoding="utf-8")
    override = (ROOT / "overrides/main.html").read_text(encoding="utf-8")
    script = re.search(r"<script>.*?</script>", override, re.S).group()
    script = re.sub(r"\{\{.*?\}\}", json.dumps("javascripts/search/worker.js"), script)
    html = (site / "index.html").read_text(encoding="utf-8")
    html = re.sub(r'(<script id="__config"[^>]*>.*?</script>)', lambda m: m.group(1) + script, html, flags=re.S)
    (site / "tifa.html").write_text(html, encoding="utf-8")


def pagefind(work: Path, site: Path) -> None:
    run(["npm", "install", "--silent", "--no-audit", "--no-fund", PAGEFIND], work)
    run(["npx", "pagefind", "--site", "site", "--glob", "speeches/**/*.html"], work)
    (site / "pagefind-bench.html").write_text(
        "<!doctype html><meta charset=utf-8><title>pagefind</title><ol id=out></ol>", encoding="utf-8")


def run(cmd: list[str], cwd: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)


# ---------------------------------------------------------------------------------------------
# Measurement
class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(site: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


SEARCH_PATHS = ("/tifa-index/", "/javascripts/search/", "/search/", "/assets/javascripts/workers/",
                "/assets/javascripts/lunr/", "/pagefind/")


def measure(browser, url: str, site: Path, query: str, engine: str) -> dict:
    context = browser.new_context()
    page = context.new_page()
    fetched: list[str] = []
    page.on("requestfinished", lambda r: fetched.append(r.url))
    if engine == "pagefind":
        page.goto(url + "pagefind-bench.html")
        page.wait_for_load_state("networkidle")
        elapsed = page.evaluate("""async q => {
            const t0 = performance.now()
            const pagefind = await import("./pagefind/pagefind.js")
            const search = await pagefind.search(q)
            const first = await Promise.all(search.results.slice(0, 5).map(r => r.data()))
            const t1 = performance.now()
            window.count = search.results.length
            return t1 - t0
        }""", query)
        count = page.evaluate("window.count")
    else:
        page.goto(url + ("tifa.html" if engine == "tifa" else ""))
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        box = page.locator(".md-search__input")
        box.click()
        page.evaluate("""() => {
            window.firstResult = null
            new MutationObserver(() => {
                if (window.firstResult === null && document.querySelector('.md-search-result__link'))
                    window.firstResult = performance.now()
            }).observe(document.querySelector('.md-search-result__list'), {childList: true, subtree: true})
        }""")
        box.fill(query)
        start = page.evaluate("performance.now()")
        box.press("End")
        try:
            page.wait_for_function("window.firstResult !== null", timeout=15000)
            elapsed = page.evaluate("window.firstResult") - start
        except Exception:  # no result at all within the time limit
            elapsed = None
        count = page.locator(".md-search-result__item").count()
    page.wait_for_timeout(200)
    paths = [urlsplit(u).path for u in fetched]
    files = [site / p.lstrip("/") for p in paths if p.startswith(SEARCH_PATHS)]
    context.close()
    raw = sum(f.stat().st_size for f in files if f.is_file())
    gz = sum(len(gzip.compress(f.read_bytes(), 6)) for f in files if f.is_file())
    return {"engine": engine, "query": query, "ms": None if elapsed is None else round(elapsed, 1),
            "bytes": raw, "gzip_bytes": gz, "requests": len(files), "rendered": count}


def summary(rows: list[dict]) -> dict:
    out = {}
    for engine in dict.fromkeys(r["engine"] for r in rows):
        mine = [r for r in rows if r["engine"] == engine]
        ms = [r["ms"] for r in mine if r["ms"] is not None]
        out[engine] = {"max_bytes": max(r["bytes"] for r in mine), "max_gzip_bytes": max(r["gzip_bytes"] for r in mine),
                       "median_ms": round(statistics.median(ms), 1) if ms else None,
                       "max_ms": max(ms) if ms else None}
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--speeches", type=int, default=1000)
    parser.add_argument("--baselines", action="store_true", help="also Material's lunr search and Pagefind")
    parser.add_argument("--out", default=str(ROOT / "bench/out/search.json"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary site and print its path")
    args = parser.parse_args(argv)

    corpus = load_corpus(ROOT)
    speeches = generate(corpus.speeches, args.speeches)
    work = Path(tempfile.mkdtemp(prefix="tifa-bench-"))
    t0 = time.perf_counter()
    site = build_site(work, speeches, corpus.entries, args.baselines)
    index_files = list((site / "tifa-index").rglob("*"))
    built = {"seconds": round(time.perf_counter() - t0, 1),
             "index_files": sum(1 for f in index_files if f.is_file()),
             "index_bytes": sum(f.stat().st_size for f in index_files if f.is_file())}
    engines = ["tifa"]
    if args.baselines:
        pagefind(work, site)
        engines += ["material", "pagefind"]
    url, server = serve(site)
    from playwright.sync_api import sync_playwright
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for engine in engines:
            for query in QUERIES:
                rows.append(measure(browser, url, site, query, engine))
                print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
        browser.close()
    server.shutdown()
    report = {"speeches": args.speeches, "characters": sum(s.char_count for s in speeches), "build": built,
              "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
              "summary": summary(rows), "rows": rows}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "rows"}, ensure_ascii=False, indent=1))
    if args.keep:
        print(f"site kept in {site}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
