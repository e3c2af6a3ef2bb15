"""The shape of a query that is an item number (no dataclasses: the fast path of ``show`` uses it)."""

from __future__ import annotations

import re

from rsguide.lazyre import LazyPattern

ITEM_NUMBER = LazyPattern(
    r"^(?:第|序号|事项|编号|no|#)?([\d零一二两三四五六七八九十百]{1,9})(?:项|号|号事项|项事项|个事项|个)?$"
)
"""A query that is an item number: 4, 第4项, 序号4, 4号, #4, 第三十二项, 第十七个事项 (after normalisation)."""
_NUMERALS = "零一二两三四五六七八九十百"


_SEPARATE_NUMBERS = re.compile(r"\d\D+\d")
"""Two numbers apart (2.1, 1,4, 1 4, 1-4): normalisation would glue them into another item's number."""


def item_number(text: str, raw: str | None = None) -> int | None:
    """The item number a (normalised) query names, or ``None``: 32, 第32项, 三十二, 第一百零五项.

    ``raw`` is the query as typed: when it holds two separate numbers (a section 2.1, a list 1,4)
    it names no item, although its normalised form (21, 14) looks like one.
    """
    if raw is not None and (_SEPARATE_NUMBERS.search(raw) or raw.lstrip().startswith(("-", "－", "−"))):
        return None  # 2.1 is a section, -1 is no item
    if not any(c.isdecimal() or c in _NUMERALS for c in text):  # (\d is a decimal digit of any script)
        return None  # no number at all: the pattern, ≈ 0.3 ms to compile, is not needed
    m = ITEM_NUMBER.match(text)
    if not m:
        return None
    digits = m.group(1)
    if digits.isdigit():
        return int(digits)
    if any(c.isdigit() for c in digits):
        return None
    from rsguide.numerals import from_chinese

    return from_chinese(digits)
