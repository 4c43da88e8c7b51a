"""Glossary loading and validation: one bad-entry case per error code, schema drift, docs."""
import json
import re
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from tifa import glossary  # noqa: E402
from tifa.glossary import CODES, Problem, load_glossary, toneless  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases" / "glossary"
CODE_CASES = sorted(p.name for p in CASES.iterdir() if re.fullmatch(r"G\d{3}", p.name))


def load_case(name):
    case = CASES / name
    return load_glossary(case / "seeds" / "glossary", case)


def prefix(problem: Problem) -> str:
    return f"{problem.path}:{problem.line}: {problem.code}"


def expected_prefixes(name):
    text = (CASES / name / "expected.txt").read_text(encoding="utf-8")
    return sorted(line for line in text.splitlines() if line.strip())


@pytest.mark.parametrize("code", CODE_CASES)
def test_each_bad_case_reports_exactly_its_problems(code):
    _, problems = load_case(code)
    assert sorted(prefix(p) for p in problems) == expected_prefixes(code)
    assert {p.code for p in problems} == {code}


def test_there_is_a_case_for_every_code():
    assert CODE_CASES == sorted(CODES)


def test_problem_reads_like_tldr_lint():
    _, problems = load_case("G004")
    assert [str(p) for p in problems] == [
        "seeds/glossary/si-ge-yi-shi.yml:3: G004 'pinyin' must be a non-empty string — e.g. pinyin: sì gè yìshí"
    ]


def test_malformed_yaml_reports_the_parser_line():
    _, problems = load_case("G002")
    assert problems[0].line == 12 and "mapping values are not allowed" in problems[0].message


def test_valid_case_loads_without_problems():
    entries, problems = load_case("valid")
    assert problems == []
    by_slug = {e.slug: e for e in entries}
    first = by_slug["si-ge-yi-shi"]
    assert first.english == (glossary.Rendering("the Four Consciousnesses", "Xinhua", "media"),)
    assert first.path == "seeds/glossary/si-ge-yi-shi.yml"
    assert first.pinyin_search == "sigeyishi"
    assert first.first_use == {"date": "2016-01", "document": "中央政治局会议"}
    assert first.negative_contexts == ("四个意识形态",)
    assert first.related == ("si-ge-zi-xin",)


def test_missing_pinyin_is_generated_with_tone_marks():
    entries, _ = load_case("valid")
    generated = {e.slug: e for e in entries}["si-ge-zi-xin"]
    assert toneless(generated.pinyin) == "sigezixin"
    assert "ì" in generated.pinyin  # tone marks, not numbers


def test_every_problem_is_collected_not_just_the_first(tmp_path):
    folder = tmp_path / "seeds" / "glossary"
    folder.mkdir(parents=True)
    base = (CASES / "valid" / "seeds" / "glossary" / "si-ge-zi-xin.yml").read_text(encoding="utf-8")
    (folder / "a.yml").write_text(base.replace("category: slogan", "category: x") + "oops: 1\n", encoding="utf-8")
    (folder / "b.yml").write_text("[unclosed\n", encoding="utf-8")
    (folder / "c.yml").write_text(base.replace("四个自信", "五个自信") + "related: [zzz]\n", encoding="utf-8")
    entries, problems = load_glossary(folder, tmp_path)
    assert [(p.path, p.code) for p in problems] == [
        ("seeds/glossary/a.yml", "G007"), ("seeds/glossary/a.yml", "G006"),
        ("seeds/glossary/b.yml", "G002"), ("seeds/glossary/c.yml", "G014"),
    ]
    assert [e.slug for e in entries] == ["c"]  # a dangling `related` keeps the entry


def test_unquoted_date_is_reported_as_date_problem(tmp_path):
    folder = tmp_path / "g"
    folder.mkdir()
    base = (CASES / "valid" / "seeds" / "glossary" / "si-ge-zi-xin.yml").read_text(encoding="utf-8")
    (folder / "x.yml").write_text(base + "first_use: {date: 2016, document: 政治局会议}\n", encoding="utf-8")
    _, problems = load_glossary(folder, tmp_path)
    assert [(p.code, p.line) for p in problems] == [("G008", base.count("\n") + 1)]


# ---------------------------------------------------------------------------------------------
def test_committed_json_schema_matches_the_table():
    committed = (ROOT / "schema" / "glossary-entry.schema.json").read_text(encoding="utf-8")
    assert committed == glossary.json_schema_text(), "run: python scripts/tifa/glossary.py > schema/glossary-entry.schema.json"


def _schema_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "schema" / "glossary-entry.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _seed_files():
    return sorted((ROOT / "seeds" / "glossary").glob("*.yml"))


@pytest.mark.parametrize("path", _seed_files() or [None], ids=lambda p: p.name if p else "no-seeds-yet")
def test_real_seeds_validate(path):
    if path is None:
        pytest.skip("seeds/glossary/ has no entries yet")
    validator = _schema_validator()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(data)] == []
    _, _, problems = glossary.check_file(path.read_bytes(), path.relative_to(ROOT).as_posix(), path.stem)
    assert [str(p) for p in problems] == []


def test_whole_real_glossary_has_no_problems():
    _, problems = load_glossary(ROOT / "seeds" / "glossary", ROOT)
    assert [str(p) for p in problems] == []


def test_schema_and_validator_agree_on_the_cases():
    validator = _schema_validator()
    good = yaml.safe_load((CASES / "valid" / "seeds" / "glossary" / "si-ge-yi-shi.yml").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(good)) == []
    for code in ("G004", "G005", "G006", "G007", "G008"):
        (file,) = (CASES / code / "seeds" / "glossary").glob("*.yml")
        assert list(validator.iter_errors(yaml.safe_load(file.read_text(encoding="utf-8")))), code


def test_template_validates_and_points_editors_at_the_schema():
    text = (ROOT / "seeds" / "glossary-template.yml").read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=../../schema/glossary-entry.schema.json" in text.splitlines()[0]
    values, _, problems = glossary.check_file(text.encode(), "seeds/glossary-template.yml", "template")
    assert [str(p) for p in problems] == [] and values is not None


# ---------------------------------------------------------------------------------------------
def _codes_used_in_source():
    source = (ROOT / "scripts" / "tifa" / "glossary.py").read_text(encoding="utf-8")
    return set(re.findall(r'"(G\d{3})"', source))


def test_every_code_used_is_in_the_table():
    assert _codes_used_in_source() == set(CODES)


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_is_documented_in_contributing(code):
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith(f"| {code} ")]
    assert len(rows) == 2, f"{code} needs one row in the Chinese table and one in the English table"


# ---------------------------------------------------------------------------------------------
def test_issue_form_offers_exactly_the_categories():
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "propose-term.yml").read_text(encoding="utf-8"))
    (dropdown,) = [item for item in form["body"] if item["type"] == "dropdown"]
    offered = [option.split()[0] for option in dropdown["attributes"]["options"]]
    assert offered == list(glossary.CATEGORIES)


def test_ci_runs_make_targets_that_exist_and_deploys_pages_from_main():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    steps = workflow["jobs"]["test"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    targets = re.findall(r"^make (\w+)$", runs, re.M)
    assert "site" in targets and re.search(r"^bash \.ci/run$", runs, re.M)  # .ci/run runs make test
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert all(re.search(rf"^{t}:", makefile, re.M) for t in targets)
    uses = [s.get("uses", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert "refs/heads/main" in workflow["jobs"]["deploy"]["if"]


def test_contributing_mentions_the_commands_it_tells_people_to_run():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"`make (\w+)`", text)):
        assert re.search(rf"^{target}:", makefile, re.M), target
    assert (ROOT / "seeds" / "glossary-template.yml").exists() and "glossary-template.yml" in text
