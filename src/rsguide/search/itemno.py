"""The shape of a query that is an item number (no dataclasses: the fast path of ``show`` uses it)."""

from __future__ import annotations

import re

ITEM_NUMBER = re.compile(r"^(?:第|序号|事项|编号|no|#)?([\d零一二两三四五六七八九十百]{1,9})(?:项|号|号事项|项事项)?$")
"""A query that is an item number: 4, 第4项, 序号4, 4号, #4, 第三十二项 (after normalisation)."""


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
    from rsguide.numerals import from_chinese

    return from_chinese(digits)
