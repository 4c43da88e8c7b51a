"""Emit: Markdown pages from speeches (pure rendering), then one atomic write into docs/.

Rendering builds every page in memory; `write_outputs` writes only files whose content changed
(so `mkdocs serve` does not rebuild forever) and only after everything rendered, so a failed
build leaves the previous output intact.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from . import cite
from .cache import outputs_state
from .clean import REVIEW_MARK
from .markdown import attr, code, escape, front_matter, inert, link
from .model import Block, Speech
from .structure import masked_length, redactions as structure_redactions

GENERATED = ("docs/speeches", "docs/glossary", "docs/search", "docs/data", "docs/trends", "docs/tags.md", "build")

META_LABELS = {
    "speaker_role": "讲话人 · Speaker",
    "level": "行政级别 · Level",
    "place": "地点 · Place",
    "date": "日期 · Date",
    "occasion": "场合 · Occasion",
    "source": "来源网站 · Source website",
}


def redaction_html(mask: str) -> str:
    n = masked_length(mask)
    label = (f"原文遮蔽 {n} 字 · {n} character{'s' if n > 1 else ''} masked in the source" if n
             else "原文遮蔽，字数不详 · masked in the source, length unknown")
    data = f' data-masked="{n}"' if n else ""
    return f'<span class="tifa-mask" title="{attr(label)}"{data}>{escape(mask)}</span>'


def render_inline(text: str, redactions=(), matches=(), term_link=None) -> str:
    """Escaped Markdown for `text`, with redaction marks and glossary links.

    `matches` are linker matches (start, end, slug) that never overlap a redaction;
    `term_link(match, label_md)` returns the link for one match (Markdown or HTML).
    """
    spans = sorted([(s, e, "mask", None) for s, e in redactions] +
                   [(m.start, m.end, "term", m) for m in matches if term_link], key=lambda x: x[0])
    out, pos = [], 0
    for start, end, kind, match in spans:
        if start < pos:
            continue
        out.append(escape(text[pos:start]))
        piece = text[start:end]
        out.append(redaction_html(piece) if kind == "mask" else term_link(match, escape(piece)))
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def table_html(head: list[str], rows: list[list[str]], align: tuple[str, ...] = ()) -> str:
    """An HTML table as Python-Markdown writes a Markdown one; cells are HTML already escaped.
    `align`: each column's text-align ("left", "center", "right"; "" or missing: none)."""
    return table_html_rows(head, [table_row(row, align) for row in rows], align)


def _cell_tags(tag: str, columns: int, align: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(f'<{tag} style="text-align: {a};">' if a else f"<{tag}>", f"</{tag}>")
            for a in (list(align) + [""] * (columns - len(align)))]


def table_row(cells: list[str], align: tuple[str, ...] = ()) -> str:
    """One body row of `table_html` (rows can be made apart, e.g. cached with their speech)."""
    return "\n".join(["<tr>", *(o + cell + c for (o, c), cell in zip(_cell_tags("td", len(cells), align), cells)),
                      "</tr>"])


def table_html_rows(head: list[str], rows: list[str], align: tuple[str, ...] = ()) -> str:
    """`table_html` of rows already made by `table_row`."""
    th = _cell_tags("th", len(head), align)
    out = ["<table>", "<thead>", "<tr>", *(o + h + c for (o, c), h in zip(th, head)), "</tr>", "</thead>", "<tbody>"]
    return "\n".join(out + rows + ["</tbody>", "</table>"])


def page_url(folder: str, slug: str, anchor: str = "") -> str:
    """The URL of a generated page from a page one folder deep (speeches/<slug>/ or
    glossary/<slug>/), for links inside HTML blocks, which MkDocs does not rewrite: MkDocs's
    directory URLs, as the pager's."""
    return f"../../{folder}/{quote(slug)}/" + (f"#{anchor}" if anchor else "")


def meta_table(speech: Speech) -> str:
    rows = []
    for key, label in META_LABELS.items():
        f = speech.meta.get(key)
        if not f:
            continue
        evidence = f"“{escape(f.evidence)}”" if f.evidence else ""
        if f.confidence:
            evidence += f" <small>（可信度 confidence: {escape(f.confidence)}）</small>"
        if f.note:
            evidence += f' <small lang="en">{escape(f.note)}</small>'
        rows.append([label, escape(f.value), evidence])
    rows.append(["字数 · Length", f"{speech.char_count:,} 字 characters", ""])
    rows.append(["原文 · Raw text", code(speech.source_path), ""])
    return table_html(["项目 · Field", "内容 · Value", "依据 · Evidence"], rows)


def _details(kind: str, summary: str, body: str, open_: bool = False) -> str:
    """A collapsible block (pymdownx.details) with `body` indented under it."""
    lines = [f'{"???+" if open_ else "???"} {kind} "{summary}"', ""]
    lines += [f"    {line}" if line else "" for line in body.split("\n")]
    return "\n".join(lines)


def details_html(kind: str, summary: str, body: str) -> str:
    """A collapsed block as pymdownx.details writes one, as one HTML block (`body` is HTML):
    the three under every speech cost Python-Markdown nearly half of a speech page's time."""
    return f'<details class="{kind}">\n<summary>{summary}</summary>\n{body}\n</details>'


def removal_note(speech: Speech) -> str:
    """A collapsed list of every span cleaning removed, so readers can audit it (HTML)."""
    removals = sorted((r for r in speech.removals if r.text.strip()), key=lambda r: r.start)
    layout = [r for r in speech.removals if not r.text.strip()]
    parts = []
    if not removals:
        parts.append("<p>网站未添加需删除的内容。 · Nothing the website added needed removing.</p>")
    else:
        parts.append(table_html(["规则 · Rule", "删除的文字 · Removed text"],
                                [[code(r.rule), escape(r.text.strip())] for r in removals]))
    parts += _page_elements(speech) + _to_review(speech)
    chars = sum(len(r.text) for r in layout)
    parts.append(f"<p>另删除空白与断行 {chars} 处字符 · Also removed: {chars} characters of whitespace "
                 "and mid-sentence line breaks. Half-width punctuation in Chinese text was made full-width. "
                 f"The raw text is kept unchanged at {code(speech.source_path)}.</p>")
    return details_html("note", f"清理记录 · What cleaning removed from the raw text ({len(removals)} spans)",
                        "\n".join(parts))


def _page_elements(speech: Speech) -> list[str]:
    """What webpage.py dropped from a saved web page before the text rules ran."""
    mark = ": web page elements removed: "
    found = [w.split(mark, 1)[1] for w in speech.warnings if mark in w]
    return [f"<p>网页元素 · Web-page elements removed: {escape(found[0])}</p>"] if found else []


def _to_review(speech: Speech) -> list[str]:
    """Lines kept on weak evidence of boilerplate: shown so that a reader can judge them."""
    items = [w.split(REVIEW_MARK, 1) for w in speech.warnings if REVIEW_MARK in w]
    if not items:
        return []
    lines = [f"<p>待复核 · To review: {len(items)} line(s) kept, the evidence was too weak to remove them</p>",
             "<ul>"]
    lines += [f"<li>第{where.rsplit(':', 1)[1]}行 · line {where.rsplit(':', 1)[1]}: {escape(what)}</li>"
              for where, what in items]
    return lines + ["</ul>"]


def block_markdown(block: Block, matches, term_link, term_html=None) -> str:
    """A heading as Markdown (MkDocs makes the page's table of contents from it); a paragraph
    as one HTML block, `term_html(match, label)` giving each glossary link as HTML.

    Paragraphs are nearly all of a speech page, and Python-Markdown passes an HTML block through
    without its inline pass: a third less time for the page. The HTML is what Python-Markdown
    made of the Markdown form before (`<p class="tifa-p" id="…">`, numeric character references
    from `escape` kept as they are), and any Markdown engine passes it through unchanged."""
    if block.kind == "heading":
        body = render_inline(block.text, block.redactions, matches, term_link)
        return f"{'#' * block.level} {body} {{: #{block.anchor} }}"
    body = render_inline(block.text, block.redactions, matches, term_html)
    n = block.number
    number = (f'<a class="tifa-pn" href="#{block.anchor}" aria-label="第{n}段 · paragraph {n}" '
              f'title="第{n}段 · paragraph {n} — 点击引用 · click to cite">{n}</a>')
    return f'<p class="tifa-p" id="{block.anchor}">{number} {body}</p>'


def summary_line(speech: Speech) -> str:
    """Speaker · place · date · length: one line under the title."""
    bits = [escape(_meta(speech, k)) for k in ("speaker_role", "place", "date") if _meta(speech, k)]
    bits.append(f"{speech.char_count:,} 字")
    return f'<p class="tifa-summary">{" · ".join(bits)}</p>'


def outline(speech: Speech) -> str:
    """The headings as a nested list of links: the outline on screens without the sidebar."""
    headings = [b for b in speech.blocks if b.kind == "heading"]
    if not headings:
        return ""
    items, depth, levels = [], 0, []  # levels: the heading level open at each depth
    for b in headings:
        while levels and levels[-1] >= b.level:
            levels.pop()
        depth = len(levels)  # one deeper than the nearest shallower heading, never more
        levels.append(b.level)
        items.append(f"{'    ' * depth}- [{render_inline(b.text, b.redactions)}](#{b.anchor})")
    return '<div class="tifa-outline" markdown>\n\n' + _details(
        "abstract", f"提纲 · Outline ({len(headings)})", "\n".join(items)) + "\n\n</div>"


def tools(speech: Speech) -> str:
    """Cite and download links under the summary line; the Cite panel is filled by tifa-cite.js."""
    data = cite.templates(speech)
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    slug = quote(speech.slug)
    return "\n".join([
        '<p class="tifa-tools">'
        '<button type="button" class="md-button tifa-cite-button" data-tifa-cite>引用 · Cite</button> '
        f'<a class="md-button" href="../../data/speeches/{slug}.txt" download>文本 · .txt</a> '
        f'<a class="md-button" href="../../data/speeches/{slug}.json" download>数据 · .json</a></p>',
        f'<script type="application/json" id="tifa-cite-data">{payload}</script>'])


class Neighbour(NamedTuple):
    """What the pager shows of the previous or next speech: all a speech's page depends on of
    its neighbours (the build caches a page by these, not by the neighbours' whole text)."""
    slug: str
    title: str


def pager(previous: Neighbour | Speech | None, following: Neighbour | Speech | None) -> str:
    """Previous and next speech (by date), as a bilingual navigation bar."""
    def one(s: Neighbour | Speech | None, rel: str, label: str) -> str:
        if s is None:
            return '<span></span>'
        return (f'<a class="tifa-pager__{rel}" rel="{rel}" href="../{quote(s.slug)}/">'
                f'<small>{label}</small> <span>{attr(s.title)}</span></a>')
    return ('<nav class="tifa-pager" aria-label="上一篇/下一篇 · previous and next speech">'
            f'{one(previous, "prev", "← 上一篇 · Previous")}{one(following, "next", "下一篇 · Next →")}</nav>')


def term_list(terms) -> str:
    """The glossary terms of this speech, each a link to its entry (HTML links)."""
    if not terms:
        return ""
    body = '<p class="tifa-chips">' + " ".join(terms) + "</p>"
    return details_html("info", f"本篇提法 · Terms in this speech ({len(terms)})", body)


def citation_front(speech: Speech) -> list[str]:
    """Front-matter lines for overrides/main.html's Highwire tags: made `inert` like every front
    matter value (the one escaping path), then written as JSON strings (YAML scalars)."""
    return [f"{k}: {json.dumps(inert(v), ensure_ascii=False)}" for k, v in cite.highwire(speech).items()]


def _with_front(front: str, extra: list[str]) -> str:
    """`front` (a front-matter block) with `extra` lines added before its closing `---`."""
    head, sep, tail = front.rstrip("\n").rpartition("\n---")
    return "\n".join([head, *extra]) + sep + tail + "\n" if extra else front


def speech_page(speech: Speech, links=None, term_link=None, terms=(), neighbours=(None, None),
                term_html=None) -> str:
    """The whole Markdown page of one speech. `links` maps a block anchor to its linker matches,
    linked by `term_link` in headings (Markdown) and `term_html` in paragraphs (HTML);
    `terms` are HTML links to the speech's glossary entries; `neighbours` the previous and
    next speech by date."""
    title_en = speech.title_en
    description = f"{speech.title} — {title_en}" if title_en else speech.title
    front = _with_front(front_matter(speech.title, description), citation_front(speech))
    title = render_inline(speech.title, structure_redactions(speech.title))
    parts = [front, f"# {title}", ""]
    if title_en:
        parts += [f'<p class="tifa-subtitle" lang="en">{escape(title_en)}</p>', ""]
    parts += [summary_line(speech), "", tools(speech), ""]
    if outline(speech):
        parts += [outline(speech), ""]
    for block in speech.blocks:
        matches = (links or {}).get(block.anchor, ())
        matches = [m for m in matches if not _overlaps(m, block.redactions)]
        parts += [block_markdown(block, matches, term_link, term_html), ""]
    parts += [pager(*neighbours), ""]
    parts += [details_html("info", "元数据与依据 · Metadata and evidence", meta_table(speech)), ""]
    if terms:
        parts += [term_list(terms), ""]
    parts += [removal_note(speech), ""]
    return "\n".join(parts)


def _overlaps(match, spans) -> bool:
    return any(match.start < e and s < match.end for s, e in spans)


def by_date(speeches: list[Speech]) -> list[Speech]:
    """Reading order of the corpus: by date (undated last), then slug."""
    return sorted(speeches, key=lambda s: (_meta(s, "date") == "", _meta(s, "date"), s.slug))


LIST_COLUMNS = ("标题 · Title", "日期 · Date", "地点 · Place", "级别 · Level", "字数 · Characters")


def _list_row(s: Speech) -> str:
    en = f'<br><span class="tifa-en" lang="en">{escape(s.title_en)}</span>' if s.title_en else ""
    return (f"| {link(render_inline(s.title, structure_redactions(s.title)), f'{s.slug}.md')}{en} | "
            f"{escape(_meta(s, 'date'))} | {escape(_meta(s, 'place'))} | "
            f"{escape(_meta(s, 'level'))} | {s.char_count:,} |")


def speeches_index(speeches: list[Speech]) -> str:
    """All speeches in one table: sortable by each column and filtered by tifa-list.js."""
    header = "| " + " | ".join(LIST_COLUMNS) + " |"
    rows = [header, "|---|---|---|---|--:|"] + [_list_row(s) for s in by_date(speeches)]
    intro = (f"语料共 {len(speeches)} 篇讲话，按日期排列；点击表头排序。 · {len(speeches)} speeches, ordered "
             "by date; click a column heading to sort. Dates and places come from evidence in each text; "
             "see the metadata on each page.")
    box = ('<p class="tifa-filter"><label for="tifa-filter">筛选 · Filter</label> '
           '<input id="tifa-filter" type="search" autocomplete="off" '
           'placeholder="标题、地点、日期… · title, place, date…"> <output for="tifa-filter"></output></p>')
    return "\n".join([front_matter("讲话 · Speeches", "All speeches in the Tifa corpus"),
                      "# 讲话 · Speeches", "", intro, "", box, "",
                      '<div class="tifa-speech-list" markdown>', ""] + rows + ["", "</div>", ""])


def _meta(speech: Speech, key: str) -> str:
    f = speech.meta.get(key)
    return f.value if f else ""


STAGING = ".tifa-staging"  # beside docs/, outside what MkDocs watches; gitignored


def write_outputs(root: Path, files: dict[str, str | bytes], scope: tuple[str, ...] = GENERATED,
                  known: dict[str, tuple[int, int, bytes]] | None = None,
                  digests: dict[str, bytes] | None = None,
                  state: dict[str, tuple[int, int]] | None = None) -> list[str]:
    """Write `files` (repo-relative path → content) as a whole or not at all; drop stale files.

    Returns the paths that changed; when none did, nothing on disk is touched (so `mkdocs serve`
    settles). Otherwise every changed file is first written complete into a staging folder, and
    only then moved into place, file by file, each previous version kept aside until all are in.
    A failure while staging (a full disk, say) leaves the previous output exactly as it was and
    no temporary file anywhere; a failed move is rolled back. Unchanged files are not touched, so
    after one edit only a few files move, however large the site. `scope`: the generated folders
    `files` cover (only their stale files go).

    `known` ({path: (size, mtime_ns, sha256 digest)}, the files as the last build wrote them)
    spares reading 12,000 files back: a file whose size and modification time are still those
    is unchanged if its new content has that digest. `digests`, if given, receives the digest
    of every file (the next build's `known`, with the sizes and times the files then have); a
    digest it holds already is taken as that of the file's content (`site.render` gives those
    it made with the content, where hashing cost nothing on the critical path). `state`, if
    given, receives each file's (size, mtime_ns) as this call saw it hold that content: from
    before, for a file left as it was; from just after moving it in (under the lock), for one it
    wrote. So a build's record never pairs another writer's file time with this build's digest.
    """
    encoded = {rel: c.encode("utf-8") if isinstance(c, str) else c for rel, c in files.items()}
    _check_generated(encoded)
    if known is not None or digests is not None:
        digests = {} if digests is None else digests
        digests.update((rel, hashlib.sha256(data).digest()) for rel, data in encoded.items() if rel not in digests)
    now = outputs_state(root, scope) if known or state is not None else {}
    if known:
        same = lambda rel, data: (known.get(rel) == (*now.get(rel, ()), digests[rel])  # noqa: E731
                                  or _same(os.path.join(root, rel), data))
    else:
        same = lambda rel, data: _same(os.path.join(root, rel), data)  # noqa: E731
    changed = sorted(rel for rel, data in encoded.items() if not same(rel, data))
    stale = sorted(_existing(root, scope) - set(encoded))
    if state is not None:
        state.update((rel, now[rel]) for rel in set(encoded) - set(changed))  # as found, unchanged
    if not changed and not stale:
        return []
    staging = root / STAGING
    with _locked(root):  # one writer at a time (a manual build beside `mkdocs serve`, parallel tests)
        shutil.rmtree(staging, ignore_errors=True)
        try:
            _stage(staging, encoded, changed)
            _swap(root, staging, changed, stale)
            for rel in changed if state is not None else ():
                info = os.stat(os.path.join(root, rel))
                state[rel] = (info.st_size, info.st_mtime_ns)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return changed + stale


@contextmanager
def _locked(root: Path):
    (root / ".cache").mkdir(exist_ok=True)  # gitignored, like the build cache beside it
    with open(root / ".cache" / "write.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _check_generated(files: dict[str, bytes]) -> None:
    inside = tuple(f"{prefix}/" for prefix in GENERATED)
    outside = [rel for rel in files if not rel.startswith(inside) and rel not in GENERATED]
    if outside:
        raise ValueError(f"not a generated path: {outside[0]} (generated: {', '.join(GENERATED)})")


def _same(path: str, data: bytes) -> bool:
    """Whether the file at `path` holds exactly `data` (os, not pathlib: 12,000 files a build)."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as f:
            return f.read() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def _existing(root: Path, scope: tuple[str, ...] = GENERATED) -> set[str]:
    found = set()
    for prefix in scope:
        base = os.path.join(root, prefix)
        if os.path.isfile(base):
            found.add(prefix)
            continue
        for folder, _dirs, names in os.walk(base):
            rel = os.path.relpath(folder, root).replace(os.sep, "/")
            found.update(f"{rel}/{name}" for name in names)
    return found


def _stage(staging: Path, files: dict[str, bytes], changed: list[str]) -> None:
    made: set[str] = set()
    for rel in changed:
        target = os.path.join(staging, "new", rel)
        _makedirs(os.path.dirname(target), made)
        with open(target, "wb") as f:
            f.write(files[rel])


def _makedirs(folder: str, made: set[str]) -> None:
    """os.makedirs once per folder (a cold build writes 12,000 files into a few folders)."""
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)


def _swap(root: Path, staging: Path, changed: list[str], stale: list[str]) -> None:
    """Move each staged file into place and each stale one out, keeping every previous version
    in the staging folder (a hard link, so a reader never finds a changed file missing); on any
    failure undo every move, newest first."""
    aside, placing, made = os.path.join(staging, "previous"), set(changed), set()
    undo: list[tuple[str, str | None]] = []  # (target, its previous version or None)
    try:
        for rel in [*changed, *stale]:
            target, previous = os.path.join(root, rel), os.path.join(aside, rel)
            if os.path.exists(target):
                _makedirs(os.path.dirname(previous), made)
                _keep(target, previous, moving=rel not in placing)
                undo.append((target, previous))
            else:
                undo.append((target, None))
            if rel in placing:
                _makedirs(os.path.dirname(target), made)
                os.replace(os.path.join(staging, "new", rel), target)
    except OSError:
        for target, previous in reversed(undo):
            if previous is None:
                Path(target).unlink(missing_ok=True)
            elif os.path.exists(previous):
                os.replace(previous, target)
        raise
    for rel in stale:
        _prune_empty(root, (root / rel).parent)


def _keep(target: str, previous: str, moving: bool) -> None:
    if not moving:
        try:
            os.link(target, previous)
            return
        except OSError:
            pass  # no hard links here (another file system): move it aside instead
    os.replace(target, previous)


def _prune_empty(root: Path, folder: Path) -> None:
    """Remove folders a stale file left empty, up to the generated folder itself."""
    tops = {root / top for top in GENERATED}
    while folder not in tops and folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
