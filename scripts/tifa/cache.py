"""The build's speed machinery: a cache by content key, a process pool, a background process.

Cached values are keyed by everything they depend on: the bytes of their inputs and the code
version (a hash of every module of this package), so a stale entry is never used — any change
to the code or to an input gives a new key. Entries live under .cache/ (gitignored) as pickles,
written atomically; a missing or unreadable entry is simply computed again.
"""
from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import pickle
import tempfile
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import lru_cache, partial
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
POOL_MIN_ITEMS = 8  # fewer items than this are not worth starting worker processes


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of every module of this package and of requirements.txt, whose exact pins name the
    libraries the results depend on (jieba's dictionaries, OpenCC's tables)."""
    digest = hashlib.sha256()
    paths = sorted(PACKAGE.glob("*.py"))
    if (PACKAGE.parents[1] / "requirements.txt").is_file():
        paths.append(PACKAGE.parents[1] / "requirements.txt")
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def key(*parts: bytes | str) -> str:
    """A cache key over the code version and `parts` (each length-prefixed, so no two lists collide)."""
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


class Cache:
    """Pickles under `folder`, by key. In a long-lived process (`mkdocs serve` runs a build on
    every edit) the values of the last build are also kept in memory: a key names its content,
    so a value in memory is always the one on disk, and the next build does not read it again
    (`memory=True`; a one-off build does not keep them: its peak memory stays lower).
    Values are never changed after `put` or `get` (the build treats them as immutable)."""

    def __init__(self, folder: Path, memory: bool = False):
        self.folder, self.memory = folder, memory
        self.used: set[str] = set()

    def _path(self, k: str) -> Path:
        return self.folder / k if k.endswith(".pickle") else self.folder / k[:2] / f"{k}.pickle"

    def get(self, k: str):
        if self.memory and k in _MEMORY:
            self.used.add(k)
            return _MEMORY[k]
        try:
            value = pickle.loads(self._path(k).read_bytes())
        except Exception:  # absent, truncated or from another Python: compute again
            return None
        self._remember(k, value)
        return value

    def _remember(self, k: str, value) -> None:
        if not k.endswith(".pickle"):  # named files (the stamp) change under one name
            self.used.add(k)
            if self.memory:
                _MEMORY[k] = value

    def prune(self) -> int:
        """Delete every entry this build did not use (call at the end of a full build): the
        cache keeps the last build's results, instead of growing with every edit and every
        change of the code. Returns how many were deleted."""
        gone = 0
        for path in self.folder.glob("??/*.pickle") if self.folder.is_dir() else ():
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
                gone += 1
        return gone

    def forget_unused(self) -> None:
        """Keep in memory only what this build used (call at its end)."""
        for k in [k for k in _MEMORY if k not in self.used] if self.memory else ():
            del _MEMORY[k]

    def has(self, k: str) -> bool:
        return (self.memory and k in _MEMORY) or self._path(k).exists()

    def put(self, k: str, value) -> None:
        self.write(k, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        self._remember(k, value)

    def write(self, k: str, data: bytes) -> None:
        """Store a value already pickled (a worker process does this: see `cached_map`)."""
        path = self._path(k)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)


_MEMORY: dict = {}  # key → value, across builds in one process (see Cache)


@contextmanager
def build_session():
    """What a build (or check) does to its process, undone when it ends:

    - Python's cyclic garbage collector is off. A build makes millions of objects that live until
      it ends (a thousand speeches and their cached pieces) and hardly any cycles, and every full
      pass of the collector walks them all: at 1,000 speeches that was 0.6 s of a 3.5 s rebuild.
      Peak memory is the same either way (634 MB on a cold build of them).
    - The worker pools it started are joined (`join_workers`)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        join_workers()
        if was_enabled:
            gc.enable()


_EXITING: list = []  # the manager threads of pools whose results are in: joined by join_workers


def _done_with(pool: ProcessPoolExecutor) -> None:
    """The pool's results are in: its workers exit now, and this process does not wait for them
    (a forked copy of a large process takes a while to exit); `join_workers` joins them later,
    through the pool's manager thread, which joins its workers before it ends (CPython's
    ProcessPoolExecutor; where it has no such thread, the pool is joined here and now)."""
    thread = getattr(pool, "_executor_manager_thread", None)
    if thread is None:
        pool.shutdown(wait=True)
        return
    pool.shutdown(wait=False)
    _EXITING.append(thread)


def join_workers() -> None:
    """Join the workers of every pool whose results are in. A pool left unjoined could print
    "OSError: [Errno 9] Bad file descriptor" as the interpreter exits (its wake-up pipe closed
    before the exit handler writes to it: a known CPython race; `build.py check` did so in 2 runs
    of 30)."""
    while _EXITING:
        _EXITING.pop().join()


def workers() -> int:
    """Worker processes: TIFA_JOBS if set, else the cores this process may use."""
    if os.environ.get("TIFA_JOBS"):
        return max(1, int(os.environ["TIFA_JOBS"]))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def parallel_map(fn, items: list) -> list:
    """[fn(x) for x in items], on every core when there are enough items. Workers are forked, so
    `fn` may use module state set up before the call (the linker, the glossary)."""
    return list(_start_map(fn, items, len(items) >= POOL_MIN_ITEMS))


def _start_map(fn, items: list, worth_a_pool: bool):
    """fn(x) for x in items, in order: begun now in forked workers (as many as there are cores
    and items) if `worth_a_pool` and there is more than one core, so that this process can do
    other work meanwhile; else computed here as the results are taken."""
    n = min(workers(), len(items))
    if not worth_a_pool or workers() <= 1 or not items or "fork" not in multiprocessing.get_all_start_methods():
        return map(fn, items)
    pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork"))
    return _until_done(pool, pool.map(fn, items, chunksize=max(1, len(items) // (n * 8))))  # submitted at once


def _until_done(pool: ProcessPoolExecutor, results):
    """The results, in order; then the pool is done with (`_done_with`)."""
    yield from results
    _done_with(pool)


class _Later:
    def __init__(self, fn):
        self.fn = fn

    def result(self):
        return self.fn()


class _Running:
    """A job in a forked process: `.result()` waits for it, then is done with its pool."""

    def __init__(self, pool: ProcessPoolExecutor, future):
        self.pool, self.future = pool, future

    def result(self):
        try:
            return self.future.result()
        finally:
            _done_with(self.pool)


def background(fn, nice: int = 0):
    """fn() in a forked process while this one goes on (`.result()` waits for it and raises what
    it raised). With one core, fn runs in this process when its result is asked for.
    `nice`: how much lower the process's priority is (work that is needed only at the end yields
    the core to the workers of the work needed first)."""
    if workers() <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return _Later(fn)
    _JOBS[id(fn)] = fn  # the worker is forked below, after this: it finds fn here (no pickling)
    try:
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        running = _Running(pool, pool.submit(_run_job, id(fn), nice))
    finally:
        del _JOBS[id(fn)]
    return running


_JOBS: dict = {}


def _run_job(job: int, nice: int = 0):
    if nice:
        try:
            os.nice(nice)
        except OSError:  # not allowed here: run at the usual priority
            pass
    return _JOBS[job]()


def cached_map(cache: Cache | None, keys: list, fn, items: list) -> list:
    """[fn(x) for x in items], reusing cached results by key and computing the rest on every core
    (a None key: never cached). Each worker stores what it computed and sends it pickled, so this
    process only loads the results (pickling a thousand speeches here cost seconds).

    The missing results are begun in workers before this process loads the cached ones: after an
    edit, the one speech that changed is cleaned, linked and cut into words on one core while the
    other loads the 999 that did not."""
    if cache is None:
        return parallel_map(fn, items)
    missing = [i for i, k in enumerate(keys) if not (k and cache.has(k))]
    jobs = [(cache.folder, keys[i], items[i]) for i in missing]
    computing = _start_map(partial(_compute_and_store, fn), jobs,
                           len(jobs) >= POOL_MIN_ITEMS or len(jobs) < len(keys))  # alone, or beside loading
    absent = set(missing)
    results = [None if i in absent else cache.get(k) for i, k in enumerate(keys)]
    for data, i in zip(computing, missing):  # `computing` first: taken to its end, its pool closes
        results[i] = pickle.loads(data)
        if keys[i]:
            cache._remember(keys[i], results[i])
    for i in [i for i, r in enumerate(results) if r is None]:  # deleted since `has` (another build's prune)
        results[i] = pickle.loads(_compute_and_store(fn, (cache.folder, keys[i], items[i])))
        cache._remember(keys[i], results[i])
    return results


def _compute_and_store(fn, job) -> bytes:
    folder, k, item = job
    data = pickle.dumps(fn(item), protocol=pickle.HIGHEST_PROTOCOL)
    if k:
        Cache(folder).write(k, data)
    return data


def cached_one(cache: Cache | None, k: str, make):
    """make(), or its cached result under `k`."""
    value = cache.get(k) if cache else None
    if value is None:
        value = make()
        if cache:
            cache.put(k, value)
    return value


def cached_iter(cache: Cache | None, keys: list[str], fn, items: list):
    """fn(x) for x in items, in order, one at a time so that memory stays bounded; each result
    cached by key."""
    for k, item in zip(keys, items):
        yield cached_one(cache, k, lambda: fn(item))  # noqa: B023 — called before the next item


# ---------------------------------------------------------------------------------------------
# The whole build: skipped when neither its inputs nor its outputs changed since it last ran
# (`make site` builds, then `mkdocs build` runs the same build again from its hook).
INPUTS = ("seeds", "scripts", "mkdocs.yml")
STAMP = "last-build.pickle"


def input_files(root: Path) -> dict[str, str] | None:
    """{path: hash of its bytes} for every input file of the build, or None if one is unreadable."""
    found = {}
    try:
        for name in INPUTS:
            base = root / name
            paths = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file()
                                                         and "__pycache__" not in p.parts)
            for path in paths:
                found[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    return found


def inputs_digest(files: dict[str, str] | None) -> str | None:
    """One hash over `input_files` (None if one was unreadable)."""
    return None if files is None else hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest()


def changed_inputs(cache: Cache, files: dict[str, str] | None) -> set[str] | None:
    """The input files that differ from the last full build's (None: unknown)."""
    last = cache.get(STAMP)
    if files is None or not last or "files" not in last:
        return None
    return {rel for rel in set(files) | set(last["files"]) if files.get(rel) != last["files"].get(rel)}


def outputs_state(root: Path, prefixes) -> dict[str, tuple[int, int]]:
    """Size and modification time of every output file, by repository-relative path (os.scandir:
    12,000 files, checked by every build, even one that finds nothing to do)."""
    state: dict[str, tuple[int, int]] = {}

    def walk(folder: str, rel: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{rel}/{entry.name}")
                elif entry.is_file():
                    info = entry.stat()
                    state[f"{rel}/{entry.name}"] = (info.st_size, info.st_mtime_ns)

    for prefix in prefixes:
        base = os.path.join(root, prefix)
        if os.path.isfile(base):
            info = os.stat(base)
            state[prefix] = (info.st_size, info.st_mtime_ns)
        elif os.path.isdir(base):
            walk(base, prefix)
    return state


def unchanged_build(cache: Cache, root: Path, digest: str | None, prefixes) -> list[str] | None:
    """The warnings of the last build if it had these inputs and its outputs are untouched, else None."""
    last = cache.get(STAMP) if digest else None
    if not last or last["inputs"] != digest or last["outputs"] != outputs_state(root, prefixes):
        return None
    return last["warnings"]


def record_build(cache: Cache, root: Path, digest: str | None, prefixes, warnings: list[str],
                 files: dict[str, str] | None = None, written: dict[str, bytes] | None = None,
                 state: dict[str, tuple[int, int]] | None = None) -> None:
    """Remember a full build: its inputs (`files`: {path: hash}), its outputs' sizes and times
    (`state`, as `emit.write_outputs` saw them; else scanned now), its warnings and the digest of
    each output it wrote or found unchanged (`written`)."""
    if digest:
        outputs = state if state is not None else outputs_state(root, prefixes)
        cache.put(STAMP, {"inputs": digest, "outputs": outputs, "warnings": warnings,
                          "files": files or {}, "written": written or {}})


def known_outputs(cache: Cache) -> dict[str, tuple[int, int, bytes]]:
    """The outputs as the last full build left them: {path: (size, mtime_ns, sha256 digest)}
    (see `emit.write_outputs`)."""
    last = cache.get(STAMP)
    if not last or "written" not in last:
        return {}
    state = last["outputs"]
    return {rel: (*state[rel], d) for rel, d in last["written"].items() if rel in state}
