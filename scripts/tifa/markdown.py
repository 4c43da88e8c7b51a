"""Markdown writing helpers: every character taken from a source or an entry goes through `escape`.

Escaping uses numeric character references, which Python-Markdown and CommonMark both leave
as literal characters, so no source text can ever become emphasis, a link, a list or HTML.
"""
from __future__ import annotations

import html
import json

# ASCII characters with a meaning in Markdown, its extensions (attr_list `{}`, tables `|`,
# pymdownx tilde/caret/mark) or HTML. Everything else is safe verbatim.
_SIGNIFICANT = set("\\`*_{}[]()<>&#+-.!|~^=:\"'$@")
_ENTITY = {c: f"&#{ord(c)};" for c in _SIGNIFICANT}
_TABLE = str.maketrans(_ENTITY)  # for str.translate: character by character, in C


def escape(text: str) -> str:
    """Make `text` render exactly as itself in Markdown, inline or at the start of a block.

    >>> escape("**要点** <b>")
    '&#42;&#42;要点&#42;&#42; &#60;b&#62;'
    """
    return text.translate(_TABLE).replace("\n", " ")


def inert(text: str) -> str:
    """`text` for any HTML sink that a template or a theme script may re-read as HTML.

    Used for attribute values (link titles, which Material's tooltips render as HTML) and for
    front matter (MkDocs templates do not autoescape: Material puts `description` raw into an
    attribute and `title | striptags`, which unescapes entities, into <title>). Angle brackets
    become fullwidth, so no reading of the value can ever open a tag; the rest is
    attribute-escaped, so it cannot leave a quoted attribute either.

    >>> inert('a<b> "c" & d')
    'a＜b＞ &quot;c&quot; &amp; d'
    """
    return html.escape(text.replace("<", "＜").replace(">", "＞").replace("\n", " "), quote=True)


attr = inert  # a double-quoted HTML attribute value or Markdown link title


def front_matter(title: str, description: str, tags=()) -> str:
    """YAML front matter; every value made `inert`, then written as a JSON string (valid YAML)."""
    dump = lambda s: json.dumps(inert(s), ensure_ascii=False)  # noqa: E731
    lines = ["---", f"title: {dump(title)}", f"description: {dump(description)}"]
    if tags:
        lines += ["tags:", *(f"  - {dump(t)}" for t in tags)]
    return "\n".join(lines + ["---", ""])


def code(text: str) -> str:
    """Inline code (a file path, a rule name) that no backtick or bracket in `text` can close.

    >>> code("a`<img onerror=x>.txt")
    '<code>a&#96;&#60;img onerror&#61;x&#62;&#46;txt</code>'
    """
    return f"<code>{escape(text)}</code>"


def link(label_md: str, target: str, title: str = "") -> str:
    """A Markdown link; `label_md` must already be escaped, `target` is a relative .md path."""
    if title:
        return f'[{label_md}]({target} "{attr(title)}")'
    return f"[{label_md}]({target})"
