"""Cleaning: remove what the website added, normalise what it garbled, never touch what was said.

The text is held as a `Doc`: the current characters plus, for each, the index of the source
character it came from. Every rule is a named regex with a reason. A removal rule deletes the
characters it matches and records them (`Doc.removals`); a normalising rule replaces characters
one for one (half-width `,` → full-width `，`), so every output character still points at its
source character. That origin map is what the lossless tests check: output characters in source
order, each equal to its source character or its normalised form, and every source character
not in the output either whitespace or inside a reported removal.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from . import boilerplate

HAN = r"\u3400-\u9fff\uf900-\ufaff"
CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】—…·「」『』"
_CJK = f"[{HAN}{CJK_PUNCT}]"


@dataclass(frozen=True)
class Rule:
    """A named, reviewable cleaning rule. `pattern` matches what the website added."""
    name: str
    why: str
    pattern: re.Pattern
    scope: str = "inline"  # "line": the pattern must match a whole (stripped) line
    needs: re.Pattern | None = None  # a text without a match of this cannot match `pattern` (speed)


@dataclass(frozen=True)
class Removal:
    rule: str
    start: int  # offsets into the decoded source text
    end: int
    text: str


@dataclass(frozen=True)
class Change:
    rule: str
    at: int  # source offset
    before: str
    after: str


@dataclass
class Doc:
    source: str
    text: str = ""
    origin: list[int] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @classmethod
    def of(cls, source: str) -> "Doc":
        return cls(source, source, list(range(len(source))))

    def delete(self, spans: list[tuple[int, int]], rule: str) -> None:
        """Delete [start, end) spans of the current text, recording them as removals by `rule`.

        Linear: slices are joined in C, and Python only walks the removed characters.
        """
        merged = _merge(spans)
        if not merged:
            return
        text_parts, origin_parts, at = [], [], 0
        for start, end in merged:
            text_parts.append(self.text[at:start])
            origin_parts.append(self.origin[at:start])
            self._record_removals(self.origin[start:end], rule)
            at = end
        text_parts.append(self.text[at:])
        origin_parts.append(self.origin[at:])
        self.text = "".join(text_parts)
        self.origin = [o for part in origin_parts for o in part]

    def _record_removals(self, origins: list[int], rule: str) -> None:
        """One removal per run of consecutive source offsets among the removed characters."""
        first = previous = origins[0]
        for o in origins[1:] + [-1]:
            if o != previous + 1:
                self.removals.append(Removal(rule, first, previous + 1, self.source[first:previous + 1]))
                first = o
            previous = o

    def replace_chars(self, replacements: dict[int, str], rule: str) -> None:
        """Replace single characters at current positions with single characters."""
        if not replacements:
            return
        chars = list(self.text)
        for i, new in sorted(replacements.items()):
            self.changes.append(Change(rule, self.origin[i], chars[i], new))
            chars[i] = new
        self.text = "".join(chars)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-empty spans sorted, with overlapping or touching ones joined.

    >>> _merge([(5, 7), (0, 2), (2, 3), (6, 9), (4, 4)])
    [(0, 3), (5, 9)]
    """
    merged: list[list[int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _line(name: str, why: str, regex: str) -> Rule:
    return Rule(name, why, re.compile(regex), "line")


def _inline(name: str, why: str, regex: str, needs: str | None = None) -> Rule:
    return Rule(name, why, re.compile(regex), needs=re.compile(needs) if needs else None)


_AD_WORDS = r"(?:会员|QQ群|qq群|微信群|VIP|vip|订阅|倒卖|公众号)"
_AD_CALLS = r"(?:免费|赠送|立享|群[:：]|举报|订阅|开通|充值|权益|扫码|关注|加入)"

LINE_RULES: tuple[Rule, ...] = (
    _line("site_navigation", "mobile/desktop switches and back-to-top links the page chrome shows",
          r"(?:手机版|电脑版|手机站|返回顶部|回到顶部|返回首页|Top|TOP|top|↑)"),
    _line("breadcrumb", "the site's 'you are here' trail",
          r"(?:您的当前位置|当前位置|您的位置|你的位置|所在位置)\s*[:：].*|\S.*(?:\s[>›»]\s.*){2,}"),
    _line("post_info", "the site's 来源/时间/点击 posting line",
          r"(?:来源|发布时间|时间|作者|点击|浏览|阅读|责任编辑|编辑)\s*[:：].{0,80}?"
          r"(?:时间|点击|浏览|阅读|推荐访问|发布)\s*[:：].*"),
    _line("editor_intro", "the site editor's 'here is what we collected for you' line",
          r"(?:下面|以下)(?:是|为)?(?:小编|本站|编辑|笔者)?(?:为大家|为您|给大家)?"
          r"(?:精心)?(?:整理|收集|搜集|推荐|准备|分享|带来)的.{0,200}?(?:供大家参考|仅供参考|欢迎阅读|希望对|以供参考).{0,40}"),
    _line("ad_line", "membership, subscription and chat-group advertising",
          rf"(?=.*{_AD_WORDS})(?=.*{_AD_CALLS})[^。]{{0,80}}|【?打击倒卖.{{0,20}}"),
    _line("powered_by", "'Powered by' engine credits", r"Powered by.*"),
    _line("icp_record", "ICP licence and public-security record numbers",
          r".{0,80}(?:ICP备|ICP证|公网安备).{0,40}"),
    _line("copyright", "copyright and rights notices",
          r"[^。！？]{0,60}(?:Copyright|copyright|版权所有|All Rights Reserved|©).{0,80}"),  # never a sentence before it
    _line("site_signature", "a line that is only a site name and its address",
          r"[\w\u4e00-\u9fff]{0,20}\s*(?:https?://|www\.)\S+"),
    _line("download_meta", "download-page metadata: format, size, pages, download counts",
          r"(?:文档|文件|资料)?(?:格式|大小|页数|下载次数|下载量|上传时间|上传者|所需积分|下载券)\s*[:：].{0,40}"),
    _line("promo_slogan", "site promotion lines such as 仅供学习 禁止外传",
          r"(?:仅供(?:学习|参考)(?:交流)?\s*(?:，|,|\s)?\s*(?:禁止|请勿|严禁)(?:外传|转载|商用)|本站.{0,20}(?:禁止|请勿)转载.{0,20})"),
)

INLINE_RULES: tuple[Rule, ...] = (
    _inline("hidden_content", "'当前隐藏内容免费查看' pay-wall marker, also mid-sentence",
            r"[ \t\u3000]*当前隐藏内容免费查看[ \t\u3000]*", needs=r"当前隐藏内容"),
    _inline("login_prompt", "login and VIP prompts of paid document sites",
            r"[（(【]?\s*(?:(?:请)?(?:登录|登陆)(?:后)?(?:即可)?(?:查看|阅读|下载)(?:全文|完整内容|完整版)?"
            r"|(?:开通|成为|升级)\s*VIP\s*(?:会员)?(?:即可|后)?(?:查看|阅读|下载|免费下载)?(?:全文|完整版)?"
            r"|(?:点击)?(?:免费)?下载(?:完整|全文)(?:版|文档)?)\s*[)）】]?",
            needs=r"登录|登陆|VIP|下载"),  # every alternative contains one of these
    _inline("truncation_notice", "(未完,全文共…字,当前显示…字) and similar truncation notices",
            r"[（(]\s*未完[^（()）\n]{0,60}[)）]|[（(]\s*(?:全文共|本文共)[^（()）\n]{0,40}字[^（()）\n]{0,30}[)）]"
            r"|(?:[…\.]{2,}\s*)(?:阅读全文|查看全文|展开全文|显示全文)\s*[>》»]*"
            r"|(?:阅读全文|查看全文|展开全文|显示全文)\s*[>》»]+",
            needs=r"未完|本文共|全文"),  # 全文 is in every other alternative
    _inline("free_trial", "免费试读 / 试读结束 markers of preview pages",
            r"[（(【]?\s*(?:免费试读|试读已结束|试读结束)[^。\n]{0,20}?[)）】]?", needs=r"试读"),
    _inline("injected_site_name", "a scraper site's name or address injected into the text",
            r"[（(【]?\s*(?:本文)?(?:来源|来自|转自|摘自)?[:：]?\s*"
            r"(?:[0-9A-Za-z]{1,8}|第一|中国|精品|优秀|天天|无忧|豆丁|百度|道客|原创力|大学生)?"
            r"(?:范文|文库|文秘|公文|秘书|写作|美文)(?:网|站|吧)"
            r"(?:\s*[（(]?\s*(?:https?://)?www\.[0-9A-Za-z.-]+[)）]?)?\s*[)）】]?"
            r"|[（(]\s*(?:https?://)?www\.[0-9A-Za-z-]+\.[a-z.]{2,8}\s*[)）]",
            needs=r"(?:范文|文库|文秘|公文|秘书|写作|美文)[网站吧]|www\."),  # as each alternative needs
    _inline("forum_jammer", "forum anti-scraping junk: runs of short random ASCII tokens between Chinese words, "
            "also at a line's start or end and touching the words",
            rf"(?m)(?:(?<=[{HAN}，。、；：！？])|^)[ \t]*(?:[!-~]{{1,3}}[ \t]+){{3,}}[!-~]{{1,3}}?"
            rf"(?:[ \t]*(?=[(（]?[{HAN}])|[ \t]*$)",
            needs=r"[!-~][ \t]+[!-~]"),  # at least two tokens with a space between
    _inline("inline_pinyin", "pinyin a converter cut into the text after a character: 縣長(zhǎng)",
            rf"(?<=[{HAN}])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{{1,7}}\)",
            needs=r"\("),
    _inline("cut_entity", "HTML entities cut off or left raw by the scraper: &n, &nbsp;, nbsp;",
            r"(?<![A-Za-z0-9&])&(?:nbsp|nbs|nb|n|amp|lt|gt|quot|ldquo|rdquo|hellip|mdash|#\d{2,5});?(?![A-Za-z])"
            r"|(?<![A-Za-z&])nbsp;", needs=r"&|nbsp;"),
    _inline("editor_note", "a site editor's sentence cut into the text: 下面就是小编给大家整理的，仅供参考。",
            # Starts only where a sentence starts (the look-behind), so a long sentence is read once,
            # not once per character (that was quadratic: 50 s on a 500 KB text).
            r"(?<![^。！？!?\n])[^。！？!?\n]*(?:小编|小編|网友为您|網友為您|为您精心|為您精心|本站为您|本站為您)"
            r"[^。！？!?\n]*[。！？!?]?", needs=r"小编|小編|为您|為您"),  # each phrase holds one
    _inline("site_mark", "a document site's marker at the start of the text: 【正】",
            r"(?m)^[ \t\u3000]*【正】", needs=r"【正】"),
)

CSS_DEBRIS = _inline("css_debris", "CSS rules and cut-off tags left by a .docx or web export: @page {…}, p.western {…}, l>",
                     r"@(?:page|font-face|media)[^{}\n]*\{[^{}\n]*\}"
                     r"|(?<![^\s}])(?:[a-z][\w-]*(?:\.[\w-]+)*|[.#][\w-]+)\s*\{[^{}\n]*:[^{}\n]*\}"
                     r"|(?m:^[a-z]{1,8}>[ \t]*)|</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>\n]*)?/?>"
                     r"|\[标签\s*[:：][^\]\n]*\]",
                     needs=r"[{<>]|\[标签")  # each alternative holds a brace, an angle bracket or [标签

TITLE_SUFFIX = _inline("title_suffix", "范文-site labels appended to titles: (精选文档), (通用), (3篇), 【第一篇】…",
                       r"[(（【](?:精选文档|精选范文|精选|范文|通用|通用版|最新|最新版|完整版|优秀范文|推荐"
                       r"|(?:精选|汇总|匯總|通用|优秀|优质)?\d+篇|合集|第[一二三四五六七八九十\d]+篇)[)）】]"
                       r"(?:篇[一二三四五六七八九十]+)?(?=\s*$)")

# Half-width punctuation that becomes full width in Chinese context.
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_URL = re.compile(r"(?:https?://|www\.)\S+")


def is_junk_token_run(text: str) -> bool:
    """Forum jammer runs mix symbols with letters or digits; words, numbers and units do not."""
    chars = text.replace(" ", "").replace("\t", "")
    kinds = {("a" if c.isalpha() else "d" if c.isdigit() else "s") for c in chars}
    return "s" in kinds and len(kinds) >= 2


def remove_lines(doc: Doc, rules: tuple[Rule, ...] = LINE_RULES) -> None:
    """Delete whole lines (with their newline) that a line rule matches."""
    for rule in rules:
        spans, pos = [], 0
        for line in doc.text.split("\n"):
            stripped = line.strip(" \t\u3000\ufeff")
            if stripped and rule.pattern.fullmatch(stripped):
                spans.append((pos, min(pos + len(line) + 1, len(doc.text))))
            pos += len(line) + 1
        doc.delete(spans, rule.name)


def remove_inline(doc: Doc, rules: tuple[Rule, ...] | None = None) -> None:
    for rule in rules or (CSS_DEBRIS,) + INLINE_RULES:  # CSS first: its selectors look like jammer tokens
        if rule.needs is not None and rule.needs.search(doc.text) is None:
            continue
        spans = [m.span() for m in rule.pattern.finditer(doc.text) if m.end() > m.start()
                 and (rule.name != "forum_jammer" or is_junk_token_run(m.group()))]
        doc.delete(spans, rule.name)


def remove_promo_blocks(doc: Doc) -> None:
    """Delete blank-line-separated blocks of short slogan lines at the top that sit with an ad.

    Sites open with a banner: a few short lines (no sentence ends) one of which is an ad
    (订阅/会员/QQ群…). Such a block, before the first line of the speech, is the site's.
    """
    ad = next(r for r in LINE_RULES if r.name == "ad_line").pattern
    spans, pos = [], 0
    for block in re.split(r"(\n[ \t\u3000]*\n)", doc.text):
        lines = [l.strip() for l in block.split("\n") if l.strip()]
        if not lines:
            pos += len(block)
            continue
        bannerish = all(len(l) <= 40 and (ad.fullmatch(l) or not re.search(r"[。！？：；]", l)) for l in lines)
        if not bannerish or not any(ad.fullmatch(l) for l in lines):
            break
        spans.append((pos, pos + len(block)))
        pos += len(block)
    doc.delete(spans, "promo_block")


def remove_title_suffixes(doc: Doc) -> None:
    spans, pos = [], 0
    for line in doc.text.split("\n"):
        m = TITLE_SUFFIX.pattern.search(line)
        if m and not re.search(r"[。！？]", line):
            spans.append((pos + m.start(), pos + m.end()))
        pos += len(line) + 1
    doc.delete(spans, TITLE_SUFFIX.name)


def remove_duplicate_titles(doc: Doc) -> None:
    """A title line repeated by the site (heading, then again above the text) is kept once."""
    seen, spans, pos = set(), [], 0
    for line in doc.text.split("\n"):
        key = line.strip()
        titleish = 4 <= len(key) <= 60 and not re.search(r"[。！？：:]$", key)
        if titleish and key in seen:
            spans.append((pos, min(pos + len(line) + 1, len(doc.text))))
        elif titleish:
            seen.add(key)
        pos += len(line) + 1
    doc.delete(spans, "duplicate_title")


def full_width_punctuation(doc: Doc) -> None:
    """`,:;?!()` next to Chinese become full width; never inside numbers, times, URLs or Latin text."""
    text, protected = doc.text, set()
    for m in _URL.finditer(text):
        protected.update(range(m.start(), m.end()))
    replacements = {}
    for i, c in enumerate(text):
        if c not in FULL_WIDTH or i in protected:
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if before.isdigit() and after.isdigit():
            continue
        if c in "()":
            if _cjk_paren(text, i):
                replacements[i] = FULL_WIDTH[c]
        elif re.match(_CJK, before) or re.match(_CJK, after):
            replacements[i] = FULL_WIDTH[c]
    doc.replace_chars(replacements, "full_width_punctuation")


def _cjk_paren(text: str, i: int) -> bool:
    """A half-width bracket pair around Chinese content: (一), (精选文档), (2021年1月)."""
    inner = r"[^()\n]{0,30}"
    m = re.match(rf"\(({inner})\)", text[i:]) if text[i] == "(" else re.search(rf"\(({inner})\)$", text[: i + 1])
    return bool(m) and bool(re.search(f"[{HAN}]", m.group(1))) and not re.search(r"[A-Za-z]", m.group(1))


def normalise_whitespace(doc: Doc) -> None:
    """Trim lines, drop spaces between Chinese characters, squeeze blank-line runs to one."""
    text, spans = doc.text, []
    for m in re.finditer(r"[ \t\u3000\ufeff\xa0]+", text):
        s, e = m.span()
        at_edge = s == 0 or e == len(text) or text[s - 1] == "\n" or text[e] == "\n"
        between_cjk = s and e < len(text) and re.match(_CJK, text[s - 1]) and re.match(_CJK, text[e])
        if at_edge or between_cjk:
            spans.append((s, e))
        elif e - s > 1:
            spans.append((s + 1, e))  # keep one space between Latin words
    doc.delete(spans, "whitespace")
    spans = [(m.start() + 2, m.end()) for m in re.finditer(r"\n{3,}", doc.text)]
    spans += [(0, m.end()) for m in re.finditer(r"^\n+", doc.text)]
    spans += [(m.start(), m.end()) for m in re.finditer(r"\n+$", doc.text)]
    doc.delete(sorted(set(spans)), "whitespace")


def join_broken_lines(doc: Doc) -> None:
    """Join a line broken mid-sentence to the next: it ends in a comma or a long run of text."""
    spans, pos, lines = [], 0, doc.text.split("\n")
    for i, line in enumerate(lines[:-1]):
        pos += len(line)
        nxt = lines[i + 1]
        if nxt and _is_mid_sentence(line) and not _starts_new_unit(nxt):
            spans.append((pos, pos + 1))
        pos += 1
    doc.delete(spans, "line_break")


def _is_mid_sentence(line: str) -> bool:
    if re.search(r"[，、]$", line):
        return True
    return (len(line) >= 20 and bool(re.search(rf"[{HAN}]$", line)) and not starts_with_marker(line)
            and not re.search(r"(?:讲话|发言|致辞|报告|提纲|讲稿|总结)$", line))


def _starts_new_unit(line: str) -> bool:
    return starts_with_marker(line) or line.startswith("同志们")


MARKER = re.compile(
    r"^(?:[一二三四五六七八九十]+[、是要]|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.．、](?!\d)"
    r"|[（(]\d{1,2}[)）]|第[一二三四五六七八九十]+[，,、]|(?:首先|其次|再次|最后)[，,])")


def starts_with_marker(line: str) -> bool:
    return bool(MARKER.match(line))


_URL_STAMP = re.compile(r"(?m)(?<=\S)[ \t\u3000]+(?:[^\s。！？，,]{1,10}[ \t\u3000,，]*)?"
                        r"(?:https?://|www\.)[\w./?=&%#-]+[ \t\u3000]*$")
_TAIL_STAMP = re.compile(r"(?m)(?<=[。！？!?”…])([ \t\u3000]*)([^\s。！？!?“”]{2,16}(?:[ \t\u3000]+[^\s。！？!?“”]{1,16})?)"
                         r"[ \t\u3000]*$")
_SITE_WORD = re.compile(r"网|網|站|文库|文庫|范文|图鉴社|copyright|©", re.I)


def remove_site_stamps(doc: Doc) -> None:
    """A site's name or address stamped at the end of a line of the speech: `…这一类。 公文汇 www.gongwenhui.com`.

    After a sentence's end, a short tail counts as a stamp when it is chrome by the boilerplate
    vocabulary (`…意…阅读全文`), or when it is set off by a space and names a site (网, 站, 文库, an
    address). A tail that merely runs on to the next line (`…。根据《`) is left alone.
    """
    spans = [m.span() for m in _URL_STAMP.finditer(doc.text)]
    for m in _TAIL_STAMP.finditer(doc.text):
        stamp = m.group(2)
        chrome = sum(e.weight for e in boilerplate.vocabulary(stamp)) >= boilerplate.REMOVE_AT
        if not _overlaps(m.span(), spans) and (chrome or (m.group(1) and _SITE_WORD.search(stamp))):
            spans.append(m.span())
    doc.delete(sorted(spans), "site_stamp")


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def remove_boilerplate(doc: Doc, corpus: Counter | None = None, record: dict | None = None,
                       memo: dict | None = None) -> None:
    """Delete the lines the boilerplate scorer is sure of (see boilerplate.py), one rule name per kind.

    `record`, if given, collects every line's verdict by the source offset where the line starts;
    `memo` is the scorer's, kept across the passes over one text (see `score_lines`).
    """
    lines = doc.text.split("\n")
    navigation = tuple(r.text for r in doc.removals if r.rule in ("breadcrumb", "boilerplate:navigation"))
    doomed, pos = [], 0
    for line, verdict in zip(lines, boilerplate.score_lines(lines, corpus, navigation, memo)):
        if record is not None and line.strip():  # keyed by where the raw line starts: stable across passes
            record[doc.source.rfind("\n", 0, doc.origin[pos]) + 1] = verdict
        if verdict.verdict == "remove":
            doomed.append(((pos, min(pos + len(line) + 1, len(doc.text))), verdict.kind))
        pos += len(line) + 1
    for span, kind in reversed(doomed):  # from the end, so earlier offsets stay valid
        doc.delete([span], f"boilerplate:{kind}")


def clean(source: str, corpus: Counter | None = None) -> Doc:
    """Run every rule until none changes anything (a removal can expose a new boilerplate line).

    The result's text has one paragraph (or header line) per line. `corpus` counts lines across the
    corpus's raw texts (boilerplate.line_counts), for the scorer's repetition evidence.
    """
    return explain(source, corpus)[0]


def explain(source: str, corpus: Counter | None = None) -> tuple[Doc, list[tuple[int, boilerplate.Verdict]]]:
    """`clean`, and the scorer's last verdict on every line, with the source offset where it starts."""
    doc, record, memo = Doc.of(source), {}, {}
    remove_promo_blocks(doc)
    for _ in range(10):
        before = doc.text
        remove_lines(doc)
        remove_inline(doc)
        remove_site_stamps(doc)
        remove_title_suffixes(doc)
        remove_duplicate_titles(doc)
        remove_boilerplate(doc, corpus, record, memo)
        normalise_whitespace(doc)
        full_width_punctuation(doc)
        join_broken_lines(doc)
        doc.delete([(m.start(), m.end()) for m in re.finditer(r"(?<=\n)\n", doc.text)], "whitespace")
        if doc.text == before:
            break
    return doc, sorted(record.items())


REVIEW_MARK = ": to review: "


def review_warning(path: str, source: str, offset: int, verdict: boilerplate.Verdict) -> str:
    """`check`'s warning for a line kept on weak evidence; emit lists these on the speech's page."""
    line = source.count("\n", 0, offset) + 1
    evidence = "; ".join(str(e) for e in verdict.evidence)
    return (f"{path}:{line}{REVIEW_MARK}kept {verdict.line.strip()!r} — weak evidence of {verdict.kind} "
            f"(score {verdict.score:+.1f} < {boilerplate.REMOVE_AT}: {evidence})")


def to_review(doc: Doc, decisions: list[tuple[int, boilerplate.Verdict]]) -> list[tuple[int, boilerplate.Verdict]]:
    """Lines kept on weak evidence, with the source offset where each starts: the "to review" list.

    A line is kept if a character of the cleaned text comes from it (its newline included); the
    origin map only grows, so one binary search per line under review tells."""
    out = []
    for o, v in decisions:
        if v.verdict != "review":
            continue
        end = doc.source.find("\n", o)
        end = len(doc.source) - 1 if end < 0 else end
        i = bisect_left(doc.origin, o)
        if i < len(doc.origin) and doc.origin[i] <= end:
            out.append((o, v))
    return out


ALL_RULES: tuple[Rule, ...] = LINE_RULES + INLINE_RULES + (TITLE_SUFFIX, CSS_DEBRIS)
