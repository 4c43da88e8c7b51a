"""Saved web pages: decoded by the charset they declare, site chrome dropped, paragraphs kept, the
raw file untouched by a build."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from projectcopy import copy_inputs

from tifa import clean, webpage
from tifa.sources import SourceError

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "tests" / "cases" / "pages" / "html"


def page(name: str):
    return webpage.page_text((HTML / name).read_bytes(), name)


def test_gb2312_page_read_as_gb18030_with_paragraphs():
    raw = page("jnsw-gb2312.html")
    assert raw.notes[0] == "read as a saved web page (charset gb2312 read as GB18030)"
    lines = raw.text.split("\n")
    assert lines[0] == "全市“重点工作攻坚年”推进大会举行"
    assert lines[2].startswith("4月22日上午，全市“重点工作攻坚年”推进大会举行。")
    assert lines[3] == "省委常委、市委书记孙立成出席会议并讲话，市委副书记、市长孙述涛主持会议。"
    for chrome in ("当前位置", "分享到", "发表评论", "主办单位", "_hmt", "text-indent", "图片新闻"):
        assert chrome not in raw.text
    assert "web page elements removed: " in raw.notes[1] and "<div breadcrumb>" in raw.notes[1]
    cleaned = clean.clean(raw.text).text
    assert "发布日期" not in cleaned and "编辑:时金" not in cleaned and "孙述涛主持会议。" in cleaned


def test_utf8_page_with_bom_keeps_the_article_only():
    raw = page("dawenge-utf8-bom.html")
    assert raw.text.split("\n") == [
        "在全区防汛抗旱暨安全生产消防工作会议上的讲话", "同志们:",
        "刚才,省市先后召开了防汛抗旱暨安全生产消防工作视频会议,对防汛抗旱和安全生产消防工作作出指示和强调。"
        "大家要切实提高站位,认真学习,深刻领会。", "下面,我强调三个方面:"]


def test_gbk_page_without_article_drops_ad_class_but_not_download():
    raw = page("xianggelila-gbk.htm")
    assert "香格里拉欢迎您" not in raw.text and "首页 | 政务信息" not in raw.text
    assert raw.text.split("\n")[1:] == ["会议指出", "市委常委会听取市人大、政府、政协、法院和检察院党组工作汇报,并研究部署今年工作重点。", "会议要求"]


def test_chrome_named_wrapper_holding_the_text_is_kept():
    html = ('<html><body><div class="header-wrap"><p>同志们：</p><p>今天我们召开全市工作会议，研究部署下一阶段工作。</p>'
            '</div></body></html>')
    assert webpage.page_text(html.encode(), "w.html").text == "同志们：\n今天我们召开全市工作会议，研究部署下一阶段工作。"


def test_undeclared_gb_bytes_fall_back_to_gb18030():
    html = "<html><body><p>同志们：今天开会。</p></body></html>".encode("gb18030")
    raw = webpage.page_text(html, "u.html")
    assert raw.text == "同志们：今天开会。" and "no charset declared, read as GB18030" in raw.notes[0]


def test_page_that_lies_about_its_charset_is_refused_by_name():
    html = '<html><head><meta charset="utf-8"></head>\n<body><p>同志们</p></body></html>'.encode("gbk")
    with pytest.raises(SourceError, match=r"^bad\.html:2: S002 not valid utf-8 as the page declares"):
        webpage.page_text(html, "bad.html")


def test_empty_and_textless_pages_are_refused():
    with pytest.raises(SourceError, match="empty file"):
        webpage.page_text(b"  ", "e.html")
    with pytest.raises(SourceError, match="no text left"):
        webpage.page_text(b"<html><body><script>x()</script><nav>a</nav></body></html>", "n.html")


@pytest.fixture
def repo(tmp_path):
    copy_inputs(tmp_path, ("scripts", "seeds", "docs", "overrides", "mkdocs.yml"))
    return tmp_path


def run(*args, cwd):
    return subprocess.run([sys.executable, "scripts/build.py", *args], cwd=cwd, capture_output=True, text=True)


def test_saved_page_in_seeds_builds_like_a_txt_and_stays_byte_identical(repo):
    target = repo / "seeds/speeches/900_page.html"
    shutil.copy(HTML / "dawenge-utf8-bom.html", target)
    before = target.read_bytes()
    check = run("check", cwd=repo)
    assert check.returncode == 0, check.stderr
    assert "warning: seeds/speeches/900_page.html: no metadata sidecar" in check.stderr
    assert run("build", cwd=repo).returncode == 0
    assert target.read_bytes() == before
    md = (repo / "docs/speeches/900-page.md").read_text(encoding="utf-8")
    assert "# 在全区防汛抗旱暨安全生产消防工作会议上的讲话" in md and "下面，我强调三个方面：" in md
    assert "网页元素 · Web-page elements removed:" in md and "正文复制" not in md.split("<details class=\"note\">")[0]
