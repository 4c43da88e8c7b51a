"""What a reader sees, in Debian's chromium: speech pages on a desktop (1366×900) and a phone
(390×844, touch), citations, the stable #pN address, search behaviours, masks outside the body
text, text sizes, tap targets and the dark palette. One built site, few page loads.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest

from tifa import emit

DESKTOP = dict(viewport={"width": 1366, "height": 900})
PHONE = dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
MASKED_HEADING = "city-government-plenary-and-integrity-meeting"  # "3.**经济运行…" in its outline

# Visible elements with their own text smaller than 12 px.
SMALL_TEXT = """() => [...document.querySelectorAll('body *')].filter(el => {
  const own = [...el.childNodes].some(n => n.nodeType === 3 && n.data.trim());
  if (!own || !el.getClientRects().length) return false;
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && parseFloat(s.fontSize) < 12;
}).map(el => el.tagName + '.' + el.className + ': ' + el.textContent.trim().slice(0, 30) + ' ' + getComputedStyle(el).fontSize)"""

# Visible controls on the first screen and in the speech body smaller than 44 × 44 px.
SMALL_TARGETS = """sel => [...document.querySelectorAll(sel)].filter(el => {
  const r = el.getBoundingClientRect();
  return el.getClientRects().length && r.width > 0 && (r.width < 44 || r.height < 44);
}).map(el => el.className + ' ' + el.textContent.trim().slice(0, 20) + ' ' + Math.round(el.getBoundingClientRect().width) + '×' + Math.round(el.getBoundingClientRect().height))"""
TARGETS = ("a.tifa-pn, .tifa-tools .md-button, .tifa-pager a, article details > summary, .tifa-outline li a, "
           ".md-header__button, .tifa-chips a, th button.tifa-sort, #tifa-filter, .tifa-dialog button, .tifa-dialog a")


@pytest.fixture(scope="module")
def desktop(browser):
    context = browser.new_context(locale="zh-CN", **DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(locale="zh-CN", **PHONE)
    yield context.new_page()
    context.close()


def top_of(page, selector) -> float:
    return page.eval_on_selector(selector, "el => el.getBoundingClientRect().top + window.scrollY")


# ---------------------------------------------------------------------------------------------
def test_desktop_speech_pages_open_on_the_text(desktop, site_url, corpus):
    ordered = emit.by_date(corpus.speeches)
    for i, speech in enumerate(ordered):
        desktop.goto(f"{site_url}speeches/{speech.slug}/")
        assert top_of(desktop, "#p1") + 40 < 900, f"{speech.slug}: paragraph 1 below the first screen"
        summary = desktop.inner_text(".tifa-summary")
        for key in ("speaker_role", "place", "date"):
            if key in speech.meta:
                assert speech.meta[key].value in summary
        if speech.title_en:
            assert desktop.inner_text(".tifa-subtitle") == speech.title_en
        prev = desktop.eval_on_selector_all("a[rel=prev]", "els => els.map(a => a.href)")
        following = desktop.eval_on_selector_all("a[rel=next]", "els => els.map(a => a.href)")
        assert [urlsplit(h).path for h in prev] == ([f"/speeches/{ordered[i - 1].slug}/"] if i else [])
        assert [urlsplit(h).path for h in following] == (
            [f"/speeches/{ordered[i + 1].slug}/"] if i + 1 < len(ordered) else [])
        meta = dict(desktop.eval_on_selector_all(
            "meta[name^=citation_]", "els => els.map(m => [m.name, m.content])"))
        assert meta["citation_title"] == speech.title
        assert meta.get("citation_author", "") == (speech.meta["speaker_role"].value if "speaker_role" in speech.meta else "")
        if "source" in speech.meta:
            assert meta["citation_publisher"] == speech.meta["source"].value
        assert not desktop.evaluate(SMALL_TEXT)


def test_paragraph_address_stays_while_scrolling(desktop, site_url, corpus):
    slug = corpus.speeches[0].slug
    desktop.goto(f"{site_url}speeches/{slug}/#p3")
    for y in (800, 2000, 0):
        desktop.mouse.wheel(0, y or -5000)
        desktop.wait_for_timeout(150)
        assert urlsplit(desktop.url).fragment == "p3"
    desktop.click("#p5 a.tifa-pn")
    desktop.wait_for_selector("#tifa-cite-dialog[open]")
    assert urlsplit(desktop.url).fragment == "p5"
    desktop.keyboard.press("Escape")


def test_cite_gives_every_format_for_the_speech_and_a_paragraph(desktop, site_url, corpus):
    speech = next(s for s in corpus.speeches if s.slug == "new-city-government-first-plenary")
    url = f"{site_url}speeches/{speech.slug}/"
    desktop.goto(url)
    desktop.click("[data-tifa-cite]")
    whole = desktop.eval_on_selector_all("#tifa-cite-dialog pre", "els => els.map(e => e.textContent)")
    ris = desktop.get_attribute("#tifa-cite-dialog a[download]", "href")
    desktop.keyboard.press("Escape")
    desktop.click("#p4 a.tifa-pn")
    para = desktop.eval_on_selector_all("#tifa-cite-dialog pre", "els => els.map(e => e.textContent)")
    assert desktop.inner_text("#tifa-cite-dialog h2").startswith("引用第 4 段")
    desktop.click("#tifa-cite-dialog section[data-style=gbt] button")
    copied = desktop.evaluate("navigator.clipboard.readText()")
    desktop.keyboard.press("Escape")
    assert len(whole) == len(para) == 3
    for text in whole + para:
        assert "¶" not in text and "{" + "url}" not in text and "{accessed}" not in text
        for key in ("speaker_role", "place"):
            assert speech.meta[key].value in text
        assert speech.meta["date"].value[:4] in text
    assert whole[0].startswith(f"市长. {speech.title}[EB/OL]. 甘肃省嘉峪关市, 2021-12.") and url in whole[0]
    assert "第4段" in para[0] and url + "#p4" in para[0] and copied == para[0]
    assert "paragraph 4" in para[1] and para[2].startswith(f"@misc{{tifa-{speech.slug}-p4,")
    assert "TY%20%20-%20SPEECH" in ris and quote(speech.title) in ris


def test_masks_are_marks_in_outline_title_and_header(desktop, site_url):
    desktop.goto(f"{site_url}speeches/{MASKED_HEADING}/")
    toc = desktop.locator(".md-nav--secondary .md-nav__link", has_text="经济运行").first
    assert toc.locator(".tifa-mask").count() == 1
    raw = desktop.evaluate("""() => [...document.querySelectorAll('.md-nav--secondary .md-nav__link, .tifa-outline a')]
        .map(a => { const c = a.cloneNode(true); c.querySelectorAll('.tifa-mask').forEach(m => m.remove());
                    return c.textContent }).filter(t => t.includes('*'))""")
    assert raw == []


def test_phone_speech_page_text_outline_and_targets(phone, site_url, corpus):
    for speech in corpus.speeches:
        phone.goto(f"{site_url}speeches/{speech.slug}/")
        assert top_of(phone, "#p1") + 30 < 844, f"{speech.slug}: paragraph 1 below the first screen"
        assert not phone.evaluate(SMALL_TEXT), speech.slug
        assert not phone.evaluate(SMALL_TARGETS, TARGETS), speech.slug
    phone.goto(f"{site_url}speeches/{MASKED_HEADING}/")
    phone.click(".tifa-outline summary")
    link = phone.locator(".tifa-outline li a").nth(2)
    target = link.get_attribute("href")
    assert not phone.evaluate(SMALL_TARGETS, TARGETS)
    link.click()
    phone.wait_for_timeout(300)
    top = phone.evaluate("id => document.getElementById(id).getBoundingClientRect().top", target[1:])
    assert 0 <= top < 844, "the outline link scrolls to its heading"


def test_phone_lists_are_usable(phone, site_url, corpus):
    phone.goto(f"{site_url}speeches/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    titles = phone.locator(".tifa-speech-list tbody tr")
    assert titles.count() == len(corpus.speeches)
    assert phone.locator(".tifa-en").count() == sum(1 for s in corpus.speeches if s.title_en)
    phone.fill("#tifa-filter", "2021")
    shown = phone.locator(".tifa-speech-list tbody tr:not([hidden])")
    assert shown.count() == sum(1 for s in corpus.speeches if "2021" in s.meta["date"].value) > 0
    phone.fill("#tifa-filter", "")
    phone.click("th:nth-child(5) button.tifa-sort")  # characters, ascending
    lengths = [int(t.replace(",", "")) for t in phone.locator(".tifa-speech-list tbody td:nth-child(5)").all_inner_texts()]
    assert lengths == sorted(lengths) and len(lengths) == len(corpus.speeches)
    assert not phone.evaluate(SMALL_TEXT) and not phone.evaluate(SMALL_TARGETS, TARGETS)


def test_concordance_sorts_by_either_side(desktop, site_url):
    desktop.goto(f"{site_url}glossary/gao-zhi-liang-fa-zhan/")
    table = ".tifa-kwic tbody tr"
    assert desktop.locator(table).count() > 3
    desktop.click(".tifa-kwic th:nth-child(3) button")
    right = desktop.locator(".tifa-kwic tbody td:nth-child(3)").all_inner_texts()
    assert right == sorted(right)
    desktop.click(".tifa-kwic th:nth-child(1) button")
    left = desktop.locator(".tifa-kwic tbody td:nth-child(1)").all_inner_texts()
    assert [t[::-1] for t in left] == sorted(t[::-1] for t in left)
    assert desktop.evaluate("[...document.querySelectorAll('h1')].map(h => h.firstChild.textContent)") == ["高质量发展"]


def test_dark_palette_follows_the_system(browser, site_url, corpus):
    context = browser.new_context(color_scheme="dark", **DESKTOP)
    page = context.new_page()
    page.goto(f"{site_url}speeches/{corpus.speeches[0].slug}/")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert sum(map(int, re.findall(r"\d+", background)[:3])) < 150, background
    context.close()


# ---------------------------------------------------------------------------------------------
def search(page, query, typed=True):
    page.click(".md-search__input")
    page.evaluate("document.querySelector('.md-search-result__meta').textContent = '…'")
    page.fill(".md-search__input", query)
    if typed:
        page.press(".md-search__input", "End")
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent !== '…'")


def test_search_interface_words_are_bilingual(desktop, site_url):
    desktop.goto(site_url)
    placeholder = desktop.get_attribute(".md-search__input", "placeholder")
    assert "搜索" in placeholder and "Search" in placeholder
    search(desktop, "一岗双责")
    meta = desktop.inner_text(".md-search-result__meta")
    assert "结果" in meta and "result" in meta and "#" not in meta


def test_paste_and_input_method_text_is_searched(desktop, site_url):
    desktop.goto(site_url)
    search(desktop, "一岗双责", typed=False)  # fill(): an input event and no key release, like a paste
    assert desktop.locator(".md-search-result__link").count() > 0
    desktop.evaluate("document.querySelector('.md-search-result__meta').textContent = '…'")
    desktop.evaluate("""() => { const box = document.querySelector('.md-search__input');
        box.dispatchEvent(new CompositionEvent('compositionstart', {bubbles: true}));
        box.value = '坚如磐石';
        box.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true, data: '坚如磐石'}));
        box.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: '坚如磐石'})); }""")
    desktop.wait_for_function("document.querySelector('.md-search-result__meta').textContent !== '…'")
    hrefs = desktop.eval_on_selector_all(".md-search-result__link", "els => els.map(a => a.href)")
    assert any("/speeches/" in h for h in hrefs)


def test_english_glossary_match_without_article(desktop, site_url):
    desktop.goto(site_url)
    for query in ("Four Consciousnesses", "the four consciousnesses"):
        search(desktop, query)
        first = desktop.get_attribute(".md-search-result__link", "href")
        assert urlsplit(first).path.endswith("/glossary/si-ge-yi-shi/"), query


def test_result_page_highlights_the_query_and_back_restores_search(desktop, site_url):
    desktop.goto(site_url)
    search(desktop, "坚如磐石")
    link = desktop.locator(".md-search-result__link[href*='/speeches/']").first
    link.click()
    desktop.wait_for_url(re.compile(r"/speeches/"))
    marks = desktop.locator("article mark.tifa-hit").all_inner_texts()
    assert marks and "".join(marks[:4]).startswith("坚如磐石")
    assert "h=" not in desktop.url
    desktop.go_back()
    desktop.wait_for_selector(".md-search-result__link")
    assert desktop.input_value(".md-search__input") == "坚如磐石"
    assert desktop.evaluate("document.querySelector('[data-md-toggle=search]').checked")


def test_masks_are_marks_in_search_results(desktop, site_url):
    desktop.goto(site_url)
    search(desktop, "届市政府第一次全体会议")
    desktop.wait_for_selector(".md-search-result__article .tifa-mask")
    raw = desktop.evaluate("""() => [...document.querySelectorAll('.md-search-result__article')].map(a => {
        const c = a.cloneNode(true); c.querySelectorAll('.tifa-mask').forEach(m => m.remove()); return c.textContent })
        .filter(t => t.includes('*'))""")
    assert raw == []
