"""Tests over the really built site (mkdocs build --strict): what a reader gets."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def speech_pages(site_dir, corpus):
    return [(s, site_dir / "speeches" / s.slug / "index.html") for s in corpus.speeches]


def test_every_speech_page_exists_with_title_outline_and_paragraphs(site_dir, corpus):
    for speech, path in speech_pages(site_dir, corpus):
        assert path.exists(), path
        soup = soup_of(path)
        assert soup.find("h1").get_text(strip=True).startswith(speech.title)
        ids = [p["id"] for p in soup.select("article p.tifa-p")]
        assert ids == [f"p{n}" for n in range(1, len(speech.paragraphs) + 1)]
        toc = [a.get_text(strip=True) for a in soup.select(".md-sidebar--secondary .md-nav__link")]
        headings = [b.text for b in speech.blocks if b.kind == "heading"]
        assert toc == headings, "the outline is the table of contents"


def test_paragraph_text_in_the_page_is_the_cleaned_text(site_dir, corpus):
    """Content survives escaping, redaction marks and term links exactly."""
    for speech, path in speech_pages(site_dir, corpus):
        soup = soup_of(path)
        for block in speech.paragraphs:
            p = soup.find("p", id=block.anchor)
            p.find("a", class_="tifa-pn").decompose()
            assert p.get_text().strip() == block.text
        for block in (b for b in speech.blocks if b.kind == "heading"):
            h = soup.find(id=block.anchor)
            for permalink in h.select("a.headerlink"):
                permalink.decompose()
            assert h.get_text().strip() == block.text


def test_no_emphasis_made_from_source_asterisks(site_dir, corpus):
    for speech, path in speech_pages(site_dir, corpus):
        article = soup_of(path).select_one("article")
        assert not article.find_all(["strong", "em"]), speech.slug
        for mask in article.select(".tifa-mask"):
            assert re.fullmatch(r"\*+|＊+|X{2,}|x{2,}|×{2,}|○{2,}|□+|//", mask.get_text()), mask


def test_masks_are_the_only_asterisks_in_speech_text(site_dir, corpus):
    for speech, path in speech_pages(site_dir, corpus):
        article = soup_of(path).select_one("article")
        for mask in article.select(".tifa-mask"):
            mask.decompose()
        text = "".join(p.get_text() for p in article.select("p.tifa-p, h2, h3, h4, h5"))
        assert "*" not in text, speech.slug


class _LinksAndIds(HTMLParser):
    """Every a[href] and every id of one page: a streaming parse, several times faster than a
    BeautifulSoup tree over the 400-odd pages of the site."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href") is not None:
            self.hrefs.append(attrs["href"])


def parsed(page: Path) -> _LinksAndIds:
    parser = _LinksAndIds()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_every_internal_link_and_anchor_resolves(site_dir):
    pages = {page: parsed(page) for page in site_dir.rglob("*.html")}
    broken = []
    for page, found in pages.items():
        for href in found.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            base = site_dir if parts.path.startswith("/") else page.parent  # 404.html links from the root
            target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site_dir)} → {href}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{page.relative_to(site_dir)} → {href} (no anchor)")
    assert not broken, "\n".join(broken[:30])


def test_speech_list_and_home_page(site_dir, corpus):
    listing = soup_of(site_dir / "speeches" / "index.html")
    links = {a["href"] for a in listing.select("article table a")}
    assert {f"../speeches/{s.slug}/" for s in corpus.speeches} <= {
        "../speeches/" + h.split("/")[-2] + "/" for h in links if h.count("/") >= 1}
    rows = listing.select("article table tbody tr")
    assert len(rows) == len(corpus.speeches)
    home = soup_of(site_dir / "index.html").select_one("article").get_text()
    assert "Tifa" in home and "How to read" in home and "Where to start" in home


def test_navigation_does_not_list_every_speech(site_dir, corpus):
    speech, path = speech_pages(site_dir, corpus)[0]
    nav = soup_of(path).select_one(".md-sidebar--primary")
    others = [s.slug for s in corpus.speeches if s.slug != speech.slug]
    assert not any(slug in a.get("href", "") for slug in others for a in nav.find_all("a"))


def test_cleaning_note_and_metadata_are_shown(site_dir, corpus):
    for speech, path in speech_pages(site_dir, corpus):
        article = soup_of(path).select_one("article")
        details = {d.summary.get_text(): d for d in article.select("details")}
        assert any("What cleaning removed" in summary for summary in details)
        table = details["元数据与依据 · Metadata and evidence"].select_one("table").get_text()
        assert "Length" in table and f"{speech.char_count:,}" in table
        for field in speech.meta.values():
            assert field.value.split(" (")[0] in table


def test_no_web_fonts(site_dir):
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    assert '<html lang="zh"' in html


def test_english_pages_are_marked_english_and_speeches_are_not(site_dir, corpus):
    for page in ("index.html", "about/index.html", "about/search/index.html", "about/data/index.html"):
        article = soup_of(site_dir / page).select_one("article")
        assert article.find("div", attrs={"lang": "en"}, recursive=False), page
    speech = soup_of(site_dir / "speeches" / corpus.speeches[0].slug / "index.html").select_one("article")
    assert not speech.select('[lang="en"] p.tifa-p'), "speech text is Chinese"


# ---------------------------------------------------------------------------------------------
# scripts/mkdocs_hook.py renders the pages' Markdown in worker processes above a threshold; the
# site_dir fixture is built without them, the test below forces them (TIFA_PARALLEL_MARKDOWN_BYTES=0).
def _mkdocs(cwd: Path, site: Path, *extra: str):
    import os
    import subprocess
    import sys

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TIFA_PARALLEL_MARKDOWN_BYTES": "0", "TIFA_JOBS": "2"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site), *extra],
                          cwd=cwd, env=env, capture_output=True, text=True)


def test_pages_rendered_by_worker_processes_give_the_same_site_and_their_warnings_count(site_dir, tmp_path):
    """A copy of the project plus one page with a broken link, last in MkDocs's order (a worker
    renders it), built with the workers forced: `--strict` fails on that page's warning (the
    worker's warnings are logged again by MkDocs), and every other file is byte for byte the one
    of the site MkDocs built alone (the site_dir fixture), pages written by the template worker
    included. The data and search files are links."""
    import subprocess
    import sys

    from projectcopy import copy_build_cache, copy_inputs

    project = copy_inputs(tmp_path / "project")
    copy_build_cache(project)
    (project / "docs" / "zz").mkdir()
    (project / "docs" / "zz" / "broken.md").write_text("# Broken\n\n[nowhere](missing-page.md)\n", encoding="utf-8")
    built = subprocess.run([sys.executable, "scripts/build.py", "build"], cwd=project, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    site = tmp_path / "site"
    run = _mkdocs(project, site, "--strict")
    workers = re.search(r"Tifa: (\d+) of (\d+) pages rendered by 1 worker", run.stderr)
    assert workers and 0 < int(workers.group(1)) < int(workers.group(2)), run.stderr
    writers = re.search(r"Tifa: (\d+) of (\d+) pages written by a worker process", run.stderr)
    assert writers and 0 < int(writers.group(1)) < int(writers.group(2)), run.stderr
    assert run.returncode != 0 and "zz/broken.md" in run.stderr and "missing-page.md" in run.stderr
    ours = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()}
    theirs = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert theirs - ours == {"zz/broken/index.html"} and ours <= theirs
    differ = [f for f in sorted(ours) if (site_dir / f).read_bytes() != (site / f).read_bytes()]
    assert differ == []
    # the generated data and search files are hard-linked into the site, not copied (same disk here)
    assert (site / "data" / "speeches.jsonl").samefile(project / "docs" / "data" / "speeches.jsonl")
    assert (site / "search" / "meta.json").samefile(project / "docs" / "search" / "meta.json")
