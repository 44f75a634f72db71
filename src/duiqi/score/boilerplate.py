"""Boilerplate and navigation lines: subscription prompts, copyright notices, share buttons, menus.

Such lines are often translated faithfully on bilingual sites (``点击这里订阅 | Click here to
subscribe!``), so a quality model that asks "is this a translation?" keeps them; they are still
useless (or harmful: thousands of copies) as training data. :func:`boilerplate_kind` recognises them
in one text, in Chinese or English, and says which kind; :func:`pair_boilerplate` does it for a pair
and is what the ``boilerplate`` filter uses. Both are pure and cheap (one pre-check, then anchored
regexes), and meant for reuse by other stages (e.g. dropping navigation lines from mixed documents).

Only short lines are judged (a sentence that merely mentions subscribers or copyright law is not
boilerplate): at most :data:`MAX_UNITS` length units, except for copyright notices, which are
recognised at any length.
"""

from __future__ import annotations

import re

import regex

from duiqi.text.scripts import HAN_RE

#: Longest text (CJK characters + words) judged as a prompt/menu line.
MAX_UNITS = 16

#: The kinds :func:`boilerplate_kind` returns.
KINDS: tuple[str, ...] = ("copyright", "subscribe", "share", "navigation", "login", "cookies", "more", "contact",
                          "credit", "menu")

_EN = {
    "subscribe": r"(?:click|tap)\s+here\s+to\s+(?:subscribe|sign\s+up|register|join)"
                 r"|(?:subscribe|sign\s+up)\s+(?:now|today|here|for\s+free|to\s+(?:our|the)\s+\w+(?:\s+\w+)?)"
                 r"|subscribe|unsubscribe|newsletter|(?:get|receive)\s+(?:our|the)\s+(?:latest\s+)?(?:news|updates)"
                 r"|(?:follow|like)\s+us(?:\s+on\s+\w+)?|join\s+(?:us\s+on|our\s+mailing\s+list)",
    "share": r"share(?:\s+(?:this|on|to|via)(?:\s+\w+){0,2})?|(?:tweet|pin|email)\s+(?:this|it)|print(?:\s+this)?(?:\s+(?:page|article))?"
             r"|(?:share\s+on\s+)?(?:facebook|twitter|weibo|wechat|linkedin|whatsapp|reddit)(?:\s*[|/·,]\s*\w+)*",
    "navigation": r"(?:back\s+to\s+)?top|back|home(?:\s*page)?|previous(?:\s+(?:page|article|post))?"
                  r"|next(?:\s+(?:page|article|post))?|go\s+back|return\s+to\s+(?:top|home(?:\s*page)?)|skip\s+to\s+(?:main\s+)?content"
                  r"|close(?:\s+window)?|menu|search|site\s*map|main\s+menu|(?:related|recommended)\s+(?:articles|stories|posts|reading)",
    "login": r"(?:log|sign)\s*(?:in|out|up)(?:\s*[|/]\s*(?:register|sign\s*up|log\s*in))?|register|create\s+an?\s+account"
             r"|forgot(?:ten)?\s+(?:your\s+)?password\??|my\s+account",
    "cookies": r"(?:this\s+(?:web)?site\s+uses\s+cookies|we\s+use\s+cookies|accept(?:\s+all)?\s+cookies|cookie\s+(?:policy|settings))"
               r".*|privacy\s+policy|terms\s+(?:of\s+(?:use|service)|and\s+conditions)|disclaimer",
    "more": r"(?:read|see|view|click\s+(?:here\s+)?(?:to\s+)?(?:read|see|view))\s+(?:more|the\s+full\s+(?:article|story|text)|all|original)"
            r"|(?:click|tap)\s+here(?:\s+for\s+(?:more|details))?|more(?:\s+(?:news|details|info(?:rmation)?))?|load(?:ing)?\s+more|loading",
    "contact": r"contact\s+us|about\s+us|feedback|advertise(?:\s+with\s+us)?|advertisement|sponsored(?:\s+content)?",
    # a credit names people or an agency: a short value with no sentence inside ("Edit: is now down to 1.")
    "credit": r"(?:editor|edited\s+by|source|photo|image|reporter|responsible\s+editor|translated\s+by)\s*[:：]"
              r"\s*[^\s.!?][^.!?]{0,59}\.?\s*$",
}
_ZH = {
    "subscribe": r"(?:点击|点)(?:这里|此处)?(?:免费)?订阅.*|(?:立即|马上|免费)?订阅(?:我们|本刊|本号|本站)?(?:的?(?:最新)?(?:资讯|新闻|动态|通讯|邮件))?"
                 r"|(?:欢迎)?关注(?:我们|本号|公众号|微信公众号|官方微博).*|扫(?:描|一扫)?(?:下方)?二维码.*"
                 r"|长按(?:识别)?二维码.*|(?:订阅|获取)(?:最新)?(?:资讯|新闻|动态)",
    "share": r"分享(?:到|至).{0,8}|分享(?:本文|此文|文章)?|(?:转发|收藏|点赞|打印)(?:本文|此页|本页)?|(?:微信|微博|朋友圈|QQ空间)(?:\s*[|/·,，]\s*\S{1,5})*",
    "navigation": r"返回(?:顶部|首页|上一页|列表)?|首页|上一(?:篇|页|条)(?:[:：].*)?|下一(?:篇|页|条)(?:[:：].*)?|关闭(?:窗口|本页)?"
                  r"|网站地图|导航|菜单|搜索|(?:相关|推荐|延伸)(?:阅读|文章|新闻|链接)|跳到(?:主要)?内容",
    "login": r"(?:登录|登陆|注册|退出)(?:\s*[|/]\s*(?:登录|登陆|注册))?|忘记密码[？?]?|我的账[户号]|免费注册",
    "cookies": r"(?:本网站|我们)使用\s*cookies?.*|隐私(?:政策|声明|条款)|使用条款|服务条款|免责声明",
    "more": r"(?:点击)?(?:这里|此处)?(?:查看|阅读)(?:更多|全文|原文|详情)|更多(?:新闻|资讯|内容|>>|»)?|阅读原文|展开全文|加载(?:更多|中)",
    "contact": r"联系我们|关于我们|意见反馈|广告(?:服务|合作)?|投稿|(?:商务)?合作",
    "credit": r"(?:责任编辑|编辑|来源|作者|记者|摄影|图片来源|图|翻译|译者|校对)\s*[:：]\s*[^\s。！？!?][^。！？!?]{0,29}$",
}
_COPYRIGHT_RE = regex.compile(
    r"©|\(c\)\s*(?:19|20)\d\d|^\W*copyright\b|\bcopyright\s*(?:©|\(c\)|(?:19|20)\d\d)|\ball\s+rights\s+reserved\b"
    r"|版权所有|保留所有权利|转载请注明|ICP备\s*\d",
    regex.IGNORECASE,
)
#: Copyright wording that a sentence about copyright may also use: only on short lines.
_COPYRIGHT_SHORT_RE = regex.compile(r"版权归.{0,20}所有|未经(?:许可|授权).{0,10}(?:转载|使用|复制)|(?:禁止|严禁|不得)转载")
def _copyright_hint(t: str) -> bool:
    """A substring every copyright notice holds (plain ``in`` tests before the regex)."""
    return ("©" in t or "opyright" in t or "OPYRIGHT" in t or "ights reserved" in t or "IGHTS RESERVED" in t
            or "(c)" in t or "(C)" in t or "版权" in t or "权利" in t or "转载" in t or "ICP" in t)


_ASCII_RUN_RE = re.compile(r"[A-Za-z0-9]+")


def _rough_units(t: str) -> int:
    """Length units (CJK characters + words), estimated without a Unicode regex: a CJK character
    takes three bytes in UTF-8; words are the space-separated (ASCII text) or ASCII-letter runs."""
    if t.isascii():
        return t.count(" ") + 1
    cjk = (len(t.encode("utf-8")) - len(t)) // 2
    return cjk if cjk > MAX_UNITS else cjk + len(_ASCII_RUN_RE.findall(t))
_LEAD = r"^[\s\W_]*(?:"
_TAIL = r")[\s\W_]*$"


def _compile(table: dict[str, str]) -> regex.Pattern[str]:
    """One anchored pattern per language, a named group per kind (one ``match`` call per line)."""
    return regex.compile(_LEAD + "|".join(f"(?P<{k}>{v})" for k, v in table.items()) + _TAIL, regex.IGNORECASE)


_EN_RES = _compile(_EN)
_ZH_RES = _compile(_ZH)
#: ``首页 | 新闻 | 关于我们``, ``Home · News · Contact``: three or more short items with separators.
_MENU_RE = regex.compile(r"^\s*(?:[^|·•/>»\n]{1,14}\s*(?:\||·|•|>|»|/)\s*){2,}[^|·•/>»\n]{1,14}\s*$")
_MENU_SEPARATORS = "|·•>»/"
_MENU_SEPARATOR_RE = re.compile("[|·•>»/]")  # one C search instead of a generator per line
_SENTENCE_WORDS = regex.compile(r"\b(?:is|are|was|were|has|have|had|will|would|said|says)\b", regex.IGNORECASE)


#: An inline HTML/XML tag as Markdown notes carry them (``<u>word</u>``): removed before the line is judged.
_TAG_RE = regex.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


def boilerplate_kind(text: str) -> str | None:
    """The kind of boilerplate ``text`` is (one of :data:`KINDS`), or ``None`` for ordinary text.

    A line is boilerplate when it is a copyright notice (``©``, ``All rights reserved``, ``版权所有``
    at any length; ``禁止转载`` and the like on short lines), or, at most
    :data:`MAX_UNITS` units long, when it is wholly a prompt/menu/button text: parts separated by
    ``|`` (``点击这里订阅 | Click here to subscribe!``) are judged one by one and all must be
    boilerplate. ``Subscribers doubled last year.`` or ``订阅量翻了一番。`` are not.
    """
    t = (_TAG_RE.sub("", text) if "<" in text else text).strip()  # inline markup (<u>, <b>) is no menu
    if not t:
        return None
    if _copyright_hint(t) and _COPYRIGHT_RE.search(t):
        return "copyright"
    if len(t) > 12 * MAX_UNITS:
        return None
    if len(t) > MAX_UNITS and _rough_units(t) > MAX_UNITS:
        return None
    if ("版权归" in t or "未经" in t or "转载" in t) and _COPYRIGHT_SHORT_RE.search(t):  # each branch's literal
        return "copyright"
    parts = [p for p in regex.split(r"\s*[|｜]\s*", t) if p.strip()] if ("|" in t or "｜" in t) else [t]
    if len(parts) > 1:
        kinds = [_line_kind(p) for p in parts]
        if all(kinds):
            return kinds[0]
        if len(parts) >= 3 and _MENU_RE.match(t) and not _SENTENCE_WORDS.search(t):
            return "menu"
        return None
    kind = _line_kind(t)
    if (kind is None and _MENU_SEPARATOR_RE.search(t) and _MENU_RE.match(t)
            and not _SENTENCE_WORDS.search(t) and not t.endswith(("。", "."))):
        return "menu"
    return kind


#: First words (English, lower-cased) and first characters (Chinese) a prompt/menu line can start
#: with: a set lookup that spares the regex for nearly every ordinary sentence.
_EN_STARTS = frozenset((
    "click", "tap", "subscribe", "unsubscribe", "sign", "signup", "signin", "newsletter", "get", "receive",
    "follow", "like", "join", "share", "tweet", "pin", "email", "print", "facebook", "twitter", "weibo",
    "wechat", "linkedin", "whatsapp", "reddit", "back", "top", "home", "homepage", "previous", "next", "go",
    "return", "skip", "close", "menu", "search", "site", "sitemap", "main", "related", "recommended", "log",
    "login", "logout", "register", "create", "forgot", "forgotten", "my", "this", "we", "accept", "cookie",
    "privacy", "terms", "disclaimer", "read", "see", "view", "more", "load", "loading", "contact", "about",
    "feedback", "advertise", "advertisement", "sponsored", "editor", "edited", "source", "photo", "image",
    "reporter", "responsible", "translated",
))
_ZH_STARTS = frozenset("点这此立马免订欢关扫长获分转收打微朋返首上下网导菜搜相推延跳登注退忘我本隐使服查阅更展加联意广投商合责编来作记摄图翻译校Qq")
_FIRST_WORD_RE = regex.compile(r"[\s\W_]*(\w+)")


def _line_kind(t: str) -> str | None:
    m0 = _FIRST_WORD_RE.match(t)
    if m0 is None:
        return None
    first = m0.group(1)
    if HAN_RE.search(t):
        if first[0] not in _ZH_STARTS:
            return None
        m = _ZH_RES.match(t)
    else:
        if first.lower() not in _EN_STARTS:
            return None
        m = _EN_RES.match(t)
    return m.lastgroup if m else None


def is_boilerplate(text: str) -> bool:
    """True when :func:`boilerplate_kind` recognises ``text``."""
    return boilerplate_kind(text) is not None


def pair_boilerplate(src: str, tgt: str) -> str | None:
    """``kind (side)`` when either side of a pair is boilerplate, else ``None``."""
    k = boilerplate_kind(src)
    if k is not None:
        return f"{k} (source)"
    k = boilerplate_kind(tgt)
    if k is not None:
        return f"{k} (target)"
    return None
