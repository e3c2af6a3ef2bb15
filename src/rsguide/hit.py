"""A search result, and the shape of a query that is an item number (kept apart from
:mod:`rsguide.search` so that looking an item up by number or name stays light)."""

from __future__ import annotations

import re
from dataclasses import dataclass

ITEM_NUMBER = re.compile(r"^(?:第|序号|事项|编号|no|#)?(\d{1,9})(?:项|号)?$")
"""A query that is an item number: 4, 第4项, 序号4, 4号, #4 (after normalisation)."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the item, its score and why it matched."""

    number: int
    name: str
    score: float
    matched: str  # the field, e.g. 名称 / 拼音首字母 / 材料
    text: str  # the indexed text that matched
