"""Accessibility: axe-core 4 on every page type of the built site, light and dark, desktop and phone.

axe-core comes from the npm registry, pinned in tests/a11y/package-lock.json; `make test` installs
it (npm ci --prefix tests/a11y). No serious or critical violation is allowed anywhere.
"""
from __future__ import annotations

from pathlib import Path

import pytest

AXE = Path(__file__).parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# The second pass (dark palette, phone) checks what the palette and the viewport change; the
# first pass already ran every rule on the same markup. Fewer rules keep `make test` fast.
LAYOUT_RULES = ["color-contrast", "link-in-text-block", "scrollable-region-focusable", "target-size",
                "meta-viewport", "nested-interactive", "aria-hidden-focus", "focus-order-semantics"]


def page_types(corpus):
    speech = corpus.speeches[0].slug
    entry = next(e.slug for e in corpus.entries if e.slug == "si-ge-yi-shi")
    return {"home": "", "speech": f"speeches/{speech}/", "speech list": "speeches/",
            "glossary entry": f"glossary/{entry}/", "glossary index": "glossary/",
            "candidates": "glossary/candidates/", "data": "about/data/", "about": "about/",
            "trends": "trends/", "search results": "?q=四个意识", "not found": "404.html"}


def violations(page, only=None) -> list[str]:
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: run `make test` (or npm ci --prefix tests/a11y) to install axe-core")
    page.add_script_tag(path=str(AXE))
    run_only = {"type": "rule", "values": only} if only else {"type": "tag", "values": TAGS}
    result = page.evaluate("runOnly => axe.run(document, {runOnly})", run_only)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme,device", [("light", "desktop"), ("dark", "phone")])
def test_no_serious_axe_violation_on_any_page_type(browser, site_url, corpus, scheme, device):
    opts = (dict(viewport={"width": 1366, "height": 900}) if device == "desktop" else
            dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True))
    context = browser.new_context(locale="zh-CN", color_scheme=scheme, **opts)
    page = context.new_page()
    found, only = {}, (LAYOUT_RULES if scheme == "dark" else None)
    for name, path in page_types(corpus).items():
        page.goto(site_url + path)
        if name == "search results":
            page.wait_for_selector(".md-search-result__link")
            page.wait_for_timeout(400)  # Material fades the results in
        found[name] = violations(page, only)
    page.goto(site_url + f"speeches/{corpus.speeches[0].slug}/")
    page.click("[data-tifa-cite]")
    page.wait_for_selector("#tifa-cite-dialog[open]")
    found["cite dialog"] = violations(page, only)
    context.close()
    bad = {k: v for k, v in found.items() if v}
    assert not bad, "\n".join(f"{k}: {x}" for k, v in bad.items() for x in v)
