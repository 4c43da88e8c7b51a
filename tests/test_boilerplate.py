"""The boilerplate scorer: the issue's bar on the development set, and the scorer's evidence one by one."""
from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

import bench_clean
from tifa import boilerplate, clean, emit
from tifa.pipeline import speech_from_text

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "cases" / "pages"
KINDS = {"navigation", "post_info", "toolbar", "login", "paywall", "doc_meta", "tags", "comments", "css",
         "contact", "site_name", "ad", "copyright", "editor_intro", "anti_scraping", "inline_pinyin", "latin_debris"}


@pytest.fixture(scope="module")
def tallies():
    return bench_clean.measure()


@pytest.mark.parametrize("name", bench_clean.SETS)
def test_bar_on_the_development_set(tallies, name):
    """≥ 95 % of boilerplate strings removed and every body string kept, measured, on both parts."""
    t = tallies[name]
    assert t.boilerplate and t.body
    assert t.removed / t.boilerplate >= 0.95, bench_clean.report(tallies)
    assert t.kept == t.body, t.losses


def test_development_set_is_large_and_varied(tallies):
    pages = sum(t.pages for t in tallies.values())
    sites = set().union(*(t.sites for t in tallies.values()))
    assert pages >= 40 and len(sites) >= 20
    assert tallies["held out"].pages >= 10


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.txt")), ids=lambda p: p.stem)
def test_gold_files_quote_their_page(path):
    gold = yaml.safe_load(path.with_name(path.stem + ".gold.yml").read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    assert gold["site"] and gold["url"].startswith("http")
    for item in gold.get("boilerplate") or []:
        assert item["text"] in text, f"gold boilerplate not in the page: {item['text']!r}"
        assert item["kind"] in KINDS
    assert gold.get("body"), "every page needs body strings that must stay"


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.txt")), ids=lambda p: p.stem)
def test_dev_pages_are_cleaned_losslessly(path):
    spec = importlib.util.spec_from_file_location("lossless", Path(__file__).with_name("test_lossless.py"))
    lossless = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lossless)
    text = path.read_text(encoding="utf-8")
    lossless.assert_lossless(text, clean.clean(text))


ISSUE_KINDS = """在全县安全生产工作会议上的讲话
发布时间：2023-03-01 浏览次数：1024 字号：大 中 小
【收藏】【打印】【关闭】
[标签:讲话稿 安全生产]
同志们：
今天我们召开会议，部署安全生产工作。要加强政府网站建设，方便群众下载办事表格、注册登录。
时间：下午三点，来源：各乡镇的汇报，会员单位都要参加。
下面我讲几点意见。
一、提高认识
×××同志、XX局长、xx主任要抓好落实。
试读结束，扣点券查看全文
微信扫码支付，即可查看全文
文档编号：123 上传时间：2023-01-01
第1页共17页
用户名： 密码： 验证码：
📞 联系电话：0371-12345678
网友评论
免责声明：本站所有文章均来自网络，如有侵权请联系删除。
豆丁网
@page { margin: 2cm } p.western { font-family: "Times New Roman" }"""


def test_every_kind_the_issue_names_goes_and_the_speech_stays():
    text = clean.clean(ISSUE_KINDS).text
    assert text.split("\n") == [
        "在全县安全生产工作会议上的讲话", "同志们：",
        "今天我们召开会议，部署安全生产工作。要加强政府网站建设，方便群众下载办事表格、注册登录。",
        "时间：下午三点，来源：各乡镇的汇报，会员单位都要参加。",
        "下面我讲几点意见。", "一、提高认识", "×××同志、XX局长、xx主任要抓好落实。"]


def test_every_verdict_is_explained():
    verdicts = boilerplate.score_lines(["发布时间：2021-05-06 浏览次数：1024", "同志们：", "今天我们开会，研究部署工作。"])
    first = verdicts[0]
    assert first.verdict == "remove" and first.kind == "post_info"
    assert "vocabulary:post_info +3.0 '发布时间：'" in first.explain()
    assert verdicts[2].verdict == "keep" and "shape:prose -2.0" in verdicts[2].explain()


def test_repetition_across_texts_is_evidence():
    lines = ["自建平台实时分享", "同志们：", "今天我们开会，研究部署工作，确保取得实效。"]
    alone = boilerplate.score_lines(lines)[0]
    corpus = boilerplate.line_counts(["\n".join(lines), "自建平台实时分享\n其他讲话。", "自建平台实时分享\n又一篇。"])
    repeated = boilerplate.score_lines(lines, corpus)[0]
    assert alone.verdict != "remove" and repeated.verdict == "remove"
    assert any(e.name == "repeated" for e in repeated.evidence)


def test_repetition_never_removes_a_speakers_line():
    corpus = Counter({"同志们：": 5, "下面我讲几点意见。": 5})
    verdicts = boilerplate.score_lines(["同志们：", "下面我讲几点意见。"], corpus)
    assert [v.verdict for v in verdicts] == ["keep", "keep"]


def test_traditional_script_uses_the_same_vocabulary():
    assert boilerplate.score_lines(["發佈時間：2021-05-06 瀏覽次數：1024"])[0].verdict == "remove"


def test_weak_evidence_is_kept_and_listed_to_review():
    source = "同志们：\n今天我们开会，研究部署工作，确保取得实效。\n来源：市政府办公室\n下面我讲几点意见，请大家认真落实。"
    doc, decisions = clean.explain(source)
    assert "来源：市政府办公室" in doc.text
    (offset, verdict), = clean.to_review(doc, decisions)
    assert verdict.verdict == "review" and source[offset:].startswith("来源：")
    speech = speech_from_text(source, "seeds/speeches/x.txt", sidecar=None)
    warning, = [w for w in speech.warnings if clean.REVIEW_MARK in w]
    assert warning.startswith("seeds/speeches/x.txt:3: to review: kept '来源：市政府办公室' — weak evidence of post_info")
    page = emit.speech_page(speech)
    assert "待复核 · To review: 1 line(s) kept" in page and "第3行 · line 3" in page


def test_inline_junk_keeps_the_origin_map():
    source = "縣長(zhǎng)徐望說，要抓好&nbsp;落实。 中华人民共和国图鉴社\n负责同志在座。 中华人民共和国图鉴社"
    doc = clean.clean(source)
    assert doc.text == "縣長徐望說，要抓好落实。\n负责同志在座。"
    assert {r.rule for r in doc.removals} >= {"inline_pinyin", "cut_entity", "site_stamp"}
    assert all(source[r.start:r.end] == r.text for r in doc.removals)


def test_removals_name_the_kind_on_the_page():
    speech = speech_from_text("分享按钮\n同志们：\n今天我们开会，研究部署工作。", "x.txt")
    assert [r.rule for r in speech.removals if r.text.strip()] == ["boilerplate:toolbar"]


def test_bench_prints_the_figures(capsys):
    assert bench_clean.main([]) == 0
    out = capsys.readouterr().out
    assert re.search(r"boilerplate strings removed\s+\d+/\d+", out) and "body strings kept" in out


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.txt")), ids=lambda p: p.stem)
def test_dev_pages_clean_idempotently(path):
    once = clean.clean(path.read_text(encoding="utf-8")).text
    assert clean.clean(once).text == once


def test_no_word_of_real_reports_is_removed():
    """Government work reports and congress reports (Wikisource transcriptions, ../shared/corpora) have
    no site chrome in Chinese: nothing with a Chinese character in it may be removed from them."""
    corpora = ROOT.parent / "shared" / "corpora"
    if not corpora.exists():
        pytest.skip("../shared/corpora is not beside this checkout")
    import json
    records = [json.loads(line) for name in ("government_work_reports.jsonl", "cpc_congress_reports.jsonl")
               for line in (corpora / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    for record in records[::11]:  # a sample across the years keeps the suite fast
        doc = clean.clean(record["content"])
        lost = [r.text for r in doc.removals if boilerplate.han_count(r.text)]
        assert not lost, (record["title"], lost[:5])


SPEECH_THAT_LOOKS_LIKE_CHROME = """欢迎来到美丽的XX！
各位来宾、同志们：
今天，我们在这里召开全市数字经济发展大会。
一、织密民生保障网
织密民生保障网
推进移动支付
规范户外广告管理
●坚持稳中求进，确保经济运行平稳。
○○同志、□□局长要抓好落实。
时间：2023年3月1日上午
要加强会员单位管理，规范网站下载服务，方便群众注册登录。
下面我讲几点意见。
谢谢大家！"""


def test_a_speech_full_of_chrome_words_loses_nothing():
    assert clean.clean(SPEECH_THAT_LOOKS_LIKE_CHROME).text == SPEECH_THAT_LOOKS_LIKE_CHROME
