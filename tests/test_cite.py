"""Citations: GB/T 7714, Chicago, BibTeX and RIS from a speech's metadata; Highwire tags."""
from __future__ import annotations

import json
import re

from tifa.markdown import inert
from tifa import cite, emit
from tifa.model import Block, MetaField, Speech

URL = "https://example.org/speeches/s/"


def speech(**meta):
    fields = {k: MetaField(v) for k, v in meta.items()}
    return Speech(slug="s", source_path="seeds/speeches/s.txt", title="在市长办公会议上的讲话",
                  title_en="Speech at the mayor's office meeting", meta=fields,
                  blocks=(Block("paragraph", "同志们：", "p1", number=1),))


FULL = speech(speaker_role="市长", place="河南省郑州市", date="2015-12", source="某范文网")


def test_every_style_names_speaker_date_and_place_without_a_pilcrow():
    t = cite.templates(FULL)
    for scope in ("speech", "paragraph"):
        for style in cite.STYLES:
            text = cite.fill(t[scope][style], URL + ("#p3" if scope == "paragraph" else ""), "2026-01-02", 3)
            assert "¶" not in text and "{" + "url}" not in text and "{accessed}" not in text
            assert "市长" in text and "河南省郑州市" in text and "2015" in text and "2026-01-02" in text
            assert ("3" in text) if scope == "paragraph" else ("{n}" not in t[scope][style])


def test_formats():
    t = cite.templates(FULL)
    gbt = cite.fill(t["paragraph"]["gbt"], URL + "#p3", "2026-01-02", 3)
    assert gbt == f"市长. 在市长办公会议上的讲话[EB/OL]. 河南省郑州市, 2015-12: 第3段. [2026-01-02]. {URL}#p3."
    chicago = cite.fill(t["speech"]["chicago"], URL, "2026-01-02")
    assert chicago == ("市长, “在市长办公会议上的讲话” (Speech at the mayor's office meeting), Speech, 河南省郑州市, "
                       f"2015-12, copy published by 某范文网, accessed 2026-01-02. {URL}.")
    bib = cite.fill(t["paragraph"]["bibtex"], URL + "#p3", "2026-01-02", 3)
    assert bib.startswith("@misc{tifa-s-p3,\n  author = {{市长}},") and "year = {2015}" in bib
    assert f"howpublished = {{\\url{{{URL}#p3}}}}" in bib and bib.endswith("\n}")
    ris = cite.fill(t["speech"]["ris"], URL, "2026-01-02").splitlines()
    assert ris[0] == "TY  - SPEECH" and "DA  - 2015/12" in ris and f"UR  - {URL}" in ris and ris[-1] == "ER  - "


def test_missing_metadata_is_left_out_not_invented():
    bare = speech()
    for style, text in cite.templates(bare)["speech"].items():
        assert "None" not in text and ", ," not in text and ". ." not in text, style
    assert cite.templates(bare)["speech"]["gbt"] == "在市长办公会议上的讲话[EB/OL]. [{accessed}]. {url}."
    assert cite.highwire(bare) == {"citation_title": "在市长办公会议上的讲话", "citation_language": "zh"}


def test_bibtex_and_ris_values_cannot_break_out():
    evil = speech(speaker_role="市长}, title={x", place="a\nTY  - JOUR", date="2015")
    bib = cite.templates(evil)["speech"]["bibtex"]
    assert "市长\\}, title=\\{x" in bib
    ris = cite.templates(evil)["speech"]["ris"]
    assert "\nTY  - JOUR" not in ris and "CY  - a TY - JOUR" in ris


def test_highwire_tags_and_page_payload_are_escaped():
    hostile = '"><script>alert(1)</script>'
    s = Speech(slug="s", source_path="x.txt", title=hostile, meta={"speaker_role": MetaField(hostile)},
               blocks=(Block("paragraph", "同志们：", "p1", number=1),))
    page = emit.speech_page(s)
    payload = re.search(r'<script type="application/json" id="tifa-cite-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in payload and ">" not in payload and "&" not in payload
    assert json.loads(payload)["speech"]["gbt"].startswith(hostile)
    front = page.split("---\n")[1]
    assert f"citation_title: {json.dumps(inert(hostile), ensure_ascii=False)}" in front  # escaped once, by the build
    assert "<script>" not in page.split("---\n", 2)[2].replace(payload, "")


def test_overrides_template_renders_highwire_values_inert():
    """overrides/main.html renders the citation_* front matter the build escaped: no value becomes markup."""
    import jinja2
    import yaml
    from pathlib import Path

    import material

    root = Path(__file__).resolve().parents[1]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(root / "overrides"),
                                                            str(Path(material.__file__).parent / "templates")]))
    assert '{% include "partials/tifa-citation.html" %}' in (root / "overrides" / "main.html").read_text()
    template = env.get_template("partials/tifa-citation.html")
    hostile = '"><script>alert(1)</script> & y'
    s = Speech(slug="s", source_path="x.txt", title=hostile, meta={"speaker_role": MetaField(hostile),
                                                                   "source": MetaField("x & y")},
               blocks=(Block("paragraph", "同志们：", "p1", number=1),))

    class Page:
        meta = yaml.safe_load(emit.speech_page(s).split("---\n")[1])

    html = template.render(page=Page())
    assert "<script>" not in html and '"><' not in html
    assert '<meta name="citation_title" content="&quot;＞＜script＞alert(1)＜/script＞ &amp; y">' in html
    assert '<meta name="citation_publisher" content="x &amp; y">' in html
