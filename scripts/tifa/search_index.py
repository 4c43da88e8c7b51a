"""Search index stage: speeches and glossary entries → static index files under docs/search/.

The reader's browser answers a query by fetching a few of these files, never the corpus
(design and measurements: docs/about/search.md). Files, relative to docs/search/:

    meta.json       shard count and the section numbering: where each speech, text chunk
                    and heading starts (delta-coded lists of section ids), and the script fold:
                    the traditional characters whose simplified form occurs in the index
    g/<n>.bin       gram shards: for every character (unigram) and every pair of adjacent
                    characters (bigram) of the normalised text whose hash falls in shard n,
                    its postings: sections, with the positions of the bigram in each
    c/<n>.json      text chunks: the original text of consecutive sections of one speech,
                    for verifying long queries and for highlighted excerpts
    t/<n>.json      speech titles and links, TITLES_PER_FILE speeches per file
    glossary.json   glossary entries and every key a reader may type for them

A section is the page title, the metadata table, a heading or a paragraph. Matching works on
normalised text (`normalize`): letters and digits only, folded to half width, lower case and
simplified characters, so 京汉铁路罢工 finds 京漢鐵路罷工 and the reverse. `core.js` implements the
same normalisation (with the fold map from meta.json), hash and decoding.
"""
from __future__ import annotations

import hashlib
from array import array
import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from tifa.model import Speech
from tifa.script import to_simplified

FORMAT_VERSION = 1
SHARD_TARGET_BYTES = 24_000  # gram bytes per shard; a query reads about ceil(n/2) shards
MAX_SHARDS = 4096
CHUNK_TARGET_BYTES = 4_000  # text per chunk; an excerpt costs at most one chunk
TITLES_PER_FILE = 64
GROUP_SPEECHES = 16  # speeches whose postings are built (and cached) together
SPEECH_PREFIX = "speeches/"
GLOSSARY_PREFIX = "glossary/"


# ---------------------------------------------------------------------------------------------
# Normalisation: keep letters and digits, fold full-width ASCII, lower-case, simplify.
HAN_RANGES = ((0x3400, 0xA000), (0xF900, 0xFB00), (0x20000, 0x32400))


def fold(ch: str) -> str:
    """Full-width ASCII to half-width, lower case (only where that keeps one character), then
    traditional to simplified, character by character (OpenCC t2s, the same map as core.js).

    >>> fold("Ａ"), fold("５"), fold("中"), fold("鐵")
    ('a', '5', '中', '铁')
    """
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:
        ch = chr(o - 0xFEE0)
    low = ch.lower()
    ch = low if len(low) == 1 else ch
    return ch if ch.isascii() else _simplified(ch)


@lru_cache(maxsize=None)
def _simplified(ch: str) -> str:
    return to_simplified(ch)


@lru_cache(maxsize=1)
def traditional_table() -> dict[str, str]:
    """Every Han character that folds to another one: {traditional: simplified} (~4,600 pairs)."""
    pairs = {}
    for low, high in HAN_RANGES:
        for o in range(low, high):
            ch = chr(o)
            if (simple := _simplified(ch)) != ch:
                pairs[ch] = simple
    return pairs


def script_fold(seen: set[str]) -> str:
    """The fold map core.js needs, as one string of (traditional, simplified) pairs: only pairs
    whose simplified form occurs in the index, since any other query character matches nothing.

    >>> script_fold({"铁", "中"})
    '鐵铁'
    """
    return "".join(t + s for t, s in sorted(traditional_table().items()) if s in seen)


class _Normalizer(dict):
    """str.translate table: each character to its folded form, or None when it does not count."""

    def __missing__(self, o: int):
        ch = fold(chr(o))
        self[o] = value = ch if is_kept(ch) else None
        return value


_NORMALIZER = _Normalizer()


def is_kept(ch: str) -> bool:
    """Letters and digits count for matching; punctuation, spaces and marks do not."""
    return unicodedata.category(ch)[0] in "LN"


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the offset in `text`.

    >>> normalize_with_map("坚定“四个 自信”")
    ('坚定四个自信', [0, 1, 3, 4, 6, 7])
    """
    chars, offsets = [], []
    for i, ch in enumerate(text):
        ch = fold(ch)
        if is_kept(ch):
            chars.append(ch)
            offsets.append(i)
    return "".join(chars), offsets


def normalize(text: str) -> str:
    """What matching compares: letters and digits only, folded (as `normalize_with_map`).

    >>> normalize("ＡＩ＋制造，2025年！"), normalize("京漢鐵路罷工")
    ('ai制造2025年', '京汉铁路罢工')
    """
    return text.translate(_NORMALIZER)


def toneless(text: str) -> str:
    """Pinyin or English as a reader may type it: no tones, spaces, punctuation or case.

    >>> toneless("Sì gè yìshí"), toneless("Lǜsè fāzhǎn"), toneless("Four Consciousnesses")
    ('sigeyishi', 'lusefazhan', 'fourconsciousnesses')
    """
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return normalize(bare)


def gram_shard(gram: str, shards: int) -> int:
    """FNV-1a over the code points of `gram`; the worker computes the same."""
    h = 0x811C9DC5
    for ch in gram:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h % shards


# ---------------------------------------------------------------------------------------------
# Sections: the unit that matches.
def sections(speech: Speech) -> list[tuple[str, str, str]]:
    """(kind, anchor, text) for the title ("t"), the metadata table ("m": values, evidence and
    notes, so a date such as 2021 finds the speech), each heading ("h") and paragraph ("p")."""
    out = [("t", "", speech.title), ("m", "", metadata_text(speech))]
    for block in speech.blocks:
        out.append(("h" if block.kind == "heading" else "p", block.anchor, block.text))
    return out


def metadata_text(speech: Speech) -> str:
    """The text of the page's metadata table (emit.meta_table), row by row."""
    from tifa.emit import META_LABELS

    rows = []
    for key, label in META_LABELS.items():
        f = (speech.meta or {}).get(key)
        if f:
            confidence = f"（可信度 confidence: {f.confidence}）" if f.confidence else ""
            rows.append(" ".join(p for p in (label, f.value, f.evidence, confidence, f.note) if p))
    return " ".join(["项目 · Field 内容 · Value 依据 · Evidence", *rows,
                     f"字数 · Length {speech.char_count:,} 字 characters", f"原文 · Raw text {speech.source_path}"])


def varint(n: int, out: bytearray) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def read_varint(data, at: int) -> tuple[int, int]:
    """The varint at `at` and the offset after it.

    >>> out = bytearray(); varint(300, out); read_varint(out, 0)
    (300, 2)
    """
    n = shift = 0
    while True:
        b = data[at]
        at += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return n, at


def varints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`values` (unsigned, < 2**35) encoded as `varint` does, all at once: (the bytes, where each
    value's encoding ends in them).

    >>> b, ends = varints(np.array([5, 300, 0], dtype=np.uint64)); bytes(b), ends.tolist()
    (b'\\x05\\xac\\x02\\x00', [1, 3, 4])
    """
    values = values.astype(np.uint64)
    size = np.ones(len(values), dtype=np.int64)
    for k in range(1, 5):
        size += values >= np.uint64(1 << (7 * k))
    ends = np.cumsum(size)
    starts = ends - size
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    for k in range(5):
        at = size > k
        if not at.any():
            break
        more = (size[at] - 1 > k).astype(np.uint64) << np.uint64(7)
        out[starts[at] + k] = ((values[at] >> np.uint64(7 * k)) & np.uint64(0x7F)) | more
    return out, ends


def fnv_buckets(c1: np.ndarray, c2: np.ndarray, shards: int) -> np.ndarray:
    """`gram_shard` of the grams (code points c1, c2; c2 = 0: a unigram), all at once."""
    prime, mask = np.uint64(0x01000193), np.uint64(0xFFFFFFFF)
    h = ((np.uint64(0x811C9DC5) ^ c1.astype(np.uint64)) * prime) & mask
    h2 = ((h ^ c2.astype(np.uint64)) * prime) & mask
    return np.where(c2 > 0, h2, h) % np.uint64(shards)


def shard_count(total: int) -> int:
    """Shards for `total` bytes of postings: a power of two, so that shard i at count n is the
    fine buckets b ≡ i (mod n): a gram's fine bucket is `gram_shard(gram, MAX_SHARDS)`, and n
    divides MAX_SHARDS."""
    n = 1
    while n < MAX_SHARDS and total / n > SHARD_TARGET_BYTES:
        n *= 2
    return n


def _shard_bytes(grams: list[str], data: dict[str, bytearray]) -> bytes:
    head = bytearray()
    varint(len(grams), head)
    for gram in grams:
        varint(ord(gram[0]), head)
        varint(ord(gram[1]) if len(gram) == 2 else 0, head)
        varint(len(data[gram]), head)
    return bytes(head) + b"".join(bytes(data[g]) for g in grams)


def _deltas(values: list[int]) -> list[int]:
    return [v - (values[i - 1] if i else 0) for i, v in enumerate(values)]


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _chunks(secs: list[tuple[str, str, str]], first_id: int) -> list[tuple[int, dict]]:
    """Split one speech's sections into chunks of about CHUNK_TARGET_BYTES."""
    out, current, size, heading, start = [], [], 0, "", first_id
    chunk_heading = ""
    for i, (kind, anchor, text) in enumerate(secs):
        cost = len(text.encode()) + len(anchor) + 8
        if current and size + cost > CHUNK_TARGET_BYTES:
            out.append((start, {"h": chunk_heading, "x": current}))
            current, size, start, chunk_heading = [], 0, first_id + i, heading
        current.append([kind, anchor, text])
        size += cost
        if kind == "h":
            heading = text
    if current:
        out.append((start, {"h": chunk_heading, "x": current}))
    return out


# ---------------------------------------------------------------------------------------------
# Glossary keys: everything a reader may type for an entry.
def glossary_keys(entry) -> list[str]:
    """Normalised term, traditional form, aliases, toneless pinyin (ü as u and as v), English."""
    keys = [normalize(entry.term), normalize(entry.traditional or "")]
    keys += [normalize(a) for a in entry.aliases]
    keys.append(entry.pinyin_search or toneless(entry.pinyin))
    keys.append(toneless(entry.pinyin.replace("ü", "v").replace("Ü", "v").replace("ǖ", "v")
                         .replace("ǘ", "v").replace("ǚ", "v").replace("ǜ", "v")))
    keys += [toneless(rendering[0]) for rendering in entry.english]
    return list(dict.fromkeys(k for k in keys if k))


def glossary_file(entries: list) -> dict:
    out = []
    for entry in entries:
        english = entry.english[0][0] if entry.english else ""
        summary = (entry.summary or {}).get("zh", "")
        out.append({
            "u": f"{GLOSSARY_PREFIX}{entry.slug}/", "t": entry.term, "p": entry.pinyin,
            "e": english, "s": summary, "k": glossary_keys(entry),
            "n": [normalize(s) for s in (entry.term, entry.traditional or "", *entry.aliases) if s],
        })
    return {"v": FORMAT_VERSION, "entries": out}


# ---------------------------------------------------------------------------------------------
@dataclass
class GroupPostings:
    """The postings of a run of consecutive speeches, with section ids counted from the run's
    start, sorted by fine bucket: built once per version of those speeches (cached, on every
    core). A shard is assembled from its buckets of every group (`shard`); `digests` tell, per
    bucket, whether a group's part changed, so a shard no group changed is reused from the cache.
    Packed in three arrays, so 63 groups (1,000 speeches) take tens of megabytes, not hundreds."""
    index: array  # 'I', MAX_SHARDS + 1: where each fine bucket's grams start (in grams)
    offsets: array  # 'Q', MAX_SHARDS + 1: where each fine bucket's postings start in blob
    heads: array  # 'I', 4 per gram: code point 1, code point 2 (0: a unigram), last section id, size
    blob: bytes  # the grams' encoded postings, one after another
    sections: int
    longest: int
    seen: set[str]
    digests: bytes  # DIGEST bytes per fine bucket: its grams, their last ids and postings

    @property
    def size(self) -> int:
        return len(self.blob)

    def digest(self, b: int) -> bytes:
        return self.digests[b * DIGEST:(b + 1) * DIGEST]


DIGEST = 12


def group_postings(speeches: list[Speech]) -> GroupPostings:
    """The run's postings, encoded with numpy (a thousand speeches in about a second).

    Each gram's postings, in the order of its sections: the section's id less the previous
    one's (the first: the id itself), the count in the section and, for a bigram, each position
    less the previous one (the first: the position itself), all varints. Grams are ordered by
    fine bucket, then by code points (a unigram before the bigrams it starts)."""
    norms = [normalize(text) for speech in speeches for _kind, _anchor, text in sections(speech)]
    text = "".join(norms)
    lengths = np.array([len(n) for n in norms], dtype=np.int64)
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    sec = np.repeat(np.arange(len(norms), dtype=np.int64), lengths)
    pos = np.arange(len(cp), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    pair = np.flatnonzero(pos[1:] != 0) if len(cp) else np.zeros(0, dtype=np.int64)  # i, i+1 in one section
    c1 = np.concatenate([cp, cp[pair]])
    c2 = np.concatenate([np.zeros(len(cp), dtype=np.uint64), cp[pair + 1]])
    occ_sec = np.concatenate([sec, sec[pair]])
    occ_pos = np.concatenate([np.zeros(len(cp), dtype=np.int64), pos[pair]])
    gram = (fnv_buckets(c1, c2, MAX_SHARDS) << np.uint64(42)) | (c1 << np.uint64(21)) | c2
    order = np.argsort(gram, kind="stable")  # occurrences are in (section, position) order already
    gram, occ_sec, occ_pos = gram[order], occ_sec[order], occ_pos[order]
    bigram = (gram & np.uint64((1 << 21) - 1)) > 0
    n = len(gram)
    new_gram = np.ones(n, dtype=bool)
    new_gram[1:] = gram[1:] != gram[:-1]
    new_pair = new_gram.copy()
    new_pair[1:] |= occ_sec[1:] != occ_sec[:-1]
    pair_start = np.flatnonzero(new_pair)
    counts = np.diff(np.append(pair_start, n))
    pair_sec = occ_sec[pair_start]
    first_of_gram = new_gram[pair_start]
    sec_delta = pair_sec - np.where(first_of_gram, 0, np.roll(pair_sec, 1))
    pos_delta = occ_pos - np.where(new_pair, 0, np.roll(occ_pos, 1))
    # the value stream: per pair its section delta and count, then a bigram's position deltas
    bigrams_before = np.cumsum(bigram) - bigram
    pair_of = np.cumsum(new_pair) - 1
    stream = np.empty(2 * len(pair_start) + int(bigram.sum()), dtype=np.uint64)
    head_at = 2 * np.arange(len(pair_start)) + bigrams_before[pair_start]
    stream[head_at] = sec_delta
    stream[head_at + 1] = counts
    stream[2 * (pair_of[bigram] + 1) + bigrams_before[bigram]] = pos_delta[bigram]
    blob, ends = varints(stream)
    gram_start = np.flatnonzero(new_gram)
    gram_last = np.append(gram_start[1:], n) - 1
    gram_end_value = np.append(head_at[np.flatnonzero(first_of_gram)[1:]], len(stream))  # values
    byte_end = ends[gram_end_value - 1] if len(stream) else np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.concatenate([[0], byte_end]))
    grams = gram[gram_start]
    heads = np.stack([(grams >> np.uint64(21)) & np.uint64((1 << 21) - 1), grams & np.uint64((1 << 21) - 1),
                      occ_sec[gram_last].astype(np.uint64), sizes.astype(np.uint64)], axis=1).astype(np.uint32)
    buckets = (grams >> np.uint64(42)).astype(np.int64)
    bounds = np.searchsorted(buckets, np.arange(MAX_SHARDS + 1), side="left")
    index = array("I", bounds.astype(np.uint32).tobytes())
    offsets = array("Q", np.concatenate([[0], byte_end])[bounds].astype(np.uint64).tobytes())
    heads_array = array("I", heads.tobytes())
    blob = blob.tobytes()
    raw_heads = heads.tobytes()
    digests = b"".join(hashlib.blake2b(raw_heads[16 * index[b]:16 * index[b + 1]]
                                       + blob[offsets[b]:offsets[b + 1]], digest_size=DIGEST).digest()
                       for b in range(MAX_SHARDS))
    longest = int(lengths.max()) if len(lengths) else 0
    return GroupPostings(index, offsets, heads_array, blob, len(norms), longest, set(text), digests)


def shard(parts: list[GroupPostings], bases: list[int], members) -> bytes:
    """One gram shard: the fine buckets `members` of every group, each group's section ids
    shifted by its base (only the first delta of each gram's part changes)."""
    data: dict[str, bytearray] = {}
    last: dict[str, int] = {}
    for part, base in zip(parts, bases):
        heads, index, blob = part.heads, part.index, memoryview(part.blob)
        for b in members:
            end = part.offsets[b]
            for i in range(index[b], index[b + 1]):
                c1, c2, gram_last, size = heads[4 * i:4 * i + 4]
                start, end = end, end + size
                gram = chr(c1) + chr(c2) if c2 else chr(c1)
                first, at = read_varint(blob, start)
                out = data.get(gram)
                if out is None:
                    out = data[gram] = bytearray()
                varint(base + first - last.get(gram, 0), out)
                out += blob[at:end]
                last[gram] = base + gram_last
    return _shard_bytes(sorted(data), data)


def speech_groups(speeches: list[Speech]) -> list[list[Speech]]:
    return [speeches[i:i + GROUP_SPEECHES] for i in range(0, len(speeches), GROUP_SPEECHES)]


def build_files(speeches: list[Speech], entries: list, groups=None, shard_cache=None) -> dict[str, bytes]:
    """All search files, keyed by path relative to docs/search/. Pure: same input, same bytes.

    `groups`, if given, maps `speech_groups(speeches)` to their `group_postings` (the build
    passes one that caches and uses every core); `shard_cache(key, make)`, if given, may return
    a shard made before from the same group parts instead of calling `make()`."""
    files: dict[str, bytes] = {}
    doc_starts, chunk_starts, heads, titles = [], [], [], []
    sec = 0
    for speech in speeches:
        secs = sections(speech)
        doc_starts.append(sec)
        titles.append([f"{SPEECH_PREFIX}{speech.slug}/", speech.title])
        for start, chunk in _chunks(secs, sec):
            files[f"c/{len(chunk_starts)}.json"] = _json(chunk)
            chunk_starts.append(start)
        heads += [sec + i for i, (kind, _, _) in enumerate(secs) if kind == "h"]
        sec += len(secs)
    parts = list((groups or (lambda bs: [group_postings(b) for b in bs]))(speech_groups(speeches)))
    bases, base = [], 0
    for part in parts:
        bases.append(base)
        base += part.sections
    longest = max((p.longest for p in parts), default=0)
    seen = set().union(*(p.seen for p in parts))
    n = shard_count(sum(p.size for p in parts))
    for i in range(n):
        members = range(i, MAX_SHARDS, n)
        make = lambda: shard(parts, bases, members)  # noqa: E731
        if shard_cache is None:
            data = make()
        else:
            k = (FORMAT_VERSION, n, i, tuple(p.sections for p in parts),
                 tuple(p.digest(b) for p in parts for b in members))
            data = shard_cache(hashlib.sha256(repr(k).encode()).hexdigest(), make)
        files[f"g/{i}.bin"] = data  # every shard, even one without grams: the worker fetches any
    for i in range(0, len(titles), TITLES_PER_FILE):
        files[f"t/{i // TITLES_PER_FILE}.json"] = _json(titles[i:i + TITLES_PER_FILE])
    glossary = glossary_file(entries)
    seen.update(ch for e in glossary["entries"] for key in e["n"] for ch in key)
    files["meta.json"] = _json({
        "v": FORMAT_VERSION, "shards": n, "sections": sec, "longest": longest,
        "titles": TITLES_PER_FILE,
        "docs": _deltas(doc_starts), "chunks": _deltas(chunk_starts), "heads": _deltas(heads),
        "fold": script_fold(seen),
    })
    files["glossary.json"] = _json(glossary)
    return files
