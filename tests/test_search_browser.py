"""Search as a reader uses it: the header search box of the built site, in Debian's chromium.

Expected results are computed from the built pages themselves (BeautifulSoup over site/):
a speech is expected for a query when its title, a heading or a paragraph contains every
normalised part of the query. Tifa's search must return exactly those speeches.
"""
from __future__ import annotations

import random
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from tifa.search_index import normalize

PLACEHOLDER = "…"


@pytest.fixture(scope="module")
def built(site_dir):
    """{page path: [(anchor, normalised text)]} for every speech page of the built site."""
    pages = {}
    for html in sorted(Path(site_dir, "speeches").glob("*/index.html")):
        article = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select_one("article")
        sections = [("", normalize(article.h1.get_text()))]
        table = article.find("table")  # the metadata table, searched as one section
        if table and table.find_previous("h2") is None:
            sections.append(("", normalize(table.get_text())))
        for el in article.find_all(["h2", "h3", "h4", "h5", "p"]):
            if el.name != "p" or re.fullmatch(r"p\d+", el.get("id", "")):
                sections.append((el.get("id", ""), normalize(el.get_text())))
        pages[f"/speeches/{html.parent.name}/"] = sections
    assert pages, "the built site has no speech pages"
    return pages


def expected(built, query):
    parts = [p for p in map(normalize, query.split()) if p]
    return {path for path, sections in built.items()
            if any(all(p in text for p in parts) for _a, text in sections)}


def run_query(page, query):
    """Type `query` into the header search box; all result links once every group is rendered."""
    box = page.locator(".md-search__input")
    box.click()
    page.evaluate(f"document.querySelector('.md-search-result__meta').textContent = '{PLACEHOLDER}'")
    box.fill(query)
    box.press("End")  # the keyup Material listens to (fill() alone, like an IME, sends none)
    page.wait_for_function(f"document.querySelector('.md-search-result__meta').textContent.trim() !== '{PLACEHOLDER}'")
    return all_links(page)


def all_links(page):
    meta = page.inner_text(".md-search-result__meta")
    count = int(m.group(1)) if (m := re.search(r"(\d+)", meta)) else 0
    for _ in range(100):  # Material renders 10 groups, then 4 more whenever the list end is seen
        if page.locator(".md-search-result__item").count() >= count:
            break
        for top in (0, 1e9):  # leave the end, then reach it again: one more batch
            page.evaluate(f"document.querySelector('.md-search__scrollwrap').scrollTop = {top}")
            page.wait_for_timeout(40)
    return page.eval_on_selector_all(
        ".md-search-result__link", "els => els.map(a => ({href: a.href, html: a.innerHTML}))")


def pages_of(links, prefix="/speeches/"):
    return {urlsplit(link["href"]).path for link in links if urlsplit(link["href"]).path.startswith(prefix)}


def query_set(built, n=24, seed=3):
    """Fixed phrases from the issue plus substrings of the built paragraphs, some across punctuation."""
    rng = random.Random(seed)
    queries = ["一岗双责", "磐石", "坚如磐石", "坚定四个自信", "量子计算", "量", "一", "高质量发展", "两个 维护"]
    texts = [t for sections in built.values() for _a, t in sections if len(t) > 12]
    for _ in range(n):
        t = rng.choice(texts)
        i = rng.randrange(len(t) - 8)
        queries.append(t[i:i + rng.choice([2, 3, 4, 5, 8])])
    return queries


@pytest.fixture
def reader(page, site_url):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "ERR_NAME" not in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site_url)
    page.problems, page.requests = problems, requests
    return page


def test_query_set_has_precision_and_recall_one(reader, built):
    for query in query_set(built):
        found, want = pages_of(run_query(reader, query)), expected(built, query)
        assert found == want, f"{query}: missing {want - found}, extra {found - want}"
    assert not reader.problems


def test_section_links_point_at_a_section_containing_the_query(reader, built):
    for query in ["一岗双责", "坚定四个自信", "两个 维护"]:
        parts = [normalize(p) for p in query.split()]
        for link in run_query(reader, query):
            url = urlsplit(link["href"])
            if url.path.startswith("/speeches/") and url.fragment:
                text = dict(built[url.path])[unquote(url.fragment)]
                assert all(p in text for p in parts), (query, link["href"])


def test_excerpts_highlight_exactly_the_query(reader):
    links = run_query(reader, "坚定四个自信")
    marks = [normalize(m) for link in links for m in re.findall(r"<mark>(.*?)</mark>", link["html"])]
    assert marks and set(marks) == {"坚定四个自信"}


def test_title_and_heading_matches_rank_first(reader, built):
    heading_pages = {path for path, sections in built.items()
                     if any("一岗双责" in t for a, t in sections if a and not a.startswith("p"))}
    links = run_query(reader, "一岗双责")
    order = list(dict.fromkeys(p for p in (urlsplit(l["href"]).path for l in links) if p.startswith("/speeches/")))
    assert set(order[:len(heading_pages)]) == heading_pages


def test_glossary_entry_comes_first(reader, corpus):
    for e in corpus.entries[:4]:
        for query in {e.term, e.pinyin, e.pinyin_search, e.pinyin_search.upper(), e.english[0][0]}:
            links = run_query(reader, query)
            assert urlsplit(links[0]["href"]).path == f"/glossary/{e.slug}/", query


def test_deep_link_opens_search_with_results(page, site_url, built):
    page.goto(f"{site_url}?q={quote('一岗双责')}")
    page.wait_for_selector(".md-search-result__link")
    assert page.input_value(".md-search__input") == "一岗双责"
    assert pages_of(all_links(page)) == expected(built, "一岗双责")


def test_keyboard_navigation_opens_a_result(reader):
    run_query(reader, "坚如磐石")
    reader.keyboard.press("ArrowDown")
    focused = reader.evaluate("document.activeElement.href")
    reader.keyboard.press("Enter")
    reader.wait_for_url(lambda url: urlsplit(url).path == urlsplit(focused).path)
    assert "/speeches/" in reader.url


ODD_QUERIES = ["", "，", "“”", " ", "<script>alert(1)</script>", "四" * 5000, "a" * 5000,
               "'\"><img src=x onerror=alert(1)>"]


def test_odd_queries_are_handled_quietly(reader):
    for query in ODD_QUERIES:  # one page for all: a page load per query cost 10 s of `make test`
        run_query(reader, "一")  # so that every odd query, even "", is a change Material sends on
        links = run_query(reader, query)
        if not normalize(query):
            assert links == [], repr(query)
        assert reader.locator(".md-search-result script, .md-search-result img").count() == 0, repr(query)
        reader.wait_for_timeout(200)
        assert not reader.problems, (repr(query), reader.problems)


def test_material_lunr_index_is_never_downloaded(reader):
    run_query(reader, "一岗双责")
    assert not [u for u in reader.requests if u.endswith("search_index.json")]
    assert any("/search/g/" in u for u in reader.requests)
