"""Metadata a text gives about itself: date, speaker role, level, place and occasion.

Every inferred value is a `MetaField` with a verbatim quote from the cleaned text as its evidence,
a confidence, and a note saying how the value follows from the quote — the same shape as a
sidecar value, so pages show both alike. The date comes from weighted cues: each cue proposes a
year with a weight, the weights add up per year, and the best-supported year wins (its strongest
cue gives the evidence and the confidence). Matching runs on `to_simplified(text)` with full-width
digits folded, both offset for offset, so traditional-character texts date themselves too and
quotes are cut from the text as written. See docs/about/metadata.md for the measured accuracy.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .model import MetaField
from .script import to_simplified

# --- Tables -----------------------------------------------------------------------------------
# Sessions of the National People's Congress: year of each session, by term (届) and session (次).
# Terms 1–5 met irregularly; the years are those of Xinhua's table "历届全国人大历次会议"
# (https://global.chinadaily.com.cn/hqzx/2014qglianghui/2011-02/16/content_17251575.htm; the 3rd
# NPC's only session opened in December 1964). From the 6th NPC (1983) on, a term lasts five years
# and the NPC meets once a year (Constitution of 1982, articles 60 and 61), so session M of a term
# is in FIRST_SESSION[term] + M - 1. First sessions 6–11 are in the same Xinhua table; the 14th
# NPC's first session opened on 2023-03-05 (https://www.baike.com/wikiid/7182509208784540984), and
# the 12th and 13th follow at five-year steps (2013, 2018).
NPC_IRREGULAR = {
    1: (1954, 1955, 1956, 1957, 1958), 2: (1959, 1960, 1962, 1963), 3: (1964,), 4: (1975,),
    5: (1978, 1979, 1980, 1981, 1982),
}
NPC_FIRST_SESSION = {6: 1983, 7: 1988, 8: 1993, 9: 1998, 10: 2003, 11: 2008, 12: 2013, 13: 2018, 14: 2023}
# National Committees of the CPPCC: from the 6th (1983) on they share the NPC's five-year rhythm
# and meet at the same time each year. Earlier committees met irregularly and are left out.
CPPCC_FIRST_SESSION = dict(NPC_FIRST_SESSION)
# National Congresses of the CPC, by number: year of the congress (list of "历次中国共产党全国代表
# 大会召开时间", http://m.syiban.com/dangshi/1069.html; the 20th opened on 2022-10-16).
CPC_CONGRESS = {1: 1921, 2: 1922, 3: 1923, 4: 1925, 5: 1927, 6: 1928, 7: 1945, 8: 1956, 9: 1969,
                10: 1973, 11: 1977, 12: 1982, 13: 1987, 14: 1992, 15: 1997, 16: 2002, 17: 2007,
                18: 2012, 19: 2017, 20: 2022}


def nth(n: int) -> str:
    """English ordinal: 1st, 2nd, 3rd, 4th, 11th, 22nd."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def npc_session_year(term: int, session: int) -> int | None:
    """Year of session `session` of the `term`-th NPC.

    >>> npc_session_year(14, 3), npc_session_year(2, 3), npc_session_year(15, 1)
    (2025, 1962, None)
    """
    if term in NPC_IRREGULAR:
        years = NPC_IRREGULAR[term]
        return years[session - 1] if 1 <= session <= len(years) else None
    if term in NPC_FIRST_SESSION and 1 <= session <= 5:
        return NPC_FIRST_SESSION[term] + session - 1
    return None


def npc_first_year(term: int) -> int | None:
    return npc_session_year(term, 1)


def cppcc_session_year(term: int, session: int) -> int | None:
    return CPPCC_FIRST_SESSION[term] + session - 1 if term in CPPCC_FIRST_SESSION and 1 <= session <= 5 else None


# --- Numbers ----------------------------------------------------------------------------------
_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUM = "[一二三四五六七八九十]{1,3}"
YEAR = r"(?<![\d])(?:1[89]\d\d|20\d\d)(?!\d)|[〇○零一二三四五六七八九]{4}"


def cn_number(text: str) -> int | None:
    """Value of a small Chinese or Arabic numeral: 十四 → 14, 二十 → 20, 3 → 3.

    >>> [cn_number(s) for s in ("三", "十", "十四", "二十", "二十一", "12")]
    [3, 10, 14, 20, 21, 12]
    """
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _DIGIT.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    return (_DIGIT.get(tens, 0) if tens else 1) * 10 + (_DIGIT.get(ones, 0) if ones else 0)


def year_value(text: str) -> int:
    """1954 or 一九五四 → 1954."""
    text = text.replace(" ", "")
    return int(text) if text.isdigit() else int("".join(str(_DIGIT[c]) for c in text))


def fold(text: str) -> str:
    """Simplified characters and ASCII digits, offset for offset: the text cues are matched on."""
    return to_simplified(text).translate(_FULL_WIDTH_DIGITS)


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


# --- Date cues --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cue:
    year: int
    weight: int
    evidence: str  # quote from the text as written
    note: str
    value: str = ""  # a finer date (YYYY-MM or YYYY-MM-DD) where the cue gives one


HIGH, MEDIUM, LOW = 80, 50, 0  # a cue's weight at least HIGH gives confidence high, …
NPC = rf"第({CN_NUM})届全国人民代表大会第({CN_NUM})次会议"
NPC_SHORT = rf"第?({CN_NUM})届全国人大第?({CN_NUM})次会议"  # 十四届全国人大三次会议
CPPCC = rf"(?:中国人民政治协商会议第({CN_NUM})届全国委员会|全国政协第?({CN_NUM})届)第?({CN_NUM})次会议"
CONGRESS = rf"第({CN_NUM})次全国代表大会"
FULL_DATE = rf"({YEAR})\s*年\s*([\d一二三四五六七八九十]{{1,2}})\s*月(?:\s*([\d一二三四五六七八九十]{{1,3}})\s*日)?"
# The congress a report is made to: it opens the text, or the report is made to (向) or at (在…上) it.
CONGRESS_ADDRESSED = rf"^中国共产党{CONGRESS}|向(?:中国共产党|党的)?{CONGRESS}|在(?:中国共产党|党的)?{CONGRESS}(?=上)"
PAST = re.compile(r"(?:去年|根据|从|自|以来|上届|闭幕)")


def _span(original: str, m: re.Match, group: int = 0) -> str:
    return original[m.start(group):m.end(group)]


def _date_value(m: re.Match) -> tuple[int, str]:
    year = year_value(m.group(1))
    month = cn_number(m.group(2))
    if not month or not 1 <= month <= 12:
        return year, str(year)
    day = cn_number(m.group(3)) if m.group(3) else None
    if day and 1 <= day <= 31:
        return year, f"{year}-{month:02d}-{day:02d}"
    return year, f"{year}-{month:02d}"


def dated_lines(lines: list[str], folded: list[str]) -> list[Cue]:
    """A dating line: `——2024年3月5日在第十四届…会议上`, `（2017年10月18日）`, `（…通过）`."""
    cues = []
    for line, f in zip(lines, folded):
        for m in re.finditer(rf"(?:^[（(]?|——|[（(]){FULL_DATE}(?=\s*(?:[)）]|在|$|[^，。；]*通过[)）]))", f):
            year, value = _date_value(m)
            cues.append(Cue(year, 100, line[m.start(1):m.end()], "A dating line at the head or foot of the text.", value))
    return cues


ADDRESSED_BEFORE = ("向", "在", "我们")  # 向第一届全国人民代表大会第二次会议提出, 在…会议上, 我们…会议
ADDRESSED_AFTER = ("听取", "关于", "上", "通过", "作", "，提出", "提出")  # resolutions, dating lines, 作报告


def _addressed(f: str, m: re.Match) -> bool:
    before, after = f[max(0, m.start() - 3):m.start()], f[m.end():m.end() + 3]
    return before.endswith(ADDRESSED_BEFORE) or after.startswith(ADDRESSED_AFTER)


def sessions_addressed(lines: list[str], folded: list[str]) -> list[Cue]:
    """The NPC or CPPCC session the text is addressed to or adopted by (not one looked back on)."""
    cues = []
    for line, f in zip(lines, folded):
        for m in (*re.finditer(NPC, f), *re.finditer(NPC_SHORT, f)):
            cues += _npc_cue(line, f, m)
        for m in re.finditer(CPPCC, f):
            term, session = cn_number(m.group(1) or m.group(2)), cn_number(m.group(3))
            year = cppcc_session_year(term, session) if term and session else None
            if year and _addressed(f, m):
                cues.append(Cue(year, 80, _span(line, m), f"Session {session} of the {nth(term)} CPPCC National "
                                f"Committee met in {year}."))
        for m in re.finditer(rf"向第({CN_NUM})届全国人民代表大会(?:作|提出)", f):
            year = npc_first_year(cn_number(m.group(1)) or 0)
            if year:
                cues.append(Cue(year, 80, _span(line, m), f"Addressed to the {nth(cn_number(m.group(1)))} NPC, "
                                f"whose first session met in {year}."))
        for m in re.finditer(rf"第({CN_NUM})届全国人民代表大会期间", f):
            year = npc_first_year((cn_number(m.group(1)) or 0) + 1)
            if year:
                cues.append(Cue(year, 50, _span(line, m), f"Looks back on the whole term of the "
                                f"{nth(cn_number(m.group(1)))} NPC: the text opens the next one, in {year}."))
    return cues


def _npc_cue(line: str, f: str, m: re.Match) -> list[Cue]:
    term, session = cn_number(m.group(1)), cn_number(m.group(2))
    year = npc_session_year(term, session) if term and session else None
    if year is None:
        return []
    before, after = f[max(0, m.start() - 12):m.start()], f[m.end():m.end() + 6]
    quote = _span(line, m)
    if "去年" in before:
        return [Cue(year + 1, 80, quote, f"Last year's session (去年) of the {nth(term)} NPC met in {year}, "
                    f"so the text is from {year + 1}.")]
    if _addressed(f, m) and not PAST.search(before[-6:]):
        return [Cue(year, 90, quote, f"Session {session} of the {nth(term)} National People's Congress met in "
                    f"{year} (table of NPC sessions in metadata.py).")]
    if after.startswith("精神"):
        return [Cue(year, 40, quote, f"Relays the spirit (精神) of session {session} of the {nth(term)} NPC, "
                    f"which met in {year}: the text is from that year or shortly after.")]
    looks_back = re.match(r"\S{0,2}以来的五年|，到这次大会", after) or ("从" in before and after.startswith("以来"))
    if looks_back and session == 1 and (nxt := npc_first_year(term + 1)):
        return [Cue(nxt, 50, quote, f"Looks back on the time since the first session of the {nth(term)} NPC: "
                    f"the text is from the first session of the next NPC, in {nxt}.")]
    return []


def congresses_addressed(lines: list[str], folded: list[str]) -> list[Cue]:
    """The CPC National Congress a report is made to."""
    cues = []
    for line, f in zip(lines, folded):
        for m in re.finditer(CONGRESS_ADDRESSED, f):
            n = cn_number(next(g for g in m.groups() if g))
            if n in CPC_CONGRESS:
                cues.append(Cue(CPC_CONGRESS[n], 80, _span(line, m), f"The {nth(n)} National Congress of the CPC "
                                f"met in {CPC_CONGRESS[n]}."))
        for m in re.finditer(rf"(?:代表|受)(?:中国共产党)?第?({CN_NUM})届中央委员会", f):
            n = (cn_number(m.group(1)) or 0) + 1
            if n in CPC_CONGRESS:
                cues.append(Cue(CPC_CONGRESS[n], 80, _span(line, m), f"The {nth(n - 1)} Central Committee reports to "
                                f"the {nth(n)} National Congress, which met in {CPC_CONGRESS[n]}."))
        for m in re.finditer(rf"中共({CN_NUM})大", f):
            n = cn_number(m.group(1))
            if n in CPC_CONGRESS:
                cues.append(Cue(CPC_CONGRESS[n], 60, _span(line, m), f"The {nth(n)} Party Congress (中共{m.group(1)}大) "
                                f"met in {CPC_CONGRESS[n]}."))
    return cues


REFERENCES = (  # (pattern, years after the congress, what the text says)
    (rf"明年[^。；]{{0,8}}?党的({CN_NUM})大", -1, "calls it next year's (明年)"),
    (rf"今年[^。；]{{0,8}}?召开党的({CN_NUM})大|今年[^。；]{{0,6}}党的({CN_NUM})大[^。；]{{0,4}}召开", 0,
     "says it meets this year (今年)"),
    (rf"今年是[^。；]{{0,12}}党的({CN_NUM})大精神的开局之年", 1,
     "calls this year the first year of carrying it out (开局之年)"),
)
LOOKING_FORWARD = rf"迎接党的({CN_NUM})大"  # 迎接党的二十大胜利召开: some time in the year or two before it


def congress_references(lines: list[str], folded: list[str]) -> list[Cue]:
    """明年党的二十大 → the year before the 20th Congress; 今年 … 党的二十大 → its year."""
    cues = []
    for line, f in zip(lines, folded):
        for pattern, shift, says in REFERENCES:
            for m in re.finditer(pattern, f):
                n = cn_number(next(g for g in m.groups() if g))
                if n in CPC_CONGRESS:
                    cues.append(Cue(CPC_CONGRESS[n] + shift, 70, _span(line, m), f"The {nth(n)} Party Congress met in "
                                    f"{CPC_CONGRESS[n]}, and the text {says}."))
        for m in re.finditer(LOOKING_FORWARD, f):
            n = cn_number(m.group(1))
            if n in CPC_CONGRESS:
                cues.append(Cue(CPC_CONGRESS[n], 20, _span(line, m), f"The text looks forward to the {nth(n)} Party "
                                f"Congress (迎接), which met in {CPC_CONGRESS[n]}: it is from that year or shortly before."))
    return cues


def review_years(lines: list[str], folded: list[str]) -> list[Cue]:
    """年度 wording: `2024年工作回顾`, `刚刚过去的1984年` → the next year; `2004年主要任务`,
    `报告提出的2025年` → that year. Headings anywhere (short lines), other wording in the opening."""
    cues = []
    for i, (line, f) in enumerate(zip(lines, folded)):
        if len(f) > 40 and i > 4:
            continue
        for m in re.finditer(rf"({YEAR})\s*年(?:国内)?工作(?:的)?回顾|刚刚过去的\s*({YEAR})\s*年", f):
            year = year_value(m.group(1) or m.group(2)) + 1
            cues.append(Cue(year, 70, _span(line, m), f"Reviews the year {year - 1}, so it is given in {year}."))
        for m in re.finditer(rf"同意报告提出的\s*({YEAR})\s*年|^\S{{0,3}}({YEAR})\s*年(?:的|政府)?(?:主要任务|工作的?总体要求|工作任务)", f):
            year = year_value(m.group(1) or m.group(2))
            cues.append(Cue(year, 60, _span(line, m), f"Sets out the tasks for {year}, in {year}."))
    return cues


def current_year_talk(lines: list[str], folded: list[str]) -> list[Cue]:
    """Plans and estimates for the year in hand: `1982年预计`, `确定1987年…的主要任务`, `1987年，我们要`."""
    cues = []
    for line, f in zip(lines, folded):
        for m in re.finditer(rf"(?<![到至])({YEAR})\s*年(?:预计|，?我们要|要在|的主要任务)|确定({YEAR})\s*年", f):
            year = year_value(m.group(1) or m.group(2))
            cues.append(Cue(year, 6, _span(line, m), f"Plans or estimates for {year} as the year in hand."))
    return cues


def most_reviewed_year(lines: list[str], folded: list[str]) -> list[Cue]:
    """Weakest cue: the year the text names most often, taken as the year under review (a report
    looks back on the year before it is given), so the text is from the year after."""
    counts, first = Counter(), {}
    for line, f in zip(lines, folded):
        for m in re.finditer(rf"({YEAR})\s*年", f):
            year = year_value(m.group(1))
            counts[year] += 1
            first.setdefault(year, _span(line, m))
    if not counts:
        return []
    (year, n), = counts.most_common(1)
    if n < 3:
        return []
    return [Cue(year + 1, 10, first[year], f"{first[year]} is the year named most often ({n} times); "
                "a report looks back on the year before it is given.")]


def date_cues(lines: list[str]) -> list[Cue]:
    """Every date cue: dating lines at the head and foot, sessions and congresses addressed in the
    opening, and wording anywhere in the text."""
    folded = [fold(line) for line in lines]
    head, tail = _opening(lines), max(0, len(lines) - 3)
    opening = (lines[:head], folded[:head])
    edges = (lines[:head] + lines[max(head, tail):], folded[:head] + folded[max(head, tail):])
    cues = dated_lines(*edges) + sessions_addressed(*opening) + congresses_addressed(*opening)
    for anywhere in (review_years, congress_references, current_year_talk, most_reviewed_year):
        cues += anywhere(lines, folded)
    return cues


def _opening(lines: list[str], chars: int = 400) -> int:
    """How many lines make the opening: at least four, then up to `chars` characters."""
    total = 0
    for i, line in enumerate(lines):
        total += len(line)
        if i >= 3 and total > chars:
            return i + 1
    return len(lines)


def infer_date(lines: list[str]) -> MetaField | None:
    """The best-supported year, with the strongest cue for it as the evidence."""
    cues = date_cues(lines)
    if not cues:
        return None
    support = Counter()
    for cue in cues:
        support[cue.year] += min(cue.weight, 30) if cue.weight < HIGH else cue.weight
    year = max(support, key=lambda y: (support[y], y))  # a tie goes to the later year: texts look back
    best = max((c for c in cues if c.year == year), key=lambda c: c.weight)
    confidence = "high" if best.weight >= HIGH else "medium" if best.weight >= MEDIUM else "low"
    others = sorted({c.year for c in cues} - {year})
    note = best.note + (f" Weaker cues also pointed to {', '.join(map(str, others))}." if others else "")
    return MetaField(best.value or str(year), best.evidence, confidence, note)


# --- Speaker, level, place, occasion ----------------------------------------------------------
ORGANS = (  # (pattern on the opening, speaker role, level, place)
    (rf"^第{CN_NUM}届全国人民代表大会第{CN_NUM}次会议(?:听取|审议)", "全国人民代表大会（会议决议）", "中央 (national)",
     "全国 (national)"),
    (r"(?<![了的])国务院总理(?!\S{0,4}所作)", "国务院总理", "中央 (national)", "全国 (national)"),
    (r"我(?:现在)?(?:代表|受)(?:中华人民共和国)?国务院", "国务院总理（代表国务院作报告）", "中央 (national)", "全国 (national)"),
    (r"代表(?:中国共产党)?(?:第?[一二三四五六七八九十]+届)?中央委员会|受[一二三四五六七八九十]+届中央委员会委托",
     "中共中央委员会（代表中央委员会作报告）", "中央 (national)", "全国 (national)"),
    (r"我代表(\S{0,8}?)省人民政府|我代表省政府", "省长", "省级 (province)", None),
    (r"我代表(\S{0,8}?)市人民政府|我代表市政府", "市长", "市级 (city)", None),
    (r"我代表(\S{0,8}?)县人民政府|我代表县政府", "县长", "县级 (county)", None),
    (r"我代表(\S{0,8}?)区人民政府|我代表区政府", "区长", "区级 (district)", None),
)


def infer_roles(lines: list[str]) -> dict[str, MetaField]:
    """Speaker role, level and place from how the speaker introduces the report (`我代表国务院`)."""
    head = lines[:_opening(lines)]
    for line in head:
        f = fold(line)
        for pattern, role, level, place in ORGANS:
            m = re.search(pattern, f)
            if not m:
                continue
            quote = _span(line, m)
            note = f"From the opening words {quote}."
            meta = {"speaker_role": MetaField(role, quote, "medium", note),
                    "level": MetaField(level, quote, "medium", note)}
            where = place or (m.group(1) + {"省长": "省", "市长": "市", "县长": "县", "区长": "区"}[role]
                              if m.groups() and m.group(1) else None)
            if where:
                meta["place"] = MetaField(where, quote, "medium", note)
            return meta
    return {}


def infer_occasion(lines: list[str]) -> MetaField | None:
    """The NPC session or Party congress the text is addressed to, by the rules the date cues use."""
    for line in lines[:_opening(lines)]:
        f = fold(line)
        sessions = [m for m in re.finditer(NPC, f)
                    if _addressed(f, m) and not PAST.search(f[max(0, m.start() - 6):m.start()])]
        congresses = [m for m in re.finditer(CONGRESS_ADDRESSED, f)]
        for m in sessions + congresses:
            quote = _span(line, m).lstrip("向在")
            value = quote if m in sessions or quote.startswith("中国共产党") else "中国共产党" + quote.removeprefix("党的")
            return MetaField(value, quote, "high", "The session or congress the text is addressed to or adopted by.")
    return None


# --- Header lines (title, byline, date line) --------------------------------------------------
ROLE = r"(?:书记|副书记|市长|副市长|代市长|县长|区长|省长|主任|主席|局长|常委|部长|秘书长)"
DATE_LINE = re.compile(r"^[（(]?\s*(\d{4})\s*年\s*(\d{1,2}|\*+|X+)\s*月\s*(?:(\d{1,2}|\*+|X+)\s*日)?\s*[)）]?$")


def from_header(title: str | None, byline: str | None, date: str | None) -> dict[str, MetaField]:
    """What the title, byline and date lines at the top of a text say."""
    meta: dict[str, MetaField] = {}
    if date and (m := DATE_LINE.match(date)):
        year, month = m.group(1), m.group(2)
        value = f"{year}-{int(month):02d}" if month.isdigit() else year
        meta["date"] = MetaField(value, date, "high")
    if byline:
        role = re.match(rf"^(.*{ROLE})", byline)  # the name after the last title is not a role
        meta["speaker_role"] = MetaField(role.group(1) if role else byline, byline, "medium")
    elif title and (m := re.match(rf"^(.{{0,12}}?{ROLE})在", title)):
        meta["speaker_role"] = MetaField(m.group(1), title, "medium")
    if title and (m := re.search(r"在(.{2,40}?)上的(?:讲话|发言|致辞)", title)):
        meta["occasion"] = MetaField(m.group(1), title, "medium")
    return meta


def infer(title: str | None, byline: str | None, date: str | None, lines: list[str]) -> dict[str, MetaField]:
    """All metadata for a text: header lines first, then cues in the text for what they leave open.

    `lines` are the cleaned lines of the whole text, header included.
    """
    meta = from_header(title, byline, date)
    for key, field in infer_roles(lines).items():
        meta.setdefault(key, field)
    if "date" not in meta and (found := infer_date(lines)):
        meta["date"] = found
    if "occasion" not in meta and (found := infer_occasion(lines)):
        meta["occasion"] = found
    return meta
