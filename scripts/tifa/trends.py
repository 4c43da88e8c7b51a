"""Terms through time: per-year counts and rates, first and last dated use, co-occurrence, trends.

Pure functions from speeches and the occurrences `glossary_pages.find_occurrences` found (the
linker's longest, non-overlapping matches; nothing is scanned again here) to numbers, and from
numbers to text: the "Through time" section of each entry page (a static SVG chart with the same
numbers as a table), the /trends/ page, docs/data/trends.csv and docs/data/trends.json.

What is counted (docs/about/trends.md says the same to readers):
- the year of a speech is the first four digits of its `date` metadata; a speech without a date
  is *undated*: its occurrences and characters are counted apart, never placed in a year;
- characters are the characters of a speech's headings and paragraphs (`Speech.char_count`);
- the rate is occurrences per 10,000 characters of all speeches of that year;
- co-occurrence units are blocks (paragraphs and headings); two terms are associated when they
  share at least MIN_JOINT blocks and more than chance predicts, by Dunning's log-likelihood G²;
- rising and falling terms compare the latest RECENT_YEARS years that have speeches with all
  earlier years: G² on (occurrences, characters) in the two periods, signed by the change in rate.
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

PER = 10_000  # rates are per 10,000 characters
MIN_JOINT = 3  # co-occurrence: blocks shared at least this often
MIN_G2 = 3.84  # G² above this is unlikely by chance (p < 0.05, one degree of freedom)
MAX_ASSOCIATED = 10
RECENT_YEARS = 5
MIN_TREND_COUNT = 5
MAX_TRENDING = 10
MAX_COMPARE = 5  # terms on the /trends/ chart
YEAR = re.compile(r"^\s*(\d{4})")
DATE_KEY = re.compile(r"^\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)")


# ---------------------------------------------------------------------------------------------
# Years of speeches.
def speech_year(speech) -> str | None:
    """The year of a speech: the first four digits of its date, or None when undated.

    >>> from tifa.model import Speech, MetaField
    >>> speech_year(Speech("a", "a.txt", "t", meta={"date": MetaField("2019-03")}))
    '2019'
    >>> speech_year(Speech("a", "a.txt", "t")) is None
    True
    """
    field = speech.meta.get("date")
    m = YEAR.match(field.value) if field else None
    return m.group(1) if m else None


def _date_key(speech) -> str:
    field = speech.meta.get("date")
    m = DATE_KEY.match(field.value) if field else None
    return m.group(1) if m else ""


@dataclass(frozen=True)
class YearRow:
    year: str | None  # None: undated speeches
    count: int
    characters: int
    speeches: int

    @property
    def rate(self) -> float:
        return self.count * PER / self.characters if self.characters else 0.0


@dataclass(frozen=True)
class Use:
    """One dated occurrence: where a term was used, and when."""
    date: str
    speech_slug: str
    speech_title: str
    anchor: str
    number: int | None


@dataclass(frozen=True)
class Association:
    slug: str
    joint: int  # blocks containing both terms
    expected: float  # blocks expected to contain both if the terms were independent
    g2: float


@dataclass(frozen=True)
class Trend:
    slug: str
    years: tuple[YearRow, ...]  # every year that has speeches, in order
    undated: YearRow
    first: Use | None
    last: Use | None
    by_level: tuple[tuple[str, int, int], ...]  # (level, occurrences, speeches)
    by_place: tuple[tuple[str, int, int], ...]
    unknown_level: int  # occurrences in speeches with no level recorded
    unknown_place: int
    associated: tuple[Association, ...]

    @property
    def total(self) -> int:
        return sum(r.count for r in self.years) + self.undated.count


@dataclass(frozen=True)
class Change:
    slug: str
    earlier: YearRow  # year = "1954–2020"
    recent: YearRow
    g2: float  # signed: positive when the rate rose

    @property
    def difference(self) -> float:
        return self.recent.rate - self.earlier.rate


@dataclass(frozen=True)
class Analysis:
    years: tuple[YearRow, ...]  # the corpus: count = 0, characters and speeches per year
    undated: YearRow
    trends: dict[str, Trend]  # every entry slug
    rising: tuple[Change, ...]
    falling: tuple[Change, ...]
    periods: tuple[str, str] | None  # ("1954–2020", "2021–2025"), None when there is no earlier period


# ---------------------------------------------------------------------------------------------
# Counting.
def corpus_years(speeches) -> tuple[tuple[YearRow, ...], YearRow]:
    """Characters and speeches per year, and for the undated speeches."""
    chars, count = Counter(), Counter()
    for s in speeches:
        year = speech_year(s)
        chars[year] += s.char_count
        count[year] += 1
    years = tuple(YearRow(y, 0, chars[y], count[y]) for y in sorted(k for k in chars if k))
    return years, YearRow(None, 0, chars[None], count[None])


def year_rows(occurrences, year_of: dict, years, undated) -> tuple[tuple[YearRow, ...], YearRow]:
    counts = Counter(year_of[o.speech_slug] for o in occurrences)
    rows = tuple(YearRow(r.year, counts[r.year], r.characters, r.speeches) for r in years)
    return rows, YearRow(None, counts[None], undated.characters, undated.speeches)


def first_and_last(occurrences, year_of: dict, date_of: dict) -> tuple[Use | None, Use | None]:
    """Earliest and latest dated occurrence: by date, then by position in the speech.
    `year_of` and `date_of`: each speech's `speech_year` and `_date_key`, by slug."""
    dated = [(i, o) for i, o in enumerate(occurrences) if year_of[o.speech_slug]]
    if not dated:
        return None, None
    key = lambda pair: (date_of[pair[1].speech_slug], pair[0])  # noqa: E731
    return _use(min(dated, key=key)[1], date_of), _use(max(dated, key=key)[1], date_of)


def _use(o, date_of: dict) -> Use:
    return Use(date_of[o.speech_slug], o.speech_slug, o.speech_title, o.anchor, o.number)


def recorded(speeches, key: str) -> dict[str, str]:
    """{slug: the speech's value of a metadata field, or "" where it is not recorded}."""
    return {s.slug: (f.value if (f := s.meta.get(key)) and f.value.strip() else "") for s in speeches}


def breakdown(occurrences, value_of: dict[str, str]) -> tuple[tuple, int]:
    """((value, occurrences, speeches), …) by a metadata field (`recorded`), most frequent first;
    and the number of occurrences in speeches where the field is not recorded."""
    counts, speeches, unknown = Counter(), defaultdict(set), 0
    for o in occurrences:
        value = value_of[o.speech_slug]
        if not value:
            unknown += 1
            continue
        counts[value] += 1
        speeches[value].add(o.speech_slug)
    rows = tuple((v, n, len(speeches[v])) for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return rows, unknown


# ---------------------------------------------------------------------------------------------
# Association: Dunning's log-likelihood ratio on a 2×2 table.
def g2(k11: int, k12: int, k21: int, k22: int) -> float:
    """Dunning's G² = 2 Σ O ln(O/E) over the four cells of a 2×2 contingency table.

    >>> round(g2(10, 10, 10, 70), 2)  # E11 = 20·20/100 = 4
    12.07
    """
    n = k11 + k12 + k21 + k22
    rows, cols = (k11 + k12, k21 + k22), (k11 + k21, k12 + k22)
    total = 0.0
    for observed, r, c in ((k11, 0, 0), (k12, 0, 1), (k21, 1, 0), (k22, 1, 1)):
        if observed:
            total += observed * math.log(observed * n / (rows[r] * cols[c]))
    return 2 * total


def block_terms(speeches, occurrences: dict) -> tuple[int, list[frozenset]]:
    """(number of blocks in the corpus, the set of entry slugs of each block that has any)."""
    where = defaultdict(set)
    for slug, found in occurrences.items():
        for o in found:
            where[(o.speech_slug, o.anchor)].add(slug)
    blocks = sum(len(s.blocks) for s in speeches)
    return blocks, [frozenset(v) for v in where.values()]


def associations(blocks: int, units: list[frozenset]) -> dict[str, tuple[Association, ...]]:
    """For each slug, the slugs sharing blocks with it more than chance predicts, strongest first."""
    alone, joint = Counter(), Counter()
    for unit in units:
        alone.update(unit)
        ordered = sorted(unit)
        joint.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:])
    found = defaultdict(list)
    for (a, b), k11 in joint.items():
        if k11 < MIN_JOINT:
            continue
        expected = alone[a] * alone[b] / blocks
        score = g2(k11, alone[a] - k11, alone[b] - k11, blocks - alone[a] - alone[b] + k11)
        if k11 > expected and score >= MIN_G2:
            found[a].append(Association(b, k11, expected, score))
            found[b].append(Association(a, k11, expected, score))
    return {s: tuple(sorted(v, key=lambda x: (-x.g2, x.slug))[:MAX_ASSOCIATED]) for s, v in found.items()}


# ---------------------------------------------------------------------------------------------
# Rising and falling.
def periods(years) -> tuple[tuple[YearRow, ...], tuple[YearRow, ...]]:
    """(earlier, recent): the latest RECENT_YEARS years with speeches, and the years before."""
    return tuple(years[:-RECENT_YEARS]), tuple(years[-RECENT_YEARS:])


def _pool(rows, label: str) -> YearRow:
    return YearRow(label, sum(r.count for r in rows), sum(r.characters for r in rows), sum(r.speeches for r in rows))


def _span(rows) -> str:
    return rows[0].year if len(rows) == 1 else f"{rows[0].year}–{rows[-1].year}"


def change(slug: str, rows) -> Change | None:
    earlier, recent = periods(rows)
    if not earlier or not recent:
        return None
    a, b = _pool(earlier, _span(earlier)), _pool(recent, _span(recent))
    score = g2(b.count, b.characters - b.count, a.count, a.characters - a.count)
    return Change(slug, a, b, score if b.rate >= a.rate else -score)


def rising_and_falling(trends: dict[str, Trend]) -> tuple[tuple[Change, ...], tuple[Change, ...]]:
    changes = [c for t in trends.values() if sum(r.count for r in t.years) >= MIN_TREND_COUNT
               and (c := change(t.slug, t.years)) and abs(c.g2) >= MIN_G2]
    rising = sorted((c for c in changes if c.g2 > 0), key=lambda c: (-c.g2, c.slug))
    falling = sorted((c for c in changes if c.g2 < 0), key=lambda c: (c.g2, c.slug))
    return tuple(rising[:MAX_TRENDING]), tuple(falling[:MAX_TRENDING])


# ---------------------------------------------------------------------------------------------
def analyse(speeches, entries, occurrences: dict) -> Analysis:
    """Everything the pages and data files show, from the corpus and its linked occurrences."""
    speeches = list(speeches)
    facts = ({s.slug: speech_year(s) for s in speeches}, {s.slug: _date_key(s) for s in speeches},
             recorded(speeches, "level"), recorded(speeches, "place"))  # once per speech, not per use
    years, undated = corpus_years(speeches)
    associated = associations(*block_terms(speeches, occurrences))
    trends = {e.slug: _trend(e.slug, occurrences.get(e.slug, []), facts, years, undated,
                             associated.get(e.slug, ())) for e in entries}
    rising, falling = rising_and_falling(trends)
    earlier, recent = periods(years)
    spans = (_span(earlier), _span(recent)) if earlier and recent else None
    return Analysis(years, undated, trends, rising, falling, spans)


def _trend(slug, found, facts, years, undated, associated) -> Trend:
    year_of, date_of, level_of, place_of = facts
    rows, undated_row = year_rows(found, year_of, years, undated)
    first, last = first_and_last(found, year_of, date_of)
    levels, unknown_level = breakdown(found, level_of)
    places, unknown_place = breakdown(found, place_of)
    return Trend(slug, rows, undated_row, first, last, levels, places, unknown_level, unknown_place, associated)


# ---------------------------------------------------------------------------------------------
# Data files.
CSV_FIELDS = ("term", "slug", "year", "count", "characters", "speeches", "per_10000")


def trends_csv(analysis: Analysis, by_slug: dict) -> str:
    """One row per entry and year with speeches, then one `undated` row per entry."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for slug in sorted(analysis.trends):
        t = analysis.trends[slug]
        for r in (*t.years, t.undated):
            writer.writerow([by_slug[slug].term, slug, r.year or "undated", r.count, r.characters,
                             r.speeches, f"{r.rate:.3f}"])
    return out.getvalue()


def trends_json(analysis: Analysis, by_slug: dict) -> str:
    """What /trends/ draws: the years, characters and speeches per year, and per entry with any
    occurrence its term, pinyin and counts aligned with the years (undated apart)."""
    terms = {slug: {"term": by_slug[slug].term, "pinyin": by_slug[slug].pinyin,
                    "counts": [r.count for r in t.years], "undated": t.undated.count}
             for slug, t in sorted(analysis.trends.items()) if t.total}
    data = {"per": PER, "years": [r.year for r in analysis.years],
            "characters": [r.characters for r in analysis.years],
            "speeches": [r.speeches for r in analysis.years],
            "undated": {"characters": analysis.undated.characters, "speeches": analysis.undated.speeches},
            "max": MAX_COMPARE, "terms": terms}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def files(analysis: Analysis, by_slug: dict) -> dict[str, str]:
    from .trends_pages import trends_page

    return {"docs/data/trends.csv": trends_csv(analysis, by_slug),
            "docs/data/trends.json": trends_json(analysis, by_slug),
            "docs/trends/index.md": trends_page(analysis, by_slug)}
