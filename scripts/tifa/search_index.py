"""Search index stage: speeches and glossary entries → static index files under docs/search/.

The reader's browser answers a query by fetching a few of these files, never the corpus
(design and measurements: docs/about/search.md). Files, relative to docs/search/:

    meta.json       shard count and the section numbering: where each speech, text chunk
                    and heading starts (delta-coded lists of section ids)
    g/<n>.bin       gram shards: for every character (unigram) and every pair of adjacent
                    characters (bigram) of the normalised text whose hash falls in shard n,
                    its postings: sections, with the positions of the bigram in each
    c/<n>.json      text chunks: the original text of consecutive sections of one speech,
                    for verifying long queries and for highlighted excerpts
    t/<n>.json      speech titles and links, TITLES_PER_FILE speeches per file
    glossary.json   glossary entries and every key a reader may type for them

A section is the page title, a heading or a paragraph. Matching works on normalised text
(`normalize`); `worker.js` implements the same normalisation, hash and decoding.
"""
from __future__ import annotations

import json
import unicodedata
from collections import defaultdict

from tifa.model import Speech

FORMAT_VERSION = 1
SHARD_TARGET_BYTES = 24_000  # gram bytes per shard; a query reads about ceil(n/2) shards
MAX_SHARDS = 4096
CHUNK_TARGET_BYTES = 4_000  # text per chunk; an excerpt costs at most one chunk
TITLES_PER_FILE = 64
SPEECH_PREFIX = "speeches/"
GLOSSARY_PREFIX = "glossary/"


# ---------------------------------------------------------------------------------------------
# Normalisation: keep letters and digits, fold full-width ASCII, lower-case.
def fold(ch: str) -> str:
    """Full-width ASCII to half-width, then lower case (only where that keeps one character).

    >>> fold("Ａ"), fold("５"), fold("中")
    ('a', '5', '中')
    """
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:
        ch = chr(o - 0xFEE0)
    low = ch.lower()
    return low if len(low) == 1 else ch


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
    """What matching compares: letters and digits only, folded.

    >>> normalize("ＡＩ＋制造，2025年！")
    'ai制造2025年'
    """
    return normalize_with_map(text)[0]


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
    """(kind, anchor, text) for the title ("t"), each heading ("h") and paragraph ("p")."""
    out = [("t", "", speech.title)]
    for block in speech.blocks:
        out.append(("h" if block.kind == "heading" else "p", block.anchor, block.text))
    return out


def varint(n: int, out: bytearray) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


class _Postings:
    """Gram postings encoded as they are added, section by section (ids only grow).

    Unigram: (section delta, count). Bigram: (section delta, count, position deltas...).
    Encoding on the fly keeps a 1,000-speech build within tens of megabytes.
    """

    def __init__(self):
        self.data: dict[str, bytearray] = defaultdict(bytearray)
        self.last: dict[str, int] = {}

    def add_section(self, sec: int, norm: str) -> None:
        positions: dict[str, list[int]] = defaultdict(list)
        for i, ch in enumerate(norm):
            positions[ch].append(i)
            if i + 1 < len(norm):
                positions[norm[i:i + 2]].append(i)
        for gram, pos in positions.items():
            out = self.data[gram]
            varint(sec - self.last.get(gram, 0), out)
            self.last[gram] = sec
            varint(len(pos), out)
            if len(gram) == 2:
                prev = 0
                for p in pos:
                    varint(p - prev, out)
                    prev = p

    def shard_count(self) -> int:
        total = sum(len(b) for b in self.data.values())
        n = 1
        while n < MAX_SHARDS and total / n > SHARD_TARGET_BYTES:
            n *= 2
        return n

    def shards(self, n: int) -> dict[int, bytes]:
        grouped: dict[int, list[str]] = defaultdict(list)
        for gram in self.data:
            grouped[gram_shard(gram, n)].append(gram)
        return {i: self._shard_bytes(sorted(grams)) for i, grams in grouped.items()}

    def _shard_bytes(self, grams: list[str]) -> bytes:
        head = bytearray()
        varint(len(grams), head)
        for gram in grams:
            varint(ord(gram[0]), head)
            varint(ord(gram[1]) if len(gram) == 2 else 0, head)
            varint(len(self.data[gram]), head)
        return bytes(head) + b"".join(bytes(self.data[g]) for g in grams)


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
def build_files(speeches: list[Speech], entries: list) -> dict[str, bytes]:
    """All search files, keyed by path relative to docs/search/. Pure: same input, same bytes."""
    postings = _Postings()
    files: dict[str, bytes] = {}
    doc_starts, chunk_starts, heads, titles = [], [], [], []
    sec, longest = 0, 0
    for speech in speeches:
        secs = sections(speech)
        doc_starts.append(sec)
        titles.append([f"{SPEECH_PREFIX}{speech.slug}/", speech.title])
        for start, chunk in _chunks(secs, sec):
            files[f"c/{len(chunk_starts)}.json"] = _json(chunk)
            chunk_starts.append(start)
        for kind, _anchor, text in secs:
            if kind == "h":
                heads.append(sec)
            norm = normalize(text)
            postings.add_section(sec, norm)
            longest = max(longest, len(norm))
            sec += 1
    n = postings.shard_count()
    for i, data in postings.shards(n).items():
        files[f"g/{i}.bin"] = data
    for i in range(0, len(titles), TITLES_PER_FILE):
        files[f"t/{i // TITLES_PER_FILE}.json"] = _json(titles[i:i + TITLES_PER_FILE])
    files["meta.json"] = _json({
        "v": FORMAT_VERSION, "shards": n, "sections": sec, "longest": longest,
        "titles": TITLES_PER_FILE,
        "docs": _deltas(doc_starts), "chunks": _deltas(chunk_starts), "heads": _deltas(heads),
    })
    files["glossary.json"] = _json(glossary_file(entries))
    return files
