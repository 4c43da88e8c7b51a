"""Saved web pages as raw texts: bytes of a .html/.htm page in, the article's text out.

The page is decoded by the charset it declares (a byte-order mark, or `<meta charset>` /
`<meta http-equiv="Content-Type" content="…charset=…">`; GB2312 and GBK are read as GB18030, their
superset). beautifulsoup4 then drops script, style, nav, header, footer, aside, forms and every
element whose class or id names site chrome (nav, menu, comment, share, related, ad, login …), and
the text is read with a line break at every block element, so each paragraph is one line, as in a .txt. The text
rules of clean.py run on that text as on a .txt. The raw file itself is never changed.

>>> page = '<html><body><nav>首页</nav><p>同志们：</p><p>今天我们开会。</p></body></html>'
>>> page_text(page.encode("utf-8"), "a.html").text
'同志们：\\n今天我们开会。'
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from . import limits
from .sources import RawText, checked_file, refuse

DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
             "iframe", "button", "select", "input", "textarea", "svg", "head")
CHROME_NAMES = {"nav", "navbar", "menu", "comment", "comments", "share", "sharing", "related", "ad", "ads",
                "advert", "advertisement", "login", "breadcrumb", "crumbs", "sidebar", "toolbar", "banner",
                "recommend", "pagination", "pager", "footer", "header", "copyright"}
BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
          "article", "main", "blockquote", "pre", "hr", "dd", "dt", "dl", "center", "td"}
GB_FAMILY = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030", "x-gb18030", "euc-cn", "hz-gb-2312"}
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
# A chrome element holding more than this share of the page's text is a wrapper, not chrome: kept.
WRAPPER_SHARE = 0.5


def read_page(path: Path, root: Path) -> RawText:
    rel, data = checked_file(path, root, limits.RAW_TEXT_BYTES)  # no links, safe name, size limit
    return page_text(data, rel)


def page_text(data: bytes, path: str) -> RawText:
    """The article text of one saved page, with notes on how it was read."""
    if not data.strip():
        raise refuse(path, 1, "S001", "empty file — nothing to build")
    html, charset = decode_page(data, path)
    soup = BeautifulSoup(html, "html.parser")
    dropped = drop_chrome(soup)
    root = soup.body or soup
    articles = root.find_all("article")
    text = block_text(articles[0] if len(articles) == 1 else root)
    if not text.strip():
        raise refuse(path, None, "S013", "no text left in the page after removing scripts, styles and site chrome")
    notes = [f"read as a saved web page ({charset})"]
    if dropped:
        notes.append("web page elements removed: " + "; ".join(dropped))
    return RawText(path, text, tuple(notes))


def declared_charset(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    m = _META_CHARSET.search(data[:8192])
    return m.group(1).decode("ascii").lower() if m else None


def decode_page(data: bytes, path: str) -> tuple[str, str]:
    """(html, what was used). GB2312/GBK read as GB18030; undeclared pages: UTF-8, else GB18030."""
    declared = declared_charset(data)
    if declared is None:
        for charset in ("utf-8", "gb18030"):
            try:
                return data.decode(charset), f"no charset declared, read as {charset.upper()}"
            except UnicodeDecodeError:
                continue
        raise refuse(path, None, "S002", "declares no charset and is neither UTF-8 nor GB18030")
    charset = "gb18030" if declared in GB_FAMILY else declared
    try:
        codecs.lookup(charset)
    except LookupError:
        raise refuse(path, None, "S002", f"declares an unknown charset {declared!r}") from None
    try:
        html = data.decode(charset)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise refuse(path, line, "S002", f"not valid {declared} as the page declares — re-save it with "
                     "its real charset") from None
    used = declared if charset == declared else f"{declared} read as GB18030"
    return html.lstrip("\ufeff"), f"charset {used}"


def drop_chrome(soup: BeautifulSoup) -> list[str]:
    """Remove non-text and chrome elements; return what was dropped, for the page's report."""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    total = len(soup.get_text(strip=True)) or 1
    dropped = []
    for el in list(soup.find_all(True)):
        if el.decomposed or el.parent is None or el.name in ("html", "body", "article", "main"):
            continue
        reason = el.name if el.name in DROP_TAGS else _chrome_name(el)
        if not reason:
            continue
        words = el.get_text(" ", strip=True)
        if reason != el.name and len(words.replace(" ", "")) > WRAPPER_SHARE * total:
            continue
        el.decompose()
        if words and el.name != "head":
            dropped.append(f"<{reason}> {words[:40]!r}")
    return dropped


def _chrome_name(el: Tag) -> str | None:
    names = " ".join(el.get("class") or []) + " " + str(el.get("id") or "")
    for token in re.split(r"[-_\s]+", names.lower()):
        if token in CHROME_NAMES:
            return f"{el.name} {token}"
    return None


def block_text(node) -> str:
    """The text under `node`, a line per block element, runs of spaces and source line breaks folded."""
    parts: list[str] = []
    _walk(node, parts)
    lines = [line.strip(" ") for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)


def _walk(node, parts: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, Comment):
                parts.append(re.sub(r"[ \t\r\n\f]+", " ", str(child)))
        elif isinstance(child, Tag):
            block = child.name in BLOCKS
            parts.append("\n" if block else "")
            _walk(child, parts)
            parts.append("\n" if block else "")
