"""Terms through time (scripts/tifa/trends.py, trends_pages.py).

Unit tests on small synthetic speeches, then the issue's real test: the State Council government
work reports 1954–2025 (../shared/corpora, never copied into the repository) imported into a
temporary project, built, and /data/trends.csv compared year by year with a brute-force count
over the raw texts.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tifa import trends, trends_pages
from tifa.glossary import Entry
from tifa.glossary_pages import find_occurrences
from tifa.linker import Linker
from tifa.model import Block, MetaField, Speech

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "government_work_reports.jsonl"


def entry(slug, term, **kw):
    return Entry(slug, term, term, "", (("t", "s"),), "slogan", "national", {"en": ""}, {}, **kw)


def speech(slug, paragraphs, date=None, **meta):
    fields = {k: MetaField(v) for k, v in meta.items()}
    if date:
        fields["date"] = MetaField(date)
    blocks = tuple(Block("paragraph", text, f"p{i + 1}", number=i + 1) for i, text in enumerate(paragraphs))
    return Speech(slug, f"{slug}.txt", f"《{slug}》", meta=fields, blocks=blocks)


ENTRIES = [entry("a", "甲甲"), entry("b", "乙乙"), entry("c", "丙丙")]
SPEECHES = [
    speech("s1", ["甲甲和乙乙。", "甲甲。" + "字" * 94], date="2019-05", level="省级", place="浙江省"),
    speech("s2", ["乙乙乙乙", "甲甲"], date="2019"),
    speech("s3", ["甲甲，甲甲，甲甲。"], date="2021-01-02", level="省级"),
    speech("s4", ["甲甲乙乙丙丙"]),  # undated
]


def analysed(speeches=SPEECHES, entries=ENTRIES):
    return trends.analyse(speeches, entries, find_occurrences(speeches, Linker(entries)))


# ---------------------------------------------------------------------------------------------
def test_year_is_the_first_four_digits_and_undated_speeches_are_apart():
    a = analysed()
    assert [r.year for r in a.years] == ["2019", "2021"]
    t = a.trends["a"]
    assert [(r.year, r.count, r.speeches) for r in t.years] == [("2019", 3, 2), ("2021", 3, 1)]
    assert (t.undated.year, t.undated.count, t.undated.speeches) == (None, 1, 1)
    assert t.total == 7
    assert trends.speech_year(speech("x", ["甲"], date="约2019年")) is None  # not a date that starts with a year


def test_rate_is_per_10000_characters_of_all_speeches_that_year():
    t = analysed().trends["a"]
    chars_2019 = SPEECHES[0].char_count + SPEECHES[1].char_count
    assert t.years[0].characters == chars_2019 == 6 + 97 + 4 + 2
    assert t.years[0].rate == pytest.approx(3 * 10_000 / chars_2019)
    assert t.years[1].rate == pytest.approx(3 * 10_000 / 9)


def test_first_and_last_dated_use_skip_the_undated_speech():
    t = analysed().trends["a"]
    # "2019" sorts before "2019-05": the speech dated only by year counts as the earlier one
    assert (t.first.speech_slug, t.first.anchor) == ("s2", "p2")
    assert (t.last.speech_slug, t.last.anchor, t.last.date) == ("s3", "p1", "2021-01-02")
    c = analysed().trends["c"]
    assert c.first is None and c.last is None and c.undated.count == 1 and c.years[0].count == 0


def test_breakdown_by_level_and_place_counts_unknowns_apart():
    t = analysed().trends["a"]
    assert t.by_level == (("省级", 5, 2),)
    assert t.unknown_level == 2  # s2 and s4 record no level
    assert t.by_place == (("浙江省", 2, 1),) and t.unknown_place == 5


def test_g2_on_a_hand_checked_table():
    # N = 100, row and column totals 20: E11 = 4, E12 = E21 = 16, E22 = 64.
    # G² = 2 (10 ln 10/4 + 2 · 10 ln 10/16 + 70 ln 70/64) = 2 (9.1629 − 9.4001 + 6.2729) = 12.07
    assert trends.g2(10, 10, 10, 70) == pytest.approx(12.07, abs=0.005)
    assert trends.g2(4, 16, 16, 64) == pytest.approx(0, abs=1e-9)  # exactly as chance predicts


def test_association_needs_the_minimum_joint_count_and_more_than_chance():
    together = [speech(f"t{i}", ["甲甲乙乙", "丙丙"] + ["无"] * 8, date="2020") for i in range(3)]
    a = analysed(together)
    assoc = {x.slug: x for x in a.trends["a"].associated}
    assert set(assoc) == {"b"}  # 丙丙 never shares a block with 甲甲
    blocks = 30
    assert assoc["b"].joint == 3 and assoc["b"].expected == pytest.approx(3 * 3 / blocks)
    assert assoc["b"].g2 == pytest.approx(trends.g2(3, 0, 0, 27))
    two = analysed(together[:2])
    assert two.trends["a"].associated == ()  # 2 shared blocks < MIN_JOINT


def test_rising_and_falling_compare_recent_years_with_earlier_ones():
    old = [speech(f"o{y}", ["甲甲" * 5 + "字" * 90], date=str(y)) for y in range(2000, 2010)]
    new = [speech(f"n{y}", ["乙乙" * 5 + "字" * 90], date=str(y)) for y in range(2010, 2015)]
    a = analysed(old + new)
    assert a.periods == ("2000–2009", "2010–2014")
    assert [c.slug for c in a.rising] == ["b"] and [c.slug for c in a.falling] == ["a"]
    assert a.rising[0].recent.rate == pytest.approx(25 * 10_000 / 500)  # 5 a speech, 100 characters each
    assert a.rising[0].earlier.count == 0 and a.falling[0].recent.count == 0


def test_csv_has_a_row_per_year_and_an_undated_row_per_term():
    a = analysed()
    by_slug = {e.slug: e for e in ENTRIES}
    rows = list(csv.DictReader(io.StringIO(trends.trends_csv(a, by_slug))))
    assert [(r["slug"], r["year"], r["count"]) for r in rows if r["slug"] == "a"] == \
        [("a", "2019", "3"), ("a", "2021", "3"), ("a", "undated", "1")]
    undated = next(r for r in rows if r["slug"] == "a" and r["year"] == "undated")
    assert int(undated["characters"]) == SPEECHES[3].char_count and undated["speeches"] == "1"
    data = json.loads(trends.trends_json(a, by_slug))
    assert data["years"] == ["2019", "2021"] and data["terms"]["a"]["counts"] == [3, 3]


def test_entry_section_escapes_text_in_svg_html_and_markdown():
    evil = [entry("x", "<b>甲甲&")]
    s = [speech("e1", ["<b>甲甲&"], date="2020")]
    md = trends_pages.entry_section(analysed(s, evil), "x", {"x": evil[0]})
    assert "<b>甲甲" not in md and "&lt;b&gt;甲甲&amp;" in md
    soup = BeautifulSoup(md, "html.parser")
    svg = soup.find("svg")
    assert svg["role"] == "img" and svg.title and svg.desc
    assert "<b>甲甲&" in svg.title.get_text()  # text, not markup
    assert len(svg.select("rect.tifa-bar")) == 1
    # each year's bar and strip share one tooltip: the title of their group
    year = svg.select_one("rect.tifa-bar").parent
    assert year.name == "g" and year.select("rect.tifa-strip") and year.title.get_text().startswith("2020: 1 次")


def test_entry_section_says_when_every_use_is_undated():
    md = trends_pages.entry_section(analysed(), "c", {e.slug: e for e in ENTRIES})
    assert "<svg" not in md and "1 occurrence in 1 undated speech" in md


def test_corpus_characters_are_on_the_trends_page_not_on_entry_pages():
    """An entry page shows its own numbers only: the characters per year, which change with any
    edit of any speech, are on /trends/ (so one edit does not rewrite every entry page)."""
    a = analysed()
    by_slug = {e.slug: e for e in ENTRIES}
    page = trends_pages.trends_page(a, by_slug)
    assert "{: #corpus }" in page
    assert "| 2019 | 2 | 109 |" in page and "| 未注明日期 undated | 1 | 6 |" in page
    section = trends_pages.entry_section(a, "a", by_slug)
    assert "../trends/index.md#corpus" in section
    assert "Characters" not in section and "109" not in section
    edited = [SPEECHES[0], speech("s2", ["乙乙乙乙，再加几个字", "甲甲"], date="2019"), *SPEECHES[2:]]
    assert trends_pages.entry_section(analysed(edited), "c", by_slug) == trends_pages.entry_section(a, "c", by_slug)


def test_chart_bars_match_the_table():
    a = analysed()
    md = trends_pages.entry_section(a, "a", {e.slug: e for e in ENTRIES})
    soup = BeautifulSoup(md, "html.parser")
    heights = [float(r["height"]) for r in soup.select("rect.tifa-bar")]
    assert heights[1] == pytest.approx(trends_pages.PLOT)  # 2021 has the highest rate
    assert heights[0] / heights[1] == pytest.approx(a.trends["a"].years[0].rate / a.trends["a"].years[1].rate, abs=0.001)
    cells = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in soup.select("details tbody tr")]
    assert [c[:2] for c in cells] == [["2019", "3"], ["2021", "3"], ["未注明日期 undated", "1"]]


# ---------------------------------------------------------------------------------------------
# The government work reports, imported into a temporary project.
def import_reports(rows, project: Path) -> dict[str, str | None]:
    """Write each row as NNN_<hash>.txt (title line, then the content) and a .yml sidecar whose
    date quotes the title when the title gives the year. Returns {file stem: sidecar year}."""
    speeches = project / "seeds/speeches"
    speeches.mkdir(parents=True)
    years = {}
    for i, row in enumerate(rows):
        stem = f"{i:03d}_{hashlib.sha256(row['title'].encode()).hexdigest()[:16]}"
        (speeches / f"{stem}.txt").write_text(f"{row['title']}\n{row['content']}", encoding="utf-8")
        m = re.match(r"(\d{4})年", row["title"])
        years[stem] = m.group(1) if m else None
        sidecar = {"slug": f"report-{i:03d}", "title": row["title"]}
        if m:
            sidecar["date"] = {"value": m.group(1), "evidence": row["title"], "confidence": "high"}
        (speeches / f"{stem}.yml").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    return years


def brute_force_counts(text: str, entries) -> Counter:
    """Leftmost-longest non-overlapping matches of every surface, by Python's regex alternation
    (alternatives tried longest first): an implementation independent of the linker's automaton.
    Like the linker, it reads both scripts: text and surfaces (term, aliases, traditional form)
    are compared folded to simplified (the 1954 report writes 官僚主義)."""
    from tifa.script import to_simplified

    surfaces = sorted({(to_simplified(k), e.slug) for e in entries for k in (*e.keys, e.traditional) if k},
                      key=lambda ks: (-len(ks[0]), ks[0]))
    slug_of = dict(surfaces)
    pattern = re.compile("|".join(re.escape(k) for k, _ in surfaces))
    return Counter(slug_of[m.group()] for m in pattern.finditer(to_simplified(text)))


def build_trends(project: Path):
    """The trends part of the build, in process and into `project`: what site.render adds for
    issue 11 (the whole render also finds candidates and indexes search, a minute on 1.3 million
    characters, and neither changes a number here)."""
    from tifa import emit
    from tifa.pipeline import load_corpus

    corpus = load_corpus(project)
    assert not corpus.errors, corpus.errors[:3]
    by_slug = {e.slug: e for e in corpus.entries}
    analysis = trends.analyse(corpus.speeches, corpus.entries,
                              find_occurrences(corpus.speeches, Linker(corpus.entries)))
    files = trends.files(analysis, by_slug)
    files.update({f"docs/glossary/{slug}.md": trends_pages.entry_section(analysis, slug, by_slug)
                  for slug in by_slug})
    emit.write_outputs(project, files)
    return corpus


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    if not CORPUS.exists():
        pytest.skip(f"{CORPUS} is absent (the shared corpora are not part of the repository)")
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    project = tmp_path_factory.mktemp("reports")
    years = import_reports(rows, project)
    shutil.copytree(ROOT / "seeds/glossary", project / "seeds/glossary")
    corpus = build_trends(project)
    return project, years, corpus


def read_csv(project: Path):
    with open(project / "docs/data/trends.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_trends_csv_agrees_with_a_brute_force_count_year_by_year(reports):
    project, years, corpus = reports
    entries = corpus.entries
    speech_year = {Path(s.source_path).stem: trends.speech_year(s) for s in corpus.speeches}
    # The years are the pipeline's input: the sidecars' where they give one, else whatever the
    # metadata stage inferred (the NPC resolutions date themselves by their session).
    assert all(speech_year[stem] == y for stem, y in years.items() if y)
    # Entries whose negative contexts occur in the texts are left out: the linker skips those
    # occurrences, a plain regex would not.
    raw = {p.stem: p.read_text(encoding="utf-8") for p in (project / "seeds/speeches").glob("*.txt")}
    everything = "\n".join(raw.values())
    checked = [e for e in entries if not any(c in everything for c in e.negative_contexts)]
    assert len(checked) >= len(entries) - 5
    expected = defaultdict(Counter)
    for stem, text in raw.items():
        body = text.split("\n", 1)[1]  # the first line is the title, shown as the page title
        year = speech_year[stem] or "undated"
        expected[year].update(brute_force_counts(body, entries))
    rows = read_csv(project)
    got = {(r["slug"], r["year"]): int(r["count"]) for r in rows}
    slugs = {e.slug for e in checked}
    mismatches = [(slug, year, got.get((slug, year)), expected[year][slug])
                  for slug in slugs for year in expected if got.get((slug, year), 0) != expected[year][slug]]
    assert not mismatches, mismatches[:10]
    assert {r["year"] for r in rows} == set(expected) | {"undated"}  # every year with speeches; `undated` always
    assert sum(expected[y][s] for y in expected for s in slugs) > 500  # the test compares real numbers
    # first years: the first year with a brute-force count, and what the entry page says
    for slug in sorted(slugs):
        dated = sorted(y for y in expected if y != "undated" and expected[y][slug])
        page = (project / f"docs/glossary/{slug}.md").read_text(encoding="utf-8")
        first = re.search(r"首次 First dated use:\*\* (\d{4})", page)
        assert (first.group(1) if first else None) == (dated[0] if dated else None), slug
        assert ("<svg" in page) == bool(dated), slug


def test_characters_and_speeches_per_year_match_the_corpus(reports):
    project, years, corpus = reports
    chars, count = Counter(), Counter()
    for s in corpus.speeches:
        year = trends.speech_year(s) or "undated"
        chars[year] += sum(len(b.text) for b in s.blocks)
        count[year] += 1
    for r in read_csv(project):
        assert (int(r["characters"]), int(r["speeches"])) == (chars[r["year"]], count[r["year"]])
    # The 20 NPC resolutions have no year in their sidecar; metadata.py dates them by their session.
    assert sum(1 for y in years.values() if y is None) == 20 and count["undated"] == 0
    assert set(count) >= {y for y in years.values() if y}


def test_trends_page_and_data_for_the_reports(reports):
    project, _, _ = reports
    data = json.loads((project / "docs/data/trends.json").read_text(encoding="utf-8"))
    assert data["years"][0] == "1954" and data["years"][-1] == "2025"
    assert (project / "docs/data/trends.json").stat().st_size < 100_000
    page = (project / "docs/trends/index.md").read_text(encoding="utf-8")
    assert 'id="tifa-trends"' in page and "### 上升 Rising" in page
    rising = re.findall(r"^\| \[[^\]]+\]\(\.\./glossary/([a-z0-9-]+)\.md\)", page.split("### 下降")[0], re.M)
    assert rising, "70 years of reports have rising terms"
    # a rising term's recent rate really is above its earlier rate, from the CSV
    rows = [r for r in read_csv(project) if r["slug"] == rising[0] and r["year"] != "undated"]
    recent, earlier = rows[-trends.RECENT_YEARS:], rows[:-trends.RECENT_YEARS]
    rate = lambda rs: sum(int(r["count"]) for r in rs) / sum(int(r["characters"]) for r in rs)  # noqa: E731
    assert rate(recent) > rate(earlier)
    assert not math.isnan(rate(recent))


def test_the_build_writes_the_section_on_every_entry_page_and_the_data_files(corpus, root):
    from tifa import site

    files = site.render(corpus, root)
    assert {"docs/data/trends.csv", "docs/data/trends.json", "docs/trends/index.md"} <= set(files)
    for entry in corpus.entries:
        page = files[f"docs/glossary/{entry.slug}.md"]
        assert page.index("## 历时 Through time") < page.index("## 在语料中 In the corpus"), entry.slug
    used = {r["slug"] for r in csv.DictReader(io.StringIO(files["docs/data/trends.csv"])) if int(r["count"])}
    assert used and all("<svg" in files[f"docs/glossary/{slug}.md"] for slug in used
                        if any(trends.speech_year(s) for s in corpus.speeches))
