"""Loading raw texts and their metadata sidecars. Bytes in, text out, with a clear word on bad input."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .model import MetaField

META_FIELDS = ("speaker_role", "level", "place", "date", "occasion", "source")
SIDECAR_KEYS = {"slug", "title", "title_en", "title_inferred", *META_FIELDS}


class SourceError(Exception):
    """Input that cannot be built; the message names the file."""


@dataclass(frozen=True)
class RawText:
    path: str  # repository-relative
    text: str
    notes: tuple[str, ...]  # conversions made on the way in (BOM, CRLF, GB18030)


def decode(data: bytes, path: str) -> RawText:
    """Decode UTF-8 (with or without BOM) or GB18030; refuse empty and binary files."""
    notes = []
    if not data.strip():
        raise SourceError(f"{path}: empty file — nothing to build")
    if b"\x00" in data or _control_ratio(data) > 0.05:
        raise SourceError(f"{path}: binary data, not a text file — refused")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        notes.append("removed a UTF-8 byte-order mark")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        text = _decode_gb18030(data, path, err)
        notes.append("converted from GB18030/GBK to UTF-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append("converted CRLF line ends to LF")
    return RawText(path, text, tuple(notes))


def _control_ratio(data: bytes) -> float:
    controls = sum(1 for b in data[:4096] if b < 32 and b not in (9, 10, 13))
    return controls / min(len(data), 4096)


def _decode_gb18030(data: bytes, path: str, err: UnicodeDecodeError) -> str:
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        line = data[: err.start].count(b"\n") + 1
        raise SourceError(f"{path}:{line}: neither UTF-8 nor GB18030 — re-save the file as UTF-8") from None
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    if han < len(text.strip()) * 0.3:
        line = data[: err.start].count(b"\n") + 1
        raise SourceError(f"{path}:{line}: not valid UTF-8 and does not read as Chinese in GB18030 — "
                          "re-save the file as UTF-8") from None
    return text


def read_raw(path: Path, root: Path) -> RawText:
    return decode(path.read_bytes(), path.relative_to(root).as_posix())


@dataclass(frozen=True)
class Sidecar:
    slug: str | None = None
    title: str | None = None
    title_en: str | None = None
    title_inferred: bool = False
    meta: dict | None = None


def read_sidecar(path: Path, root: Path) -> Sidecar | None:
    """The metadata sidecar NNN.yml beside NNN.txt, or None when there is none."""
    if not path.exists():
        return None
    rel = path.relative_to(root).as_posix()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise SourceError(f"{rel}{line}: malformed YAML — {getattr(err, 'problem', err)}") from None
    if not isinstance(data, dict):
        raise SourceError(f"{rel}:1: a sidecar is a mapping of fields, e.g. slug: mayors-office-meeting")
    unknown = set(data) - SIDECAR_KEYS
    if unknown:
        raise SourceError(f"{rel}: unknown key(s) {', '.join(sorted(unknown))} — known: {', '.join(sorted(SIDECAR_KEYS))}")
    meta = {k: _meta_field(data[k], rel, k) for k in META_FIELDS if k in data}
    return Sidecar(data.get("slug"), data.get("title"), data.get("title_en"),
                   bool(data.get("title_inferred")), meta)


def _meta_field(value, rel: str, key: str) -> MetaField:
    if isinstance(value, str):
        return MetaField(value)
    if not isinstance(value, dict) or "value" not in value:
        raise SourceError(f"{rel}: '{key}' must be a mapping with value/evidence/confidence — "
                          f"e.g. {key}: {{value: ..., evidence: \"quote from the text\", confidence: high}}")
    source = str(value.get("evidence_source", ""))
    if source not in ("", "row"):
        raise SourceError(f"{rel}: '{key}': evidence_source must be 'row' (evidence from an import row) or absent "
                          f"(evidence quotes the raw text), got {source!r}")
    return MetaField(str(value["value"]), str(value.get("evidence", "")),
                     str(value.get("confidence", "")), str(value.get("note", "")), source)
