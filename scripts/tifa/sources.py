"""Loading raw texts and their metadata sidecars. Bytes in, text out, with a clear word on bad input.

Every refusal is a `SourceError` whose message reads like the glossary's problems:

    seeds/speeches/005_ab12.yml:3: S006 'title' must be a string — e.g. title: "2021年工作会议上的讲话"

The codes are in `CODES` and documented in CONTRIBUTING.md (a test keeps them in step).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import limits, yamlsafe
from .model import MetaField

META_FIELDS = ("speaker_role", "level", "place", "date", "occasion", "source")
SIDECAR_KEYS = {"slug", "title", "title_en", "title_inferred", *META_FIELDS}
META_KEYS = ("value", "evidence", "confidence", "note", "evidence_source")
EVIDENCE_SOURCES = ("row",)  # absent: evidence quotes the raw text; "row": the import row it came from
CONFIDENCES = ("high", "medium", "low")
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")

CODES = {
    "S001": "empty file",
    "S002": "not a text file, or an encoding that cannot be told apart",
    "S003": "file is larger than its limit",
    "S004": "file name or kind not allowed (symbolic link, characters, extension)",
    "S005": "sidecar is malformed YAML",
    "S006": "sidecar value has the wrong type",
    "S007": "sidecar has an unknown key",
    "S008": "sidecar has the same key twice",
    "S009": "sidecar uses YAML anchors or aliases, or nests too deeply",
    "S010": "sidecar value is longer than its limit",
    "S011": "slug is not valid or is used twice",
    "S012": "evidence does not quote the raw text verbatim",
    "S013": "nothing of a speech is left after cleaning",
    "S014": "sidecar is not UTF-8",
}


class SourceError(Exception):
    """Input that cannot be built; the message names the file (and line, and code)."""


def problem(path: str, line: int | None, code: str, message: str, example: str = "") -> str:
    """One problem line: `path:line: CODE message — e.g. example`."""
    where = f"{path}:{line}" if line else path
    tail = f" — e.g. {example}" if example else ""
    return f"{where}: {code} {message}{tail}"


def refuse(path: str, line: int | None, code: str, message: str, example: str = "") -> SourceError:
    return SourceError(problem(path, line, code, message, example))


@dataclass(frozen=True)
class RawText:
    path: str  # repository-relative
    text: str
    notes: tuple[str, ...]  # conversions made on the way in (BOM, CRLF, GB18030, Big5, UTF-16)


# ---------------------------------------------------------------------------------------------
# Files: where they may come from and how large they may be.
def checked_file(path: Path, root: Path, max_bytes: int) -> tuple[str, bytes]:
    """(repository-relative path, bytes) of a regular file inside the repository, within `max_bytes`."""
    rel = _relative(path, root)
    if path.is_symlink() or not path.resolve().is_relative_to(root.resolve()):
        raise refuse(rel, None, "S004", "symbolic links are not read: copy the file itself into the repository")
    if not SAFE_NAME.match(path.name):
        raise refuse(rel, None, "S004", "file name may use only ASCII letters, digits, '.', '_' and '-'",
                     "005_3f2a9c0d1e2b4a6c.txt")
    size = path.stat().st_size
    if size > max_bytes:
        raise refuse(rel, None, "S003", f"file is {size:,} bytes; the limit is {max_bytes:,}")
    return rel, path.read_bytes()


def _relative(path: Path, root: Path) -> str:
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


# ---------------------------------------------------------------------------------------------
# Raw texts: bytes to text.
def decode(data: bytes, path: str) -> RawText:
    """Decode UTF-8 (with or without BOM), UTF-16 with a BOM, GB18030/GBK or Big5; refuse the rest."""
    notes = []
    if not data.strip():
        raise refuse(path, 1, "S001", "empty file — nothing to build")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode_utf16(data, path)
        notes.append("converted from UTF-16 to UTF-8")
    else:
        if b"\x00" in data or _control_ratio(data) > 0.05:
            raise refuse(path, None, "S002", "binary data, not a text file — refused")
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
            notes.append("removed a UTF-8 byte-order mark")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            text, codec = _decode_chinese(data, path, err)
            notes.append(f"converted from {codec} to UTF-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append("converted CRLF line ends to LF")
    return RawText(path, text, tuple(notes))


NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 13))  # tab and line ends are text


def _control_ratio(data: bytes) -> float:
    """The share of control bytes in the first 4 KiB (counted by deleting all others, in C)."""
    head = data[:4096]
    return len(head.translate(None, NOT_CONTROL)) / len(head)


def _decode_utf16(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError:
        raise refuse(path, None, "S002", "starts like UTF-16 but does not decode as UTF-16 — "
                     "re-save the file as UTF-8") from None


def _decode_chinese(data: bytes, path: str, err: UnicodeDecodeError) -> tuple[str, str]:
    """GB18030 (which includes GBK and GB2312) or Big5, told apart by charset-normalizer.

    Both encodings use the same byte ranges, so strict decoding alone cannot choose: a Big5 text
    usually decodes as GB18030 too, into rare characters. charset-normalizer measures which
    reading looks like language (character frequencies, mess ratio); a reading that is not
    mostly Han text is refused rather than guessed.
    """
    line = data[: err.start].count(b"\n") + 1
    readings = {codec: text for codec in ("gb18030", "big5") if (text := _strict(data, codec)) is not None}
    if not readings:
        raise refuse(path, line, "S002", "neither UTF-8, GB18030 nor Big5 — re-save the file as UTF-8")
    codec = _best_codec(data, readings)
    text = readings[codec]
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    if han < len(text.strip()) * 0.3:
        raise refuse(path, line, "S002", "not valid UTF-8 and does not read as Chinese in GB18030 or Big5 — "
                     "re-save the file as UTF-8")
    return text, {"gb18030": "GB18030/GBK", "big5": "Big5"}[codec]


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _best_codec(data: bytes, readings: dict[str, str]) -> str:
    if len(readings) == 1:
        return next(iter(readings))
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=list(readings)).best()
    name = best.encoding if best else "gb18030"
    return "big5" if "big5" in name else "gb18030"


def read_raw(path: Path, root: Path) -> RawText:
    rel, data = checked_file(path, root, limits.RAW_TEXT_BYTES)
    return decode(data, rel)


def size_warnings(raw: RawText) -> list[str]:
    """Texts that build but will make a heavy page: said, not refused."""
    warnings = []
    size = len(raw.text.encode("utf-8"))
    if size > limits.RAW_TEXT_WARN_BYTES:
        warnings.append(f"{raw.path}: {size:,} bytes — a very long page for readers (limit "
                        f"{limits.RAW_TEXT_BYTES:,}); is this one speech?")
    for number, line in enumerate(raw.text.split("\n"), 1):
        if len(line) > limits.LONG_LINE_CHARS:
            warnings.append(f"{raw.path}:{number}: a line of {len(line):,} characters becomes one paragraph; "
                            "are the line breaks missing?")
            break
    return warnings


# ---------------------------------------------------------------------------------------------
# Sidecars: typed loading from the YAML node tree, so every problem has a line.
@dataclass(frozen=True)
class Sidecar:
    slug: str | None = None
    title: str | None = None
    title_en: str | None = None
    title_inferred: bool = False
    meta: dict | None = None


_STR, _BOOL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:bool"


def read_sidecar(path: Path, root: Path) -> Sidecar | None:
    """The metadata sidecar NNN.yml beside NNN.txt, or None when there is none.

    Raises SourceError listing every problem of the file, one per line.
    """
    if not path.exists() and not path.is_symlink():
        return None
    rel, data = checked_file(path, root, limits.YAML_FILE_BYTES)
    node = _compose_sidecar(data, rel)
    found: list[str] = []
    values = _top_level(node, rel, found)
    sidecar = Sidecar(
        slug=_text(values, "slug", rel, found, "slug: mayors-office-meeting"),
        title=_text(values, "title", rel, found, 'title: "在全市经济工作会议上的讲话"'),
        title_en=_text(values, "title_en", rel, found, 'title_en: "Speech at the city economic work conference"'),
        title_inferred=_flag(values, "title_inferred", rel, found),
        meta={k: f for k in META_FIELDS if k in values and (f := _meta_field(values[k], rel, k, found))},
    )
    if found:
        raise SourceError("\n".join(found))
    return sidecar


def _compose_sidecar(data: bytes, rel: str):
    try:
        text = data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as err:
        raise refuse(rel, data[: err.start].count(b"\n") + 1, "S014", "a sidecar must be saved as UTF-8",
                     "in your editor: Save with Encoding → UTF-8") from None
    try:
        node = yamlsafe.compose(text)
    except yamlsafe.UnsafeYaml as err:
        raise refuse(rel, err.line, "S009", err.reason) from None
    except yaml.YAMLError as err:
        raise refuse(rel, yamlsafe.error_line(err), "S005", f"malformed YAML: {yamlsafe.error_reason(err)}",
                     'quote values that contain ": ", title: "…"') from None
    if not isinstance(node, yaml.MappingNode):
        raise refuse(rel, node.start_mark.line + 1 if node else 1, "S006",
                     "a sidecar is a mapping of fields", "slug: mayors-office-meeting")
    return node


def _top_level(node, rel: str, found: list[str]) -> dict:
    values = {}
    for key, value in node.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else ""
        line = key.start_mark.line + 1
        if name not in SIDECAR_KEYS:
            close = difflib.get_close_matches(name, SIDECAR_KEYS, n=1)
            found.append(problem(rel, line, "S007", f"unknown key '{name}'; known: {', '.join(sorted(SIDECAR_KEYS))}",
                                 f"{close[0]}: …" if close else ""))
        elif name in values:
            found.append(problem(rel, line, "S008", f"key '{name}' appears twice", "keep one line per key"))
        else:
            values[name] = value
    return values


def _text(values: dict, key: str, rel: str, found: list[str], example: str, limit_key: str = "") -> str | None:
    node = values.get(key)
    if node is None:
        return None
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.ScalarNode) or node.tag != _STR:
        found.append(problem(rel, line, "S006", f"'{key}' must be a string (quote numbers and dates)", example))
        return None
    limit = limits.SIDECAR_TEXT[limit_key or key]
    if len(node.value) > limit:
        found.append(problem(rel, line, "S010", f"'{key}' has {len(node.value):,} characters; the limit is {limit}"))
        return None
    return node.value


def _flag(values: dict, key: str, rel: str, found: list[str]) -> bool:
    node = values.get(key)
    if node is None:
        return False
    if not isinstance(node, yaml.ScalarNode) or node.tag != _BOOL:
        found.append(problem(rel, node.start_mark.line + 1, "S006", f"'{key}' must be true or false",
                             f"{key}: true"))
        return False
    return node.value.lower() in ("true", "yes", "on")


def _meta_field(node, rel: str, key: str, found: list[str]) -> MetaField | None:
    example = f'{key}: {{value: …, evidence: "quote from the text", confidence: high}}'
    if isinstance(node, yaml.ScalarNode):
        value = _text({key: node}, key, rel, found, example, "value")
        return MetaField(value) if value is not None else None
    if not isinstance(node, yaml.MappingNode):
        found.append(problem(rel, node.start_mark.line + 1, "S006",
                             f"'{key}' must be a mapping with value/evidence/confidence", example))
        return None
    before = len(found)
    parts = _parts(node, rel, key, found)
    texts = {k: _text(parts, k, rel, found, example, k) for k in META_KEYS}
    if parts and "value" not in parts:
        found.append(problem(rel, node.start_mark.line + 1, "S006", f"'{key}' needs a value", example))
    if texts["confidence"] and texts["confidence"] not in CONFIDENCES:
        found.append(problem(rel, parts["confidence"].start_mark.line + 1, "S006",
                             f"'{key}.confidence' must be one of: {', '.join(CONFIDENCES)}", "confidence: medium"))
    if texts["evidence_source"] and texts["evidence_source"] not in EVIDENCE_SOURCES:
        found.append(problem(rel, parts["evidence_source"].start_mark.line + 1, "S006",
                             f"'{key}.evidence_source' must be 'row' (evidence from an import row) or absent "
                             "(evidence quotes the raw text)", "evidence_source: row"))
    if len(found) > before:
        return None
    return MetaField(texts["value"] or "", texts["evidence"] or "", texts["confidence"] or "", texts["note"] or "",
                     texts["evidence_source"] or "")


def _parts(node, rel: str, key: str, found: list[str]) -> dict:
    parts = {}
    for k, v in node.value:
        name = k.value if isinstance(k, yaml.ScalarNode) else ""
        line = k.start_mark.line + 1
        if name not in META_KEYS:
            found.append(problem(rel, line, "S007", f"unknown key '{key}.{name}'; known: {', '.join(META_KEYS)}"))
        elif name in parts:
            found.append(problem(rel, line, "S008", f"key '{key}.{name}' appears twice", "keep one line per key"))
        else:
            parts[name] = v
    return parts
