"""Glossary warnings (W codes): generic aliases and entries found only in titles."""
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from tifa import glossary_lint as lint  # noqa: E402
from tifa.glossary import Entry  # noqa: E402
from tifa.linker import Linker  # noqa: E402
from tifa.model import Block, Speech  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def entry(slug, term, aliases=(), english=()):
    return Entry(slug, term, term, "", tuple(english), "slogan", "national", {}, {}, aliases=aliases,
                 path=f"seeds/glossary/{slug}.yml")


@pytest.mark.parametrize("alias, why", [
    ("三年行动", "a generic numbered phrase"), ("十项措施", "a generic numbered phrase"),
    ("2035", "only digits"), ("党", "a single character"), ("领导", "a common word (jieba frequency 31739)"),
])
def test_generic_aliases_are_named(alias, why):
    assert lint.alias_problem(alias, {"领导": 31739}) == why


@pytest.mark.parametrize("alias", ["振兴突破", "廉政会议", "政治三力", "不忘初心，牢记使命", "三年行动计划书记"])
def test_specific_aliases_pass(alias):
    assert lint.alias_problem(alias, {"廉政会议": 3}) is None


def test_alias_warning_names_file_code_and_term():
    (warning,) = lint.alias_warnings([entry("quan-mian", "全面振兴新突破三年行动", ("三年行动", "振兴突破"))], {})
    assert warning.startswith("seeds/glossary/quan-mian.yml: W001 alias '三年行动' is a generic numbered phrase")


def test_every_alias_of_the_real_glossary_is_below_the_measured_threshold():
    from tifa.glossary import load_glossary

    entries, _ = load_glossary(ROOT / "seeds" / "glossary", ROOT)
    assert lint.alias_warnings(entries) == []


def test_entry_only_in_titles_and_headings_is_warned_about():
    blocks = (Block("heading", "一、关于务虚会", "h1"), Block("paragraph", "我们要讲政治，开好务虚会。", "p1", number=1))
    speech = Speech(slug="a", source_path="a.txt", title="在市政府务虚会上的讲话", blocks=blocks)
    headline = Speech(slug="b", source_path="b.txt", title="市长办公会议纪要",
                      blocks=(Block("heading", "市长办公会议议题", "h1"), Block("paragraph", "同志们。", "p1", number=1)))
    entries = [entry("wu-xu-hui", "务虚会"), entry("shi-zhang", "市长办公会议"), entry("absent", "不存在")]
    warnings = lint.title_only_warnings(entries, [speech, headline], Linker(entries))
    assert warnings == ["seeds/glossary/shi-zhang.yml: W002 '市长办公会议' occurs only in titles and headings, "
                        "never in the running text — is the entry worth keeping, or should it be part of a "
                        "longer formula?"]


@pytest.mark.parametrize("code", sorted(lint.WARNINGS))
def test_every_warning_code_is_documented_in_contributing(code):
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert len([line for line in text.splitlines() if line.startswith(f"| {code} ")]) == 2


def test_every_warning_code_used_is_in_the_table():
    source = (ROOT / "scripts" / "tifa" / "glossary_lint.py").read_text(encoding="utf-8")
    assert set(re.findall(r"\b(W\d{3})\b", source)) == set(lint.WARNINGS)


def test_english_out_of_preference_order_is_warned_about():
    from tifa.glossary import Rendering

    ordered = entry("a", "甲", english=[Rendering("x", "Government Work Report", "official"), Rendering("y", "Tifa")])
    reversed_ = entry("b", "乙", english=[Rendering("y", "China Keywords", "term-bank"),
                                         Rendering("x", "Government Work Report", "official")])
    assert lint.english_order_warnings([ordered, reversed_]) == [
        "seeds/glossary/b.yml: W003 English renderings are in the order term-bank → official; the preferred one "
        "comes first, in the order official → term-bank → media → reference → own"]
