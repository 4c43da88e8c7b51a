"""One scorer for website boilerplate lines, whatever site a text was scraped from.

Each line gets evidence, each piece with a weight and the words it rests on:

* vocabulary — the words of site chrome (发布时间, 【打印】, 验证码, 试读结束, 文档编号, 相关阅读 …), by kind;
* shape — no Chinese at all (CSS, anti-scraping debris, machine translation), CSS rules, emoji,
  rows of short tokens, several `标签:` fields, bracketed buttons; and against: prose (sentences),
  outline markers, a speaker's openers (同志们, 下面, 今天 …), title, byline and date lines;
* position — before the speech's first sentence or after its last one, where sites put chrome;
* repetition — a line found verbatim in other raw texts of the corpus is the site's, not a speaker's.

The weights add up to a score. At `REMOVE_AT` or more the line is removed; from `REVIEW_AT` it is
kept and listed "to review"; below that it is kept. Traditional characters are folded to simplified
(offset for offset) before matching, so one vocabulary serves both scripts.

>>> v = score_lines(["发布时间：2021-05-06 浏览次数：1024", "同志们：", "今天我们开会，研究部署工作。"])
>>> [(x.verdict, x.kind) for x in v]
[('remove', 'post_info'), ('keep', 'body'), ('keep', 'body')]
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from .script import to_simplified

REMOVE_AT = 2.0
REVIEW_AT = 1.0
PARAGRAPH_HAN = 150  # a line of running text this long holds a speech paragraph: never removed whole
HAN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NOT_HAN = re.compile(r"[^\u3400-\u9fff\uf900-\ufaff]+")
SENTENCE_PUNCT = re.compile(r"[。！？；!?;]")


@dataclass(frozen=True)
class Evidence:
    name: str  # "vocabulary:post_info", "shape:prose", "position:before-speech", "repeated" …
    weight: float
    quote: str = ""  # the words the evidence rests on

    def __str__(self) -> str:
        quote = f" {self.quote!r}" if self.quote else ""
        return f"{self.name} {self.weight:+.1f}{quote}"


@dataclass(frozen=True)
class Verdict:
    index: int  # line number in the scored text, 0-based
    line: str
    score: float
    kind: str  # the kind of boilerplate the strongest evidence points to, or "body"
    evidence: tuple[Evidence, ...]

    @property
    def verdict(self) -> str:
        return "remove" if self.score >= REMOVE_AT else "review" if self.score >= REVIEW_AT else "keep"

    def explain(self) -> str:
        ev = "; ".join(str(e) for e in self.evidence) or "no evidence"
        return f"{self.verdict} {self.score:+.1f} [{self.kind}] {self.line!r} — {ev}"


def _v(kind: str, weight: float, regex: str) -> tuple[str, float, re.Pattern]:
    return kind, weight, re.compile(regex, re.I)


# The vocabulary of site chrome, matched on the simplified, space-free line. Each pattern counts once.
VOCABULARY: tuple[tuple[str, float, re.Pattern], ...] = (
    _v("navigation", 2.5, r"^(?:您的|你的|当前|您所在的|你所在的|所在)?(?:当前)?位置[:：]"),
    _v("navigation", 2.5, r"首页[>›»]|[>›»]{2}|[>›»]正文$"),
    _v("navigation", 2.5, r"^(?:上一篇|下一篇|上一章|下一章|上一页|下一页)[:：]?"),
    _v("navigation", 3.0, r"^(?:返回|返回列表|返回目录|返回首页|目录|繁体版|简体版|[>›»<]+)$"),
    _v("navigation", 2.5, r"^热门(?:搜索|标签)[:：]|^首页"),
    _v("post_info", 3.0, r"(?:发布|更新|上传|发表|录入|添加|修改)(?:时间|日期|于)[:：]"),
    _v("post_info", 2.5, r"^(?:时间|日期)[:：]\d{4}[-/.]\d"),  # a site's timestamp; 时间：2023年3月1日 may be the text's
    _v("post_info", 1.5, r"(?:信息|本文|文章|新闻)?来源[:：]"),
    _v("post_info", 1.5, r"(?:作者|责任编辑|编辑|编审|审核|校对|全媒体记者|记者|投稿人|发布人|通讯员|供稿)[:：]"),
    _v("post_info", 2.5, r"(?:浏览|阅读|点击|访问|人气)(?:次数|量|数)?[:：]\d*|(?:浏览|阅读|点击|访问)\d+次"),
    _v("post_info", 3.0, r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\d{1,2}:\d{2}(?::\d{2})?)?$|^\d{1,2}\.\d{1,2}\.\d{4}\d{1,2}:\d{2}$"),
    _v("post_info", 3.0, r"\d{4}年\d{1,2}月\d{1,2}日星期[一二三四五六日天]"),
    _v("post_info", 3.0, r"本帖最后由.{0,40}编辑|^本文由.{1,20}(?:上传|整理|发布|提供)|发表于\d{4}"),
    _v("post_info", 2.0, r"我要投稿|版权反馈|投稿交换|我来说两句"),
    _v("toolbar", 2.5, r"【(?:打印|关闭|收藏|字体|[大中小]|加入收藏|关闭窗口|打印本页|以稿换稿|推荐|纠错)】?|打印本页|关闭窗口|加入收藏|字号[:：]|\[[大中小]\]"),
    _v("toolbar", 3.0, r"^(?:正文复制|全文复制|复制全文|复制|主题颜色|分享按钮|分享到|分享|展开详细|展开全文|收起全文|点赞|纠错|打印|关灯|护眼"
                        r"|收藏|举报|打赏|评论|转发|关注|返回顶部|回到顶部|赞)$|^分享到[:：]"),
    _v("toolbar", 1.5, r"扫一扫|扫码|二维码|手机访问"),
    _v("toolbar", 3.0, r"^(?:返回|下载|相关|举报|收藏|分享|评论|打印|纠错|复制|点赞|关注|转发|登录|注册|顶部|目录){3,}$"),
    _v("toolbar", 2.5, r"电脑桌面|桌面快捷|(?:在|用)手机阅读"),
    _v("login", 1.5, r"登录|登陆|注册|验证码|找回密码|忘记密码|退出登录|用户名[:：]|密码[:：]|记住我|自动登录"),
    _v("login", 2.0, r"^(?:请先?(?:登录|登陆)|手机登录|立即注册|会员注册|我要加入会员|加入会员).{0,8}$"),
    _v("login", 2.0, r"^(?:用户名|密码|账号|帐号|手机号|登录名)[:：]?$"),
    _v("login", 3.0, r"忘记密码|找回密码|记住密码|快捷登录|扫码登录|第三方登录"),
    _v("paywall", 3.0, r"试读结束|预览结束|试读已结束|免费试读|扣点券|点券|下载全文|全文阅读|显示全文|阅读全文|查看全文|查看更多"),
    _v("paywall", 3.0, r"此处隐藏\d*个?字|隐藏内容|会员可见|仅供站内会员|开通会员|开通vip|申请vip|升级vip|vip会员"),
    _v("paywall", 2.0, r"获取全文|解锁全文|元查看|购买全文|支付后|付费后|付费阅读|付费下载|扫码支付|支付\d+元|充值会员|vip专享"),
    _v("paywall", 2.5, r"立即下载|下载此文档|点击下载|下载word|word版下载|下载文档|免费下载|下载提示"),
    _v("paywall", 3.0, r"全文共\d+字|文章共\d+字|当前显示\d+字|全文\d+字|^内容预览[:：]?$|请认真阅读下面的提示信息"),
    _v("doc_meta", 3.0, r"文档编号|上传人|上传者|文档简介|资源描述|文档格式|文档大小|页数[:：]|下载券|下载积分|所需积分|合集下载|版权说明"),
    _v("doc_meta", 3.0, r"第\d+页/?共\d+页|_第\d+页$|共\d+页$"),
    _v("doc_meta", 3.0, r"由会员分享|可在线阅读|请在.{1,12}上搜索|论文部分内容阅读|更多相关"),
    _v("doc_meta", 3.0, r"下载文档前|自行甄别|平台不提供|附加服务|找答案"),
    _v("doc_meta", 3.0, r"仅部分预览|不可在线预览|可完整预览|申请退款|侵犯您的权益|尽快为您处理|客服工作时间"),
    _v("doc_meta", 3.0, r"由用户提供并上传|收益归属|内容提供方|存在侵权|举报或认领|自发贡献|自行上传"),
    _v("doc_meta", 3.0, r"^(?:本文标题|链接地址|本文链接|原文链接|原文地址|本文地址)[:：]"),
    _v("tags", 3.0, r"^\[?(?:标签|tag|tags)[:：]"),
    _v("tags", 3.0, r"^(?:相关阅读|相关推荐|相关文章|热门推荐|推荐阅读|猜你喜欢|延伸阅读|相关链接|热门文章|最新文章|精彩推荐|关键词|关键字)[:：]?"),
    _v("comments", 3.0, r"网友评论|留言与评论|发表评论|条评论|评论\(|免责声明|评论区|我要评论|提交评论|评论列表"
                         r"|文明上网|理性发言|并不表明本站|不代表本站|表达个人看法"),
    _v("comments", 2.0, r"^(?:网友|游客|匿名用户|热心网友|读者)[:：\d]"),
    _v("comments", 3.0, r"^(?:感动|同情|无聊|愤怒|搞笑|难过|高兴|路过){3,}$"),
    _v("copyright", 3.0, r"版权所有|版权声明|copyright|©|未经授权|禁止使用|不能转载|禁止转载|转载请注明|二次传播|追究法律责任"
                         r"|如有侵权|联系删除|请联系我们删除|来源于网络|来自网络|来自互联网|不代表本站|仅代表作者"),
    _v("contact", 2.0, r"联系客服|客服|qq[:：]?\d{5}|qq群|微信号|订阅号|公众号|联系我们|e-?mail"),
    _v("contact", 1.5, r"联系电话|(?:电话|手机|微信|邮箱|传真)[:：]"),  # a notice may end with its own phone line
    _v("site_name", 3.0, r"^欢迎(?:光临|访问)|^欢迎来到.{0,12}(?:网|站|文库|平台)|收藏网址|记住网址|本站网址"),
    _v("site_name", 1.5, r"^[\u4e00-\u9fffA-Za-z0-9]{1,12}(?:网|網|站|文库|文庫|吧|论坛|論壇|范文|文秘)$"),  # 织密保障网 may be a heading
    _v("site_name", 2.0, r"(?:https?://|www\.)[A-Za-z0-9.-]+|[A-Za-z0-9-]+\.(?:com|cn|net|org)\b"),
    _v("editor_intro", 2.5, r"小编|网友为您|为您精心|精心整理|赏杯茶"),
    _v("editor_intro", 1.5, r"仅供参考|供大家参考|以供您|希望对大家|希望此则范文|对您有所帮助|喜欢就|欢迎阅读|仅供学习"),
    _v("ad", 2.0, r"(?:范文|资料|文档|办公)集锦|推广赚钱|以稿换稿|广告位|投放广告|广告合作|商务合作|一键生成|人工智能工具"),
)

# Pictographs only: ●■◆□○ are a speech's bullets and masks, not emoji.
_EMOJI = re.compile("[\U0001F300-\U0001FAFF\u260E\u2706\u2709\u231A\u231B\u23F0-\u23F3]")
_CSS = re.compile(r"\{[^{}]*:[^{}]*\}|@page|@font-face|font-family|margin-(?:left|top)|text-align")
_FIELD = re.compile(r"[\u4e00-\u9fff]{2,4}\s*[:：]")
_BUTTON = re.compile(r"【[^【】]{0,8}】|\[[^\[\]]{0,6}\]")
_OPENER = re.compile(r"^(?:同志们|各位|尊敬的|大家|女士们|朋友们|下面|今天|刚才|首先|现在|我们|同学们)")
_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+[、是要]|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.．、](?!\d)"
                     r"|[（(]\d{1,2}[)）]|第[一二三四五六七八九十]+[，,、节章部分条]|(?:首先|其次|再次|最后)[，,])")
_TITLE = re.compile(r"(?:讲话|发言|致辞|致词|报告|提纲|讲稿|总结|动员|主持词|部署|会议)")
_DATE = re.compile(r"^[（(]?\s*\d{4}\s*年\s*(?:\d{1,2}|\*+|X+)\s*月\s*(?:(?:\d{1,2}|\*+|X+)\s*日)?\s*[)）]?$")
_LABEL = re.compile(r"^(?:上一篇|下一篇|上一章|下一章|本文标题|文章标题|原文链接|本文链接|相关阅读|相关推荐|推荐阅读|"
                    r"热门推荐|延伸阅读|相关文章|热门文章)[:：]")
_NAV_SPLIT = re.compile(r"\s*(?:[>›»]+|\|)\s*")


def fold(line: str) -> str:
    """Simplified, without spaces: the form the vocabulary is matched on."""
    return re.sub(r"[\s\u3000\xa0]+", "", to_simplified(line))


@lru_cache(maxsize=1 << 14)
def han_count(text: str) -> int:
    """Han characters in `text` (asked several times per line while scoring: remembered)."""
    return len(_NOT_HAN.sub("", text))


def is_prose(line: str) -> bool:
    """A sentence or more of running text: what a speaker says, not what a site prints."""
    han = han_count(line)
    return han >= 12 and (bool(SENTENCE_PUNCT.search(line)) or line.count("，") + line.count(",") >= 2)


def is_paragraph(line: str) -> bool:
    """Running text long enough to be a paragraph of a speech (several sentences).

    >>> is_paragraph("版权所有 © 2024 范文网") , is_paragraph("同志们，" + "我们要抓好改革。" * 30)
    (False, True)
    """
    return han_count(line) >= PARAGRAPH_HAN and len(SENTENCE_PUNCT.findall(line)) >= 2


def is_speech_line(line: str) -> bool:
    return is_prose(line) or bool(_OPENER.match(line.strip()) and han_count(line) >= 3)


def line_counts(texts) -> Counter:
    """For each stripped line, in how many of `texts` it occurs: the corpus context of `score_lines`."""
    counts: Counter = Counter()
    for text in texts:
        counts.update({l.strip() for l in text.split("\n") if l.strip()})
    return counts


def vocabulary(line: str) -> list[Evidence]:
    folded = fold(line)
    found = []
    for kind, weight, pattern in VOCABULARY:  # each distinct chrome phrase is a piece of evidence
        if pattern.search(folded) is None:  # most lines match no pattern: one C call each
            continue
        for phrase in dict.fromkeys(m.group() for m in pattern.finditer(folded) if m.group()):
            found.append(Evidence(f"vocabulary:{kind}", weight, phrase))
    return found


def shape(line: str) -> list[Evidence]:
    s = line.strip()
    found, han = [], han_count(s)
    if han == 0 and len(re.sub(r"\s", "", s)) >= 2 and not re.fullmatch(r"[\d\s.,:/-]+", s) \
            and not re.search(r"[。，！？；：“”]", s):
        found.append(Evidence("shape:no-chinese", 2.5, s[:20]))
    if _CSS.search(s):
        found.append(Evidence("shape:css", 3.0, _CSS.search(s).group()[:20]))
    if _EMOJI.search(s):
        found.append(Evidence("shape:emoji", 1.5, _EMOJI.search(s).group()))
    tokens = [t for t in re.split(r"[\s|｜]+", s) if t]
    if len(tokens) >= 3 and all(len(t) <= 6 for t in tokens) and not SENTENCE_PUNCT.search(s):
        found.append(Evidence("shape:row-of-short-tokens", 1.0, " ".join(tokens[:4])))
    if len(_FIELD.findall(s)) >= 2 and not is_prose(s):
        found.append(Evidence("shape:label-fields", 1.0, " ".join(_FIELD.findall(s)[:3])))
    if len(_BUTTON.findall(s)) >= 2:
        found.append(Evidence("shape:buttons", 1.5, "".join(_BUTTON.findall(s)[:3])))
    return found


def speech_signs(line: str) -> list[Evidence]:
    """Evidence against: what a speaker's text looks like."""
    s, found = line.strip(), []
    if is_prose(s):
        found.append(Evidence("shape:prose", -2.0))
        if han_count(s) >= 40:
            found.append(Evidence("shape:long-prose", -1.0))
    elif re.search(r"[。！？][”’」』）)]?$", s) and han_count(s) >= 2:
        found.append(Evidence("shape:ends-a-sentence", -1.0))
    if _MARKER.match(s):
        found.append(Evidence("speech:outline-marker", -2.5, _MARKER.match(s).group()))
    elif _OPENER.match(s):
        found.append(Evidence("speech:opener", -2.0, _OPENER.match(s).group()))
    if len(s) <= 60 and not SENTENCE_PUNCT.search(s) and _TITLE.search(to_simplified(s)) \
            and not _LABEL.match(fold(s)):  # "上一篇：…讲话" names another page's title: no evidence for this one
        found.append(Evidence("speech:title-words", -2.0, _TITLE.search(to_simplified(s)).group()))
    if _DATE.match(s):
        found.append(Evidence("speech:date-line", -2.0))
    return found


def score_lines(lines: list[str], corpus: Counter | None = None, navigation: tuple[str, ...] = (),
                memo: dict | None = None) -> list[Verdict]:
    """A verdict for every line. `corpus` counts lines across raw texts (see `line_counts`),
    this text included; without it there is no repetition evidence. `navigation`: navigation lines
    already removed from this text (their crumbs are evidence too). `memo`: a dict kept across
    calls with the same `corpus` (the cleaning passes over one text), so that a line scored
    before, on the same side of the speech, is not scored again."""
    memo = {} if memo is None else memo
    speech = [i for i, l in enumerate(lines) if is_speech_line(l)]
    first, last = (speech[0], speech[-1]) if speech else (len(lines), -1)
    verdicts = []
    for i, line in enumerate(lines):
        where = "before-speech" if i < first else "after-speech" if i > last else ""
        known = memo.get((line, where))
        if known is None:
            known = memo[(line, where)] = _score(i, line, where, corpus)
        verdicts.append(known if known.index == i else replace(known, index=i))
    return _echoes_of_navigation(verdicts, navigation)


def _score(i: int, line: str, where: str, corpus: Counter | None) -> Verdict:
    """`where`: "before-speech" or "after-speech" if the line is outside the speech's lines."""
    s = line.strip()
    if not s:
        return Verdict(i, line, 0.0, "body", ())
    evidence = vocabulary(s) + shape(s) + speech_signs(s)
    if where and len(s) <= 40 and not SENTENCE_PUNCT.search(s):
        evidence.append(Evidence(f"position:{where}", 0.5))
    if corpus and corpus.get(s, 0) >= 2 and not is_speech_line(s) and len(s) >= 2:
        n = corpus[s]
        evidence.append(Evidence("repeated", 2.5 if n >= 3 else 1.5, f"in {n} raw texts"))
    return _verdict(i, line, evidence)


def _verdict(i: int, line: str, evidence: list[Evidence]) -> Verdict:
    score = round(sum(e.weight for e in evidence), 2)
    if score >= REMOVE_AT and is_paragraph(line):
        # Site chrome is short. Chrome words inside a long paragraph are the inline rules' job;
        # the paragraph itself is the speaker's, so the most it can get is a review.
        evidence = [*evidence, Evidence("shape:paragraph", round(REVIEW_AT - score, 2), f"{han_count(line)} characters")]
        score = REVIEW_AT
    positive = [e for e in evidence if e.weight > 0 and e.name.startswith(("vocabulary", "shape", "echo"))]
    kind = max(positive, key=lambda e: e.weight).name.split(":")[1] if positive and score >= REVIEW_AT else "body"
    if kind == "body" and score >= REVIEW_AT:
        kind = "repeated" if any(e.name == "repeated" for e in evidence) else "position"
    return Verdict(i, line, score, kind, tuple(evidence))


def _echoes_of_navigation(verdicts: list[Verdict], removed: tuple[str, ...]) -> list[Verdict]:
    """A short line repeating one crumb of a navigation line (a category label under the
    breadcrumb) belongs to the navigation too."""
    nav = [v.line for v in verdicts if v.verdict == "remove" and v.kind == "navigation"] + list(removed)
    crumbs = {c for line in nav for c in _NAV_SPLIT.split(line.strip()) if c}
    out = []
    for v in verdicts:
        s = v.line.strip()
        if crumbs and s in crumbs and v.verdict != "remove" and len(s) <= 12 and not SENTENCE_PUNCT.search(s):
            v = _verdict(v.index, v.line, list(v.evidence) + [Evidence("echo:navigation", 2.0, s)])
        out.append(v)
    return out
