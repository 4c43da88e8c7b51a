"""Terms through time, rendered: the entry-page section with its static SVG chart, and /trends/.

Pure functions from `trends.Analysis` to strings. Text in Markdown goes through
`markdown.escape`; text in raw HTML and SVG (which Markdown passes through untouched) through
`html.escape`. The chart draws with `currentColor` and CSS classes (docs/stylesheets/trends.css),
so it follows the theme in dark mode and prints in black; every number it shows is also in a
table beside it.
"""
from __future__ import annotations

from html import escape as h

from .glossary_pages import entry_link, paragraph_label, speech_href
from .markdown import escape, link
from .trends import (MAX_COMPARE, MIN_G2, MIN_JOINT, MIN_TREND_COUNT, Analysis, Change, Trend, Use,
                     YearRow)

WIDTH, HEIGHT = 720, 208
LEFT, RIGHT, TOP = 50, 10, 34
PLOT = 120  # height of the rate bars
STRIP = 22  # height of the speeches strip below them


def rate(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def _year_span(years: tuple[YearRow, ...]) -> list[int]:
    return list(range(int(years[0].year), int(years[-1].year) + 1)) if years else []


def _ticks(span: list[int]) -> list[int]:
    if len(span) <= 12:
        return span
    step = 10 if len(span) > 30 else 5
    return [y for y in span if y % step == 0]


def _bar_title(r: YearRow) -> str:
    return (f"{r.year}: {r.count} 次 occurrences · {rate(r.rate)} / 10,000 字 characters · "
            f"{r.speeches} 篇 speech{'es' if r.speeches != 1 else ''}")


def chart_svg(t: Trend, term: str) -> str:
    """Bars: occurrences per 10,000 characters per year; below them, speeches per year."""
    span = _year_span(t.years)
    rows = {int(r.year): r for r in t.years}
    step = (WIDTH - LEFT - RIGHT) / len(span)
    top_rate = max((r.rate for r in t.years), default=0) or 1
    top_speeches = max(r.speeches for r in t.years)
    base, strip_base = TOP + PLOT, TOP + PLOT + 6 + STRIP
    x = lambda year: LEFT + (year - span[0]) * step  # noqa: E731
    parts = []
    for year in span:
        r = rows.get(year)
        if r is None:
            continue
        height = r.rate / top_rate * PLOT
        s_height = max(1.5, r.speeches / top_speeches * STRIP)
        # one title per year for its bar and strip (a group's title is the tooltip of each):
        # half the markup of a title in each, which every build parses twice per entry page
        parts.append(f'<g><title>{h(_bar_title(r))}</title>'
                     f'<rect class="tifa-bar" x="{x(year) + step * 0.1:.1f}" y="{base - height:.1f}" '
                     f'width="{step * 0.8:.1f}" height="{height:.1f}"/>'
                     f'<rect class="tifa-strip" x="{x(year) + step * 0.1:.1f}" y="{strip_base - s_height:.1f}" '
                     f'width="{step * 0.8:.1f}" height="{s_height:.1f}"/></g>')
    for year in _ticks(span):
        parts.append(f'<text class="tifa-tick" x="{x(year) + step / 2:.1f}" y="{strip_base + 18}" '
                     f'text-anchor="middle">{year}</text>')
    parts += [
        f'<line class="tifa-axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}"/>',
        f'<line class="tifa-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP}" y2="{TOP}"/>',
        f'<text class="tifa-tick" x="{LEFT - 6}" y="{TOP + 5}" text-anchor="end">{rate(top_rate)}</text>',
        f'<text class="tifa-tick" x="{LEFT - 6}" y="{base}" text-anchor="end">0</text>',
        f'<text class="tifa-tick" x="{LEFT - 6}" y="{strip_base - STRIP + 10}" text-anchor="end">{top_speeches}</text>',
        f'<rect class="tifa-key-bar" x="{LEFT}" y="4" width="12" height="12"/>',
        f'<text class="tifa-label" x="{LEFT + 16}" y="15">每万字出现次数 per 10,000 characters</text>',
        f'<rect class="tifa-key-strip" x="{WIDTH - RIGHT - 12}" y="4" width="12" height="12"/>',
        f'<text class="tifa-label" x="{WIDTH - RIGHT - 16}" y="15" text-anchor="end">讲话篇数 speeches</text>',
    ]
    title = f"{term}：历年每万字出现次数 · {term} per 10,000 characters, by year"
    return (f'<svg class="tifa-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-labelledby="tifa-chart-title tifa-chart-desc" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="tifa-chart-title">{h(title)}</title><desc id="tifa-chart-desc">{h(_describe(t, term))}</desc>'
            + "".join(parts) + "</svg>")


def _describe(t: Trend, term: str) -> str:
    dated = sum(r.count for r in t.years)
    peak = max(t.years, key=lambda r: (r.rate, r.year))
    return (f"{dated} dated occurrences of {term} in {t.years[0].year}–{t.years[-1].year}; "
            f"highest rate {rate(peak.rate)} per 10,000 characters in {peak.year}. "
            "The table below gives every year.")


def numbers_table(t: Trend) -> str:
    """Count, rate and speeches per year. The characters per year (the rate's denominator) are on
    /trends/ and in trends.csv, not here: they change with every edit of any speech, and an entry
    page should change only when its own numbers do (so `mkdocs serve` rebuilds few pages)."""
    head = ("<tr><th scope=\"col\">年 Year</th><th scope=\"col\">次数 Count</th>"
            "<th scope=\"col\">每万字 Per 10,000</th><th scope=\"col\">讲话 Speeches</th></tr>")
    rows = [f"<tr><th scope=\"row\">{h(r.year or '未注明日期 undated')}</th><td>{r.count}</td>"
            f"<td>{rate(r.rate)}</td><td>{r.speeches}</td></tr>"
            for r in (*t.years, t.undated) if r.speeches]
    return (f'<details class="tifa-numbers"><summary>逐年数字 The numbers, year by year</summary>'
            f'<table><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></details>')


def _use_line(label: str, use: Use | None) -> str:
    if use is None:
        return f"- **{label}:** —"
    where = link(f"{escape(use.speech_title)} {paragraph_label(use)}", speech_href(use.speech_slug, use.anchor))
    return f"- **{label}:** {escape(use.date)} — {where}"


def _undated_line(t: Trend) -> list[str]:
    u = t.undated
    if not u.speeches:
        return []
    return [f"未注明日期的讲话 {u.speeches} 篇中出现 {u.count} 次，不计入任何年份。 "
            f"{u.count} occurrence{'s' if u.count != 1 else ''} in {u.speeches} undated "
            f"speech{'es' if u.speeches != 1 else ''}, counted apart and placed in no year.", ""]


def _breakdown(title: str, rows, unknown: int) -> list[str]:
    if not rows:
        return []
    lines = [f"### {title}", "", "| | 次数 Occurrences | 讲话 Speeches |", "|---|--:|--:|"]
    lines += [f"| {escape(value)} | {n} | {speeches} |" for value, n, speeches in rows]
    if unknown:
        lines += [f"| 未记录 not recorded | {unknown} | |"]
    return lines + [""]


def _associated(t: Trend, by_slug) -> list[str]:
    lines = ["### 常同现 Appears with", ""]
    if not t.associated:
        return lines + [f"没有条目与它同段落出现至少 {MIN_JOINT} 次且多于随机预期。 "
                        f"No term shares at least {MIN_JOINT} paragraphs with it more often than chance "
                        "predicts.", ""]
    lines += ["同一段落（或标题）中同时出现的条目，按对数似然比 G² 排序（见[方法](../about/trends.md)）。 "
              "Terms found in the same paragraph or heading more often than chance predicts, strongest first "
              "(Dunning's log-likelihood G²; see [the method](../about/trends.md)).", "",
              "| 条目 Term | 共同段落 Shared | 随机预期 Expected | G² |", "|---|--:|--:|--:|"]
    lines += [f"| {entry_link(by_slug[a.slug])} | {a.joint} | {a.expected:.1f} | {a.g2:.1f} |"
              for a in t.associated if a.slug in by_slug]
    return lines + [""]


def entry_section(analysis: Analysis, slug: str, by_slug: dict) -> str:
    """Markdown for the "Through time" section of one entry page."""
    t, term = analysis.trends[slug], by_slug[slug].term
    lines = ["## 历时 Through time", ""]
    if not t.total:
        return "\n".join(lines + ["语料中尚未出现。 Not found in the corpus yet.", ""])
    if t.first:
        lines += [f'<figure class="tifa-trend">{chart_svg(t, term)}</figure>', "",
                  "柱高为当年讲话中每万字的出现次数，下方灰色小柱为当年讲话篇数，篇数少的年份请谨慎解读。 "
                  "Bars: occurrences per 10,000 characters of that year's speeches; grey bars below: "
                  "the number of speeches that year — read years with few speeches with care.", "",
                  numbers_table(t), "",
                  "每年讲话的字数（每万字的分母）见[趋势页](../trends/index.md#corpus)。 "
                  "The characters of each year's speeches, the denominator of the rate, are on "
                  "[the trends page](../trends/index.md#corpus).", ""]
    lines += _undated_line(t)
    lines += [_use_line("首次 First dated use", t.first), _use_line("最近 Last dated use", t.last), ""]
    lines += _breakdown("按级别 By level", t.by_level, t.unknown_level)
    lines += _breakdown("按地点 By place", t.by_place, t.unknown_place)
    if not t.by_level and not t.by_place:
        lines += ["出现这个条目的讲话没有记录级别与地点。 The speeches using it record no level or place.", ""]
    lines += _associated(t, by_slug)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# /trends/
def _change_rows(changes: tuple[Change, ...], by_slug) -> list[str]:
    if not changes:
        return ["（无 none）", ""]
    lines = ["| 条目 Term | 此前 Earlier | 近年 Recent | 变化 Change | G² |", "|---|--:|--:|--:|--:|"]
    for c in changes:
        term = link(escape(by_slug[c.slug].term), f"../glossary/{c.slug}.md")
        lines.append(f"| {term} | {rate(c.earlier.rate)} ({c.earlier.count}) | {rate(c.recent.rate)} "
                     f"({c.recent.count}) | {c.difference:+.2f} | {abs(c.g2):.1f} |")
    return lines + [""]


COMPARE_WIDGET = """<div id="tifa-trends" class="tifa-compare" data-src="../data/trends.json" data-max="{max}">
<noscript>比较图需要 JavaScript；数据见 trends.csv。 The comparison chart needs JavaScript; the numbers are in trends.csv.</noscript>
</div>"""


def corpus_table(analysis: Analysis) -> list[str]:
    """Speeches and characters per year: the denominators of every rate on the entry pages."""
    rows = [f"| {escape(r.year or '未注明日期 undated')} | {r.speeches} | {r.characters:,} |"
            for r in (*analysis.years, analysis.undated) if r.speeches]
    return ["## 语料 The corpus, year by year {: #corpus }", "",
            "每万字出现次数的分母：各年讲话的字数。 The denominators of every rate: the characters of each "
            "year's speeches.", "", "| 年 Year | 讲话 Speeches | 字数 Characters |", "|---|--:|--:|", *rows, ""]


def trends_page(analysis: Analysis, by_slug: dict) -> str:
    from .glossary_pages import front_matter

    first, last = (analysis.years[0].year, analysis.years[-1].year) if analysis.years else ("", "")
    u = analysis.undated
    lines = ["# 趋势 Trends", "",
             f"语料中有日期的讲话 {sum(r.speeches for r in analysis.years)} 篇，{first}–{last} 年；"
             f"未注明日期的 {u.speeches} 篇单独计数，不计入任何年份。 "
             f"{sum(r.speeches for r in analysis.years)} dated speeches, {first}–{last}; "
             f"{u.speeches} undated speech{'es' if u.speeches != 1 else ''} counted apart, in no year.", "",
             "## 比较 Compare", "",
             f"最多比较 {MAX_COMPARE} 个条目；地址栏中的链接可以分享。 "
             f"Compare up to {MAX_COMPARE} terms; the address (`?terms=…`) can be shared.", "",
             COMPARE_WIDGET.format(max=MAX_COMPARE), "",
             "## 上升与下降 Rising and falling", ""]
    if analysis.periods:
        earlier, recent = analysis.periods
        lines += [f"近年（{escape(recent)}）与此前（{escape(earlier)}）每万字出现次数之比较（括号内为次数），"
                  f"按对数似然比 G² 排序，只列 G² ≥ {MIN_G2} 且有日期的出现至少 {MIN_TREND_COUNT} 次的条目。 "
                  f"Rate per 10,000 characters in the recent years ({escape(recent)}) against the years before "
                  f"({escape(earlier)}), counts in brackets; ranked by log-likelihood G², listing terms with "
                  f"G² ≥ {MIN_G2} and at least {MIN_TREND_COUNT} dated occurrences. [How this is computed](../about/trends.md).", "",
                  "### 上升 Rising", "", *_change_rows(analysis.rising, by_slug),
                  "### 下降 Falling", "", *_change_rows(analysis.falling, by_slug)]
    else:
        lines += ["有日期的讲话不足以区分近年与此前。 The dated speeches span too few years to compare "
                  "recent years with earlier ones.", ""]
    lines += corpus_table(analysis)
    lines += ["## 数据 Data", "",
              "[trends.csv](../data/trends.csv)：每个条目每年的出现次数、当年字数与讲话篇数，另有一行 `undated`。 "
              "One row per term and year: count, characters and speeches that year, and an `undated` row.", ""]
    return front_matter("趋势 Trends", "Glossary terms through time: compare terms, rising and falling") + \
        "\n".join(lines)
