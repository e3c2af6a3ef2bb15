"""The shape of a query that is an item number (no dataclasses: the fast path of ``show`` uses it)."""

from __future__ import annotations

import re

ITEM_NUMBER = re.compile(r"^(?:第|序号|事项|编号|no|#)?([\d零一二两三四五六七八九十百]{1,9})(?:项|号|号事项|项事项)?$")
"""A query that is an item number: 4, 第4项, 序号4, 4号, #4, 第三十二项 (after normalisation)."""

_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def item_number(text: str) -> int | None:
    """The item number a (normalised) query names, or ``None``: 32, 第32项, 三十二, 第一百零五项."""
    m = ITEM_NUMBER.match(text)
    if not m:
        return None
    digits = m.group(1)
    if digits.isdigit():
        return int(digits)
    if any(c.isdigit() for c in digits):
        return None
    total, current = 0, 0
    for ch in digits:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _DIGITS[ch]  # 三二 → 32, 一零五 → 105
    return total + current
