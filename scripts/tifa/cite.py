"""Citations of a speech or of one paragraph: GB/T 7714, Chicago, BibTeX and RIS, plus Highwire tags.

Pure functions over a Speech's metadata. The page URL and the access date are only known in
the reader's browser, so each format is a template with `{url}` and `{accessed}` slots that
docs/javascripts/tifa-cite.js fills (`fill` does the same in Python, for the tests). Speaker,
place and date come from the metadata; a missing value is left out, never invented.
"""
from __future__ import annotations

import re

from .model import Speech

STYLES = ("gbt", "chicago", "bibtex", "ris")


def fields(speech: Speech) -> dict[str, str]:
    """The values a citation uses: title, English title, speaker, place, date, occasion, site."""
    value = lambda key: speech.meta[key].value.strip() if key in speech.meta else ""  # noqa: E731
    return {"title": speech.title, "title_en": speech.title_en, "speaker": value("speaker_role"),
            "place": value("place"), "date": value("date"), "occasion": value("occasion"),
            "site": value("source"), "slug": speech.slug}


def year(date: str) -> str:
    m = re.match(r"\d{4}", date)
    return m.group() if m else ""


def gbt(f: dict, paragraph: int | None = None) -> str:
    """GB/T 7714-2015, electronic resource [EB/OL]; the speaker's office stands for the author."""
    where = ", ".join(p for p in (f["place"], f["date"]) if p)
    parts = [f"{f['speaker']}. " if f["speaker"] else "", f"{f['title']}[EB/OL]. "]
    if where:
        parts.append(f"{where}")
        parts.append(f": 第{paragraph}段. " if paragraph else ". ")
    elif paragraph:
        parts.append(f"第{paragraph}段. ")
    parts.append("[{accessed}]. {url}.")
    return "".join(parts)


def chicago(f: dict, paragraph: int | None = None) -> str:
    """Chicago notes-bibliography, speech: speaker, "title" (English), speech, place, date."""
    title = f"“{f['title']}”" + (f" ({f['title_en']})" if f["title_en"] else "")
    bits = [f["speaker"], title, "Speech", f["place"], f["date"],
            f"paragraph {paragraph}" if paragraph else "", f"copy published by {f['site']}" if f["site"] else "",
            "accessed {accessed}"]
    return ", ".join(b for b in bits if b) + ". {url}."


def _bib(value: str) -> str:
    """A BibTeX field value: braces and TeX specials escaped, on one line."""
    value = value.replace("\\", "\\textbackslash{}").replace("\n", " ")
    value = re.sub(r"([{}%&$#_])", r"\\\1", value)
    return value.replace("~", "\\textasciitilde{}").replace("^", "\\textasciicircum{}")


def bibtex(f: dict, paragraph: int | None = None) -> str:
    key = f"tifa-{f['slug']}" + (f"-p{paragraph}" if paragraph else "")
    rows = [("author", f"{{{_bib(f['speaker'])}}}" if f["speaker"] else ""), ("title", _bib(f["title"])),
            ("note", _bib("; ".join(p for p in (f["title_en"], f"speech, {f['place']}" if f["place"] else "",
                                                   f"paragraph {paragraph}" if paragraph else "") if p))),
            ("year", year(f["date"])), ("date", f["date"]), ("publisher", _bib(f["site"])),
            ("howpublished", "\\url{{url}}"), ("urldate", "{accessed}")]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in rows if value)
    return f"@misc{{{key},\n{body}\n}}"


def _ris(value: str) -> str:
    return " ".join(value.split())


def ris(f: dict, paragraph: int | None = None) -> str:
    rows = [("TY", "SPEECH"), ("AU", f["speaker"]), ("TI", f["title"]), ("TT", f["title_en"]),
            ("CY", f["place"]), ("PY", year(f["date"])), ("DA", f["date"].replace("-", "/")),
            ("PB", f["site"]), ("N1", f"Paragraph {paragraph}" if paragraph else ""),
            ("UR", "{url}"), ("Y2", "{accessed}"), ("LA", "zh")]
    return "\n".join(f"{tag}  - {_ris(value)}" for tag, value in rows if value) + "\nER  - \n"


FORMATTERS = {"gbt": gbt, "chicago": chicago, "bibtex": bibtex, "ris": ris}


def templates(speech: Speech) -> dict:
    """{"speech": {style: template}, "paragraph": {style: template with {n}}} for the page's Cite panel."""
    f = fields(speech)
    marker = 987654321  # stands for the paragraph number, replaced by {n} below
    para = {s: fn(f, marker).replace(str(marker), "{n}") for s, fn in FORMATTERS.items()}
    return {"speech": {s: fn(f) for s, fn in FORMATTERS.items()}, "paragraph": para}


def fill(template: str, url: str, accessed: str, n: int | None = None) -> str:
    """What the browser shows: the slots of a template filled in."""
    out = template.replace("{url}", url).replace("{accessed}", accessed)
    return out.replace("{n}", str(n)) if n is not None else out


def highwire(speech: Speech) -> dict[str, str]:
    """Highwire Press `citation_*` meta tags (Google Scholar, Zotero), from the metadata only."""
    f = fields(speech)
    tags = {"citation_title": f["title"], "citation_author": f["speaker"],
            "citation_date": f["date"].replace("-", "/"), "citation_publisher": f["site"],
            "citation_language": "zh"}
    return {k: v for k, v in tags.items() if v}
