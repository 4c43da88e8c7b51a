"""MkDocs glue: regenerate docs/ before each build, and render the pages' Markdown on every core.

All of Tifa's work is in scripts/tifa; the Markdown it writes to docs/ (with HTML blocks, see the
README) is one any engine can publish. This file only connects it to MkDocs 1.6 (pinned):

- `on_pre_build` runs the Tifa build. Only files whose content changed are written, so
  `mkdocs serve` settles after one extra pass instead of rebuilding forever. A build error keeps
  the previous pages (and the served site).
- Under `mkdocs serve` an edit of speeches only is shown at once: the build writes those speech
  pages and the speech list (`build.quick_build`), MkDocs serves them, and the rest of the build
  (glossary, search and data files) follows in a background thread, whose writes make MkDocs
  rebuild those pages too. The build keeps what it used in memory for the next one, and once the
  server is up a thread loads the build cache (`build.warm`).
- `on_nav` starts worker processes (forked, one per extra core) that convert pages' Markdown to
  HTML while MkDocs converts others itself: MkDocs takes pages from the front of its order as it
  reaches them, the workers take them one by one from the back, until they meet. MkDocs reads
  every page as usual and runs every plugin event; only `Page.render` takes a worker's HTML, and
  only when the worker rendered exactly the Markdown MkDocs has (otherwise it renders itself).
  Warnings logged while rendering are logged again in MkDocs's process, so `--strict` counts them.
  The site is byte-identical either way (tests/test_site.py builds it both ways); at 1,000
  speeches this saves a third of `mkdocs build` (docs/about/performance.md). Small builds (a
  dirty rebuild in `mkdocs serve`) are rendered in one process. Knobs: TIFA_JOBS (processes),
  TIFA_PARALLEL_MARKDOWN_BYTES (the threshold).
- Then MkDocs writes the pages (theme template, page events, file): the first time it does, a
  forked worker starts writing pages from the back of the list while MkDocs goes on from the
  front (`_build_page` is replaced for that: the second MkDocs internal this file relies on).
  Only pages the search plugin does not index go to the worker (all of Tifa's: docs/.meta.yml),
  as that plugin collects its index from the page events.
- `on_files` has the generated data and search files (10,000 at 1,000 speeches) hard-linked
  into the site instead of copied, where the file system allows.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import shutil
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import mkdocs.commands.build as mkdocs_build  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

import build  # noqa: E402
from tifa.cache import workers  # noqa: E402

# Markdown bytes to render below which one process does it all (forking costs more than it saves).
PARALLEL_MIN_BYTES = int(os.environ.get("TIFA_PARALLEL_MARKDOWN_BYTES", 2_000_000))
log = logging.getLogger("mkdocs.tifa")


_BUILDING = threading.Lock()  # one Tifa build at a time in this process
_SERVING = {"serve": False, "up": False, "rest": False}


def on_startup(command, dirty, **kwargs):
    _SERVING["serve"] = command == "serve"


def on_pre_build(config, **kwargs):
    start = time.perf_counter()
    with _BUILDING:
        quick = build.quick_build(ROOT) if _SERVING["up"] else None  # serving, and only speeches changed
        failed = build.build(ROOT, quiet=True, keep=True) if quick is None else quick
    _SERVING["rest"] = quick == 0
    what = "speech pages" if quick is not None else "pages"
    log.info(f"Tifa: {what} generated in {time.perf_counter() - start:.2f} seconds")
    if failed:
        raise PluginError("Tifa build failed (see the messages above); the previous pages are kept.")


def _after_serving_build(rest: bool) -> None:
    """In the background once a page is served: the rest of a quick build (the glossary, search
    and data files; writing them makes `mkdocs serve` rebuild those pages), or, after the first
    build, loading the build cache into memory so the first edit is as fast as the next."""
    with _BUILDING:
        try:
            if rest:
                start = time.perf_counter()
                failed = build.build(ROOT, quiet=True, keep=True)
                log.info(f"Tifa: {'build failed' if failed else 'the rest generated'} in "
                         f"{time.perf_counter() - start:.2f} seconds")
            else:
                build.warm(ROOT)
        except Exception:  # noqa: BLE001 — the next build reports any problem again
            log.warning("Tifa: the background build failed", exc_info=True)


# ---------------------------------------------------------------------------------------------
def _claim(context, n: int):
    """Shared bounds for sharing out `n` pages: (lock, front, back); [front, back) are unclaimed."""
    return context.Lock(), context.RawValue("q", 0), context.RawValue("q", n)


def _claim_front(claim, i: int) -> bool:
    """In MkDocs's process: claim page `i` unless a worker has (MkDocs goes through in order)."""
    lock, front, back = claim
    with lock:
        if i < back.value:
            front.value = max(front.value, i + 1)
            return True
    return False


def _claims_from_back(claim):
    """In a worker: the pages it claims, one at a time from the back, until the two ends meet."""
    lock, front, back = claim
    while True:
        with lock:
            if back.value <= front.value:
                return
            back.value -= 1
            i = back.value
        yield i


def _keep_records() -> list[tuple[str, int, str]]:
    """In a worker: keep MkDocs's log records instead of printing them, to send them back (MkDocs's
    process logs them again, so that `--strict` counts them)."""
    records: list[tuple[str, int, str]] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append((record.name, record.levelno, record.getMessage()))

    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.handlers, mkdocs_log.propagate = [Keep()], False
    return records


class _Rendered:
    """Pages rendered by the workers, by source path, as they arrive (a thread drains each pipe,
    so a worker never waits for MkDocs to ask).

    Pages are shared out as they go: MkDocs takes them from the front of its order as it reaches
    them, the workers one at a time from the back, until they meet; so both cores stay busy to
    the end, however unequal the pages' costs (an entry's concordance costs more per byte than a
    speech). A worker writes each result to a file and sends only its name: a page's HTML
    through the pipe would block the worker until this process's thread, which competes with
    MkDocs for the interpreter, had read it."""

    def __init__(self):
        self.results: dict[str, str] = {}  # uri → the file holding the worker's result
        self.folder = None
        self.order: dict[str, int] = {}
        self.done = threading.Condition()
        self.running = 0
        self.processes: list = []
        self.claim = None  # (lock, front, back): pages [front, back) are still unclaimed
        self.taken = 0

    def start(self, uris: list[str], n: int, config, files) -> None:
        context = multiprocessing.get_context("fork")
        self.folder = tempfile.mkdtemp(prefix="tifa-render-")
        self.order = {uri: i for i, uri in enumerate(uris)}
        self.claim = _claim(context, len(uris))
        for _ in range(n):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(send, uris, self.claim, self.folder, config, files),
                                      daemon=True)
            process.start()
            send.close()
            self.running += 1
            self.processes.append(process)
            threading.Thread(target=self._drain, args=(receive,), daemon=True).start()

    def _drain(self, receive) -> None:
        try:
            while True:
                item = receive.recv()
                if item is None:
                    break
                with self.done:
                    self.results[item[0]] = item[1]
                    self.done.notify_all()
        except (EOFError, OSError):
            pass  # the worker died: its pages not yet received are rendered by MkDocs
        finally:
            receive.close()
            with self.done:
                self.running -= 1
                self.done.notify_all()

    def take(self, uri: str):
        """The worker's rendering of `uri`, waiting for it if a worker claimed it; None if MkDocs
        renders it (it is claimed for MkDocs here) or no result will come."""
        i = self.order.get(uri)
        if i is None or self.claim is None or _claim_front(self.claim, i):
            return None
        with self.done:
            while uri not in self.results and self.running:
                self.done.wait()
            path = self.results.pop(uri, None)
        got = None
        if path is not None:
            with open(path, "rb") as saved:
                got = pickle.load(saved)
            os.unlink(path)
        self.taken += got is not None
        return got

    def stop(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.__init__()


_RENDERED = _Rendered()


def _work(send, uris: list[str], claim, folder: str, config, files) -> None:
    """In a forked worker: claim pages from the back of `uris`, render each exactly as MkDocs's
    `_populate_page` would, write the result to a file in `folder` and send the file's name."""
    records = _keep_records()
    try:
        for claimed in _claims_from_back(claim):
            uri = uris[claimed]
            file = files.get_file_from_path(uri)
            page = file.page if file.page is not None else Page(None, file, config)
            config._current_page = page
            page = config.plugins.on_pre_page(page, config=config, files=files)
            page.read_source(config)
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            records.clear()  # only what rendering logs: MkDocs runs the plugin events itself
            _MKDOCS_RENDER(page, config, files)
            links = page.links_to_anchors
            result = (uri, page.markdown, page.content, page.toc, page._title_from_render, page.present_anchor_ids,
                      None if links is None else {f.src_uri: v for f, v in links.items()}, list(records))
            path = os.path.join(folder, f"{claimed}.pickle")
            with open(path, "wb") as out:
                pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
            send.send((uri, path))  # after the file is complete
        send.send(None)
    except BaseException:  # noqa: BLE001 — anything: MkDocs renders what is missing and reports it
        traceback.print_exc()
    finally:
        send.close()
        os._exit(0)


def _render(self, config, files) -> None:
    """Page.render, taking a worker's result for this very Markdown when there is one."""
    got = _RENDERED.take(self.file.src_uri)
    if got is None or got[1] != self.markdown:
        return _MKDOCS_RENDER(self, config, files)
    _, _, content, toc, title, anchors, links, records = got
    for name, level, message in records:
        logging.getLogger(name).log(level, message)
    self.content, self.toc, self._title_from_render, self.present_anchor_ids = content, toc, title, anchors
    if links is not None:
        self.links_to_anchors = {files.get_file_from_path(uri): v for uri, v in links.items()}


_MKDOCS_RENDER = getattr(Page.render, "_mkdocs", Page.render)  # this hook may be loaded again (serve)
_render._mkdocs = _MKDOCS_RENDER
Page.render = _render


# ---------------------------------------------------------------------------------------------
class _Templates:
    """The theme's templates on two cores: once every page is converted, MkDocs writes the pages
    in order (`_build_page`: template, plugin events, file), the main part of what is left of a
    build. The first time MkDocs asks for a page, a forked worker starts writing pages from the
    back of the list while MkDocs goes on from the front, until they meet, as for the Markdown.

    Only pages the search plugin does not index are given to the worker (docs/.meta.yml excludes
    them all: Tifa has its own search), because that plugin collects its index from the page
    events; no other plugin keeps state from them. The worker's log records are logged again here
    once it is done, before `--strict` counts them."""

    def __init__(self):
        self.process = None
        self.claim = None
        self.order: dict[str, int] = {}
        self.receive = None
        self.args = None

    def start(self, config, doc_files, nav, env) -> None:
        pages = [f.page for f in doc_files if f.page is not None and (f.page.meta.get("search") or {}).get("exclude")]
        uris = [p.file.src_uri for p in pages]
        self.order, self.args = {uri: i for i, uri in enumerate(uris)}, (config, doc_files, nav, env, pages)
        context = multiprocessing.get_context("fork")
        self.claim = _claim(context, len(uris))
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_write_pages, args=(send, pages, self.claim, config, doc_files, nav, env),
                                       daemon=True)
        self.process.start()
        send.close()

    def mine(self, uri: str) -> bool:
        """Whether MkDocs writes `uri` itself (claimed here) rather than the worker."""
        i = self.order.get(uri)
        return i is None or self.claim is None or _claim_front(self.claim, i)

    def finish(self) -> None:
        """Wait for the worker and log its records again; if it failed, write its pages here."""
        if self.process is None:
            return
        try:
            records, done = self.receive.recv()
        except (EOFError, OSError):
            records, done = [], None
        self.process.join()
        for name, level, message in records:
            logging.getLogger(name).log(level, message)
        log.info(f"Tifa: {done or 0} of {len(self.order)} pages written by a worker process")
        if done is None:  # the worker died: every page it claimed is written again, here
            config, doc_files, nav, env, pages = self.args
            for page in pages[self.claim[2].value:]:
                _MKDOCS_BUILD_PAGE(page, config, doc_files, nav, env, False, page.file.inclusion.is_excluded())
        self.__init__()

    def stop(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.__init__()


_TEMPLATES = _Templates()
_PARALLEL = {"on": False}  # this build is large enough for the workers (set by on_nav)


def _write_pages(send, pages: list, claim, config, doc_files, nav, env) -> None:
    """In a forked worker: claim pages from the back of `pages`, write each as MkDocs would."""
    records = _keep_records()
    done = 0
    try:
        for claimed in _claims_from_back(claim):
            page = pages[claimed]
            _MKDOCS_BUILD_PAGE(page, config, doc_files, nav, env, False, page.file.inclusion.is_excluded())
            done += 1
        send.send((records, done))
    except BaseException:  # noqa: BLE001 — reported by `finish` in MkDocs's process
        traceback.print_exc()
        send.send((records, None))
    finally:
        send.close()
        os._exit(0)


def _build_page(page, config, doc_files, nav, env, dirty=False, excluded=False):
    """mkdocs.commands.build._build_page, sharing the pages with a worker in a full build."""
    if _TEMPLATES.process is None and _PARALLEL["on"] and not dirty and not _SERVING["serve"]:
        _PARALLEL["on"] = False  # once per build
        _TEMPLATES.start(config, doc_files, nav, env)
    if dirty or _TEMPLATES.mine(page.file.src_uri):
        return _MKDOCS_BUILD_PAGE(page, config, doc_files, nav, env, dirty, excluded)
    return None


_MKDOCS_BUILD_PAGE = getattr(mkdocs_build._build_page, "_mkdocs", mkdocs_build._build_page)
_build_page._mkdocs = _MKDOCS_BUILD_PAGE
mkdocs_build._build_page = _build_page


# ---------------------------------------------------------------------------------------------
GENERATED_STATIC = ("data/", "search/")  # what build.py writes besides pages: 10,000 files at 1,000 speeches


def _link_file(file, dirty: bool = False) -> None:
    """File.copy_file for a generated data or search file: a hard link, not a copy (copying
    180 MB cost 4 s of MkDocs's own process at 1,000 speeches). The build replaces files in
    docs/ by renaming new ones in, never by writing into them, so a link keeps the old bytes."""
    if dirty and not file.is_modified():
        return
    out = file.abs_dest_path
    os.makedirs(os.path.dirname(out), exist_ok=True)
    try:
        os.unlink(out)  # never write through a link into docs/
    except FileNotFoundError:
        pass
    try:
        os.link(file.abs_src_path, out)
    except OSError:  # another file system (mkdocs serve builds in a temporary folder), or no links
        shutil.copyfile(file.abs_src_path, out)


def on_files(files, config, **kwargs):
    for file in files:
        if file.src_uri.startswith(GENERATED_STATIC) and not file.is_documentation_page() \
                and file.abs_src_path:
            file.copy_file = _link_file.__get__(file)
    return files


def on_nav(nav, config, files, **kwargs):
    _RENDERED.stop()
    pages = [f.src_uri for f in files.documentation_pages() if f.is_modified()]  # all unless --dirty
    size = sum(os.path.getsize(files.get_file_from_path(uri).abs_src_path) for uri in pages)
    n = workers()
    _PARALLEL["on"] = n >= 2 and size >= PARALLEL_MIN_BYTES and "fork" in multiprocessing.get_all_start_methods()
    if _PARALLEL["on"]:
        _RENDERED.start(pages, n - 1, config, files)
    return nav


def on_env(env, config, files, **kwargs):
    """Every page is rendered by now (and before `--strict` counts the warnings)."""
    if _RENDERED.processes:
        log.info(f"Tifa: {_RENDERED.taken} of {len(_RENDERED.order)} pages rendered by "
                 f"{len(_RENDERED.processes)} worker process(es)")
    return env


def on_post_build(config, **kwargs):
    _RENDERED.stop()
    _TEMPLATES.finish()
    if _SERVING["serve"] and (_SERVING["rest"] or not _SERVING["up"]):
        rest, _SERVING["rest"], _SERVING["up"] = _SERVING["rest"], False, True
        threading.Thread(target=_after_serving_build, args=(rest,), daemon=True).start()


def on_build_error(error, **kwargs):
    _RENDERED.stop()
    _TEMPLATES.stop()
