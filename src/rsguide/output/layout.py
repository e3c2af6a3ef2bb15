"""Text layout for Chinese on a terminal: line breaking by display width that never splits a
phone number, URL, address number, item number, date or 《material name》, and never starts a line
with closing punctuation; column widths for tables; the tone (colour) of a heading.

Display width is Rich's (:func:`rich.cells.cell_len`; a Chinese character takes two columns).
:mod:`rsguide.output.render` wraps text here and :mod:`rsguide.output.terminal` prints the lines as
they are.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

from rsguide.lazyre import LazyPattern

CLOSING = "，。、；：！？）」》』”’〕】…,.;:!?)]}%"
"""Punctuation that never begins a line (it stays with the character before it)."""
OPENING = "（「《『“‘〔【([{"
"""Punctuation that never ends a line (it stays with the character after it)."""

NBSP = "\u00a0"
"""A space that is never a line break (“铁东区\u00a0电话”); printed as an ordinary space."""

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_NUM = "0-9０-９"
_ALTERNATIVES = (
    # URLs, e-mail addresses and domain names
    r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+",
    # 《material name》 (long titles may still be split: see wrap)
    r"《[^《》\n]{1,40}》",
    # an address number with its road: 莘英路889号, 三道街81号, 越岭路261号, 1-7号
    rf"(?:[{_CJK}]{{2}}[区县])?(?:(?![区市县省园镇村乡楼院号路街])(?!(?<=街)道)[{_CJK}]){{1,3}}(?:路|街|道|巷|大街|大道)"
    rf"[{_NUM}]+(?:[-－][{_NUM}]+)?(?:号|栋|甲)?",
    # item, rule and page numbers: 第14项, 第三十二项, 禁办第3条
    rf"第[{_NUM}一二三四五六七八九十百零〇两]+[项条页号]",
    # dates: 2022年12月, 2026年1月1日
    rf"[{_NUM}]{{4}}年[{_NUM}]{{1,2}}月(?:[{_NUM}]{{1,2}}日)?",
    # numbers with their unit: 15个工作日, 1份, 16周岁
    rf"[{_NUM}]+(?:[.．][{_NUM}]+)?(?:个工作日|个月|周岁|工作日|日|天|年|份|号|岁|元|项|条|张|页|次)",
    # phone numbers, numbers, dates, codes and Latin words: 0412-5517322, 12333, 2026-12-22, APP
    rf"(?:[A-Za-z{_NUM}][A-Za-z{_NUM}\-－–~～._/:@+#]*[A-Za-z{_NUM}]|[A-Za-z{_NUM}])(?:号楼|号|栋|楼|层|室|路)?",
)
_ADDRESS = 2
# The address alternative holds three classes of 27,000 CJK characters (≈ 6 ms to compile on
# Python 3.11). It can match only where a road word is followed by a digit, so a text without one
# is cut by the same pattern without it (the same pieces: an alternative that cannot match
# anywhere changes nothing), and the whole pattern is compiled only for a text that may hold an address.
_TOKEN_NO_ADDRESS = re.compile("|".join(a for n, a in enumerate(_ALTERNATIVES) if n != _ADDRESS))
_ROADS = "路街道巷"
_DIGITS = frozenset("0123456789０１２３４５６７８９")
_token_full: re.Pattern[str] | None = None


def _may_hold_address(text: str) -> bool:
    """Whether a road word is followed by a digit somewhere in ``text`` (``[路街道巷][0-9０-９]``)."""
    for road in _ROADS:
        i = text.find(road)
        while i >= 0:
            if text[i + 1 : i + 2] in _DIGITS:
                return True
            i = text.find(road, i + 1)
    return False


def _token(text: str) -> re.Pattern[str]:
    """The pattern that cuts ``text`` into pieces (see :data:`_ALTERNATIVES`)."""
    global _token_full
    if not _may_hold_address(text):
        return _TOKEN_NO_ADDRESS
    if _token_full is None:
        _token_full = re.compile("|".join(_ALTERNATIVES))
    return _token_full


# Display width without classes of tens of thousands of characters (each ≈ 3 ms to compile): the
# text as UTF-16 is matched two bytes at a time from its start, so every piece is one whole
# character (in the machine's byte order: "utf-16" is the codec Python encodes without loading a
# codec module; its first two bytes are the byte-order mark). Narrow (one column): ASCII printable,
# Latin-1, U+2010–2027, U+2460–24FF; wide (two columns): U+3000–3029, U+3030–303E, U+3400–4DBF,
# U+4E00–9FFF, U+FF01–FF60, U+FFE0–FFE6 — every character of the set from U+3000 on is wide.
_PAIRS = (  # (high byte, low byte) of the characters of the set
    (rb"\x00", rb"[\x20-\x7e\xa0-\xff]"),
    (rb"\x20", rb"[\x10-\x27]"),
    (rb"\x24", rb"[\x60-\xff]"),
    (rb"\x30", rb"[\x00-\x29\x30-\x3e]"),
    (rb"[\x34-\x4c]", rb"."),
    (rb"\x4d", rb"[\x00-\xbf]"),
    (rb"[\x4e-\x9f]", rb"."),
    (rb"\xff", rb"[\x01-\x60\xe0-\xe6]"),
)
_BIG_ENDIAN = sys.byteorder == "big"
_COMMON_UTF16 = re.compile(
    b"(?:" + b"|".join(high + low if _BIG_ENDIAN else low + high for high, low in _PAIRS) + b")*", re.DOTALL
)
_HIGH = slice(2, None, 2) if _BIG_ENDIAN else slice(3, None, 2)
"""The high bytes of the characters, after the byte-order mark."""
_BELOW_3000 = bytes(range(0x30))
"""High bytes of the characters before U+3000 (deleted to count the wide ones)."""


def width(text: str) -> int:
    """Display width of ``text`` in terminal columns, as :func:`rich.cells.cell_len` counts it.

    Text made only of ASCII, Latin-1, common punctuation, circled numbers, Chinese characters and
    full-width forms (one or two columns each, the same in every table) is counted here; anything
    else asks Rich's tables, which are loaded only then.
    """
    if text.isascii() and text.isprintable():
        return len(text)
    known = _WIDTHS.get(text)
    if known is not None:
        return known
    raw = text.encode("utf-16", "surrogatepass")
    if _COMMON_UTF16.fullmatch(raw, 2):
        n = len(text) + len(raw[_HIGH].translate(None, _BELOW_3000))
    else:
        from rich.cells import cell_len

        n = cell_len(text)
    if len(text) <= 4:  # a character or a short piece: a table measures the same ones again and again
        if len(_WIDTHS) > 8192:
            _WIDTHS.clear()
        _WIDTHS[text] = n
    return n


_WIDTHS: dict[str, int] = {}


def atoms(text: str) -> list[str]:
    """``text`` cut into pieces that may not be split across lines, in order.

    Closing punctuation is joined to the piece before it and opening punctuation to the piece after
    it, so that a line break between two pieces is always allowed. Spaces are pieces of their own.
    """
    raw: list[str] = []
    pos = 0
    for m in _token(text).finditer(text):
        raw += list(text[pos : m.start()])
        raw.append(m.group())
        pos = m.end()
    raw += list(text[pos:])
    out: list[str] = []
    pending = ""  # opening punctuation waiting for the next piece
    glue = False  # after a no-break space: the next piece joins the one before
    for piece in raw:
        if piece == NBSP and out and not out[-1].isspace():
            # bind the word before (back to a space or punctuation) to the word after
            k = len(out) - 1
            while k > 0 and not out[k - 1].isspace() and out[k - 1][-1] not in CLOSING + OPENING:
                k -= 1
            out[k:] = ["".join(out[k:]) + piece]
            glue = True
            continue
        if glue and not piece.isspace():
            out[-1] += pending + piece
            pending = ""
            glue = False
            continue
        glue = False
        if piece.isspace():
            if pending:
                out.append(pending)
                pending = ""
            out.append(piece)
        elif piece in OPENING:
            pending += piece
        elif piece[0] in CLOSING and out and not out[-1].isspace() and not pending:
            out[-1] += piece
        else:
            out.append(pending + piece)
            pending = ""
    if pending:
        out.append(pending)
    return out


def longest_atom(text: str) -> int:
    """The width of the widest piece of ``text`` that must not be split."""
    return max((width(a) for line in text.split("\n") for a in atoms(line) if not a.isspace()), default=0)


_ASCII_RUN = LazyPattern(r"[A-Za-z0-9\-._/:@+#%?=&~]")


def _split_hard(piece: str, limit: int) -> list[str]:
    # A piece wider than the line: cut by width, never leaving closing punctuation at a line start,
    # and moving a number or URL that would be cut to the next line when it fits there.
    parts: list[str] = []
    cur = ""
    for ch in piece:
        if cur and width(cur + ch) > limit and ch not in CLOSING:
            if _ASCII_RUN.match(ch) and _ASCII_RUN.match(cur[-1]):
                k = len(cur)
                while k > 0 and _ASCII_RUN.match(cur[k - 1]):
                    k -= 1
                if k > 0 and width(cur[k:] + ch) < limit:
                    parts.append(cur[:k])
                    cur = cur[k:] + ch
                    continue
            parts.append(cur)
            cur = ""
        cur += ch
    if cur:
        parts.append(cur)
    return parts


def wrap(text: str, limit: int, *, indent: str = "", first: str = "") -> list[str]:
    """Lines of at most ``limit`` columns (``first`` before the first line, ``indent`` before the others).

    Hard line breaks in ``text`` are kept. A piece of :func:`atoms` is split only when it is wider
    than a whole line.
    """
    lines: list[str] = []
    prefix = first
    indent_w = width(indent)
    for para in text.split("\n"):
        cur = prefix
        cur_w = width(prefix)  # width(cur), kept as pieces are added (a width is the sum of its characters')
        room = max(1, limit - cur_w)
        empty = True
        for piece in atoms(para):
            if piece.isspace():
                if not empty:
                    cur += piece
                    cur_w += width(piece)
                continue
            w = width(piece)
            if cur_w + w <= limit:
                cur += piece
                cur_w += w
                empty = False
                continue
            # the piece does not fit on this line
            if not empty:
                lines.append(cur.rstrip(" "))
                cur, cur_w = indent, indent_w
                room = max(1, limit - indent_w)
            if w <= room:
                cur += piece
                cur_w += w
            else:
                chunks = _split_hard(piece, room)
                for chunk in chunks[:-1]:
                    lines.append(cur + chunk)
                    cur, cur_w = indent, indent_w
                cur += chunks[-1]
                cur_w += width(chunks[-1])
            empty = False
        lines.append(cur.rstrip(" "))
        prefix = indent
    return lines


def fill(text: str, limit: int, *, indent: str = "", first: str = "") -> str:
    """:func:`wrap` joined with newlines."""
    return "\n".join(wrap(text, limit, indent=indent, first=first))


def column_widths(
    natural: Sequence[int], minimum: Sequence[int], available: int, soft: Sequence[int] | None = None
) -> list[int]:
    """Widths for table columns whose content is ``natural`` wide and cannot go below ``minimum``.

    Columns that fit in a fair share keep their natural width; the others share what is left
    (water-filling). When even the minimums do not fit, columns first give up what they have
    above ``soft`` (a heading that may wrap), then the widest minimums are reduced.
    """
    nat = [max(1, n) for n in natural]
    mins = [min(max(1, m), n) for m, n in zip(minimum, nat, strict=True)]
    if sum(nat) <= available:
        return nat
    if sum(mins) > available:
        widths = list(mins)
        floors = [min(max(1, f), w) for f, w in zip(soft or widths, widths, strict=True)]
        while sum(widths) > available and any(w > f for w, f in zip(widths, floors, strict=True)):
            i = max(range(len(widths)), key=lambda k: widths[k] - floors[k])
            widths[i] -= 1
        while sum(widths) > available and max(widths) > 1:
            i = widths.index(max(widths))
            widths[i] -= 1
        return widths
    lo, hi = 0, max(nat)
    while lo < hi:  # the largest cap c with sum(min(nat, max(min, c))) <= available
        mid = (lo + hi + 1) // 2
        if sum(min(n, max(m, mid)) for n, m in zip(nat, mins, strict=True)) <= available:
            lo = mid
        else:
            hi = mid - 1
    widths = [min(n, max(m, lo)) for n, m in zip(nat, mins, strict=True)]
    spare = available - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: nat[i] - widths[i], reverse=True):
        if spare <= 0:
            break
        extra = min(spare, nat[i] - widths[i])
        widths[i] += extra
        spare -= extra
    return widths


TONES = {
    "prohibited": "bold red",
    "incomplete": "bold dark_orange",
    "unconfirmed": "bold magenta",
    "tolerated": "bold cyan",
    "ok": "bold green",
    "plain": "bold",
}
"""Colours of headings: 禁办 red, 材料不全 orange, 待确认 magenta, 容缺 cyan, good news green."""


def tone(title: str, style: str = "", context: str | None = None) -> str:
    """The tone of a heading from its words (so that every view gets the same colours).

    ``style`` is the block's own hint (``warn``, ``ok`` or a tone name), used when the words say
    nothing; a ``warn`` heading without telling words (理由) takes the tone of the answer's
    headline, ``context``.
    """
    if style in TONES and style not in ("ok", "plain"):
        return style
    head = title.lstrip("【")
    if head.startswith(("不予受理", "禁办")):
        return "prohibited"
    if head.startswith(("材料不全", "须补齐", "缺少")):
        return "incomplete"
    if "待确认" in head or "核对" in head or head.startswith(("源文件说明", "注意")):
        return "unconfirmed"
    if "容缺" in head:
        return "tolerated"
    if style == "ok":
        return "ok"
    if style == "warn":
        return context or "prohibited"
    return "plain"


def dedupe_columns(columns: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Drop what a table says twice or not at all.

    In a place column (地点, 地址, 详情) a part (between ``；`` or line breaks) that another cell
    of the same row already says is dropped — one address, not two; then columns that are empty
    in every row are dropped.
    """
    rows = [list(r) + [""] * (len(columns) - len(r)) for r in rows]
    for j, col in enumerate(columns):
        if not any(w in col for w in ("地点", "地址", "详情")):
            continue
        for r in rows:
            others = [c for i, c in enumerate(r) if i != j]
            parts = [p for p in re.split(r"[；\n]", r[j]) if p.strip()]
            kept = [p for p in parts if not any(_covered(_unlabel(p), o) for o in others)]
            if len(kept) != len(parts):
                r[j] = "\n".join(kept)
    keep = [i for i in range(len(columns)) if any(r[i].strip() for r in rows)]
    return [columns[i] for i in keep], [[r[i] for i in keep] for r in rows]


def _unlabel(part: str) -> str:
    # "地址：铁西区三道街81号" → "铁西区三道街81号"
    head, sep, rest = part.partition("：")
    return rest if sep and len(head) <= 4 else part


def _squash(text: str) -> str:
    return re.sub(r"[\s，。、；：,;:（）()]", "", text)


def _covered(a: str, b: str) -> bool:
    """Whether every fact of ``a`` is already in ``b`` (punctuation and spacing aside)."""
    sa = _squash(a)
    return not sa or (len(sa) >= 4 and sa in _squash(b))
