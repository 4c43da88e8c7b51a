"""Stored XSS (issue 12): payloads in every field a contributor or a website controls, built with
`build.py build` and `mkdocs build --strict`, then every page opened and hovered in chromium.
No dialog may open anywhere, and no payload may survive as markup in the built HTML."""
from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import markdown as md
import pytest
from projectcopy import copy_inputs
from bs4 import BeautifulSoup
from playwright.sync_api import Error as PlaywrightError

from tifa import emit
from tifa.model import Speech

ROOT = Path(__file__).resolve().parents[1]
SEED = "003_0d96e2a76e1804bb"


def payload(n: int, short: bool = False) -> str:
    """Breaks out of double- and single-quoted attributes, code spans and text, and alerts n."""
    tail = "" if short else f"<script>alert({n})</script>"
    return f"\"'`><img src=x onerror=alert({n})>{tail}"


TERM = '政策" onmouseover="alert(7)" data-x="'  # survives cleaning, so it is linked in the speech
HTML_TERM = "<img src=x onerror=alert(6)>图片"  # cleaning strips tags from speeches: shown on glossary pages


def q(text: str) -> str:
    """A YAML scalar holding `text` exactly (a JSON string is a YAML double-quoted scalar)."""
    return json.dumps(text, ensure_ascii=False)

ENTRY = f"""term: {q(TERM)}
traditional: {q(payload(8, short=True))}
pinyin: {q(payload(9))}
english:
  - text: {q(payload(10))}
    source: {q(payload(11))}
    kind: media
category: policy
scope: {q(payload(12))}
summary:
  zh: {q(payload(13))}
  en: {q(payload(14))}
definition:
  zh: {q(payload(15))}
  en: {q(payload(16))}
components: [{q(payload(17, short=True))}]
aliases: [{q('<b onmouseover=alert(18)>别名')}]
related: [fang-guan-fu]
first_use:
  date: "2016"
  document: {q(payload(19))}
sources:
  - title: {q(payload(20))}
  - title: {q(payload(22))}
    url: {q('https://example.org/"><script>alert(23)</script>')}
status: current
"""


def sidecar(raw_text: str) -> str:
    quote = payload(30)
    assert quote in raw_text
    return f"""slug: hostile-speech
title: {q(payload(31))}
title_en: {q(payload(32))}
speaker_role: {{value: {q(payload(33))}, evidence: {q(quote)}, confidence: high, note: {q(payload(34))}}}
place: {{value: {q(payload(35))}, evidence: {q(quote)}, confidence: low}}
date: {q(payload(36))}
occasion: {q(payload(37))}
source: {q(payload(38))}
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("hostile")
    copy_inputs(project, ("scripts", "docs", "overrides", "mkdocs.yml"))
    glossary = project / "seeds/glossary"
    glossary.mkdir(parents=True)
    for slug in ("fang-guan-fu", "si-ge-yi-shi", "liang-ge-wei-hu", "si-ge-zi-xin", "liang-ge-que-li",
                 "jiang-zheng-zhi", "ying-shang-huan-jing", "qin-qing-zheng-shang-guan-xi"):
        text = (ROOT / f"seeds/glossary/{slug}.yml").read_text(encoding="utf-8")
        (glossary / f"{slug}.yml").write_text(re.sub(r"^related:.*\n", "", text, flags=re.M), encoding="utf-8")
    (glossary / "zheng-ce.yml").write_text(ENTRY, encoding="utf-8")
    (glossary / "tu-pian.yml").write_text(ENTRY.replace(q(TERM), q(HTML_TERM)).replace("别名", "别称"), encoding="utf-8")
    speeches = project / "seeds/speeches"
    speeches.mkdir(parents=True)
    for suffix in (".txt", ".yml"):  # the home page links to this one
        shutil.copy(ROOT / f"seeds/speeches/001_616189bf1d20b330{suffix}", speeches)
    raw = (ROOT / f"seeds/speeches/{SEED}.txt").read_text(encoding="utf-8")
    raw += f"\n同志们，我们要把{TERM}和放管服落到实处。{payload(30)}讲话到此。\n"
    (speeches / f"{SEED}.txt").write_text(raw, encoding="utf-8")
    (speeches / f"{SEED}.yml").write_text(sidecar(raw), encoding="utf-8")
    (speeches / "900_untitled.txt").write_text(
        f"在{payload(40)[:44]}会议上的讲话\n同志们：\n今天我们开会，要抓好放管服改革。{payload(41)}\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run([sys.executable, "scripts/build.py", "build"], cwd=project, env=env,
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    site = project / "site"
    mkdocs = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                            cwd=project, env=env, capture_output=True, text=True)
    assert mkdocs.returncode == 0, mkdocs.stdout + mkdocs.stderr
    return site


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def test_the_payloads_reached_the_pages(hostile_site):
    speech = (hostile_site / "speeches/hostile-speech/index.html").read_text(encoding="utf-8")
    entry = (hostile_site / "glossary/zheng-ce/index.html").read_text(encoding="utf-8")
    assert "alert(31)" in speech and "alert(14)" in entry, "the test must carry its payloads"
    assert "zheng-ce" in speech, "the hostile term is linked from the speech"


def test_no_payload_survives_as_markup(hostile_site):
    for page in html_pages(hostile_site):
        text = page.read_text(encoding="utf-8")
        soup = BeautifulSoup(text, "html.parser")
        where = page.relative_to(hostile_site)
        assert not soup.find("img", src="x"), f"{where}: an injected <img> became markup"
        assert not soup.find(attrs={"onmouseover": True}), f"{where}: an injected handler became markup"
        for script in soup.find_all("script"):
            body = script.string or ""
            if script.get("type") == "application/json":  # data: must parse, and cannot close its tag
                json.loads(body)
                assert "<" not in body, f"{where}: a data script holds a raw '<'"
            else:
                assert "alert(" not in body, f"{where}: an injected <script> became markup"
        for a in soup.find_all("a", href=True):
            assert not a["href"].lower().startswith("javascript:"), f"{where}: {a}"
        assert not re.search(r"<(img|script|b)\b[^>]*(onerror|onmouseover|>alert)", text), where


def test_source_path_cannot_close_its_code_span():
    speech = Speech(slug="s", source_path="seeds/speeches/a`<img src=x onerror=alert(1)>`.txt", title="t")
    soup = BeautifulSoup(md.markdown(emit.meta_table(speech) + "\n\n" + emit.removal_note(speech),
                                     extensions=["tables", "admonition", "pymdownx.details", "md_in_html"]),
                         "html.parser")
    assert not soup.find("img")
    assert speech.source_path in [c.get_text() for c in soup.find_all("code")]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(hostile_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


PAYLOAD_BEARING = ('[title*="alert"]', '[href*="zheng-ce"]', '[href*="tu-pian"]')
HOVERED = PAYLOAD_BEARING + ("[title]", "a.tifa-term", ".md-tag", ".tifa-mask", ".md-nav__link")


def hover_some(page) -> None:
    """Hover the elements that carry a payload, and one of each other kind a tooltip or a
    handler could hang on."""
    for selector in HOVERED:
        per_kind = 3 if selector in PAYLOAD_BEARING else 1
        shown = page.locator(selector).filter(visible=True).all()[:per_kind]
        for element in shown:
            try:
                element.hover(timeout=1000, force=True)
                page.wait_for_timeout(60)  # Material's tooltip appears after a short delay
            except PlaywrightError:  # hidden meanwhile (a collapsing menu): nothing to hover
                pass


def search(page, query: str) -> None:
    box = page.locator(".md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # the keyup Material listens to
    page.wait_for_timeout(600)
    for link in page.locator(".md-search-result__link").all()[:5]:
        if link.is_visible():
            link.hover(timeout=2000, force=True)


def test_no_dialog_opens_on_any_page_even_on_hover_or_search(hostile_site, hostile_url, browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append((page.url, d.message)), d.dismiss()))
    # Every page that carries a payload (the others have nothing to run); search is tried below.
    pages = [p for p in html_pages(hostile_site) if "alert" in p.read_text(encoding="utf-8")]
    for path in pages:
        page.goto(hostile_url + path.relative_to(hostile_site).as_posix().removesuffix("index.html"))
        hover_some(page)
    page.goto(hostile_url + "speeches/hostile-speech/")
    for query in ("政策", "alert"):
        search(page, query)
    context.close()
    assert len(pages) >= 6 and dialogs == []
