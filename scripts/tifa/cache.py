"""A per-speech cache and a process pool: the only speed machinery of the build.

Cached values are keyed by everything they depend on: the bytes of their inputs and the code
version (a hash of every module of this package), so a stale entry is never used — any change
to the code or to an input gives a new key. Entries live under .cache/ (gitignored) as pickles,
written atomically; a missing or unreadable entry is simply computed again.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import tempfile
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
POOL_MIN_ITEMS = 8  # fewer items than this are not worth starting worker processes


@lru_cache(maxsize=1)
def code_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.glob("*.py")):
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
    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, k: str) -> Path:
        return self.folder / k[:2] / f"{k}.pickle"

    def get(self, k: str):
        try:
            return pickle.loads(self._path(k).read_bytes())
        except Exception:  # absent, truncated or from another Python: compute again
            return None

    def put(self, k: str, value) -> None:
        path = self._path(k)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)


def workers() -> int:
    """Worker processes: TIFA_JOBS if set, else the cores this process may use."""
    if os.environ.get("TIFA_JOBS"):
        return max(1, int(os.environ["TIFA_JOBS"]))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def parallel_map(fn, items: list) -> list:
    """[fn(x) for x in items], on every core when there are enough items. Workers are forked, so
    `fn` may use module state set up before the call (the linker, the glossary)."""
    n = workers()
    if n <= 1 or len(items) < POOL_MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return [fn(x) for x in items]
    with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(fn, items, chunksize=max(1, len(items) // (n * 8))))
