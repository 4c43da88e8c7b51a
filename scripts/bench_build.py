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
largest process of the tree), each after `sync` (no run pays for flushing the one before):
  tifa       `python scripts/build.py build` then `mkdocs build --strict` (what `make site` runs)
  stock      `mkdocs build` of the same texts as plain Markdown, stock config (Material, search on)
  rebuild    `python scripts/build.py build` after one seed is edited (the per-speech cache warm):
             three edits one after another, each appending a sentence (the last uses two glossary
             terms); the median counts, and every run is listed
  serve      `mkdocs serve`: seconds from editing a seed until the served page shows the edit, and
             until the rest (its data file, written by the background build) shows it too
Site sizes are the bytes of every file under each site/ folder. Results: stdout and --out (JSON).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
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


# ---------------------------------------------------------------------------------------------
# Measuring
class TreeMemory:
    """Peak of the summed proportional set size (PSS: shared pages split between the processes that
    share them, so forked workers are not counted twice) of a process and all its descendants,
    sampled from /proc every 0.2 s. GNU time's figure is the largest single process only."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, _tree_rss(self.pid))

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _tree_rss(root: int) -> int:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            pss = re.search(r"^Pss:\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M)
            total += int(pss.group(1)) * 1024 if pss else 0
        except (OSError, ValueError):
            pass
    return total


def timed(cmd: str, cwd: Path) -> dict:
    """Run `cmd` (a shell line) under /usr/bin/time -v; wall seconds and peak memory in MB. The
    disk is synced first, so that no run pays for flushing the writes of the one before."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    os.sync()
    report = cwd / ".time.txt"
    start = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-v", "-o", str(report), "sh", "-c", cmd], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(proc.pid)
    _, err = proc.communicate()
    wall, tree = time.perf_counter() - start, memory.stop()
    if proc.returncode:
        raise SystemExit(f"failed ({proc.returncode}): {cmd}\n{err[-3000:]}")
    largest = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report.read_text()).group(1))
    return {"seconds": round(wall, 2), "largest_process_mb": round(largest / 1024),
            "tree_peak_mb": round(tree / 2 ** 20)}


def site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def edit_seed(project: Path, marker: str) -> Path:
    """Append a sentence to the last paragraph of the first seed (a real edit of one speech)."""
    seed = sorted((project / "seeds" / "speeches").glob("000_*.txt"))[0]
    text = seed.read_text(encoding="utf-8").rstrip("\n")
    seed.write_text(f"{text}{marker}\n", encoding="utf-8")
    return seed


SERVE_ARGS = ("--dirty", "--no-strict")  # what `make serve` runs: rebuild only the pages that changed


def serve_check(project: Path, timeout: float = 900) -> dict:
    """`mkdocs serve --dirty`: seconds from editing a seed until the served page shows the edit."""
    port = _free_port()
    log = (project / ".serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", *SERVE_ARGS, "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=project, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        slug = _first_seed_slug(project)
        url = f"http://127.0.0.1:{port}/speeches/{slug}/"
        start = time.perf_counter()
        if not _wait_for(lambda: _fetch(url) or proc.poll() is not None, timeout) or proc.poll() is not None:
            return {"error": "mkdocs serve did not come up", "log": (project / ".serve.log").read_text()[-2000:]}
        first_build = time.perf_counter() - start
        time.sleep(3)  # let the watcher settle
        marker = f"基准测试编辑标记{time.time_ns()}"  # unique: a project may be served twice
        edit_seed(project, f"{marker}。")
        start = time.perf_counter()
        shown = _wait_for(lambda: marker in _fetch(url) or proc.poll() is not None, timeout) and proc.poll() is None
        page = time.perf_counter() - start
        data = f"http://127.0.0.1:{port}/data/speeches/{slug}.txt"  # written by the rest of the build
        rest = shown and _wait_for(lambda: marker in _fetch(data) or proc.poll() is not None, timeout)
        return {"first_build_seconds": round(first_build, 1),
                "edit_shown_seconds": round(page, 1) if shown else None,
                "rest_shown_seconds": round(time.perf_counter() - start, 1) if rest else None}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _first_seed_slug(project: Path) -> str:
    sidecar = sorted((project / "seeds" / "speeches").glob("000_*.yml"))[0]
    return re.search(r"^slug:\s*(\S+)", sidecar.read_text(encoding="utf-8"), re.M).group(1).strip("'\"")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _wait_for(predicate, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.25)
    return False


# ---------------------------------------------------------------------------------------------
TIFA_OUTPUTS = ".cache site build docs/speeches docs/glossary docs/search docs/tags.md"


def clear(project: Path, paths: str) -> None:
    subprocess.run(f"rm -rf {paths}", shell=True, cwd=project, check=True)


EDITS = ("我们要把这项工作抓紧抓实。", "确保各项任务落到实处。", "坚持“两个维护”，落实“六稳六保”。")


def median(runs: list[dict]) -> dict:
    """The median of the runs (an odd number), with every run's seconds and the largest memory."""
    middle = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return {**middle, "runs": [r["seconds"] for r in runs],
            "largest_process_mb": max(r["largest_process_mb"] for r in runs),
            "tree_peak_mb": max(r["tree_peak_mb"] for r in runs)}


def best(runs: list[dict]) -> dict:
    """The fastest of the runs (the least disturbed by other load), with every run's seconds and
    the largest memory seen in any of them."""
    fastest = min(runs, key=lambda r: r["seconds"])
    return {**fastest, "runs": [r["seconds"] for r in runs],
            "largest_process_mb": max(r["largest_process_mb"] for r in runs),
            "tree_peak_mb": max(r["tree_peak_mb"] for r in runs)}


def run(n: int, work: Path, serve: bool, rounds: int) -> dict:
    texts = generate(n)
    tifa, stock = tifa_project(work, texts), stock_project(work, texts)
    py = sys.executable
    result = {"texts": len(texts), "corpus_mb": round(sum(len(t.encode()) for t in texts.values()) / 1e6, 1),
              "cores": len(os.sched_getaffinity(0)), "python": sys.version.split()[0], "rounds": rounds}
    print(f"{result['texts']} texts, {result['corpus_mb']} MB of raw text, in {work}", file=sys.stderr)
    stock_runs, tifa_runs = [], []
    for _ in range(rounds):  # interleaved, so both see the same load on a shared machine
        clear(stock, "site")
        stock_runs.append(timed(f"{py} -m mkdocs build -q", stock))
        print(f"stock: {stock_runs[-1]}", file=sys.stderr)
        clear(tifa, TIFA_OUTPUTS)
        tifa_runs.append(timed(f"{py} scripts/build.py build && {py} -m mkdocs build --strict -q", tifa))
        print(f"tifa (make site): {tifa_runs[-1]}", file=sys.stderr)
    result["stock"], result["tifa"] = best(stock_runs), best(tifa_runs)
    clear(tifa, ".cache")
    result["tifa_build_py"] = timed(f"{py} scripts/build.py build", tifa)
    result["rebuild_unchanged"] = timed(f"{py} scripts/build.py build", tifa)
    edits = []
    for sentence in EDITS:
        edit_seed(tifa, sentence)
        edits.append(timed(f"{py} scripts/build.py build", tifa))
    result["rebuild_after_edit"] = median(edits)
    print(f"build.py: cold {result['tifa_build_py']}, after one edit {result['rebuild_after_edit']}",
          file=sys.stderr)
    result["site_mb"] = {"tifa": round(site_bytes(tifa / "site") / 2 ** 20, 1),
                         "stock": round(site_bytes(stock / "site") / 2 ** 20, 1)}
    result["material_search_index_kb"] = {
        name: round((p / "site" / "search" / "search_index.json").stat().st_size / 1024, 1)
        for name, p in (("tifa", tifa), ("stock", stock))}
    result["tifa_search_meta_json_kb"] = round((tifa / "site" / "search" / "meta.json").stat().st_size / 1024, 1)
    result["ratios"] = {
        "time_tifa_over_stock": round(result["tifa"]["seconds"] / result["stock"]["seconds"], 2),
        "size_tifa_over_stock": round(result["site_mb"]["tifa"] / result["site_mb"]["stock"], 2),
        "rebuild_over_full_build_py": round(result["rebuild_after_edit"]["seconds"] / result["tifa_build_py"]["seconds"], 3),
        "rebuild_over_make_site": round(result["rebuild_after_edit"]["seconds"] / result["tifa"]["seconds"], 3),
    }
    if serve:
        result["serve"] = serve_check(tifa)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2, help="interleaved stock/Tifa builds; the fastest counts")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve check")
    parser.add_argument("--generate", type=Path, help="only write the generated raw texts into DIR/seeds/speeches")
    parser.add_argument("--out", type=Path, help="also write the results as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    args = parser.parse_args(argv)
    if not CORPORA.exists():
        print(f"skipped: {CORPORA} not found (the real corpora live beside the repository)", file=sys.stderr)
        return 0
    if args.generate:
        write_texts(args.generate, generate(args.texts))
        return 0
    work = Path(tempfile.mkdtemp(prefix="tifa-bench-build-"))
    try:
        result = run(args.texts, work, not args.no_serve, args.rounds)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
