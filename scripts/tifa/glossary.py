"""Glossary stage: load seeds/glossary/<slug>.yml, validate, and return entries plus problems.

Field rules live in one table, `FIELDS`. The validator walks it, `json_schema()` turns it into
schema/glossary-entry.schema.json (editors check entries while typing), and CONTRIBUTING.md
documents the codes in `CODES`. Problems read like tldr-lint's:

    seeds/glossary/si-ge-yi-shi.yml:7: G004 'pinyin' must be a non-empty string — e.g. pinyin: sì gè yìshí

Every file is checked and every problem collected; the caller decides to exit non-zero.
"""
from __future__ import annotations

import difflib
import importlib.util
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import yaml

from . import limits, yamlsafe

# ---------------------------------------------------------------------------------------------
# Codes: stable, documented in CONTRIBUTING.md (a test checks every code used here is there).
CODES = {
    "G001": "file is not valid UTF-8",
    "G002": "malformed YAML",
    "G003": "top level is not a mapping",
    "G004": "value has the wrong type or is empty",
    "G005": "required field is missing",
    "G006": "unknown key",
    "G007": "value is not one of the allowed choices",
    "G008": "date is not a quoted YYYY, YYYY-MM or YYYY-MM-DD",
    "G009": "file name is not a valid slug",
    "G010": "slug collides with a generated page name",
    "G011": "the same term is used by two entries",
    "G012": "the same alias is used by two entries",
    "G013": "an alias is another entry's term",
    "G014": "related entry does not exist",
    "G015": "related entry points to the entry itself",
    "G016": "the same key appears twice",
    "G017": "superseded_by is missing, dangling, or given with a status that has no successor",
    "G018": "summary or definition talks about seed files or the corpus",
    "G021": "file is larger than 64 KiB",
    "G022": "YAML anchors or aliases, or nesting too deep",
    "G023": "value or list is longer than its limit",
    "G024": "term or alias cannot be linked safely (too short, no letter, invisible characters)",
    "G025": "file is not a regular .yml file (symbolic link, .yaml, other kind)",
}

CATEGORIES = {  # key: (zh, en) display names, in display order
    "slogan": ("提法", "Slogans and formulas"),
    "policy": ("政策", "Policy terms"),
    "campaign": ("专项行动", "Campaigns"),
    "discipline": ("党纪", "Party discipline and anti-corruption"),
    "institution": ("机构与制度", "Institutions and procedures"),
    "local": ("地方提法", "Local slogans"),
    "phrase": ("成语典故", "Idioms, allusions and set phrases"),
}
STATUSES = ("current", "concluded", "superseded", "renamed")
SUCCEEDED = ("superseded", "renamed")  # the statuses that need `superseded_by`
# Who an English rendering comes from, in order of preference (CONTRIBUTING.md explains each).
ENGLISH_KINDS = ("official", "term-bank", "media", "reference", "own")
RESERVED_SLUGS = ("index", "candidates")  # pages glossary_pages generates next to the entries
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DATE_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
URL_PATTERN = r"^https?://[^\s]+$"


# ---------------------------------------------------------------------------------------------
# The schema table.
@dataclass(frozen=True)
class Field:
    """One key of a mapping. `kind`: text | enum | date | slug | url | list | map."""
    name: str
    kind: str
    required: bool
    example: str  # a correct YAML line, shown after "e.g." in problems
    description: str
    choices: tuple[str, ...] = ()
    item: Field | None = None  # for lists
    fields: tuple[Field, ...] = ()  # for maps and for lists of maps
    min_items: int = 0


def _text(name, required, example, description):
    return Field(name, "text", required, example, description)


def _bilingual(name, example, description):
    parts = (_text("zh", True, f"zh: {example}", "Chinese"), _text("en", True, "en: …", "English"))
    return Field(name, "map", True, f"{name}: {{zh: {example}, en: …}}", description, fields=parts)


def _text_list(name, example, description, kind="text"):
    item = Field(name, kind, True, example, description)
    return Field(name, "list", False, f"{name}: [{example}]", description, item=item)


_UNVERIFIED = _text("unverified", False, 'unverified: "not found in the official text"',
                    "What could not be checked (used when no url was found).")

FIELDS: tuple[Field, ...] = (
    _text("term", True, "term: 四个意识", "The term in simplified characters, as it appears in speeches."),
    _text("traditional", True, "traditional: 四個意識", "The term in traditional characters."),
    _text("pinyin", False, "pinyin: sì gè yìshí", "Pinyin with tone marks; generated when absent."),
    Field("english", "list", True, "english: [{text: the Four Consciousnesses, source: Xinhua, kind: media}]",
          "English renderings, preferred first, each with who uses it.", min_items=1,
          item=Field("english", "map", True, "- {text: the Four Consciousnesses, source: Xinhua, kind: media}", "",
                     fields=(_text("text", True, "text: the Four Consciousnesses", "The rendering."),
                             _text("source", True, "source: Xinhua", "Who uses this rendering, by name."),
                             Field("kind", "enum", True, "kind: media", "official | term-bank | media | "
                                   "reference | own (Tifa's own rendering).", choices=ENGLISH_KINDS),
                             Field("url", "url", False, "url: https://…", "Where the rendering was found.")))),
    Field("category", "enum", True, "category: slogan", "Kind of term.", choices=tuple(CATEGORIES)),
    _text("scope", True, "scope: national", '"national", or the place where the term is used.'),
    _bilingual("summary", "增强政治意识、大局意识、核心意识、看齐意识", "One line, shown in tooltips and the index."),
    _bilingual("definition", "……", "A fuller definition, about the term itself (never about seed files)."),
    Field("status", "enum", True, "status: current", "Whether the term is still in use.", choices=STATUSES),
    Field("superseded_by", "slug", False, "superseded_by: shi-si-wu",
          "Slug of the entry that replaced this one; required with status superseded or renamed."),
    Field("history", "list", False, 'history: [{date: "2024-07", zh: …, en: …}]', "Dated wording changes.",
          item=Field("history", "map", True, '- {date: "2024-07", zh: …, en: …}', "",
                     fields=(Field("date", "date", True, 'date: "2024-07"', "YYYY, YYYY-MM or YYYY-MM-DD, quoted."),
                             _text("zh", True, "zh: 改称“保交房”。", "Chinese"),
                             _text("en", True, "en: Renamed …", "English")))),
    _text_list("components", "政治意识", "The parts a numbered formula stands for."),
    _text_list("aliases", "四种意识", "Other spellings linked to this entry."),
    _text_list("related", "si-ge-zi-xin", "Slugs (file names) of related entries.", kind="slug"),
    _text_list("negative_contexts", "四个意识形态", "Longer strings containing the term where it is not the term."),
    Field("first_use", "map", False, 'first_use: {date: "2016-01", document: …}', "Earliest known use, with its source.",
          fields=(Field("date", "date", True, 'date: "2016-01"', "YYYY, YYYY-MM or YYYY-MM-DD, quoted."),
                  _text("document", True, "document: 中央政治局会议", "Where it was first used."),
                  Field("url", "url", False, "url: https://…", "Where the first use was found."),
                  _UNVERIFIED)),
    Field("sources", "list", False, 'sources: [{title: …, date: "2016-01-29", url: https://…}]',
          "Where the definition comes from.", item=Field("sources", "map", True, "- {title: …}", "",
                                    fields=(_text("title", True, "title: 人民日报评论员文章", "Title."),
                                            _text("issuer", False, "issuer: 新华社", "Who published it."),
                                            Field("date", "date", False, 'date: "2016-01-29"', "Date."),
                                            Field("url", "url", False, "url: https://…", "Address."),
                                            _UNVERIFIED))),
)


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    code: str
    message: str
    example: str = ""

    def __str__(self) -> str:
        tail = f" — e.g. {self.example}" if self.example else ""
        return f"{self.path}:{self.line}: {self.code} {self.message}{tail}"


class Rendering(NamedTuple):
    """One English rendering; `kind` is one of ENGLISH_KINDS ("own" = Tifa's own)."""
    text: str
    source: str
    kind: str = "own"
    url: str = ""


@dataclass(frozen=True)
class Entry:
    slug: str
    term: str
    traditional: str
    pinyin: str
    english: tuple[Rendering, ...]  # preferred first
    category: str
    scope: str
    summary: dict
    definition: dict
    status: str = "current"
    components: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    first_use: dict | None = None
    sources: tuple[dict, ...] = ()
    negative_contexts: tuple[str, ...] = ()
    path: str = ""
    pinyin_search: str = field(default="")
    superseded_by: str = ""
    history: tuple[dict, ...] = ()

    def __post_init__(self):
        if not self.pinyin_search:
            object.__setattr__(self, "pinyin_search", toneless(self.pinyin))

    @property
    def keys(self) -> tuple[str, ...]:
        """Surfaces linked to this entry: the term, then its aliases."""
        return (self.term, *self.aliases)


def toneless(pinyin: str) -> str:
    """Search form of pinyin.

    >>> toneless("sì gè yìshí"), toneless("Lǜsè fāzhǎn")
    ('sigeyishi', 'lusefazhan')
    """
    bare = "".join(c for c in unicodedata.normalize("NFD", pinyin) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", bare.lower())


def jieba_module():
    """jieba, imported where it is used (a rebuild that cuts no words does not pay the 0.1 s its
    import costs) and quiet: its dictionary-loading chatter is not the user's business."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def jieba_folder() -> Path:
    """jieba's package folder, found without importing it."""
    return Path(importlib.util.find_spec("jieba").origin).parent


def generate_pinyin(term: str) -> str:
    """Tone-marked pinyin, syllables of one jieba word written together."""
    from pypinyin import Style, pinyin

    words = jieba_module().lcut(term)
    return " ".join("".join(s[0] for s in pinyin(w, style=Style.TONE)) for w in words if w.strip())


# ---------------------------------------------------------------------------------------------
# Checking one file.
_STR = "tag:yaml.org,2002:str"


def _line(node) -> int:
    return node.start_mark.line + 1


class _File:
    """Problems of one file, with its path."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def add(self, line, code, message, example=""):
        self.problems.append(Problem(self.path, line, code, message, example))


def _check_scalar(f: Field, node, where: str, out: _File):
    if not isinstance(node, yaml.ScalarNode) or node.tag != _STR or not node.value.strip():
        if f.kind == "date" and isinstance(node, yaml.ScalarNode) and node.value:
            out.add(_line(node), "G008", f"'{where}' must be a quoted date YYYY, YYYY-MM or YYYY-MM-DD", f.example)
        else:
            out.add(_line(node), "G004", f"'{where}' must be a non-empty string", f.example)
        return None
    value = node.value
    if f.kind == "enum" and value not in f.choices:
        out.add(_line(node), "G007", f"'{where}' must be one of: {', '.join(f.choices)}", f.example)
        return None
    if f.kind == "date" and not re.match(DATE_PATTERN, value):
        out.add(_line(node), "G008", f"'{where}' must be YYYY, YYYY-MM or YYYY-MM-DD", f.example)
        return None
    if f.kind == "url" and not re.match(URL_PATTERN, value):
        out.add(_line(node), "G004", f"'{where}' must be an http(s) address", f.example)
        return None
    return value


def _check_list(f: Field, node, where: str, out: _File):
    if not isinstance(node, yaml.SequenceNode) or len(node.value) < f.min_items:
        wanted = "a non-empty list" if f.min_items else "a list"
        out.add(_line(node), "G004", f"'{where}' must be {wanted}", f.example)
        return None
    values = [_check(f.item, item, f"{where}[{i}]", out) for i, item in enumerate(node.value)]
    return None if None in values else values


def _check_map(fields, node, where: str, out: _File, example: str):
    if not isinstance(node, yaml.MappingNode):
        out.add(_line(node), "G004", f"'{where}' must be a mapping", example)
        return None
    by_name = {f.name: f for f in fields}
    values, ok = {}, True
    for key, value in node.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else str(key.value)
        dotted = f"{where}.{name}" if where else name
        if name not in by_name:
            close = difflib.get_close_matches(name, by_name, n=1)
            out.add(_line(key), "G006", f"unknown key '{dotted}'; allowed: {', '.join(by_name)}",
                    by_name[close[0]].example if close else "")
            ok = False
        elif name in values:
            out.add(_line(key), "G016", f"key '{dotted}' appears twice", "keep one line per key")
            ok = False
        else:
            values[name] = _check(by_name[name], value, dotted, out)
            ok = ok and values[name] is not None
    for f in fields:
        if f.required and f.name not in values:
            dotted = f"{where}.{f.name}" if where else f.name
            out.add(_line(node) if where else 1, "G005", f"'{dotted}' is required", f.example)
            ok = False
    return values if ok else None


def _check(f: Field, node, where: str, out: _File):
    """The checked plain value of `node`, or None after recording problems."""
    if f.kind == "list":
        return _check_list(f, node, where, out)
    if f.kind == "map":
        return _check_map(f.fields, node, where, out, f.example)
    return _check_scalar(f, node, where, out)


def _compose(raw: bytes, out: _File):
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        out.add(line, "G001", "file must be saved as UTF-8", "in your editor: Save with Encoding → UTF-8")
        return None
    try:
        return yamlsafe.compose(text.lstrip("\ufeff"))
    except yamlsafe.UnsafeYaml as error:
        out.add(error.line, "G022", error.reason, "write each value out in full, nested at most "
                f"{limits.YAML_DEPTH} levels")
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        out.add(mark.line + 1 if mark else 1, "G002", f"malformed YAML: {reason}",
                "quote values that contain ': ' or start with a special character, term: \"…\"")
        return None


def check_file(raw: bytes, path: str, slug: str):
    """(values, node, problems) for one file; values is None when the file has problems."""
    out = _File(path)
    if not re.match(SLUG_PATTERN, slug):
        out.add(1, "G009", f"file name '{slug}' must be lowercase pinyin words joined by '-'",
                "seeds/glossary/si-ge-yi-shi.yml")
    elif slug in RESERVED_SLUGS:
        out.add(1, "G010", f"file name '{slug}' is reserved for a generated page",
                "name the file after the term's pinyin, seeds/glossary/si-ge-yi-shi.yml")
    if len(raw) > limits.YAML_FILE_BYTES:
        out.add(1, "G021", f"file is {len(raw):,} bytes; the limit is {limits.YAML_FILE_BYTES:,}",
                "one term per file, definitions of a few paragraphs")
        return None, None, out.problems
    before = len(out.problems)
    node = _compose(raw, out)
    if len(out.problems) > before:  # G001 or G002: nothing more can be said about this file
        return None, None, out.problems
    if not isinstance(node, yaml.MappingNode):
        out.add(_line(node) if node else 1, "G003", "the file must be a mapping of fields", "term: 四个意识")
        return None, None, out.problems
    values = _check_map(FIELDS, node, "", out, "")
    _limit_problems(node, (), out)
    _surface_problems(node, out)
    return (values if not out.problems else None), node, out.problems


# ---------------------------------------------------------------------------------------------
# Hostile or careless values: sizes and surfaces that would link everywhere.
def _limit_problems(node, keys: tuple[str, ...], out: _File) -> None:
    """G023 for every text value longer than its limit and every list with too many items.

    A value's limit is its key's (`term`, `text`) or, inside a bilingual mapping, its parent's
    (`summary.en` → `summary`).
    """
    where = ".".join(keys)
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            _limit_problems(v, (*keys, k.value if isinstance(k, yaml.ScalarNode) else "?"), out)
    elif isinstance(node, yaml.SequenceNode):
        if len(node.value) > limits.GLOSSARY_LIST_ITEMS:
            out.add(_line(node), "G023", f"'{where}' has {len(node.value)} items; the limit is "
                    f"{limits.GLOSSARY_LIST_ITEMS}")
        for item in node.value:
            _limit_problems(item, keys, out)
    elif isinstance(node, yaml.ScalarNode):
        table = limits.GLOSSARY_TEXT
        limit = next((table[k] for k in reversed(keys[-2:]) if k in table), table["*"])
        if len(node.value) > limit:
            out.add(_line(node), "G023", f"'{where}' has {len(node.value):,} characters; the limit is {limit:,}")


_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def surface_key(text: str) -> str:
    """The form two surfaces are compared in: NFKC, without spaces or invisible characters.

    >>> surface_key("放管服 ") == surface_key("放\u200b管服") == surface_key("放管服")
    True
    """
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def surface_problem(text: str) -> str | None:
    """Why `text` cannot be a term or alias, or None.

    >>> surface_problem("的"), surface_problem("。。"), surface_problem("放管服 "), surface_problem("放管服")
    ('has fewer than 2 characters', 'has no letter (Chinese or Latin)', 'has spaces or invisible characters at its ends or inside', None)
    """
    if len(text.strip()) < limits.SURFACE_MIN_CHARS:
        return f"has fewer than {limits.SURFACE_MIN_CHARS} characters"
    if not any(c.isalpha() for c in text):
        return "has no letter (Chinese or Latin)"
    if text != text.strip() or any(unicodedata.category(c) in ("Cf", "Zl", "Zp") for c in text) \
            or re.search(r"[\u3000\t\n]", text):
        return "has spaces or invisible characters at its ends or inside"
    return None


def _surface_problems(node, out: _File) -> None:
    term = _get(node, "term")
    surfaces = [("term", term)] if isinstance(term, yaml.ScalarNode) else []
    aliases = _get(node, "aliases")
    if isinstance(aliases, yaml.SequenceNode):
        surfaces += [(f"aliases[{i}]", a) for i, a in enumerate(aliases.value) if isinstance(a, yaml.ScalarNode)]
    for where, value in surfaces:
        why = surface_problem(value.value) if value.value else None
        if why:
            out.add(_line(value), "G024", f"'{where}' {why}: it would be linked wherever it occurs",
                    "term: 放管服")


# ---------------------------------------------------------------------------------------------
# Checks across files.
def _value_lines(node) -> dict:
    """Line of each top-level key's value, and of each item in a top-level list."""
    lines = {}
    for key, value in node.value:
        lines[key.value] = _line(value)
        if isinstance(value, yaml.SequenceNode):
            for i, item in enumerate(value.value):
                lines[(key.value, i)] = _line(item)
    return lines


def _cross_check(drafts, repo_root: Path | None = None) -> list[Problem]:
    """drafts: (slug, path, values, node) for files that parsed; values may be partial (None)."""
    problems = []
    slugs = {slug for slug, *_ in drafts}
    term_owner, alias_owner = {}, {}
    by_term: dict[str, list] = {}
    for slug, path, values, node in drafts:
        term = _plain(node, "term")
        if term:
            by_term.setdefault(surface_key(term), []).append((path, node, term))
    for claims in by_term.values():
        owner, newcomers = _oldest(claims, repo_root)
        for path, node, term in claims:
            term_owner[surface_key(term)] = owner
        for path, node, term in newcomers:
            problems.append(Problem(path, _value_lines(node)["term"], "G011",
                                    f"term '{term}' is already used by {_others(claims, path)}",
                                    "add it as an alias there, or edit that entry instead"))
    for slug, path, values, node in drafts:
        lines = _value_lines(node)
        for i, alias in enumerate(_plain_list(node, "aliases")):
            alias = surface_key(alias)
            if alias in term_owner and term_owner[alias] != path:
                problems.append(Problem(path, lines[("aliases", i)], "G013",
                                        f"alias '{alias}' is the term of {term_owner[alias]}",
                                        "use related: [other-slug] instead"))
            elif alias in alias_owner and alias_owner[alias] != path:
                problems.append(Problem(path, lines[("aliases", i)], "G012",
                                        f"alias '{alias}' is already an alias of {alias_owner[alias]}",
                                        "keep the alias in one entry only"))
            else:
                alias_owner.setdefault(alias, path)
        for i, other in enumerate(_plain_list(node, "related")):
            if other == slug:
                problems.append(Problem(path, lines[("related", i)], "G015",
                                        f"related entry '{other}' is this entry itself", "related: [si-ge-zi-xin]"))
            elif other not in slugs:
                problems.append(Problem(path, lines[("related", i)], "G014",
                                        f"related entry '{other}' does not exist (no seeds/glossary/{other}.yml)",
                                        "related: [si-ge-zi-xin]"))
    return problems


def _oldest(claims: list, repo_root: Path | None) -> tuple[str | None, list]:
    """(owner path, claims to blame) among files that claim one term.

    The file git has known longest keeps the term and the newer ones are blamed, so a pull
    request that adds a duplicate is told about its own file. Where git cannot tell (no
    repository, or both added in one commit) every file is blamed, each naming the others.
    """
    if len(claims) == 1:
        return claims[0][0], []
    ages = {path: _added_at(path, repo_root) for path, _, _ in claims}
    oldest = min(ages.values())
    owners = [path for path, age in ages.items() if age == oldest]
    if oldest == float("inf") or len(owners) > 1:
        return None, claims
    return owners[0], [c for c in claims if c[0] != owners[0]]


def _added_at(path: str, repo_root: Path | None) -> float:
    """Commit time at which git first saw `path` (inf when untracked or unknown)."""
    import subprocess

    try:
        out = subprocess.run(["git", "log", "--diff-filter=A", "--format=%ct", "--", path], cwd=repo_root,
                             capture_output=True, text=True, timeout=20).stdout.split() if repo_root else []
    except (OSError, subprocess.SubprocessError):
        return float("inf")
    return float(out[-1]) if out else float("inf")


def _others(claims: list, path: str) -> str:
    return ", ".join(p for p, _, _ in claims if p != path)


def _get(node, name):
    for key, value in node.value:
        if key.value == name:
            return value
    return None


def _plain(node, name) -> str | None:
    value = _get(node, name)
    ok = isinstance(value, yaml.ScalarNode) and value.tag == _STR and value.value.strip()
    return value.value if ok else None


def _plain_list(node, name) -> list[str]:
    value = _get(node, name)
    if not isinstance(value, yaml.SequenceNode):
        return []
    return [v.value if isinstance(v, yaml.ScalarNode) else "" for v in value.value]


# ---------------------------------------------------------------------------------------------
# Checks of content: succession (G017) and definitions that talk about seed files (G018).
SEED_TALK = re.compile(r"(?i)\bseeds?\s*(?:\d|files?\b|texts?\b)|seeds/|种子\s*(?:文本|文件|\d)|本语料|语料中"
                       r"|\b(?:this|the|our) corpus\b")


def seed_talk(text: str) -> str | None:
    """The first phrase of `text` that refers to seed files or the corpus, if any.

    >>> seed_talk("In seed 000 the mayor …"), seed_talk("种子文本002回顾"), seed_talk("Set out in 2016.")
    ('seed 0', '种子文本', None)
    """
    found = SEED_TALK.search(text)
    return found.group(0) if found else None


def _succession_problems(slug, path, node, slugs) -> list[Problem]:
    status, successor = _plain(node, "status"), _plain(node, "superseded_by")
    line = _value_lines(node).get("superseded_by") or _value_lines(node).get("status", 1)
    example = "status: superseded + superseded_by: shi-si-wu"
    if status in SUCCEEDED and not successor:
        return [Problem(path, line, "G017", f"status '{status}' needs superseded_by (the entry that replaced it)",
                        example)]
    if successor and status not in SUCCEEDED:
        return [Problem(path, line, "G017", f"superseded_by goes only with status {' or '.join(SUCCEEDED)}",
                        example)]
    if successor == slug:
        return [Problem(path, line, "G017", "superseded_by names this entry itself", "superseded_by: shi-si-wu")]
    if successor and successor not in slugs:
        return [Problem(path, line, "G017", f"superseded_by '{successor}' does not exist "
                        f"(no seeds/glossary/{successor}.yml)", "superseded_by: shi-si-wu")]
    return []


def _seed_talk_problems(path, node) -> list[Problem]:
    problems = []
    for name in ("summary", "definition"):
        value = _get(node, name)
        for key, text in (value.value if isinstance(value, yaml.MappingNode) else ()):
            said = seed_talk(text.value) if isinstance(text, yaml.ScalarNode) else None
            if said:
                problems.append(Problem(path, _line(text), "G018",
                                        f"'{name}.{key.value}' talks about the corpus ('{said}'); define the term "
                                        "itself — the entry page lists the speeches that use it",
                                        "zh: 2016年1月中央政治局会议提出……"))
    return problems


def content_problems(drafts) -> list[Problem]:
    """G017 and G018 for every parsed file; the entries stay in the build."""
    slugs = {slug for slug, *_ in drafts}
    problems = []
    for slug, path, _values, node in drafts:
        problems += _succession_problems(slug, path, node, slugs) + _seed_talk_problems(path, node)
    return problems


# ---------------------------------------------------------------------------------------------
def to_entry(slug: str, path: str, v: dict) -> Entry:
    return Entry(
        slug=slug, term=v["term"], traditional=v["traditional"],
        pinyin=v.get("pinyin") or generate_pinyin(v["term"]),
        english=tuple(Rendering(e["text"], e["source"], e["kind"], e.get("url", "")) for e in v["english"]),
        category=v["category"], scope=v["scope"], summary=dict(v["summary"]),
        definition=dict(v["definition"]), status=v["status"],
        components=tuple(v.get("components") or ()), aliases=tuple(v.get("aliases") or ()),
        related=tuple(v.get("related") or ()), first_use=v.get("first_use"),
        sources=tuple(v.get("sources") or ()), negative_contexts=tuple(v.get("negative_contexts") or ()),
        path=path, superseded_by=v.get("superseded_by", ""), history=tuple(v.get("history") or ()),
    )


def _relative(file: Path, repo_root: Path) -> str:
    try:
        return file.resolve().relative_to(repo_root.resolve()).as_posix()
    except ValueError:
        return file.as_posix()


def _entry_files(directory: Path, repo_root: Path) -> tuple[list[Path], list[Problem]]:
    """The regular .yml files of the glossary, and G025 for anything that would be ignored or
    read from outside the repository (a symbolic link)."""
    files, problems = [], []
    for file in sorted(directory.iterdir()) if directory.exists() else ():
        path = _relative(file.parent, repo_root) + "/" + file.name
        if file.name.startswith("."):
            continue
        if file.is_symlink():
            problems.append(Problem(path, 1, "G025", "symbolic links are not read", "copy the entry into the file"))
        elif file.suffix == ".yaml":
            problems.append(Problem(path, 1, "G025", "glossary entries end in .yml, not .yaml",
                                    f"seeds/glossary/{file.stem}.yml"))
        elif file.suffix != ".yml" or not file.is_file():
            problems.append(Problem(path, 1, "G025", "only <slug>.yml files belong in seeds/glossary",
                                    "seeds/glossary/si-ge-yi-shi.yml"))
        else:
            files.append(file)
    return files, problems


def load_glossary(directory: Path, repo_root: Path) -> tuple[list[Entry], list[Problem]]:
    """Entries (sorted by slug) and every problem found in any file.

    A file with a problem of its own (G001–G010, G016) or a claim on another entry's surface
    (G011–G013) gives no entry; G014/G015 are reported but keep the entry.
    """
    entries, problems, drafts = [], [], []
    files, problems = _entry_files(Path(directory), repo_root)
    for file in files:
        path, slug = _relative(file, repo_root), file.stem
        values, node, found = check_file(file.read_bytes(), path, slug)
        problems += found
        if isinstance(node, yaml.MappingNode):
            drafts.append((slug, path, values, node))
        if values is not None:
            entries.append(to_entry(slug, path, values))
    crossed = _cross_check(drafts, repo_root) + content_problems(drafts)
    # A surface claimed twice would link ambiguously, so those files are left out; a dangling
    # or self `related` (G014, G015) only loses a link, so the entry stays in the build.
    spoiled = {p.path for p in crossed if p.code in ("G011", "G012", "G013")}
    problems += crossed
    problems.sort(key=lambda p: (p.path, p.line, p.code))
    return [e for e in entries if e.path not in spoiled], problems


# ---------------------------------------------------------------------------------------------
# JSON Schema, generated from FIELDS (schema/glossary-entry.schema.json; drift-checked by a test).
def _field_schema(f: Field) -> dict:
    if f.kind == "list":
        schema = {"type": "array", "items": _field_schema(f.item)}
        if f.min_items:
            schema["minItems"] = f.min_items
    elif f.kind == "map":
        schema = _object_schema(f.fields)
    elif f.kind == "enum":
        schema = {"type": "string", "enum": list(f.choices)}
    elif f.kind == "date":
        schema = {"type": "string", "pattern": DATE_PATTERN}
    elif f.kind == "slug":
        schema = {"type": "string", "pattern": SLUG_PATTERN}
    elif f.kind == "url":
        schema = {"type": "string", "pattern": URL_PATTERN}
    else:
        schema = {"type": "string", "minLength": 1, "pattern": r"\S"}
    if f.description:
        schema = {"description": f.description, **schema}
    return schema


def _object_schema(fields) -> dict:
    return {
        "type": "object",
        "properties": {f.name: _field_schema(f) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def json_schema() -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "glossary-entry.schema.json",
        "title": "Tifa glossary entry (seeds/glossary/<slug>.yml)",
        "description": "Generated from FIELDS in scripts/tifa/glossary.py; see CONTRIBUTING.md.",
        **_object_schema(FIELDS),
        "if": {"properties": {"status": {"enum": list(SUCCEEDED)}}, "required": ["status"]},  # G017
        "then": {"required": ["superseded_by"]},
    }


def json_schema_text() -> str:
    import json

    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # python scripts/tifa/glossary.py > schema/glossary-entry.schema.json
    print(json_schema_text(), end="")
