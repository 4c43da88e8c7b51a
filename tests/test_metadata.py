"""Metadata without a sidecar: unit cases, and the measured accuracy on the 88 real reports."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tifa import importer, metadata, structure
from tifa.pipeline import speech_from_text
from tifa.sources import read_raw

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"


def meta_of(text: str) -> dict:
    return speech_from_text(text, "x.txt").meta


@pytest.mark.parametrize("text,date,evidence", [
    ("第十四届全国人民代表大会第三次会议听取和审议了国务院总理所作的政府工作报告。会议同意这个报告。",
     "2025", "第十四届全国人民代表大会第三次会议"),
    ("第二届全国人民代表大会第三次会议听取了政府工作报告，并且进行了充分的讨论。", "1962", "第二届全国人民代表大会第三次会议"),
    ("各位代表：\n现在，我代表国务院，向大会报告政府工作。\n一、2024年工作回顾\n过去一年，我们团结奋斗。",
     "2025", "2024年工作回顾"),
    ("政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n各位代表：\n现在，我代表国务院报告工作。",
     "2024-03-05", "2024年3月5日"),
    ("各位代表：\n刚刚过去的１９８４年，是我国取得伟大成就的一年。\n我们继续前进。", "1985", "刚刚过去的１９８４年"),
    ("各位代表：\n从去年９月第五届全国人民代表大会第三次会议到现在，已经过去了一年零两个月。", "1981",
     "第五届全国人民代表大会第三次会议"),
    ("各位代表：\n我們第一届全國人民代表大會第一次會議，在聽了憲法草案的報告以後，已經完成了工作。", "1954",
     "第一届全國人民代表大會第一次會議"),
    ("同志们：\n现在，我代表第十七届中央委员会向大会作报告。\n大会的主题是团结。", "2012", "代表第十七届中央委员会"),
    ("同志们：\n今年工作很重，尤其明年党的二十大即将召开，我们要做好准备。", "2021", "明年党的二十大"),
    ("同志们：\n今年是贯彻落实党的二十大精神的开局之年，我们要开好局。", "2023",
     "今年是贯彻落实党的二十大精神的开局之年"),
])
def test_date_cues(text, date, evidence):
    field = meta_of(text)["date"]
    assert (field.value, field.evidence) == (date, evidence)
    assert field.evidence in text and field.confidence in ("high", "medium", "low") and field.note


def test_a_session_looked_back_on_does_not_date_the_text():
    text = "各位代表：\n根据一九八三年六月第六届全国人民代表大会第一次会议的决议，各级政府努力工作。\n今年要继续努力。"
    assert "date" not in meta_of(text) or meta_of(text)["date"].value != "1983"


def test_speaker_role_level_and_place_from_how_the_speaker_introduces_the_report():
    meta = meta_of("各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议。\n过去一年，我们团结奋斗。")
    assert meta["speaker_role"].value.startswith("国务院总理") and meta["speaker_role"].evidence == "我代表国务院"
    assert meta["level"].value == "中央 (national)" and meta["place"].value == "全国 (national)"
    meta = meta_of("各位代表：\n我代表杭州市人民政府，向大会报告工作，请予审议。\n过去一年，我们团结奋斗。")
    assert (meta["speaker_role"].value, meta["place"].value) == ("市长", "杭州市")


def test_occasion_is_the_session_addressed():
    meta = meta_of("各位代表：\n我代表国务院向第一届全国人民代表大会第五次会议，提出关于国民经济计划的报告。\n一、成就")
    assert meta["occasion"].value == "第一届全国人民代表大会第五次会议"


def test_sidecar_values_win_over_inferred_ones():
    from tifa.model import MetaField
    from tifa.sources import Sidecar
    sidecar = Sidecar(meta={"date": MetaField("2024-12", "x")})
    speech = speech_from_text("各位代表：\n一、2024年工作回顾\n过去一年，我们团结奋斗。", "x.txt", sidecar)
    assert speech.meta["date"].value == "2024-12"


def test_session_tables():
    assert [metadata.npc_session_year(t, s) for t, s in [(1, 1), (1, 5), (2, 3), (3, 1), (5, 4), (6, 1), (14, 3)]] == [
        1954, 1958, 1962, 1964, 1981, 1983, 2025]
    assert metadata.npc_session_year(3, 2) is None and metadata.npc_session_year(14, 6) is None
    assert metadata.CPC_CONGRESS[20] == 2022 and metadata.cppcc_session_year(14, 3) == 2025


# --- The 88 real reports, imported and stripped of their sidecars ------------------------------
# Truth for the CPC congress reports: the year each National Congress met, from the list
# "历次中国共产党全国代表大会召开时间" (http://m.syiban.com/dangshi/1069.html), 1st–19th; the 20th
# opened on 2022-10-16. Written out here, not taken from tifa.metadata.
CONGRESS_YEAR = {1: 1921, 2: 1922, 3: 1923, 4: 1925, 5: 1927, 6: 1928, 7: 1945, 8: 1956, 9: 1969, 10: 1973,
                 11: 1977, 12: 1982, 13: 1987, 14: 1992, 15: 1997, 16: 2002, 17: 2007, 18: 2012, 19: 2017, 20: 2022}
# Truth for the NPC resolutions: the year of each session, by term, from Xinhua's "历届全国人大历次会议"
# (https://global.chinadaily.com.cn/hqzx/2014qglianghui/2011-02/16/content_17251575.htm) for the 1st–11th
# NPC; the 14th NPC's first session opened on 2023-03-05 (https://www.baike.com/wikiid/7182509208784540984);
# the 12th and 13th NPC met yearly from 2013 and 2018 (five-year terms, Constitution articles 60–61).
NPC_SESSION_YEARS = {
    1: [1954, 1955, 1956, 1957, 1958], 2: [1959, 1960, 1962, 1963], 3: [1964], 4: [1975],
    5: [1978, 1979, 1980, 1981, 1982], 6: [1983, 1984, 1985, 1986, 1987], 7: [1988, 1989, 1990, 1991, 1992],
    8: [1993, 1994, 1995, 1996, 1997], 9: [1998, 1999, 2000, 2001, 2002], 10: [2003, 2004, 2005, 2006, 2007],
    11: [2008, 2009, 2010, 2011, 2012], 12: [2013, 2014, 2015, 2016, 2017], 13: [2018, 2019, 2020, 2021, 2022],
    14: [2023, 2024, 2025],
}
NUMERAL = dict(zip("一二三四五六七八九", range(1, 10)))


def small_number(text: str) -> int:
    tens, _, ones = text.rpartition("十")
    return (NUMERAL.get(tens, 1) * 10 if "十" in text else 0) + NUMERAL.get(ones, 0)


def true_year(row: dict) -> int | None:
    if row.get("year"):
        return int(row["year"])
    if row.get("congress"):
        return CONGRESS_YEAR[row["congress"]]
    m = re.match(r"第(.+?)届全国人民代表大会第(.+?)次会议", row["title"])
    return NPC_SESSION_YEARS[small_number(m.group(1))][small_number(m.group(2)) - 1] if m else None


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """(row, speech) for every report: imported with `build.py import`'s code, sidecars dropped."""
    files = sorted(CORPORA.glob("*.jsonl"))
    if not files:
        pytest.skip(f"{CORPORA} not found")
    root = tmp_path_factory.mktemp("corpus")
    folder = root / "seeds" / "speeches"
    for path in files:
        importer.import_file(path, folder)
    for sidecar in folder.glob("*.yml"):
        sidecar.unlink()
    rows = {r["content"]: r for path in files for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    pairs = []
    for path in sorted(folder.glob("*.txt")):
        raw = read_raw(path, root)
        pairs.append((rows[raw.text], speech_from_text(raw.text, raw.path)))
    return pairs


def test_year_is_right_on_at_least_95_percent_of_the_reports(corpus):
    known = [(row, speech) for row, speech in corpus if true_year(row)]
    assert len(corpus) == 88 and len(known) == 88
    wrong = [(row["title"], true_year(row), speech.meta.get("date") and speech.meta["date"].value)
             for row, speech in known
             if not speech.meta.get("date") or int(speech.meta["date"].value[:4]) != true_year(row)]
    accuracy = 1 - len(wrong) / len(known)
    assert accuracy >= 0.95, f"year right on {accuracy:.1%}; wrong: {wrong}"


def test_every_inferred_value_quotes_the_text(corpus):
    for _, speech in corpus:
        text = speech.doc.text
        for key, field in speech.meta.items():
            assert field.evidence and field.evidence in text, (speech.source_path, key, field)
            assert field.confidence in ("high", "medium", "low")


def test_no_outline_skips_a_sibling(corpus):
    problems = {speech.source_path: structure.skipped_siblings(speech.blocks) for _, speech in corpus}
    assert {path: found for path, found in problems.items() if found} == {}


def test_the_1978_report_keeps_all_nine_paren_headings(corpus):
    """（五）（八）（九） had short lead sentences, the other six long ones: all nine are headings."""
    speech = next(s for row, s in corpus if row.get("year") == "1978")
    paren = [b.text[:3] for b in speech.blocks if b.kind == "heading" and structure.heading_kind(b.text) == "paren-cn"]
    assert paren[:9] == [f"（{n}）" for n in "一二三四五六七八九"]


def test_a_local_speech_relaying_a_session_dates_itself_by_it():
    text = "同志们：\n今天我们召开会议，传达学习十四届全国人大三次会议精神，部署全市工作。\n一要提高认识。"
    field = meta_of(text)["date"]
    assert (field.value, field.evidence, field.confidence) == ("2025", "十四届全国人大三次会议", "low")


def test_on_the_seeds_an_inferred_year_agrees_with_the_reviewed_sidecar():
    """The five seeds' sidecars were written by hand; inference without them must not contradict them."""
    from tifa.sources import read_sidecar
    agreed = 0
    for path in sorted((ROOT / "seeds" / "speeches").glob("*.txt")):
        inferred = speech_from_text(read_raw(path, ROOT).text, path.name).meta.get("date")
        reviewed = read_sidecar(path.with_suffix(".yml"), ROOT).meta["date"]
        if inferred:
            assert inferred.value[:4] == reviewed.value[:4], (path.name, inferred, reviewed.value)
            agreed += 1
    assert agreed >= 4
