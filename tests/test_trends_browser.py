"""/trends/ in Debian's chromium: ?terms= draws one series per term, and the address follows the
choice, so a comparison can be shared. Plus the built entry pages' static charts."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup


def _data(site_dir):
    return json.loads(Path(site_dir, "data/trends.json").read_text(encoding="utf-8"))


def _most_used(data, n):
    return sorted(data["terms"], key=lambda s: (-sum(data["terms"][s]["counts"]), s))[:n]


def _series(page):
    return page.eval_on_selector_all("#tifa-trends svg.tifa-chart g.tifa-series",
                                     "gs => gs.map(g => [g.dataset.slug, g.querySelectorAll('circle').length])")


def _terms_in_url(page):
    return parse_qs(urlsplit(page.url).query).get("terms", [""])[0].split(",")


def test_compare_page_draws_the_terms_in_the_address_and_keeps_it_in_step(page, site_url, site_dir):
    data = _data(site_dir)
    a, b, c = _most_used(data, 3)
    page.goto(f"{site_url}trends/?terms={a},no-such-term,{b}")
    page.wait_for_selector("#tifa-trends[data-ready=yes]")
    years = len(data["years"])
    used = lambda slug: sum(1 for n in data["terms"][slug]["counts"] if n)  # noqa: E731  a dot per year with a use
    assert _series(page) == [[a, used(a)], [b, used(b)]]  # unknown slugs are dropped
    segments = page.eval_on_selector("#tifa-trends g.tifa-series path", "p => p.getAttribute('d')")
    assert segments.count("M") + segments.count("L") == years  # the line passes every year with speeches
    legend = page.eval_on_selector_all(".tifa-chips li", "lis => lis.map(li => li.dataset.slug)")
    assert legend == [a, b]

    page.fill("#tifa-trends input", data["terms"][c]["term"])
    page.press("#tifa-trends input", "Enter")
    page.wait_for_function("document.querySelectorAll('#tifa-trends g.tifa-series').length === 3")
    assert _terms_in_url(page) == [a, b, c]
    assert [s for s, _ in _series(page)] == [a, b, c]

    page.click(f'.tifa-chips li[data-slug="{a}"] button')
    page.wait_for_function("document.querySelectorAll('#tifa-trends g.tifa-series').length === 2")
    assert _terms_in_url(page) == [b, c]
    # the numbers drawn are the data's: the tooltip of the last point of the first series
    last = page.eval_on_selector("#tifa-trends g.tifa-series circle:last-of-type title", "t => t.textContent")
    i = max(i for i, n in enumerate(data["terms"][b]["counts"]) if n)
    assert last.startswith(f"{data['terms'][b]['term']} {data['years'][i]}: {data['terms'][b]['counts'][i]} 次")
    rows = page.eval_on_selector_all("#tifa-trends details tbody tr", "trs => trs.length")
    assert rows == years


def test_entry_pages_carry_a_static_chart_and_its_numbers(site_dir):
    data = _data(site_dir)
    slug = _most_used(data, 1)[0]
    soup = BeautifulSoup(Path(site_dir, f"glossary/{slug}/index.html").read_text(encoding="utf-8"), "html.parser")
    svg = soup.select_one("figure.tifa-trend svg[role=img]")
    assert svg is not None and svg.title.get_text() and svg.desc.get_text()
    bars = svg.select("rect.tifa-bar")
    assert len(bars) == len(data["years"])
    table = [[c.get_text() for c in tr.find_all(["th", "td"])][:2] for tr in soup.select("details.tifa-numbers tbody tr")]
    assert [(y, str(n)) for y, n in zip(data["years"], data["terms"][slug]["counts"])] == \
        [tuple(r) for r in table[:len(data["years"])]]
    first = soup.find(string=lambda s: s and "First dated use" in s)
    assert first is not None and first.find_parent("li").find("a")["href"].startswith("../../speeches/")
