"""Markdown writing helpers: every character taken from a source or an entry goes through `escape`.

Escaping uses numeric character references, which Python-Markdown and CommonMark both leave
as literal characters, so no source text can ever become emphasis, a link, a list or HTML.
"""
from __future__ import annotations

import html

# ASCII characters with a meaning in Markdown, its extensions (attr_list `{}`, tables `|`,
# pymdownx tilde/caret/mark) or HTML. Everything else is safe verbatim.
_SIGNIFICANT = set("\\`*_{}[]()<>&#+-.!|~^=:\"'$@")
_ENTITY = {c: f"&#{ord(c)};" for c in _SIGNIFICANT}


def escape(text: str) -> str:
    """Make `text` render exactly as itself in Markdown, inline or at the start of a block.

    >>> escape("**要点** <b>")
    '&#42;&#42;要点&#42;&#42; &#60;b&#62;'
    """
    return "".join(_ENTITY.get(c, c) for c in text).replace("\n", " ")


def attr(text: str) -> str:
    """Escape `text` for a double-quoted HTML attribute value or Markdown link title."""
    return html.escape(text.replace("\n", " "), quote=True)


def link(label_md: str, target: str, title: str = "") -> str:
    """A Markdown link; `label_md` must already be escaped, `target` is a relative .md path."""
    if title:
        return f'[{label_md}]({target} "{attr(title)}")'
    return f"[{label_md}]({target})"
